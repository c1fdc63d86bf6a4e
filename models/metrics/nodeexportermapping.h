#pragma once

#include "prometheusresponse.h"
#include "rawstats.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

// What one scrape target of prometheus-node-exporter (one hypervisor's operating system) last
// reported: the host's CPU and memory counters as the direct polling reads them from libvirt.
struct NodeTarget
{
    QString instance;   // Prometheus's target label: the exporter's host:port
    QString libvirtUri; // the target's "libvirt_uri" label, when the scrape configuration sets one
    RawHostStats stats; // wallMs: the scrape's time
};

// The host figures of Debian's prometheus-node-exporter (1.x) that Vigie reads. The exporter
// has one series per CPU and mode; Prometheus sums them per target, so the answer holds five
// series per host whatever its size:
//   busy seconds   node_cpu_seconds_total, modes user, nice, system, irq, softirq
//   idle seconds   node_cpu_seconds_total, modes idle, iowait
//   memory total   node_memory_MemTotal_bytes
//   memory free    node_memory_MemFree_bytes + node_memory_Buffers_bytes + node_memory_Cached_bytes
//   scrape time    timestamp() of node_cpu_seconds_total
// the same split as libvirt's virNodeGetCPUStats (kernel + user against idle + iowait; steal and
// guest time counted in neither) and virNodeGetMemoryStats (free + buffers + cached), so the two
// sources plot the same host figures. All five come from one scrape of the target (an instant
// query takes each series' latest sample, and one scrape commits all of a target's series).
class NodeExporterMapping
{
public:
    // The instant query: each figure tagged with a "vigie" label naming it.
    [[nodiscard]] static QString query();
    // The metric names read (for the README and the tests).
    [[nodiscard]] static QStringList metricNames();
    // One NodeTarget per instance that has the scrape time and at least one figure. Values that
    // are not finite, negative or too large for a counter are left out; a matrix's last point is
    // read as its latest.
    [[nodiscard]] static QList<NodeTarget> map(const QList<PrometheusSeries> &series);
};

} // namespace Vigie
