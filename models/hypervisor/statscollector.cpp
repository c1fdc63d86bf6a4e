#include "statscollector.h"

#include "libvirtutil.h"
#include "metrics/statsparser.h"

#include <QDateTime>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace Vigie {

namespace {

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void addTo(std::optional<quint64> *sum, long long value)
{
    // libvirt reports -1 for a counter the driver does not have.
    if (value < 0)
        return;
    *sum = sum->value_or(0) + quint64(value);
}

// A node's counters, GET(params, &count) being virNodeGetCPUStats or virNodeGetMemoryStats: with
// *KNOWN's count in one call, else (or if that count no longer fits) the count asked first.
template<typename Param, typename Get>
std::vector<Param> nodeParams(int *known, Get get)
{
    if (*known > 0) {
        std::vector<Param> params(static_cast<size_t>(*known));
        int count = *known;
        if (get(params.data(), &count) == 0) {
            params.resize(static_cast<size_t>(std::max(count, 0)));
            return params;
        }
        virResetLastError();
        *known = 0;
    }
    int count = 0;
    if (get(nullptr, &count) != 0 || count <= 0)
        return {};
    std::vector<Param> params(static_cast<size_t>(count));
    if (get(params.data(), &count) != 0)
        return {};
    *known = count;
    params.resize(static_cast<size_t>(count));
    return params;
}

} // namespace

RawStatsBatch StatsCollector::collect(virConnectPtr conn, bool perDomain, const QHash<QString, DomainDevices> &devices,
                                      NodeStatsShape nodeShape)
{
    RawStatsBatch batch;
    batch.nodeShape = nodeShape;
    collectHost(conn, &batch.nodeShape, &batch.host);
    if (!perDomain) {
        batch.ok = collectBulk(conn, &batch);
        if (batch.ok && !batch.bulkUnusable)
            return batch;
        batch.vms.clear();
        batch.bulkUnusable = true;
    }
    batch.ok = collectPerDomain(conn, devices, &batch);
    return batch;
}

void StatsCollector::collectHost(virConnectPtr conn, NodeStatsShape *shape, RawHostStats *host)
{
    host->monotonicNs = monotonicNs();
    host->wallMs = QDateTime::currentMSecsSinceEpoch();
    const std::vector<virNodeCPUStats> cpu = nodeParams<virNodeCPUStats>(&shape->cpuParams, [conn](virNodeCPUStats *params, int *count) {
        return virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, params, count, 0);
    });
    if (!cpu.empty())
        StatsParser::parseNodeCpu(cpu.data(), int(cpu.size()), host);
    const std::vector<virNodeMemoryStats> memory = nodeParams<virNodeMemoryStats>(&shape->memoryParams, [conn](virNodeMemoryStats *params, int *count) {
        return virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, params, count, 0);
    });
    if (!memory.empty())
        StatsParser::parseNodeMemory(memory.data(), int(memory.size()), host);
    // Drivers without memory stats (the test driver) still know the size.
    if (!host->memoryTotalKiB) {
        virNodeInfo node{};
        if (virNodeGetInfo(conn, &node) == 0 && node.memory > 0)
            host->memoryTotalKiB = node.memory;
    }
}

bool StatsCollector::collectBulk(virConnectPtr conn, RawStatsBatch *batch)
{
    const unsigned int groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON
        | VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
    virDomainStatsRecordPtr *records = nullptr;
    const qint64 startNs = monotonicNs();
    const int count = virConnectGetAllDomainStats(conn, groups, &records, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
    if (count < 0) {
        batch->error = Libvirt::lastError();
        return false;
    }
    // The counters were read somewhere inside the call: its middle is the best estimate.
    const qint64 readNs = startNs + (monotonicNs() - startNs) / 2;
    const qint64 wallMs = QDateTime::currentMSecsSinceEpoch();
    bool anyRunning = false;
    bool anyCounters = false;
    batch->vms.reserve(count);
    for (int i = 0; i < count; ++i) {
        RawVmStats vm;
        vm.uuid = Libvirt::uuidOf(records[i]->dom);
        vm.domainId = int(virDomainGetID(records[i]->dom));
        vm.monotonicNs = readNs;
        vm.wallMs = wallMs;
        StatsParser::parseDomain(records[i]->params, records[i]->nparams, &vm);
        if (vm.state == VIR_DOMAIN_RUNNING) {
            anyRunning = true;
            anyCounters = anyCounters || vm.cpuTimeNs.has_value();
        }
        if (!vm.uuid.isEmpty())
            batch->vms.append(std::move(vm));
    }
    virDomainStatsRecordListFree(records);
    batch->bulkUnusable = anyRunning && !anyCounters;
    return true;
}

bool StatsCollector::collectPerDomain(virConnectPtr conn, const QHash<QString, DomainDevices> &devices,
                                      RawStatsBatch *batch)
{
    virDomainPtr *domains = nullptr;
    const int count = virConnectListAllDomains(conn, &domains, 0);
    if (count < 0) {
        batch->error = Libvirt::lastError();
        return false;
    }
    batch->vms.reserve(count);
    for (const Libvirt::Domain &handle : Libvirt::takeAll<Libvirt::Domain>(domains, count)) {
        virDomainPtr domain = handle.get();
        RawVmStats vm;
        vm.uuid = Libvirt::uuidOf(domain);
        vm.domainId = int(virDomainGetID(domain));
        vm.monotonicNs = monotonicNs();
        vm.wallMs = QDateTime::currentMSecsSinceEpoch();
        virDomainInfo info{};
        if (virDomainGetInfo(domain, &info) == 0) {
            vm.state = info.state;
            if (vm.hasProcess()) {
                vm.cpuTimeNs = info.cpuTime;
                vm.vcpus = info.nrVirtCpu;
                vm.balloonCurrentKiB = info.memory;
            }
        }
        const DomainDevices known = devices.value(vm.uuid);
        if (vm.hasProcess()) {
            for (const QString &name : known.interfaces) {
                virDomainInterfaceStatsStruct stats{};
                if (virDomainInterfaceStats(domain, name.toUtf8().constData(), &stats, sizeof stats) < 0)
                    continue;
                ++vm.netDevices;
                addTo(&vm.rxBytes, stats.rx_bytes);
                addTo(&vm.rxPackets, stats.rx_packets);
                addTo(&vm.txBytes, stats.tx_bytes);
                addTo(&vm.txPackets, stats.tx_packets);
            }
            for (const QString &name : known.disks) {
                virDomainBlockStatsStruct stats{};
                if (virDomainBlockStats(domain, name.toUtf8().constData(), &stats, sizeof stats) < 0)
                    continue;
                ++vm.blockDevices;
                addTo(&vm.readBytes, stats.rd_bytes);
                addTo(&vm.readRequests, stats.rd_req);
                addTo(&vm.writeBytes, stats.wr_bytes);
                addTo(&vm.writeRequests, stats.wr_req);
            }
        }
        if (!vm.uuid.isEmpty())
            batch->vms.append(std::move(vm));
    }
    return true;
}

} // namespace Vigie
