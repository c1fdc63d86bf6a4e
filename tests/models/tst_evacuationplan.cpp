// Evacuation plans from an inventory built from snapshots: every VM placed where it fits and its
// VLANs exist, biggest first, memory promised to earlier moves counted; what cannot move says why.
// The site (from the host's name) is kept when a host of it can take the VM, and a move to
// another site says so; VMs of one tier are spread, and a move that cannot avoid sharing says
// so; a destination changed by hand is reviewed against the other moves.
#include "inventory/inventory.h"
#include "placement/evacuationplan.h"
#include "placement/preflight.h"

#include <QSet>
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

// A host named NAME (its site is read from the name).
HostSnapshot named(HostSnapshot snapshot, const QString &name)
{
    snapshot.host.displayName = name;
    return snapshot;
}

VmInfo inTenant(VmInfo v, const QString &tenant)
{
    v.tenant = tenant;
    return v;
}

QString destOf(const EvacuationPlan &plan, const QString &name)
{
    for (const EvacuationPlan::Move &move : plan.moves) {
        if (move.vm.uuid == name)
            return move.destUri;
    }
    return {};
}

const EvacuationPlan::Move *moveOf(const EvacuationPlan &plan, const QString &name)
{
    for (const EvacuationPlan::Move &move : plan.moves) {
        if (move.vm.uuid == name)
            return &move;
    }
    return nullptr;
}

