#pragma once

#include "hypervisor/migration.h"
#include "inventory/vminfo.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

class QAction;
class QMainWindow;
class QMenu;
class QPoint;

namespace Vigie {

class AccessGuard;
struct EvacuationPlan;
class Inventory;
class MigrationController;
class MigrationScheduler;
class NotificationBar;
class SessionManager;
class TenantScope;

// Migrations as the operator asks for them: VM › Migrate to (each host with why it cannot
// take the selection), a drop on a host (the dialog, or Shift-drop with the last options, asked
// once per session), a host's evacuation into maintenance and its end, which offers to bring
// the evacuated VMs back. Every plan goes through the pre-flight, then the queue; refusals are
// shown, not silently dropped. Dialogs are WINDOW's; progress goes to its status bar.
class MigrationWorkflow : public QObject
{
    Q_OBJECT

public:
    MigrationWorkflow(Inventory *inventory, SessionManager *sessions, MigrationController *migrations,
                      MigrationScheduler *scheduler, NotificationBar *notifications, AccessGuard *access,
                      std::function<QList<VmKey>()> selection, QMainWindow *window);

    // VM › Migrate to: filled with the hosts when opened.
    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // VM › Resume migration: enabled when a selected VM's post-copy migration failed (the only
    // thing done to such a VM); resumes it, as the Migrations panel's button does.
    [[nodiscard]] QAction *resumeAction() const { return m_resume; }
    // Follows the selection (the window calls it with its other actions).
    void update();
    // A tenant's view has no fleet-wide action in the host menu.
    void setTenantScope(const TenantScope *scope) { m_tenantScope = scope; }

    // Migrates VMS to DEST_URI: asks how in the migration dialog, unless SKIP_DIALOG, then with
    // the last options used. One plan for every VM: one confirmation (the dialog lists each VM's
    // pre-flight verdict; refused ones are left out), then the migrations go through the queue.
    // NOTE heads the dialog (why this destination).
    void request(const QList<VmKey> &vms, const QString &destUri, bool skipDialog = false, const QString &note = {});
    // A Shift-drop: migrates without the dialog, once the operator said so in this session.
    void requestQuick(const QList<VmKey> &vms, const QString &destUri);
    // Plans where each VM of HOST_URI goes, asks the operator, then puts the host in maintenance
    // (nothing new placed there) and migrates them.
    void evacuate(const QString &hostUri);
    void endMaintenance(const QString &hostUri);
    // The topology's menu of a host: evacuate, end maintenance, reconnect.
    void hostMenu(const QString &hostUri, const QPoint &globalPos);
    // The options of the last migration confirmed.
    [[nodiscard]] static MigrationOptions savedOptions();

Q_SIGNALS:
    // A host went into maintenance or out of it (the inventory has it already).
    void maintenanceChanged();

private:
    void fillMenu();
    void resumeSelected();
    void setMaintenance(const QString &hostUri, bool maintenance);
    // Puts HOST_URI in maintenance and runs PLAN, as the operator approved it.
    void startEvacuation(const QString &hostUri, const EvacuationPlan &plan, const MigrationOptions &options);
    void showStatus(const QString &text, int timeoutMs = 0) const;
    // A migration made by Shift-drop ended: when it completed, the notification offers to move
    // the VM back (the undo of a chip grabbed by mistake).
    void quickMoveFinished(const MigrationProgress &progress);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    MigrationController *m_migrations;
    MigrationScheduler *m_scheduler;
    NotificationBar *m_notifications;
    AccessGuard *m_access;
    std::function<QList<VmKey>()> m_selection;
    QMainWindow *m_window;
    const TenantScope *m_tenantScope = nullptr;
    QMenu *m_menu;
    QAction *m_resume;
    QHash<QString, QStringList> m_evacuated; // host in maintenance -> UUIDs of the VMs it sent away
    bool m_quickConfirmed = false;            // Shift-drop: asked once per session
    QHash<QString, QString> m_quickMoves;     // UUID of a VM moving by Shift-drop -> its source host
};

} // namespace Vigie
