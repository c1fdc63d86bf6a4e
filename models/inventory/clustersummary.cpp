#include "clustersummary.h"

#include "inventory.h"
#include "tenantscope.h"

namespace Vigie {

ClusterSummary ClusterSummary::make(const Inventory &inventory, const TenantScope *scope)
{
    ClusterSummary summary;
    const bool scoped = scope && scope->isScoped();
    for (const QString &uri : inventory.hostUris()) {
        if (scoped && !scope->containsHost(uri))
            continue;
        const HostInfo host = inventory.host(uri);
        ++summary.hosts;
        if (host.state == ConnectionState::Unreachable || host.state == ConnectionState::Failed)
            ++summary.troubledHosts;
        if (inventory.isInMaintenance(uri))
            ++summary.maintenanceHosts;
        const bool connected = host.state == ConnectionState::Connected;
        if (connected) {
            ++summary.connectedHosts;
            summary.cpus += host.cpus;
            summary.memoryKiB += host.memoryKiB;
        }
        for (const VmKey &key : inventory.vmKeysOfHost(uri)) {
            const VmInfo *vm = inventory.findVm(key);
            if (!vm || (scoped && !scope->contains(*vm)))
                continue;
            ++summary.vms;
            if (vm->state == VmState::Paused || vm->state == VmState::Suspended)
                ++summary.pausedVms;
            else if (vm->isActive())
                ++summary.runningVms;
            else
                ++summary.stoppedVms;
            if (connected && vm->isActive()) {
                summary.committedVcpus += vm->vcpus;
                summary.committedMemoryKiB += vm->memoryKiB;
            }
        }
    }
    return summary;
}

} // namespace Vigie
