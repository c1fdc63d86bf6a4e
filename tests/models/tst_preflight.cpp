// Pre-flight checks of a migration or a placement, from an inventory built the way sessions
// build it (snapshots, CPU comparisons), data-driven: every refusal names its reason.
#include "hypervisor/domainxml.h"
#include "inventory/inventory.h"
#include "placement/preflight.h"

#include <QFile>
#include <QScopeGuard>
#include <QTest>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("qemu+unix:///system?socket=/hv1");
const QString Hv2 = QStringLiteral("qemu+unix:///system?socket=/hv2");
const QString Hv3 = QStringLiteral("qemu+unix:///system?socket=/hv3");
const QString Demo = QStringLiteral("test:///demo.xml");

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

VmInfo vm(const QString &host, const QString &uuid, quint64 memoryMiB, VmState state, const QString &portgroup = {})
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = uuid;
    v.name = uuid;
    v.state = state;
    v.vcpus = 1;
    v.memoryKiB = memoryMiB * 1024;
    v.maxMemoryKiB = v.memoryKiB;
    if (!portgroup.isEmpty()) {
        NicInfo nic;
        nic.mac = QStringLiteral("52:54:00:00:00:01");
        nic.sourceType = QStringLiteral("network");
        nic.source = QStringLiteral("lab-ovs");
        nic.portgroup = portgroup;
        v.nics.append(nic);
    }
    return v;
}

HostSnapshot host(const QString &uri, quint64 memoryMiB, const QList<int> &vlans, const QList<VmInfo> &vms,
                  const QString &type = QStringLiteral("QEMU"), bool demo = false)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1);
    s.host.hypervisorType = type;
    s.host.memoryKiB = memoryMiB * 1024;
    s.host.demo = demo;
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    s.networks = {ovsNetwork(uri, vlans)};
    return s;
}

} // namespace

class tst_Preflight : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;

