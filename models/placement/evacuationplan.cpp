#include "evacuationplan.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "preflight.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>

namespace Vigie {

EvacuationPlan EvacuationPlan::make(const Inventory &inventory, const Preflight &preflight, const QString &hostUri)
{
    EvacuationPlan plan;
    plan.hostUri = hostUri;
    QList<VmInfo> vms;
    for (const VmKey &key : inventory.vmKeysOfHost(hostUri))
        vms.append(inventory.vm(key));
    // Biggest first: they have the fewest places to go.
    std::stable_sort(vms.begin(), vms.end(), [](const VmInfo &a, const VmInfo &b) {
        const quint64 am = a.isActive() ? a.memoryKiB : 0;
        const quint64 bm = b.isActive() ? b.memoryKiB : 0;
        return am != bm ? am > bm : a.vcpus > b.vcpus;
    });
    QHash<QString, quint64> promisedMemory;
    QHash<QString, int> promisedVcpus;
    const QStringList hosts = inventory.hostUris();
    for (const VmInfo &vm : std::as_const(vms)) {
        const quint64 memory = vm.isActive() ? vm.memoryKiB : 0;
        const int vcpus = vm.isActive() ? vm.vcpus : 0;
        QString best;
        double bestScore = 0;
        QString firstRefusal;
        for (const QString &dest : hosts) {
            if (dest == hostUri)
                continue;
            const PlacementCheck check = preflight.checkMigration(vm.key(), dest);
            if (!check.allowed) {
                if (firstRefusal.isEmpty())
                    firstRefusal = check.reason;
                continue;
            }
            const quint64 free = preflight.freeMemoryKiB(dest);
            const quint64 promised = promisedMemory.value(dest);
            if (promised + memory > free) {
                if (firstRefusal.isEmpty()) {
                    firstRefusal = QCoreApplication::translate("Vigie::EvacuationPlan",
                                                               "Not enough free memory left on %1 once the plan's "
                                                               "other VMs are there.")
                                       .arg(inventory.host(dest).displayName);
                }
                continue;
            }
            const HostInfo info = inventory.host(dest);
            const double memoryLeft = info.memoryKiB > 0 ? double(free - promised - memory) / double(info.memoryKiB) : 0.0;
            const int vcpusLeft = info.cpus - inventory.committedVcpus(dest) - promisedVcpus.value(dest) - vcpus;
            const double cpuLeft = info.cpus > 0 ? double(vcpusLeft) / info.cpus : 0.0;
            const double score = memoryLeft + cpuLeft;
            if (best.isEmpty() || score > bestScore) {
                best = dest;
                bestScore = score;
            }
        }
        if (best.isEmpty()) {
            plan.unplaced.append({vm.key(), firstRefusal.isEmpty() ? QCoreApplication::translate("Vigie::EvacuationPlan", "No other host.")
                                                                   : firstRefusal});
            continue;
        }
        promisedMemory[best] += memory;
        promisedVcpus[best] += vcpus;
        plan.moves.append({vm.key(), best});
    }
    return plan;
}

} // namespace Vigie
