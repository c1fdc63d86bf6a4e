#include "ratederiver.h"

#include <QSet>

#include <algorithm>

namespace Vigie {

namespace {

enum Group : quint8 {
    CpuGroup = 1,
    MemoryGroup = 2, // the process's RSS needs the QEMU monitor job, like block counters
    NetGroup = 4,
    BlockGroup = 8,
};

quint8 presentGroups(const RawVmStats &s)
{
    quint8 groups = 0;
    if (s.cpuTimeNs)
        groups |= CpuGroup;
    if (s.balloonRssKiB)
        groups |= MemoryGroup;
    if (s.rxBytes)
        groups |= NetGroup;
    if (s.readRequests)
        groups |= BlockGroup;
    return groups;
}

std::optional<double> rate(const std::optional<quint64> &before, const std::optional<quint64> &after, double seconds)
{
    if (!before || !after || *after < *before)
        return std::nullopt;
    return double(*after - *before) / seconds;
}

} // namespace

VmSample RateDeriver::derive(const RawVmStats *prev, const RawVmStats &cur)
{
    VmSample s;
    s.timeMs = cur.wallMs;
    if (!cur.hasProcess())
        return s;

    const std::optional<quint64> available = cur.balloonAvailableKiB ? cur.balloonAvailableKiB : cur.balloonCurrentKiB;
    if (available)
        s.set(VmMetric::MemoryAvailableKiB, double(*available));
    if (cur.balloonAvailableKiB && cur.balloonUnusedKiB && *cur.balloonAvailableKiB >= *cur.balloonUnusedKiB)
        s.set(VmMetric::MemoryUsedKiB, double(*cur.balloonAvailableKiB - *cur.balloonUnusedKiB));
    if (cur.balloonRssKiB)
        s.set(VmMetric::MemoryRssKiB, double(*cur.balloonRssKiB));

    if (!prev || !prev->hasProcess() || prev->domainId != cur.domainId || prev->uuid != cur.uuid)
        return s;
    const qint64 elapsedNs = cur.monotonicNs - prev->monotonicNs;
    if (elapsedNs <= 0)
        return s;
    const double seconds = double(elapsedNs) / 1e9;

    if (cur.vcpus) {
        if (const auto busyNsPerS = rate(prev->cpuTimeNs, cur.cpuTimeNs, seconds)) {
            // cpu.time also counts QEMU's own threads, so it can exceed the vCPUs' share a little.
            s.set(VmMetric::CpuPercent, std::clamp(*busyNsPerS / 1e9 / double(*cur.vcpus) * 100.0, 0.0, 100.0));
        }
    }
    if (prev->netDevices == cur.netDevices) {
        s.set(VmMetric::NetRxBytesPerSec, rate(prev->rxBytes, cur.rxBytes, seconds));
        s.set(VmMetric::NetTxBytesPerSec, rate(prev->txBytes, cur.txBytes, seconds));
        s.set(VmMetric::NetRxPacketsPerSec, rate(prev->rxPackets, cur.rxPackets, seconds));
        s.set(VmMetric::NetTxPacketsPerSec, rate(prev->txPackets, cur.txPackets, seconds));
    }
    if (prev->blockDevices == cur.blockDevices) {
        s.set(VmMetric::DiskReadBytesPerSec, rate(prev->readBytes, cur.readBytes, seconds));
        s.set(VmMetric::DiskWriteBytesPerSec, rate(prev->writeBytes, cur.writeBytes, seconds));
        s.set(VmMetric::DiskReadIops, rate(prev->readRequests, cur.readRequests, seconds));
        s.set(VmMetric::DiskWriteIops, rate(prev->writeRequests, cur.writeRequests, seconds));
    }
    return s;
}

HostSample RateDeriver::deriveHost(const RawHostStats *prev, const RawHostStats &cur)
{
    HostSample s;
    s.timeMs = cur.wallMs;
    if (cur.memoryTotalKiB) {
        s.set(HostMetric::MemoryTotalKiB, double(*cur.memoryTotalKiB));
        if (cur.memoryFreeKiB && *cur.memoryFreeKiB <= *cur.memoryTotalKiB)
            s.set(HostMetric::MemoryUsedKiB, double(*cur.memoryTotalKiB - *cur.memoryFreeKiB));
    }
    if (prev && prev->cpuTotalNs && prev->cpuBusyNs && cur.cpuTotalNs && cur.cpuBusyNs
        && *cur.cpuTotalNs > *prev->cpuTotalNs && *cur.cpuBusyNs >= *prev->cpuBusyNs) {
        const double total = double(*cur.cpuTotalNs - *prev->cpuTotalNs);
        const double busy = double(*cur.cpuBusyNs - *prev->cpuBusyNs);
        s.set(HostMetric::CpuPercent, std::clamp(busy / total * 100.0, 0.0, 100.0));
    }
    return s;
}

VmSampleUpdate RateDeriver::update(const RawVmStats &cur)
{
    VmSampleUpdate result;
    result.uuid = cur.uuid;
    result.running = cur.state == 1; // VIR_DOMAIN_RUNNING
    auto it = m_vms.find(cur.uuid);
    const bool known = it != m_vms.end();
    result.sample = derive(known ? &it->previous : nullptr, cur);
    if (!known)
        it = m_vms.insert(cur.uuid, Track{});
    Track &track = *it;

    const quint8 present = presentGroups(cur);
    if (!cur.hasProcess()) {
        track.expectedGroups = 0;
        track.lastCompleteMs = cur.wallMs;
    } else {
        const bool sameProcess = known && track.previous.hasProcess() && track.previous.domainId == cur.domainId;
        track.expectedGroups = sameProcess ? quint8(track.expectedGroups | present) : present;
        if ((track.expectedGroups & ~present) == 0)
            track.lastCompleteMs = cur.wallMs;
        else
            result.staleSinceMs = track.lastCompleteMs.value_or(cur.wallMs);
    }
    track.previous = cur;
    return result;
}

QList<VmSampleUpdate> RateDeriver::updateAll(const QList<RawVmStats> &tick)
{
    QList<VmSampleUpdate> result;
    result.reserve(tick.size());
    for (const RawVmStats &vm : tick)
        result.append(update(vm));
    if (m_vms.size() > tick.size()) {
        QSet<QString> listed;
        listed.reserve(tick.size());
        for (const RawVmStats &vm : tick)
            listed.insert(vm.uuid);
        m_vms.removeIf([&listed](const auto &entry) { return !listed.contains(entry.key()); });
    }
    return result;
}

HostSample RateDeriver::updateHost(const RawHostStats &cur)
{
    HostSample s = deriveHost(m_host ? &*m_host : nullptr, cur);
    m_host = cur;
    return s;
}

void RateDeriver::clear()
{
    m_vms.clear();
    m_host.reset();
}

} // namespace Vigie
