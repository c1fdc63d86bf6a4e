#pragma once

#include "inventory/vminfo.h"

#include <QObject>

#include <functional>

class QMenu;
class QWidget;

namespace Vigie {

class Inventory;
class NetworkController;
class NotificationBar;

// VM › IP address: a controller-wired NIC's address assigned (a free one offered, a typed one
// checked) and its port security turned on, through the network controller; and a VLAN's
// subnet and DHCP options edited (the Network panel's Addresses view). Each entry of the
// menu says why it is disabled. Results go to the notification bar; the event log has them
// from the controller.
class AddressActions : public QObject
{
    Q_OBJECT

public:
    AddressActions(Inventory *inventory, NetworkController *network, NotificationBar *notifications,
                   std::function<QList<VmKey>()> selection, QWidget *window);

    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // The dialog for one NIC; nothing happens unless the operator accepts a valid address.
    void assign(const VmKey &vm, const QString &mac);
    // Asks, then turns the NIC's port security on.
    void enablePortSecurity(const VmKey &vm, const QString &mac);
    // A VLAN's addressing (subnet, gateway, DNS, lease): the dialog, then the preview, then the
    // transaction.
    void editSubnet(const QString &switchUuid);

private:
    void fillMenu();

    Inventory *m_inventory;
    NetworkController *m_network;
    NotificationBar *m_notifications;
    std::function<QList<VmKey>()> m_selection;
    QWidget *m_window;
    QMenu *m_menu;
};

} // namespace Vigie