private Q_SLOTS:
    void initTestCase()
    {
        m_inventory.addHost(Hv1);
        m_inventory.addHost(Hv2);
        m_inventory.addHost(Hv3);
        m_inventory.addHost(Demo, true);
        // hv1: web (512 MiB, VLAN 100), big (3 GiB, VLAN 200), small200 (256 MiB, VLAN 200),
        // stopped (8 GiB, off).
        m_inventory.applySnapshot(host(Hv1, 8192, {100, 200},
                                       {vm(Hv1, QStringLiteral("web"), 512, VmState::Running, QStringLiteral("vlan100")),
                                        vm(Hv1, QStringLiteral("big"), 3072, VmState::Running, QStringLiteral("vlan200")),
                                        vm(Hv1, QStringLiteral("small200"), 256, VmState::Running, QStringLiteral("vlan200")),
                                        vm(Hv1, QStringLiteral("stopped"), 8192, VmState::Shutoff)}));
        // hv2: 4 GiB with 2 GiB committed; carries only VLAN 100.
        m_inventory.applySnapshot(host(Hv2, 4096, {100}, {vm(Hv2, QStringLiteral("busy"), 2048, VmState::Running)}));
        // hv3: a different hypervisor type.
        m_inventory.applySnapshot(host(Hv3, 65536, {100, 200}, {}, QStringLiteral("Xen")));
        m_inventory.applySnapshot(host(Demo, 65536, {100, 200}, {}, QStringLiteral("Test"), true));
    }

    void migration_data()
    {
        QTest::addColumn<QString>("vm");
        QTest::addColumn<QString>("dest");
        QTest::addColumn<QStringList>("maintenance");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reason"); // a part of the reason

        QTest::newRow("fits") << "web" << Hv2 << QStringList{} << true << QString();
        QTest::newRow("same host") << "web" << Hv1 << QStringList{} << false << "already runs";
        QTest::newRow("not enough memory") << "big" << Hv2 << QStringList{} << false << "Not enough free memory";
        QTest::newRow("stopped VM needs no memory but its VLANs") << "stopped" << Hv2 << QStringList{} << true << QString();
        QTest::newRow("VLAN missing") << "small200" << Hv2 << QStringList{} << false << "VLAN 200";
        QTest::newRow("other hypervisor") << "web" << Hv3 << QStringList{} << false << "Different hypervisors";
        QTest::newRow("demo and real") << "web" << Demo << QStringList{} << false << "Demo hosts";
        QTest::newRow("maintenance") << "web" << Hv2 << QStringList{Hv2} << false << "maintenance";
        QTest::newRow("unknown host") << "web" << QStringLiteral("qemu:///nowhere") << QStringList{} << false << "Unknown host";
        QTest::newRow("unknown VM") << "ghost" << Hv2 << QStringList{} << false << "no longer";
    }

    void migration()
    {
        QFETCH(QString, vm);
        QFETCH(QString, dest);
        QFETCH(QStringList, maintenance);
        QFETCH(bool, allowed);
        QFETCH(QString, reason);
        Preflight preflight(&m_inventory);
        for (const QString &uri : maintenance)
            m_inventory.setMaintenance(uri, true);
        const auto leave = qScopeGuard([this, maintenance] {
            for (const QString &uri : maintenance)
                m_inventory.setMaintenance(uri, false);
        });
        const PlacementCheck check = preflight.checkMigration({Hv1, vm}, dest);
        QCOMPARE(check.allowed, allowed);
        if (allowed)
            QVERIFY(check.reason.isEmpty());
        else
            QVERIFY2(check.reason.contains(reason), qPrintable(check.reason));
    }

    void disconnectedDestination()
    {
        Inventory inventory;
        inventory.addHost(Hv1);
        inventory.addHost(Hv2);
        inventory.applySnapshot(host(Hv1, 8192, {100}, {vm(Hv1, QStringLiteral("web"), 512, VmState::Running)}));
        inventory.applySnapshot(host(Hv2, 8192, {100}, {}));
        inventory.setHostState(Hv2, ConnectionState::Unreachable, QStringLiteral("keepalive timeout"));
        const PlacementCheck check = Preflight(&inventory).checkMigration({Hv1, QStringLiteral("web")}, Hv2);
        QVERIFY(!check.allowed);
        QVERIFY2(check.reason.contains(QLatin1String("not connected")), qPrintable(check.reason));
    }

    // What the destination's libvirt said of the source's CPU (SessionManager stores it): only an
    // incompatible CPU refuses, and only a running VM; not compared is allowed.
    void cpuCompatibility_data()
    {
        QTest::addColumn<QString>("vm");
        QTest::addColumn<int>("check"); // -1 none, 0 incompatible, 1 compatible: of hv1's CPU on hv2
        QTest::addColumn<QString>("detail");
        QTest::addColumn<bool>("reverseIncompatible"); // hv2's CPU judged incompatible on hv1
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reason");

        const QString missing = QStringLiteral("Host CPU does not provide required features: avx512f");
        QTest::newRow("not compared") << "web" << -1 << QString() << false << true << QString();
        QTest::newRow("compatible") << "web" << 1 << QString() << false << true << QString();
        QTest::newRow("incompatible, running VM") << "web" << 0 << missing << false << false << "lacks features of the CPU of hv1";
        QTest::newRow("libvirt's words kept") << "web" << 0 << missing << false << false << "avx512f";
        QTest::newRow("incompatible without words") << "web" << 0 << QString() << false << false << "lacks features";
        QTest::newRow("incompatible, stopped VM") << "stopped" << 0 << missing << false << true << QString();
        QTest::newRow("only the other way") << "web" << 1 << QString() << true << true << QString();
    }

    void cpuCompatibility()
    {
        QFETCH(QString, vm);
        QFETCH(int, check);
        QFETCH(QString, detail);
        QFETCH(bool, reverseIncompatible);
        QFETCH(bool, allowed);
        QFETCH(QString, reason);
        Inventory inventory;
        inventory.applySnapshot(host(Hv1, 8192, {100},
                                     {::vm(Hv1, QStringLiteral("web"), 512, VmState::Running),
                                      ::vm(Hv1, QStringLiteral("stopped"), 512, VmState::Shutoff)}));
        inventory.applySnapshot(host(Hv2, 8192, {100}, {}));
        if (check >= 0)
            inventory.setCpuCheck(Hv2, Hv1, CpuCheck{check == 1, detail});
        if (reverseIncompatible)
            inventory.setCpuCheck(Hv1, Hv2, CpuCheck{false, QStringLiteral("no")});
        // A later snapshot of the destination (a resync) keeps what other hosts' sessions found.
        inventory.applySnapshot(host(Hv2, 8192, {100}, {}));
        const PlacementCheck result = Preflight(&inventory).checkMigration({Hv1, vm}, Hv2);
        QCOMPARE(result.allowed, allowed);
        if (!allowed)
            QVERIFY2(result.reason.contains(reason), qPrintable(result.reason));
        // Forgotten (the source reconnects to a machine not compared yet): allowed again.
        inventory.setCpuCheck(Hv2, Hv1, std::nullopt);
        QVERIFY(Preflight(&inventory).checkMigration({Hv1, vm}, Hv2).allowed);
    }

    void placementAndFreeMemory()
    {
        Preflight preflight(&m_inventory);
        QCOMPARE(preflight.freeMemoryKiB(Hv2), quint64(2048 * 1024));
        QCOMPARE(preflight.freeMemoryKiB(Hv1), quint64((8192 - 512 - 3072 - 256) * 1024)); // the stopped VM commits nothing
        QVERIFY(preflight.checkPlacement(Hv2, 2048 * 1024, {100}).allowed);
        QVERIFY(!preflight.checkPlacement(Hv2, 2049 * 1024, {100}).allowed);
        QVERIFY(!preflight.checkPlacement(Hv2, 1024, {200}).allowed);
        QVERIFY(preflight.checkPlacement(Hv2, 1024, {4000}).allowed); // no network describes 4000
    }

    // Under a memo each host's free memory is read once (an evacuation plan's thousands of
    // checks); without one, or once it is gone, every call reads the inventory.
    void freeMemoryMemo()
    {
        Inventory inventory;
        inventory.applySnapshot(host(Hv2, 8192, {100}, {vm(Hv2, QStringLiteral("uuid-a"), 1024, VmState::Running)}));
        Preflight preflight(&inventory);
        QCOMPARE(preflight.freeMemoryKiB(Hv2), quint64(7168 * 1024));
        {
            const Preflight::FreeMemoryMemo memo(preflight);
            QCOMPARE(preflight.freeMemoryKiB(Hv2), quint64(7168 * 1024));
            inventory.updateVm(vm(Hv2, QStringLiteral("uuid-b"), 2048, VmState::Running));
            QCOMPARE(preflight.freeMemoryKiB(Hv2), quint64(7168 * 1024)); // as first read
            QVERIFY(!preflight.checkPlacement(Hv2, 7169 * 1024, {100}).allowed);
        }
        QCOMPARE(preflight.freeMemoryKiB(Hv2), quint64(5120 * 1024));
        QVERIFY(!preflight.checkPlacement(Hv2, 5121 * 1024, {100}).allowed);
    }

    // A domain Nova wrote (the fuzz corpus' Nova 1.1 fixture: nova:instance metadata, two
    // fa:16:3e NICs) with one port Neutron owns and one Vigie's: nothing forbids the move, but
    // the operator is told that Nova keeps its record and Neutron its port on the source, with
    // the command that moves it through OpenStack (Nova's instance UUID is the domain's, its
    // compute host the host name). A VM nobody else manages gets no caveat.
    void caveatsOfAVmOthersManage()
    {
        QFile file(QFINDTESTDATA("../fuzz/corpus/domainxml/nova.xml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const DomainXml::Result parsed = DomainXml::parse(file.readAll());
        QVERIFY2(parsed.vm, qPrintable(parsed.error));
        VmInfo nova = *parsed.vm;
        nova.hostUri = Hv1;
        nova.state = VmState::Running;
        QCOMPARE(nova.manager, QStringLiteral("nova"));
        QCOMPARE(nova.nics.size(), 2);

        Inventory inventory;
        inventory.addHost(Hv1);
        inventory.addHost(Hv2);
        inventory.applySnapshot(host(Hv1, 8192, {}, {nova, vm(Hv1, QStringLiteral("plain"), 512, VmState::Running)}));
        HostSnapshot dest = host(Hv2, 8192, {}, {});
        dest.host.hostname = QStringLiteral("compute-2.example.org");
        inventory.applySnapshot(dest);
        ControllerNic neutron;
        neutron.portName = QStringLiteral("5a010200-1ab0-4000-8000-0000000000c8");
        neutron.owner = QStringLiteral("OpenStack Neutron");
        ControllerNic vigie;
        vigie.portName = QStringLiteral("5a010300-1ab0-4000-8000-000000000064");
        inventory.setControllerNics({{QStringLiteral("fa:16:3e:02:01:02"), neutron}, {QStringLiteral("fa:16:3e:02:01:03"), vigie}});

        Preflight preflight(&inventory);
        const VmKey key{Hv1, nova.uuid};
        QVERIFY(preflight.checkMigration(key, Hv2).allowed);
        const QStringList caveats = preflight.migrationCaveats(key, Hv2);
        QCOMPARE(caveats.size(), 2);
        QVERIFY2(caveats.at(0).startsWith(QLatin1String("web-frontend-1 is managed by OpenStack Nova, which will still record it on hv1"))
                     && caveats.at(0).endsWith(QLatin1String(
                         "openstack server migrate --live-migration --host compute-2.example.org 8d1f0a44-6c2b-4c83-9f5e-3b2a1d0c9e11")),
                 qPrintable(caveats.at(0)));
        QVERIFY2(caveats.at(1).startsWith(QLatin1String("1 NIC of web-frontend-1 are ports of OpenStack Neutron"))
                     || caveats.at(1).startsWith(QLatin1String("1 NIC(s) of web-frontend-1")),
                 qPrintable(caveats.at(1)));
        QVERIFY2(caveats.at(1).contains(QLatin1String("requested on the chassis of hv1")), qPrintable(caveats.at(1)));

        QVERIFY(preflight.migrationCaveats({Hv1, QStringLiteral("plain")}, Hv2).isEmpty());
        QVERIFY(preflight.migrationCaveats({Hv1, QStringLiteral("ghost")}, Hv2).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Preflight)
#include "tst_preflight.moc"
