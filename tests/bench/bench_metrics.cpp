// Metrics collection cost per VM per tick, through the code the workers run: libvirt typed
// parameters (synthetic, shaped like a QEMU guest's bulk stats on the lab: ~50 fields, one NIC,
// one disk) parsed by StatsParser, rates by RateDeriver, history appended to the MetricsStore.
// Also the memory one VM's hour of history takes. Prints figures; never fails on timing.
//
//   bench_metrics [ticks]     (default 60 ticks per size)
#include "metrics/metricsstore.h"
#include "metrics/ratederiver.h"
#include "metrics/statsparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>
#include <QUuid>

#include <libvirt/libvirt.h>

#include <cstdio>
#include <cstring>
#include <vector>

using namespace Vigie;

namespace {

// One VM's record: names fixed, counters advanced each tick.
struct SyntheticVm
{
    QString uuid;
    std::vector<virTypedParameter> params;
};

void add(std::vector<virTypedParameter> &params, const char *name, quint64 value)
{
    virTypedParameter p;
    std::memset(&p, 0, sizeof p);
    std::strncpy(p.field, name, sizeof p.field - 1);
    p.type = VIR_TYPED_PARAM_ULLONG;
    p.value.ul = value;
    params.push_back(p);
}

SyntheticVm makeVm(int i)
{
    SyntheticVm vm;
    vm.uuid = QUuid::createUuidV5(QUuid(), QString::number(i)).toString(QUuid::WithoutBraces);
    static const char *const names[] = {
        "state.state", "state.reason", "cpu.time", "cpu.user", "cpu.system", "cpu.cache.monitor.count",
        "cpu.haltpoll.success.time", "cpu.haltpoll.fail.time", "balloon.current", "balloon.maximum",
        "balloon.last-update", "balloon.rss", "vcpu.current", "vcpu.maximum", "vcpu.0.state", "vcpu.0.time",
        "vcpu.0.wait", "vcpu.0.delay", "net.count", "net.0.rx.bytes", "net.0.rx.pkts", "net.0.rx.errs",
        "net.0.rx.drop", "net.0.tx.bytes", "net.0.tx.pkts", "net.0.tx.errs", "net.0.tx.drop", "block.count",
        "block.0.backingIndex", "block.0.rd.reqs", "block.0.rd.bytes", "block.0.rd.times", "block.0.wr.reqs",
        "block.0.wr.bytes", "block.0.wr.times", "block.0.fl.reqs", "block.0.fl.times", "block.0.allocation",
        "block.0.capacity", "block.0.physical", "dirtyrate.calc_status", "dirtyrate.calc_start_time",
        "dirtyrate.calc_period"};
    for (const char *name : names)
        add(vm.params, name, 0);
    vm.params[0].value.ul = 1; // running
    vm.params[8].value.ul = 1048576;
    vm.params[11].value.ul = 400000;
    vm.params[12].value.ul = 2;
    vm.params[18].value.ul = 1;
    vm.params[27].value.ul = 1;
    return vm;
}

// Counters grow by a per-VM amount each tick: what the benchmark measures does not depend on it.
void advance(SyntheticVm &vm, int i, int tick)
{
    for (virTypedParameter &p : vm.params) {
        const char c = p.field[0];
        if ((c == 'c' || c == 'n' || c == 'b') && std::strchr(p.field, '.') && std::strstr(p.field, "count") == nullptr
            && std::strstr(p.field, "balloon") == nullptr)
            p.value.ul += quint64(1000 + (i % 97) * 37 + tick);
    }
}

qint64 residentKiB()
{
    QFile file(QStringLiteral("/proc/self/statm"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * 4 : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int ticks = argc > 1 ? std::max(3, std::atoi(argv[1])) : 60;
    std::printf("bench_metrics: %d ticks per size, %d series per VM, sample %zu bytes\n", ticks, VmMetricCount,
                sizeof(VmSample));
    // Memory first, on a fresh heap: an hour at 1 Hz for 1,000 VMs, appended directly.
    {
        const int count = 1000;
        const qint64 before = residentKiB();
        MetricsStore store;
        MetricsTick tick;
        tick.hostUri = QStringLiteral("qemu+ssh://bench-hv/system");
        for (int i = 0; i < count; ++i) {
            VmSampleUpdate vm;
            vm.uuid = QUuid::createUuidV5(QUuid(), QString::number(i)).toString(QUuid::WithoutBraces);
            vm.sample.set(VmMetric::CpuPercent, 1.0);
            tick.vms.append(vm);
        }
        for (int t = 0; t < MetricsStore::DefaultCapacity; ++t) {
            tick.timeMs = 1700000000000 + qint64(t) * 1000;
            for (VmSampleUpdate &vm : tick.vms)
                vm.sample.timeMs = tick.timeMs;
            store.appendTick(tick);
        }
        const qint64 after = residentKiB();
        std::printf("memory, one hour at 1 Hz (%lld samples) per VM:\n", qlonglong(MetricsStore::DefaultCapacity));
        std::printf("  bound per VM (ring + entry):        %lld bytes (%.1f KiB)\n", qlonglong(store.bytesPerVmBound()),
                    double(store.bytesPerVmBound()) / 1024.0);
        std::printf("  store accounting, %d VMs full:    %.1f KiB per VM\n", count,
                    double(store.allocatedBytes()) / 1024.0 / count);
        std::printf("  process RSS growth, %d VMs full:  %.1f KiB per VM\n\n", count, double(after - before) / count);
    }
    std::printf("%8s %12s %12s %12s %12s %14s\n", "VMs", "parse us/VM", "derive us/VM", "store us/VM",
                "total us/VM", "tick total ms");

    QStringList topLines;
    for (const int count : {100, 1000, 10000}) {
        std::vector<SyntheticVm> vms;
        vms.reserve(size_t(count));
        for (int i = 0; i < count; ++i)
            vms.push_back(makeVm(i));
        RateDeriver deriver;
        MetricsStore store;
        const QString host = QStringLiteral("qemu+ssh://bench-hv/system");
        qint64 parseNs = 0;
        qint64 deriveNs = 0;
        qint64 storeNs = 0;
        int measured = 0;
        for (int tick = 0; tick < ticks; ++tick) {
            for (int i = 0; i < count; ++i)
                advance(vms[size_t(i)], i, tick);
            QElapsedTimer timer;
            timer.start();
            // What StatsCollector::collectBulk does per record, minus the libvirt call itself.
            QList<RawVmStats> raw;
            raw.reserve(count);
            for (const SyntheticVm &vm : vms) {
                RawVmStats s;
                s.uuid = vm.uuid;
                s.domainId = 1;
                s.monotonicNs = qint64(tick) * 1000000000;
                s.wallMs = 1700000000000 + qint64(tick) * 1000;
                StatsParser::parseDomain(vm.params.data(), int(vm.params.size()), &s);
                raw.append(std::move(s));
            }
            const qint64 t1 = timer.nsecsElapsed();
            MetricsTick result;
            result.hostUri = host;
            result.timeMs = 1700000000000 + qint64(tick) * 1000;
            result.vms = deriver.updateAll(raw);
            const qint64 t2 = timer.nsecsElapsed();
            store.appendTick(result);
            const qint64 t3 = timer.nsecsElapsed();
            if (tick >= 2) { // the first ticks allocate the tracking tables
                parseNs += t1;
                deriveNs += t2 - t1;
                storeNs += t3 - t2;
                ++measured;
            }
        }
        const double perVm = double(measured) * double(count) * 1000.0;
        std::printf("%8d %12.3f %12.3f %12.3f %12.3f %14.3f\n", count, double(parseNs) / perVm,
                    double(deriveNs) / perVm, double(storeNs) / perVm,
                    double(parseNs + deriveNs + storeNs) / perVm,
                    double(parseNs + deriveNs + storeNs) / double(measured) / 1e6);
        // The dashboard's four top-VM lists rank the fleet at each tick (the top 10, asked as 18).
        QElapsedTimer timer;
        timer.start();
        int ranked = 0;
        const QList<QList<VmMetric>> rankings{{VmMetric::CpuPercent},
                                              {VmMetric::MemoryRssKiB},
                                              {VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec},
                                              {VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec}};
        for (int round = 0; round < 10; ++round) {
            for (const QList<VmMetric> &ranking : rankings)
                ranked += int(store.top(ranking, 18).size());
        }
        topLines.append(QStringLiteral("%1 VMs: %2 ms for the four rankings of a tick (%3 rows)")
                            .arg(count)
                            .arg(double(timer.nsecsElapsed()) / 10 / 1e6, 0, 'f', 3)
                            .arg(ranked / 10));
    }
    for (const QString &line : std::as_const(topLines))
        std::printf("top VMs, %s\n", qPrintable(line));

    return 0;
}
