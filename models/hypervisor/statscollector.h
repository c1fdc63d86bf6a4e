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

struct RawStatsBatch
{
    RawHostStats host;
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
    // perDomain, virDomainGetInfo plus interface and block stats per domain.
    [[nodiscard]] static RawStatsBatch collect(_virConnect *conn, bool perDomain,
                                               const QHash<QString, DomainDevices> &devices);

private:
    static bool collectBulk(_virConnect *conn, RawStatsBatch *batch);
    static bool collectPerDomain(_virConnect *conn, const QHash<QString, DomainDevices> &devices,
                                 RawStatsBatch *batch);
    static void collectHost(_virConnect *conn, RawHostStats *host);
};

} // namespace Vigie
