#include "usageallocations.h"

#include "inventory/inventory.h"

#include <algorithm>

namespace Vigie {

namespace {

// Where a shut-off VM's disks count: nowhere when it is active on some host, else its first host.
bool countsHere(const Inventory &inventory, const QString &hostUri, const QString &uuid)
{
    const QStringList uris = inventory.hostUris();
    bool earlier = false;
    for (const QString &uri : uris) {
        if (uri == hostUri)
            continue;
        const VmInfo *other = inventory.findVm({uri, uuid});
        if (!other)
            continue;
        if (other->isActive())
            return false;
        if (uris.indexOf(uri) < uris.indexOf(hostUri))
            earlier = true;
    }
    return !earlier;
}

} // namespace

QList<VmAllocation> UsageAllocations::ofHost(const Inventory &inventory, const QString &hostUri, DiskSize diskMiB)
{
    QList<VmAllocation> result;
    for (const VmKey &key : inventory.vmKeysOfHost(hostUri)) {
        const VmInfo *vm = inventory.findVm(key);
        if (!vm)
            continue;
        const bool active = vm->isActive();
        if (!active && !countsHere(inventory, hostUri, vm->uuid))
            continue;
        VmAllocation allocation;
        allocation.uuid = vm->uuid;
        allocation.name = vm->displayName.isEmpty() ? vm->name : vm->displayName;
        allocation.tenant = vm->tenant;
        allocation.vcpus = vm->vcpus;
        allocation.memoryMiB = qint64(std::max(vm->maxMemoryKiB, vm->memoryKiB) / 1024); // as the quotas count it
        allocation.diskMiB = diskMiB ? diskMiB(vm->uuid) : qint64(vm->diskCapacityBytes().value_or(0) / (1024 * 1024));
        allocation.running = active;
        result.append(allocation);
    }
    return result;
}

} // namespace Vigie
