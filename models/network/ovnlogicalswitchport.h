#pragma once

#include "network/ovnowner.h"

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// A logical switch port of the OVN northbound database.
struct OvnLogicalSwitchPort
{
    QString uuid;
    QString name;       // for VM ports, the OVS interface id (iface-id); Neutron: the port's uuid
    QString switchUuid; // empty while no switch lists the port
    QString switchName;
    QStringList addresses;    // "MAC IP...", "unknown", "router", "dynamic"
    QStringList portSecurity; // "MAC IP..."
    QString dynamicAddresses; // "MAC IP" given by the switch's IPAM
    QString dhcpv4Options;    // uuid of the DHCP_Options row serving the port, if any
    QString type;             // "" (VM port), "localnet", "router", "localport", "external", ...
    int tag = -1;             // tag, else tag_request; -1: none
    std::optional<bool> up;   // unset until a chassis claims the port
    bool enabled = true;
    QMap<QString, QString> options;
    QMap<QString, QString> externalIds;

    [[nodiscard]] bool isVmPort() const { return type.isEmpty(); }
    [[nodiscard]] OvnOwner owner() const { return ovnOwner(externalIds); }
    // The project (Neutron) or tenant (lab, Vigie) the port belongs to.
    [[nodiscard]] QString tenant() const
    {
        const QString project = externalIds.value(QStringLiteral("neutron:project_id"));
        return project.isEmpty() ? externalIds.value(QStringLiteral("tenant")) : project;
    }
    // The VM's name as whoever made the port wrote it (Vigie and the lab: external_ids:vm).
    [[nodiscard]] QString vm() const { return externalIds.value(QStringLiteral("vm")); }
    // Neutron: the device's uuid, for a VM the Nova instance uuid = the libvirt domain uuid.
    [[nodiscard]] QString deviceId() const { return externalIds.value(QStringLiteral("neutron:device_id")); }
    // Neutron: "compute:<zone>" for VM ports, "network:*" for its own (DHCP, router, metadata).
    [[nodiscard]] QString deviceOwner() const { return externalIds.value(QStringLiteral("neutron:device_owner")); }
    // Where the port is to be bound: one chassis, or "src,dst" during a live migration.
    [[nodiscard]] QStringList requestedChassis() const
    {
        return options.value(QStringLiteral("requested-chassis")).split(u',', Qt::SkipEmptyParts);
    }
    // The first MAC of the port's addresses, lower case; empty for "unknown", "router", ...
    [[nodiscard]] QString mac() const;
    // The IP addresses of the port: from addresses, else from dynamic_addresses.
    [[nodiscard]] QStringList ipAddresses() const;

    friend bool operator==(const OvnLogicalSwitchPort &, const OvnLogicalSwitchPort &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnLogicalSwitchPort)
