// Metrics against real libvirt + QEMU hosts (label "lab"): a working guest's figures are
// non-zero and move; a guest whose QEMU is frozen (SIGSTOP) is marked stale while the others,
// on its own host too, keep updating. The node's counters come in one call each once counted.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/statscollector.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "metrics/metricsstore.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QTest>

#include <libvirt/libvirt.h>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

class TestMetricsLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_manager.setMetricsStore(&m_store);
        m_manager.setMetricsInterval(1);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_manager.addConnection(host.uri));
        QTRY_VERIFY_WITH_TIMEOUT(m_manager.isSettled(), 60000);
        for (const LabGuest &guest : m_lab.guests()) {
            if (guest.running)
                QTRY_VERIFY2_WITH_TIMEOUT(key(guest.name).isValid(), qPrintable(guest.name), 30000);
        }
    }

    // A tick asks the node's CPU and memory counters in one call each once their counts are
    // known (libvirt wants the count first, in a call of its own): the same figures either way,
    // and a count that no longer fits is asked again.
    void nodeStatsInOneCallEach()
    {
        const LabHost host = m_lab.hosts().first();
        virConnectPtr conn = virConnectOpen(host.uri.toUtf8().constData());
        QVERIFY(conn);
        const auto closing = qScopeGuard([conn] { virConnectClose(conn); });
        const RawStatsBatch first = StatsCollector::collect(conn, false, {});
        QVERIFY2(first.ok, qPrintable(first.error));
        QVERIFY(first.nodeShape.cpuParams > 0);
        QVERIFY(first.nodeShape.memoryParams > 0);
        QVERIFY(first.host.cpuTotalNs && first.host.memoryFreeKiB && first.host.memoryTotalKiB);
        const RawStatsBatch known = StatsCollector::collect(conn, false, {}, first.nodeShape);
        QCOMPARE(known.nodeShape.cpuParams, first.nodeShape.cpuParams);
        QCOMPARE(known.nodeShape.memoryParams, first.nodeShape.memoryParams);
        QVERIFY(known.host.cpuTotalNs && *known.host.cpuTotalNs >= *first.host.cpuTotalNs);
        QCOMPARE(known.host.memoryTotalKiB, first.host.memoryTotalKiB);
        QVERIFY(known.host.memoryFreeKiB);
        NodeStatsShape wrong = first.nodeShape;
        wrong.cpuParams += 3;
        wrong.memoryParams = 1;
        const RawStatsBatch mended = StatsCollector::collect(conn, false, {}, wrong);
        QCOMPARE(mended.nodeShape.cpuParams, first.nodeShape.cpuParams);
        QCOMPARE(mended.nodeShape.memoryParams, first.nodeShape.memoryParams);
        QVERIFY(mended.host.cpuTotalNs && mended.host.memoryFreeKiB);
        qInfo("node stats: %d CPU and %d memory counters", first.nodeShape.cpuParams, first.nodeShape.memoryParams);
    }

    void workingGuestMoves()
    {
        const VmKey app = key(u"app-1"_s);
        QVERIFY(app.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(m_store.sampleCount(app) >= 6, 30000);
        const auto recent = [this, app](VmMetric metric) {
            return m_store.stats(app, metric, now() - 20000, now());
        };
        // A lab that just came up boots its guests first: load and pings start a little later.
        QTRY_VERIFY_WITH_TIMEOUT(recent(VmMetric::CpuPercent).max > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(recent(VmMetric::CpuPercent).max > recent(VmMetric::CpuPercent).min, 30000);
        QVERIFY2(recent(VmMetric::CpuPercent).count >= 4, qPrintable(QString::number(recent(VmMetric::CpuPercent).count)));
        // It pings its peers: traffic both ways.
        QTRY_VERIFY_WITH_TIMEOUT(recent(VmMetric::NetRxPacketsPerSec).max > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(recent(VmMetric::NetTxBytesPerSec).max > 0, 30000);
        QVERIFY(m_store.latestValue(app, VmMetric::MemoryRssKiB).value_or(0) > 0);
        QVERIFY(m_store.latestValue(app, VmMetric::MemoryAvailableKiB).value_or(0) > 0);
        QVERIFY(!m_store.staleSince(app, now()));
        QVERIFY(!m_store.isDemo(app.hostUri));

        const QString host = app.hostUri;
        QVERIFY(m_store.latestHostValue(host, HostMetric::MemoryUsedKiB).value_or(0) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_store.latestHostValue(host, HostMetric::CpuPercent).value_or(0) > 0, 10000);

        // A db guest reads and writes its disk every few seconds once booted.
        const LabGuest db = guestNamed(u"db-1"_s);
        if (!db.name.isEmpty()) {
            const VmKey dbKey = key(db.name);
            const auto diskBusy = [this, dbKey] {
                return m_store.stats(dbKey, VmMetric::DiskWriteIops, now() - 60000, now()).max > 0
                    || m_store.stats(dbKey, VmMetric::DiskReadIops, now() - 60000, now()).max > 0;
            };
            QTRY_VERIFY_WITH_TIMEOUT(diskBusy(), 90000);
        }
    }

    void frozenGuestIsStale()
    {
        const VmKey web = key(u"web-2"_s);
        QVERIFY(web.isValid());
        const QString hostName = guestNamed(u"web-2"_s).host;
        QVERIFY(!hostName.isEmpty());
        // A neighbour on the same host, and a guest on another host.
        VmKey neighbour;
        VmKey elsewhere;
        for (const LabGuest &guest : m_lab.guests()) {
            if (!guest.running || guest.name == u"web-2"_s)
                continue;
            if (guest.host == hostName && !neighbour.isValid())
                neighbour = key(guest.name);
            else if (guest.host != hostName && !elsewhere.isValid())
                elsewhere = key(guest.name);
        }
        QVERIFY(neighbour.isValid());
        QVERIFY(elsewhere.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(m_store.sampleCount(web) >= 3, 20000);
        QVERIFY(!m_store.staleSince(web, now()));

        const QString pidFile = u"/run/libvirt/qemu/web-2.pid"_s;
        const LabEnvironment::Result stop = LabEnvironment::lab(
            {u"exec"_s, hostName, u"sh"_s, u"-c"_s, u"kill -STOP $(cat %1)"_s.arg(pidFile)});
        QVERIFY2(stop.ok(), qPrintable(stop.err));
        const qint64 frozenAt = now();
        auto resume = qScopeGuard([&] {
            (void)LabEnvironment::lab({u"exec"_s, hostName, u"sh"_s, u"-c"_s, u"kill -CONT $(cat %1)"_s.arg(pidFile)});
        });

        QTRY_VERIFY_WITH_TIMEOUT(m_store.staleSince(web, now()).has_value(), 20000);
        const qint64 since = *m_store.staleSince(web, now());
        QVERIFY2(since <= frozenAt + 1500, qPrintable(u"stale since %1 ms after the freeze"_s.arg(since - frozenAt)));
        QVERIFY(since >= frozenAt - 5000);

        // The others keep updating meanwhile, its host neighbour included.
        const qsizetype neighbourBefore = m_store.sampleCount(neighbour);
        const qsizetype elsewhereBefore = m_store.sampleCount(elsewhere);
        QTRY_VERIFY2_WITH_TIMEOUT(m_store.sampleCount(neighbour) >= std::min<qsizetype>(neighbourBefore + 2, m_store.capacity()),
                                  qPrintable(u"%1 -> %2"_s.arg(neighbourBefore).arg(m_store.sampleCount(neighbour))), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_store.sampleCount(elsewhere) >= std::min<qsizetype>(elsewhereBefore + 2, m_store.capacity()), 10000);
        QVERIFY(m_store.staleSince(web, now()).has_value());
        QVERIFY(!m_store.staleSince(neighbour, now()));
        QVERIFY(!m_store.staleSince(elsewhere, now()));
        QVERIFY(m_store.latestValue(neighbour, VmMetric::CpuPercent).has_value());

        resume.dismiss();
        const LabEnvironment::Result cont = LabEnvironment::lab(
            {u"exec"_s, hostName, u"sh"_s, u"-c"_s, u"kill -CONT $(cat %1)"_s.arg(pidFile)});
        QVERIFY2(cont.ok(), qPrintable(cont.err));
        QTRY_VERIFY_WITH_TIMEOUT(!m_store.staleSince(web, now()).has_value(), 30000);
    }

private:
    [[nodiscard]] VmKey key(const QString &name) const
    {
        for (const VmKey &k : m_inventory.vmKeys()) {
            if (m_inventory.vm(k).name == name)
                return k;
        }
        return {};
    }
    [[nodiscard]] LabGuest guestNamed(const QString &name) const
    {
        for (const LabGuest &guest : m_lab.guests()) {
            if (guest.running && guest.name == name)
                return guest;
        }
        return {};
    }

    LabEnvironment m_lab;
    Inventory m_inventory;
    MetricsStore m_store;
    SessionManager m_manager{&m_inventory};
};

QTEST_GUILESS_MAIN(TestMetricsLab)
#include "tst_metricslab.moc"
