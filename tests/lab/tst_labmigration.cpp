// Live migration through Vigie's own code between the lab's real hosts: the guest ends running on
// the destination only with its NIC's VLAN intact; a cancel half-way leaves it running on the
// source; the destination's daemon killed mid-migration leaves it running on the source and
// nowhere else. virsh is the judge every time.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Vigie;
using namespace Vigie::LabTest;

class tst_LabMigration : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;

    VmKey vmNamed(const LabHost &host, const QString &name) const
    {
        for (const VmKey &key : m_inventory->vmKeysOfHost(host.uri)) {
            if (m_inventory->vm(key).name == name)
                return key;
        }
        return {};
    }

    static QString virshState(const LabHost &host, const QString &name)
    {
        const LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("domstate"), name});
        return r.ok() ? r.out.trimmed() : QStringLiteral("absent");
    }

    // Runs a slow migration (bandwidth-limited) of NAME from SOURCE to DEST until it has made
    // some progress, and returns its job id.
    QString startSlowMigration(const LabHost &source, const LabHost &dest, const QString &name)
    {
        const VmKey vm = vmNamed(source, name);
        if (vm.uuid.isEmpty())
            return {};
        MigrationOptions options;
        options.bandwidthMiBs = 1; // 80 MiB of guest memory: over a minute
        options.autoConverge = false;
        QString error;
        const QString id = m_migrations->start(vm, dest.uri, options, &error);
        if (id.isEmpty())
            qWarning("refused: %s", qPrintable(error));
        return id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_lab.hosts().size() >= 3);
        m_inventory = std::make_unique<Inventory>();
        m_sessions = std::make_unique<SessionManager>(m_inventory.get());
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), m_inventory.get());
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
        const auto connected = [&] {
            for (const LabHost &host : m_lab.hosts()) {
                if (m_inventory->host(host.uri).state != ConnectionState::Connected)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(connected(), 30000);
    }

    void liveMigration()
    {
        const LabHost source = m_lab.hosts().at(0);
        const LabHost dest = m_lab.hosts().at(1);
        const QString name = QStringLiteral("web-1");
        const VmKey vm = vmNamed(source, name);
        QVERIFY2(!vm.uuid.isEmpty(), "web-1 is not on lab-hv1");
        QCOMPARE(virshState(source, name), QStringLiteral("running"));

        QSignalSpy progressed(m_migrations.get(), &MigrationController::jobProgressed);
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        QString error;
        const QString id = m_migrations->start(vm, dest.uri, {}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const MigrationProgress done = finished.first().first().value<MigrationProgress>();
        QVERIFY2(done.phase == MigrationPhase::Completed, qPrintable(done.message));
        QVERIFY(!done.demo);
        QCOMPARE(done.percent, 100.0);
        QVERIFY(done.dataProcessed > 0);
        qInfo("web-1 lab-hv1 -> lab-hv2: %.2f s, downtime %lld ms, %llu bytes, %lld progress reports",
              double(done.elapsedMs) / 1000.0, done.downtimeMs, done.dataProcessed, qlonglong(progressed.size()));
        double last = 0;
        for (const QList<QVariant> &signal : progressed) {
            const double percent = signal.first().value<MigrationProgress>().percent;
            QVERIFY2(percent >= last, "progress went backwards");
            last = percent;
        }

        // virsh: running on the destination, gone from the source, the NIC still in VLAN 100.
        QCOMPARE(virshState(dest, name), QStringLiteral("running"));
        QCOMPARE(virshState(source, name), QStringLiteral("absent"));
        const LabEnvironment::Result xml = LabEnvironment::virsh(dest, {QStringLiteral("dumpxml"), name});
        QVERIFY(xml.out.contains(QLatin1String("<tag id='100'/>")));
        // Vigie: one VM with that UUID, on the destination.
        QTRY_VERIFY_WITH_TIMEOUT(!m_inventory->hasVm(vm) && m_inventory->hasVm({dest.uri, vm.uuid}), 5000);
        QCOMPARE(m_inventory->vm({dest.uri, vm.uuid}).state, VmState::Running);
    }

    void cancelHalfWay()
    {
        const LabHost source = m_lab.hosts().at(1);
        const LabHost dest = m_lab.hosts().at(2);
        const QString name = QStringLiteral("app-2");
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        const QString id = startSlowMigration(source, dest, name);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_migrations->job(id).percent >= 2, 60000);
        QVERIFY(m_migrations->job(id).cancellable());
        m_migrations->cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        const MigrationProgress done = finished.first().first().value<MigrationProgress>();
        QCOMPARE(done.phase, MigrationPhase::Cancelled);
        QCOMPARE(virshState(source, name), QStringLiteral("running"));
        QCOMPARE(virshState(dest, name), QStringLiteral("absent"));
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(vmNamed(source, name)).state, VmState::Running, 5000);
        QVERIFY(vmNamed(dest, name).uuid.isEmpty());
    }

    void destinationDaemonKilled()
    {
        const LabHost source = m_lab.hosts().at(2);
        const LabHost dest = m_lab.hosts().at(0);
        const QString name = QStringLiteral("web-3");
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        const QString id = startSlowMigration(source, dest, name);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_migrations->job(id).percent >= 2, 60000);

        LabEnvironment::Result r = LabEnvironment::lab({QStringLiteral("daemon"), dest.name, QStringLiteral("libvirtd"), QStringLiteral("kill")});
        QVERIFY2(r.ok(), qPrintable(r.err));
        // Whatever fails below, the daemon comes back: the next tests share this lab.
        auto restart = qScopeGuard([&] {
            (void)LabEnvironment::lab({QStringLiteral("daemon"), dest.name, QStringLiteral("libvirtd"), QStringLiteral("start")});
        });
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const MigrationProgress done = finished.first().first().value<MigrationProgress>();
        QCOMPARE(done.phase, MigrationPhase::Failed);
        QVERIFY(!done.message.isEmpty());
        qInfo("destination killed: %s", qPrintable(done.message));
        QCOMPARE(virshState(source, name), QStringLiteral("running"));

        restart.dismiss();
        r = LabEnvironment::lab({QStringLiteral("daemon"), dest.name, QStringLiteral("libvirtd"), QStringLiteral("start")});
        QVERIFY2(r.ok(), qPrintable(r.err));
        // The restarted daemon drops the half-received guest: it runs on the source only.
        QTRY_COMPARE_WITH_TIMEOUT(virshState(dest, name), QStringLiteral("absent"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->host(dest.uri).state, ConnectionState::Connected, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(vmNamed(dest, name).uuid.isEmpty(), 5000);
        QCOMPARE(m_inventory->vm(vmNamed(source, name)).state, VmState::Running);
    }

    // Drag onto a VLAN, through libvirt: the running NIC and the saved definition move to the new
    // tag, and so does the host's Open vSwitch port; then back.
    void vlanMoveThroughLibvirt()
    {
        const LabHost host = m_lab.hosts().at(1);
        const QString name = QStringLiteral("web-2");
        const VmKey vm = vmNamed(host, name);
        QVERIFY(!vm.uuid.isEmpty());
        const NicInfo nic = m_inventory->vm(vm).nics.value(0);
        QCOMPARE(nic.vlanTags, QList<int>{100});
        QVERIFY(!nic.target.isEmpty());
        const auto ovsTag = [&] {
            return LabEnvironment::lab({QStringLiteral("exec"), host.name, QStringLiteral("ovs-vsctl"), QStringLiteral("get"),
                                        QStringLiteral("port"), nic.target, QStringLiteral("tag")})
                .out.trimmed();
        };
        QCOMPARE(ovsTag(), QStringLiteral("100"));
        for (int vlan : {300, 100}) {
            QSignalSpy moved(m_sessions.get(), &SessionManager::nicMoveFinished);
            m_sessions->moveNicToVlan(vm, nic.mac, vlan);
            QTRY_COMPARE_WITH_TIMEOUT(moved.size(), 1, 20000);
            QVERIFY2(moved.first().at(3).toBool(), qPrintable(moved.first().at(4).toString()));
            QVERIFY2(moved.first().at(4).toString().isEmpty(), qPrintable(moved.first().at(4).toString())); // live too
            const QString tag = QStringLiteral("<tag id='%1'/>").arg(vlan);
            QVERIFY(LabEnvironment::virsh(host, {QStringLiteral("dumpxml"), name}).out.contains(tag));
            QVERIFY(LabEnvironment::virsh(host, {QStringLiteral("dumpxml"), QStringLiteral("--inactive"), name}).out.contains(tag));
            QCOMPARE(ovsTag(), QString::number(vlan));
            QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(vm).nics.value(0).vlanTags, QList<int>{vlan}, 5000);
        }
    }

    void cleanupTestCase()
    {
        m_migrations.reset();
        m_sessions.reset();
        m_inventory.reset();
    }
};

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    tst_LabMigration test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_labmigration.moc"
