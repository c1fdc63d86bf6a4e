#pragma once

#include "inventory/vminfo.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Vigie {

// A VM NIC and the controller's logical switch port it is plugged into: found by the NIC's Open
// vSwitch interfaceid, which is the port's name or its external_ids:iface-id.
struct NicPortMatch
{
    VmKey vm;
    QString vmName;
    QString mac;
    QString interfaceId;
    QList<int> libvirtVlans; // the VLANs libvirt puts the NIC in (Inventory::nicVlans)
    QString portUuid;
    QString portName;
    QString switchUuid;
    QString switchName;
    int controllerVlan = 0; // the port's switch's VLAN id; 0 for an overlay switch

    friend bool operator==(const NicPortMatch &, const NicPortMatch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::NicPortMatch)
