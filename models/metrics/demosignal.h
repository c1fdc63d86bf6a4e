#pragma once

#include "metricsample.h"

namespace Vigie {

// The demo datacenter's figures. libvirt's test driver reports counters that grow linearly with
// the clock, which plot as flat lines; demo hosts plot this instead: a lively but deterministic
// signal, a pure function of the VM's UUID (or host URI) and the time step, so tests can compare
// exact values. Ticks built from it are labelled demo (MetricsTick::demo).
class DemoSignal
{
public:
    // memoryKiB: the VM's current memory, so that "used" stays below it.
    [[nodiscard]] static VmSample vmSample(const QString &uuid, qint64 step, quint64 memoryKiB);
    [[nodiscard]] static HostSample hostSample(const QString &uri, qint64 step, quint64 memoryTotalKiB);
    // Replaces the measured values of every VM that has a value (a running VM) and of the host,
    // whose used memory is then its VMs' resident memory plus a few percent of its own; step is
    // the tick's time divided by the collection interval.
    static void apply(MetricsTick *tick, qint64 step);
};

} // namespace Vigie
