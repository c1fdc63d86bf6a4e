// Metrics through the real path: a HypervisorWorker on its thread polling libvirt's test driver
// (no usable bulk stats there, so the per-domain fallback), ticks through the session and the
// SessionManager into the MetricsStore; demo hosts show the synthetic signal.
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "metrics/metricsstore.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString Web = u"1b4e28ba-2fa1-11d2-883f-0016d3cca427"_s; // running
const QString Db = u"1b4e28ba-2fa1-11d2-883f-0016d3cca428"_s;  // shut off

QString writeNode(const QTemporaryDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"(<node>
  <domain type='test'>
    <name>web-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
    <memory unit='MiB'>512</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/var/lib/web-1.img'/><target dev='vda' bus='virtio'/></disk>
      <interface type='user'><mac address='52:54:00:00:00:01'/></interface>
    </devices>
  </domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>db-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca428</uuid>
    <memory unit='GiB'>4</memory>
    <vcpu>4</vcpu>
    <os><type>hvm</type></os>
    <test:runstate>5</test:runstate>
  </domain>
  <cpu><mhz>2400</mhz><model>TestCPU</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>16777216</memory>
</node>
)");
    return u"test://"_s + path;
}

} // namespace

class TestMetricsCollection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_uri = writeNode(m_dir, u"hv-metrics.xml"_s);
        QVERIFY(!m_uri.isEmpty());
    }

    void sessionTicks()
    {
        HypervisorWorker::Options options;
        options.metricsIntervalS = 1;
        HypervisorSession session(m_uri, false, options);
        QSignalSpy ticks(&session, &HypervisorSession::metricsReady);
        session.open();
        QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 2, 8000);
        const MetricsTick tick = ticks.last().first().value<MetricsTick>();
        QCOMPARE(tick.hostUri, m_uri);
        QVERIFY(!tick.demo);
        QCOMPARE(tick.intervalMs, 1000);
        QCOMPARE(tick.vms.size(), 2);
        for (const VmSampleUpdate &vm : tick.vms) {
            if (vm.uuid == Web) {
                // Measured through virDomainGetInfo and the interface and block calls: the test
                // driver's counters follow the clock, so rates exist.
                QVERIFY(vm.sample.value(VmMetric::CpuPercent));
                QCOMPARE(vm.sample.value(VmMetric::MemoryAvailableKiB).value_or(0), 512.0 * 1024);
                QVERIFY(!vm.staleSinceMs);
            } else {
                QCOMPARE(vm.uuid, Db);
                QVERIFY(!vm.sample.value(VmMetric::CpuPercent)); // shut off: no value, not 0
            }
        }
        QVERIFY(tick.host.value(HostMetric::MemoryTotalKiB));
        QVERIFY(std::abs(tick.timeMs - QDateTime::currentMSecsSinceEpoch()) < 5000);

        // Stopping collection stops the worker's timer: told once applied, after every tick it
        // sent before; starting it again brings ticks back.
        QSignalSpy applied(&session, &HypervisorSession::metricsIntervalApplied);
        session.setMetricsInterval(0);
        QVERIFY(applied.wait(5000));
        QCOMPARE(applied.last().at(0).toInt(), 0);
        QVERIFY(!applied.last().at(1).toBool());
        const qsizetype count = ticks.size();
        session.setMetricsInterval(1);
        QVERIFY(applied.wait(5000));
        QVERIFY(applied.last().at(1).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(ticks.size() > count, 5000);
    }

    void managerFeedsTheStore_data()
    {
        QTest::addColumn<bool>("demo");
        QTest::newRow("test driver") << false;
        QTest::newRow("demo: synthetic signal") << true;
    }

    void managerFeedsTheStore()
    {
        QFETCH(bool, demo);
        Inventory inventory;
        MetricsStore store;
        SessionManager manager(&inventory);
        manager.setMetricsStore(&store);
        manager.setMetricsInterval(1);
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        QVERIFY(manager.addConnection(m_uri, demo));
        const VmKey web{m_uri, Web};
        QTRY_VERIFY_WITH_TIMEOUT(appended.size() >= 4, 10000);
        QVERIFY(store.sampleCount(web) >= 4);
        QCOMPARE(appended.last().first().toStringList(), QStringList{m_uri});
        QCOMPARE(store.isDemo(m_uri), demo);
        QVERIFY(store.hasVm({m_uri, Db}));
        QVERIFY(!store.latestValue({m_uri, Db}, VmMetric::CpuPercent));
        // The demo's past hour comes first, 3600 ticks at once: the live ones follow it.
        QTRY_VERIFY_WITH_TIMEOUT(!store.staleSince(web, QDateTime::currentMSecsSinceEpoch()), 5000);

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const MetricSeries cpu = store.series(web, VmMetric::CpuPercent, now - 60000, now);
        QVERIFY(cpu.size() >= 4);
        if (demo) {
            // A demo host shows the hour before it was opened, at once and in time order.
            QVERIFY2(cpu.size() >= 60, qPrintable(QString::number(cpu.size())));
            QVERIFY(std::is_sorted(cpu.keys.cbegin(), cpu.keys.cend()));
            QVERIFY(store.series(web, VmMetric::CpuPercent, now - 3'600'000, now - 3'000'000).size() >= 590);
            // Lively: the demo signal moves where the test driver's figures are flat.
            const MetricStats stats = store.stats(web, VmMetric::NetRxBytesPerSec, now - 60000, now);
            QVERIFY(stats.count >= 3);
            QStringList values;
            for (double v : store.series(web, VmMetric::NetRxBytesPerSec, now - 60000, now).values)
                values.append(QString::number(v));
            QVERIFY2(stats.max > stats.min, qPrintable(values.join(u' ')));
            QVERIFY(store.latestValue(web, VmMetric::DiskWriteBytesPerSec));
            QVERIFY(store.latestHostValue(m_uri, HostMetric::CpuPercent));
        }

        // Leaving the host drops its history.
        manager.removeConnection(m_uri);
        QVERIFY(!store.hasVm(web));
        QCOMPARE(store.hostSampleCount(m_uri), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_uri;
};

QTEST_GUILESS_MAIN(TestMetricsCollection)
#include "tst_metricscollection.moc"
