#include "metric.h"

#include <QCoreApplication>

namespace Vigie {

MetricUnit metricUnit(VmMetric metric)
{
    switch (metric) {
    case VmMetric::CpuPercent: return MetricUnit::Percent;
    case VmMetric::MemoryUsedKiB:
    case VmMetric::MemoryAvailableKiB:
    case VmMetric::MemoryRssKiB: return MetricUnit::KiB;
    case VmMetric::DiskReadBytesPerSec:
    case VmMetric::DiskWriteBytesPerSec:
    case VmMetric::NetRxBytesPerSec:
    case VmMetric::NetTxBytesPerSec: return MetricUnit::BytesPerSecond;
    case VmMetric::DiskReadIops:
    case VmMetric::DiskWriteIops:
    case VmMetric::NetRxPacketsPerSec:
    case VmMetric::NetTxPacketsPerSec: return MetricUnit::PerSecond;
    }
    return MetricUnit::PerSecond;
}

MetricUnit metricUnit(HostMetric metric)
{
    return metric == HostMetric::CpuPercent ? MetricUnit::Percent : MetricUnit::KiB;
}

QString metricName(VmMetric metric)
{
    switch (metric) {
    case VmMetric::CpuPercent: return QStringLiteral("cpu_percent");
    case VmMetric::MemoryUsedKiB: return QStringLiteral("memory_used_kib");
    case VmMetric::MemoryAvailableKiB: return QStringLiteral("memory_available_kib");
    case VmMetric::MemoryRssKiB: return QStringLiteral("memory_rss_kib");
    case VmMetric::DiskReadBytesPerSec: return QStringLiteral("disk_read_bytes_per_s");
    case VmMetric::DiskWriteBytesPerSec: return QStringLiteral("disk_write_bytes_per_s");
    case VmMetric::DiskReadIops: return QStringLiteral("disk_read_iops");
    case VmMetric::DiskWriteIops: return QStringLiteral("disk_write_iops");
    case VmMetric::NetRxBytesPerSec: return QStringLiteral("net_rx_bytes_per_s");
    case VmMetric::NetTxBytesPerSec: return QStringLiteral("net_tx_bytes_per_s");
    case VmMetric::NetRxPacketsPerSec: return QStringLiteral("net_rx_packets_per_s");
    case VmMetric::NetTxPacketsPerSec: return QStringLiteral("net_tx_packets_per_s");
    }
    return {};
}

QString metricName(HostMetric metric)
{
    switch (metric) {
    case HostMetric::CpuPercent: return QStringLiteral("cpu_percent");
    case HostMetric::MemoryUsedKiB: return QStringLiteral("memory_used_kib");
    case HostMetric::MemoryTotalKiB: return QStringLiteral("memory_total_kib");
    }
    return {};
}

QString metricDisplayName(VmMetric metric)
{
    const char *text = nullptr;
    switch (metric) {
    case VmMetric::CpuPercent: text = QT_TRANSLATE_NOOP("Vigie::Metric", "CPU"); break;
    case VmMetric::MemoryUsedKiB: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Memory used"); break;
    case VmMetric::MemoryAvailableKiB: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Memory available"); break;
    case VmMetric::MemoryRssKiB: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Resident memory on the host"); break;
    case VmMetric::DiskReadBytesPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Disk read"); break;
    case VmMetric::DiskWriteBytesPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Disk write"); break;
    case VmMetric::DiskReadIops: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Disk read operations"); break;
    case VmMetric::DiskWriteIops: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Disk write operations"); break;
    case VmMetric::NetRxBytesPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Network received"); break;
    case VmMetric::NetTxBytesPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Network sent"); break;
    case VmMetric::NetRxPacketsPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Packets received"); break;
    case VmMetric::NetTxPacketsPerSec: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Packets sent"); break;
    }
    return text ? QCoreApplication::translate("Vigie::Metric", text) : QString();
}

QString metricDisplayName(HostMetric metric)
{
    const char *text = nullptr;
    switch (metric) {
    case HostMetric::CpuPercent: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Host CPU"); break;
    case HostMetric::MemoryUsedKiB: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Host memory used"); break;
    case HostMetric::MemoryTotalKiB: text = QT_TRANSLATE_NOOP("Vigie::Metric", "Host memory"); break;
    }
    return text ? QCoreApplication::translate("Vigie::Metric", text) : QString();
}

} // namespace Vigie
