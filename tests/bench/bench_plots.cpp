// GUI-thread cost of the live views per metrics tick: 64 sparklines in the VM table and one VM's
// four detail charts holding an hour of data (4 x 3600 points per line). One tick a second, each
// going the way the window takes it: the store takes the tick and signals it, the table model
// marks its CPU column and the view repaints what that dirtied, each chart's timer pulls its
// series and replots (once its time axis has moved by a pixel). The GUI thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID) over each second is that tick's cost, waits excluded; the table's
// paint events and the charts' replots are timed in their own CPU time too. Prints figures; never
// fails on timing. Takes a second per tick.
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
#include <QPaintEvent>
#include <QThread>
#include <QTimer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <ctime>

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

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// The VM table as the window has it, its paint events counted and timed.
class TimedTable : public QTableView
{
public:
    int paints = 0;
    qint64 paintNs = 0;
    qint64 paintedPixels = 0;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        const qint64 start = threadCpuNs();
        QTableView::paintEvent(event);
        paintNs += threadCpuNs() - start;
        ++paints;
        for (const QRect &rect : event->region())
            paintedPixels += qint64(rect.width()) * rect.height();
    }
};

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
    TimedTable table;
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
    int replots = 0;
    qint64 replotStart = 0, replotNs = 0;
    for (MetricsChart *chart : panel.charts()) {
        QObject::connect(chart->plot(), &QCustomPlot::beforeReplot, [&] { replotStart = threadCpuNs(); });
        QObject::connect(chart->plot(), &QCustomPlot::afterReplot, [&] {
            replotNs += threadCpuNs() - replotStart;
            ++replots;
        });
    }
    // Settled: shown, laid out, every chart drawn once.
    for (int i = 0; i < 20; ++i) {
        QCoreApplication::processEvents();
        QThread::msleep(10);
    }

    Stats storeStats, tableStats, chartStats, totalStats;
    qint64 tablePixels = 0;
    int tablePaints = 0, tickReplots = 0;
    // One tick a second, as the hosts send them; the GUI thread's CPU time over each second is
    // that tick's cost (its waits cost none).
    for (int t = 0; t < ticks; ++t) {
        const MetricsTick tick = tickAt(start + qint64(3600 + t) * 1000);
        const int paintsBefore = table.paints, replotsBefore = replots;
        const qint64 paintNsBefore = table.paintNs, replotNsBefore = replotNs, pixelsBefore = table.paintedPixels;
        const qint64 cpuStart = threadCpuNs();
        store.appendTick(tick);
        const qint64 afterAppend = threadCpuNs();
        QEventLoop loop;
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        loop.exec();
        const qint64 cpuEnd = threadCpuNs();
        storeStats.add(afterAppend - cpuStart);
        tableStats.add(table.paintNs - paintNsBefore);
        chartStats.add(replotNs - replotNsBefore);
        totalStats.add(cpuEnd - cpuStart);
        tablePixels += table.paintedPixels - pixelsBefore;
        tablePaints += table.paints - paintsBefore;
        tickReplots += replots - replotsBefore;
    }

    int points = 0;
    for (MetricsChart *chart : panel.charts()) {
        for (int g = 0; g < chart->plot()->graphCount(); ++g)
            points += chart->plot()->graph(g)->dataCount();
    }
    std::printf("bench_plots: %d ticks, %d VMs with an hour of history, %d sparklines, 4 charts holding %d points\n",
                ticks, VmCount, VmCount, points);
    std::printf("  the table painted %.1f times per tick, %.0f pixels each (its viewport: %d x %d); "
                "%.2f chart replots per tick\n",
                double(tablePaints) / ticks, tablePaints ? double(tablePixels) / tablePaints : 0.0,
                table.viewport()->width(), table.viewport()->height(), double(tickReplots) / ticks);
    storeStats.print("store append (the tick itself)");
    tableStats.print("table paint (64 sparklines)");
    chartStats.print("charts replotting in that second");
    totalStats.print("GUI thread per 1 s tick, all of it");
    std::printf("  (the rest of the total: the signal, the models, the charts pulling their series)\n");
    std::printf("  memory per VM: %.1f KiB bound for an hour, %.1f KiB held now\n",
                double(store.bytesPerVmBound()) / 1024.0, double(store.allocatedBytes()) / 1024.0 / VmCount);
    return 0;
}
