// Evacuation plans from an inventory built from snapshots: every VM placed where it fits and its
// VLANs exist, biggest first, memory promised to earlier moves counted; what cannot move says why.
#include "inventory/inventory.h"
#include "placement/evacuationplan.h"
#include "placement/preflight.h"

#include <QTest>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("test:///hv1.xml");
const QString Hv2 = QStringLiteral("test:///hv2.xml");
const QString Hv3 = QStringLiteral("test:///hv3.xml");

VmInfo vm(const QString &host, const QString &name, quint64 memoryMiB, int vlan, VmState state = VmState::Running)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = name;
    v.name = name;
    v.state = state;
    v.vcpus = 2;
    v.memoryKiB = memoryMiB * 1024;
    v.maxMemoryKiB = v.memoryKiB;
    NicInfo nic;
    nic.mac = QStringLiteral("52:54:00:00:00:01");
    nic.sourceType = QStringLiteral("network");
    nic.source = QStringLiteral("lab-ovs");
    nic.portgroup = QStringLiteral("vlan%1").arg(vlan);
    v.nics.append(nic);
    return v;
}

HostSnapshot host(const QString &uri, quint64 memoryMiB, const QList<int> &vlans, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1);
    s.host.hypervisorType = QStringLiteral("QEMU");
    s.host.cpus = 16;
    s.host.memoryKiB = memoryMiB * 1024;
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    NetworkInfo net;
    net.hostUri = uri;
    net.uuid = QStringLiteral("net-") + uri;
    net.name = QStringLiteral("lab-ovs");
    net.active = true;
    for (int tag : vlans)
        net.portgroups.append({QStringLiteral("vlan%1").arg(tag), {tag}, false});
    s.networks = {net};
    return s;
}

QString destOf(const EvacuationPlan &plan, const QString &name)
{
    for (const EvacuationPlan::Move &move : plan.moves) {
        if (move.vm.uuid == name)
            return move.destUri;
    }
    return {};
}

} // namespace

class tst_EvacuationPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placesEveryVm()
    {
        Inventory inventory;
        // hv1 holds three VMs; hv2 is big but lacks VLAN 300; hv3 is small but has every VLAN.
        inventory.applySnapshot(host(Hv1, 16384, {100, 200, 300},
                                     {vm(Hv1, QStringLiteral("big"), 6144, 100), vm(Hv1, QStringLiteral("mid"), 3072, 200),
                                      vm(Hv1, QStringLiteral("back"), 1024, 300)}));
        inventory.applySnapshot(host(Hv2, 8192, {100, 200}, {}));
        inventory.applySnapshot(host(Hv3, 4096, {100, 200, 300}, {}));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(plan.isComplete());
        QCOMPARE(plan.moves.size(), 3);
        // Biggest first.
        QCOMPARE(plan.moves.first().vm.uuid, QStringLiteral("big"));
        QCOMPARE(destOf(plan, QStringLiteral("big")), Hv2);    // 6 GiB only fits on hv2
        QCOMPARE(destOf(plan, QStringLiteral("mid")), Hv3);    // hv2 has 2 GiB left once big is there
        QCOMPARE(destOf(plan, QStringLiteral("back")), Hv3);   // VLAN 300 only on hv3
    }

    void saysWhatCannotMove()
    {
        Inventory inventory;
        inventory.applySnapshot(host(Hv1, 16384, {100, 300},
                                     {vm(Hv1, QStringLiteral("huge"), 12288, 100), vm(Hv1, QStringLiteral("off"), 12288, 100, VmState::Shutoff),
                                      vm(Hv1, QStringLiteral("back"), 512, 300)}));
        inventory.applySnapshot(host(Hv2, 8192, {100}, {}));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(!plan.isComplete());
        // A VM that is off needs no memory at the destination.
        QCOMPARE(destOf(plan, QStringLiteral("off")), Hv2);
        QCOMPARE(plan.unplaced.size(), 2);
        for (const EvacuationPlan::Unplaced &unplaced : plan.unplaced)
            QVERIFY2(!unplaced.reason.isEmpty(), qPrintable(unplaced.vm.uuid));

        // A host in maintenance takes nothing.
        preflight.setMaintenance({Hv2});
        const EvacuationPlan blocked = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(blocked.moves.isEmpty());
        QCOMPARE(blocked.unplaced.size(), 3);
        QVERIFY(blocked.unplaced.first().reason.contains(QStringLiteral("maintenance")));
    }
};

QTEST_GUILESS_MAIN(tst_EvacuationPlan)
#include "tst_evacuationplan.moc"
