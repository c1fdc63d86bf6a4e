#include "tenantscope.h"

#include "inventory.h"

#include <QSet>

#include <algorithm>

namespace Vigie {

TenantScope::TenantScope(const Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
{
}

void TenantScope::setTenant(const QString &tenant)
{
    if (tenant == m_tenant)
        return;
    m_tenant = tenant;
    Q_EMIT tenantChanged(m_tenant);
}

bool TenantScope::containsVm(const VmKey &key) const
{
    const VmInfo *vm = m_inventory->findVm(key);
    return vm && contains(*vm);
}

bool TenantScope::containsHost(const QString &uri) const
{
    if (!isScoped())
        return true;
    const QList<VmKey> keys = m_inventory->vmKeysOfHost(uri);
    return std::any_of(keys.cbegin(), keys.cend(), [this](const VmKey &key) { return containsVm(key); });
}

bool TenantScope::containsSubject(const QString &hostUri, const QString &vmUuid) const
{
    if (!isScoped())
        return true;
    if (!vmUuid.isEmpty())
        return containsVm({hostUri, vmUuid});
    return !hostUri.isEmpty() && containsHost(hostUri);
}

QList<int> TenantScope::vlans() const
{
    QSet<int> ids;
    const QList<VmKey> keys = m_inventory->vmKeys();
    for (const VmKey &key : keys) {
        if (containsVm(key)) {
            for (int id : m_inventory->vmVlans(key))
                ids.insert(id);
        }
    }
    QList<int> sorted(ids.cbegin(), ids.cend());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

int TenantScope::committedVcpus(const QString &uri) const
{
    if (!isScoped())
        return m_inventory->committedVcpus(uri);
    int total = 0;
    for (const VmKey &key : m_inventory->vmKeysOfHost(uri)) {
        if (const VmInfo *vm = m_inventory->findVm(key); vm && contains(*vm) && vm->isActive())
            total += vm->vcpus;
    }
    return total;
}

quint64 TenantScope::committedMemoryKiB(const QString &uri) const
{
    if (!isScoped())
        return m_inventory->committedMemoryKiB(uri);
    quint64 total = 0;
    for (const VmKey &key : m_inventory->vmKeysOfHost(uri)) {
        if (const VmInfo *vm = m_inventory->findVm(key); vm && contains(*vm) && vm->isActive())
            total += vm->memoryKiB;
    }
    return total;
}

int TenantScope::vmCount(const QString &uri) const
{
    const QList<VmKey> keys = m_inventory->vmKeysOfHost(uri);
    return int(std::count_if(keys.cbegin(), keys.cend(), [this](const VmKey &key) { return containsVm(key); }));
}

QStringList TenantScope::tenants(const Inventory &inventory)
{
    QSet<QString> names;
    for (const VmKey &key : inventory.vmKeys()) {
        if (const VmInfo *vm = inventory.findVm(key); vm && !vm->tenant.isEmpty())
            names.insert(vm->tenant);
    }
    QStringList sorted(names.cbegin(), names.cend());
    std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
        const int byName = QString::compare(a, b, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a < b;
    });
    return sorted;
}

} // namespace Vigie
