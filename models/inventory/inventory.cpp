#include "inventory.h"

#include "logging.h"

#include <algorithm>
#include <map>

namespace Vigie {

namespace {

// A host's VMs in its order, read where they are (a const QHash's operator[] copies each).
template<typename Vms, typename Order, typename Visit>
void forEachVmOfHost(const Vms &vms, const Order &order, const QString &uri, Visit visit)
{
    for (const QString &uuid : order.value(uri)) {
        if (const auto vm = vms.constFind(VmKey{uri, uuid}); vm != vms.cend())
            visit(*vm);
    }
}

} // namespace

Inventory::Inventory(QObject *parent)
    : QObject(parent)
{
}

void Inventory::addHost(const QString &uri, bool demo)
{
    if (m_hosts.contains(uri))
        return;
    HostInfo host;
    host.uri = uri;
    host.displayName = uri;
    host.demo = demo;
    host.stateSince = m_clock();
    m_hostOrder.append(uri);
    m_hosts.insert(uri, host);
    Q_EMIT hostAdded(uri);
}

void Inventory::removeHost(const QString &uri)
{
    if (!m_hosts.contains(uri))
        return;
    const QStringList uuids = m_vmOrder.value(uri);
    for (const QString &uuid : uuids)
        removeVm({uri, uuid});
    m_incoming.removeIf([&uri](const auto &it) { return it.key().hostUri == uri; });
    Q_EMIT hostAboutToBeRemoved(uri);
    m_hostOrder.removeOne(uri);
    m_hosts.remove(uri);
    m_cpuChecks.remove(uri);
    for (const QString &other : std::as_const(m_hostOrder))
        setCpuCheck(other, uri, std::nullopt);
    m_vmOrder.remove(uri);
    m_maintenance.remove(uri);
    invalidateVlans(); // the host's name is gone from the VLANs' host lists
    if (m_networks.remove(uri)) {
        const bool renamed = nameVlans();
        Q_EMIT vlansChanged();
        if (renamed)
            Q_EMIT vlanNamesChanged();
    }
}

void Inventory::setMaintenance(const QString &uri, bool maintenance)
{
    if (!m_hosts.contains(uri) || m_maintenance.contains(uri) == maintenance)
        return;
    if (maintenance)
        m_maintenance.insert(uri);
    else
        m_maintenance.remove(uri);
    Q_EMIT hostChanged(uri);
}

void Inventory::setHost(const HostInfo &host)
{
    HostInfo &current = m_hosts[host.uri];
    if (current == host)
        return;
    current = host;
    Q_EMIT hostChanged(host.uri);
}

void Inventory::setHostState(const QString &uri, ConnectionState state, const QString &message)
{
    if (!m_hosts.contains(uri))
        return;
    HostInfo host = m_hosts.value(uri);
    if (host.state == state && host.stateMessage == message)
        return;
    if (host.state != state)
        host.stateSince = m_clock();
    host.state = state;
    host.stateMessage = message;
    setHost(host);
}

void Inventory::applySnapshot(const HostSnapshot &snapshot)
{
    const QString uri = snapshot.host.uri;
    if (!m_hosts.contains(uri))
        addHost(uri, snapshot.host.demo);
    HostInfo host = snapshot.host;
    const HostInfo &previous = m_hosts[uri];
    host.stateSince = previous.state == host.state ? previous.stateSince : m_clock();
    host.stateMessage = host.state == ConnectionState::Connected ? QString() : previous.stateMessage;
    setHost(host);

    // The VMs known already first, then the new ones, told together: whoever hears of a change
    // finds no VM in the inventory it was not told of.
    QSet<QString> seen;
    QList<const VmInfo *> fresh;
    for (const VmInfo &vm : snapshot.vms) {
        if (vm.hostUri != uri || seen.contains(vm.uuid)) {
            qCWarning(lcInventory) << "snapshot of" << uri << "has a duplicate or foreign VM" << vm.uuid;
            continue;
        }
        seen.insert(vm.uuid);
        if (vm.migration != VmMigration::Incoming && !m_vms.contains(vm.key()))
            fresh.append(&vm);
        else
            insertOrUpdateVm(vm);
    }
    QList<VmKey> added;
    added.reserve(fresh.size());
    for (const VmInfo *vm : std::as_const(fresh)) {
        if (insertOrUpdateVm(*vm))
            added.append(vm->key());
    }
    tellAdded(added);
    const QStringList known = m_vmOrder.value(uri);
    for (const QString &uuid : known) {
        if (!seen.contains(uuid))
            removeVm({uri, uuid});
    }
    m_incoming.removeIf([&uri, &seen](const auto &it) { return it.key().hostUri == uri && !seen.contains(it.key().uuid); });
    setNetworks(uri, snapshot.networks);
}

bool Inventory::insertOrUpdateVm(const VmInfo &vm)
{
    const VmKey key = vm.key();
    // The destination's copy of a migrating VM is not a second VM: kept aside until the
    // migration ends, when the destination's daemon resumes it (or drops it).
    if (vm.migration == VmMigration::Incoming) {
        const bool seen = m_incoming.contains(key);
        removeVm(key); // listed before it was known as incoming
        m_incoming.insert(key, vm);
        if (!seen)
            Q_EMIT incomingMigrationSeen(key);
        return false;
    }
    m_incoming.remove(key);
    auto it = m_vms.find(key);
    if (it == m_vms.end()) {
        m_vms.insert(key, vm);
        m_vmOrder[vm.hostUri].append(vm.uuid);
        if (!vm.nics.isEmpty()) {
            invalidateVlans();
            recountVlans(key);
        }
        return true;
    }
    if (!(*it == vm)) {
        // State, figures and names change often; the VLANs only follow the NICs.
        const bool nicsChanged = it->nics != vm.nics;
        *it = vm;
        if (nicsChanged) {
            invalidateVlans();
            recountVlans(key);
        }
        Q_EMIT vmChanged(key);
    }
    return false;
}

void Inventory::tellAdded(const QList<VmKey> &keys)
{
    if (keys.isEmpty())
        return;
    Q_EMIT vmsAdded(keys);
    for (const VmKey &key : keys)
        Q_EMIT vmAdded(key);
}

void Inventory::updateVm(const VmInfo &vm)
{
    if (!m_hosts.contains(vm.hostUri) || vm.uuid.isEmpty())
        return;
    if (insertOrUpdateVm(vm))
        tellAdded({vm.key()});
}

void Inventory::removeVm(const VmKey &key)
{
    m_incoming.remove(key);
    if (!m_vms.contains(key))
        return;
    Q_EMIT vmAboutToBeRemoved(key);
    if (!m_vms.value(key).nics.isEmpty())
        invalidateVlans();
    m_vms.remove(key);
    recountVlans(key);
    m_vmOrder[key.hostUri].removeOne(key.uuid);
}

void Inventory::setNetworks(const QString &uri, const QList<NetworkInfo> &networks)
{
    if (!m_hosts.contains(uri))
        return;
    // A host without networks is one whose networks are not known yet, as far as the VLANs go.
    auto it = m_networks.find(uri);
    if (it != m_networks.end() ? *it == networks : networks.isEmpty())
        return;
    m_networks.insert(uri, networks);
    invalidateVlans();
    for (const QString &uuid : m_vmOrder.value(uri))
        recountVlans({uri, uuid});
    const bool renamed = nameVlans();
    Q_EMIT networksChanged(uri);
    Q_EMIT vlansChanged();
    if (renamed)
        Q_EMIT vlanNamesChanged();
}

void Inventory::setControllerVlans(const QList<ControllerVlan> &vlans)
{
    if (vlans == m_controllerVlans)
        return;
    m_controllerVlans = vlans;
    invalidateVlans();
    const bool renamed = nameVlans();
    Q_EMIT vlansChanged();
    if (renamed)
        Q_EMIT vlanNamesChanged();
}

void Inventory::setControllerOverlays(const QList<ControllerOverlay> &overlays)
{
    if (overlays == m_controllerOverlays)
        return;
    m_controllerOverlays = overlays;
    Q_EMIT vlansChanged();
}

void Inventory::setControllerNics(const QHash<QString, ControllerNic> &nics)
{
    if (nics == m_controllerNics)
        return;
    // The VMs whose NICs changed wiring are told, so that rows and chips showing VLANs refresh.
    QSet<QString> changedMacs;
    for (auto it = nics.cbegin(); it != nics.cend(); ++it) {
        const auto old = m_controllerNics.constFind(it.key());
        if (old == m_controllerNics.cend() || !(*old == *it))
            changedMacs.insert(it.key());
    }
    for (auto it = m_controllerNics.cbegin(); it != m_controllerNics.cend(); ++it) {
        if (!nics.contains(it.key()))
            changedMacs.insert(it.key());
    }
    m_controllerNics = nics;
    m_controllerNicVlans.clear();
    for (const ControllerNic &nic : nics)
        ++m_controllerNicVlans[nic.vlanId];
    invalidateVlans();
    QList<VmKey> touchedVms;
    for (const VmKey &key : vmKeys()) {
        const VmInfo &vm = m_vms[key];
        if (std::any_of(vm.nics.cbegin(), vm.nics.cend(), [&](const NicInfo &nic) { return changedMacs.contains(nic.mac.toLower()); })) {
            recountVlans(key);
            touchedVms.append(key);
        }
    }
    for (const VmKey &key : std::as_const(touchedVms))
        Q_EMIT vmChanged(key);
    Q_EMIT vlansChanged();
}

void Inventory::updateControllerNics(const QHash<QString, std::optional<ControllerNic>> &changes, const QList<VmKey> &vms)
{
    bool vlansDiffer = false;
    const auto count = [&](int vlanId, int delta) {
        int &n = m_controllerNicVlans[vlanId];
        vlansDiffer = vlansDiffer || (n == 0) != (n + delta == 0);
        n += delta;
        if (n == 0)
            m_controllerNicVlans.remove(vlanId);
    };
    QSet<QString> changedMacs;
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        const auto old = m_controllerNics.find(it.key());
        if (old == m_controllerNics.end()) {
            if (!it->has_value())
                continue;
            count((*it)->vlanId, +1);
            m_controllerNics.insert(it.key(), **it);
        } else if (!it->has_value()) {
            count(old->vlanId, -1);
            m_controllerNics.erase(old);
        } else if (!(*old == **it)) {
            count(old->vlanId, -1);
            count((*it)->vlanId, +1);
            *old = **it;
        } else {
            continue;
        }
        changedMacs.insert(it.key());
    }
    if (changedMacs.isEmpty())
        return;
    invalidateVlans();
    QList<VmKey> touchedVms;
    for (const VmKey &key : vms) {
        const auto vm = m_vms.constFind(key);
        if (vm == m_vms.cend())
            continue;
        if (std::any_of(vm->nics.cbegin(), vm->nics.cend(), [&](const NicInfo &nic) { return changedMacs.contains(nic.mac.toLower()); })) {
            recountVlans(key);
            touchedVms.append(key);
        }
    }
    for (const VmKey &key : std::as_const(touchedVms))
        Q_EMIT vmChanged(key);
    if (vlansDiffer)
        Q_EMIT vlansChanged();
}

