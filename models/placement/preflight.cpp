#include "preflight.h"

#include "hypervisor/accesspolicy.h"
#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"

#include <QCoreApplication>

namespace Vigie {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Vigie::Preflight", text);
}
} // namespace

quint64 Preflight::freeMemoryKiB(const QString &hostUri) const
{
    if (m_freeMemo) {
        if (const auto known = m_freeMemo->constFind(hostUri); known != m_freeMemo->cend())
            return *known;
    }
    const quint64 total = m_inventory->host(hostUri).memoryKiB;
    const quint64 committed = m_inventory->committedMemoryKiB(hostUri);
    const quint64 free = committed >= total ? 0 : total - committed;
    if (m_freeMemo)
        m_freeMemo->insert(hostUri, free);
    return free;
}

QString Preflight::writeRefusal(const QString &hostUri) const
{
    if (!m_access || !m_access->isReadOnly(hostUri))
        return {};
    return tr("%1: %2").arg(m_inventory->host(hostUri).displayName, m_access->writeRefusal(hostUri));
}

PlacementCheck Preflight::checkDestination(const QString &destUri, quint64 memoryKiB, const QList<int> &vlans) const
{
    if (!m_inventory->hasHost(destUri))
        return PlacementCheck::refused(tr("Unknown host."));
    if (const QString refusal = writeRefusal(destUri); !refusal.isEmpty())
        return PlacementCheck::refused(refusal);
    const HostInfo dest = m_inventory->host(destUri);
    if (dest.state != ConnectionState::Connected)
        return PlacementCheck::refused(tr("%1 is not connected (%2).").arg(dest.displayName, connectionStateDisplayName(dest.state)));
    if (m_inventory->isInMaintenance(destUri)) // takes nothing new
        return PlacementCheck::refused(tr("%1 is in maintenance: nothing new is placed there.").arg(dest.displayName));
    const quint64 free = freeMemoryKiB(destUri);
    if (memoryKiB > free) {
        return PlacementCheck::refused(tr("Not enough free memory on %1: %2 free, %3 needed.")
                                           .arg(dest.displayName, formatMemoryKiB(free), formatMemoryKiB(memoryKiB)));
    }
    for (int tag : vlans) {
        // A VLAN no libvirt network describes (a NIC tagged straight on a bridge) cannot be
        // judged from the inventory: only a VLAN carried elsewhere but not here is refused.
        const VlanInfo *vlan = m_inventory->findVlan(tag);
        if (vlan && !vlan->hosts.isEmpty() && !vlan->hosts.contains(destUri)) {
            return PlacementCheck::refused(
                tr("VLAN %1 (%2) is not available on %3.").arg(tag).arg(m_inventory->vlanName(tag), dest.displayName));
        }
    }
    return PlacementCheck::ok();
}

PlacementCheck Preflight::checkMigration(const VmKey &key, const QString &destUri) const
{
    const VmInfo *vm = m_inventory->findVm(key);
    if (!vm)
        return PlacementCheck::refused(tr("The VM is no longer in the inventory."));
    if (key.hostUri == destUri)
        return PlacementCheck::refused(tr("%1 already runs on this host.").arg(vm->name));
    if (const QString refusal = writeRefusal(key.hostUri); !refusal.isEmpty())
        return PlacementCheck::refused(refusal);
    const HostInfo source = m_inventory->host(key.hostUri);
    if (source.state != ConnectionState::Connected)
        return PlacementCheck::refused(tr("%1 (the source) is not connected.").arg(source.displayName));
    const HostInfo dest = m_inventory->host(destUri);
    if (m_inventory->hasHost(destUri) && dest.demo != source.demo)
        return PlacementCheck::refused(tr("Demo hosts and real hosts cannot exchange VMs."));
    if (!dest.hypervisorType.isEmpty() && dest.hypervisorType != source.hypervisorType) {
        return PlacementCheck::refused(
            tr("Different hypervisors: %1 here, %2 on %3.").arg(source.hypervisorType, dest.hypervisorType, dest.displayName));
    }
    // Only a running VM carries its CPU along; a stopped one gets its CPU anew when it starts.
    // Not compared (yet, or the driver cannot): allowed.
    if (const std::optional<CpuCheck> cpu = m_inventory->cpuCheck(destUri, key.hostUri); vm->isActive() && cpu && !cpu->compatible) {
        if (cpu->detail.isEmpty()) {
            return PlacementCheck::refused(tr("The CPU of %1 lacks features of the CPU of %2, which the running VM may use.")
                                               .arg(dest.displayName, source.displayName));
        }
        // %3: libvirt's own words (which features are missing).
        return PlacementCheck::refused(tr("The CPU of %1 lacks features of the CPU of %2, which the running VM may use (%3).")
                                           .arg(dest.displayName, source.displayName, cpu->detail));
    }
    return checkDestination(destUri, vm->isActive() ? vm->memoryKiB : 0, m_inventory->vmVlans(key));
}

QStringList Preflight::migrationCaveats(const VmKey &key, const QString &destUri) const
{
    QStringList caveats;
    const VmInfo *vm = m_inventory->findVm(key);
    if (!vm)
        return caveats;
    const QString name = vm->displayName.isEmpty() ? vm->name : vm->displayName;
    const QString source = m_inventory->host(key.hostUri).displayName;
    if (vm->manager == QLatin1String("nova")) {
        // Nova names a compute host by its host name; its instance UUID is the domain's.
        const HostInfo dest = m_inventory->host(destUri);
        const QString computeHost = dest.hostname.isEmpty() ? dest.displayName : dest.hostname;
        caveats.append(tr("%1 is managed by OpenStack Nova, which will still record it on %2: Nova's own actions on it "
                          "then fail. To move it with OpenStack's knowledge: openstack server migrate "
                          "--live-migration --host %3 %4")
                           .arg(name, source, computeHost, vm->uuid));
    }
    // A port its owner requests on a chassis (Neutron's requested-chassis) is claimed by no
    // other: Vigie leaves the owner's rows alone, so the NIC has no traffic on the destination.
    QString owner;
    int owned = 0;
    for (const NicInfo &nic : vm->nics) {
        const ControllerNic *port = m_inventory->controllerNic(nic);
        if (port && !port->owner.isEmpty()) {
            owner = port->owner;
            ++owned;
        }
    }
    if (owned > 0) {
        caveats.append(QCoreApplication::translate("Vigie::Preflight",
                                                   "%n NIC(s) of %1 are ports of %2, which keeps them requested on the "
                                                   "chassis of %3: Vigie does not rewrite its rows, so they carry no "
                                                   "traffic on the destination until %2 binds them there.",
                                                   nullptr, owned)
                           .arg(name, owner, source));
    }
    return caveats;
}

PlacementCheck Preflight::checkQuota(const QString &tenant, int vcpus, quint64 memoryMiB, quint64 diskGiB) const
{
    const QString refusal = m_quotas.refusal(*m_inventory, tenant, vcpus, memoryMiB, diskGiB);
    return refusal.isEmpty() ? PlacementCheck::ok() : PlacementCheck::refused(refusal);
}

PlacementCheck Preflight::checkPlacement(const QString &destUri, quint64 memoryKiB, const QList<int> &vlans) const
{
    return checkDestination(destUri, memoryKiB, vlans);
}

} // namespace Vigie
