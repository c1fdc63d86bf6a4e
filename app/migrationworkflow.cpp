#include "migrationworkflow.h"

#include "accessguard.h"
#include "displaytext.h"
#include "evacuationdialog.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "itemmodels/vmtablemodel.h"
#include "migrationdialog.h"
#include "notificationbar.h"
#include "placement/evacuation.h"
#include "placement/evacuationplan.h"
#include "placement/preflight.h"
#include "plaintext.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStyle>
#include <QStatusBar>

#include <memory>

namespace Vigie {

MigrationWorkflow::MigrationWorkflow(Inventory *inventory, SessionManager *sessions, MigrationController *migrations,
                                     MigrationScheduler *scheduler, NotificationBar *notifications, AccessGuard *access,
                                     std::function<QList<VmKey>()> selection, QMainWindow *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_migrations(migrations)
    , m_scheduler(scheduler)
    , m_notifications(notifications)
    , m_access(access)
    , m_selection(std::move(selection))
    , m_window(window)
    , m_menu(new QMenu(tr("&Migrate to"), window))
    , m_resume(new QAction(window->style()->standardIcon(QStyle::SP_MediaPlay), tr("Resume mi&gration"), window))
{
    m_resume->setObjectName(QStringLiteral("resumeMigration"));
    m_resume->setEnabled(false);
    m_resume->setStatusTip(tr("Resumes the selected VMs' migrations that failed after the switchover, once their hosts "
                              "reach each other again."));
    m_resume->setToolTip(tr("Post-copy failed: the VM is paused on its source and stalled on its destination, each "
                            "holding part of its memory. Resuming the migration is the only way back; a destroy or a "
                            "start on either host loses the guest."));
    connect(m_resume, &QAction::triggered, this, &MigrationWorkflow::resumeSelected);
    connect(m_migrations, &MigrationController::jobFinished, this, &MigrationWorkflow::update);
    connect(m_migrations, &MigrationController::jobResumed, this, &MigrationWorkflow::update);
    m_menu->setObjectName(QStringLiteral("migrateMenu"));
    m_menu->setToolTipsVisible(true);
    m_menu->menuAction()->setStatusTip(tr("Live-migrates the selected VMs to another host."));
    connect(m_menu, &QMenu::aboutToShow, this, &MigrationWorkflow::fillMenu);
    connect(m_migrations, &MigrationController::jobFinished, this, &MigrationWorkflow::quickMoveFinished);
    {
        QSettings settings;
        m_scheduler->setCapPerHost(MigrationScheduler::loadCap(settings));
    }
    connect(m_scheduler, &MigrationScheduler::capChanged, this, [](int cap) {
        QSettings settings;
        MigrationScheduler::saveCap(settings, cap);
    });
    // Refused when its turn came (the fleet changed since it was queued): said at once; the
    // Migrations panel keeps it, with Retry.
    connect(m_scheduler, &MigrationScheduler::entryChanged, this, [this](const MigrationScheduler::Entry &entry) {
        if (entry.state == MigrationScheduler::State::Failed && entry.jobId.isEmpty())
            m_notifications->notify(NotificationBar::Kind::Error, tr("Cannot migrate %1").arg(entry.vmName), entry.message);
    });
}

MigrationOptions MigrationWorkflow::savedOptions()
{
    QSettings settings;
    return MigrationOptions::load(settings);
}

void MigrationWorkflow::showStatus(const QString &text, int timeoutMs) const
{
    m_window->statusBar()->showMessage(text, timeoutMs);
}

void MigrationWorkflow::update()
{
    bool resumable = false;
    for (const VmKey &vm : m_selection())
        resumable = resumable || !m_migrations->postCopyFailedJob(vm.uuid).isEmpty();
    m_resume->setEnabled(resumable);
}

void MigrationWorkflow::resumeSelected()
{
    QSet<QString> jobs;
    for (const VmKey &vm : m_selection()) {
        if (const QString job = m_migrations->postCopyFailedJob(vm.uuid); !job.isEmpty())
            jobs.insert(job);
    }
    for (const QString &job : std::as_const(jobs)) {
        QString error;
        if (!m_migrations->resume(job, &error))
            m_notifications->notify(NotificationBar::Kind::Error,
                                    tr("Cannot resume the migration of %1").arg(m_migrations->job(job).vmName), error);
    }
    update();
}

void MigrationWorkflow::fillMenu()
{
    m_menu->clear();
    const QList<VmKey> vms = m_selection();
    for (const QString &uri : m_inventory->hostUris()) {
        const HostInfo host = m_inventory->host(uri);
        QAction *action = m_menu->addAction(
            tr("%1 (%2 free)").arg(DisplayText::singleLine(host.displayName), formatMemoryKiB(m_migrations->preflight().freeMemoryKiB(uri))));
        QString refusal;
        int accepted = 0;
        for (const VmKey &vm : vms) {
            const PlacementCheck check = m_migrations->preflight().checkMigration(vm, uri);
            accepted += check.allowed ? 1 : 0;
            if (!check.allowed && refusal.isEmpty())
                refusal = vms.size() > 1 ? m_inventory->vm(vm).name + QStringLiteral(": ") + check.reason : check.reason;
        }
        // Several VMs: a host taking some of them is offered; the dialog says which stay.
        if (accepted > 0 && !refusal.isEmpty())
            refusal = tr("%1 of %2 VMs can go; %3").arg(accepted).arg(vms.size()).arg(refusal);
        action->setEnabled(accepted > 0);
        action->setToolTip(DisplayText::toolTip(refusal.isEmpty() ? tr("Migrate here") : refusal));
        action->setStatusTip(DisplayText::singleLine(refusal));
        connect(action, &QAction::triggered, this, [this, vms, uri] { request(vms, uri); });
    }
    if (m_inventory->hostUris().isEmpty())
        m_menu->addAction(tr("No host"))->setEnabled(false);
}

void MigrationWorkflow::hostMenu(const QString &hostUri, const QPoint &globalPos)
{
    QMenu menu(m_window);
    const QString name = DisplayText::singleLine(m_inventory->host(hostUri).displayName);
    menu.setToolTipsVisible(true);
    const QString readOnly = m_access->refusal({hostUri});
    if (m_tenantScope && m_tenantScope->isScoped()) {
        // A tenant's view has no fleet-wide action.
        menu.addAction(tr("Reconnect %1").arg(name), this, [this, hostUri] { m_sessions->reconnect(hostUri); });
        menu.exec(globalPos);
        return;
    }
    QAction *evacuateAction = menu.addAction(tr("Evacuate %1…").arg(name), this, [this, hostUri] { evacuate(hostUri); });
    evacuateAction->setEnabled(readOnly.isEmpty());
    evacuateAction->setToolTip(DisplayText::toolTip(readOnly));
    QAction *end = menu.addAction(tr("End maintenance of %1").arg(name), this, [this, hostUri] { endMaintenance(hostUri); });
    end->setEnabled(readOnly.isEmpty() && m_inventory->isInMaintenance(hostUri));
    end->setToolTip(DisplayText::toolTip(readOnly));
    menu.addSeparator();
    menu.addAction(tr("Reconnect %1").arg(name), this, [this, hostUri] { m_sessions->reconnect(hostUri); });
    menu.exec(globalPos);
}

void MigrationWorkflow::setMaintenance(const QString &hostUri, bool maintenance)
{
    // The inventory holds it: the pre-flight, the tree, the topology and the dashboard read it there.
    m_inventory->setMaintenance(hostUri, maintenance);
    Q_EMIT maintenanceChanged();
}

void MigrationWorkflow::endMaintenance(const QString &hostUri)
{
    setMaintenance(hostUri, false);
    const QString name = DisplayText::singleLine(m_inventory->host(hostUri).displayName);
    showStatus(tr("%1 is out of maintenance").arg(name), 5000);
    // The VMs its evacuation moved, where they are now.
    const auto whereIs = [this, hostUri](const QString &uuid) {
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (key.uuid == uuid && key.hostUri != hostUri)
                return key;
        }
        return VmKey{};
    };
    const QStringList uuids = m_evacuated.take(hostUri);
    QStringList names;
    for (const QString &uuid : uuids) {
        if (const VmKey key = whereIs(uuid); key.isValid())
            names.append(m_inventory->vm(key).name);
    }
    if (names.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Bring the VMs back?"),
                                tr("Bring the %n VM(s) evacuated from %1 back to it?", nullptr, int(names.size())).arg(name),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("bringBackBox"));
    box->setInformativeText(tr("They go through the migration queue, with the last migration options: %1")
                                .arg(names.join(QStringLiteral(", "))));
    setPlainText(box); // VM and host names
    QPushButton *back = box->addButton(tr("&Bring back"), QMessageBox::AcceptRole);
    box->addButton(tr("&Leave them"), QMessageBox::RejectRole);
    box->setDefaultButton(back);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, back, uuids, hostUri, whereIs] {
        if (box->clickedButton() != back)
            return;
        const MigrationOptions options = savedOptions();
        for (const QString &uuid : uuids) {
            if (const VmKey key = whereIs(uuid); key.isValid())
                m_scheduler->enqueue(key, hostUri, options);
        }
    });
    box->open();
}

