#pragma once

#include "inventory/vminfo.h"

#include <QList>
#include <QObject>

#include <functional>

class QAction;
class QMainWindow;

namespace Vigie {

class AccessGuard;
class ControllerUi;
class Inventory;
class MigrationWorkflow;
class NotificationBar;
class SessionManager;

// The window's own actions, beside the VM ones of LifecycleActions and the other pieces: File's
// connections (a host by URI, the network controller, the demo), the selected host's (reconnect,
// disconnect, evacuate, end maintenance) and refresh, and VM's console and XML edition. Enabled
// and named after the selection; the dialogs they open are WINDOW's. Their strings are the
// window's, in its translation context.
class WindowActions : public QObject
{
    Q_OBJECT

public:
    // What is selected, asked when an action runs or is updated.
    struct Selection
    {
        std::function<QList<VmKey>()> vms;
        std::function<QString()> hostUri;      // the selected host, or the selected VM's
        std::function<QStringList()> vmHosts;  // the hosts of the selected VMs
    };

    WindowActions(Inventory *inventory, SessionManager *sessions, MigrationWorkflow *migrationWorkflow,
                  ControllerUi *controllerUi, NotificationBar *notifications, AccessGuard *access, Selection selection,
                  QMainWindow *window);

    // File: connect to a host, to the network controller, open the demo.
    [[nodiscard]] QList<QAction *> connectActions() const;
    // File: the selected host's actions (reconnect, disconnect, evacuate, end maintenance), then
    // refresh all.
    [[nodiscard]] QList<QAction *> hostActions() const;
    // Evacuate, end maintenance: fleet-wide, in the host tree's menu too.
    [[nodiscard]] QList<QAction *> maintenanceActions() const;
    [[nodiscard]] QAction *connectAction() const { return m_connect; }
    [[nodiscard]] QAction *demoAction() const { return m_demo; }
    [[nodiscard]] QAction *consoleAction() const { return m_console; }
    [[nodiscard]] QAction *editXmlAction() const { return m_editXml; }

    // Enables the actions after the selection; evacuate and end maintenance name the host.
    void update();

Q_SIGNALS:
    // VM › Open console, for the first selected VM.
    void consoleRequested(const VmKey &vm);
    // VM › Edit XML, a VM being selected.
    void xmlEditRequested();

private:
    void connectDialog();

    Inventory *m_inventory;
    SessionManager *m_sessions;
    NotificationBar *m_notifications;
    Selection m_selection;
    QMainWindow *m_window;
    QAction *m_console = nullptr;
    QAction *m_editXml = nullptr;
    QAction *m_connect = nullptr;
    QAction *m_controller = nullptr;
    QAction *m_demo = nullptr;
    QAction *m_reconnect = nullptr;
    QAction *m_disconnect = nullptr;
    QAction *m_evacuate = nullptr;
    QAction *m_endMaintenance = nullptr;
    QAction *m_refresh = nullptr;
};

} // namespace Vigie
