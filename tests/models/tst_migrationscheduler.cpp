// The migration queue on demo hosts (simulated migrations through the real sessions and the
// controller): five VMs queued at a cap of two never run more than two at once on any host,
// counted from the controller's own signals, and all end on their destination; a refused one
// fails with its reason and succeeds when retried; a cancelled pending one never starts; pending
// entries are reordered.
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigie;

class tst_MigrationScheduler : public QObject
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

    QList<QString> hostsOf(const QString &uuid) const
    {
        QList<QString> hosts;
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (key.uuid == uuid)
                hosts.append(key.hostUri);
        }
        return hosts;
    }

    // Up to N running VMs, not on DEST, that DEST can take all together, the smallest first. A VM
    // the inventory still shows on two hosts (the source of a migration just done, whose removal
    // is not yet seen) is not one.
    QList<VmKey> movableTo(const QString &dest, int n) const
    {
        QList<VmKey> candidates;
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (key.hostUri != dest && m_inventory.vm(key).state == VmState::Running && hostsOf(key.uuid).size() == 1
                && m_migrations->preflight().checkMigration(key, dest).allowed)
                candidates.append(key);
        }
        std::sort(candidates.begin(), candidates.end(),
                  [this](const VmKey &a, const VmKey &b) { return m_inventory.vm(a).memoryKiB < m_inventory.vm(b).memoryKiB; });
        QList<VmKey> chosen;
        quint64 memory = 0;
        for (const VmKey &key : candidates) {
            if (chosen.size() == n)
                break;
            if (memory + m_inventory.vm(key).memoryKiB > m_migrations->preflight().freeMemoryKiB(dest))
                continue;
            memory += m_inventory.vm(key).memoryKiB;
            chosen.append(key);
        }
        return chosen;
    }

    // The destination with room for the most VMs.
    QString roomiest() const
    {
        QString best;
        for (const QString &uri : m_inventory.hostUris()) {
            if (best.isEmpty() || m_migrations->preflight().freeMemoryKiB(uri) > m_migrations->preflight().freeMemoryKiB(best))
                best = uri;
        }
        return best;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), &m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
    }

    void init()
    {
        m_migrations->setDemoDurationMs(300);
    }

    void stateNames()
    {
        QCOMPARE(MigrationScheduler::stateName(MigrationScheduler::State::Pending), QStringLiteral("pending"));
        QCOMPARE(MigrationScheduler::stateName(MigrationScheduler::State::Cancelled), QStringLiteral("cancelled"));
        QVERIFY(!MigrationScheduler::stateDisplayName(MigrationScheduler::State::Done).isEmpty());
    }

    // The "done when": five VMs in one go through a queue of two at a time.
    void fiveVmsTwoAtATime()
    {
        const QString dest = roomiest();
        const QList<VmKey> vms = movableTo(dest, 5);
        QCOMPARE(vms.size(), 5);
        MigrationScheduler scheduler(m_migrations.get());
        QCOMPARE(scheduler.capPerHost(), 2);

        // Counted from the controller's signals alone: how many run leaving and arriving on each host.
        QHash<QString, int> running;
        int most = 0;
        QList<QString> startedNames;
        const auto started = connect(m_migrations.get(), &MigrationController::jobStarted, this, [&](const MigrationProgress &p) {
            most = std::max({most, ++running[QLatin1Char('>') + p.sourceUri], ++running[QLatin1Char('<') + p.destUri]});
            startedNames.append(p.vmName);
        });
        const auto finished = connect(m_migrations.get(), &MigrationController::jobFinished, this, [&](const MigrationProgress &p) {
            --running[QLatin1Char('>') + p.sourceUri];
            --running[QLatin1Char('<') + p.destUri];
        });
        QSignalSpy changed(&scheduler, &MigrationScheduler::entryChanged);
        QList<int> ids;
        for (const VmKey &vm : vms)
            ids.append(scheduler.enqueue(vm, dest, {}));
        // Two started at once (the destination's cap), three wait.
        QCOMPARE(scheduler.count(MigrationScheduler::State::Running), 2);
        QCOMPARE(scheduler.count(MigrationScheduler::State::Pending), 3);
        QCOMPARE(scheduler.entries().at(2).state, MigrationScheduler::State::Pending);
        QTRY_VERIFY_WITH_TIMEOUT(scheduler.isIdle(), 30000);
        disconnect(started);
        disconnect(finished);

        QCOMPARE(most, 2);
        QCOMPARE(startedNames.size(), 5);
        for (int id : ids) {
            const MigrationScheduler::Entry entry = scheduler.entry(id);
            QVERIFY2(entry.state == MigrationScheduler::State::Done, qPrintable(entry.vmName + u' ' + entry.message));
            QVERIFY(!entry.jobId.isEmpty());
            QCOMPARE(scheduler.entryOfJob(entry.jobId), id);
            QCOMPARE(m_migrations->job(entry.jobId).phase, MigrationPhase::Completed);
        }
        // Queue order kept: they started in the order they were queued.
        for (int i = 0; i < vms.size(); ++i)
            QCOMPARE(startedNames.at(i), m_inventory.vm(vms.at(i)).name.isEmpty() ? startedNames.at(i) : scheduler.entry(ids.at(i)).vmName);
        // Every VM ends on the destination, and only there.
        for (const VmKey &vm : vms)
            QTRY_COMPARE_WITH_TIMEOUT(hostsOf(vm.uuid), QList<QString>{dest}, 5000);
        // Each entry went pending -> running -> done.
        QCOMPARE(changed.size(), 10);

        QSignalSpy cleared(&scheduler, &MigrationScheduler::entriesCleared);
        scheduler.clearFinished();
        QCOMPARE(cleared.size(), 1);
        QVERIFY(scheduler.entries().isEmpty());
        QVERIFY(m_migrations->jobs().isEmpty());
    }

    // Refused at its start (the destination went into maintenance meanwhile): failed, with the
    // pre-flight's reason. Retried once the maintenance is over: done.
    void failedOneIsRetried()
    {
        const QString dest = roomiest();
        const QList<VmKey> vms = movableTo(dest, 1);
        QCOMPARE(vms.size(), 1);
        MigrationScheduler scheduler(m_migrations.get());
        m_inventory.setMaintenance(dest, true);
        const int id = scheduler.enqueue(vms.first(), dest, {});
        QCOMPARE(scheduler.entry(id).state, MigrationScheduler::State::Failed);
        QVERIFY2(scheduler.entry(id).message.contains(QLatin1String("maintenance")), qPrintable(scheduler.entry(id).message));
        QVERIFY(scheduler.entry(id).jobId.isEmpty());
        QVERIFY(!scheduler.retry(scheduler.entry(id).id + 1000)); // unknown
        QVERIFY(!scheduler.cancel(id));                           // nothing to cancel

        m_inventory.setMaintenance(dest, false);
        QVERIFY(scheduler.retry(id));
        QCOMPARE(scheduler.entry(id).state, MigrationScheduler::State::Running);
        QVERIFY(!scheduler.retry(id)); // running: not again
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.entry(id).state, MigrationScheduler::State::Done, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(hostsOf(vms.first().uuid), QList<QString>{dest}, 5000);
        scheduler.clearFinished();
    }

    // Cap 1 through one destination: a cancelled pending entry never starts, a pending entry
    // moved up starts before the one it passed, and a cap raised lets more start at once.
    void cancelAndReorderPending()
    {
        m_migrations->setDemoDurationMs(600);
        const QString dest = roomiest();
        const QList<VmKey> vms = movableTo(dest, 4);
        QCOMPARE(vms.size(), 4);
        MigrationScheduler scheduler(m_migrations.get());
        scheduler.setCapPerHost(1);
        QStringList started;
        const auto spy = connect(m_migrations.get(), &MigrationController::jobStarted, this,
                                 [&](const MigrationProgress &p) { started.append(p.vm.uuid); });
        QList<int> ids;
        for (const VmKey &vm : vms)
            ids.append(scheduler.enqueue(vm, dest, {}));
        QCOMPARE(scheduler.count(MigrationScheduler::State::Running), 1);
        QSignalSpy reordered(&scheduler, &MigrationScheduler::orderChanged);
        // Pending: 1, 2, 3. Cancel 2; move 3 before 1.
        QVERIFY(scheduler.cancel(ids.at(2)));
        QCOMPARE(scheduler.entry(ids.at(2)).state, MigrationScheduler::State::Cancelled);
        QVERIFY(scheduler.move(ids.at(3), -1));
        QCOMPARE(reordered.size(), 1);
        QVERIFY(!scheduler.move(ids.at(0), -1)); // running: not reorderable
        QVERIFY(!scheduler.move(ids.at(3), -5)); // already first of the pending
        QList<int> order;
        for (const MigrationScheduler::Entry &entry : scheduler.entries())
            order.append(entry.id);
        // The pending ones swapped slots; the cancelled one keeps its place.
        QCOMPARE(order, (QList<int>{ids.at(0), ids.at(3), ids.at(2), ids.at(1)}));

        QTRY_VERIFY_WITH_TIMEOUT(scheduler.isIdle(), 30000);
        disconnect(spy);
        QCOMPARE(started, (QStringList{vms.at(0).uuid, vms.at(3).uuid, vms.at(1).uuid}));
        QCOMPARE(scheduler.entry(ids.at(2)).state, MigrationScheduler::State::Cancelled);
        QVERIFY(scheduler.entry(ids.at(2)).jobId.isEmpty());
        QCOMPARE(hostsOf(vms.at(2).uuid), QList<QString>{vms.at(2).hostUri});

        // The cancelled one, retried, goes; raising the cap starts waiting ones at once. (The ones
        // that went are on the destination alone first: the sources' removals are seen.)
        for (int i : {0, 3, 1})
            QTRY_COMPARE_WITH_TIMEOUT(hostsOf(vms.at(i).uuid), QList<QString>{dest}, 5000);
        scheduler.setCapPerHost(1);
        const QList<VmKey> more = movableTo(dest, 2);
        QCOMPARE(more.size(), 2);
        // Long enough that the cancel below comes before the end, on a loaded machine too.
        m_migrations->setDemoDurationMs(20000);
        const int a = scheduler.enqueue(more.at(0), dest, {});
        const int b = scheduler.enqueue(more.at(1), dest, {});
        QCOMPARE(scheduler.entry(b).state, MigrationScheduler::State::Pending);
        scheduler.setCapPerHost(2);
        QCOMPARE(scheduler.entry(b).state, MigrationScheduler::State::Running);
        // A running one cancelled: aborted through the controller, retried later.
        QVERIFY(scheduler.cancel(a));
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.entry(a).state, MigrationScheduler::State::Cancelled, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(scheduler.isIdle(), 30000);
        m_migrations->setDemoDurationMs(300);
        // Retried once the aborted job is cleaned up: the VM on its source host alone again.
        QTRY_COMPARE_WITH_TIMEOUT(hostsOf(more.at(0).uuid), QList<QString>{more.at(0).hostUri}, 10000);
        QVERIFY(scheduler.retry(a));
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.entry(a).state, MigrationScheduler::State::Done, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(hostsOf(more.at(0).uuid), QList<QString>{dest}, 5000);
    }
};

QTEST_GUILESS_MAIN(tst_MigrationScheduler)
#include "tst_migrationscheduler.moc"
