// Post-copy's state handling without a hypervisor: the flags a migration and its resume ask
// libvirt for, how a domain's state reason and job say where it stands (switched over, failed
// after the switchover; the destination's half kept aside), what can no longer be cancelled and
// why, what the VM table says, and that a demo post-copy switches over and then refuses Cancel.
// The real failure and resume run against the lab (tests/lab/tst_labpostcopy.cpp).
#include "hypervisor/inventoryreader.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationjob.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"

#include <QSignalSpy>
#include <QTest>

#include <libvirt/libvirt.h>

using namespace Vigie;

class tst_PostCopy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flags_data()
    {
        QTest::addColumn<bool>("postCopy");
        QTest::addColumn<bool>("peerToPeer");
        QTest::addColumn<bool>("active");
        QTest::addColumn<bool>("resume");
        QTest::addColumn<uint>("set");
        QTest::addColumn<uint>("unset");
        const uint base = VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE | VIR_MIGRATE_AUTO_CONVERGE;
        QTest::newRow("pre-copy") << false << false << true << false << base
                                  << uint(VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME);
        QTest::newRow("post-copy") << true << false << true << false << (base | VIR_MIGRATE_POSTCOPY)
                                   << uint(VIR_MIGRATE_POSTCOPY_RESUME);
        // The resume repeats the migration's flags, post-copy included, plus the resume flag.
        QTest::newRow("resume") << true << false << true << true
                                << (base | VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME) << 0u;
        QTest::newRow("resume p2p") << true << true << true << true
                                    << (base | VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME | VIR_MIGRATE_PEER2PEER)
                                    << 0u;
        // Options not known (an adopted job): libvirt still gets the post-copy flag it checks.
        QTest::newRow("resume without post-copy option") << false << false << true << true
                                                         << uint(VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME) << 0u;
        QTest::newRow("offline never post-copy") << true << false << false << false << uint(VIR_MIGRATE_OFFLINE)
                                                 << uint(VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_LIVE);
    }

    void flags()
    {
        QFETCH(bool, postCopy);
        QFETCH(bool, peerToPeer);
        QFETCH(bool, active);
        QFETCH(bool, resume);
        QFETCH(uint, set);
        QFETCH(uint, unset);
        MigrationOptions options;
        options.postCopy = postCopy;
        options.peerToPeer = peerToPeer;
        const uint flags = MigrationJob::migrationFlags(options, active, resume);
        QCOMPARE(flags & set, set);
        QCOMPARE(flags & unset, 0u);
    }

    void classify_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("reason");
        QTest::addColumn<int>("jobType");
        QTest::addColumn<int>("operation");
        QTest::addColumn<bool>("refusedAsDestination");
        QTest::addColumn<int>("migration");
        QTest::addColumn<bool>("pausedByMigration");
        const int paused = int(VmState::Paused);
        const int running = int(VmState::Running);
        const int out = VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT;
        const int none = VIR_DOMAIN_JOB_NONE;
        const int unbounded = VIR_DOMAIN_JOB_UNBOUNDED;
        const int unknown = VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
        QTest::newRow("pre-copy source") << running << int(VIR_DOMAIN_RUNNING_MIGRATED) << unbounded << out << false
                                         << int(VmMigration::Outgoing) << false;
        QTest::newRow("pre-copy destination") << paused << int(VIR_DOMAIN_PAUSED_MIGRATION) << none << unknown << true
                                              << int(VmMigration::Incoming) << false;
        // Seen in the lab (virsh domstate --reason): "paused (post-copy)" / "running (post-copy)".
        QTest::newRow("post-copy source") << paused << int(VIR_DOMAIN_PAUSED_POSTCOPY) << unbounded << out << false
                                          << int(VmMigration::Outgoing) << false;
        QTest::newRow("post-copy destination") << running << int(VIR_DOMAIN_RUNNING_POSTCOPY) << none << unknown << true
                                               << int(VmMigration::Incoming) << false;
        // "paused (post-copy failed)" with libvirt's job kept for a resume / "running (post-copy failed)".
        QTest::newRow("failed source") << paused << int(VIR_DOMAIN_PAUSED_POSTCOPY_FAILED) << unbounded << out << false
                                       << int(VmMigration::Outgoing) << true;
        QTest::newRow("failed destination") << running << int(VIR_DOMAIN_RUNNING_POSTCOPY_FAILED) << none << unknown << true
                                            << int(VmMigration::Incoming) << false;
        QTest::newRow("failed source, job gone") << paused << int(VIR_DOMAIN_PAUSED_POSTCOPY_FAILED) << none << unknown
                                                 << false << int(VmMigration::None) << true;
        QTest::newRow("plain pause") << paused << int(VIR_DOMAIN_PAUSED_USER) << none << unknown << false
                                     << int(VmMigration::None) << false;
        QTest::newRow("completed") << running << int(VIR_DOMAIN_RUNNING_MIGRATED) << none << unknown << false
                                   << int(VmMigration::None) << false;
    }

    void classify()
    {
        QFETCH(int, state);
        QFETCH(int, reason);
        QFETCH(int, jobType);
        QFETCH(int, operation);
        QFETCH(bool, refusedAsDestination);
        QFETCH(int, migration);
        QFETCH(bool, pausedByMigration);
        VmInfo vm;
        vm.state = VmState(state);
        InventoryReader::classifyMigration(&vm, reason, jobType, operation, refusedAsDestination);
        QCOMPARE(int(vm.migration), migration);
        QCOMPARE(vmPostCopyFailed(vm), migration == int(VmMigration::Outgoing) && pausedByMigration);
        QCOMPARE(vm.pausedByMigration, pausedByMigration);
    }

    void cancelAndResume()
    {
        MigrationProgress p;
        for (MigrationPhase phase : {MigrationPhase::Preparing, MigrationPhase::Running}) {
            p.phase = phase;
            QVERIFY(p.cancellable());
            QVERIFY(!p.resumable());
            QVERIFY(migrationCancelRefusal(phase).isEmpty());
        }
        p.phase = MigrationPhase::PostCopy;
        QVERIFY(!p.cancellable());
        QVERIFY(!migrationPhaseIsFinal(p.phase));
        QVERIFY(migrationCancelRefusal(p.phase).contains(QLatin1String("no longer be cancelled")));
        p.phase = MigrationPhase::PostCopyFailed;
        QVERIFY(migrationPhaseIsFinal(p.phase));
        QVERIFY(!p.cancellable());
        QVERIFY(p.resumable());
        QCOMPARE(migrationPhaseName(p.phase), QStringLiteral("postcopy-failed"));
        p.demo = true; // a simulated migration has nothing to resume
        QVERIFY(!p.resumable());
    }

    // The VM table names the failure and the other host, on the one row the VM has.
    void tableSaysResumeTheMigration()
    {
        Inventory inventory;
        HostInfo source;
        source.uri = QStringLiteral("qemu+ssh://a/system");
        source.displayName = QStringLiteral("hv-a");
        HostInfo dest = source;
        dest.uri = QStringLiteral("qemu+ssh://b/system");
        dest.displayName = QStringLiteral("hv-b");
        VmInfo vm;
        vm.hostUri = source.uri;
        vm.uuid = QStringLiteral("5a1ad0ff-0001-4000-8000-000000000000");
        vm.name = QStringLiteral("pc-1");
        vm.state = VmState::Paused;
        vm.migration = VmMigration::Outgoing;
        vm.pausedByMigration = true;
        VmInfo half = vm;
        half.hostUri = dest.uri;
        half.state = VmState::Running;
        half.migration = VmMigration::Incoming;
        half.pausedByMigration = false;
        inventory.applySnapshot({source, {vm}, {}});
        inventory.applySnapshot({dest, {half}, {}});
        QCOMPARE(inventory.vmKeys().size(), 1); // the destination's half is kept aside
        QCOMPARE(inventory.incomingHostOf(vm.uuid), dest.uri);
        VmTableModel model(&inventory);
        const QString state = model.index(0, VmTableModel::StateColumn).data().toString();
        QVERIFY2(state.contains(QLatin1String("post-copy failed")) && state.contains(QLatin1String("hv-b"))
                     && state.contains(QLatin1String("resume the migration")),
                 qPrintable(state));
    }

    // A demo migration with post-copy switches over after its first pass, then Cancel does
    // nothing: it completes, the VM on the destination.
    void demoSwitchesOverAndRefusesCancel()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        MigrationController migrations(&sessions, &inventory);
        migrations.setDemoDurationMs(1500);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.openDemo());
        QVERIFY(settled.wait(10000));
        VmKey vm;
        QString dest;
        for (const VmKey &key : inventory.vmKeys()) {
            for (const QString &uri : inventory.hostUris()) {
                if (vm.uuid.isEmpty() && uri != key.hostUri && inventory.vm(key).state == VmState::Running
                    && migrations.preflight().checkMigration(key, uri).allowed) {
                    vm = key;
                    dest = uri;
                }
            }
        }
        QVERIFY(!vm.uuid.isEmpty());
        MigrationOptions options;
        options.postCopy = true;
        QSignalSpy finished(&migrations, &MigrationController::jobFinished);
        QString error;
        const QString id = migrations.start(vm, dest, options, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(migrations.job(id).phase, MigrationPhase::PostCopy, 5000);
        QVERIFY(!migrations.job(id).cancellable());
        migrations.cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().first().value<MigrationProgress>().phase, MigrationPhase::Completed);
        QTRY_VERIFY_WITH_TIMEOUT(inventory.hasVm({dest, vm.uuid}) && !inventory.hasVm(vm), 5000);
    }
};

QTEST_GUILESS_MAIN(tst_PostCopy)

#include "tst_postcopy.moc"
