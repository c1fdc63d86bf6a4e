#pragma once

#include "historyusage.h"

#include <QList>

namespace Vigie {

class Inventory;

// What a host's VMs hold, for the usage the history records at each of its ticks: every active VM
// of the host (the tick's sample says whether it runs there), and each shut-off VM on one host
// only: none when a copy of it is active elsewhere, else the first host (in the inventory's
// order) that defines it. diskMiB gives a VM's disk capacity (0: unknown); without it, the
// capacity its host told (VmInfo::diskCapacityBytes).
class UsageAllocations
{
public:
    using DiskSize = qint64 (*)(const QString &uuid);
    [[nodiscard]] static QList<VmAllocation> ofHost(const Inventory &inventory, const QString &hostUri,
                                                    DiskSize diskMiB = nullptr);
};

} // namespace Vigie
