#pragma once

#include "metricsample.h"
#include "rawstats.h"

#include <QHash>

namespace Vigie {

// Turns raw counters into rates. derive() is the pure rule between two samples; a RateDeriver
// object keeps each VM's previous counters for one host (one per worker).
//
// Rules: rates divide by the real elapsed monotonic time (timers jitter); a counter that went
// backwards (VM restarted, migrated away and back, device replaced), a changed domain id or a
// changed device count gives no rate for that interval rather than a spike; a field libvirt did
// not report gives no value, never zero.
class RateDeriver
{
public:
    // Levels of cur, and its rates over prev when prev is the same running process.
    [[nodiscard]] static VmSample derive(const RawVmStats *prev, const RawVmStats &cur);
    [[nodiscard]] static HostSample deriveHost(const RawHostStats *prev, const RawHostStats &cur);

    // One VM of the current tick. A VM with a process whose counters stopped coming back (a
    // group reported before is missing now) is stale since its last complete sample.
    [[nodiscard]] VmSampleUpdate update(const RawVmStats &cur);
    // A whole tick; forgets the VMs it does not list (undefined, migrated away).
    [[nodiscard]] QList<VmSampleUpdate> updateAll(const QList<RawVmStats> &tick);
    [[nodiscard]] HostSample updateHost(const RawHostStats &cur);
    // After a reconnection nothing before it is comparable.
    void clear();
    [[nodiscard]] qsizetype trackedVms() const { return m_vms.size(); }

private:
    struct Track
    {
        RawVmStats previous;
        quint8 expectedGroups = 0; // groups this process has reported: their absence is staleness
        std::optional<qint64> lastCompleteMs;
    };
    QHash<QString, Track> m_vms;
    std::optional<RawHostStats> m_host;
};

} // namespace Vigie