void MigrationWorkflow::evacuate(const QString &hostUri)
{
    const QString name = DisplayText::name(m_inventory->host(hostUri).displayName);
    if (const QString refusal = m_access->refusal({hostUri}); !refusal.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, tr("Cannot evacuate %1").arg(name), refusal);
        return;
    }
    // The host being emptied takes nothing meanwhile: planned as in maintenance.
    const EvacuationPlan plan = EvacuationPlan::make(*m_inventory, m_migrations->preflight(), hostUri);
    if (plan.moves.isEmpty() && plan.unplaced.isEmpty()) {
        setMaintenance(hostUri, true);
        m_notifications->notify(NotificationBar::Kind::Information, tr("%1 has no VM").arg(name),
                                tr("It is now in maintenance."));
        return;
    }
    // The operator reviews the plan and may send any VM elsewhere; the dialog re-checks it.
    auto *dialog = new EvacuationDialog(plan, savedOptions(), m_window);
    const auto novaManaged = std::count_if(plan.moves.cbegin(), plan.moves.cend(), [this](const EvacuationPlan::Move &move) {
        return m_inventory->vm(move.vm).manager == QLatin1String("nova");
    });
    if (novaManaged > 0) {
        dialog->setCaveats({tr("%n of them are managed by OpenStack Nova, which will still record them on %1 (its own "
                               "evacuation, nova host-evacuate-live, moves them with OpenStack's knowledge).",
                               nullptr, int(novaManaged))
                                .arg(name)});
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, hostUri] { startEvacuation(hostUri, dialog->plan(), dialog->options()); });
    dialog->open();
}

