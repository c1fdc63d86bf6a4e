// The Migrations panel over the queue, on demo hosts (simulated migrations through the real
// sessions, controller and scheduler): running rows first, then pending ones in queue order;
// the row buttons reorder and cancel pending entries and retry failed ones. Set
// VIGIE_SHOT_DIR to keep a picture of the panel with a queue (pending, running, done).
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "jobspanel.h"

#include <QAction>
#include <QDir>
#include <QMenu>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSet>
#include <QTest>
#include <QToolButton>

#include <memory>

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

    // After the switchover Cancel is disabled and says why (button and context menu alike); a
    // failed post-copy offers Resume migration, never Retry, and says where the VM's halves wait.
    void postCopyRow()
    {
        // The previous test's demo migrations removed their VMs from the sources: wait until the
        // inventory has heard (each VM on one host), or a VM gone from its host may be chosen.
        const auto listedOnce = [this] {
            QSet<QString> uuids;
            const QList<VmKey> keys = m_inventory.vmKeys();
            for (const VmKey &key : keys)
                uuids.insert(key.uuid);
            return uuids.size() == keys.size();
        };
        QTRY_VERIFY_WITH_TIMEOUT(listedOnce(), 10000);
        m_migrations->setDemoDurationMs(3000);
        JobsPanel panel(m_migrations.get());
        panel.show();
        QString dest;
        const QList<VmKey> vms = movable(1, &dest);
        QCOMPARE(vms.size(), 1);
        MigrationOptions options;
        options.postCopy = true;
        const QString id = m_migrations->start(vms.first(), dest, options);
        QVERIFY(!id.isEmpty());
        QVERIFY(panel.cancelButton(id)->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(m_migrations->job(id).phase, MigrationPhase::PostCopy, 5000);
        QToolButton *cancel = panel.cancelButton(id);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(!cancel->isHidden());
        QCOMPARE(cancel->toolTip(), migrationCancelRefusal(MigrationPhase::PostCopy));
        QVERIFY(cancel->toolTip().contains(QLatin1String("no longer be cancelled")));
        std::unique_ptr<QMenu> menu(panel.contextMenu(id));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 1);
        QVERIFY(!menu->actions().first()->isEnabled());
        QCOMPARE(menu->actions().first()->toolTip(), cancel->toolTip());
        // Its end is not this test's matter: about one run in ten (four runs at once, after the
        // queue test) the demo migration ends "Domain not found", cause not found yet (noted in
        // issue 16); the panel's rows below are the point.
        QTRY_VERIFY2_WITH_TIMEOUT(migrationPhaseIsFinal(m_migrations->job(id).phase), "the demo migration did not end", 10000);

        // A real job's failure after the switchover, as the controller reports it (libvirt's
        // test driver cannot migrate; the lab test drives the real one).
        MigrationProgress failed = m_migrations->job(id);
        failed.jobId = QStringLiteral("post-copy-failed");
        failed.demo = false;
        failed.phase = MigrationPhase::Running;
        Q_EMIT m_migrations->jobStarted(failed);
        failed.phase = MigrationPhase::PostCopyFailed;
        failed.message = QStringLiteral("operation failed: job 'migration in' failed in post-copy phase");
        Q_EMIT m_migrations->jobFinished(failed);
        QToolButton *resume = panel.resumeButton(failed.jobId);
        QVERIFY(resume && !resume->isHidden() && resume->isEnabled());
        QVERIFY(panel.cancelButton(failed.jobId)->isHidden());
        const QString details = panel.detailsText(failed.jobId);
        QVERIFY2(details.contains(QLatin1String("Post-copy failed")) && details.contains(QLatin1String("until the migration is resumed"))
                     && details.contains(failed.message),
                 qPrintable(details));
        menu.reset(panel.contextMenu(failed.jobId));
        QCOMPARE(menu->actions().size(), 1);
        QVERIFY(menu->actions().first()->text().contains(QLatin1String("Resume migration")));
        // The controller does not know that job: Resume says so instead of doing anything.
        resume->click();
        QCOMPARE(panel.detailsText(failed.jobId), QStringLiteral("No such migration."));
    }
};

QTEST_MAIN(tst_JobsPanel)
#include "tst_jobspanel.moc"
