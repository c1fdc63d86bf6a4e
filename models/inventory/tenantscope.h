#pragma once

#include "vminfo.h"

#include <QObject>
#include <QStringList>

namespace Vigie {

class Inventory;

// The tenant the window is scoped to (View › Tenant, --tenant), or none: every tenant. A VM
// belongs to the tenant its definition names (Vigie's metadata, or Nova's owner project: see
// VmInfo::tenant). A view, not a boundary: what a tenant may change is the hypervisor's to
// enforce (read-only connections, libvirt's ACLs). Lives on the GUI thread.
class TenantScope : public QObject
{
    Q_OBJECT

public:
    explicit TenantScope(const Inventory *inventory, QObject *parent = nullptr);

    // Empty: every tenant.
    void setTenant(const QString &tenant);
    [[nodiscard]] QString tenant() const { return m_tenant; }
    [[nodiscard]] bool isScoped() const { return !m_tenant.isEmpty(); }

    [[nodiscard]] bool contains(const VmInfo &vm) const { return m_tenant.isEmpty() || vm.tenant == m_tenant; }
    [[nodiscard]] bool containsVm(const VmKey &key) const;
    // A host is in the scope when it runs (or holds) one of the tenant's VMs.
    [[nodiscard]] bool containsHost(const QString &uri) const;
    // What an alarm or an event is about: a VM (by UUID, on the host it is on), else a host; with
    // neither (a fleet-wide event) only when not scoped.
    [[nodiscard]] bool containsSubject(const QString &hostUri, const QString &vmUuid) const;
    // The VLANs the tenant's VMs sit in (every VLAN when not scoped: empty list means none).
    [[nodiscard]] QList<int> vlans() const;
    // The tenant's share of a host: vCPUs and memory of its active VMs there (every VM's when
    // not scoped), and how many of its VMs the host holds.
    [[nodiscard]] int committedVcpus(const QString &uri) const;
    [[nodiscard]] quint64 committedMemoryKiB(const QString &uri) const;
    [[nodiscard]] int vmCount(const QString &uri) const;

    // Every tenant the inventory's VMs name, sorted case-insensitively.
    [[nodiscard]] static QStringList tenants(const Inventory &inventory);

Q_SIGNALS:
    void tenantChanged(const QString &tenant);

private:
    const Inventory *m_inventory;
    QString m_tenant;
};

} // namespace Vigie
