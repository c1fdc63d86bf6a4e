#include "isolationaudit.h"

#include "inventory/inventory.h"
#include "network/networkcorrelation.h"
#include "network/ovnpolicy.h"

#include <algorithm>

namespace Vigie {

IsolationAudit::IsolationAudit(Inventory *inventory, NetworkCorrelation *correlation, OvnPolicy *policy, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_correlation(correlation)
    , m_policy(policy)
{
    connect(policy, &OvnPolicy::changed, this, &IsolationAudit::groupsChanged);
    connect(correlation, &NetworkCorrelation::matchesUpdated, this, &IsolationAudit::matchesUpdated);
    connect(inventory, &Inventory::vmChanged, this, &IsolationAudit::vmChanged);
    matchesUpdated(correlation->matches(), {});
    groupsChanged();
}

QString IsolationAudit::keyOf(const VmKey &vm, const QString &mac)
{
    return vm.hostUri + u'|' + vm.uuid + u'|' + mac.toLower();
}

QList<NetworkMismatch> IsolationAudit::mismatches() const
{
    QList<NetworkMismatch> list = m_mismatches.values();
    std::sort(list.begin(), list.end(), [](const NetworkMismatch &a, const NetworkMismatch &b) {
        return std::tie(a.vmName, a.mac, a.vm.hostUri) < std::tie(b.vmName, b.mac, b.vm.hostUri);
    });
    return list;
}

void IsolationAudit::groupsChanged()
{
    // Neutron keeps every port in its drop group, so port groups change with every port: only a
    // change of Vigie's isolation groups makes every NIC worth a look again.
    QHash<QString, QString> groupOfTenant;
    QHash<QString, QSet<QString>> groupPorts;
    QHash<QString, QString> groupNames;
    for (const OvnPortGroup &group : m_policy->portGroups()) {
        const QString tenant = group.isolatedTenant();
        if (tenant.isEmpty() || group.isolationLabel().isEmpty())
            continue;
        // Two groups for one tenant (made by hand): the first by name decides, stably.
        const auto existing = groupOfTenant.constFind(tenant);
        if (existing != groupOfTenant.cend() && groupNames.value(*existing) < group.name)
            continue;
        groupOfTenant.insert(tenant, group.uuid);
        groupPorts.insert(group.uuid, QSet<QString>(group.portUuids.cbegin(), group.portUuids.cend()));
        groupNames.insert(group.uuid, group.name);
    }
    if (groupOfTenant == m_groupOfTenant && groupPorts == m_groupPorts && groupNames == m_groupNames)
        return;
    m_groupOfTenant = std::move(groupOfTenant);
    m_groupPorts = std::move(groupPorts);
    m_groupNames = std::move(groupNames);
    const QList<QString> keys = m_matches.keys();
    for (const QString &key : keys)
        judge(key);
}

void IsolationAudit::matchesUpdated(const QList<NicPortMatch> &changed, const QList<NicPortMatch> &removed)
{
    for (const NicPortMatch &match : removed) {
        const QString key = keyOf(match.vm, match.mac);
        m_matches.remove(key);
        auto keys = m_keysOfVm.find(match.vm);
        if (keys != m_keysOfVm.end()) {
            keys->remove(key);
            if (keys->isEmpty())
                m_keysOfVm.erase(keys);
        }
        judge(key);
    }
    for (const NicPortMatch &match : changed) {
        const QString key = keyOf(match.vm, match.mac);
        m_matches.insert(key, match);
        m_keysOfVm[match.vm].insert(key);
        judge(key);
    }
}

void IsolationAudit::vmChanged(const VmKey &vm)
{
    // Its tenant may have changed.
    const QSet<QString> keys = m_keysOfVm.value(vm);
    for (const QString &key : keys)
        judge(key);
}

void IsolationAudit::judge(const QString &key)
{
    std::optional<NetworkMismatch> found;
    const auto match = m_matches.constFind(key);
    if (match != m_matches.cend() && match->owner == OvnOwner::None && !m_groupOfTenant.isEmpty()) {
        const VmInfo *vm = m_inventory->findVm(match->vm);
        const QString tenant = vm ? vm->tenant : QString();
        const QString group = tenant.isEmpty() ? QString() : m_groupOfTenant.value(tenant);
        if (!group.isEmpty() && !m_groupPorts.value(group).contains(match->portUuid)) {
            NetworkMismatch m;
            m.kind = NetworkMismatch::Kind::OutsideIsolation;
            m.vm = match->vm;
            m.vmName = match->vmName;
            m.mac = match->mac;
            m.interfaceId = match->interfaceId;
            m.portName = match->portName;
            m.switchName = match->switchDisplayName;
            m.controllerVlan = match->controllerVlan;
            m.address = match->addresses.value(0);
            m.tenant = tenant;
            m.group = m_groupNames.value(group);
            m.groupUuid = group;
            found = m;
        }
    }
    const auto known = m_mismatches.constFind(key);
    if (!found) {
        if (known != m_mismatches.cend()) {
            const NetworkMismatch gone = *known;
            m_mismatches.erase(known);
            Q_EMIT mismatchRemoved(gone);
        }
        return;
    }
    if (known == m_mismatches.cend()) {
        m_mismatches.insert(key, *found);
        Q_EMIT mismatchAdded(*found);
    } else if (*known != *found) {
        m_mismatches.insert(key, *found);
        Q_EMIT mismatchChanged(*found);
    }
}

} // namespace Vigie