const ControllerNic *Inventory::controllerNic(const NicInfo &nic) const
{
    if (m_controllerNics.isEmpty())
        return nullptr;
    const auto it = m_controllerNics.constFind(nic.mac.toLower());
    return it == m_controllerNics.cend() ? nullptr : &*it;
}

QString Inventory::nicBridge(const QString &hostUri, const NicInfo &nic) const
{
    if (nic.sourceType == QLatin1String("bridge"))
        return nic.source;
    if (nic.sourceType != QLatin1String("network"))
        return {};
    for (const NetworkInfo &network : m_networks.value(hostUri)) {
        if (network.name == nic.source)
            return network.bridge;
    }
    return {};
}

void Inventory::setCpuCheck(const QString &destUri, const QString &sourceUri, const std::optional<CpuCheck> &check)
{
    if (storeCpuCheck(destUri, sourceUri, check))
        Q_EMIT cpuChecksChanged(destUri);
}

void Inventory::setCpuChecks(const QString &destUri, const QList<CpuVerdict> &verdicts)
{
    bool changed = false;
    for (const CpuVerdict &verdict : verdicts)
        changed = storeCpuCheck(destUri, verdict.sourceUri, verdict.check) || changed;
    if (changed)
        Q_EMIT cpuChecksChanged(destUri);
}

