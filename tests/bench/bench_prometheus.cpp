// What a Prometheus answer costs Vigie: the body of one query for a fleet (prometheus-libvirt-
// exporter's series, as Prometheus 2.53 writes a matrix), its parse and mapping (on a pool
// thread in Vigie), and the rate derivation of its scrapes.
//   bench_prometheus [VMS [HOSTS [SAMPLES]]]   default 1000 VMs on 20 hosts, 8 samples a series
// (a 1 s scrape read every 5 s: the query's window is the 5 s since the last query and 3 s more).
#include "metrics/libvirtexportermapping.h"
#include "metrics/prometheusresponse.h"
#include "metrics/ratederiver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cstdio>

using namespace Vigie;

namespace {

QByteArray fleetAnswer(int vms, int hosts, int samples)
{
    const QList<QByteArray> names{
        "libvirt_domain_info_cpu_time_seconds_total", "libvirt_domain_info_virtual_cpus",
        "libvirt_domain_info_memory_usage_bytes", "libvirt_domain_state_code",
        "libvirt_domain_interface_stats_receive_bytes_total", "libvirt_domain_interface_stats_receive_packets_total",
        "libvirt_domain_interface_stats_transmit_bytes_total", "libvirt_domain_interface_stats_transmit_packets_total",
        "libvirt_domain_block_stats_read_bytes_total", "libvirt_domain_block_stats_read_requests_total",
        "libvirt_domain_block_stats_write_bytes_total", "libvirt_domain_block_stats_write_requests_total"};
    QByteArray body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    const qint64 t0 = 1796545692983;
    bool first = true;
    for (int v = 0; v < vms; ++v) {
        const int host = v % hosts;
        const QByteArray uuid = QByteArray::number(0x5a1ad000 + v, 16) + "-0002-4000-8000-000000000000";
        const QByteArray instance = "10.0." + QByteArray::number(host / 250) + '.' + QByteArray::number(host % 250 + 1) + ":9177";
        for (int n = 0; n < names.size(); ++n) {
            body += first ? "" : ",";
            first = false;
            body += R"({"metric":{"__name__":")" + names[n] + R"(","domain":"vm-)" + QByteArray::number(v)
                    + R"(","instance":")" + instance + R"(","job":"libvirt","libvirt_uri":"qemu+ssh://hv)"
                    + QByteArray::number(host) + R"(/system")";
            if (n >= 4)
                body += n < 8 ? R"(,"source_bridge":"br-int","target_device":"tap)" + QByteArray::number(v) + '"'
                              : R"(,"source_file":"/var/lib/libvirt/images/vm-)" + QByteArray::number(v) + R"(.qcow2","target_device":"vda")";
            body += R"(,"uuid":")" + uuid + R"("},"values":[)";
            for (int s = 0; s < samples; ++s) {
                const qint64 t = t0 + s * 1000;
                const double value = n == 1 ? 2 : n == 3 ? 1 : n == 2 ? 1073741824.0 : 1000.0 * (s + 1) * (n + 1) + v;
                body += (s ? ",[" : "[") + QByteArray::number(double(t) / 1000.0, 'f', 3) + ",\""
                        + QByteArray::number(n == 0 ? value / 1000.0 : value, 'g', 15) + "\"]";
            }
            body += "]}";
        }
    }
    body += "]}}";
    return body;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int vms = args.size() > 1 ? args[1].toInt() : 1000;
    const int hosts = args.size() > 2 ? args[2].toInt() : 20;
    const int samples = args.size() > 3 ? args[3].toInt() : 8;
    const QByteArray body = fleetAnswer(vms, hosts, samples);
    std::printf("answer: %d VMs on %d hosts, 12 series each, %d samples a series: %.2f MB\n", vms, hosts, samples,
                double(body.size()) / 1e6);
    QList<double> parseMs, mapMs, deriveMs;
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer timer;
        timer.start();
        const PrometheusResponse response = PrometheusResponse::parse(body);
        parseMs.append(double(timer.nsecsElapsed()) / 1e6);
        if (!response.ok) {
            std::fprintf(stderr, "parse failed: %s\n", qPrintable(response.error));
            return 1;
        }
        timer.restart();
        const QList<ExporterTarget> targets = LibvirtExporterMapping::map(response.series);
        mapMs.append(double(timer.nsecsElapsed()) / 1e6);
        timer.restart();
        int ticks = 0;
        for (const ExporterTarget &target : targets) {
            RateDeriver deriver;
            for (const QList<RawVmStats> &scrape : target.scrapes) {
                (void)deriver.updateAll(scrape);
                ++ticks;
            }
        }
        deriveMs.append(double(timer.nsecsElapsed()) / 1e6);
        if (run == 0)
            std::printf("targets: %lld, ticks delivered: %d\n", qlonglong(targets.size()), ticks);
    }
    const auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("parse (pool thread): median %.1f ms\nmap to RawVmStats (pool thread): median %.1f ms\n"
                "rate derivation of every scrape (GUI thread): median %.1f ms\n",
                median(parseMs), median(mapMs), median(deriveMs));
    return 0;
}
