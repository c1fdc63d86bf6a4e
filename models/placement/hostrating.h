#pragma once

#include "inventory/vminfo.h"

#include <QList>
#include <QString>

namespace Vigie {

class MetricsStore;
class Preflight;

// How well a host suits VMs about to move there, as SCVMM's and vSphere's placement ratings
// show it while dragging: a score from 0 to 100 and the reason in words.
struct HostRating
{
    QString hostUri;
    int score = 0;       // 0: cannot take any of the VMs
    int accepted = 0;    // how many of the VMs the pre-flight lets go there
    int total = 0;       // how many were rated
    QString reason;      // translated, one sentence per factor
    [[nodiscard]] bool canTake() const { return accepted > 0; }
};

// Rates hosts from the inventory (free memory and vCPUs once the VMs are there, VLANs carried,
// CPU compatibility, all through the pre-flight) and the metrics store (the host's CPU load over
// the last minutes). No libvirt call: cheap enough to run for every host when a drag starts.
class HostRater
{
public:
    explicit HostRater(const Preflight *preflight, const MetricsStore *metrics = nullptr)
        : m_preflight(preflight)
        , m_metrics(metrics)
    {
    }

    // How far back the load is averaged.
    void setLoadWindowMs(qint64 ms) { m_loadWindowMs = ms; }
    [[nodiscard]] qint64 loadWindowMs() const { return m_loadWindowMs; }

    // VMS going to DEST_URI; NOW_MS is the end of the load window (wall clock, the metrics' time).
    [[nodiscard]] HostRating rate(const QList<VmKey> &vms, const QString &destUri, qint64 nowMs) const;
    // Every host of the inventory, best first (ties by name); hosts that can take none are last.
    [[nodiscard]] QList<HostRating> rateAll(const QList<VmKey> &vms, qint64 nowMs) const;

private:
    const Preflight *m_preflight;
    const MetricsStore *m_metrics;
    qint64 m_loadWindowMs = 5 * 60'000;
};

} // namespace Vigie