bool Inventory::storeCpuCheck(const QString &destUri, const QString &sourceUri, const std::optional<CpuCheck> &check)
{
    if (!m_hosts.contains(destUri) || (check && !m_hosts.contains(sourceUri)))
        return false;
    if (check) {
        QHash<QString, CpuCheck> &checks = m_cpuChecks[destUri];
        if (const auto it = checks.constFind(sourceUri); it != checks.cend() && *it == *check)
            return false;
        checks.insert(sourceUri, *check);
        return true;
    }
    const auto checks = m_cpuChecks.find(destUri);
    if (checks == m_cpuChecks.end() || checks->remove(sourceUri) == 0)
        return false;
    if (checks->isEmpty())
        m_cpuChecks.erase(checks);
    return true;
}

std::optional<CpuCheck> Inventory::cpuCheck(const QString &destUri, const QString &sourceUri) const
{
    const auto checks = m_cpuChecks.constFind(destUri);
    if (checks == m_cpuChecks.cend())
        return std::nullopt;
    const auto it = checks->constFind(sourceUri);
    return it == checks->cend() ? std::nullopt : std::optional<CpuCheck>(*it);
}

QString Inventory::incomingHostOf(const QString &uuid) const
{
    for (auto it = m_incoming.cbegin(); it != m_incoming.cend(); ++it) {
        if (it.key().uuid == uuid)
            return it.key().hostUri;
    }
    return {};
}

