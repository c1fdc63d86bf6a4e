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
class Preflight;
class SessionManager;

// A NIC moved into another VLAN, as the operator asks for it (VM › Move to VLAN, a drop on a
// VLAN lane): the NIC chosen by its network, a confirmation that says what the running VM
// loses, then the move through the network controller when it wires the NIC (its port moves
// first, in one transaction), else through libvirt. Failures and remarks of either go to the
// notification bar.
class VlanMoves : public QObject
{
    Q_OBJECT

public:
    VlanMoves(Inventory *inventory, SessionManager *sessions, NetworkController *network, const Preflight *preflight,
              NotificationBar *notifications, std::function<QList<VmKey>()> selection, QWidget *window);

    // VM › Move to VLAN: filled when opened, each VLAN saying why it cannot take the NIC.
    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // Moves a NIC of VM into VLAN_ID after the operator confirms (MAC empty: the VM's only NIC,
    // or the operator picks one).
    void request(const VmKey &vm, int vlanId, const QString &mac = {});

private:
    void fillMenu();
    void notifyOutcome(const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    NetworkController *m_network;
    const Preflight *m_preflight;
    NotificationBar *m_notifications;
    std::function<QList<VmKey>()> m_selection;
    QWidget *m_window;
    QMenu *m_menu;
};

} // namespace Vigie
