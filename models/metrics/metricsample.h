#pragma once

#include "metric.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <cmath>
#include <limits>
#include <optional>

namespace Vigie {

// One point of every series of a VM. float keeps a sample at 56 bytes (an hour at 1 Hz: 197 KiB
// per VM) and its 24-bit mantissa is far finer than a plot's pixel; NaN is "no value" (a gap).
struct VmSample
{
    qint64 timeMs = 0; // ms since the epoch
    std::array<float, VmMetricCount> values;

    VmSample() { values.fill(std::numeric_limits<float>::quiet_NaN()); }
    [[nodiscard]] std::optional<double> value(VmMetric metric) const
    {
        const float v = values[size_t(metric)];
        return std::isnan(v) ? std::nullopt : std::optional<double>(v);
    }
    void set(VmMetric metric, std::optional<double> v)
    {
        values[size_t(metric)] = v ? float(*v) : std::numeric_limits<float>::quiet_NaN();
    }
};

struct HostSample
{
    qint64 timeMs = 0;
    std::array<float, HostMetricCount> values;

    HostSample() { values.fill(std::numeric_limits<float>::quiet_NaN()); }
    [[nodiscard]] std::optional<double> value(HostMetric metric) const
    {
        const float v = values[size_t(metric)];
        return std::isnan(v) ? std::nullopt : std::optional<double>(v);
    }
    void set(HostMetric metric, std::optional<double> v)
    {
        values[size_t(metric)] = v ? float(*v) : std::numeric_limits<float>::quiet_NaN();
    }
};

// One VM's sample of a tick, with its freshness: staleSinceMs is set when some of the VM's
// counters did not come back (frozen QEMU, monitor busy) and says since when the VM's figures
// are last complete.
struct VmSampleUpdate
{
    QString uuid;
    VmSample sample;
    std::optional<qint64> staleSinceMs;
    // The domain is running on this host (not paused, not shut off): during a migration the
    // destination's paused copy reports too, and the store keeps the running one's series.
    bool running = false;
};

// Everything one host's worker collected in one tick, sent to the GUI thread as one value.
struct MetricsTick
{
    QString hostUri;
    bool demo = false; // synthetic figures (demo datacenter), not measured
    qint64 timeMs = 0;
    int intervalMs = 1000; // the collection interval, to tell late from stale
    HostSample host;
    // A source may bring the host's figures and its VMs' apart (Prometheus: the node exporter
    // and the libvirt exporter). hasHost false: HOST is neither a sample nor a gap. hasVms false:
    // VMS says nothing of the host's VMs (none stopped, none gone).
    bool hasHost = true;
    bool hasVms = true;
    QList<VmSampleUpdate> vms;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::MetricsTick)
