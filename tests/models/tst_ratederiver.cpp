// Rate derivation: the rules between two raw samples (data-driven) and the per-host tracking
// that flags VMs whose counters stopped coming back.
#include "metrics/ratederiver.h"

#include <QTest>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Vigie;

Q_DECLARE_METATYPE(Vigie::RawVmStats)
Q_DECLARE_METATYPE(Vigie::RawHostStats)
Q_DECLARE_METATYPE(QList<Vigie::RawVmStats>)

namespace {

constexpr qint64 Second = 1000000000;
constexpr double None = std::numeric_limits<double>::quiet_NaN();
const QString Uuid = u"1b4e28ba-2fa1-11d2-883f-0016d3cca427"_s;

// A running VM with one vCPU, one NIC, one disk and guest memory stats, read at t seconds.
RawVmStats running(double t, quint64 counter = 0, int domainId = 7)
{
    RawVmStats s;
    s.uuid = Uuid;
    s.domainId = domainId;
    s.state = 1;
    s.monotonicNs = qint64(t * double(Second));
    s.wallMs = 1700000000000 + qint64(t * 1000);
    s.cpuTimeNs = counter;
    s.vcpus = 1;
    s.balloonCurrentKiB = 1048576;
    s.balloonAvailableKiB = 1000000;
    s.balloonUnusedKiB = 400000;
    s.balloonRssKiB = 500000;
    s.netDevices = 1;
    s.rxBytes = counter;
    s.rxPackets = counter / 100;
    s.txBytes = counter / 2;
    s.txPackets = counter / 200;
    s.blockDevices = 1;
    s.readBytes = counter;
    s.readRequests = counter / 1000;
    s.writeBytes = counter / 4;
    s.writeRequests = counter / 4000;
    return s;
}

RawVmStats with(RawVmStats s, const std::function<void(RawVmStats &)> &change)
{
    change(s);
    return s;
}

void compareValue(const VmSample &sample, VmMetric metric, double expected)
{
    const std::optional<double> value = sample.value(metric);
    if (std::isnan(expected)) {
        QVERIFY2(!value, qPrintable(u"%1 should have no value, has %2"_s.arg(metricName(metric)).arg(value.value_or(0))));
    } else {
        QVERIFY2(value, qPrintable(u"%1 has no value"_s.arg(metricName(metric))));
        QVERIFY2(std::abs(*value - expected) <= 1e-3 * std::max(1.0, std::abs(expected)),
                 qPrintable(u"%1: %2, expected %3"_s.arg(metricName(metric)).arg(*value).arg(expected)));
    }
}

} // namespace

