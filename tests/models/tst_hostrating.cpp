// Host rating while dragging: from an inventory built the way sessions build it and a metrics
// store fed ticks: the roomier, idler host rates higher and says why; a host that cannot take
// the VM rates 0 with the pre-flight's reason; a host taking some of several VMs rates lower.
#include "inventory/inventory.h"
#include "metrics/metricsstore.h"
#include "placement/hostrating.h"
#include "placement/preflight.h"

#include <QTest>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("qemu+unix:///system?socket=/hv1");
const QString Hv2 = QStringLiteral("qemu+unix:///system?socket=/hv2");
const QString Hv3 = QStringLiteral("qemu+unix:///system?socket=/hv3");
const QString Hv4 = QStringLiteral("qemu+unix:///system?socket=/hv4");
constexpr qint64 Now = 1'800'000'000'000;

NetworkInfo ovsNetwork(const QString &host, const QList<int> &tags)
{
    NetworkInfo net;
    net.hostUri = host;
    net.uuid = QStringLiteral("net-") + host;
    net.name = QStringLiteral("lab-ovs");
    net.active = true;
    for (int tag : tags)
        net.portgroups.append({QStringLiteral("vlan%1").arg(tag), {tag}, false});
    return net;
}

VmInfo vm(const QString &host, const QString &uuid, int vcpus, quint64 memoryMiB, const QString &portgroup)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = uuid;
    v.name = uuid;
    v.state = VmState::Running;
    v.vcpus = vcpus;
    v.memoryKiB = memoryMiB * 1024;
    v.maxMemoryKiB = v.memoryKiB;
    NicInfo nic;
    nic.mac = QStringLiteral("52:54:00:00:00:%1").arg(uuid.right(2));
    nic.sourceType = QStringLiteral("network");
    nic.source = QStringLiteral("lab-ovs");
    nic.portgroup = portgroup;
    v.nics.append(nic);
    return v;
}

HostSnapshot host(const QString &uri, int cpus, quint64 memoryMiB, const QList<int> &vlans, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1);
    s.host.hypervisorType = QStringLiteral("QEMU");
    s.host.cpus = cpus;
    s.host.memoryKiB = memoryMiB * 1024;
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    s.networks = {ovsNetwork(uri, vlans)};
    return s;
}

// A minute of one-second ticks of host CPU at PERCENT, ending at Now.
void feedLoad(MetricsStore &store, const QString &uri, double percent)
{
    for (int s = 60; s >= 0; --s) {
        MetricsTick tick;
        tick.hostUri = uri;
        tick.timeMs = Now - s * 1000;
        tick.host.timeMs = tick.timeMs;
        tick.host.set(HostMetric::CpuPercent, percent);
        store.appendTick(tick);
    }
}

} // namespace

class tst_HostRating : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    Preflight m_preflight{&m_inventory};
    MetricsStore m_metrics;

