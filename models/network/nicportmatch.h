#pragma once

#include "inventory/vminfo.h"
#include "network/ovnowner.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// A VM NIC and the controller's logical switch port it is plugged into: found by the NIC's Open
// vSwitch interfaceid (the port's name or its external_ids:iface-id), else by Nova's tap name
// ("tap" and the port uuid's first 11 characters, when os-vif plugged the NIC), else by the port's
// neutron:device_id (the domain uuid) and MAC. Such a NIC is controller-wired: its network is the
// port's switch.
struct NicPortMatch
{
    VmKey vm;
    QString vmName;
    QString mac;
    QString interfaceId;
    QList<int> libvirtVlans; // the VLANs libvirt puts the NIC in (Inventory::libvirtNicVlans)
    QString portUuid;
    QString portName;
    QString switchUuid;
    QString switchName;
    QString switchDisplayName;
    int controllerVlan = 0; // the port's switch's VLAN id; 0 for an overlay switch
    OvnOwner owner = OvnOwner::None; // of the port
    QStringList addresses;            // the port's IP addresses
    // Southbound (empty when no southbound database is read):
    QString chassis;        // the chassis the port is bound to; empty: unbound or unknown
    QString chassisHostUri; // the inventory host that chassis is, when Vigie knows it
    bool bindingKnown = false; // the southbound has a Port_Binding row for the port
    QStringList requestedChassis;

    friend bool operator==(const NicPortMatch &, const NicPortMatch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::NicPortMatch)
