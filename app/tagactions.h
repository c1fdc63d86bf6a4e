#pragma once

#include "inventory/vminfo.h"

#include <QObject>

#include <functional>

class QAction;
class QWidget;

namespace Vigie {

class Inventory;
class NotificationBar;
class SessionManager;

// VM › Tags…: the tags dialog over the selected VMs, then the edit through the session manager
// (each host's worker writes the domain's metadata). A selection that only holds VMs OpenStack
// Nova manages is refused with a message rather than a dialog. Failures go to the notification
// bar; the event log has every VM's result.
class TagActions : public QObject
{
    Q_OBJECT

public:
    TagActions(Inventory *inventory, SessionManager *sessions, NotificationBar *notifications,
               std::function<QList<VmKey>()> selection, QWidget *window);

    [[nodiscard]] QAction *action() const { return m_action; }
    // Opens the dialog on VMS (modal); nothing is written unless the operator accepts.
    void editTags(const QList<VmKey> &vms);

private:
    Inventory *m_inventory;
    SessionManager *m_sessions;
    NotificationBar *m_notifications;
    std::function<QList<VmKey>()> m_selection;
    QWidget *m_window;
    QAction *m_action;
};

} // namespace Vigie
