#pragma once

#include "inventory/vminfo.h"
#include "tenantquota.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

class AccessPolicy;
class Inventory;

// Whether a host can take a VM, and if not, why (translated, for a tooltip or a refusal).
struct PlacementCheck
{
    bool allowed = false;
    QString reason;

    [[nodiscard]] static PlacementCheck ok() { return {true, {}}; }
    [[nodiscard]] static PlacementCheck refused(const QString &why) { return {false, why}; }
};

// Pre-flight checks from the inventory alone (no libvirt call: cheap enough to run for every
// host while a VM is dragged): hosts connected, same hypervisor, CPU compatible (as the
// destination's libvirt judged it when the hosts connected), free memory, the VM's VLANs
// carried at the destination, not in maintenance, not the same host.
class Preflight
{
public:
    explicit Preflight(const Inventory *inventory) : m_inventory(inventory) {}

    [[nodiscard]] const Inventory *inventory() const { return m_inventory; }

    // Read-only connections take no change (not owned; may stay unset).
    void setAccessPolicy(const AccessPolicy *access) { m_access = access; }
    // Why nothing may be changed on the host URI (a read-only connection), or empty.
    [[nodiscard]] QString writeRefusal(const QString &hostUri) const;

    // The operator's quotas by tenant (loaded and saved by the window).
    [[nodiscard]] TenantQuotas &quotas() { return m_quotas; }
    [[nodiscard]] const TenantQuotas &quotas() const { return m_quotas; }
    // A new VM of that size for TENANT within its quota ("quota: 3 vCPUs left of 16").
    [[nodiscard]] PlacementCheck checkQuota(const QString &tenant, int vcpus, quint64 memoryMiB, quint64 diskGiB) const;

    // Moving VM to the host DEST_URI (live when it runs, offline otherwise).
    [[nodiscard]] PlacementCheck checkMigration(const VmKey &vm, const QString &destUri) const;
    // What the operator should know before VM moves to DEST_URI, though nothing forbids it: the
    // systems that own a part of it and will not follow (OpenStack Nova's record of its host,
    // Neutron's ports requested on the source's chassis). Translated sentences naming the VM;
    // empty: nothing to say.
    [[nodiscard]] QStringList migrationCaveats(const VmKey &vm, const QString &destUri) const;
    // A new VM of that size, with NICs in those VLANs, on DEST_URI.
    [[nodiscard]] PlacementCheck checkPlacement(const QString &destUri, quint64 memoryKiB, const QList<int> &vlans) const;
    // Memory of DEST_URI not committed to active VMs (0 when over-committed).
    [[nodiscard]] quint64 freeMemoryKiB(const QString &hostUri) const;

    // While one lives, each host's free memory is read once: for thousands of checks in one go
    // on an inventory that does not change meanwhile (an evacuation plan: 50 VMs x 199 hosts,
    // each check summing the 50 VMs of its destination).
    class FreeMemoryMemo
    {
    public:
        explicit FreeMemoryMemo(const Preflight &preflight) : m_preflight(preflight) { m_preflight.m_freeMemo.emplace(); }
        ~FreeMemoryMemo() { m_preflight.m_freeMemo.reset(); }
        FreeMemoryMemo(const FreeMemoryMemo &) = delete;
        FreeMemoryMemo &operator=(const FreeMemoryMemo &) = delete;

    private:
        const Preflight &m_preflight;
    };

private:
    [[nodiscard]] PlacementCheck checkDestination(const QString &destUri, quint64 memoryKiB, const QList<int> &vlans) const;

    const Inventory *m_inventory;
    const AccessPolicy *m_access = nullptr;
    TenantQuotas m_quotas;
    mutable std::optional<QHash<QString, quint64>> m_freeMemo; // see FreeMemoryMemo
};

} // namespace Vigie