QList<VmKey> Inventory::vmKeys() const
{
    QList<VmKey> keys;
    keys.reserve(m_vms.size());
    for (const QString &uri : m_hostOrder)
        keys.append(vmKeysOfHost(uri));
    return keys;
}

QList<VmKey> Inventory::vmKeysOfHost(const QString &uri) const
{
    QList<VmKey> keys;
    const QStringList uuids = m_vmOrder.value(uri);
    keys.reserve(uuids.size());
    for (const QString &uuid : uuids)
        keys.append({uri, uuid});
    return keys;
}

QList<int> Inventory::nicVlans(const QString &hostUri, const NicInfo &nic) const
{
    if (const ControllerNic *wired = controllerNic(nic))
        return wired->vlanId > 0 ? QList<int>{wired->vlanId} : QList<int>{};
    return libvirtNicVlans(hostUri, nic);
}

QList<int> Inventory::libvirtNicVlans(const QString &hostUri, const NicInfo &nic) const
{
    if (!nic.vlanTags.isEmpty())
        return nic.vlanTags;
    if (nic.sourceType != QLatin1String("network"))
        return {};
    const QList<NetworkInfo> networks = m_networks.value(hostUri);
    const auto network = std::find_if(networks.cbegin(), networks.cend(),
                                      [&](const NetworkInfo &n) { return n.name == nic.source; });
    if (network == networks.cend())
        return {};
    for (const PortgroupInfo &group : network->portgroups) {
        if (nic.portgroup.isEmpty() ? group.isDefault : group.name == nic.portgroup) {
            if (!group.vlanTags.isEmpty())
                return group.vlanTags;
        }
    }
    return network->vlanTags;
}

QList<int> Inventory::vmVlans(const VmKey &key) const
{
    QList<int> tags;
    const VmInfo *vm = findVm(key);
    if (!vm)
        return tags;
    for (const NicInfo &nic : vm->nics)
        tags.append(nicVlans(vm->hostUri, nic));
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return tags;
}

void Inventory::invalidateVlans()
{
    m_vlans.reset();
    m_vlanIndex.clear();
}

const QList<VlanInfo> &Inventory::cachedVlans() const
{
    if (!m_vlans) {
        m_vlans = deriveVlans();
        for (qsizetype i = 0; i < m_vlans->size(); ++i)
            m_vlanIndex.insert(m_vlans->at(i).id, i);
    }
    return *m_vlans;
}

const VlanInfo *Inventory::findVlan(int id) const
{
    const QList<VlanInfo> &all = cachedVlans();
    const auto it = m_vlanIndex.constFind(id);
    return it == m_vlanIndex.cend() ? nullptr : &all.at(*it);
}