private Q_SLOTS:
    void initTestCase()
    {
        // web-1 (2 vCPUs, 4 GiB, VLAN 100) and db-1 (8 vCPUs, 24 GiB, VLAN 200) on hv1.
        m_inventory.applySnapshot(host(Hv1, 16, 64 * 1024, {100, 200},
                                       {vm(Hv1, QStringLiteral("web-01"), 2, 4096, QStringLiteral("vlan100")),
                                        vm(Hv1, QStringLiteral("db-02"), 8, 24 * 1024, QStringLiteral("vlan200"))}));
        // hv2: roomy and idle. hv3: the same size, busy and already full of vCPUs.
        m_inventory.applySnapshot(host(Hv2, 16, 64 * 1024, {100, 200}, {}));
        m_inventory.applySnapshot(host(Hv3, 16, 64 * 1024, {100, 200},
                                       {vm(Hv3, QStringLiteral("big-03"), 14, 32 * 1024, QStringLiteral("vlan100"))}));
        // hv4: small, VLAN 100 only.
        m_inventory.applySnapshot(host(Hv4, 4, 8 * 1024, {100}, {}));
        // hv1's CPU compared on every other host, as sessions do: compatible.
        for (const QString &uri : {Hv2, Hv3, Hv4})
            m_inventory.setCpuCheck(uri, Hv1, CpuCheck{});
        feedLoad(m_metrics, Hv2, 10);
        feedLoad(m_metrics, Hv3, 85);
    }

    void roomyIdleHostRatesHigher()
    {
        const HostRater rater(&m_preflight, &m_metrics);
        const QList<VmKey> web{{Hv1, QStringLiteral("web-01")}};
        const HostRating idle = rater.rate(web, Hv2, Now);
        const HostRating busy = rater.rate(web, Hv3, Now);
        QVERIFY(idle.canTake() && busy.canTake());
        QCOMPARE(idle.accepted, 1);
        QVERIFY2(idle.score > busy.score, qPrintable(QStringLiteral("%1 vs %2").arg(idle.score).arg(busy.score)));
        QVERIFY(idle.score >= 80 && idle.score <= 100);
        // The reason in words: room after the move, load, VLANs, CPU.
        QVERIFY2(idle.reason.contains(QLatin1String("60 GiB of 64 GiB free")), qPrintable(idle.reason));
        QVERIFY2(idle.reason.contains(QLatin1String("2/16 vCPUs")), qPrintable(idle.reason));
        QVERIFY2(idle.reason.contains(QLatin1String("CPU load 10 %")), qPrintable(idle.reason));
        QVERIFY2(idle.reason.contains(QLatin1String("100 present.")), qPrintable(idle.reason));
        QVERIFY2(idle.reason.contains(QLatin1String("CPU compatible")), qPrintable(idle.reason));
        QVERIFY2(busy.reason.contains(QLatin1String("16/16 vCPUs")), qPrintable(busy.reason));
        QVERIFY2(busy.reason.contains(QLatin1String("CPU load 85 %")), qPrintable(busy.reason));
    }

    void refusedHostRatesZero()
    {
        const HostRater rater(&m_preflight, &m_metrics);
        // db-1 needs VLAN 200 and 24 GiB: hv4 has neither. Its own host refuses it too.
        const HostRating small = rater.rate({{Hv1, QStringLiteral("db-02")}}, Hv4, Now);
        QVERIFY(!small.canTake());
        QCOMPARE(small.score, 0);
        QVERIFY2(!small.reason.isEmpty(), qPrintable(small.reason));
        QCOMPARE(rater.rate({{Hv1, QStringLiteral("db-02")}}, Hv1, Now).score, 0);
    }

    void overcommitAndUnknownLoadAreSaid()
    {
        const HostRater rater(&m_preflight, &m_metrics);
        // db-1's 8 vCPUs on hv3 (14 committed of 16): over-committed.
        const HostRating over = rater.rate({{Hv1, QStringLiteral("db-02")}}, Hv3, Now);
        QVERIFY2(over.reason.contains(QLatin1String("22/16 vCPUs committed (over-committed)")), qPrintable(over.reason));
        // No figures for hv4: said so, and scored as half busy.
        const HostRating unknown = rater.rate({{Hv1, QStringLiteral("web-01")}}, Hv4, Now);
        QVERIFY2(unknown.reason.contains(QLatin1String("No recent load figures")), qPrintable(unknown.reason));
        // Figures older than the window do not count.
        HostRater shortWindow(&m_preflight, &m_metrics);
        shortWindow.setLoadWindowMs(60'000);
        QVERIFY(!shortWindow.rate({{Hv1, QStringLiteral("web-01")}}, Hv2, Now + 120'000).reason.contains(QLatin1String("CPU load")));
        // Without a metrics store at all, too.
        QVERIFY(HostRater(&m_preflight).rate({{Hv1, QStringLiteral("web-01")}}, Hv2, Now).reason.contains(QLatin1String("No recent")));
    }

    // Several VMs: a host that takes only some of them rates lower and names the refused one.
    void severalVmsAndBestFirst()
    {
        const HostRater rater(&m_preflight, &m_metrics);
        const QList<VmKey> both{{Hv1, QStringLiteral("web-01")}, {Hv1, QStringLiteral("db-02")}};
        const HostRating partial = rater.rate(both, Hv4, Now);
        QCOMPARE(partial.accepted, 1);
        QCOMPARE(partial.total, 2);
        QVERIFY2(partial.reason.contains(QLatin1String("Takes 1 of 2 VMs; db-02:")), qPrintable(partial.reason));
        const QList<HostRating> all = rater.rateAll(both, Now);
        QCOMPARE(all.size(), 4);
        QCOMPARE(all.first().hostUri, Hv2);
        QVERIFY(all.first().score > all.at(1).score);
        QCOMPARE(all.last().hostUri, Hv1); // their own host takes none
        QCOMPARE(all.last().score, 0);
        for (const HostRating &rating : all)
            QVERIFY(rating.score >= 0 && rating.score <= 100);
    }
};

QTEST_GUILESS_MAIN(tst_HostRating)
#include "tst_hostrating.moc"
