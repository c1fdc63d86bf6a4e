#pragma once

#include <QMetaType>
#include <QString>

namespace Vigie {

// The derived series of one VM. The order is the column order of VmSample::values.
enum class VmMetric {
    CpuPercent,          // of the VM's vCPUs: 100 = every vCPU busy
    MemoryUsedKiB,       // guest's view (balloon available - unused); none without a balloon driver
    MemoryAvailableKiB,  // balloon available, else the balloon's current size
    MemoryRssKiB,        // host-side resident set of the QEMU process
    DiskReadBytesPerSec, // all disks
    DiskWriteBytesPerSec,
    DiskReadIops,
    DiskWriteIops,
    NetRxBytesPerSec, // all interfaces
    NetTxBytesPerSec,
    NetRxPacketsPerSec,
    NetTxPacketsPerSec,
};
inline constexpr int VmMetricCount = int(VmMetric::NetTxPacketsPerSec) + 1;

enum class HostMetric {
    CpuPercent, // of all host CPUs
    MemoryUsedKiB,
    MemoryTotalKiB,
};
inline constexpr int HostMetricCount = int(HostMetric::MemoryTotalKiB) + 1;

// What a plot needs to scale its axis (KiB/s to GiB/s, ...).
enum class MetricUnit {
    Percent,
    KiB,
    BytesPerSecond,
    PerSecond,
};

[[nodiscard]] MetricUnit metricUnit(VmMetric metric);
[[nodiscard]] MetricUnit metricUnit(HostMetric metric);
[[nodiscard]] QString metricName(VmMetric metric);   // stable keyword for CSV headers and logs
[[nodiscard]] QString metricName(HostMetric metric); // stable keyword
[[nodiscard]] QString metricDisplayName(VmMetric metric); // translated
[[nodiscard]] QString metricDisplayName(HostMetric metric);

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VmMetric)
Q_DECLARE_METATYPE(Vigie::HostMetric)
