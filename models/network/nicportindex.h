#pragma once

#include "inventory/vminfo.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

struct OvnLogicalSwitchPort;

// The ways a VM NIC names its logical switch port (see NicPortMatch), as keys both sides share,
// kept up to date one port and one VM at a time: which port a NIC finds, and which VMs' NICs a
// port could be found by (the VMs to look at again when the port changes).
//
// Keys: "n:" + the port's name and "f:" + its external_ids:iface-id, met by a NIC's interfaceid;
// "t:" + Nova's tap name ("tap" + the name's first 11 characters), met by the NIC's target;
// "d:" + neutron:device_id + "|" + MAC, met by the domain uuid and the NIC's MAC. A NIC tries them
// in that order; where several ports share a key, the one with the smallest uuid is found, so the
// result depends on no hash order. "v:" + device id lists a VM's ports, and "u:" + domain uuid the
// VMs, for naming one by the other.
class NicPortIndex
{
public:
    void setPort(const OvnLogicalSwitchPort &port); // replaces what was known of it
    void removePort(const QString &portUuid);
    void setVm(const VmKey &key, const VmInfo &vm); // replaces what was known of it
    void removeVm(const VmKey &key);
    void clear();
    // Room for VMS VMs of a NIC or so each, made while the tables are small (see
    // NetworkCorrelation::reserveForFleet).
    void reserveVms(qsizetype vms);

    // The uuid of the port NIC of the VM whose domain uuid is VM_UUID is plugged into, or empty.
    [[nodiscard]] QString portOf(const QString &vmUuid, const NicInfo &nic) const;
    // The VMs with a NIC that names the port (by any of its keys, as last set).
    [[nodiscard]] QList<VmKey> vmsNaming(const QString &portUuid) const;
    // The ports with the key.
    [[nodiscard]] QStringList portsWithKey(const QString &key) const { return m_portsByKey.value(key); }
    [[nodiscard]] QStringList portsNamed(const QString &name) const { return portsWithKey(QStringLiteral("n:") + name); }
    [[nodiscard]] QStringList portsOfDevice(const QString &vmUuid) const { return portsWithKey(QStringLiteral("v:") + vmUuid.toLower()); }
    // The VMs with this domain uuid (one, or two while one migrates).
    [[nodiscard]] QList<VmKey> vmsWithUuid(const QString &uuid) const { return m_vmsByKey.value(QStringLiteral("u:") + uuid.toLower()); }

    [[nodiscard]] static QStringList portKeys(const OvnLogicalSwitchPort &port);
    [[nodiscard]] static QStringList nicKeys(const QString &vmUuid, const NicInfo &nic); // in the order tried

private:
    QHash<QString, QStringList> m_portsByKey; // key -> port uuids, sorted
    QHash<QString, QStringList> m_portKeys;   // port uuid -> its keys
    QHash<QString, QList<VmKey>> m_vmsByKey;  // key -> VMs with a NIC naming it
    QHash<VmKey, QStringList> m_vmKeys;       // VM -> its NICs' keys
};

} // namespace Vigie
