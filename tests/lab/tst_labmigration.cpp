// Live migration through Vigie's own code between the lab's real hosts: the hosts' CPUs compare
// compatible (one machine); the guest ends running on the destination only with its NIC's VLAN
// intact; a cancel half-way leaves it running on the source; the destination's daemon killed
// mid-migration leaves it running on the source and nowhere else; a guest with a local disk
// moves with its disk copied; a host evacuated as the main window does it ends empty, each of
// its guests once elsewhere. virsh is the judge every time. The cases run in this order and
// share the lab: each leaves it as the next expects.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "placement/evacuation.h"

#include <QElapsedTimer>
#include <QFileInfo>
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

    // The guests virsh lists on HOST (all of them, or only the running ones).
    static QStringList virshNames(const LabHost &host, bool runningOnly)
    {
        const QStringList args = runningOnly ? QStringList{QStringLiteral("list"), QStringLiteral("--name")}
                                             : QStringList{QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--name")};
        const LabEnvironment::Result r = LabEnvironment::virsh(host, args);
        return r.ok() ? r.out.split(u'\n', Qt::SkipEmptyParts) : QStringList{QStringLiteral("<virsh failed: %1>").arg(r.err)};
    }

    // A guest's disk image as its host sees it at /var/lib/libvirt/images (see scripts/lab.d).
    QString diskImage(const LabHost &host, const QString &name) const
    {
        return QStringLiteral("%1/hosts/%2/lib-libvirt/images/%3.qcow2").arg(m_lab.directory(), host.name, name);
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

    // Each host's libvirt compared every other host's CPU when they connected; the lab's hosts
    // are one machine (TCG guests), so every pair is compatible and the pre-flight lets them go.
    void cpusCompared()
    {
        for (const LabHost &dest : m_lab.hosts()) {
            QVERIFY2(m_inventory->host(dest.uri).hypervisorCpuXml.contains(QLatin1String("<model")), qPrintable(dest.name));
            for (const LabHost &source : m_lab.hosts()) {
                if (source.uri == dest.uri)
                    continue;
                QTRY_VERIFY2_WITH_TIMEOUT(m_inventory->cpuCheck(dest.uri, source.uri).has_value(),
                                          qPrintable(source.name + QStringLiteral(" on ") + dest.name), 10000);
                const CpuCheck check = m_inventory->cpuCheck(dest.uri, source.uri).value_or(CpuCheck{});
                QVERIFY2(check.compatible, qPrintable(check.detail));
            }
        }
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

    // A running guest whose disk lives on its host only: copied to the destination (libvirt's
    // NBD storage migration; libvirt creates the image there in the host's storage pool for that
    // directory, see scripts/lab.d/host.sh), and the guest runs there on it. libvirt leaves the
    // source's image in place.
    void localDiskCopied()
    {
        const LabHost source = m_lab.hosts().at(1);
        const LabHost dest = m_lab.hosts().at(2);
        const QString name = QStringLiteral("db-2");
        const VmKey vm = vmNamed(source, name);
        QVERIFY(!vm.uuid.isEmpty());
        QCOMPARE(virshState(source, name), QStringLiteral("running"));
        QVERIFY(QFileInfo::exists(diskImage(source, name)));
        QVERIFY(!QFileInfo::exists(diskImage(dest, name)));

        MigrationOptions options;
        options.copyStorage = true;
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        QString error;
        const QString id = m_migrations->start(vm, dest.uri, options, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        const MigrationProgress done = finished.first().first().value<MigrationProgress>();
        QVERIFY2(done.phase == MigrationPhase::Completed, qPrintable(done.message));
        qInfo("db-2 with its disk lab-hv2 -> lab-hv3: %.2f s, downtime %lld ms, %llu bytes",
              double(done.elapsedMs) / 1000.0, done.downtimeMs, done.dataProcessed);

        QCOMPARE(virshState(dest, name), QStringLiteral("running"));
        QCOMPARE(virshState(source, name), QStringLiteral("absent"));
        const LabEnvironment::Result blk = LabEnvironment::virsh(dest, {QStringLiteral("domblklist"), name});
        QVERIFY2(blk.out.contains(QLatin1String("/var/lib/libvirt/images/db-2.qcow2")), qPrintable(blk.out + blk.err));
        QVERIFY(QFileInfo::exists(diskImage(dest, name)));
        QVERIFY(QFileInfo(diskImage(dest, name)).size() > 0);
        // The guest reads its disk there: block statistics move on the destination.
        const LabEnvironment::Result stats = LabEnvironment::virsh(dest, {QStringLiteral("domblkstat"), name, QStringLiteral("vda")});
        QVERIFY2(stats.ok(), qPrintable(stats.err));
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory->hasVm({dest.uri, vm.uuid}), 5000);
    }

    // What "Evacuate host" runs once approved: the plan, then its migrations through the
    // scheduler's queue (two at a time). The first host keeps, after the cases above, three running guests (db-1 with a
    // local disk, app-1, tiny-1) and a stopped one (batch-1): all leave it.
    void evacuateHost()
    {
        const LabHost source = m_lab.hosts().at(0);
        const QStringList defined = virshNames(source, false);
        const QStringList running = virshNames(source, true);
        QVERIFY2(running.size() >= 3, qPrintable(running.join(u' ')));
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vmKeysOfHost(source.uri).size(), defined.size(), 10000);

        const EvacuationPlan plan = EvacuationPlan::make(*m_inventory, m_migrations->preflight(), source.uri);
        QVERIFY(plan.isComplete());
        QCOMPARE(plan.moves.size(), defined.size());
        MigrationOptions options;
        options.copyStorage = true; // db-1's disk is on the host
        MigrationScheduler scheduler(m_migrations.get());
        Evacuation evacuation(&scheduler, plan, options);
        QSignalSpy progressed(&evacuation, &Evacuation::progressed);
        QSignalSpy finished(&evacuation, &Evacuation::finished);
        QElapsedTimer timer;
        timer.start();
        evacuation.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 240000);
        QVERIFY2(evacuation.failedCount() == 0, qPrintable(evacuation.failures().join(u'\n')));
        QCOMPARE(evacuation.doneCount(), int(plan.moves.size()));
        QCOMPARE(evacuation.percent(), 100.0);
        qInfo("evacuated %s (%d guests, %d running) in %.1f s, %lld progress reports", qPrintable(source.name),
              int(defined.size()), int(running.size()), double(timer.elapsed()) / 1000.0, qlonglong(progressed.size()));
        double last = 0;
        for (const QList<QVariant> &signal : progressed) {
            QVERIFY2(signal.first().toDouble() >= last, "overall progress went backwards");
            last = signal.first().toDouble();
        }

        // virsh: nothing left on the source; each guest once elsewhere, running if it ran.
        QCOMPARE(virshNames(source, false), QStringList());
        for (const QString &name : defined) {
            QStringList where;
            for (const LabHost &host : m_lab.hosts()) {
                const QString state = virshState(host, name);
                if (state != QLatin1String("absent"))
                    where.append(host.name + u' ' + state);
            }
            QVERIFY2(where.size() == 1, qPrintable(name + QStringLiteral(": ") + where.join(QStringLiteral(", "))));
            const QString expected = running.contains(name) ? QStringLiteral("running") : QStringLiteral("shut off");
            QVERIFY2(where.first().endsWith(expected), qPrintable(name + QStringLiteral(": ") + where.first()));
        }
        // And Vigie sees the host empty.
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory->vmKeysOfHost(source.uri).isEmpty(), 10000);
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