void MigrationWorkflow::startEvacuation(const QString &hostUri, const EvacuationPlan &plan, const MigrationOptions &options)
{
    const QString name = DisplayText::name(m_inventory->host(hostUri).displayName);
    setMaintenance(hostUri, true);
    auto *evacuation = new Evacuation(m_scheduler, plan, options, this);
    connect(evacuation, &Evacuation::progressed, this, [this, name, evacuation](double percent, int done, int failed) {
        showStatus(tr("Evacuating %1: %2 % (%3 of %4 VMs moved, %5 failed)")
                       .arg(name)
                       .arg(percent, 0, 'f', 0)
                       .arg(done)
                       .arg(evacuation->total())
                       .arg(failed));
    });
    connect(evacuation, &Evacuation::finished, this, [this, name, hostUri, evacuation](int done, int failed) {
        m_window->statusBar()->clearMessage();
        // What End maintenance offers to bring back.
        QStringList &evacuated = m_evacuated[hostUri];
        for (const VmKey &vm : evacuation->moved())
            evacuated.append(vm.uuid);
        if (failed == 0) {
            m_notifications->notify(NotificationBar::Kind::Information, tr("%1 evacuated").arg(name),
                                    tr("%n VM(s) moved; the host is in maintenance.", nullptr, done));
        } else {
            m_notifications->notify(NotificationBar::Kind::Error, tr("Evacuation of %1 incomplete").arg(name),
                                    tr("%n VM(s) moved, %1 failed:", nullptr, done).arg(failed) + QLatin1Char('\n')
                                        + evacuation->failures().join(QLatin1Char('\n')));
        }
        evacuation->deleteLater();
    });
    evacuation->start();
}

