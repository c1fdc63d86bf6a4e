#include "hostrating.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "metrics/metricsstore.h"
#include "preflight.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace Vigie {

namespace {
QString tr(const char *text, const char *comment = nullptr, int n = -1)
{
    return QCoreApplication::translate("Vigie::HostRater", text, comment, n);
}

// Weights of the factors: room is what makes a migration fail or a host suffer, load what
// makes the VM slow once there.
constexpr double MemoryWeight = 0.4;
constexpr double VcpuWeight = 0.3;
constexpr double LoadWeight = 0.3;
} // namespace

HostRating HostRater::rate(const QList<VmKey> &vms, const QString &destUri, qint64 nowMs) const
{
    const Inventory &inventory = *m_preflight->inventory();
    HostRating rating;
    rating.hostUri = destUri;
    rating.total = int(vms.size());
    const HostInfo host = inventory.host(destUri);

    quint64 memoryKiB = 0;
    int vcpus = 0;
    QString refusal;
    QString firstRefusedName;
    for (const VmKey &key : vms) {
        const PlacementCheck check = m_preflight->checkMigration(key, destUri);
        const VmInfo *vm = inventory.findVm(key);
        if (!check.allowed) {
            if (refusal.isEmpty()) {
                refusal = check.reason;
                firstRefusedName = vm ? vm->name : QString();
            }
            continue;
        }
        ++rating.accepted;
        if (vm && vm->isActive()) {
            memoryKiB += vm->memoryKiB;
            vcpus += vm->vcpus;
        }
    }
    if (rating.accepted == 0) {
        rating.reason = refusal;
        return rating;
    }

    QStringList reasons;
    // Memory: full marks with half the host free once they are there.
    const quint64 free = m_preflight->freeMemoryKiB(destUri);
    const quint64 freeAfter = free > memoryKiB ? free - memoryKiB : 0;
    const double memoryFraction = host.memoryKiB > 0 ? double(freeAfter) / double(host.memoryKiB) : 0.0;
    const double memoryScore = std::clamp(memoryFraction / 0.5, 0.0, 1.0);
    //: %1 free memory, %2 the host's memory
    reasons.append(tr("After the move: %1 of %2 free").arg(formatMemoryKiB(freeAfter), formatMemoryKiB(host.memoryKiB)));

    // vCPUs: full marks at half the host's CPUs committed, none at 1.5 vCPU per CPU.
    const int committedAfter = inventory.committedVcpus(destUri) + vcpus;
    const double ratio = host.cpus > 0 ? double(committedAfter) / host.cpus : 2.0;
    const double vcpuScore = std::clamp(1.5 - ratio, 0.0, 1.0);
    reasons.last() += tr(", %1/%2 vCPUs committed").arg(committedAfter).arg(host.cpus);
    if (ratio > 1.0)
        reasons.last() += tr(" (over-committed)");
    reasons.last() += QLatin1Char('.');

    // Load: the host's CPU over the last minutes; unknown counts as half busy.
    double loadScore = 0.5;
    const MetricSeries load = m_metrics ? m_metrics->hostSeries(destUri, HostMetric::CpuPercent, nowMs - m_loadWindowMs, nowMs)
                                        : MetricSeries{};
    if (!load.isEmpty()) {
        double sum = 0;
        for (double value : load.values)
            sum += value;
        const double mean = sum / double(load.size());
        loadScore = std::clamp(1.0 - mean / 100.0, 0.0, 1.0);
        reasons.append(tr("CPU load %1 % over the last %n minute(s).", nullptr, int(std::max<qint64>(1, m_loadWindowMs / 60'000)))
                           .arg(mean, 0, 'f', 0));
    } else {
        reasons.append(tr("No recent load figures."));
    }

    // VLANs and CPU: what the pre-flight checked, said so the operator sees why it is a candidate.
    QList<int> vlans;
    for (const VmKey &key : vms) {
        for (int tag : inventory.vmVlans(key)) {
            if (!vlans.contains(tag))
                vlans.append(tag);
        }
    }
    std::sort(vlans.begin(), vlans.end());
    if (!vlans.isEmpty()) {
        QStringList tags;
        for (int tag : std::as_const(vlans))
            tags.append(QString::number(tag));
        reasons.append(tr("VLAN(s) %1 present.", nullptr, int(vlans.size())).arg(tags.join(QStringLiteral(", "))));
    }
    bool cpuCompared = true;
    for (const VmKey &key : vms) {
        if (key.hostUri != destUri && !inventory.cpuCheck(destUri, key.hostUri))
            cpuCompared = false;
    }
    reasons.append(cpuCompared ? tr("CPU compatible.") : tr("CPU not compared with the source's."));

    double score = MemoryWeight * memoryScore + VcpuWeight * vcpuScore + LoadWeight * loadScore;
    // A host that takes only some of the VMs is a worse answer to the drag.
    score *= double(rating.accepted) / double(rating.total);
    rating.score = std::clamp(int(std::lround(score * 100.0)), rating.accepted > 0 ? 1 : 0, 100);
    if (rating.accepted < rating.total) {
        reasons.append(tr("Takes %1 of %2 VMs; %3: %4")
                           .arg(rating.accepted)
                           .arg(rating.total)
                           .arg(firstRefusedName, refusal));
    }
    rating.reason = reasons.join(QLatin1Char(' '));
    return rating;
}

QList<HostRating> HostRater::rateAll(const QList<VmKey> &vms, qint64 nowMs) const
{
    const Inventory &inventory = *m_preflight->inventory();
    QList<HostRating> ratings;
    for (const QString &uri : inventory.hostUris())
        ratings.append(rate(vms, uri, nowMs));
    std::stable_sort(ratings.begin(), ratings.end(), [&inventory](const HostRating &a, const HostRating &b) {
        if (a.score != b.score)
            return a.score > b.score;
        return inventory.host(a.hostUri).displayName < inventory.host(b.hostUri).displayName;
    });
    return ratings;
}

} // namespace Vigie
