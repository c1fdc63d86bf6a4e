#pragma once

#include "metrics/rawstats.h"

#include <QHash>
#include <QStringList>

struct _virConnect;

namespace Vigie {

// What the per-domain fallback needs to ask for device counters: the bulk API lists devices
// itself, virDomainInterfaceStats and virDomainBlockStats need their names.
struct DomainDevices
{
    QStringList interfaces; // target device, else MAC address
    QStringList disks;      // target (vda, ...)
};

// How many counters the node's CPU and memory stats have (0: not known yet). libvirt wants the
// count before the counters, in a call of its own; it does not change while a connection lives.
struct NodeStatsShape
{
    int cpuParams = 0;
    int memoryParams = 0;
};

struct RawStatsBatch
{
    RawHostStats host;
    NodeStatsShape nodeShape; // as this tick found it
    QList<RawVmStats> vms;
    bool ok = false;
    bool bulkUnusable = false; // the driver answered the bulk call without counters (test driver)
    QString error;
};

// The libvirt calls of one metrics tick. Blocking: runs on a helper thread of the host's worker,
// holding its own reference to the connection (libvirt connections are thread-safe).
class StatsCollector
{
public:
    // Bulk virConnectGetAllDomainStats with NOWAIT (a domain whose monitor is busy or frozen
    // comes back without its monitor-backed counters instead of holding up the call), or, when
    // perDomain, virDomainGetInfo plus interface and block stats per domain. The node's CPU and
    // memory stats with NODE_SHAPE's counts, if known (one call each, not two).
    [[nodiscard]] static RawStatsBatch collect(_virConnect *conn, bool perDomain,
                                               const QHash<QString, DomainDevices> &devices,
                                               NodeStatsShape nodeShape = {});

private:
    static bool collectBulk(_virConnect *conn, RawStatsBatch *batch);
    static bool collectPerDomain(_virConnect *conn, const QHash<QString, DomainDevices> &devices,
                                 RawStatsBatch *batch);
    static void collectHost(_virConnect *conn, NodeStatsShape *shape, RawHostStats *host);
};

} // namespace Vigie
