// A console killed mid-migration, at its next start: the journal it left says which migrations
// it did not see end; each is followed again when libvirt still runs it (adopted), or listed as
// finished with what became of it. libvirt's side (a job on the source, the destination's paused
// copy) is the lab's to show (tests/lab/tst_labmigrationrestart.cpp); here the inventory is fed
// the values its sessions would read, and an adopted job polls libvirt's test driver.
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationjournal.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

namespace {

const QString HostA = u"qemu+tcp://hv-a/system"_s;
const QString HostB = u"qemu+tcp://hv-b/system"_s;

HostSnapshot snapshot(const QString &uri, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = QUrl(uri).host();
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    return s;
}

VmInfo vm(const QString &host, const QString &uuid, VmState state = VmState::Running)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = uuid;
    v.name = uuid;
    v.state = state;
    v.memoryKiB = 65536;
    return v;
}

MigrationProgress job(const QString &source, const QString &uuid, const QString &dest)
{
    MigrationProgress p;
    p.vm = {source, uuid};
    p.vmName = uuid;
    p.sourceUri = source;
    p.destUri = dest;
    return p;
}

} // namespace

class tst_MigrationJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entriesOutliveTheProcess()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"vigie.conf"_s);
        {
            MigrationJournal journal(file);
            journal.add(job(HostA, u"u1"_s, HostB));
            journal.add(job(HostB, u"u2"_s, HostA));
            journal.remove({HostB, u"u1"_s}); // another source: not this entry
            journal.remove({HostB, u"u2"_s});
        }
        // What the file holds (another process reading it).
        const QList<MigrationJournal::Entry> entries = MigrationJournal(file).entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().vm, (VmKey{HostA, u"u1"_s}));
        QCOMPARE(entries.first().vmName, u"u1"_s);
        QCOMPARE(entries.first().destUri, HostB);
        QVERIFY(entries.first().startedMs > 0);
    }

    // Three migrations a killed run left: each settled once both of its hosts are read.
    void settlesWhatAPreviousRunLeft()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"vigie.conf"_s);
        {
            MigrationJournal journal(file);
            for (const QString &uuid : {u"cancelled"_s, u"paused"_s, u"moved"_s})
                journal.add(job(HostA, uuid, HostB));
        }
        Inventory inventory;
        inventory.addHost(HostA);
        inventory.addHost(HostB);
        SessionManager sessions(&inventory);
        MigrationController migrations(&sessions, &inventory);
        QSignalSpy finished(&migrations, &MigrationController::jobFinished);
        QSignalSpy events(&sessions, &SessionManager::eventRecorded);
        migrations.setJournal(std::make_unique<MigrationJournal>(file));

        VmInfo paused = vm(HostA, u"paused"_s, VmState::Paused);
        paused.pausedByMigration = true;
        inventory.applySnapshot(snapshot(HostA, {vm(HostA, u"cancelled"_s), paused}));
        // The journal is settled by a queued call: once it (and what it posts) has run, nothing
        // is concluded, since the destination is not read yet.
        for (int round = 0; round < 3; ++round)
            QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.count(), 0);
        inventory.applySnapshot(snapshot(HostB, {vm(HostB, u"moved"_s)}));
        QTRY_COMPARE(finished.count(), 3);

        QHash<QString, MigrationProgress> byVm;
        for (const MigrationProgress &p : migrations.jobs())
            byVm.insert(p.vm.uuid, p);
        QCOMPARE(byVm.size(), 3);
        for (const MigrationProgress &p : std::as_const(byVm)) {
            QVERIFY(p.adopted);
            QCOMPARE(p.destUri, HostB);
        }
        QCOMPARE(byVm[u"cancelled"_s].phase, MigrationPhase::Failed);
        QVERIFY2(byVm[u"cancelled"_s].message.contains(u"interrupted"_s), qPrintable(byVm[u"cancelled"_s].message));
        QVERIFY2(byVm[u"cancelled"_s].message.contains(u"keeps running on hv-a"_s), qPrintable(byVm[u"cancelled"_s].message));
        QCOMPARE(byVm[u"paused"_s].phase, MigrationPhase::Failed);
        QVERIFY2(byVm[u"paused"_s].message.contains(u"paused on hv-a: resume it there"_s), qPrintable(byVm[u"paused"_s].message));
        QCOMPARE(byVm[u"moved"_s].phase, MigrationPhase::Completed);
        QCOMPARE(byVm[u"moved"_s].percent, 100.0);
        // Settled once: gone from the journal.
        QVERIFY(MigrationJournal(file).entries().isEmpty());
        // The paused VM's recovery is said in the log too, as a warning: resume, never destroy.
        bool warned = false;
        for (const QList<QVariant> &args : std::as_const(events)) {
            const auto record = args.first().value<EventRecord>();
            if (record.vm == u"paused"_s && record.severity == EventRecord::Severity::Warning)
                warned = record.result.contains(u"resume it on this host"_s);
        }
        QVERIFY(warned);
    }

    // A VM whose source has a migration job (libvirt's MIGRATION_OUT) is followed, once. Here
    // the source is libvirt's test driver, which has no job statistics: the adopted job says so
    // and ends (following a real job to its end is the lab's test).
    void adoptsOnce()
    {
        const QString uri = u"test:///default"_s; // not a demo host: a real MigrationJob
        Inventory inventory;
        SessionManager sessions(&inventory);
        MigrationController migrations(&sessions, &inventory);
        QSignalSpy started(&migrations, &MigrationController::jobStarted);
        QSignalSpy finished(&migrations, &MigrationController::jobFinished);

        VmInfo source = vm(uri, u"6695eb01-f6a4-8304-79aa-97f2502e193f"_s);
        source.name = u"test"_s;
        source.migration = VmMigration::Outgoing;
        VmInfo incoming = vm(HostB, source.uuid, VmState::Paused);
        incoming.migration = VmMigration::Incoming;
        inventory.applySnapshot(snapshot(HostB, {incoming}));
        inventory.applySnapshot(snapshot(uri, {source}));

        QCOMPARE(started.count(), 1);
        const auto adopted = started.first().first().value<MigrationProgress>();
        QVERIFY(adopted.adopted);
        QCOMPARE(adopted.vm, source.key());
        QCOMPARE(adopted.destUri, HostB); // the host holding the paused copy
        QVERIFY(migrations.isMigrating(source.key()));
        QCOMPARE(inventory.vmCount(), 1);
        // Seen again while followed: not a second job.
        inventory.updateVm(source);
        QCOMPARE(migrations.adopt(source.key()), QString());
        QCOMPARE(started.count(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto done = finished.first().first().value<MigrationProgress>();
        QCOMPARE(done.phase, MigrationPhase::Failed);
        QVERIFY2(done.message.contains(u"virDomainGetJobStats"_s), qPrintable(done.message));
        QVERIFY(done.adopted);
        QVERIFY(!migrations.isMigrating(source.key()));
    }

    // The source read before the destination: adopted without a destination, which is learnt
    // when that host's paused copy is read and kept through what the worker reports after
    // (it copied the job when it started). The order a CI run of the lab met.
    void adoptedJobLearnsItsDestination()
    {
        const QString uri = u"test:///default"_s;
        Inventory inventory;
        SessionManager sessions(&inventory);
        MigrationController migrations(&sessions, &inventory);
        QSignalSpy started(&migrations, &MigrationController::jobStarted);
        QSignalSpy progressed(&migrations, &MigrationController::jobProgressed);
        QSignalSpy finished(&migrations, &MigrationController::jobFinished);

        VmInfo source = vm(uri, u"6695eb01-f6a4-8304-79aa-97f2502e193f"_s);
        source.migration = VmMigration::Outgoing;
        inventory.applySnapshot(snapshot(uri, {source}));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.first().first().value<MigrationProgress>().destUri, QString());

        VmInfo incoming = vm(HostB, source.uuid, VmState::Paused);
        incoming.migration = VmMigration::Incoming;
        inventory.applySnapshot(snapshot(HostB, {incoming}));
        QCOMPARE(progressed.count(), 1);
        QCOMPARE(progressed.first().first().value<MigrationProgress>().destUri, HostB);

        // The worker (the test driver has no job statistics) ends it: the route stays.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(finished.first().first().value<MigrationProgress>().destUri, HostB);
        const QString id = started.first().first().value<MigrationProgress>().jobId;
        QCOMPARE(migrations.job(id).destUri, HostB);
    }
};

QTEST_GUILESS_MAIN(tst_MigrationJournal)
#include "tst_migrationjournal.moc"
