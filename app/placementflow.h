#pragma once

#include "inventory/vminfo.h"
#include "placement/vmtemplate.h"

#include <QObject>

class QWidget;

namespace Vigie {

class Inventory;
class NetworkController;
class NotificationBar;
class Preflight;
class SessionManager;

// A template dropped on a host, then on a VLAN, becomes a VM: the New VM dialog (name, tenant,
// start), the tenant's quota, the creation, its outcome in the notification bar, then the new
// VM announced once the inventory has it and its NICs given their ports in the network
// controller (where it has a switch for their VLAN). Its strings are the window's, in its
// translation context.
class PlacementFlow : public QObject
{
    Q_OBJECT

public:
    PlacementFlow(Inventory *inventory, SessionManager *sessions, NetworkController *network, const Preflight *preflight,
                  NotificationBar *notifications, QWidget *window);

    void request(const Vigie::VmTemplate &tmpl, const QString &hostUri, int vlanId);

Q_SIGNALS:
    // A VM just created is in the inventory (its ports are asked for right after).
    void vmArrived(const Vigie::VmKey &vm);

private:
    void created(const VmKey &vm, const QString &name, bool ok, const QString &message);
    void welcome(const VmKey &vm);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    NetworkController *m_network;
    const Preflight *m_preflight;
    NotificationBar *m_notifications;
    QWidget *m_window;
    VmKey m_awaited; // created, not in the inventory yet
};

} // namespace Vigie