void MigrationWorkflow::requestQuick(const QList<VmKey> &vms, const QString &destUri)
{
    if (m_quickConfirmed) {
        request(vms, destUri, true);
        return;
    }
    // Shift-drop skips the dialog: the first one of a session says so and asks, so that a chip
    // grabbed by mistake is not migrated on the spot.
    QStringList names;
    for (const VmKey &vm : vms)
        names.append(m_inventory->vm(vm).name);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Migrate without the dialog?"),
                                tr("Migrate %1 to %2 now, with the last migration options?")
                                    .arg(names.join(QStringLiteral(", ")), m_inventory->host(destUri).displayName),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("quickMigrateBox"));
    box->setInformativeText(tr("Shift + drop migrates at once. It is not asked again until Vigie restarts."));
    box->setTextFormat(Qt::PlainText);
    QPushButton *migrate = box->addButton(tr("Migrate"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(migrate);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, migrate, vms, destUri] {
        if (box->clickedButton() != migrate)
            return;
        m_quickConfirmed = true;
        request(vms, destUri, true);
    });
    box->open();
}

void MigrationWorkflow::request(const QList<VmKey> &vms, const QString &destUri, bool skipDialog, const QString &note)
{
    if (vms.isEmpty())
        return;
    MigrationOptions options = savedOptions();
    QList<VmKey> going;
    QList<MigrationDialog::Candidate> candidates;
    QStringList refusals;
    for (const VmKey &key : vms) {
        const VmInfo vm = m_inventory->vm(key);
        PlacementCheck check = m_migrations->preflight().checkMigration(key, destUri);
        if (check.allowed && m_migrations->isMigrating(key))
            check = PlacementCheck::refused(MigrationController::tr("This VM is already being migrated."));
        // Named as the table names it: a Nova instance by its Nova name first.
        candidates.append({vm.shownName(), m_inventory->host(key.hostUri).displayName, vm.isActive(), check.allowed, check.reason});
        if (check.allowed)
            going.append(key);
        else
            refusals.append(vms.size() > 1 ? tr("%1: %2").arg(vm.name, check.reason) : check.reason);
    }
    const QString title = vms.size() == 1 ? tr("Cannot migrate %1").arg(m_inventory->vm(vms.first()).name)
                                          : tr("%n VM(s) cannot migrate", nullptr, int(refusals.size()));
    if (going.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, title, refusals.join(QLatin1Char('\n')));
        return;
    }
    // What another system owns is said before it moves, even on a Shift-drop.
    QStringList caveats;
    for (const VmKey &key : std::as_const(going))
        caveats.append(m_migrations->preflight().migrationCaveats(key, destUri));
    if (!caveats.isEmpty())
        skipDialog = false;
    if (!skipDialog) {
        // One plan, one confirmation: several VMs are listed with their verdicts.
        const QString dest = m_inventory->host(destUri).displayName;
        std::unique_ptr<MigrationDialog> dialog
            = vms.size() == 1 ? std::make_unique<MigrationDialog>(candidates.first().vmName, candidates.first().source, dest,
                                                                  candidates.first().active, options, m_window)
                              : std::make_unique<MigrationDialog>(candidates, dest, options, m_window);
        dialog->setCapPerHost(m_scheduler->capPerHost());
        dialog->setNote(note);
        dialog->setCaveats(caveats);
        if (dialog->exec() != QDialog::Accepted)
            return;
        options = dialog->options();
        QSettings settings;
        MigrationOptions::save(settings, options);
        m_scheduler->setCapPerHost(dialog->capPerHost());
    } else if (!refusals.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, title, refusals.join(QLatin1Char('\n')));
    }
    for (const VmKey &vm : std::as_const(going)) {
        if (skipDialog)
            m_quickMoves.insert(vm.uuid, vm.hostUri);
        m_scheduler->enqueue(vm, destUri, options);
    }
}

void MigrationWorkflow::quickMoveFinished(const MigrationProgress &progress)
{
    const QString sourceUri = m_quickMoves.take(progress.vm.uuid);
    if (sourceUri.isEmpty() || progress.phase != MigrationPhase::Completed)
        return;
    const QString uuid = progress.vm.uuid;
    const QString destUri = progress.destUri;
    m_notifications->notify(NotificationBar::Kind::Information,
                            tr("%1 moved to %2").arg(progress.vmName, m_inventory->host(destUri).displayName),
                            tr("Shift + drop migrated it without the dialog."), destUri,
                            {tr("Migrate back to %1").arg(m_inventory->host(sourceUri).displayName),
                             [this, uuid, destUri, sourceUri] { request({VmKey{destUri, uuid}}, sourceUri, true); }});
}

} // namespace Vigie
