// The GUI-thread history: bounded rings, time-window queries for plots, aggregates, rankings,
// staleness and the coalesced "appended" signal; and the demo signal it shows for demo hosts.
#include "metrics/demosignal.h"
#include "metrics/metricsstore.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString HostA = u"qemu+ssh://par-hv01/system"_s;
const QString HostB = u"qemu+ssh://par-hv02/system"_s;
const QString Vm1 = u"1b4e28ba-2fa1-11d2-883f-0016d3cca427"_s;
const QString Vm2 = u"1b4e28ba-2fa1-11d2-883f-0016d3cca428"_s;
const QString Vm3 = u"1b4e28ba-2fa1-11d2-883f-0016d3cca429"_s;
const QString Vm4 = u"1b4e28ba-2fa1-11d2-883f-0016d3cca42a"_s;
constexpr qint64 T0 = 1700000000000;

// A tick of host uri at T0 + step seconds: each VM's CPU is its index * 10 + step.
MetricsTick tick(const QString &uri, int step, const QStringList &uuids = {Vm1, Vm2})
{
    MetricsTick t;
    t.hostUri = uri;
    t.timeMs = T0 + step * 1000;
    t.host.timeMs = t.timeMs;
    t.host.set(HostMetric::CpuPercent, step);
    for (qsizetype i = 0; i < uuids.size(); ++i) {
        VmSampleUpdate vm;
        vm.uuid = uuids.at(i);
        vm.sample.timeMs = t.timeMs;
        vm.sample.set(VmMetric::CpuPercent, double(i * 10 + step));
        vm.sample.set(VmMetric::NetRxBytesPerSec, 1000.0 * double(i + 1));
        t.vms.append(vm);
    }
    return t;
}

} // namespace

class TestMetricsStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedByCapacity()
    {
        MetricsStore store(60);
        for (int step = 0; step < 500; ++step)
            store.appendTick(tick(HostA, step));
        const VmKey key{HostA, Vm1};
        QCOMPARE(store.sampleCount(key), 60);
        QCOMPARE(store.hostSampleCount(HostA), 60);
        QCOMPARE(store.latestValue(key, VmMetric::CpuPercent).value_or(-1), 499.0);
        // The oldest kept is the 440th.
        const MetricSeries all = store.series(key, VmMetric::CpuPercent, 0, std::numeric_limits<qint64>::max());
        QCOMPARE(all.size(), 60);
        QCOMPARE(all.values.first(), 440.0);
        QCOMPARE(all.keys.first(), double(T0 + 440 * 1000) / 1000.0);
        // Two VMs and one host, all full: exactly the bound, nothing more.
        QVERIFY(store.allocatedBytes() <= 2 * store.bytesPerVmBound() + 60 * qsizetype(sizeof(HostSample)) + 1024);
    }

    void bytesPerVmForAnHour()
    {
        MetricsStore store;
        QCOMPARE(store.capacity(), 3600);
        QCOMPARE(sizeof(VmSample), size_t(56));
        // 3600 samples of 56 bytes, plus the entry: under 200 KiB.
        QVERIFY(store.bytesPerVmBound() >= 3600 * 56);
        QVERIFY(store.bytesPerVmBound() < 200 * 1024);
    }

    void window_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<QList<double>>("values");

        QTest::newRow("last three seconds") << T0 + 7000 << T0 + 9000 << QList<double>{7, 8, 9};
        QTest::newRow("between samples") << T0 + 2500 << T0 + 4500 << QList<double>{3, 4};
        QTest::newRow("before history") << T0 - 9000 << T0 - 1 << QList<double>{};
        QTest::newRow("after history") << T0 + 10000 << T0 + 20000 << QList<double>{};
        QTest::newRow("inverted") << T0 + 5000 << T0 + 1000 << QList<double>{};
        QTest::newRow("one sample") << T0 + 5000 << T0 + 5000 << QList<double>{5};
    }

    void window()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(QList<double>, values);
        MetricsStore store;
        for (int step = 0; step < 10; ++step)
            store.appendTick(tick(HostA, step));
        QCOMPARE(store.series({HostA, Vm1}, VmMetric::CpuPercent, from, to).values, values);
        QCOMPARE(store.hostSeries(HostA, HostMetric::CpuPercent, from, to).values, values);
    }

    void gapsStayGaps()
    {
        MetricsStore store;
        store.appendTick(tick(HostA, 0));
        MetricsTick missing = tick(HostA, 1);
        missing.vms[0].sample.set(VmMetric::CpuPercent, std::nullopt);
        store.appendTick(missing);
        store.appendTick(tick(HostA, 2));
        const MetricSeries series = store.series({HostA, Vm1}, VmMetric::CpuPercent, T0, T0 + 2000);
        QCOMPARE(series.size(), 3);
        QVERIFY(std::isnan(series.values.at(1)));
        const MetricStats stats = store.stats({HostA, Vm1}, VmMetric::CpuPercent, T0, T0 + 2000);
        QCOMPARE(stats.count, 2);
        QCOMPARE(stats.min, 0.0);
        QCOMPARE(stats.max, 2.0);
        QCOMPARE(stats.mean, 1.0);
        QCOMPARE(store.stats({HostA, Vm1}, VmMetric::DiskReadIops, T0, T0 + 2000).count, 0);
        QVERIFY(!store.latestValue({HostA, Vm1}, VmMetric::DiskReadIops));
    }

    void aggregatesAndRanking()
    {
        MetricsStore store;
        store.appendTick(tick(HostA, 5));
        store.appendTick(tick(HostB, 1, {u"b-1"_s, u"b-2"_s, u"b-3"_s}));
        QCOMPARE(store.hostTotal(HostA, VmMetric::NetRxBytesPerSec).value_or(0), 3000.0);
        QCOMPARE(store.hostTotal(HostB, VmMetric::NetRxBytesPerSec).value_or(0), 6000.0);
        QVERIFY(!store.hostTotal(HostA, VmMetric::DiskWriteIops));
        const auto top = store.top(VmMetric::CpuPercent, 3);
        QCOMPARE(top.size(), 3);
        QCOMPARE(top.at(0).first, (VmKey{HostB, u"b-3"_s})); // 21
        QCOMPARE(top.at(1).first, (VmKey{HostA, Vm2}));       // 15
        QCOMPARE(top.at(2).first, (VmKey{HostB, u"b-2"_s})); // 11
        QCOMPARE(store.top(VmMetric::CpuPercent, 100).size(), 5);
        QCOMPARE(store.top(VmMetric::CpuPercent, -1).size(), 0);
    }

    // The ranking is the head of the whole fleet sorted by value, ties by host then UUID, for
    // every length asked (a fleet with many equal values, as idle VMs have).
    void rankingIsTheSortedFleet()
    {
        MetricsStore store;
        QList<std::pair<VmKey, double>> all;
        for (int h = 0; h < 4; ++h) {
            MetricsTick t;
            t.hostUri = u"qemu+ssh://hv%1/system"_s.arg(3 - h);
            t.timeMs = T0;
            t.host.timeMs = T0;
            for (int i = 0; i < 60; ++i) {
                VmSampleUpdate vm;
                vm.uuid = u"uuid-%1-%2"_s.arg(h).arg((i * 37) % 60, 2, 10, QLatin1Char('0')); // UUIDs are the fleet's keys
                vm.sample.timeMs = T0;
                const double cpu = double((i * 7 + h * 3) % 11); // ties by the dozen
                vm.sample.set(VmMetric::CpuPercent, cpu);
                t.vms.append(vm);
                all.append({VmKey{t.hostUri, vm.uuid}, cpu});
            }
            store.appendTick(t);
        }
        std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second
                                        : std::tie(a.first.hostUri, a.first.uuid) < std::tie(b.first.hostUri, b.first.uuid);
        });
        for (int n : {0, 1, 7, 18, 239, 240, 500})
            QCOMPARE(store.top(VmMetric::CpuPercent, n), all.mid(0, n));
    }

    void staleness_data()
    {
        QTest::addColumn<bool>("frozen");   // the last tick flagged the VM
        QTest::addColumn<qint64>("now");    // ms after the last tick (T0 + 9 s)
        QTest::addColumn<qint64>("expected"); // -1: current

        QTest::newRow("fresh") << false << qint64(900) << qint64(-1);
        QTest::newRow("late tick, not yet stale") << false << qint64(2900) << qint64(-1);
        QTest::newRow("no sample for over three intervals") << false << qint64(3100) << T0 + 9000;
        QTest::newRow("frozen guest: flagged by its host") << true << qint64(0) << T0 + 4000;
        QTest::newRow("frozen guest, later still") << true << qint64(60000) << T0 + 4000;
    }

    void staleness()
    {
        QFETCH(bool, frozen);
        QFETCH(qint64, now);
        QFETCH(qint64, expected);
        MetricsStore store;
        for (int step = 0; step < 10; ++step) {
            MetricsTick t = tick(HostA, step);
            if (frozen && step > 4)
                t.vms[0].staleSinceMs = T0 + 4000;
            store.appendTick(t);
        }
        QCOMPARE(store.staleSince({HostA, Vm1}, T0 + 9000 + now).value_or(-1), expected);
        // The other VM of the host keeps updating.
        if (now < 3000)
            QVERIFY(!store.staleSince({HostA, Vm2}, T0 + 9000 + now));
        QVERIFY(!store.staleSince({HostA, u"unknown"_s}, T0));
    }

    void appendedOncePerPass()
    {
        MetricsStore store;
        QSignalSpy spy(&store, &MetricsStore::samplesAppended);
        for (int step = 0; step < 5; ++step) {
            store.appendTick(tick(HostB, step));
            store.appendTick(tick(HostA, step));
        }
        QCOMPARE(spy.size(), 0); // nothing synchronous: plots replot once per pass
        QTRY_COMPARE(spy.size(), 1);
        QCOMPARE(spy.first().first().toStringList(), (QStringList{HostA, HostB}));
        // Nothing left to flush: a pass of the event loop emits nothing more.
        QCoreApplication::processEvents();
        QCOMPARE(spy.size(), 1);
    }

    void removal()
    {
        MetricsStore store;
        store.appendTick(tick(HostA, 0));
        store.appendTick(tick(HostB, 0, {Vm3, Vm4}));
        QCOMPARE(store.vms().size(), 4);
        store.removeVm({HostA, Vm1});
        QVERIFY(!store.hasVm({HostA, Vm1}));
        QVERIFY(store.hasVm({HostA, Vm2}));
        // Removed from a host its series does not follow: nothing changes.
        store.removeVm({HostB, Vm2});
        QVERIFY(store.hasVm({HostA, Vm2}));
        store.retainVms(HostB, {Vm4});
        QVERIFY(!store.hasVm({HostB, Vm3}));
        QVERIFY(store.hasVm({HostB, Vm4}));
        store.removeHost(HostB);
        QCOMPARE(store.vms(), (QList<VmKey>{{HostA, Vm2}}));
        QCOMPARE(store.hosts(), QStringList{HostA});
        // A detached series waits for another host, then goes once its grace has passed.
        QCOMPARE(store.sampleCount({HostA, Vm1}), 1);
        store.appendTick(tick(HostA, int(MetricsStore::DetachedGraceMs / 1000) + 30, {Vm2}));
        QCOMPARE(store.sampleCount({HostA, Vm1}), 0);
        QCOMPARE(store.sampleCount({HostB, Vm3}), 0);
        QCOMPARE(store.sampleCount({HostA, Vm2}), 2);
        store.clear();
        QCOMPARE(store.allocatedBytes(), 0);
    }

    // A live migration as the hosts report it: the source runs the VM, the destination's paused
    // copy reports too, then the source's copy stops (shut off but still defined, or undefined)
    // and the destination's runs. One series, by UUID, whichever host's key asks.
    void migrationKeepsOneSeries_data()
    {
        QTest::addColumn<bool>("sourceUndefines"); // the source's definition goes at the switch-over
        QTest::addColumn<bool>("sourceSilent");    // the source stops answering instead
        QTest::newRow("definition kept on the source") << false << false;
        QTest::newRow("source undefines the VM") << true << false;
        QTest::newRow("source falls silent") << false << true;
    }

    void migrationKeepsOneSeries()
    {
        QFETCH(bool, sourceUndefines);
        QFETCH(bool, sourceSilent);
        MetricsStore store;
        QList<MetricsTick> recorded;
        connect(&store, &MetricsStore::tickAccepted, this, [&recorded](const MetricsTick &t) { recorded.append(t); });
        const auto vmTick = [](const QString &uri, int step, bool running, std::optional<double> cpu) {
            MetricsTick t = tick(uri, step, {Vm1});
            t.vms[0].running = running;
            t.vms[0].sample.set(VmMetric::CpuPercent, cpu);
            return t;
        };
        for (int step = 0; step < 10; ++step)
            store.appendTick(vmTick(HostA, step, true, step));
        // Under way: the destination's paused copy reports an idle CPU; it must not be plotted.
        for (int step = 10; step < 15; ++step) {
            store.appendTick(vmTick(HostA, step, true, step));
            store.appendTick(vmTick(HostB, step, false, 0.0));
        }
        QCOMPARE(store.hostOf(Vm1), HostA);
        QList<double> expected;
        for (int step = 0; step < 15; ++step)
            expected.append(step);
        // The switch-over.
        if (sourceUndefines)
            store.removeVm({HostA, Vm1});
        for (int step = 15; step < 20; ++step) {
            if (!sourceUndefines && !sourceSilent)
                store.appendTick(vmTick(HostA, step, false, std::nullopt)); // shut off, still defined
            store.appendTick(vmTick(HostB, step, true, step));
        }
        if (sourceSilent) {
            // The source said the VM ran until it fell silent: the destination takes over only
            // once the source missed three intervals (at step 18, over 3 s after step 14).
            expected.append({18, 19});
        } else if (!sourceUndefines) {
            expected.append(std::nan("")); // the source's shut-off copy at the switch-over
            expected.append({15, 16, 17, 18, 19});
        } else {
            expected.append({15, 16, 17, 18, 19});
        }
        QCOMPARE(store.hostOf(Vm1), HostB);
        for (const QString &host : {HostA, HostB}) {
            const MetricSeries series = store.series({host, Vm1}, VmMetric::CpuPercent, 0, T0 + 3600'000);
            QCOMPARE(series.size(), expected.size());
            for (qsizetype i = 0; i < expected.size(); ++i) {
                if (std::isnan(expected.at(i)))
                    QVERIFY2(std::isnan(series.values.at(i)), qPrintable(QString::number(i)));
                else
                    QCOMPARE(series.values.at(i), expected.at(i));
            }
        }
        // Live figures belong to the host the VM runs on.
        QCOMPARE(store.latestValue({HostB, Vm1}, VmMetric::CpuPercent).value_or(-1), 19.0);
        QVERIFY(!store.latestValue({HostA, Vm1}, VmMetric::CpuPercent));
        QVERIFY(!store.staleSince({HostB, Vm1}, T0 + 19'500));
        QCOMPARE(store.vms(), (QList<VmKey>{{HostB, Vm1}}));
        QCOMPARE(store.hostTotal(HostB, VmMetric::CpuPercent).value_or(-1), 19.0);
        QVERIFY(!store.hostTotal(HostA, VmMetric::CpuPercent));
        // The source's definition going later changes nothing.
        store.removeVm({HostA, Vm1});
        QVERIFY(store.hasVm({HostB, Vm1}));
        // What the history records is that one series: never the destination's paused copy.
        int recordedSamples = 0;
        for (const MetricsTick &t : std::as_const(recorded)) {
            for (const VmSampleUpdate &vm : t.vms) {
                ++recordedSamples;
                QVERIFY(!(t.hostUri == HostB && !vm.running));
            }
        }
        QCOMPARE(recordedSamples, expected.size());
    }

    void olderTickIsNotInserted()
    {
        MetricsStore store;
        store.appendTick(tick(HostA, 5));
        store.appendTick(tick(HostA, 3)); // the wall clock stepped back
        QCOMPARE(store.sampleCount({HostA, Vm1}), 1);
    }

    void demoFlag()
    {
        MetricsStore store;
        MetricsTick demo = tick(HostA, 0);
        demo.demo = true;
        store.appendTick(demo);
        store.appendTick(tick(HostB, 0));
        QVERIFY(store.isDemo(HostA));
        QVERIFY(!store.isDemo(HostB));
    }

    void demoSignalIsDeterministicAndLively()
    {
        const VmSample a = DemoSignal::vmSample(Vm1, 1234, 1048576);
        const VmSample b = DemoSignal::vmSample(Vm1, 1234, 1048576);
        for (int m = 0; m < VmMetricCount; ++m) {
            QVERIFY(a.value(VmMetric(m)));
            QCOMPARE(a.values[size_t(m)], b.values[size_t(m)]);
        }
        QVERIFY(*a.value(VmMetric::CpuPercent) >= 0 && *a.value(VmMetric::CpuPercent) <= 100);
        QVERIFY(*a.value(VmMetric::MemoryUsedKiB) <= 1048576);
        // It moves over a minute, and two VMs differ.
        double low = 100;
        double high = 0;
        for (int step = 0; step < 60; ++step) {
            const double cpu = *DemoSignal::vmSample(Vm1, step, 1048576).value(VmMetric::CpuPercent);
            low = std::min(low, cpu);
            high = std::max(high, cpu);
        }
        QVERIFY2(high - low > 5, qPrintable(u"%1..%2"_s.arg(low).arg(high)));
        QVERIFY(DemoSignal::vmSample(Vm2, 1234, 1048576).values != a.values);
        // Never clipped flat: every rate changes from one step to the next, for many VMs.
        for (int vm = 0; vm < 20; ++vm) {
            const QString uuid = u"00000000-0000-0000-0000-%1"_s.arg(vm, 12, 10, QChar(u'0'));
            VmSample previous = DemoSignal::vmSample(uuid, 0, 1048576);
            for (int step = 1; step < 600; ++step) {
                const VmSample next = DemoSignal::vmSample(uuid, step, 1048576);
                for (VmMetric m : {VmMetric::CpuPercent, VmMetric::MemoryUsedKiB, VmMetric::DiskReadBytesPerSec,
                                   VmMetric::DiskWriteIops, VmMetric::NetRxBytesPerSec, VmMetric::NetTxPacketsPerSec})
                    QVERIFY2(next.value(m) != previous.value(m), qPrintable(u"%1 step %2"_s.arg(metricName(m)).arg(step)));
                previous = next;
            }
        }

        MetricsTick t = tick(HostA, 0);
        t.vms[0].sample.set(VmMetric::MemoryAvailableKiB, 524288.0);   // running
        t.vms[1].sample = VmSample{};                                   // shut off
        t.vms[1].sample.timeMs = t.timeMs;
        t.host.set(HostMetric::MemoryTotalKiB, 16777216.0);
        DemoSignal::apply(&t, 77);
        QCOMPARE(t.vms[0].sample.timeMs, t.timeMs);
        QVERIFY(t.vms[0].sample.values == DemoSignal::vmSample(Vm1, 77, 524288).values);
        QVERIFY(!t.vms[1].sample.value(VmMetric::CpuPercent));
        QVERIFY(t.host.value(HostMetric::CpuPercent));
        const double used = *t.host.value(HostMetric::MemoryUsedKiB);
        QVERIFY(used < 16777216.0);
        // The host's used memory follows its VMs: the running one's resident memory, plus the
        // host's own few percent.
        const double rss = *t.vms[0].sample.value(VmMetric::MemoryRssKiB);
        QVERIFY(used > rss);
        QVERIFY(used < rss + 0.05 * 16777216.0);
        // A VM arriving (the second one now running) adds its resident memory.
        MetricsTick u = t;
        u.vms[1].sample.set(VmMetric::MemoryAvailableKiB, 4194304.0);
        DemoSignal::apply(&u, 77);
        const double expected = used + *u.vms[1].sample.value(VmMetric::MemoryRssKiB);
        QVERIFY2(std::abs(*u.host.value(HostMetric::MemoryUsedKiB) - expected) < 1.0, // samples are floats: within 1 KiB
                 qPrintable(QString::number(*u.host.value(HostMetric::MemoryUsedKiB) - expected)));
    }
};

QTEST_GUILESS_MAIN(TestMetricsStore)
#include "tst_metricsstore.moc"
