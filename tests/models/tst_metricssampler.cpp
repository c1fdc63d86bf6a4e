// MetricsSampler on a LibvirtConnection to libvirt's test driver, on the test's thread, without a
// worker: ticks collected on helper threads come back as rates in order, the per-domain
// fallback asks for the devices it was told of, the interval is applied and said, and a demo
// host's first tick brings the hour before it (DemoMetricsHistory).
#include "demo/demometricshistory.h"
#include "hypervisor/helpercalls.h"
#include "hypervisor/inventoryreader.h"
#include "hypervisor/libvirtconnection.h"
#include "hypervisor/metricssampler.h"
#include "metrics/demosignal.h"

#include <QSignalSpy>
#include <QTest>

#include <libvirt/libvirt.h>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString Web = u"1b4e28ba-2fa1-11d2-883f-0016d3cca427"_s; // running
const QString Db = u"1b4e28ba-2fa1-11d2-883f-0016d3cca428"_s;  // shut off

// Two domains, web-1 running with a disk, db-1 shut off; 16 GiB, 8 CPUs.
const QString NodeUri = u"test://" VIGIE_TEST_DATA_DIR "/hv-sampler.xml"_s;

MetricsTick tickOf(const QSignalSpy &spy, qsizetype index)
{
    return spy.at(index).first().value<MetricsTick>();
}

std::optional<VmSampleUpdate> vmOf(const MetricsTick &tick, const QString &uuid)
{
    for (const VmSampleUpdate &vm : tick.vms) {
        if (vm.uuid == uuid)
            return vm;
    }
    return std::nullopt;
}

} // namespace

class TestMetricsSampler : public QObject
{
    Q_OBJECT

private:
    // Reads what the worker would have read (resync): the domains' devices, for the fallback.
    void rememberAll(const LibvirtConnection &connection, MetricsSampler *sampler)
    {
        for (const QString &uuid : {Web, Db}) {
            const Libvirt::Domain domain = Libvirt::lookup(connection.get(), uuid);
            QString error;
            if (const std::optional<VmInfo> vm = InventoryReader(connection.get(), m_uri).domain(domain.get(), &error))
                sampler->rememberDevices(*vm);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<MetricsTick>();
    }

    // Ticks asked by hand (no interval): the host and every VM, rates from the second one; the
    // test driver's bulk stats are unusable, so the per-domain calls bring the disk counters of
    // the devices the sampler was told of, and none of a device it forgot.
    void collectsByDomain()
    {
        LibvirtConnection connection(m_uri, {}, std::make_shared<CredentialChannel>());
        MetricsSampler sampler(&connection, false, 0);
        QSignalSpy ticks(&sampler, &MetricsSampler::metricsReady);
        sampler.collect(); // not connected: nothing is asked
        connection.open();
        QVERIFY(connection);
        sampler.start();
        rememberAll(connection, &sampler);

        for (int i = 0; i < 3; ++i) {
            sampler.collect();
            QTRY_COMPARE_WITH_TIMEOUT(ticks.size(), i + 1, 5000);
            QTest::qWait(50); // the test driver's counters follow the clock
        }
        const MetricsTick last = tickOf(ticks, 2);
        QCOMPARE(last.hostUri, m_uri);
        QVERIFY(!last.demo);
        QCOMPARE(last.intervalMs, 1000); // no interval set: the shortest
        QCOMPARE(last.vms.size(), 2);
        QVERIFY(last.host.value(HostMetric::MemoryTotalKiB));
        const std::optional<VmSampleUpdate> web = vmOf(last, Web);
        QVERIFY(web);
        QVERIFY(web->running);
        QVERIFY(web->sample.value(VmMetric::CpuPercent));
        QVERIFY(web->sample.value(VmMetric::DiskReadBytesPerSec));
        const std::optional<VmSampleUpdate> db = vmOf(last, Db);
        QVERIFY(db);
        QVERIFY(!db->running);
        QVERIFY(!db->sample.value(VmMetric::CpuPercent)); // shut off: no value, not 0
        // Ticks come in the order they were collected.
        QVERIFY(tickOf(ticks, 0).timeMs <= tickOf(ticks, 1).timeMs);
        QVERIFY(tickOf(ticks, 1).timeMs <= tickOf(ticks, 2).timeMs);

        sampler.forgetDevices(Web);
        sampler.collect();
        QTRY_COMPARE_WITH_TIMEOUT(ticks.size(), 4, 5000);
        QVERIFY(!vmOf(tickOf(ticks, 3), Web)->sample.value(VmMetric::DiskReadBytesPerSec));
        QVERIFY(vmOf(tickOf(ticks, 3), Web)->sample.value(VmMetric::CpuPercent));

        // Closed meanwhile: a tick on its way is dropped, none is asked.
        sampler.collect();
        connection.close();
        sampler.stop();
        QTRY_COMPARE_WITH_TIMEOUT(HelperCalls::runningCount(), 0, 5000); // its answer is posted
        QCoreApplication::processEvents();
        QCOMPARE(ticks.size(), 4);
    }

    // The interval applied is said with whether ticks now come: not before the connection is
    // open, then by the timer, and no more at 0. Out-of-range values are clamped.
    void interval()
    {
        LibvirtConnection connection(m_uri, {}, std::make_shared<CredentialChannel>());
        MetricsSampler sampler(&connection, false, 0);
        QSignalSpy applied(&sampler, &MetricsSampler::intervalApplied);
        QSignalSpy ticks(&sampler, &MetricsSampler::metricsReady);
        sampler.setInterval(1);
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied.last().at(0).toInt(), 1);
        QVERIFY(!applied.last().at(1).toBool()); // not connected yet

        connection.open();
        sampler.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 2, 5000);
        QCOMPARE(tickOf(ticks, 1).intervalMs, 1000);

