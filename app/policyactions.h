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

// VM › Security policy: the policy that applies to each NIC of a VM (its port groups and their
// rules, in words), isolating the VM's tenant or the selected VMs, removing an isolation. Every
// change is shown as the rows it adds or removes before it is applied. Entries say why they are
// disabled; results go to the notification bar, the event log has them from the controller.
class PolicyActions : public QObject
{
    Q_OBJECT

public:
    PolicyActions(Inventory *inventory, NetworkController *network, NotificationBar *notifications,
                  std::function<QList<VmKey>()> selection, QWidget *window);

    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // The policy of each NIC of VM, in words: a line per group and rule.
    [[nodiscard]] QStringList policyOf(const VmKey &vm) const;
    void showPolicy(const VmKey &vm);
    // Previews, then applies, the isolation of VMS under LABEL (TENANT: its later VMs join).
    void isolate(const QString &label, const QString &tenant, const QList<VmKey> &vms);
    void isolateSelection();
    void removeIsolation(const QString &groupUuid);
    // One rule of an isolation: previewed, then removed; another system's refused with the reason.
    void removeRule(const QString &groupUuid, const QString &aclUuid);
    // A rule letting traffic into an isolated NIC: asked, previewed, applied.
    void allowInto(const VmKey &vm, const QString &mac);

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
