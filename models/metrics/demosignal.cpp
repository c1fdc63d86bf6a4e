#include "demosignal.h"

#include "demonoise.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace Vigie {

namespace {

using DemoNoise::noise;
using DemoNoise::stableHash;

// A slow wave with a per-series period and phase, plus jitter and rare bursts: within [0.05, 0.9].
double wave(quint64 seed, qint64 step, quint64 channel)
{
    const double period = 45.0 + double((seed >> (channel * 5)) % 240);
    const double phase = double((seed >> 17) % 628) / 100.0 + double(channel);
    const double base = 0.5 + 0.35 * std::sin(2.0 * std::numbers::pi * double(step) / period + phase);
    const double jitter = 0.15 * (noise(seed, step, channel) - 0.5);
    const double burst = noise(seed, step / 5, channel + 100) > 0.93 ? 0.25 : 0.0;
    // Scaled so that nothing clips: a clipped stretch would plot flat, and look dead.
    return std::clamp(0.7 * (base + jitter) + burst, 0.0, 1.0);
}

// The demo's CI runner compiles all day: its CPU stays above 90 %, so the demo shows a standing
// alarm (the default VM CPU rule) and a VM at the top of the dashboard.
constexpr QLatin1StringView BusyVm("ed60a991-1cf9-5dd2-befc-6214707afed6"); // gitlab-runner-01

} // namespace

VmSample DemoSignal::vmSample(const QString &uuid, qint64 step, quint64 memoryKiB)
{
    const quint64 seed = stableHash(uuid);
    // Each VM gets its own scale, so that rankings across VMs are stable and interesting.
    const double weight = 0.2 + 0.8 * noise(seed, 0, 99);
    VmSample s;
    s.set(VmMetric::CpuPercent, uuid == BusyVm ? 92.0 + 7.0 * wave(seed, step, 0) : 100.0 * weight * wave(seed, step, 0));
    const double memory = double(memoryKiB ? memoryKiB : 1048576);
    s.set(VmMetric::MemoryAvailableKiB, memory);
    s.set(VmMetric::MemoryUsedKiB, memory * (0.3 + 0.5 * wave(seed, step, 1)));
    s.set(VmMetric::MemoryRssKiB, memory * (0.5 + 0.3 * wave(seed, step / 30, 2)));
    const double diskScale = 40.0 * 1024 * 1024 * weight; // up to 40 MiB/s
    const double read = wave(seed, step, 3);
    const double write = wave(seed, step, 4);
    s.set(VmMetric::DiskReadBytesPerSec, diskScale * read);
    s.set(VmMetric::DiskWriteBytesPerSec, diskScale * 0.6 * write);
    s.set(VmMetric::DiskReadIops, diskScale * read / 16384.0);
    s.set(VmMetric::DiskWriteIops, diskScale * 0.6 * write / 8192.0);
    const double netScale = 12.0 * 1024 * 1024 * weight; // up to 12 MiB/s
    const double rx = wave(seed, step, 5);
    const double tx = wave(seed, step, 6);
    s.set(VmMetric::NetRxBytesPerSec, netScale * rx);
    s.set(VmMetric::NetTxBytesPerSec, netScale * 0.7 * tx);
    s.set(VmMetric::NetRxPacketsPerSec, netScale * rx / 900.0);
    s.set(VmMetric::NetTxPacketsPerSec, netScale * 0.7 * tx / 700.0);
    return s;
}

HostSample DemoSignal::hostSample(const QString &uri, qint64 step, quint64 memoryTotalKiB)
{
    const quint64 seed = stableHash(uri);
    HostSample s;
    s.set(HostMetric::CpuPercent, 10.0 + 70.0 * wave(seed, step, 0));
    if (memoryTotalKiB) {
        s.set(HostMetric::MemoryTotalKiB, double(memoryTotalKiB));
        s.set(HostMetric::MemoryUsedKiB, double(memoryTotalKiB) * (0.35 + 0.4 * wave(seed, step / 10, 1)));
    }
    return s;
}

void DemoSignal::apply(MetricsTick *tick, qint64 step)
{
    for (VmSampleUpdate &vm : tick->vms) {
        // A VM without a process has no values; it stays without.
        const std::optional<double> memory = vm.sample.value(VmMetric::MemoryAvailableKiB);
        if (!memory)
            continue;
        const qint64 time = vm.sample.timeMs;
        vm.sample = vmSample(vm.uuid, step, quint64(*memory));
        vm.sample.timeMs = time;
        vm.staleSinceMs.reset();
    }
    const qint64 time = tick->host.timeMs;
    const std::optional<double> total = tick->host.value(HostMetric::MemoryTotalKiB);
    tick->host = hostSample(tick->hostUri, step, total ? quint64(*total) : 0);
    tick->host.timeMs = time;
    // The host's used memory is its VMs' resident memory plus the hypervisor's own, so it grows
    // when VMs arrive (an evacuation) and falls when they leave, as a real host's does.
    if (total) {
        double resident = 0;
        for (const VmSampleUpdate &vm : std::as_const(tick->vms))
            resident += vm.sample.value(VmMetric::MemoryRssKiB).value_or(0.0);
        const double own = *total * (0.03 + 0.01 * wave(stableHash(tick->hostUri), step / 10, 1));
        tick->host.set(HostMetric::MemoryUsedKiB, std::min(*total, own + resident));
    }
}

} // namespace Vigie
