// The floor of live monitoring's client cost: a persistent client that opens each URI once and,
// every second, asks each host for the bulk stats with the groups and flags Vigie's own polling
// uses (StatsCollector::collectBulk), frees the answer, and does nothing else: no event loop, no
// parsing, no window. Whatever a monitoring client costs above this is its own work.
// Prints the ticks, the records per tick and its own CPU time. tests/bench/
// virt-manager-side-by-side.sh runs it beside Vigie and virt-manager.
//
//   bench_statsfloor [--seconds N] [--interval S] URI...
//       N: how long to run (default 0: until SIGTERM or SIGINT); S: seconds between ticks (1)
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
    std::fprintf(stderr, "usage: bench_statsfloor [--seconds N] [--interval S] URI...\n");
    return 2;
}

// Silences libvirt's default error printing: a failed tick is counted, not printed each second.
void ignoreError(void *, virErrorPtr) {}

} // namespace

int main(int argc, char **argv)
{
    double runSeconds = 0;
    int interval = 1;
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
    for (const std::string &uri : uris) {
        virConnectPtr conn = virConnectOpen(uri.c_str());
        if (!conn) {
            const virError *error = virGetLastError();
            std::fprintf(stderr, "bench_statsfloor: cannot open %s: %s\n", uri.c_str(),
                         error && error->message ? error->message : "unknown error");
            return 1;
        }
        connections.push_back(conn);
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
        for (virConnectPtr conn : connections) {
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
    std::printf("bench_statsfloor: %zu hosts, %ld ticks in %.1f s, %.1f records per tick, %ld failed calls\n",
                connections.size(), ticks, wall, ticks > 0 ? double(records) / double(ticks) : 0.0, failures);
    std::printf("bench_statsfloor: CPU %.3f s while ticking (%.3f ms per record per tick); whole process user "
                "%.3f s, system %.3f s\n",
                cpu, perVmTick, seconds({usageSelf.ru_utime.tv_sec, usageSelf.ru_utime.tv_usec * 1000}),
                seconds({usageSelf.ru_stime.tv_sec, usageSelf.ru_stime.tv_usec * 1000}));
    return failures > 0 && records == 0 ? 1 : 0;
}
