#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace Vigie {

class Inventory;

// What one tenant may hold, set by the operator; 0 means no limit.
struct TenantQuota
{
    int vcpus = 0;
    quint64 memoryMiB = 0;
    quint64 diskGiB = 0;

    [[nodiscard]] bool isUnlimited() const { return vcpus == 0 && memoryMiB == 0 && diskGiB == 0; }
    friend bool operator==(const TenantQuota &, const TenantQuota &) = default;
};

// What one tenant holds: every VM it names, running or not (a stopped VM keeps its allocation,
// as a cloud's quotas count it), each once even while a migration shows it on two hosts.
struct TenantUsage
{
    int vcpus = 0;
    quint64 memoryMiB = 0;
    // The capacity of its VMs' disks whose size the hosts told (each VM's rounded up to a GiB);
    // nullopt when none did (the demo's test driver, disks out of reach).
    std::optional<quint64> diskGiB;
    int vms = 0;
};

// The operator's quotas by tenant, kept in QSettings (group "quotas"), and the check the
// placement pre-flight runs with them.
class TenantQuotas
{
public:
    [[nodiscard]] TenantQuota quota(const QString &tenant) const { return m_quotas.value(tenant); }
    // An unlimited quota removes the tenant's entry.
    void setQuota(const QString &tenant, const TenantQuota &quota);
    [[nodiscard]] QStringList tenants() const;

    void load(QSettings &settings);
    void save(QSettings &settings) const;

    [[nodiscard]] static TenantUsage usage(const Inventory &inventory, const QString &tenant);
    // Why a new VM of that size does not fit in the tenant's quota given its usage (translated,
    // "quota: 3 vCPUs left of 16"), or empty when it fits (or nothing is limited). A disk usage
    // not known is checked as none.
    [[nodiscard]] static QString refusal(const TenantQuota &quota, const TenantUsage &usage, int vcpus, quint64 memoryMiB,
                                         quint64 diskGiB);
    // The same for the tenant, from the inventory.
    [[nodiscard]] QString refusal(const Inventory &inventory, const QString &tenant, int vcpus, quint64 memoryMiB,
                                  quint64 diskGiB) const;

private:
    QHash<QString, TenantQuota> m_quotas;
};

} // namespace Vigie
