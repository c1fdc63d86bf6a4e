#include "demohistory.h"

#include "metrics/demonoise.h"
#include "metrics/metric.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <cmath>
#include <numbers>

namespace Vigie {

namespace {

using DemoNoise::noise;
using DemoNoise::stableHash;

// Load in [0.1, 1]: busy office hours (Paris time, roughly), a quiet night, weekends at half,
// a nightly batch peak for some series, and a slow drift over the year.
double load(quint64 seed, qint64 timeMs, quint64 channel)
{
    const double hours = double(timeMs) / 3'600'000.0 + 1.0;
    const double hourOfDay = std::fmod(hours, 24.0);
    const int weekday = int(std::fmod(std::floor(hours / 24.0) + 3.0, 7.0)); // 0 = Monday (1970-01-01 was a Thursday)
    const double office = std::exp(-std::pow((hourOfDay - 14.0) / 4.0, 2.0));
    const bool batch = (seed >> (channel + 7)) % 3 == 0;
    const double night = batch ? 0.7 * std::exp(-std::pow((hourOfDay - 2.5) / 1.2, 2.0)) : 0.0;
    const double week = weekday >= 5 ? 0.5 : 1.0;
    const double drift = 0.85 + 0.15 * std::sin(2.0 * std::numbers::pi * hours / (24.0 * 91.0) + double(seed % 100));
    return std::clamp((0.15 + 0.75 * office * week + night) * drift, 0.1, 1.0);
}

} // namespace

qint64 DemoHistory::diskMiB(const QString &uuid)
{
    static constexpr qint64 SizesGiB[] = {20, 40, 40, 80, 80, 160, 320};
    return SizesGiB[(stableHash(uuid) >> 11) % std::size(SizesGiB)] * 1024;
}

qint64 DemoHistory::createdMs(const QString &uuid, qint64 nowMs)
{
    const quint64 seed = stableHash(uuid);
    if ((seed >> 17) % 5 != 0)
        return 0;
    const qint64 daysAgo = 3 + qint64((seed >> 23) % 20);
    return nowMs - daysAgo * 86'400'000LL - qint64((seed >> 29) % 24) * 3'600'000LL;
}

bool DemoHistory::runsAt(const QString &uuid, qint64 timeMs)
{
    if ((stableHash(uuid) >> 5) % 4 != 1)
        return true;
    const double hours = double(timeMs) / 3'600'000.0 + 1.0;
    const double hourOfDay = std::fmod(hours, 24.0);
    const int weekday = int(std::fmod(std::floor(hours / 24.0) + 3.0, 7.0));
    return weekday < 5 && hourOfDay >= 8.0 && hourOfDay < 19.0;
}

QList<HistoryRow> DemoHistory::rows(const DemoHistorySubject &subject, HistoryTier tier, qint64 fromMs, qint64 toMs)
{
    QList<HistoryRow> result;
    if (tier == HistoryTier::Live)
        return result;
    const qint64 bucket = historyBucketMs(tier);
    const qint64 first = (fromMs + bucket - 1) / bucket * bucket;
    if (toMs <= first)
        return result;
    result.reserve((toMs - first) / bucket + 1);
    const quint64 seed = stableHash(subject.key.id);
    const bool vm = subject.key.subject == HistorySubject::Vm;
    const int metrics = historyMetricCount(subject.key.subject);
    const double weight = 0.2 + 0.8 * noise(seed, 0, 99);
    const double memory = double(subject.memoryKiB ? subject.memoryKiB : 4194304);
    // An hour's maximum stands further above its average than a minute's.
    const double peak = tier == HistoryTier::Hour ? 0.35 : 0.2;
    const bool billed = vm && subject.vcpus > 0;
    VmAllocation allocation;
    allocation.tenant = subject.tenant;
    allocation.vcpus = subject.vcpus;
    allocation.memoryMiB = qint64(memory / 1024);
    allocation.diskMiB = billed ? diskMiB(subject.key.id) : 0;
    const qint64 created = billed ? createdMs(subject.key.id, toMs) : 0;
    for (qint64 t = std::max(first, created - created % bucket); t < toMs; t += bucket) {
        const qint64 step = t / bucket;
        const qint64 middle = t + bucket / 2;
        HistoryRow row;
        row.key = subject.key;
        row.startMs = t;
        row.count = int(bucket / 1000);
        row.avg.resize(metrics);
        row.max.resize(metrics);
        if (billed) {
            allocation.running = runsAt(subject.key.id, middle);
            row.usage = allocation.usageOver(bucket);
            if (!allocation.running) {
                // Shut off: no figures, only its disk.
                row.count = 0;
                row.avg.fill(std::numeric_limits<float>::quiet_NaN());
                row.max.fill(std::numeric_limits<float>::quiet_NaN());
                result.append(std::move(row));
                continue;
            }
        }
        const auto set = [&](int metric, double avg, double max) {
            row.avg[metric] = float(avg);
            row.max[metric] = float(std::max(avg, max));
        };
        const auto jitter = [&](quint64 channel) { return 0.9 + 0.2 * noise(seed, step, channel); };
        const auto burst = [&](quint64 channel) { return 1.0 + peak * (0.5 + noise(seed, step, channel + 50)); };
        if (vm) {
            const double cpu = std::min(95.0, 100.0 * weight * load(seed, middle, 0) * jitter(0));
            set(int(VmMetric::CpuPercent), cpu, std::min(100.0, cpu * burst(0)));
            const double used = memory * (0.35 + 0.4 * load(seed, middle, 1) * jitter(1) * 0.9);
            set(int(VmMetric::MemoryUsedKiB), std::min(used, memory), std::min(memory, used * 1.05));
            set(int(VmMetric::MemoryAvailableKiB), memory, memory);
            const double rss = memory * (0.6 + 0.2 * load(seed, middle, 2));
            set(int(VmMetric::MemoryRssKiB), rss, rss * 1.02);
            const double disk = 40.0 * 1024 * 1024 * weight;
            const double read = disk * load(seed, middle, 3) * jitter(3) * 0.6;
            const double write = disk * 0.6 * load(seed, middle, 4) * jitter(4) * 0.6;
            set(int(VmMetric::DiskReadBytesPerSec), read, read * burst(3));
            set(int(VmMetric::DiskWriteBytesPerSec), write, write * burst(4));
            set(int(VmMetric::DiskReadIops), read / 16384.0, read / 16384.0 * burst(3));
            set(int(VmMetric::DiskWriteIops), write / 8192.0, write / 8192.0 * burst(4));
            const double net = 12.0 * 1024 * 1024 * weight;
            const double rx = net * load(seed, middle, 5) * jitter(5) * 0.6;
            const double tx = net * 0.7 * load(seed, middle, 6) * jitter(6) * 0.6;
            set(int(VmMetric::NetRxBytesPerSec), rx, rx * burst(5));
            set(int(VmMetric::NetTxBytesPerSec), tx, tx * burst(6));
            set(int(VmMetric::NetRxPacketsPerSec), rx / 900.0, rx / 900.0 * burst(5));
            set(int(VmMetric::NetTxPacketsPerSec), tx / 700.0, tx / 700.0 * burst(6));
        } else {
            const double cpu = std::min(95.0, 8.0 + 65.0 * load(seed, middle, 0) * jitter(0));
            set(int(HostMetric::CpuPercent), cpu, std::min(100.0, cpu * burst(0)));
            const double used = memory * (0.35 + 0.35 * load(seed, middle, 1));
            set(int(HostMetric::MemoryUsedKiB), used, std::min(memory, used * 1.03));
            set(int(HostMetric::MemoryTotalKiB), memory, memory);
        }
        result.append(std::move(row));
    }
    return result;
}

} // namespace Vigie
