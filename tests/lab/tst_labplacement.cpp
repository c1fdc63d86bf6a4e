// Placement of a new VM from a template on a real lab host, through Vigie's own code (the
// session manager, as the window calls it): the system disk is a new volume of the host's pool,
// the guest runs under QEMU with its NIC in the VLAN's portgroup and tag; virsh is the judge.
// A placement that fails at start takes back its definition and its volume.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "placement/newvm.h"
#include "placement/tenantquota.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Vigie;
using namespace Vigie::LabTest;

class tst_LabPlacement : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;

    static QString virshOut(const LabHost &host, const QStringList &args)
    {
        const LabEnvironment::Result r = LabEnvironment::virsh(host, args);
        return r.ok() ? r.out : QString();
    }

private Q_SLOTS:
    void placeFromTemplate()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        const LabHost host = m_lab.hosts().last();
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(host.uri));
        QVERIFY(settled.wait(30000));
        QCOMPARE(inventory.host(host.uri).state, ConnectionState::Connected);

        const QString name = QStringLiteral("placed-1");
        const auto cleanup = qScopeGuard([&] {
            (void)LabEnvironment::virsh(host, {QStringLiteral("destroy"), name});
            (void)LabEnvironment::virsh(host, {QStringLiteral("undefine"), name});
            (void)LabEnvironment::virsh(host, {QStringLiteral("vol-delete"), QStringLiteral("--pool"), QStringLiteral("default"),
                                               name + QStringLiteral("-system.qcow2")});
        });
        NewVm vm;
        vm.tmpl = {QStringLiteral("Lab tiny"), QStringLiteral("firmware only"), 1, 64, 1};
        vm.name = name;
        vm.tenant = QStringLiteral("acme");
        vm.vlanId = 100;
        vm.start = true;
        QSignalSpy created(&sessions, &SessionManager::vmCreationFinished);
        QElapsedTimer clock;
        clock.start();
        sessions.createVm(host.uri, vm);
        QVERIFY(created.wait(60000));
        QVERIFY2(created.first().at(2).toBool(), qPrintable(created.first().at(3).toString()));
        qInfo("placed %s on %s (1 GiB volume, define, start) in %lld ms", qPrintable(name), qPrintable(host.name),
              qlonglong(clock.elapsed()));

        // virsh: running, its NIC in VLAN 100's portgroup with the tag, its disk a volume of the pool.
        QCOMPARE(virshOut(host, {QStringLiteral("domstate"), name}).trimmed(), QStringLiteral("running"));
        const QString xml = virshOut(host, {QStringLiteral("dumpxml"), name});
        QVERIFY(xml.contains(QLatin1String("<tag id='100'/>")));
        QVERIFY(xml.contains(QLatin1String("portgroup='front'")));
        QVERIFY(xml.contains(QLatin1String(">acme</vigie:tenant>")));
        const QString volumes = virshOut(host, {QStringLiteral("vol-list"), QStringLiteral("default")});
        QVERIFY2(volumes.contains(name + QStringLiteral("-system.qcow2")), qPrintable(volumes));
        // Vigie: the VM on that host, in VLAN 100, running.
        const VmKey key = created.first().at(0).value<VmKey>();
        QTRY_VERIFY_WITH_TIMEOUT(inventory.hasVm(key), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vm(key).state, VmState::Running, 5000);
        QCOMPARE(inventory.vmVlans(key), QList<int>{100});
        // Its disk's size as libvirt tells it: the 1 GiB volume, counted in its tenant's quota.
        QCOMPARE(inventory.vm(key).diskCapacityBytes(), std::optional<quint64>(1ULL << 30));
        QVERIFY(TenantQuotas::usage(inventory, QStringLiteral("acme")).diskGiB.value_or(0) >= 1);

        // The same again under another name but 64 GiB of memory more than the host has: QEMU
        // cannot start it, and nothing is left behind (no definition, no volume).
        NewVm tooBig = vm;
        tooBig.name = QStringLiteral("placed-toobig");
        tooBig.tmpl.memoryMiB = 64 * 1024 * 1024; // 64 TiB
        const qsizetype before = created.size();
        sessions.createVm(host.uri, tooBig);
        QTRY_VERIFY_WITH_TIMEOUT(created.size() > before, 60000);
        QVERIFY(!created.last().at(2).toBool());
        qInfo("refused: %s", qPrintable(created.last().at(3).toString()));
        QVERIFY(!created.last().at(3).toString().isEmpty());
        QVERIFY(!LabEnvironment::virsh(host, {QStringLiteral("dominfo"), tooBig.name}).ok());
        QVERIFY(!virshOut(host, {QStringLiteral("vol-list"), QStringLiteral("default")}).contains(tooBig.name));
    }
};

QTEST_GUILESS_MAIN(tst_LabPlacement)
#include "tst_labplacement.moc"
