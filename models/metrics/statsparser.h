#pragma once

#include "rawstats.h"

struct _virTypedParameter;
struct _virNodeCPUStats;
struct _virNodeMemoryStats;

namespace Vigie {

// Turns libvirt's stats into raw counters. Pure functions on libvirt's plain C arrays, so that
// tests and the benchmark feed synthetic parameters through exactly the code the worker runs.
class StatsParser
{
public:
    // One virDomainStatsRecord's parameters (groups state, cpu-total, balloon, vcpu, interface,
    // block). Fields not listed there are ignored; unknown or ill-typed fields never fail.
    static void parseDomain(const _virTypedParameter *params, int count, RawVmStats *out);
    // virNodeGetCPUStats(VIR_NODE_CPU_STATS_ALL_CPUS) and virNodeGetMemoryStats(ALL_CELLS).
    static void parseNodeCpu(const _virNodeCPUStats *params, int count, RawHostStats *out);
    static void parseNodeMemory(const _virNodeMemoryStats *params, int count, RawHostStats *out);
};

} // namespace Vigie
