#pragma once

#include <QString>

namespace Vigie {

class Inventory;
class TenantScope;

// The whole fleet in a few figures, for the Dashboard's first line: how many hosts answer, how
// many VMs run, and how much of the connected hosts' CPUs and memory the running VMs are given
// (the overcommit an operator watches). Counted from the inventory alone.
struct ClusterSummary
{
    int hosts = 0;
    int connectedHosts = 0;
    int troubledHosts = 0; // unreachable or failed
    int maintenanceHosts = 0;
    int vms = 0;
    int runningVms = 0;
    int pausedVms = 0;
    int stoppedVms = 0; // shut off, crashed, never started
    // Of the connected hosts only: what a VM can be placed on.
    int cpus = 0;
    int committedVcpus = 0; // of the active VMs
    quint64 memoryKiB = 0;
    quint64 committedMemoryKiB = 0; // of the active VMs

    // vCPUs per physical CPU (0 without a connected host).
    [[nodiscard]] double cpuOvercommit() const { return cpus > 0 ? double(committedVcpus) / cpus : 0.0; }
    // Committed memory as a percentage of the connected hosts' memory.
    [[nodiscard]] double memoryPercent() const
    {
        return memoryKiB > 0 ? 100.0 * double(committedMemoryKiB) / double(memoryKiB) : 0.0;
    }

    // SCOPE (may be null): only its tenant's VMs, and the hosts holding one of them; committed
    // figures are then the tenant's share of those hosts.
    [[nodiscard]] static ClusterSummary make(const Inventory &inventory, const TenantScope *scope = nullptr);

    friend bool operator==(const ClusterSummary &, const ClusterSummary &) = default;
};

} // namespace Vigie
