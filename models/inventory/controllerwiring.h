#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

// A VLAN the network controller provides: a logical switch with a localnet port tagged ID.
struct ControllerVlan
{
    int id = 0;
    QString name; // the switch's display name
    // Hosts whose chassis map the localnet's physical network: where a controller-wired NIC of
    // the VLAN can run. Empty when not known (no southbound database).
    QStringList hostUris;
    QString subnet; // its subnet and gateway in words ("10.0.0.0/24, gateway 10.0.0.1"), empty: unknown

    friend bool operator==(const ControllerVlan &, const ControllerVlan &) = default;
};

// An overlay network of the controller: a logical switch without a localnet port, its traffic
// tunnelled (Geneve) between chassis. No VLAN: it is known by its switch.
struct ControllerOverlay
{
    QString switchName;  // the switch's own name, unique ("neutron-<uuid>")
    QString displayName; // its human name (Neutron's network name); two may share one

    friend bool operator==(const ControllerOverlay &, const ControllerOverlay &) = default;
};

// A VM NIC wired by the controller (its interface id, tap or MAC is a port of a switch the
// controller knows): its network is that switch, whatever libvirt says.
struct ControllerNic
{
    int vlanId = 0;   // the switch's localnet tag; 0 for an overlay switch
    QString network;  // the switch's display name
    QString portName;
    QString chassis;  // the chassis the port is bound to (southbound), empty: unbound or unknown
    QString chassisHostUri;   // the inventory host that chassis is, when Vigie knows it
    bool bindingKnown = false; // the southbound database is read and has the port's binding
    QStringList addresses;     // the port's IP addresses (static, else dynamic)
    QString owner;             // who owns the port ("OpenStack Neutron"), empty: nobody
    QString switchName;        // the switch's own, unique name
    QStringList policy;        // the port groups whose rules apply to the port (display names)

    friend bool operator==(const ControllerNic &, const ControllerNic &) = default;
};

} // namespace Vigie