class TestRateDeriver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void derive_data()
    {
        QTest::addColumn<bool>("hasPrevious");
        QTest::addColumn<RawVmStats>("previous");
        QTest::addColumn<RawVmStats>("current");
        QTest::addColumn<VmMetric>("metric");
        QTest::addColumn<double>("expected"); // NaN: no value

        const RawVmStats p = running(10, 1000000000);
        QTest::newRow("cpu: half a vCPU") << true << p << running(11, 1500000000) << VmMetric::CpuPercent << 50.0;
        QTest::newRow("cpu: two vCPUs") << true << with(p, [](auto &s) { s.vcpus = 2; })
                                        << with(running(11, 2000000000), [](auto &s) { s.vcpus = 2; })
                                        << VmMetric::CpuPercent << 50.0;
        QTest::newRow("cpu: busier than its vCPUs clamps to 100") << true << p << running(11, 2500000000)
                                                                  << VmMetric::CpuPercent << 100.0;
        QTest::newRow("cpu: no vCPU count") << true << p << with(running(11, 1500000000), [](auto &s) { s.vcpus.reset(); })
                                            << VmMetric::CpuPercent << None;
        QTest::newRow("jitter: late tick divides by real time") << true << p << running(11.25, 1500000000)
                                                                << VmMetric::CpuPercent << 40.0;
        QTest::newRow("jitter: early tick") << true << p << running(10.8, 1000000800) << VmMetric::NetRxBytesPerSec << 1000.0;
        QTest::newRow("jitter: two seconds") << true << p << running(12, 1000002000) << VmMetric::DiskReadBytesPerSec << 1000.0;
        QTest::newRow("net tx") << true << p << running(11, 1000002000) << VmMetric::NetTxBytesPerSec << 1000.0;
        QTest::newRow("net rx packets") << true << p << running(11, 1000010000) << VmMetric::NetRxPacketsPerSec << 100.0;
        QTest::newRow("disk read iops") << true << p << running(12, 1000100000) << VmMetric::DiskReadIops << 50.0;
        QTest::newRow("disk write bytes") << true << p << running(11, 1000004000) << VmMetric::DiskWriteBytesPerSec << 1000.0;
        QTest::newRow("first sample: no rate") << false << RawVmStats{} << running(11, 5) << VmMetric::CpuPercent << None;
        QTest::newRow("first sample: levels") << false << RawVmStats{} << running(11, 5) << VmMetric::MemoryUsedKiB << 600000.0;
        QTest::newRow("counter reset, same process id") << true << p << running(11, 1000) << VmMetric::CpuPercent << None;
        QTest::newRow("counter reset: net") << true << p << running(11, 1000) << VmMetric::NetRxBytesPerSec << None;
        QTest::newRow("vm restart: new domain id, counters grew") << true << p << running(11, 3000000000, 8)
                                                                  << VmMetric::CpuPercent << None;
        QTest::newRow("vm restart: shut off in between") << true << with(p, [](auto &s) { s.state = 5; })
                                                         << running(11, 3000000000) << VmMetric::NetRxBytesPerSec << None;
        QTest::newRow("migration to another host: smaller counters") << true << p << running(11, 20000, 3)
                                                                     << VmMetric::DiskReadBytesPerSec << None;
        QTest::newRow("migration back: larger counters, new id") << true << p << running(11, 9000000000, 12)
                                                                << VmMetric::NetTxBytesPerSec << None;
        QTest::newRow("missing field now: no value, not zero") << true << p
                                                               << with(running(11, 2000000000), [](auto &s) { s.rxBytes.reset(); })
                                                               << VmMetric::NetRxBytesPerSec << None;
        QTest::newRow("missing field before") << true << with(p, [](auto &s) { s.readRequests.reset(); })
                                              << running(11, 2000000000) << VmMetric::DiskReadIops << None;
        QTest::newRow("missing field elsewhere does not matter") << true << p
                                                                 << with(running(11, 1500000000), [](auto &s) { s.rxBytes.reset(); })
                                                                 << VmMetric::CpuPercent << 50.0;
        QTest::newRow("nic hot-plugged: no spike") << true << p
                                                   << with(running(11, 2000000000), [](auto &s) { s.netDevices = 2; })
                                                   << VmMetric::NetRxBytesPerSec << None;
        QTest::newRow("disk unplugged: no spike") << true << p
                                                  << with(running(11, 2000000000), [](auto &s) { s.blockDevices = 0; })
                                                  << VmMetric::DiskWriteIops << None;
        QTest::newRow("same instant: no rate") << true << p << running(10, 2000000000) << VmMetric::CpuPercent << None;
        QTest::newRow("clock backwards: no rate") << true << p << running(9, 2000000000) << VmMetric::CpuPercent << None;
        QTest::newRow("shut off: no level") << true << p << with(running(11, 0), [](auto &s) { s.state = 5; })
                                            << VmMetric::MemoryAvailableKiB << None;
        QTest::newRow("paused: cpu idle") << true << with(p, [](auto &s) { s.state = 3; })
                                          << with(running(11, 1000000000), [](auto &s) { s.state = 3; })
                                          << VmMetric::CpuPercent << 0.0;
        QTest::newRow("memory used without guest stats") << false << RawVmStats{}
                                                         << with(running(11), [](auto &s) { s.balloonUnusedKiB.reset(); })
                                                         << VmMetric::MemoryUsedKiB << None;
        QTest::newRow("memory available falls back to balloon size") << false << RawVmStats{}
                                                                     << with(running(11), [](auto &s) { s.balloonAvailableKiB.reset(); })
                                                                     << VmMetric::MemoryAvailableKiB << 1048576.0;
        QTest::newRow("memory: unused above available is nonsense") << false << RawVmStats{}
                                                                    << with(running(11), [](auto &s) { s.balloonUnusedKiB = 2000000; })
                                                                    << VmMetric::MemoryUsedKiB << None;
        QTest::newRow("rss") << false << RawVmStats{} << running(11) << VmMetric::MemoryRssKiB << 500000.0;
        QTest::newRow("other VM's previous sample") << true << with(p, [](auto &s) { s.uuid = u"other"_s; })
                                                    << running(11, 1500000000) << VmMetric::CpuPercent << None;
    }

    void derive()
    {
        QFETCH(bool, hasPrevious);
        QFETCH(RawVmStats, previous);
        QFETCH(RawVmStats, current);
        QFETCH(VmMetric, metric);
        QFETCH(double, expected);
        const VmSample sample = RateDeriver::derive(hasPrevious ? &previous : nullptr, current);
        QCOMPARE(sample.timeMs, current.wallMs);
        compareValue(sample, metric, expected);
    }

    // Each step of a VM's life through one host's deriver: since when it is stale (-1: current).
    void staleness_data()
    {
        QTest::addColumn<QList<RawVmStats>>("steps");
        QTest::addColumn<QList<qint64>>("staleSince");

        const auto frozen = [](RawVmStats s) {
            // What NOWAIT returns while another call holds the guest's monitor: no monitor-backed
            // counters (RSS, block I/O), the rest still there.
            s.balloonRssKiB.reset();
            s.readBytes.reset();
            s.readRequests.reset();
            s.writeBytes.reset();
            s.writeRequests.reset();
            return s;
        };
        const qint64 t0 = running(0).wallMs;
        QTest::newRow("complete samples") << QList{running(0, 0), running(1, 10), running(2, 20)} << QList<qint64>{-1, -1, -1};
        QTest::newRow("frozen guest: stale since its last complete sample")
            << QList{running(0, 0), running(1, 10), frozen(running(2, 10)), frozen(running(3, 10)), running(4, 40)}
            << QList<qint64>{-1, -1, t0 + 1000, t0 + 1000, -1};
        QTest::newRow("cpu counter gone")
            << QList{running(0, 0), with(running(1, 10), [](auto &s) { s.cpuTimeNs.reset(); })}
            << QList<qint64>{-1, t0};
        QTest::newRow("never had the counters: not stale")
            << QList{frozen(running(0, 0)), frozen(running(1, 10))} << QList<qint64>{-1, -1};
        QTest::newRow("frozen from the first sample on: stale since then")
            << QList{running(0, 0), frozen(running(1, 10))} << QList<qint64>{-1, t0};
        QTest::newRow("restarted: new process, new expectations")
            << QList{running(0, 0), frozen(running(1, 10, 9)), frozen(running(2, 20, 9))}
            << QList<qint64>{-1, -1, -1};
        QTest::newRow("shut off is not stale")
            << QList{running(0, 0), with(RawVmStats{}, [](auto &s) { s.uuid = Uuid; s.state = 5; s.wallMs = 1; })}
            << QList<qint64>{-1, -1};
    }

    void staleness()
    {
        QFETCH(QList<RawVmStats>, steps);
        QFETCH(QList<qint64>, staleSince);
        QCOMPARE(steps.size(), staleSince.size());
        RateDeriver deriver;
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const VmSampleUpdate update = deriver.update(steps.at(i));
            QCOMPARE(update.uuid, Uuid);
            QCOMPARE(update.staleSinceMs.value_or(-1), staleSince.at(i));
        }
    }

    void frozenGuestKeepsItsOtherRates()
    {
        RateDeriver deriver;
        (void)deriver.update(running(0, 0));
        RawVmStats partial = running(1, 1000);
        partial.readRequests.reset();
        partial.balloonRssKiB.reset();
        const VmSampleUpdate update = deriver.update(partial);
        QVERIFY(update.staleSinceMs);
        QVERIFY(update.sample.value(VmMetric::NetRxBytesPerSec));
        QVERIFY(!update.sample.value(VmMetric::DiskReadIops));
    }

    void tickForgetsVmsThatLeft()
    {
        RateDeriver deriver;
        RawVmStats other = running(0, 0);
        other.uuid = u"2b4e28ba-2fa1-11d2-883f-0016d3cca427"_s;
        QCOMPARE(deriver.updateAll({running(0, 0), other}).size(), 2);
        QCOMPARE(deriver.trackedVms(), 2);
        // Migrated away: the next tick does not list it, and its counters are forgotten, so that
        // coming back later starts fresh.
        QCOMPARE(deriver.updateAll({running(1, 1000)}).size(), 1);
        QCOMPARE(deriver.trackedVms(), 1);
        other.monotonicNs += 5 * Second;
        other.cpuTimeNs = 3000000000;
        const QList<VmSampleUpdate> back = deriver.updateAll({running(5, 1000), other});
        QVERIFY(!back.at(1).sample.value(VmMetric::CpuPercent));
        deriver.clear();
        QCOMPARE(deriver.trackedVms(), 0);
    }

    void host_data()
    {
        QTest::addColumn<RawHostStats>("previous");
        QTest::addColumn<RawHostStats>("current");
        QTest::addColumn<HostMetric>("metric");
        QTest::addColumn<double>("expected");

        const auto host = [](double t, quint64 busy, quint64 total) {
            RawHostStats s;
            s.monotonicNs = qint64(t * double(Second));
            s.cpuBusyNs = busy;
            s.cpuTotalNs = total;
            s.memoryTotalKiB = 16000000;
            s.memoryFreeKiB = 12000000;
            return s;
        };
        QTest::newRow("cpu quarter busy") << host(0, 100, 1000) << host(1, 350, 2000) << HostMetric::CpuPercent << 25.0;
        QTest::newRow("cpu counters reset (host rebooted)") << host(0, 900, 9000) << host(1, 10, 100)
                                                            << HostMetric::CpuPercent << None;
        QTest::newRow("cpu total did not move") << host(0, 100, 1000) << host(1, 100, 1000) << HostMetric::CpuPercent << None;
        QTest::newRow("memory used") << host(0, 0, 0) << host(1, 0, 0) << HostMetric::MemoryUsedKiB << 4000000.0;
        QTest::newRow("memory total") << host(0, 0, 0) << host(1, 0, 0) << HostMetric::MemoryTotalKiB << 16000000.0;
        RawHostStats noMemory = host(1, 0, 0);
        noMemory.memoryFreeKiB.reset();
        QTest::newRow("memory free missing") << host(0, 0, 0) << noMemory << HostMetric::MemoryUsedKiB << None;
        RawHostStats noCpu = host(1, 0, 0);
        noCpu.cpuBusyNs.reset();
        QTest::newRow("cpu missing") << host(0, 0, 0) << noCpu << HostMetric::CpuPercent << None;
    }

    void host()
    {
        QFETCH(RawHostStats, previous);
        QFETCH(RawHostStats, current);
        QFETCH(HostMetric, metric);
        QFETCH(double, expected);
        RateDeriver deriver;
        (void)deriver.updateHost(previous);
        const std::optional<double> value = deriver.updateHost(current).value(metric);
        if (std::isnan(expected)) {
            QVERIFY(!value);
        } else {
            QVERIFY(value);
            QCOMPARE(*value, expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestRateDeriver)
#include "tst_ratederiver.moc"
