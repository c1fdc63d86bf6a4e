#include "libvirtexportermapping.h"

#include <QHash>

#include <cmath>

namespace Vigie {

namespace {

enum class Field {
    CpuSeconds,
    Vcpus,
    MemoryBytes,
    State,
    RxBytes,
    RxPackets,
    TxBytes,
    TxPackets,
    ReadBytes,
    ReadRequests,
    WriteBytes,
    WriteRequests,
};

const QHash<QString, Field> &fields()
{
    static const QHash<QString, Field> names{
        {QStringLiteral("libvirt_domain_info_cpu_time_seconds_total"), Field::CpuSeconds},
        {QStringLiteral("libvirt_domain_info_virtual_cpus"), Field::Vcpus},
        {QStringLiteral("libvirt_domain_info_memory_usage_bytes"), Field::MemoryBytes},
        {QStringLiteral("libvirt_domain_state_code"), Field::State},
        {QStringLiteral("libvirt_domain_interface_stats_receive_bytes_total"), Field::RxBytes},
        {QStringLiteral("libvirt_domain_interface_stats_receive_packets_total"), Field::RxPackets},
        {QStringLiteral("libvirt_domain_interface_stats_transmit_bytes_total"), Field::TxBytes},
        {QStringLiteral("libvirt_domain_interface_stats_transmit_packets_total"), Field::TxPackets},
        {QStringLiteral("libvirt_domain_block_stats_read_bytes_total"), Field::ReadBytes},
        {QStringLiteral("libvirt_domain_block_stats_read_requests_total"), Field::ReadRequests},
        {QStringLiteral("libvirt_domain_block_stats_write_bytes_total"), Field::WriteBytes},
        {QStringLiteral("libvirt_domain_block_stats_write_requests_total"), Field::WriteRequests},
    };
    return names;
}

// 2^64: a double at or above it is no quint64.
constexpr double CounterLimit = 18446744073709551616.0;

void add(std::optional<quint64> *sum, quint64 v) { *sum = sum->value_or(0) + v; }

} // namespace

QStringList LibvirtExporterMapping::metricNames()
{
    QStringList names = fields().keys();
    names.append(QStringLiteral("libvirt_up"));
    names.sort();
    return names;
}

QString LibvirtExporterMapping::query(int windowS)
{
    return QStringLiteral("{__name__=~\"libvirt_(up|domain_(info_(cpu_time_seconds_total|virtual_cpus|memory_usage_bytes)"
                          "|state_code|interface_stats_(receive|transmit)_(bytes|packets)_total"
                          "|block_stats_(read|write)_(bytes|requests)_total))\"}[%1s]")
        .arg(windowS);
}

QList<ExporterTarget> LibvirtExporterMapping::map(const QList<PrometheusSeries> &series)
{
    struct Target
    {
        QString libvirtUri;
        std::optional<bool> up;
        QMap<qint64, QHash<QString, RawVmStats>> scrapes;
    };
    SeriesByInstance<Target> targets;
    const QString nameKey = QStringLiteral("__name__");
    const QString uuidKey = QStringLiteral("uuid");
    for (const PrometheusSeries &s : series) {
        const QString name = s.labels.value(nameKey);
        // The exporter's own health: a target with no running VM (a host just evacuated) has no
        // domain series at all, yet it measures its host.
        if (name == QLatin1String("libvirt_up")) {
            Target &target = targets.of(s);
            if (!s.points.isEmpty() && std::isfinite(s.points.last().second))
                target.up = s.points.last().second > 0;
            continue;
        }
        const auto field = fields().constFind(name);
        const QString uuid = s.labels.value(uuidKey);
        if (field == fields().constEnd() || uuid.isEmpty())
            continue;
        Target &target = targets.of(s);
        for (const auto &[ms, value] : s.points) {
            if (!std::isfinite(value) || value < 0 || value >= CounterLimit)
                continue;
            RawVmStats &vm = target.scrapes[ms][uuid];
            if (vm.uuid.isEmpty()) {
                vm.uuid = uuid;
                vm.domainId = 0; // the exporter has no domain id: a restart shows as a counter going back
                vm.wallMs = ms;
                vm.monotonicNs = ms * 1'000'000; // Prometheus's scrape times are the rates' clock
            }
            const auto counter = quint64(value);
            switch (*field) {
            case Field::CpuSeconds:
                vm.cpuTimeNs = quint64(std::llround(value * 1e9));
                break;
            case Field::Vcpus:
                vm.vcpus = quint32(std::min<quint64>(counter, 1u << 20));
                break;
            case Field::MemoryBytes:
                vm.balloonCurrentKiB = counter / 1024;
                break;
            case Field::State:
                vm.state = int(std::min<quint64>(counter, 255));
                break;
            case Field::RxBytes:
                add(&vm.rxBytes, counter);
                ++vm.netDevices;
                break;
            case Field::RxPackets:
                add(&vm.rxPackets, counter);
                break;
            case Field::TxBytes:
                add(&vm.txBytes, counter);
                break;
            case Field::TxPackets:
                add(&vm.txPackets, counter);
                break;
            case Field::ReadBytes:
                add(&vm.readBytes, counter);
                ++vm.blockDevices;
                break;
            case Field::ReadRequests:
                add(&vm.readRequests, counter);
                break;
            case Field::WriteBytes:
                add(&vm.writeBytes, counter);
                break;
            case Field::WriteRequests:
                add(&vm.writeRequests, counter);
                break;
            }
        }
    }
    QList<ExporterTarget> result;
    result.reserve(targets.order.size());
    for (const QString &instance : std::as_const(targets.order)) {
        Target &t = targets.targets[instance];
        ExporterTarget out;
        out.instance = instance;
        out.libvirtUri = t.libvirtUri;
        out.libvirtUp = t.up;
        for (auto it = t.scrapes.begin(); it != t.scrapes.end(); ++it) {
            QList<RawVmStats> vms;
            vms.reserve(it->size());
            for (RawVmStats &vm : *it) {
                // A scrape that lost the state series still has a running process if it has CPU time.
                if (vm.state == 0 && vm.cpuTimeNs)
                    vm.state = 1;
                vms.append(std::move(vm));
            }
            out.scrapes.insert(it.key(), std::move(vms));
        }
        result.append(std::move(out));
    }
    return result;
}

} // namespace Vigie
