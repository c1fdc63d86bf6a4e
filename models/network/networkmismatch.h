#pragma once

#include "inventory/vminfo.h"

#include <QMetaType>
#include <QString>

namespace Vigie {

// Where libvirt and the network controller disagree about a VM NIC or a logical switch port.
// Only real disagreements: a NIC on a bridge the controller does not manage is libvirt's alone.
struct NetworkMismatch
{
    enum class Kind {
        PortWithoutVm,  // a VM port that no known VM NIC plugs into, on a host Vigie watches
        NicWithoutPort, // a NIC on the integration bridge whose interfaceid no port carries
        VlanDiffers,    // libvirt and the controller both state a VLAN for the NIC, and differ
        BoundElsewhere, // the running VM's port is bound to another chassis than its host
        Unbound,        // the running VM's port is bound to no chassis
        DuplicateAddress,     // two VM ports of one switch have the same IP address
        AddressOutsideSubnet, // a VM port's IP address is outside its switch's subnet
        NoPortSecurity,       // a VM's port with an address but no port security (spoofing open)
        OutsideIsolation,     // a VM of an isolated tenant whose port is outside the tenant's group
    };

    Kind kind = Kind::PortWithoutVm;
    VmKey vm;          // empty for PortWithoutVm
    QString vmName;    // for PortWithoutVm, the VM the port names (external_ids:vm, Neutron's device)
    QString mac;
    QString interfaceId;
    QString portName;
    QString switchName; // display name
    int libvirtVlan = 0;    // VlanDiffers: the VLAN libvirt has (0: none)
    int controllerVlan = 0; // the port's switch's VLAN
    QString chassis;        // BoundElsewhere: where the port is bound
    QString address;        // the address kinds: the IP address in question
    QString otherPort;      // DuplicateAddress: the other port that has it
    QString subnet;         // AddressOutsideSubnet: the switch's subnet
    QString tenant;         // OutsideIsolation: the VM's tenant
    QString group;          // OutsideIsolation: the tenant's isolation group (its name)
    QString groupUuid;

    // Identifies the mismatch across recomputations.
    [[nodiscard]] QString key() const
    {
        return QStringLiteral("%1|%2|%3|%4|%5").arg(int(kind)).arg(vm.hostUri, vm.uuid, mac, portName);
    }

    friend bool operator==(const NetworkMismatch &, const NetworkMismatch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::NetworkMismatch)
