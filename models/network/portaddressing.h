#pragma once

#include "inventory/vminfo.h"
#include "network/ovnlogicalswitchport.h"
#include "network/subnetplan.h"

#include <QJsonArray>
#include <QObject>

namespace Vigie {

class NetworkController;

// The IP addresses of the controller's VM ports (IPAM through the controller): the plan of a
// NIC's switch, an address checked against it and assigned with port security in one guarded
// transaction, port security turned on. OVN's native DHCP then gives the guest that address at
// its next exchange. Rows another system owns (Neutron's) are refused with the owner's name.
// Lives on the GUI thread, beside the NetworkController it writes through.
class PortAddressing : public QObject
{
    Q_OBJECT

public:
    explicit PortAddressing(NetworkController *controller, QObject *parent = nullptr);

    // Why the NIC's address cannot be changed through the controller (no controller, no port,
    // another system's port, a port without MAC), or empty.
    [[nodiscard]] QString refusal(const VmKey &vm, const QString &mac) const;
    // The NIC's port's switch, as far as addresses go; invalid when the subnet is not known.
    [[nodiscard]] SubnetPlan planFor(const VmKey &vm, const QString &mac) const;
    // The port's IP addresses now (static, else dynamic).
    [[nodiscard]] QStringList addressesOf(const VmKey &vm, const QString &mac) const;
    // Why ADDRESS cannot be the NIC's, or empty: the refusal above, then the subnet's.
    [[nodiscard]] QString addressRefusal(const VmKey &vm, const QString &mac, const QString &address) const;

    // Gives the NIC's port ADDRESS ("MAC ADDRESS" in addresses and port_security). Ends with
    // finished.
    void assign(const VmKey &vm, const QString &mac, const QString &address);
    // Port security on, from the port's own addresses. Ends with finished.
    void enablePortSecurity(const VmKey &vm, const QString &mac);

    // The transactions, for tests. Each waits for the port's addresses and port security to be
    // what Vigie read, so a concurrent change makes it fail instead of overwriting it.
    [[nodiscard]] static QJsonArray assignOperations(const OvnLogicalSwitchPort &port, const QString &address);
    [[nodiscard]] static QJsonArray portSecurityOperations(const OvnLogicalSwitchPort &port);

Q_SIGNALS:
    void finished(const Vigie::VmKey &vm, const QString &mac, bool ok, const QString &message);

private:
    [[nodiscard]] OvnLogicalSwitchPort portOf(const VmKey &vm, const QString &mac) const;
    void transact(const VmKey &vm, const QString &mac, const QString &action, const QJsonArray &operations,
                  const QString &success, quint64 hold = 0);

    NetworkController *m_controller;
};

} // namespace Vigie
