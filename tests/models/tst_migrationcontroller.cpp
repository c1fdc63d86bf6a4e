// Migrations between demo hosts (simulated: libvirt's test driver cannot migrate) through the real
// sessions: the VM ends on the destination only, cancel leaves it where it was, refusals say why,
// progress never goes backwards; an evacuation empties a host. Real migrations are tested against
// the lab (tests/lab).
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "placement/evacuation.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigie;

class tst_MigrationController : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;

    QString hostNamed(const QString &name) const
    {
        for (const QString &uri : m_inventory.hostUris()) {
            if (m_inventory.host(uri).displayName == name)
                return uri;
        }
        return {};
    }

    // A running VM of SOURCE that DEST can take.
    VmKey movable(const QString &source, const QString &dest) const
    {
        for (const VmKey &key : m_inventory.vmKeysOfHost(source)) {
            if (m_inventory.vm(key).state == VmState::Running && m_migrations->preflight().checkMigration(key, dest).allowed)
                return key;
        }
        return {};
    }

    QList<VmKey> keysWithUuid(const QString &uuid) const
    {
        QList<VmKey> keys;
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (key.uuid == uuid)
                keys.append(key);
        }
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), &m_inventory);
        m_migrations->setDemoDurationMs(400);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        QVERIFY(!hostNamed(QStringLiteral("par-hv01")).isEmpty());
    }

    void migrates()
    {
        const QString source = hostNamed(QStringLiteral("par-hv01"));
        const QString dest = hostNamed(QStringLiteral("par-hv02"));
        const VmKey vm = movable(source, dest);
        QVERIFY(!vm.uuid.isEmpty());
        const QString name = m_inventory.vm(vm).name;

        QSignalSpy progressed(m_migrations.get(), &MigrationController::jobProgressed);
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        QString error;
        const QString id = m_migrations->start(vm, dest, {}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QVERIFY(m_migrations->isMigrating(vm));
        QVERIFY(finished.wait(10000));
        const MigrationProgress done = finished.first().first().value<MigrationProgress>();
        QCOMPARE(done.jobId, id);
        QCOMPARE(done.phase, MigrationPhase::Completed);
        QVERIFY(done.demo);
        QCOMPARE(done.percent, 100.0);

        double last = 0;
        QVERIFY(progressed.size() >= 3);
        for (const QList<QVariant> &signal : progressed) {
            const double percent = signal.first().value<MigrationProgress>().percent;
            QVERIFY2(percent >= last, "progress went backwards");
            last = percent;
        }
        // On the destination only, same name, running.
        QTRY_COMPARE_WITH_TIMEOUT(keysWithUuid(vm.uuid).size(), 1, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(keysWithUuid(vm.uuid).first().hostUri, dest, 3000);
        const VmInfo moved = m_inventory.vm(keysWithUuid(vm.uuid).first());
        QCOMPARE(moved.name, name);
        QCOMPARE(moved.state, VmState::Running);
        QVERIFY(!m_migrations->isMigrating(vm));
    }

    void cancelLeavesItOnTheSource()
    {
        const QString source = hostNamed(QStringLiteral("par-hv02"));
        const QString dest = hostNamed(QStringLiteral("par-hv03"));
        const VmKey vm = movable(source, dest);
        QVERIFY(!vm.uuid.isEmpty());
        m_migrations->setDemoDurationMs(5000);
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        const QString id = m_migrations->start(vm, dest, {});
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(m_migrations->job(id).percent > 0);
        m_migrations->cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QCOMPARE(finished.first().first().value<MigrationProgress>().phase, MigrationPhase::Cancelled);
        // Each host's worker handles its calls in order: once both have answered a resync,
        // whatever the cancelled migration had asked of them is done and in the inventory.
        for (const QString &uri : {source, dest}) {
            QSignalSpy snapshot(m_sessions->session(uri), &HypervisorSession::snapshotReady);
            m_sessions->session(uri)->resync();
            QTRY_VERIFY(!snapshot.isEmpty());
        }
        QCOMPARE(keysWithUuid(vm.uuid), QList<VmKey>{vm});
        QCOMPARE(m_inventory.vm(vm).state, VmState::Running);
        m_migrations->setDemoDurationMs(400);
    }

    void refusals()
    {
        const QString source = hostNamed(QStringLiteral("par-hv03"));
        const VmKey vm = movable(source, hostNamed(QStringLiteral("par-hv01")));
        QVERIFY(!vm.uuid.isEmpty());
        QString error;
        QVERIFY(m_migrations->start(vm, source, {}, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("already runs")), qPrintable(error));

        // One migration per VM at a time.
        m_migrations->setDemoDurationMs(3000);
        const QString id = m_migrations->start(vm, hostNamed(QStringLiteral("par-hv01")), {}, &error);
        QVERIFY(!id.isEmpty());
        QVERIFY(m_migrations->start(vm, hostNamed(QStringLiteral("par-hv02")), {}, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("already being migrated")), qPrintable(error));
        m_migrations->cancel(id);
        QTRY_VERIFY(!m_migrations->isMigrating(vm));
        m_migrations->setDemoDurationMs(400);
    }

    void severalAtOnceAndClear()
    {
        const QString dest = hostNamed(QStringLiteral("par-hv01"));
        QList<QString> ids;
        for (const QString &host : {QStringLiteral("par-hv02"), QStringLiteral("par-hv03")}) {
            const VmKey vm = movable(hostNamed(host), dest);
            QVERIFY(!vm.uuid.isEmpty());
            ids.append(m_migrations->start(vm, dest, {}));
            QVERIFY(!ids.last().isEmpty());
        }
        QCOMPARE(m_migrations->runningCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(m_migrations->runningCount(), 0, 10000);
        for (const QString &id : ids)
            QCOMPARE(m_migrations->job(id).phase, MigrationPhase::Completed);
        m_migrations->clearFinished();
        QVERIFY(m_migrations->jobs().isEmpty());
    }

    // VLAN moves on demo hosts: libvirt's test driver updates no NIC, so the definition is
    // redefined: a VM that is off shows the new VLAN at once, a running one at next boot.
    void vlanMoveOnDemoHosts()
    {
        VmKey off;
        VmKey running;
        for (const VmKey &key : m_inventory.vmKeys()) {
            const VmInfo vm = m_inventory.vm(key);
            if (vm.nics.size() != 1 || m_inventory.vmVlans(key).size() != 1)
                continue;
            if (vm.state == VmState::Shutoff && off.uuid.isEmpty())
                off = key;
            if (vm.state == VmState::Running && running.uuid.isEmpty())
                running = key;
        }
        QVERIFY(!off.uuid.isEmpty() && !running.uuid.isEmpty());
        for (const VmKey &key : {off, running}) {
            const int from = m_inventory.vmVlans(key).first();
            int to = 0;
            for (const VlanInfo &vlan : m_inventory.vlans()) {
                if (!to && vlan.id != from && vlan.hosts.contains(key.hostUri))
                    to = vlan.id;
            }
            QVERIFY(to);
            QSignalSpy moved(m_sessions.get(), &SessionManager::nicMoveFinished);
            m_sessions->moveNicToVlan(key, m_inventory.vm(key).nics.first().mac, to);
            QTRY_COMPARE_WITH_TIMEOUT(moved.size(), 1, 5000);
            QVERIFY2(moved.first().at(3).toBool(), qPrintable(moved.first().at(4).toString()));
            if (key == off) {
                QVERIFY(moved.first().at(4).toString().isEmpty());
                QTRY_COMPARE_WITH_TIMEOUT(m_inventory.vmVlans(key), QList<int>{to}, 3000);
            } else {
                QVERIFY2(moved.first().at(4).toString().contains(QLatin1String("next boot")), qPrintable(moved.first().at(4).toString()));
            }
        }
    }

    // An evacuation run the way the main window runs it (plan, then its migrations through the
    // scheduler's queue): the host ends empty, every VM once elsewhere, the counts and the overall
    // progress add up. Real hosts: tests/lab tst_labmigration::evacuateHost.
    void evacuationEmptiesTheHost()
    {
        const QString source = hostNamed(QStringLiteral("par-hv04"));
        QVERIFY(!source.isEmpty());
        const QList<VmKey> before = m_inventory.vmKeysOfHost(source);
        QVERIFY(before.size() >= 2);
        const EvacuationPlan plan = EvacuationPlan::make(m_inventory, m_migrations->preflight(), source);
        QVERIFY2(plan.isComplete(), qPrintable(plan.unplaced.value(0).reason));
        QCOMPARE(plan.moves.size(), before.size());

        m_migrations->setDemoDurationMs(400);
        MigrationScheduler scheduler(m_migrations.get());
        int mostAtOnce = 0;
        connect(m_migrations.get(), &MigrationController::jobStarted, &scheduler,
                [&] { mostAtOnce = std::max(mostAtOnce, m_migrations->runningCount()); });
        Evacuation evacuation(&scheduler, plan, {});
        QSignalSpy progressed(&evacuation, &Evacuation::progressed);
        QSignalSpy finished(&evacuation, &Evacuation::finished);
        evacuation.start();
        QVERIFY(!evacuation.isFinished());
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toInt(), int(before.size()));
        QCOMPARE(finished.first().at(1).toInt(), 0);
        QCOMPARE(evacuation.doneCount(), int(before.size()));
        QVERIFY(evacuation.failures().isEmpty());
        QCOMPARE(evacuation.percent(), 100.0);
        double last = 0;
        for (const QList<QVariant> &signal : progressed) {
            QVERIFY2(signal.first().toDouble() >= last, "overall progress went backwards");
            last = signal.first().toDouble();
        }
        QVERIFY(progressed.size() > before.size()); // the jobs' progress, not only their ends

        // Through the queue: never more than its cap leaving the host at once.
        QCOMPARE(mostAtOnce, std::min<int>(MigrationScheduler::DefaultCapPerHost, int(before.size())));
        QVERIFY(scheduler.isIdle());
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory.vmKeysOfHost(source).isEmpty(), 5000);
        for (const VmKey &key : before)
            QTRY_COMPARE_WITH_TIMEOUT(int(keysWithUuid(key.uuid).size()), 1, 5000);
    }

    void evacuationCountsRefusalsAsFailed()
    {
        // A plan made before the destination went into maintenance: the controller's pre-flight
        // refuses its moves when the evacuation starts them.
        const QString source = hostNamed(QStringLiteral("par-hv03"));
        const EvacuationPlan plan = EvacuationPlan::make(m_inventory, m_migrations->preflight(), source);
        QVERIFY(!plan.moves.isEmpty());
        for (const QString &uri : m_inventory.hostUris())
            m_inventory.setMaintenance(uri, true);
        MigrationScheduler scheduler(m_migrations.get());
        int mostAtOnce = 0;
        connect(m_migrations.get(), &MigrationController::jobStarted, &scheduler,
                [&] { mostAtOnce = std::max(mostAtOnce, m_migrations->runningCount()); });
        Evacuation evacuation(&scheduler, plan, {});
        QSignalSpy finished(&evacuation, &Evacuation::finished);
        evacuation.start();
        QCOMPARE(finished.size(), 1); // at once: nothing started
        QCOMPARE(evacuation.doneCount(), 0);
        QCOMPARE(evacuation.failedCount(), int(plan.moves.size()));
        QVERIFY2(evacuation.failures().first().contains(QLatin1String("maintenance")), qPrintable(evacuation.failures().first()));
        for (const QString &uri : m_inventory.hostUris())
            m_inventory.setMaintenance(uri, false);
    }

    // The demo's migrations take the time their memory takes over a 2 GiB/s link, within bounds.
    void demoDurationGrowsWithMemory_data()
    {
        QTest::addColumn<quint64>("memoryMiB");
        QTest::addColumn<int>("ms");
        QTest::newRow("512 MiB bastion: the floor") << quint64(512) << 2000;
        QTest::newRow("16 GiB") << quint64(16 * 1024) << 8800;
        QTest::newRow("48 GiB database") << quint64(48 * 1024) << 26400;
        QTest::newRow("1 TiB: the ceiling") << quint64(1024 * 1024) << 30000;
    }

    void demoDurationGrowsWithMemory()
    {
        QFETCH(quint64, memoryMiB);
        QFETCH(int, ms);
        QCOMPARE(MigrationController::demoDurationMs(memoryMiB * 1024 * 1024), ms);
    }

    void cleanupTestCase()
    {
        m_migrations.reset();
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_MigrationController)
#include "tst_migrationcontroller.moc"