const QString Hv4 = QStringLiteral("test:///hv4.xml");

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
        inventory.setMaintenance(Hv2, true);
        const EvacuationPlan blocked = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(blocked.moves.isEmpty());
        QCOMPARE(blocked.unplaced.size(), 3);
        QVERIFY(blocked.unplaced.first().reason.contains(QStringLiteral("maintenance")));
    }

    void siteOf_data()
    {
        QTest::addColumn<QString>("hostName");
        QTest::addColumn<QString>("site");
        QTest::newRow("site-host") << QStringLiteral("par-hv01") << QStringLiteral("par");
        QTest::newRow("fqdn") << QStringLiteral("lyo-hv01.example.org") << QStringLiteral("lyo");
        QTest::newRow("upper case") << QStringLiteral("PAR-HV02") << QStringLiteral("par");
        QTest::newRow("several dashes") << QStringLiteral("par-rack2-hv07") << QStringLiteral("par");
        QTest::newRow("no dash") << QStringLiteral("hypervisor1") << QString();
        QTest::newRow("dash in the domain only") << QStringLiteral("hv1.par-dc.example.org") << QString();
        QTest::newRow("leading dash") << QStringLiteral("-hv01") << QString();
        QTest::newRow("trailing dash") << QStringLiteral("par-") << QString();
        QTest::newRow("address") << QStringLiteral("192.0.2.10") << QString();
        QTest::newRow("test driver file") << QStringLiteral("hv1.xml") << QString();
        QTest::newRow("empty") << QString() << QString();
    }
    void siteOf()
    {
        QFETCH(QString, hostName);
        QFETCH(QString, site);
        QCOMPARE(EvacuationPlan::siteOf(hostName), site);
    }

    void tierOf_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("novaName");
        QTest::addColumn<QStringList>("tags");
        QTest::addColumn<QString>("tier");
        QTest::newRow("numbered") << QStringLiteral("web-front-01") << QString() << QStringList() << QStringLiteral("web-front");
        QTest::newRow("glued number") << QStringLiteral("ad-dc02") << QString() << QStringList() << QStringLiteral("ad-dc");
        QTest::newRow("underscore") << QStringLiteral("cache_3") << QString() << QStringList() << QStringLiteral("cache");
        QTest::newRow("no number") << QStringLiteral("pg-primary") << QString() << QStringList() << QString();
        QTest::newRow("number inside") << QStringLiteral("k8s-master") << QString() << QStringList() << QString();
        QTest::newRow("only digits") << QStringLiteral("0042") << QString() << QStringList() << QString();
        QTest::newRow("nova name") << QStringLiteral("instance-00000044") << QStringLiteral("k8s-worker-03") << QStringList()
                                   << QStringLiteral("k8s-worker");
        QTest::newRow("nova name without number") << QStringLiteral("instance-00000045") << QStringLiteral("nova-pg")
                                                  << QStringList() << QString();
        QTest::newRow("group tag") << QStringLiteral("pg-primary") << QString()
                                   << QStringList{QStringLiteral("db"), QStringLiteral("group.pg")} << QStringLiteral("pg");
        QTest::newRow("group tag over the name") << QStringLiteral("web-front-01") << QString()
                                                 << QStringList{QStringLiteral("group.web")} << QStringLiteral("web");
        QTest::newRow("empty group tag") << QStringLiteral("pg-primary") << QString() << QStringList{QStringLiteral("group.")}
                                         << QString();
        QTest::newRow("other tags") << QStringLiteral("erp-app") << QString() << QStringList{QStringLiteral("grouped")} << QString();
    }
    void tierOf()
    {
        QFETCH(QString, name);
        QFETCH(QString, novaName);
        QFETCH(QStringList, tags);
        QFETCH(QString, tier);
        VmInfo v = vm(Hv1, name, 1024, 100);
        v.displayName = novaName;
        v.tags = tags;
        QCOMPARE(EvacuationPlan::tierOf(v), tier);
    }

    // Two hosts of the source's site and one of another, the biggest and emptiest: the plan
    // stays on the site while the site can take the VMs, and says nothing about sites then.
    void keepsTheSite()
    {
        Inventory inventory;
        inventory.applySnapshot(named(host(Hv1, 16384, {100}, {vm(Hv1, QStringLiteral("app"), 2048, 100),
                                                                vm(Hv1, QStringLiteral("db"), 4096, 100)}),
                                      QStringLiteral("par-hv01")));
        inventory.applySnapshot(named(host(Hv2, 8192, {100}, {}), QStringLiteral("par-hv02")));
        inventory.applySnapshot(named(host(Hv3, 65536, {100}, {}), QStringLiteral("lyo-hv01")));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(plan.isComplete());
        QVERIFY(plan.fits());
        QCOMPARE(plan.site, QStringLiteral("par"));
        QCOMPARE(destOf(plan, QStringLiteral("db")), Hv2);
        QCOMPARE(destOf(plan, QStringLiteral("app")), Hv2);
        for (const EvacuationPlan::Move &move : plan.moves) {
            QVERIFY2(move.notes.isEmpty(), qPrintable(move.notes.join(u'|')));
            // The other site stays a choice for the operator.
            QCOMPARE(move.candidates, (QStringList{Hv2, Hv3}));
        }

        // Without sites in the names, the emptiest host wins as before.
        Inventory anonymous;
        anonymous.applySnapshot(host(Hv1, 16384, {100}, {vm(Hv1, QStringLiteral("app"), 2048, 100)}));
        anonymous.applySnapshot(host(Hv2, 8192, {100}, {}));
        anonymous.applySnapshot(host(Hv3, 65536, {100}, {}));
        Preflight anonymousPreflight(&anonymous);
        QCOMPARE(destOf(EvacuationPlan::make(anonymous, anonymousPreflight, Hv1), QStringLiteral("app")), Hv3);
    }

    // The site's other host is full: the VM goes to the other site, and the move says what that
    // means for a running VM (memory, and disks if copied) and for one that is off.
    void crossesTheSiteWhenItMust_data()
    {
        QTest::addColumn<VmState>("state");
        QTest::addColumn<QString>("says");
        QTest::newRow("running") << VmState::Running << QStringLiteral("disks, in full, if they are copied");
        QTest::newRow("off") << VmState::Shutoff << QStringLiteral("its disks must be reachable from lyo-hv01");
    }
    void crossesTheSiteWhenItMust()
    {
        QFETCH(VmState, state);
        QFETCH(QString, says);
        Inventory inventory;
        // par-hv02 has VLAN 100 only: "back" (VLAN 300) cannot stay in Paris. "front" can.
        inventory.applySnapshot(named(host(Hv1, 16384, {100, 300}, {vm(Hv1, QStringLiteral("back"), 2048, 300, state),
                                                                     vm(Hv1, QStringLiteral("front"), 1024, 100)}),
                                      QStringLiteral("par-hv01")));
        inventory.applySnapshot(named(host(Hv2, 8192, {100}, {}), QStringLiteral("par-hv02")));
        inventory.applySnapshot(named(host(Hv3, 8192, {100, 300}, {}), QStringLiteral("lyo-hv01")));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(plan.isComplete());
        QCOMPARE(destOf(plan, QStringLiteral("front")), Hv2);
        QVERIFY(moveOf(plan, QStringLiteral("front"))->notes.isEmpty());
        const EvacuationPlan::Move *back = moveOf(plan, QStringLiteral("back"));
        QVERIFY(back);
        QCOMPARE(back->destUri, Hv3);
        QCOMPARE(back->notes.size(), 1);
        const QString note = back->notes.first();
        QVERIFY2(note.startsWith(QStringLiteral("lyo-hv01 is on another site (lyo) than par-hv01 (par)")), qPrintable(note));
        QVERIFY2(note.contains(says), qPrintable(note));
        QVERIFY2(note.contains(QStringLiteral("No host of par can take it.")), qPrintable(note));
        // A note, not a problem: the move may go.
        QVERIFY(plan.fits());

        // The operator sends "front" to Lyon too: that note without the planner's excuse.
        EvacuationPlan edited = plan;
        for (EvacuationPlan::Move &move : edited.moves) {
            if (move.vm.uuid == QLatin1String("front"))
                move.destUri = Hv3;
        }
        edited.review();
        const QStringList frontNotes = moveOf(edited, QStringLiteral("front"))->notes;
        QCOMPARE(frontNotes.size(), 1);
        QVERIFY(frontNotes.first().contains(QStringLiteral("another site")));
        QVERIFY(!frontNotes.first().contains(QStringLiteral("No host of par")));
    }

    // The report's case: web-front-01 leaves par-hv01 while web-front-02 and -03 run on par-hv02
    // and par-hv03; par-hv04, the smallest, is the only host without a web front: it goes there.
    // Three web fronts on the host emptied go to three hosts.
    void spreadsATier()
    {
        const QString acme = QStringLiteral("acme");
        Inventory inventory;
        inventory.applySnapshot(named(host(Hv1, 65536, {100}, {inTenant(vm(Hv1, QStringLiteral("web-front-01"), 4096, 100), acme)}),
                                      QStringLiteral("par-hv01")));
        inventory.applySnapshot(named(host(Hv2, 65536, {100}, {inTenant(vm(Hv2, QStringLiteral("web-front-02"), 4096, 100), acme)}),
                                      QStringLiteral("par-hv02")));
        inventory.applySnapshot(named(host(Hv3, 65536, {100}, {inTenant(vm(Hv3, QStringLiteral("web-front-03"), 4096, 100), acme)}),
                                      QStringLiteral("par-hv03")));
        inventory.applySnapshot(named(host(Hv4, 16384, {100}, {}), QStringLiteral("par-hv04")));
        Preflight preflight(&inventory);
        EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QCOMPARE(destOf(plan, QStringLiteral("web-front-01")), Hv4);
        QVERIFY(plan.moves.first().notes.isEmpty());

        // A web front of another tenant is another service: it does not count.
        Inventory tenants;
        tenants.applySnapshot(named(host(Hv1, 65536, {100}, {inTenant(vm(Hv1, QStringLiteral("web-front-01"), 4096, 100), acme)}),
                                    QStringLiteral("par-hv01")));
        tenants.applySnapshot(named(host(Hv2, 65536, {100}, {inTenant(vm(Hv2, QStringLiteral("web-front-02"), 4096, 100),
                                                                      QStringLiteral("globex"))}),
                                    QStringLiteral("par-hv02")));
        tenants.applySnapshot(named(host(Hv4, 16384, {100}, {}), QStringLiteral("par-hv04")));
        Preflight tenantsPreflight(&tenants);
        QCOMPARE(destOf(EvacuationPlan::make(tenants, tenantsPreflight, Hv1), QStringLiteral("web-front-01")), Hv2);

        // Three of the tier on the host emptied, three hosts: one each, though hv2 has the most room.
        Inventory three;
        three.applySnapshot(named(host(Hv1, 65536, {100}, {inTenant(vm(Hv1, QStringLiteral("web-front-01"), 4096, 100), acme),
                                                           inTenant(vm(Hv1, QStringLiteral("web-front-02"), 4096, 100), acme),
                                                           inTenant(vm(Hv1, QStringLiteral("web-front-03"), 4096, 100), acme)}),
                                  QStringLiteral("par-hv01")));
        three.applySnapshot(named(host(Hv2, 262144, {100}, {}), QStringLiteral("par-hv02")));
        three.applySnapshot(named(host(Hv3, 32768, {100}, {}), QStringLiteral("par-hv03")));
        three.applySnapshot(named(host(Hv4, 16384, {100}, {}), QStringLiteral("par-hv04")));
        Preflight threePreflight(&three);
        const EvacuationPlan spread = EvacuationPlan::make(three, threePreflight, Hv1);
        QSet<QString> destinations;
        for (const EvacuationPlan::Move &move : spread.moves) {
            destinations.insert(move.destUri);
            QVERIFY2(move.notes.isEmpty(), qPrintable(move.notes.join(u'|')));
        }
        QCOMPARE(destinations, (QSet<QString>{Hv2, Hv3, Hv4}));

        // An explicit group ties VMs whose names do not: pg-primary and pg-replica, "group.pg".
        Inventory grouped;
        VmInfo primary = inTenant(vm(Hv1, QStringLiteral("pg-primary"), 4096, 100), acme);
        VmInfo replica = inTenant(vm(Hv2, QStringLiteral("pg-replica"), 4096, 100), acme);
        primary.tags = replica.tags = {QStringLiteral("group.pg")};
        grouped.applySnapshot(named(host(Hv1, 65536, {100}, {primary}), QStringLiteral("par-hv01")));
        grouped.applySnapshot(named(host(Hv2, 65536, {100}, {replica}), QStringLiteral("par-hv02")));
        grouped.applySnapshot(named(host(Hv4, 16384, {100}, {}), QStringLiteral("par-hv04")));
        Preflight groupedPreflight(&grouped);
        QCOMPARE(destOf(EvacuationPlan::make(grouped, groupedPreflight, Hv1), QStringLiteral("pg-primary")), Hv4);
    }

    // Sharing cannot be avoided: every host that can take the VM holds one of its tier (the
    // host without one lacks its VLAN), or the one without is on another site. The move says so.
    void saysWhenATierMustShare_data()
    {
        QTest::addColumn<QString>("freeHostName");
        QTest::addColumn<QList<int>>("freeHostVlans");
        QTest::addColumn<QString>("excuse");
        QTest::newRow("no other host can take it")
            << QStringLiteral("par-hv04") << QList<int>{200} << QStringLiteral("Every other host that can take it already holds one of its tier.");
        QTest::newRow("the free host is on another site")
            << QStringLiteral("lyo-hv01") << QList<int>{100}
            << QStringLiteral("The hosts that can take it without one of its tier are on another site.");
    }
    void saysWhenATierMustShare()
    {
        QFETCH(QString, freeHostName);
        QFETCH(QList<int>, freeHostVlans);
        QFETCH(QString, excuse);
        Inventory inventory;
        inventory.applySnapshot(named(host(Hv1, 65536, {100}, {vm(Hv1, QStringLiteral("web-front-01"), 4096, 100)}),
                                      QStringLiteral("par-hv01")));
        inventory.applySnapshot(named(host(Hv2, 65536, {100}, {vm(Hv2, QStringLiteral("web-front-02"), 4096, 100)}),
                                      QStringLiteral("par-hv02")));
        inventory.applySnapshot(named(host(Hv3, 65536, {100}, {vm(Hv3, QStringLiteral("web-front-03"), 4096, 100)}),
                                      QStringLiteral("par-hv03")));
        inventory.applySnapshot(named(host(Hv4, 65536, freeHostVlans, {}), freeHostName));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QCOMPARE(plan.moves.size(), 1);
        const EvacuationPlan::Move &move = plan.moves.first();
        QVERIFY(move.destUri == Hv2 || move.destUri == Hv3);
        QCOMPARE(move.notes.size(), 1);
        const QString mate = move.destUri == Hv2 ? QStringLiteral("web-front-02") : QStringLiteral("web-front-03");
        QVERIFY2(move.notes.first().startsWith(QStringLiteral("Shares %1 with %2, of the same tier (web-front)")
                                                   .arg(inventory.host(move.destUri).displayName, mate)),
                 qPrintable(move.notes.first()));
        QVERIFY2(move.notes.first().endsWith(excuse), qPrintable(move.notes.first()));
        QVERIFY(plan.fits());
    }

    // The operator's choices, reviewed: memory is counted against every move to the same host
    // (all of them are told), and going back to a host that fits clears it.
    void reviewsAChangedDestination()
    {
        Inventory inventory;
        inventory.applySnapshot(host(Hv1, 16384, {100}, {vm(Hv1, QStringLiteral("a"), 3072, 100), vm(Hv1, QStringLiteral("b"), 2048, 100),
                                                         vm(Hv1, QStringLiteral("off"), 8192, 100, VmState::Shutoff)}));
        inventory.applySnapshot(host(Hv2, 4096, {100}, {}));
        inventory.applySnapshot(host(Hv3, 4096, {100}, {}));
        Preflight preflight(&inventory);
        EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Hv1);
        QVERIFY(plan.isComplete());
        QVERIFY(plan.fits());
        QVERIFY(destOf(plan, QStringLiteral("a")) != destOf(plan, QStringLiteral("b")));
        const QString aDest = destOf(plan, QStringLiteral("a"));
        const QString bDest = destOf(plan, QStringLiteral("b"));
        for (EvacuationPlan::Move &move : plan.moves) {
            if (move.vm.uuid == QLatin1String("b"))
                move.destUri = aDest;
            if (move.vm.uuid == QLatin1String("off"))
                move.destUri = aDest; // off: takes no memory there
        }
        plan.review();
        QVERIFY(!plan.fits());
        QVERIFY2(moveOf(plan, QStringLiteral("a"))->problem.contains(QStringLiteral("5 GiB needed, 4 GiB free")),
                 qPrintable(moveOf(plan, QStringLiteral("a"))->problem));
        QVERIFY(!moveOf(plan, QStringLiteral("b"))->problem.isEmpty());
        QVERIFY(moveOf(plan, QStringLiteral("off"))->problem.isEmpty());
        for (EvacuationPlan::Move &move : plan.moves) {
            if (move.vm.uuid == QLatin1String("b"))
                move.destUri = bDest;
        }
        plan.review();
        QVERIFY(plan.fits());
        // A host the pre-flight did not offer for the VM is a problem, not a silent choice.
        plan.moves.first().destUri = Hv1;
        plan.review();
        QVERIFY(!plan.moves.first().problem.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_EvacuationPlan)
#include "tst_evacuationplan.moc"
