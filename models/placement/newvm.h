#pragma once

#include "inventory/networkinfo.h"
#include "vmtemplate.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// The network of a host that carries a VLAN, and how a NIC joins it.
struct VlanCarrier
{
    QString network;
    QString portgroup;        // empty when the network itself carries the tag
    bool openvswitch = false; // the NIC then carries the tag (<vlan>) and an OVS virtualport
};

// Of a host's NETWORKS, the one carrying VLAN_ID: a portgroup tagged with that VLAN alone first
// (active networks first), then a network tagged with it. Nothing when the host lacks the VLAN.
[[nodiscard]] std::optional<VlanCarrier> vlanCarrier(const QList<NetworkInfo> &networks, int vlanId);

// How a host's libvirt runs guests, read from its capabilities: "kvm" where offered, else
// "qemu" (TCG), else the first domain type of an hvm guest (the test driver's "test").
struct GuestCapabilities
{
    QString domainType;
    QString arch;
};
[[nodiscard]] std::optional<GuestCapabilities> guestCapabilities(const QByteArray &capabilitiesXml);

// A VM placed from a template: where it goes and what it is called.
struct NewVm
{
    VmTemplate tmpl;
    QString name;
    QString uuid; // chosen by SessionManager::createVm when empty, so the VM is known before it exists
    QString tenant;
    int vlanId = 0;
    VlanCarrier carrier;
    bool start = true;

    // libvirt accepts more, but a console should not make names the shell and the file system
    // trip on: a letter or digit, then letters, digits, '.', '_' or '-', at most 64 in all.
    [[nodiscard]] static bool isValidName(const QString &name);
    // BASE (a template's name, made a valid name) followed by the first free "-NN".
    [[nodiscard]] static QString suggestName(const QString &base, const QStringList &taken);

    // The system disk's volume in a storage pool, and the volume's XML (qcow2, sparse).
    [[nodiscard]] QString volumeName() const { return name + QStringLiteral("-system.qcow2"); }
    [[nodiscard]] QString volumeXml() const;
    // The domain's XML: the template's size, the tenant and template in Vigie's metadata, the
    // disk at DISK_PATH (none when empty), one virtio NIC in the VLAN, a balloon with stats.
    [[nodiscard]] QString domainXml(const GuestCapabilities &guest, const QString &diskPath) const;
};

} // namespace Vigie
