// GUI-thread cost of the live views per metrics tick: 64 sparklines in the VM table and one VM's
// four detail charts holding an hour of data (4 x 3600 points per line). Each tick is timed in
// its stages, on the GUI thread, offscreen: the store taking the tick and signalling it, the
// table repainting its 64 sparklines, the charts pulling their series and replotting. Prints
// figures; never fails on timing.
//
//   bench_plots [ticks]     (default 60)
#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "metrics/demosignal.h"
#include "metrics/metricsstore.h"
#include "metricschart.h"
#include "metricspanel.h"
#include "sparklinedelegate.h"
#include "customplot.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>

#include <algorithm>
#include <cstdio>

using namespace Vigie;

namespace {

constexpr int VmCount = 64;
const QString Host = QStringLiteral("qemu+unix:///system?socket=/bench/hv1");

QString uuidOf(int i)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
}

MetricsTick tickAt(qint64 timeMs)
{
    MetricsTick tick;
    tick.hostUri = Host;
    tick.timeMs = timeMs;
    tick.host.timeMs = timeMs;
    for (int i = 0; i < VmCount; ++i) {
        VmSampleUpdate vm;
        vm.uuid = uuidOf(i);
        vm.sample.timeMs = timeMs;
        vm.sample.set(VmMetric::MemoryAvailableKiB, 4.0 * 1024 * 1024);
        tick.vms.append(vm);
    }
    // The demo signal: every series moves, as on a busy host.
    DemoSignal::apply(&tick, timeMs / 1000);
    return tick;
}

struct Stats
{
    std::vector<double> ms;
    void add(qint64 ns) { ms.push_back(double(ns) / 1e6); }
    void print(const char *name)
    {
        std::sort(ms.begin(), ms.end());
        double sum = 0;
        for (double v : ms)
            sum += v;
        std::printf("  %-34s mean %7.2f ms   median %7.2f ms   max %7.2f ms\n", name, sum / double(ms.size()),
                    ms[ms.size() / 2], ms.back());
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never the user's own settings
    const int ticks = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 60;

    Inventory inventory;
    HostSnapshot snapshot;
    snapshot.host.uri = Host;
    snapshot.host.displayName = QStringLiteral("hv1");
    snapshot.host.state = ConnectionState::Connected;
    for (int i = 0; i < VmCount; ++i) {
        VmInfo vm;
        vm.hostUri = Host;
        vm.uuid = uuidOf(i);
        vm.name = QStringLiteral("vm-%1").arg(i, 2, 10, QLatin1Char('0'));
        vm.state = VmState::Running;
        vm.vcpus = 2;
        vm.memoryKiB = 4 * 1024 * 1024;
        snapshot.vms.append(vm);
    }
    inventory.applySnapshot(snapshot);

    MetricsStore store;
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
    for (int s = 0; s < 3600; ++s)
        store.appendTick(tickAt(start + qint64(s) * 1000));

    VmTableModel model(&inventory);
    model.setMetricsStore(&store);
    QTableView table;
    table.setModel(&model);
    table.setItemDelegateForColumn(VmTableModel::CpuColumn, new SparklineDelegate(&store, VmMetric::CpuPercent, 60, &table));
    table.verticalHeader()->setDefaultSectionSize(22);
    table.horizontalHeader()->resizeSection(VmTableModel::CpuColumn, 120);
    table.resize(1100, 22 * VmCount + 60); // every row visible: 64 sparklines painted per tick
    table.show();

    MetricsPanel panel(&store);
    panel.setWindowSeconds(3600);
    panel.showVm({Host, uuidOf(0)}, QStringLiteral("vm-00"));
    panel.resize(900, 600);
    panel.show();
    QCoreApplication::processEvents();

    Stats storeStats, tableStats, chartStats, totalStats;
    QElapsedTimer timer;
    for (int t = 0; t < ticks; ++t) {
        const MetricsTick tick = tickAt(start + qint64(3600 + t) * 1000);
        timer.start();
        store.appendTick(tick);
        // The store's coalesced signal: models mark their column, charts schedule a replot.
        QCoreApplication::processEvents();
        const qint64 afterStore = timer.nsecsElapsed();
        table.viewport()->repaint();
        const qint64 afterTable = timer.nsecsElapsed();
        for (MetricsChart *chart : panel.charts()) {
            chart->updateNow();
            chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
        }
        const qint64 afterCharts = timer.nsecsElapsed();
        storeStats.add(afterStore);
        tableStats.add(afterTable - afterStore);
        chartStats.add(afterCharts - afterTable);
        totalStats.add(afterCharts);
    }

    int points = 0;
    for (MetricsChart *chart : panel.charts()) {
        for (int g = 0; g < chart->plot()->graphCount(); ++g)
            points += chart->plot()->graph(g)->dataCount();
    }
    std::printf("bench_plots: %d ticks, %d VMs with an hour of history, %d sparklines, 4 charts holding %d points\n",
                ticks, VmCount, VmCount, points);
    storeStats.print("store append + signal");
    tableStats.print("table repaint (64 sparklines)");
    chartStats.print("4 charts: pull series + replot");
    totalStats.print("GUI thread per tick");
    std::printf("  memory per VM: %.1f KiB bound for an hour, %.1f KiB held now\n",
                double(store.bytesPerVmBound()) / 1024.0, double(store.allocatedBytes()) / 1024.0 / VmCount);
    return 0;
}
