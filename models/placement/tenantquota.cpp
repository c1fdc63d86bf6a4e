#include "tenantquota.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"

#include <QCoreApplication>
#include <QSet>
#include <QSettings>

#include <algorithm>

namespace Vigie {

namespace {

const QString Group = QStringLiteral("quotas");

QString tr(const char *text)
{
    return QCoreApplication::translate("Vigie::TenantQuotas", text);
}

} // namespace

void TenantQuotas::setQuota(const QString &tenant, const TenantQuota &quota)
{
    if (tenant.isEmpty())
        return;
    if (quota.isUnlimited())
        m_quotas.remove(tenant);
    else
        m_quotas.insert(tenant, quota);
}

QStringList TenantQuotas::tenants() const
{
    QStringList names = m_quotas.keys();
    std::sort(names.begin(), names.end());
    return names;
}

void TenantQuotas::load(QSettings &settings)
{
    m_quotas.clear();
    const int count = settings.beginReadArray(Group);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        TenantQuota quota;
        quota.vcpus = std::max(0, settings.value(QStringLiteral("vcpus")).toInt());
        quota.memoryMiB = settings.value(QStringLiteral("memoryMiB")).toULongLong();
        quota.diskGiB = settings.value(QStringLiteral("diskGiB")).toULongLong();
        setQuota(settings.value(QStringLiteral("tenant")).toString(), quota);
    }
    settings.endArray();
}

void TenantQuotas::save(QSettings &settings) const
{
    // An array: a tenant's name may hold any character, a settings key may not.
    settings.remove(Group);
    const QStringList names = tenants();
    settings.beginWriteArray(Group, int(names.size()));
    for (int i = 0; i < names.size(); ++i) {
        settings.setArrayIndex(i);
        const TenantQuota quota = m_quotas.value(names.at(i));
        settings.setValue(QStringLiteral("tenant"), names.at(i));
        settings.setValue(QStringLiteral("vcpus"), quota.vcpus);
        settings.setValue(QStringLiteral("memoryMiB"), quota.memoryMiB);
        settings.setValue(QStringLiteral("diskGiB"), quota.diskGiB);
    }
    settings.endArray();
}

TenantUsage TenantQuotas::usage(const Inventory &inventory, const QString &tenant)
{
    TenantUsage usage;
    QSet<QString> counted; // by UUID: a migrating VM is listed on both hosts
    for (const VmKey &key : inventory.vmKeys()) {
        const VmInfo *vm = inventory.findVm(key);
        if (!vm || vm->tenant != tenant || counted.contains(key.uuid))
            continue;
        counted.insert(key.uuid);
        usage.vcpus += vm->vcpus;
        usage.memoryMiB += std::max(vm->maxMemoryKiB, vm->memoryKiB) / 1024;
        if (const std::optional<quint64> disk = vm->diskCapacityBytes())
            usage.diskGiB = usage.diskGiB.value_or(0) + (*disk + (1ULL << 30) - 1) / (1ULL << 30); // whole GiB, up
        ++usage.vms;
    }
    return usage;
}

QString TenantQuotas::refusal(const TenantQuota &quota, const TenantUsage &usage, int vcpus, quint64 memoryMiB,
                              quint64 diskGiB)
{
    if (quota.vcpus > 0 && usage.vcpus + vcpus > quota.vcpus) {
        const int left = std::max(0, quota.vcpus - usage.vcpus);
        return QCoreApplication::translate("Vigie::TenantQuotas", "quota: %n vCPU(s) left of %1", nullptr, left)
            .arg(quota.vcpus);
    }
    if (quota.memoryMiB > 0 && usage.memoryMiB + memoryMiB > quota.memoryMiB) {
        const quint64 left = quota.memoryMiB > usage.memoryMiB ? quota.memoryMiB - usage.memoryMiB : 0;
        return tr("quota: %1 of memory left of %2").arg(formatMemoryKiB(left * 1024), formatMemoryKiB(quota.memoryMiB * 1024));
    }
    const quint64 diskUsed = usage.diskGiB.value_or(0);
    if (quota.diskGiB > 0 && diskUsed + diskGiB > quota.diskGiB) {
        const quint64 left = quota.diskGiB > diskUsed ? quota.diskGiB - diskUsed : 0;
        return tr("quota: %1 GiB of disk left of %2 GiB").arg(left).arg(quota.diskGiB);
    }
    return {};
}

QString TenantQuotas::refusal(const Inventory &inventory, const QString &tenant, int vcpus, quint64 memoryMiB,
                              quint64 diskGiB) const
{
    const TenantQuota limits = quota(tenant);
    if (tenant.isEmpty() || limits.isUnlimited())
        return {};
    return refusal(limits, usage(inventory, tenant), vcpus, memoryMiB, diskGiB);
}

} // namespace Vigie
