#pragma once

#include "inventory/vminfo.h"

#include <QMetaType>
#include <QString>

namespace Vigie {

// Where libvirt and the network controller disagree about a VM NIC or a logical switch port.
struct NetworkMismatch
{
    enum class Kind {
        PortWithoutVm, // a VM port (type "") that no known VM NIC plugs into
        NicWithoutPort, // a NIC with an Open vSwitch interfaceid that no port carries
        VlanDiffers,    // the NIC's VLAN in libvirt is not its port's switch's VLAN
    };

    Kind kind = Kind::PortWithoutVm;
    VmKey vm;          // empty for PortWithoutVm
    QString vmName;    // for PortWithoutVm, the port's external_ids:vm when set
    QString mac;
    QString interfaceId;
    QString portName;
    QString switchName;
    int libvirtVlan = 0;    // VlanDiffers: the VLAN libvirt has (0: none)
    int controllerVlan = 0; // VlanDiffers: the port's switch's VLAN

    // Identifies the mismatch across recomputations.
    [[nodiscard]] QString key() const
    {
        return QStringLiteral("%1|%2|%3|%4|%5").arg(int(kind)).arg(vm.hostUri, vm.uuid, mac, portName);
    }

    friend bool operator==(const NetworkMismatch &, const NetworkMismatch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::NetworkMismatch)
