#pragma once

#include "controllerwiring.h"
#include "hostinfo.h"
#include "vlaninfo.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

namespace Vigie {

// The single store of what Vigie knows: hosts, their VMs and networks, as value snapshots keyed
// by host URI and (host URI, UUID). Lives on the GUI thread; sessions feed it, item models and
// views read it. Every update is diffed into precise signals.
class Inventory : public QObject
{
    Q_OBJECT

public:
    explicit Inventory(QObject *parent = nullptr);

    // Hosts appear as soon as a connection is made, before anything is known of them.
    void addHost(const QString &uri, bool demo = false);
    void removeHost(const QString &uri);
    void setHostState(const QString &uri, ConnectionState state, const QString &message);
    // Replaces everything known of the host by the snapshot: no ghost, no duplicate.
    void applySnapshot(const HostSnapshot &snapshot);
    void updateVm(const VmInfo &vm);
    void removeVm(const VmKey &key);
    void setNetworks(const QString &uri, const QList<NetworkInfo> &networks);
    // The network controller's VLANs: their names win over the hosts' portgroup names, VLANs only
    // the controller has are listed too, and the hosts able to carry them are added. Empty: no
    // controller.
    void setControllerVlans(const QList<ControllerVlan> &vlans);
    // The controller's overlay networks, in display order. Empty: none, or no controller.
    void setControllerOverlays(const QList<ControllerOverlay> &overlays);
    // The NICs the controller wires, by lower-case MAC: their VLAN is their switch's. Empty: no
    // controller (every NIC is libvirt-wired).
    void setControllerNics(const QHash<QString, ControllerNic> &nics);
    // Some of them changed: CHANGES by lower-case MAC, nullopt for a NIC no longer wired by the
    // controller. VMS are the VMs with such a NIC (told by vmChanged); the VLANs are told only
    // when a VLAN gains its first controller-wired NIC or loses its last.
    void updateControllerNics(const QHash<QString, std::optional<ControllerNic>> &changes, const QList<VmKey> &vms);
    // What DEST_URI's libvirt said of SOURCE_URI's CPU (nullopt: not known); kept across both
    // hosts' snapshots, gone with either host. Told by cpuChecksChanged, not hostChanged: a fleet
    // of N hosts makes N x (N - 1) of them, which no view shows (the pre-flight reads them).
    void setCpuCheck(const QString &destUri, const QString &sourceUri, const std::optional<CpuCheck> &check);
    // Many of them, told once.
    void setCpuChecks(const QString &destUri, const QList<CpuVerdict> &verdicts);
    [[nodiscard]] std::optional<CpuCheck> cpuCheck(const QString &destUri, const QString &sourceUri) const;
    // A host in maintenance takes nothing new (the pre-flight refuses it) and every view says so.
    // Vigie's own state, not libvirt's: kept across the host's snapshots, gone with the host.
    // Told by hostChanged.
    void setMaintenance(const QString &uri, bool maintenance);
    [[nodiscard]] bool isInMaintenance(const QString &uri) const { return m_maintenance.contains(uri); }
    [[nodiscard]] QSet<QString> hostsInMaintenance() const { return m_maintenance; }

    // Where HostInfo::stateSince is read from: the wall clock unless a test gives its own, so
    // that a moved timestamp is seen without waiting for the clock to tick.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    [[nodiscard]] QStringList hostUris() const { return m_hostOrder; }
    [[nodiscard]] bool hasHost(const QString &uri) const { return m_hosts.contains(uri); }
    [[nodiscard]] HostInfo host(const QString &uri) const { return m_hosts.value(uri); }
    // No copy; nullptr for a host not known. Valid until the next change of the inventory.
    [[nodiscard]] const HostInfo *findHost(const QString &uri) const
    {
        const auto it = m_hosts.constFind(uri);
        return it == m_hosts.cend() ? nullptr : &*it;
    }
    [[nodiscard]] QList<VmKey> vmKeys() const;
    [[nodiscard]] QList<VmKey> vmKeysOfHost(const QString &uri) const;
    [[nodiscard]] bool hasVm(const VmKey &key) const { return m_vms.contains(key); }
    [[nodiscard]] VmInfo vm(const VmKey &key) const { return m_vms.value(key); }
    // No copy, for models' data(): valid until the next change of the inventory.
    [[nodiscard]] const VmInfo *findVm(const VmKey &key) const
    {
        const auto it = m_vms.constFind(key);
        return it == m_vms.cend() ? nullptr : &*it;
    }
    [[nodiscard]] int vmCount() const { return int(m_vms.size()); }
    // The host receiving the VM of UUID in a live migration (its paused copy there, which is not
    // listed as a VM), or empty.
    [[nodiscard]] QString incomingHostOf(const QString &uuid) const;
    [[nodiscard]] QList<NetworkInfo> networks(const QString &uri) const { return m_networks.value(uri); }