QList<VlanInfo> Inventory::deriveVlans() const
{
    std::map<int, VlanInfo> byId;
    for (const QString &uri : m_hostOrder) {
        for (const NetworkInfo &network : m_networks.value(uri)) {
            const auto note = [&](int id) {
                VlanInfo &vlan = byId[id];
                vlan.id = id;
                if (!vlan.hosts.contains(uri))
                    vlan.hosts.append(uri);
                if (!vlan.networks.contains(network.name))
                    vlan.networks.append(network.name);
            };
            for (int id : network.vlanTags)
                note(id);
            for (const PortgroupInfo &group : network.portgroups) {
                for (int id : group.vlanTags)
                    note(id);
            }
        }
    }
    for (const ControllerVlan &controller : m_controllerVlans) {
        VlanInfo &vlan = byId[controller.id];
        vlan.id = controller.id;
        if (vlan.subnet.isEmpty())
            vlan.subnet = controller.subnet;
        for (const QString &uri : controller.hostUris) {
            if (!vlan.hosts.contains(uri))
                vlan.hosts.append(uri);
        }
    }
    for (auto it = m_vlanVmCounts.cbegin(); it != m_vlanVmCounts.cend(); ++it) {
        VlanInfo &vlan = byId[it.key()];
        vlan.id = it.key();
        vlan.vmCount = it.value();
    }
    QList<VlanInfo> result;
    for (auto &[id, vlan] : byId) {
        vlan.name = m_vlanNames.value(id, tr("VLAN %1").arg(id));
        result.append(vlan);
    }
    return result;
}

QHash<int, QString> Inventory::deriveVlanNames() const
{
    // Votes for each VLAN's name. A portgroup that carries exactly that one VLAN names it; a
    // trunk portgroup (several VLANs) or a network only votes where nothing better does; the
    // controller's name wins.
    std::map<int, QHash<QString, int>> names;
    std::map<int, QHash<QString, int>> weakNames;
    for (const QString &uri : m_hostOrder) {
        for (const NetworkInfo &network : m_networks.value(uri)) {
            const auto note = [&](int id, const QString &name, bool exact) {
                QHash<QString, int> &votes = (exact ? names : weakNames)[id];
                if (!name.isEmpty())
                    votes[name] += 1;
            };
            for (int id : network.vlanTags)
                note(id, network.name, false);
            for (const PortgroupInfo &group : network.portgroups) {
                for (int id : group.vlanTags)
                    note(id, group.name, group.vlanTags.size() == 1);
            }
        }
    }
    QHash<int, QString> result;
    for (const auto &entry : names)
        weakNames[entry.first]; // every id voted for, strongly or not
    for (auto &[id, weak] : weakNames) {
        const auto strong = names.find(id);
        const QHash<QString, int> &votes = strong == names.end() || strong->second.isEmpty() ? weak : strong->second;
        QString best;
        int bestVotes = 0;
        for (auto vote = votes.cbegin(); vote != votes.cend(); ++vote) {
            if (vote.value() > bestVotes || (vote.value() == bestVotes && vote.key() < best)) {
                best = vote.key();
                bestVotes = vote.value();
            }
        }
        if (!best.isEmpty())
            result.insert(id, best);
    }
    QSet<int> named;
    for (const ControllerVlan &controller : m_controllerVlans) {
        if (!named.contains(controller.id) && !controller.name.isEmpty())
            result.insert(controller.id, controller.name);
        named.insert(controller.id);
    }
    return result;
}

void Inventory::recountVlans(const VmKey &key)
{
    const auto count = [this](int id, int delta) {
        int &n = m_vlanVmCounts[id];
        n += delta;
        if (n == 0)
            m_vlanVmCounts.remove(id);
    };
    for (int id : m_countedVlans.take(key))
        count(id, -1);
    const QList<int> vlans = vmVlans(key); // none once the VM is gone
    for (int id : vlans)
        count(id, +1);
    if (!vlans.isEmpty())
        m_countedVlans.insert(key, vlans);
}

bool Inventory::nameVlans()
{
    QHash<int, QString> names = deriveVlanNames();
    if (names == m_vlanNames)
        return false;
    m_vlanNames = std::move(names);
    return true;
}

QString Inventory::vlanName(int id) const
{
    const VlanInfo *vlan = findVlan(id);
    return vlan ? vlan->name : tr("VLAN %1").arg(id);
}

int Inventory::committedVcpus(const QString &uri) const
{
    int total = 0;
    forEachVmOfHost(m_vms, m_vmOrder, uri, [&total](const VmInfo &vm) {
        if (vm.isActive())
            total += vm.vcpus;
    });
    return total;
}

quint64 Inventory::committedMemoryKiB(const QString &uri) const
{
    quint64 total = 0;
    forEachVmOfHost(m_vms, m_vmOrder, uri, [&total](const VmInfo &vm) {
        if (vm.isActive())
            total += vm.memoryKiB;
    });
    return total;
}

} // namespace Vigie