        sampler.setInterval(90);
        QCOMPARE(applied.last().at(0).toInt(), 60);
        QVERIFY(applied.last().at(1).toBool());
        sampler.setInterval(-5);
        QCOMPARE(applied.last().at(0).toInt(), 0);
        QVERIFY(!applied.last().at(1).toBool());
    }

    // A demo host's first tick comes after the hour before it: 3600 ticks at 1 s, oldest first,
    // each DemoSignal's values at its own time; the live ones carry DemoSignal's values too.
    void demoHistoryFirst()
    {
        LibvirtConnection connection(m_uri, {}, std::make_shared<CredentialChannel>());
        MetricsSampler sampler(&connection, true, 0);
        QSignalSpy ticks(&sampler, &MetricsSampler::metricsReady);
        connection.open();
        sampler.start();
        sampler.collect();
        QTRY_COMPARE_WITH_TIMEOUT(ticks.size(), 3601, 5000);
        const MetricsTick live = tickOf(ticks, 3600);
        QVERIFY(live.demo);
        const qint64 step = live.timeMs / live.intervalMs;
        QCOMPARE(vmOf(live, Web)->sample.value(VmMetric::CpuPercent).value_or(-1),
                 DemoSignal::vmSample(Web, step, 512 * 1024).value(VmMetric::CpuPercent).value_or(-2));
        for (qsizetype i = 0; i < 3600; ++i) {
            const MetricsTick past = tickOf(ticks, i);
            QCOMPARE(past.timeMs, live.timeMs - (3600 - i) * 1000);
            QCOMPARE(past.host.timeMs, past.timeMs);
            QVERIFY(past.demo);
        }
        const MetricsTick first = tickOf(ticks, 0);
        QCOMPARE(vmOf(first, Web)->sample.timeMs, first.timeMs);
        QCOMPARE(vmOf(first, Web)->sample.value(VmMetric::CpuPercent).value_or(-1),
                 DemoSignal::vmSample(Web, first.timeMs / 1000, 512 * 1024).value(VmMetric::CpuPercent).value_or(-2));

        // Once per sampler: the next tick comes alone.
        sampler.collect();
        QTRY_COMPARE_WITH_TIMEOUT(ticks.size(), 3602, 5000);
    }

    // The hour's arithmetic alone, for other intervals.
    void demoHistorySteps_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<qint64>("steps");
        QTest::newRow("1 s") << 1000 << qint64(3600);
        QTest::newRow("7 s") << 7000 << qint64(514);
        QTest::newRow("60 s") << 60000 << qint64(60);
    }

    void demoHistorySteps()
    {
        QFETCH(int, intervalMs);
        QFETCH(qint64, steps);
        MetricsTick first;
        first.hostUri = m_uri;
        first.demo = true;
        first.intervalMs = intervalMs;
        first.timeMs = 1'800'000'000'000;
        first.host.set(HostMetric::MemoryTotalKiB, 16777216);
        QCOMPARE(DemoMetricsHistory::steps(first), steps);
        const MetricsTick oldest = DemoMetricsHistory::before(first, steps);
        QCOMPARE(oldest.timeMs, first.timeMs - steps * intervalMs);
        QVERIFY(first.timeMs - oldest.timeMs <= DemoMetricsHistory::SpanMs);
        QCOMPARE(oldest.host.value(HostMetric::CpuPercent).value_or(-1),
                 DemoSignal::hostSample(m_uri, oldest.timeMs / intervalMs, 16777216).value(HostMetric::CpuPercent).value_or(-2));
    }

private:
    const QString m_uri = NodeUri;
};

QTEST_GUILESS_MAIN(TestMetricsSampler)
#include "tst_metricssampler.moc"
