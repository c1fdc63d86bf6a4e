// The floor of live monitoring's client cost: a persistent client that opens each URI once and,
// every second, asks each host for the bulk stats with the groups and flags Vigie's own polling
// uses (StatsCollector::collectBulk), frees the answer, and does nothing else: no event loop, no
// parsing, no window. Whatever a monitoring client costs above this is its own work.
// Prints the ticks, the records per tick and its own CPU time. tests/bench/
// virt-manager-side-by-side.sh runs it beside Vigie and virt-manager.
//
//   bench_statsfloor [--seconds N] [--interval S] [--node-stats counted|known] URI...
//       N: how long to run (default 0: until SIGTERM or SIGINT); S: seconds between ticks (1);
//       --node-stats: each tick also asks each host's CPU and memory counters, as Vigie's
//       ticks do: "counted" asks their count first each time (two calls each), "known" once
//       (then one call each, as StatsCollector does since the counts are kept).
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <sys/resource.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

std::atomic<bool> stopRequested{false};

void requestStop(int)
{
    stopRequested = true;
}

double seconds(const timespec &t)
{
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return seconds(t);
}

double monotonicSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return seconds(t);
}

int usage()
{
    std::fprintf(stderr, "usage: bench_statsfloor [--seconds N] [--interval S] [--node-stats counted|known] URI...\n");
    return 2;
}

enum class NodeStats { None, Counted, Known };

// A node's counters, GET being virNodeGetCPUStats or virNodeGetMemoryStats; *KNOWN their count
// (0: ask it; kept when MODE is Known).
template<typename Param, typename Get>
bool nodeStats(NodeStats mode, int *known, Get get)
{
    int count = mode == NodeStats::Known ? *known : 0;
    if (count == 0 && (get(nullptr, &count) != 0 || count <= 0))
        return false;
    std::vector<Param> params(static_cast<size_t>(count));
    if (get(params.data(), &count) != 0)
        return false;
    *known = count;
    return true;
}

// Silences libvirt's default error printing: a failed tick is counted, not printed each second.
void ignoreError(void *, virErrorPtr) {}

} // namespace

int main(int argc, char **argv)
{
    double runSeconds = 0;
    int interval = 1;
    NodeStats node = NodeStats::None;
    std::vector<std::string> uris;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--seconds" || arg == "--interval") && i + 1 < argc) {
            char *end = nullptr;
            const double value = std::strtod(argv[++i], &end);
            if (*end != '\0' || value < 0)
                return usage();
            if (arg == "--seconds")
                runSeconds = value;
            else
                interval = int(value) > 0 ? int(value) : 1;
        } else if (arg == "--node-stats" && i + 1 < argc) {
            const std::string mode = argv[++i];
            if (mode != "counted" && mode != "known")
                return usage();
            node = mode == "counted" ? NodeStats::Counted : NodeStats::Known;
        } else if (arg.rfind("--", 0) == 0) {
            return usage();
        } else {
            uris.push_back(arg);
        }
    }
    if (uris.empty())
        return usage();

    struct sigaction action{};
    action.sa_handler = requestStop;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    std::vector<virConnectPtr> connections;
    std::vector<std::pair<int, int>> nodeCounts; // per host: CPU and memory counters
    for (const std::string &uri : uris) {
        virConnectPtr conn = virConnectOpen(uri.c_str());
        if (!conn) {
            const virError *error = virGetLastError();
            std::fprintf(stderr, "bench_statsfloor: cannot open %s: %s\n", uri.c_str(),
                         error && error->message ? error->message : "unknown error");
            return 1;
        }
        connections.push_back(conn);
        nodeCounts.emplace_back(0, 0);
    }
    virSetErrorFunc(nullptr, ignoreError);

    // The same groups and flag as StatsCollector::collectBulk.
    const unsigned int groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON
        | VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
    const unsigned int flags = VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;

    const double cpuStart = cpuSeconds();
    const double wallStart = monotonicSeconds();
    long ticks = 0;
    long records = 0;
    long failures = 0;
    timespec next{};
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!stopRequested) {
        for (size_t h = 0; h < connections.size(); ++h) {
            virConnectPtr conn = connections[h];
            if (node != NodeStats::None) {
                const bool cpuOk = nodeStats<virNodeCPUStats>(node, &nodeCounts[h].first, [conn](virNodeCPUStats *p, int *n) {
                    return virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, p, n, 0);
                });
                const bool memoryOk = nodeStats<virNodeMemoryStats>(node, &nodeCounts[h].second, [conn](virNodeMemoryStats *p, int *n) {
                    return virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, p, n, 0);
                });
                failures += (cpuOk ? 0 : 1) + (memoryOk ? 0 : 1);
            }
            virDomainStatsRecordPtr *list = nullptr;
            const int count = virConnectGetAllDomainStats(conn, groups, &list, flags);
            if (count < 0) {
                ++failures;
                continue;
            }
            records += count;
            virDomainStatsRecordListFree(list);
        }
        ++ticks;
        if (runSeconds > 0 && monotonicSeconds() - wallStart >= runSeconds)
            break;
        // Absolute deadlines: a slow tick does not push every later one back.
        next.tv_sec += interval;
        while (!stopRequested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
        }
    }
    const double cpu = cpuSeconds() - cpuStart;
    const double wall = monotonicSeconds() - wallStart;

    for (virConnectPtr conn : connections)
        virConnectClose(conn);

    rusage usageSelf{};
    getrusage(RUSAGE_SELF, &usageSelf);
    const double perVmTick = records > 0 ? cpu * 1000.0 / double(records) : 0.0;
    std::printf("bench_statsfloor: %zu hosts, %ld ticks in %.1f s, %.1f records per tick, %ld failed calls, node stats %s\n",
                connections.size(), ticks, wall, ticks > 0 ? double(records) / double(ticks) : 0.0, failures,
                node == NodeStats::None ? "not asked" : node == NodeStats::Counted ? "counted each tick (2 calls each)" : "with known counts (1 call each)");
    std::printf("bench_statsfloor: CPU %.3f s while ticking (%.3f ms per record per tick); whole process user "
                "%.3f s, system %.3f s\n",
                cpu, perVmTick, seconds({usageSelf.ru_utime.tv_sec, usageSelf.ru_utime.tv_usec * 1000}),
                seconds({usageSelf.ru_stime.tv_sec, usageSelf.ru_stime.tv_usec * 1000}));
    return failures > 0 && records == 0 ? 1 : 0;
}
