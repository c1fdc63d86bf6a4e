// The Prometheus metrics source against the real lab (label "lab", a lab started with
// --prometheus): the same guests' CPU series read directly from libvirt and read from Prometheus
// (prometheus-libvirt-exporter on each host, scraped every second) agree, and so do the hosts'
// CPU and memory (prometheus-node-exporter).
//
// Tolerance: the two sources read the same cumulative cpu.time counter at different instants
// (the exporter's scrape and Vigie's poll are up to a second apart), so over a 30 s window their
// means differ by at most the CPU of about one second at each end, a 30th of the mean at each
// end. The test allows max(1 percentage point, 15 % of the direct mean); measured on the 2-core
// machine (guests at 1-13 % of their vCPU), the means differed by 0.03 to 0.43 points.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "metrics/metricsstore.h"
#include "metrics/prometheussource.h"

#include <QDateTime>
#include <QFile>
#include <QScopeGuard>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

VmKey keyOf(const Inventory &inventory, const QString &name)
{
    for (const VmKey &k : inventory.vmKeys()) {
        if (inventory.vm(k).name == name)
            return k;
    }
    return {};
}

} // namespace

class TestPrometheusLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QFile url(m_lab.directory() + u"/prometheus/url"_s);
        QVERIFY2(url.open(QIODevice::ReadOnly), "the lab runs without Prometheus: scripts/lab up --prometheus");
        m_url = QUrl(QString::fromUtf8(url.readAll()).trimmed());
        QVERIFY(m_url.isValid());

        m_direct.setMetricsStore(&m_directStore);
        m_direct.setMetricsInterval(1);
        m_viaPrometheus.setMetricsStore(&m_prometheusStore);
        m_viaPrometheus.setMetricsInterval(1);
        PrometheusSource::Config config;
        config.url = m_url; // targets matched by their libvirt_uri label
        m_viaPrometheus.setPrometheus(config);
        for (const LabHost &host : m_lab.hosts()) {
            QVERIFY(m_direct.addConnection(host.uri));
            QVERIFY(m_viaPrometheus.addConnection(host.uri));
        }
        QTRY_VERIFY_WITH_TIMEOUT(m_direct.isSettled() && m_viaPrometheus.isSettled(), 60000);
        connect(&m_prometheusStore, &MetricsStore::tickAccepted, this, [this](const MetricsTick &tick) {
            ++(tick.hasHost && tick.hasVms ? m_polledTicks : m_prometheusTicks);
        });
        m_started = now();
    }

    void everyHostMatched()
    {
        PrometheusSource *source = m_viaPrometheus.prometheus();
        QVERIFY(source);
        // Every host is matched by some answer. One answer may lack a target whose scrapes all
        // failed in its window (a 1 s scrape timing out on a loaded machine, as the clean-clone
        // run saw after the daemon fault tests): that answer matches the others only.
        QSet<QString> matched;
        const auto collect = [&] {
            for (const QString &uri : source->matchedTargets())
                matched.insert(uri);
        };
        collect();
        const QMetaObject::Connection polled = connect(source, &PrometheusSource::polled, this, collect);
        const auto disconnectFirst = qScopeGuard([polled] { disconnect(polled); }); // MATCHED dies first
        QStringList uris;
        for (const LabHost &host : m_lab.hosts())
            uris.append(host.uri);
        // A poll is two answers (the VMs', then the hosts'): the targets are matched after the
        // first, the state is Ok after the second. Both are awaited.
        QTRY_VERIFY2_WITH_TIMEOUT(matched.size() == uris.size() && source->state() == PrometheusSource::State::Ok,
                                  qPrintable(u"matched: "_s + QStringList(matched.cbegin(), matched.cend()).join(u", "_s) + u"; state: "_s
                                             + source->statusMessage()),
                                  60000);
        for (const QString &uri : std::as_const(matched))
            QVERIFY2(uris.contains(uri), qPrintable(uri));
        qInfo("Prometheus answer: %lld bytes in %lld ms", source->lastBodyBytes(), source->lastRoundTripMs());
    }

    void cpuSeriesAgree()
    {
        QList<LabGuest> guests;
        for (const LabGuest &guest : m_lab.guests()) {
            if (guest.running)
                guests.append(guest);
        }
        QVERIFY(!guests.isEmpty());
        // 35 s of both series.
        const qint64 start = now();
        for (const LabGuest &guest : std::as_const(guests)) {
            QTRY_VERIFY2_WITH_TIMEOUT(keyOf(m_inventory, guest.name).isValid() && keyOf(m_promInventory, guest.name).isValid(),
                                      qPrintable(guest.name), 30000);
        }
        QTest::qWait(int(std::max<qint64>(0, start + 36000 - now())));
        const qint64 to = now() - 3000;
        const qint64 from = to - 30000;
        int compared = 0;
        for (const LabGuest &guest : std::as_const(guests)) {
            const VmKey direct = keyOf(m_inventory, guest.name);
            const VmKey viaPrometheus = keyOf(m_promInventory, guest.name);
            QCOMPARE(direct.uuid, viaPrometheus.uuid);
            const MetricStats a = m_directStore.stats(direct, VmMetric::CpuPercent, from, to);
            const MetricStats b = m_prometheusStore.stats(viaPrometheus, VmMetric::CpuPercent, from, to);
            const double tolerance = std::max(1.0, 0.15 * a.mean);
            qInfo("%-8s direct %2lld samples mean %6.3f %%   Prometheus %2lld samples mean %6.3f %%   diff %6.3f (tolerance %.2f)",
                  qPrintable(guest.name), qlonglong(a.count), a.mean, qlonglong(b.count), b.mean, b.mean - a.mean, tolerance);
            QVERIFY2(a.count >= 25, qPrintable(guest.name));
            QVERIFY2(b.count >= 25, qPrintable(guest.name));
            QVERIFY2(std::abs(a.mean - b.mean) <= tolerance, qPrintable(guest.name));
            ++compared;
        }
        QCOMPARE(compared, guests.size());
    }

    void hostFiguresAgree()
    {
        // Each host's CPU and memory: libvirt's node statistics against prometheus-node-exporter
        // (the lab's hosts share this machine's kernel: both read its /proc). The same split of
        // CPU time and the same "free" on both sides; the machine's CPU moves fast (builds,
        // guests), so over 30 s the means may differ by the load of the instants each side saw.
        // Tolerance: CPU max(5 points, 20 % of the direct mean); memory used 3 % (other
        // processes come and go between the two readings).
        QTest::qWait(int(std::max<qint64>(0, m_started + 36000 - now())));
        const qint64 to = now() - 3000;
        const qint64 from = to - 30000;
        for (const LabHost &host : m_lab.hosts()) {
            QVERIFY2(m_viaPrometheus.prometheus()->matchedNodes().values().contains(host.uri), qPrintable(host.uri));
            const MetricSeries directCpu = m_directStore.hostSeries(host.uri, HostMetric::CpuPercent, from, to);
            const MetricSeries promCpu = m_prometheusStore.hostSeries(host.uri, HostMetric::CpuPercent, from, to);
            const MetricSeries directMem = m_directStore.hostSeries(host.uri, HostMetric::MemoryUsedKiB, from, to);
            const MetricSeries promMem = m_prometheusStore.hostSeries(host.uri, HostMetric::MemoryUsedKiB, from, to);
            const auto mean = [](const MetricSeries &series, qsizetype *count) {
                double sum = 0;
                *count = 0;
                for (const double v : series.values) {
                    if (std::isfinite(v)) {
                        sum += v;
                        ++*count;
                    }
                }
                return *count ? sum / double(*count) : std::nan("");
            };
            qsizetype nDirectCpu = 0, nPromCpu = 0, nDirectMem = 0, nPromMem = 0;
            const double a = mean(directCpu, &nDirectCpu), b = mean(promCpu, &nPromCpu);
            const double ma = mean(directMem, &nDirectMem), mb = mean(promMem, &nPromMem);
            const double cpuTolerance = std::max(5.0, 0.2 * a);
            qInfo("%s: CPU direct %lld samples mean %5.2f %%, node exporter %lld samples mean %5.2f %% (diff %5.2f, tolerance %.2f);"
                  " memory used %.0f / %.0f MiB (diff %.2f %%)",
                  qPrintable(host.name), qlonglong(nDirectCpu), a, qlonglong(nPromCpu), b, b - a, cpuTolerance, ma / 1024,
                  mb / 1024, 100.0 * (mb - ma) / ma);
            // Two thirds of the seconds at least: on a loaded machine a 1 s scrape sometimes times out.
            QVERIFY2(nDirectCpu >= 20 && nPromCpu >= 20, qPrintable(host.name));
            QVERIFY2(nDirectMem >= 20 && nPromMem >= 20, qPrintable(host.name));
            QVERIFY2(std::abs(a - b) <= cpuTolerance, qPrintable(host.name));
            QVERIFY2(std::abs(ma - mb) <= 0.03 * ma, qPrintable(host.name));
        }
    }

    void hostsDoNotPollWhilePrometheusIsSelected()
    {
        // A tick with both a host's figures and its VMs' is the session's own polling: from
        // Prometheus they come apart (node exporter, libvirt exporter).
        QVERIFY(m_prometheusTicks > 0);
        QCOMPARE(m_polledTicks, 0);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_viaPrometheus.session(host.uri));
    }

private:
    LabEnvironment m_lab;
    QUrl m_url;
    Inventory m_inventory;
    MetricsStore m_directStore;
    SessionManager m_direct{&m_inventory};
    Inventory m_promInventory;
    MetricsStore m_prometheusStore;
    SessionManager m_viaPrometheus{&m_promInventory};
    qint64 m_started = 0;
    int m_prometheusTicks = 0; // host figures or VM figures, apart
    int m_polledTicks = 0;     // both at once: a session's polling
};

QTEST_GUILESS_MAIN(TestPrometheusLab)
#include "tst_prometheuslab.moc"
