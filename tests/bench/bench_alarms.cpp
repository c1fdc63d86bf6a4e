// What the alarm evaluation costs per metrics tick: a host's tick of N VMs (the demo signal)
// through the default rules, on the evaluator alone (it runs on its own thread in Vigie), and
// how many changes a tick sends back to the GUI thread. Prints; never fails on timing.
//
//   build/tests/bench/bench_alarms [--vms 200] [--ticks 3600]
#include "alarms/alarmevaluator.h"
#include "metrics/demosignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUuid>

#include <cstdio>

using namespace Vigie;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption vmsOption(QStringLiteral("vms"), QStringLiteral("VMs on the host"), QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption ticksOption(QStringLiteral("ticks"), QStringLiteral("ticks (1 s each)"), QStringLiteral("n"), QStringLiteral("3600"));
    parser.addOptions({vmsOption, ticksOption});
    parser.process(app);
    const int vms = parser.value(vmsOption).toInt();
    const int ticks = parser.value(ticksOption).toInt();

    MetricsTick tick;
    tick.hostUri = QStringLiteral("test:///bench");
    tick.demo = true;
    tick.host.set(HostMetric::MemoryTotalKiB, 512.0 * 1024 * 1024);
    for (int i = 0; i < vms; ++i) {
        VmSampleUpdate vm;
        // The first is the demo's busy CI runner: its CPU stays high, so its alarm stays raised.
        vm.uuid = i == 0 ? QStringLiteral("ed60a991-1cf9-5dd2-befc-6214707afed6")
                         : QUuid::createUuid().toString(QUuid::WithoutBraces);
        vm.running = true;
        vm.sample.set(VmMetric::MemoryAvailableKiB, 4.0 * 1024 * 1024);
        tick.vms.append(vm);
    }
    AlarmEvaluator evaluator;
    evaluator.setRules(defaultAlarmRules(), 0);
    qint64 changes = 0;
    qint64 elapsedNs = 0;
    const qint64 start = 1'700'000'000'000;
    for (int t = 0; t < ticks; ++t) {
        tick.timeMs = start + qint64(t) * 1000;
        DemoSignal::apply(&tick, t);
        QElapsedTimer timer;
        timer.start();
        changes += evaluator.evaluate(tick).size();
        elapsedNs += timer.nsecsElapsed();
    }
    std::printf("alarm evaluation: %d VMs x %d rules, %d ticks: %.1f us per tick (%.2f us per VM), %.3f changes "
                "sent per tick\n",
                vms, int(defaultAlarmRules().size()), ticks, double(elapsedNs) / ticks / 1000.0,
                double(elapsedNs) / ticks / vms / 1000.0, double(changes) / ticks);
    return 0;
}
