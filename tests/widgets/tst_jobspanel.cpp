// The Migrations panel over the queue, on demo hosts (simulated migrations through the real
// sessions, controller and scheduler): running rows first, then pending ones in queue order;
// the row buttons reorder and cancel pending entries and retry failed ones. Set
// VIGIE_SHOT_DIR to keep a picture of the panel with a queue (pending, running, done).
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "jobspanel.h"

#include <QDir>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

using namespace Vigie;

class tst_JobsPanel : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;

    // N running VMs the destination can all take, the smallest first, and that destination.
    QList<VmKey> movable(int n, QString *dest) const
    {
        for (const QString &uri : m_inventory.hostUris()) {
            QList<VmKey> keys;
            quint64 memory = 0;
            for (const VmKey &key : m_inventory.vmKeys()) {
                const VmInfo vm = m_inventory.vm(key);
                if (keys.size() < n && vm.state == VmState::Running && m_migrations->preflight().checkMigration(key, uri).allowed
                    && memory + vm.memoryKiB <= m_migrations->preflight().freeMemoryKiB(uri)) {
                    memory += vm.memoryKiB;
                    keys.append(key);
                }
            }
            if (keys.size() == n) {
                *dest = uri;
                return keys;
            }
        }
        return {};
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

    void queueInThePanel()
    {
        m_migrations->setDemoDurationMs(1500);
        MigrationScheduler scheduler(m_migrations.get());
        JobsPanel panel(m_migrations.get(), &scheduler);
        panel.resize(683, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.capSpinBox()->value(), 2);

        QString dest;
        const QList<VmKey> vms = movable(5, &dest);
        QCOMPARE(vms.size(), 5);
        QList<int> ids;
        for (const VmKey &vm : vms)
            ids.append(scheduler.enqueue(vm, dest, {}));
        QCOMPARE(panel.rowCount(), 5);
        // Running (0, 1) first, then the pending ones in queue order.
        QCOMPARE(panel.shownEntries(), ids);
        QVERIFY(panel.entryButton(ids.at(0), JobsPanel::Button::Up)->isHidden());
        QVERIFY(!panel.entryButton(ids.at(2), JobsPanel::Button::Up)->isHidden());
        QVERIFY(!panel.entryButton(ids.at(2), JobsPanel::Button::Up)->isEnabled()); // first pending
        QVERIFY(panel.entryDetailsText(ids.at(3)).contains(QLatin1String("at most 2")));

        // The last pending moved up, then the middle one cancelled: it never starts.
        panel.entryButton(ids.at(4), JobsPanel::Button::Up)->click();
        QCOMPARE(panel.shownEntries(), (QList<int>{ids.at(0), ids.at(1), ids.at(2), ids.at(4), ids.at(3)}));
        panel.entryButton(ids.at(3), JobsPanel::Button::Cancel)->click();
        QCOMPARE(scheduler.entry(ids.at(3)).state, MigrationScheduler::State::Cancelled);
        QVERIFY(!panel.entryButton(ids.at(3), JobsPanel::Button::Retry)->isHidden());
        QCOMPARE(panel.shownEntries().last(), ids.at(3)); // finished rows go below

        // A job's figures show in its entry's row.
        const QString job = scheduler.entry(ids.at(0)).jobId;
        QTRY_VERIFY(panel.progressBar(job)->value() > 0);
        QVERIFY(panel.cancelButton(job)->isEnabled());

        // The first two done: the next ones run; a picture with done, running and pending rows.
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.entry(ids.at(0)).state, MigrationScheduler::State::Done, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.entry(ids.at(4)).state, MigrationScheduler::State::Running, 10000);
        QTRY_VERIFY(panel.progressBar(scheduler.entry(ids.at(4)).jobId)->value() > 100);
        if (const QString dir = qEnvironmentVariable("VIGIE_SHOT_DIR"); !dir.isEmpty())
            QVERIFY(panel.grab().save(QDir(dir).filePath(QStringLiteral("jobspanel-queue.png"))));
        QVERIFY(panel.detailsText(job).contains(QLatin1String("Completed")));

        // The cancelled one retried from its row: queued again, and done in the end.
        panel.entryButton(ids.at(3), JobsPanel::Button::Retry)->click();
        QVERIFY(scheduler.entry(ids.at(3)).state != MigrationScheduler::State::Cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(scheduler.isIdle(), 30000);
        for (int id : ids)
            QCOMPARE(scheduler.entry(id).state, MigrationScheduler::State::Done);
        // Clear: every row goes.
        scheduler.clearFinished();
        QCOMPARE(panel.rowCount(), 0);

        // The cap set in the panel is the scheduler's.
        panel.capSpinBox()->setValue(3);
        QCOMPARE(scheduler.capPerHost(), 3);
    }
};

QTEST_MAIN(tst_JobsPanel)
#include "tst_jobspanel.moc"