    // The VLAN tags a NIC sits in: for a controller-wired NIC its switch's VLAN (none for an
    // overlay switch); otherwise libvirt's.
    [[nodiscard]] QList<int> nicVlans(const QString &hostUri, const NicInfo &nic) const;
    // libvirt's VLANs of a NIC: its own tags, else its portgroup's, else its network's default
    // portgroup's or the network's own.
    [[nodiscard]] QList<int> libvirtNicVlans(const QString &hostUri, const NicInfo &nic) const;
    // The controller's wiring of a NIC, or nullptr for a libvirt-wired NIC. Valid until the next
    // change of the inventory.
    [[nodiscard]] const ControllerNic *controllerNic(const NicInfo &nic) const;
    // The bridge a NIC is plugged into: its own source bridge, or its libvirt network's bridge.
    [[nodiscard]] QString nicBridge(const QString &hostUri, const NicInfo &nic) const;
    [[nodiscard]] QList<int> vmVlans(const VmKey &key) const;
    // Every VLAN the hosts' networks, the controller and the VMs' NICs know, by id. Derived once
    // and kept until one of those changes: the pre-flight asks for every host while a VM is
    // dragged, the topology for every chip.
    [[nodiscard]] QList<VlanInfo> vlans() const { return cachedVlans(); }
    // No copy; nullptr when no network, controller or NIC knows the VLAN. Valid until the next
    // change of the inventory.
    [[nodiscard]] const VlanInfo *findVlan(int id) const;
    [[nodiscard]] QString vlanName(int id) const;
    [[nodiscard]] QList<ControllerOverlay> overlays() const { return m_controllerOverlays; }
    // Committed resources on a host, over all its active VMs.
    [[nodiscard]] int committedVcpus(const QString &uri) const;
    [[nodiscard]] quint64 committedMemoryKiB(const QString &uri) const;

Q_SIGNALS:
    void hostAdded(const QString &uri);
    void hostChanged(const QString &uri);
    // What DEST_URI said of another host's CPU changed (see setCpuCheck).
    void cpuChecksChanged(const QString &destUri);
    void hostAboutToBeRemoved(const QString &uri);
    // The VMs one change added (a host's snapshot brings dozens), told once, before each is told
    // by vmAdded: the tables insert them as one range, not row by row through their sort proxies.
    // Every one is listed by then.
    void vmsAdded(const QList<Vigie::VmKey> &keys);
    void vmAdded(const Vigie::VmKey &key);
    void vmChanged(const Vigie::VmKey &key);
    void vmAboutToBeRemoved(const Vigie::VmKey &key);
    // The VLANs (their names, hosts, counts) changed; a host's networks also say networksChanged.
    void vlansChanged();
    // The host's libvirt networks changed: the VLANs of its VMs' NICs may have (nicVlans()).
    void networksChanged(const QString &uri);
    // Some VLAN's name changed (after vlansChanged): what a search by VLAN name finds may have.
    // Not for a VLAN's hosts or counts, which change with every host that connects.
    void vlanNamesChanged();
    // A host holds the incoming copy of a migrating VM (not listed: see incomingHostOf()).
    void incomingMigrationSeen(const Vigie::VmKey &key);

private:
    // Whether the VM is new (not told yet: see tellAdded).
    bool insertOrUpdateVm(const VmInfo &vm);
    void tellAdded(const QList<VmKey> &keys);
    void setHost(const HostInfo &host);
    // Whether it changed anything.
    bool storeCpuCheck(const QString &destUri, const QString &sourceUri, const std::optional<CpuCheck> &check);
    [[nodiscard]] const QList<VlanInfo> &cachedVlans() const;
    [[nodiscard]] QList<VlanInfo> deriveVlans() const;
    // The names the hosts' networks and the controller give VLANs (without the VMs' own tags,
    // which the default name covers).
    [[nodiscard]] QHash<int, QString> deriveVlanNames() const;
    // m_vlanNames derived again, before vlansChanged; true when they changed (then
    // vlanNamesChanged, after vlansChanged).
    bool nameVlans();
    // The VM's VLANs counted again (VlanInfo::vmCount), after its NICs, its host's networks or
    // their controller wiring changed, or it went.
    void recountVlans(const VmKey &key);
    void invalidateVlans();

    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTime(); };
    QStringList m_hostOrder;
    QHash<QString, HostInfo> m_hosts;
    QHash<QString, QList<NetworkInfo>> m_networks;
    QHash<VmKey, VmInfo> m_vms;
    QHash<VmKey, VmInfo> m_incoming; // destinations' copies of migrating VMs, not listed
    QHash<QString, QStringList> m_vmOrder; // per host, in arrival order
    QList<ControllerVlan> m_controllerVlans;
    QHash<int, QString> m_vlanNames; // VLAN id -> its name, where a network or the controller names it
    QHash<int, int> m_vlanVmCounts;  // VLAN id -> VMs with a NIC in it
    QHash<VmKey, QList<int>> m_countedVlans; // VM -> its VLANs as counted there
    QList<ControllerOverlay> m_controllerOverlays;
    QHash<QString, ControllerNic> m_controllerNics; // by lower-case MAC
    QHash<int, int> m_controllerNicVlans;           // VLAN id -> controller-wired NICs in it
    QSet<QString> m_maintenance;                    // host URIs
    QHash<QString, QHash<QString, CpuCheck>> m_cpuChecks; // destination URI -> source URI -> check
    // Derived from the above on demand (GUI thread only, like the rest).
    mutable std::optional<QList<VlanInfo>> m_vlans;
    mutable QHash<int, qsizetype> m_vlanIndex; // id -> position in m_vlans
};

} // namespace Vigie
