// Live charts offscreen: series reach the graphs scaled to their unit, only visible charts
// replot, the crosshair reads values, exports write real files; sparklines and the dashboard.
#include "customplot.h"
#include "dashboardpanel.h"
#include "elidedlabel.h"
#include "inventory/inventory.h"
#include "itemmodels/roles.h"
#include "itemmodels/topvmsmodel.h"
#include "metrics/historydatabase.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"
#include "metricschart.h"
#include "metricspanel.h"
#include "sparklinedelegate.h"

#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QSettings>
#include <QToolButton>
#include <QWheelEvent>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString Host = u"test:///par-hv01.xml"_s;
const QString Uuid = u"uuid-web-01"_s;
constexpr double MiB = 1024.0 * 1024.0;

// A tick at timeMs: CPU `cpu`, disk read 2 MiB/s, host memory 8 GiB of 16.
MetricsTick tick(qint64 timeMs, double cpu)
{
    MetricsTick t;
    t.hostUri = Host;
    t.timeMs = timeMs;
    t.host.timeMs = timeMs;
    t.host.set(HostMetric::CpuPercent, 25);
    t.host.set(HostMetric::MemoryUsedKiB, 8.0 * 1024 * 1024);
    t.host.set(HostMetric::MemoryTotalKiB, 16.0 * 1024 * 1024);
    VmSampleUpdate vm;
    vm.uuid = Uuid;
    vm.sample.timeMs = timeMs;
    vm.sample.set(VmMetric::CpuPercent, cpu);
    vm.sample.set(VmMetric::DiskReadBytesPerSec, 2 * MiB);
    vm.sample.set(VmMetric::DiskReadIops, 128);
    t.vms.append(vm);
    return t;
}

// The last minute, one tick a second, CPU 0..59.
void fillMinute(MetricsStore *store, qint64 now)
{
    for (int i = 0; i < 60; ++i)
        store->appendTick(tick(now - (59 - i) * 1000, i));
}

// The web VM's minutes from FIRST to LAST (ms) as the history stores them: CPU average CPU(t),
// maximum MAX.
QList<HistoryRow> cpuMinutes(qint64 first, qint64 last, const std::function<float(qint64)> &cpu, float max)
{
    QList<HistoryRow> rows;
    for (qint64 t = first; t <= last; t += 60'000) {
        HistoryRow row;
        row.key = {HistorySubject::Vm, Uuid};
        row.startMs = t;
        row.count = 60;
        row.avg.fill(std::nanf(""), VmMetricCount);
        row.max.fill(std::nanf(""), VmMetricCount);
        row.avg[int(VmMetric::CpuPercent)] = cpu(t);
        row.max[int(VmMetric::CpuPercent)] = max;
        rows.append(row);
    }
    return rows;
}

bool storeMinutes(const QString &path, qint64 now, const QList<HistoryRow> &rows)
{
    HistoryDatabase db;
    return db.open(path, false, now).ok && db.writeRows(HistoryTier::Minute, rows);
}

} // namespace

class TestMetricsChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // 24 h reads the minute tier on the history's thread (the chart waits, never blocks), plots
    // the averages, the maxima faintly, then the live samples after the last stored minute;
    // back to an hour, the live ring alone.
    void longWindowReadsTheHistory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 lastMinute = now - now % 60'000 - 2 * 60'000;
        const QList<HistoryRow> rows = cpuMinutes(lastMinute - 24 * 3'600'000LL, lastMinute, [](qint64) { return 40.0f; }, 80);
        QVERIFY(storeMinutes(path, now, rows));
        MetricsStore store;
        fillMinute(&store, now);
        MetricsHistory history(&store);
        history.open(path, false);
        QTRY_VERIFY(history.isOpen());
        MetricsChart chart(&store);
        chart.setHistory(&history);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.setWindowSeconds(86400);
        chart.resize(500, 260);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QCOMPARE(chart.tier(), HistoryTier::Minute);
        QSignalSpy shown(&chart, &MetricsChart::historyShown);
        chart.refreshHistory();
        QVERIFY(chart.isWaitingForHistory());
        QVERIFY(shown.wait());
        QVERIFY(!chart.isWaitingForHistory());
        QCOMPARE(chart.historySeries().tier, HistoryTier::Minute);
        // The stored day (its oldest minutes fall before the window), then the live minute.
        const int stored = int(chart.historySeries().size());
        QVERIFY2(stored >= int(rows.size()) - 5, qPrintable(QString::number(stored)));
        QCPGraph *cpu = chart.plot()->graph(0);
        QCOMPARE(cpu->dataCount(), stored + 60);
        QCOMPARE(cpu->data()->constBegin()->value, 40.0);
        QCOMPARE((cpu->data()->constEnd() - 1)->value, 59.0);
        QCOMPARE(chart.plot()->graphCount(), 2);
        QCOMPARE(chart.plot()->graph(1)->data()->constBegin()->value, 80.0);
        QVERIFY(chart.valuesAt(cpu->data()->constBegin()->key).contains(u"max"_s));
        chart.setWindowSeconds(3600);
        chart.updateNow();
        QCOMPARE(chart.tier(), HistoryTier::Live);
        QCOMPARE(chart.plot()->graphCount(), 1);
        QCOMPARE(chart.plot()->graph(0)->dataCount(), 60);
    }

    // The wheel zooms one chart around the pointer and every chart of the panel follows; a pan
    // back to the day before reads that day from the stored minutes (the live ring has no such
    // past); a double click brings back the chosen window ending now.
    void zoomAndPanReadTheHistory()
    {
        QSettings().remove(u"metrics/windowSeconds"_s);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 lastMinute = now - now % 60'000 - 2 * 60'000;
        // 10 % the day before yesterday's hours, 40 % since.
        const qint64 dayBefore = lastMinute - 24 * 3'600'000LL;
        QVERIFY(storeMinutes(path, now, cpuMinutes(lastMinute - 48 * 3'600'000LL, lastMinute,
                                                   [dayBefore](qint64 t) { return t < dayBefore ? 10.0f : 40.0f; }, 90)));
        MetricsStore store;
        fillMinute(&store, now);
        MetricsHistory history(&store);
        history.open(path, false);
        QTRY_VERIFY(history.isOpen());
        MetricsPanel panel(&store);
        panel.setHistory(&history);
        panel.showVm({Host, Uuid}, u"web-01"_s);
        panel.setWindowSeconds(86400);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        MetricsChart *cpu = panel.charts().at(0);
        MetricsChart *memory = panel.charts().at(1);
        QVERIFY(!panel.isPinned());
        auto *window = panel.findChild<QComboBox *>();
        auto *nowButton = panel.findChild<QToolButton *>();
        QVERIFY(window && nowButton && !nowButton->isEnabled());

        // Three wheel steps in the middle of the CPU chart's plot area.
        const QRect area = cpu->plot()->axisRect()->rect();
        const QPointF centre = area.center();
        for (int step = 0; step < 3; ++step) {
            QWheelEvent wheel(centre, cpu->plot()->mapToGlobal(centre), {}, {0, 120}, Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(cpu->plot(), &wheel);
        }
        QVERIFY2(cpu->windowSeconds() < 86400 * 0.7, qPrintable(QString::number(cpu->windowSeconds())));
        QVERIFY(cpu->isPinned()); // zoomed around the middle: the end moved back from now
        QCOMPARE(memory->windowStartMs(), cpu->windowStartMs());
        QCOMPARE(memory->windowEndMs(), cpu->windowEndMs());
        QVERIFY(qAbs(memory->plot()->xAxis->range().upper * 1000 - double(cpu->windowEndMs())) < 2);
        QCOMPARE(window->currentData().toInt(), -1); // the list names the range shown
        QVERIFY(nowButton->isEnabled());

        // Moved back in time by a drag (what QCustomPlot's drag does to the axis): the day
        // before, 10 %, read from the minutes once the movement settles.
        QSignalSpy shown(cpu, &MetricsChart::historyShown);
        const double span = cpu->plot()->xAxis->range().size();
        cpu->plot()->xAxis->setRange(double(lastMinute) / 1000 - 40 * 3600 - span, double(lastMinute) / 1000 - 40 * 3600);
        QCOMPARE(cpu->tier(), HistoryTier::Minute);
        QVERIFY(shown.wait());
        QCOMPARE(cpu->historySeries().tier, HistoryTier::Minute);
        QVERIFY(cpu->historySeries().size() > 0);
        QCPGraph *line = cpu->plot()->graph(0);
        QVERIFY(line->dataCount() > 0);
        for (auto it = line->data()->constBegin(); it != line->data()->constEnd(); ++it)
            QCOMPARE(it->value, 10.0); // no live sample in a past window
        QVERIFY(qAbs(memory->windowEndMs() - cpu->windowEndMs()) < 2);

        // A custom range keeps to its bounds: never past now, at least 30 s.
        panel.setRange(now - 10'000, now + 3'600'000);
        QVERIFY(!cpu->isPinned());
        QCOMPARE(cpu->windowSeconds(), 30);

        // A double click: the chosen day, ending now.
        QTest::mouseDClick(cpu->plot(), Qt::LeftButton, {}, centre.toPoint());
        QVERIFY(!panel.isPinned());
        QCOMPARE(cpu->windowSeconds(), 86400);
        QCOMPARE(window->currentData().toInt(), 86400);
        QVERIFY(!nowButton->isEnabled());
        QCOMPARE(window->findData(-1), -1);
    }

    void seriesReachTheGraphsScaled()
    {
        MetricsStore store;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        fillMinute(&store, now);
        MetricsChart chart(&store);
        chart.setTitle(u"Disk — web-01"_s);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.setWindowSeconds(60);
        chart.resize(500, 260);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.updateNow();
        QCPGraph *cpu = chart.plot()->graph(0);
        QCOMPARE(cpu->dataCount(), 60);
        QCOMPARE((cpu->data()->constEnd() - 1)->value, 59.0);
        QCOMPARE(chart.plot()->yAxis->range().upper, 100.0); // CPU keeps its 0-100 scale
        QVERIFY(chart.valuesAt(double(now) / 1000.0).contains(u"CPU: 59.0\u202F%"_s));
        // Outside the data: no value, not a made-up one.
        QVERIFY(chart.valuesAt(double(now) / 1000.0 - 3000).contains(u"CPU: –"_s));

        // Bytes per second in MiB/s on the left axis, operations dashed on the right one.
        chart.showVm({Host, Uuid}, {VmMetric::DiskReadBytesPerSec}, {VmMetric::DiskReadIops});
        chart.updateNow();
        QCOMPARE(chart.plot()->graphCount(), 2);
        QCOMPARE((chart.plot()->graph(0)->data()->constEnd() - 1)->value, 2.0);
        QCOMPARE(chart.plot()->yAxis->label(), u"MiB/s"_s);
        QVERIFY(chart.plot()->yAxis2->visible());
        QCOMPARE(chart.plot()->graph(1)->valueAxis(), chart.plot()->yAxis2);
        QCOMPARE(chart.plot()->graph(1)->pen().style(), Qt::DashLine);
        QCOMPARE(chart.plot()->yAxis2->label(), u"/s"_s);

        // A host's series.
        chart.showHost(Host, {HostMetric::MemoryUsedKiB, HostMetric::MemoryTotalKiB});
        chart.updateNow();
        QCOMPARE(chart.plot()->graph(1)->dataCount(), 60);
        QCOMPARE((chart.plot()->graph(1)->data()->constEnd() - 1)->value, 16.0);
        QCOMPARE(chart.plot()->yAxis->label(), u"GiB"_s);
        QVERIFY(!chart.plot()->yAxis2->visible());
    }

    void windowLimitsTheSeries()
    {
        MetricsStore store;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 600; ++i)
            store.appendTick(tick(now - (599 - i) * 1000, 10));
        MetricsChart chart(&store);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.setWindowSeconds(60);
        chart.updateNow();
        QVERIFY(std::abs(chart.plot()->graph(0)->dataCount() - 60) <= 2);
        chart.setWindowSeconds(600);
        chart.updateNow();
        QVERIFY(std::abs(chart.plot()->graph(0)->dataCount() - 600) <= 2);
        QCOMPARE(chart.plot()->xAxis->range().size(), 600.0);
    }

    // Time ticks fall on round times, at the steps a clock reads, for every window offered
    // (QCustomPlot's own choice, 2.5 min, printed minutes that were not the tick's).
    void ticksOnRoundTimes()
    {
        MetricsStore store;
        MetricsChart chart(&store);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.resize(500, 200);
        chart.show(); // the ticks fit the plot's width: it needs its layout
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        for (int window : {60, 600, 1800, 3600, 6 * 3600, 86400, 7 * 86400}) {
            chart.setWindowSeconds(window);
            chart.updateNow();
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh); // ticks are computed as it draws
            const QVector<double> ticks = chart.plot()->xAxis->tickVector();
            QVERIFY2(ticks.size() >= 2, qPrintable(QString::number(window)));
            const double step = ticks.at(1) - ticks.at(0);
            const QList<double> clockSteps{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                                           43200, 86400, 172800, 259200, 604800};
            QVERIFY2(clockSteps.contains(step), qPrintable(QStringLiteral("window %1 s: a step of %2 s").arg(window).arg(step)));
            for (double t : ticks)
                QVERIFY2(std::fmod(t, std::min(step, 3600.0)) == 0,
                         qPrintable(QStringLiteral("window %1 s: tick %2 not on a multiple of %3 s").arg(window).arg(t).arg(step)));
        }
    }

    // No two time labels overlap, whatever the chart's width (the Details pane's default 530 px
    // holds two charts side by side; a chart alone at full HD is some 960 px), its window, and
    // whether a right-hand axis takes some of the width. Measured on what QCustomPlot draws: its
    // ticks, their labels and the labels' font.
    void tickLabelsNeverOverlap_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("rightAxis");
        for (int width : {220, 262, 400, 530, 960}) {
            for (bool right : {false, true})
                QTest::addRow("%d px%s", width, right ? ", right axis" : "") << width << right;
        }
    }

    void tickLabelsNeverOverlap()
    {
        QFETCH(int, width);
        QFETCH(bool, rightAxis);
        MetricsStore store;
        fillMinute(&store, QDateTime::currentMSecsSinceEpoch());
        MetricsChart chart(&store);
        if (rightAxis)
            chart.showVm({Host, Uuid}, {VmMetric::DiskReadBytesPerSec}, {VmMetric::DiskReadIops});
        else
            chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.resize(width, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QCPAxis *axis = chart.plot()->xAxis;
        const QFontMetrics metrics(axis->tickLabelFont());
        for (int window : {60, 600, 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400}) {
            chart.setWindowSeconds(window);
            chart.updateNow();
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
            QCoreApplication::processEvents(); // a replot queued if the layout was not the one foreseen
            const QVector<double> ticks = axis->tickVector();
            const QVector<QString> labels = axis->tickVectorLabels();
            QCOMPARE(labels.size(), ticks.size());
            const QString where = u"%1 px, window %2 s, labels %3"_s.arg(width).arg(window).arg(
                QStringList(labels.begin(), labels.end()).join(u" | "_s));
            // Two labels at least where the axis has room for two.
            if (width >= 262)
                QVERIFY2(ticks.size() >= 2, qPrintable(where));
            const auto labelWidth = [&metrics](const QString &label) {
                int widest = 0;
                for (const QString &line : label.split(u'\n'))
                    widest = std::max(widest, metrics.horizontalAdvance(line));
                return widest;
            };
            for (qsizetype i = 1; i < ticks.size(); ++i) {
                const double distance = axis->coordToPixel(ticks.at(i)) - axis->coordToPixel(ticks.at(i - 1));
                const double needed = (labelWidth(labels.at(i - 1)) + labelWidth(labels.at(i))) / 2.0 + 4;
                QVERIFY2(distance >= needed,
                         qPrintable(u"%1: %2 px between two labels, %3 needed"_s.arg(where).arg(distance).arg(needed)));
            }
        }
    }

    // Every legend name is drawn whole in its item: at the Details pane's default width with the
    // panel's English names and the longer French ones (the items wrap to a second row), in a
    // chart at its smallest, and in one row when there is room.
    void legendNamesFit()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        MetricsStore store;
        fillMinute(&store, now);
        MetricsPanel panel(&store);
        panel.resize(530, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.showVm({Host, Uuid}, u"erp-db"_s);

        const auto legendRows = [](MetricsChart *chart) {
            int rows = 0;
            QCPLegend *legend = chart->plot()->legend;
            for (int row = 0; row < legend->rowCount(); ++row) {
                for (int column = 0; column < legend->columnCount(); ++column) {
                    if (legend->element(row, column)) {
                        ++rows;
                        break;
                    }
                }
            }
            return rows;
        };
        const auto check = [](MetricsChart *chart, const QString &where) {
            chart->updateNow();
            chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
            QCPLegend *legend = chart->plot()->legend;
            int items = 0;
            for (int i = 0; i < legend->itemCount(); ++i) {
                if (!legend->item(i))
                    continue; // an empty cell of a wrapped legend
                ++items;
                auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i));
                QVERIFY(item);
                const QString name = item->plottable()->name();
                const int needed = legend->iconSize().width() + legend->iconTextPadding()
                                   + QFontMetrics(item->font()).horizontalAdvance(name);
                const QRect rect = item->rect();
                QVERIFY2(rect.width() >= needed,
                         qPrintable(u"%1: \"%2\" needs %3 px, has %4"_s.arg(where, name).arg(needed).arg(rect.width())));
                QVERIFY2(item->outerRect().left() >= 0 && item->outerRect().right() < chart->plot()->width(),
                         qPrintable(u"%1: \"%2\" outside the chart"_s.arg(where, name)));
            }
            QCOMPARE(items, chart->plot()->graphCount());
        };
        for (MetricsChart *chart : panel.charts()) {
            QVERIFY(chart->width() < 270);
            check(chart, u"530 px panel"_s);
        }
        const QList<QStringList> french{{u"de ses vCPU"_s},
                                        {u"utilisée"_s, u"disponible"_s, u"résidente (hôte)"_s},
                                        {u"lecture"_s, u"écriture"_s, u"op. lecture"_s, u"op. écriture"_s},
                                        {u"reçu"_s, u"envoyé"_s, u"paquets reçus"_s, u"paquets envoyés"_s}};
        for (int i = 0; i < 4; ++i) {
            panel.charts().at(i)->setLineNames(french.at(i));
            check(panel.charts().at(i), u"530 px panel, French"_s);
        }
        QVERIFY(legendRows(panel.charts().at(3)) >= 2); // they need two rows there
        // Rows evenly filled: read and write above their operations, not three names and one.
        for (int i : {2, 3}) {
            if (legendRows(panel.charts().at(i)) == 2)
                QCOMPARE(panel.charts().at(i)->plot()->legend->columnCount(), 2);
        }

        // A lone chart at its smallest, and one with room: a single row.
        MetricsChart chart(&store);
        chart.showVm({Host, Uuid}, {VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec},
                     {VmMetric::NetRxPacketsPerSec, VmMetric::NetTxPacketsPerSec});
        chart.setLineNames(french.at(3));
        chart.resize(chart.minimumSize());
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        check(&chart, u"smallest chart"_s);
        chart.resize(960, 300);
        QTRY_COMPARE(chart.plot()->width(), 960);
        check(&chart, u"960 px chart"_s);
        QCOMPARE(legendRows(&chart), 1);
    }

    // A title or a legend name shortened for the width says the whole of it in its tooltip.
    void shortTextsHaveTheirWholeInTooltips()
    {
        MetricsStore store;
        fillMinute(&store, QDateTime::currentMSecsSinceEpoch());
        MetricsChart chart(&store);
        const QString title = u"Disk of lumiere-app-server-01.example.org over the last ten minutes"_s;
        chart.setTitle(title);
        chart.showVm({Host, Uuid}, {VmMetric::DiskReadBytesPerSec}, {VmMetric::DiskReadIops});
        chart.setLineNames({u"read"_s, u"read ops"_s});
        chart.resize(260, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.updateNow();
        chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
        auto *shown = qobject_cast<QCPTextElement *>(chart.plot()->plotLayout()->element(0, 0));
        QVERIFY(shown);
        QVERIFY2(shown->text().endsWith(QChar(0x2026)), qPrintable(shown->text()));
        QVERIFY(QFontMetrics(shown->font()).horizontalAdvance(shown->text()) <= chart.plot()->width());

        const auto toolTipAt = [&chart](const QPoint &pos) {
            QToolTip::hideText(); // QToolTip hides after a short delay
            if (!QTest::qWaitFor([] { return !QToolTip::isVisible(); }, 2000))
                return u"(a tooltip stays)"_s;
            QHelpEvent help(QEvent::ToolTip, pos, chart.plot()->mapToGlobal(pos));
            QCoreApplication::sendEvent(chart.plot(), &help);
            return QToolTip::isVisible() ? QToolTip::text() : QString();
        };
        QVERIFY(toolTipAt(shown->outerRect().center()).contains(title));
        QCPLegend *legend = chart.plot()->legend;
        QCOMPARE(toolTipAt(legend->item(0)->outerRect().center()), u"Disk read"_s);
        QCOMPARE(toolTipAt(legend->item(1)->outerRect().center()), u"Disk read operations (dashed, right-hand axis)"_s);
        // A title that fits has no tooltip.
        chart.setTitle(u"Disk"_s);
        chart.updateNow();
        chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(shown->text(), u"Disk"_s);
        QCOMPARE(toolTipAt(shown->outerRect().center()), QString());
        QToolTip::hideText();
    }

    // The panel's line naming the VM and the figures' origin has a line of its own: at the
    // Details pane's default width, "erp-db · synthetic figures (demo datacenter)" is not cut,
    // nor is it in French.
    void panelHintHasTheWidth()
    {
        MetricsStore store;
        MetricsPanel panel(&store);
        panel.resize(530, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto *hint = panel.findChild<ElidedLabel *>();
        QVERIFY(hint);
        QVERIFY2(hint->width() >= panel.width() - 20, qPrintable(QString::number(hint->width())));
        for (const QString &text : {u"erp-db · synthetic figures (demo datacenter)"_s,
                                    u"backup-proxy · mesures synthétiques (centre de données de démonstration)"_s}) {
            hint->setFullText(text);
            QVERIFY2(!hint->isElided(), qPrintable(text));
        }
    }

    void onlyVisibleChartsReplot()
    {
        MetricsStore store;
        MetricsChart chart(&store);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.updateNow();
        const int replots = chart.replotCount();
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch(), 5));
        QVERIFY(appended.wait(1000)); // the chart heard of it (connected first)
        QVERIFY(chart.isOutOfDate());
        QVERIFY(!chart.replotPending()); // hidden: nothing scheduled
        QCOMPARE(chart.replotCount(), replots);

        // Another host's tick does not concern it.
        chart.resize(400, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QTRY_VERIFY(!chart.isOutOfDate());
        QCOMPARE(chart.replotCount(), replots + 1);
        MetricsTick other = tick(QDateTime::currentMSecsSinceEpoch(), 5);
        other.hostUri = u"test:///other.xml"_s;
        store.appendTick(other);
        QVERIFY(appended.wait(1000));
        QVERIFY(!chart.isOutOfDate());
        QVERIFY(!chart.replotPending());
        QCOMPARE(chart.replotCount(), replots + 1);

        // Its own host's ticks, several in a row, make one replot.
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch(), 6));
        QVERIFY(appended.wait(1000));
        const qsizetype flushes = appended.size();
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch() + 1, 7));
        QTRY_COMPARE(chart.replotCount(), replots + 2);
        // Both ticks told and every scheduled replot done: one or two replots for the two.
        QTRY_COMPARE(appended.size(), flushes + 1);
        QTRY_VERIFY(!chart.replotPending() && !chart.isOutOfDate());
        QVERIFY(chart.replotCount() <= replots + 3);
    }

    // New samples move an hour's window by a fraction of a pixel: the chart redraws once time has
    // moved by one of its pixels, or 5 s after they came; what the operator does is drawn at once;
    // a short window, whose pixel is shorter than a tick, redraws at every tick.
    void longWindowsRedrawPerPixel()
    {
        MetricsStore store;
        MetricsChart chart(&store);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent});
        chart.setWindowSeconds(900);
        chart.resize(400, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QTRY_VERIFY(!chart.isOutOfDate() && !chart.replotPending());
        const int replots = chart.replotCount();
        const int axisWidth = chart.plot()->axisRect()->width();
        QVERIFY(axisWidth > 100);
        const int pixelMs = std::min(900 * 1000 / axisWidth, 5000); // about 2.7 s
        QVERIFY(pixelMs > 1500);
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch(), 5));
        QVERIFY(appended.wait(1000));
        QVERIFY(chart.isOutOfDate());
        QVERIFY2(chart.replotDueMs() >= 0 && chart.replotDueMs() <= pixelMs + 100, qPrintable(QString::number(chart.replotDueMs())));
        QTRY_VERIFY_WITH_TIMEOUT(chart.replotCount() > replots, pixelMs + 1000);
        // Ten ticks in a second: drawn once a pixel's time (2.7 s), so once at most in that second
        // (twice if the history's answer came meanwhile), not ten times.
        const int drawn = chart.replotCount();
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        for (int i = 1; i <= 10; ++i) {
            QTest::qWait(100);
            store.appendTick(tick(start + i, 5 + i));
        }
        QVERIFY(appended.wait(1000));
        QVERIFY2(chart.replotCount() - drawn <= 2, qPrintable(QString::number(chart.replotCount() - drawn)));
        QVERIFY(chart.replotPending());
        QTRY_VERIFY(!chart.replotPending());
        const int settled = chart.replotCount();

        // What the operator does is drawn at once.
        chart.setTitle(u"renamed"_s);
        QVERIFY2(chart.replotDueMs() >= 0 && chart.replotDueMs() <= 100, qPrintable(QString::number(chart.replotDueMs())));
        QTRY_COMPARE(chart.replotCount(), settled + 1);
        QVERIFY(!chart.replotPending());

        chart.setWindowSeconds(60);
        QTRY_COMPARE(chart.replotCount(), settled + 2);
        store.appendTick(tick(start + 20, 7));
        QVERIFY(appended.wait(1000));
        QVERIFY2(chart.replotDueMs() >= 0 && chart.replotDueMs() <= std::max(50, 60 * 1000 / axisWidth) + 60,
                 qPrintable(QString::number(chart.replotDueMs())));
        QTRY_COMPARE(chart.replotCount(), settled + 3);
    }

    void chartsOfOneWindowDrawInTurn()
    {
        // Four charts of an hour, of one width: their replots fall a second apart, not all in
        // the same second.
        MetricsStore store;
        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        QList<MetricsChart *> charts;
        for (int i = 0; i < 4; ++i) {
            auto *chart = new MetricsChart(&store);
            chart->showVm({Host, Uuid}, {VmMetric::CpuPercent});
            chart->setWindowSeconds(3600);
            chart->setFixedSize(400, 160);
            layout->addWidget(chart);
            charts.append(chart);
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (MetricsChart *chart : std::as_const(charts))
            QTRY_VERIFY(!chart->isOutOfDate() && !chart->replotPending());
        const qint64 pixelMs = std::min(3600 * 1000 / charts.first()->plot()->axisRect()->width(), 5000);
        QCOMPARE(pixelMs, 5000); // four phases fit in a pixel's time
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch(), 5));
        QVERIFY(appended.wait(1000));
        // When each is due, on one clock (reading them takes time on a loaded machine).
        QElapsedTimer clock;
        clock.start();
        QList<int> due;
        for (MetricsChart *chart : std::as_const(charts)) {
            QVERIFY(chart->replotPending());
            due.append(int(clock.elapsed()) + chart->replotDueMs());
        }
        for (int i = 0; i < due.size(); ++i) {
            for (int j = i + 1; j < due.size(); ++j) {
                const int apart = std::abs(due.at(i) - due.at(j)) % int(pixelMs);
                // A second apart, less the slack of Qt's coarse timers (5 % of a 5 s wait each).
                QVERIFY2(std::min<int>(apart, int(pixelMs) - apart) >= 500,
                         qPrintable(u"charts %1 and %2 due in %3 and %4 ms"_s.arg(i).arg(j).arg(due.at(i)).arg(due.at(j))));
            }
        }
    }

    void exportsWriteFiles()
    {
        QTemporaryDir dir;
        MetricsStore store;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        fillMinute(&store, now);
        MetricsChart chart(&store);
        chart.setTitle(u"CPU — web-01"_s);
        chart.showVm({Host, Uuid}, {VmMetric::CpuPercent, VmMetric::DiskReadBytesPerSec});
        chart.setWindowSeconds(60);
        chart.resize(500, 260);

        const QString png = dir.filePath(u"cpu.png"_s);
        QString error;
        QVERIFY2(chart.exportPng(png, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1000); // twice the resolution, for slides

        // The picture says who and when; the chart on screen keeps its short title.
        chart.setTitle(u"CPU"_s);
        chart.setSubject(u"web-01"_s);
        QVERIFY2(chart.exportTitle().startsWith(u"CPU — web-01 — "_s), qPrintable(chart.exportTitle()));
        QVERIFY(chart.exportTitle().contains(u" – "_s)); // the period, from – to
        auto *title = qobject_cast<QCPTextElement *>(chart.plot()->plotLayout()->element(0, 0));
        QVERIFY(title);
        chart.updateNow();
        QVERIFY2(chart.exportPng(png, &error), qPrintable(error));
        QCOMPARE(title->text(), u"CPU"_s);

        const QString pdf = dir.filePath(u"cpu.pdf"_s);
        QVERIFY2(chart.exportPdf(pdf, &error), qPrintable(error));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5).startsWith("%PDF"));

        const QString csv = dir.filePath(u"cpu.csv"_s);
        QVERIFY2(chart.exportCsv(csv, &error), qPrintable(error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csvFile.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), u"time,cpu_percent,disk_read_bytes_per_s"_s);
        QVERIFY(std::abs(lines.size() - 61) <= 1);
        QVERIFY2(lines.last().endsWith(u",59,2097152"_s), qPrintable(lines.last()));
        QVERIFY(lines.last().contains(u'T')); // ISO 8601

        // A directory that does not exist: a clear failure, no crash.
        QVERIFY(!chart.exportCsv(dir.filePath(u"missing/cpu.csv"_s), &error));
        QVERIFY(error.contains(u"missing/cpu.csv"_s));
    }

    void sparkline_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("top");
        QTest::addColumn<QList<QPolygonF>>("runs");
        QTest::newRow("rising") << QList<double>{0, 50, 100} << 100.0
                                << QList<QPolygonF>{QPolygonF{{0, 10}, {50, 5}, {100, 0}}};
        QTest::newRow("clamped above the top") << QList<double>{200, 0} << 100.0
                                               << QList<QPolygonF>{QPolygonF{{0, 0}, {100, 10}}};
        QTest::newRow("a gap splits the line") << QList<double>{10, 10, NAN, 20, 20} << 20.0
                                               << QList<QPolygonF>{QPolygonF{{0, 5}, {25, 5}}, QPolygonF{{75, 0}, {100, 0}}};
        QTest::newRow("a lone point draws nothing") << QList<double>{10, NAN, 20, 20} << 20.0
                                                    << QList<QPolygonF>{QPolygonF{{200.0 / 3, 0}, {100, 0}}};
        QTest::newRow("one value") << QList<double>{10} << 20.0 << QList<QPolygonF>{};
        QTest::newRow("no scale") << QList<double>{0, 0} << 0.0 << QList<QPolygonF>{};
    }

    void sparkline()
    {
        QFETCH(QList<double>, values);
        QFETCH(double, top);
        QFETCH(QList<QPolygonF>, runs);
        const QList<QPolygonF> got = SparklineDelegate::sparkline(values, QRectF(0, 0, 100, 10), top);
        QCOMPARE(got.size(), runs.size());
        for (qsizetype i = 0; i < runs.size(); ++i) {
            QCOMPARE(got.at(i).size(), runs.at(i).size());
            for (qsizetype p = 0; p < runs.at(i).size(); ++p) {
                QVERIFY2(std::abs(got.at(i).at(p).x() - runs.at(i).at(p).x()) < 1e-9
                             && std::abs(got.at(i).at(p).y() - runs.at(i).at(p).y()) < 1e-9,
                         qPrintable(u"run %1 point %2"_s.arg(i).arg(p)));
            }
        }
    }

    // Drawn in the table: the cell has the sparkline's colour where a plain cell has none.
    void sparklineIsPainted()
    {
        MetricsStore store;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 60; ++i)
            store.appendTick(tick(now - (59 - i) * 1000, i % 2 ? 90 : 10));
        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), Host, HostUriRole);
        model.setData(model.index(0, 0), Uuid, UuidRole);
        model.setData(model.index(0, 0), u"50%"_s);
        QTableView view;
        view.setModel(&model);
        view.setColumnWidth(0, 220);
        view.resize(260, 80);
        auto *delegate = new SparklineDelegate(&store, VmMetric::CpuPercent, 60, &view);
        const auto blueish = [&] {
            const QImage image = view.viewport()->grab(view.visualRect(model.index(0, 0))).toImage();
            int count = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    count += c.blue() > 150 && c.red() < 120;
                }
            }
            return count;
        };
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int plain = blueish();
        view.setItemDelegateForColumn(0, delegate);
        QTRY_VERIFY(blueish() > plain + 50);
        // A VM that is off: its past minutes greyed, no blue line.
        model.setData(model.index(0, 0), int(VmState::Shutoff), VmStateRole);
        QTRY_VERIFY(blueish() <= plain + 5);
        model.setData(model.index(0, 0), int(VmState::Running), VmStateRole);
        QTRY_VERIFY(blueish() > plain + 50);
    }

    void dashboardRanksAndSelects()
    {
        Inventory inventory;
        HostSnapshot snapshot;
        snapshot.host.uri = Host;
        snapshot.host.displayName = u"par-hv01"_s;
        snapshot.host.state = ConnectionState::Connected;
        VmInfo vm;
        vm.hostUri = Host;
        vm.uuid = Uuid;
        vm.name = u"web-01"_s;
        vm.state = VmState::Running;
        snapshot.vms.append(vm);
        inventory.applySnapshot(snapshot);
        MetricsStore store;
        DashboardPanel dashboard(&inventory, &store);
        QCOMPARE(dashboard.models().size(), 4);
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch(), 42));
        QTRY_COMPARE(dashboard.models().first()->rowCount(), 1);
        QCOMPARE(dashboard.models().first()->index(0, TopVmsModel::NameColumn).data().toString(), u"web-01"_s);
        // The disk ranking has the VM (it reads); the network one does not (no figures).
        QCOMPARE(dashboard.models().at(2)->rowCount(), 1);
        QCOMPARE(dashboard.models().at(3)->rowCount(), 0);

        dashboard.resize(600, 400);
        dashboard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            dashboard.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + u"/dashboard.png"_s);
        QSignalSpy activated(&dashboard, &DashboardPanel::vmActivated);
        QTableView *view = dashboard.views().first();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(view->model()->index(0, 0)).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().value<VmKey>(), (VmKey{Host, Uuid}));

        // The host and value columns fit their texts, and follow a wider value at a later tick.
        const auto fits = [view](int column) {
            const QString text = view->model()->index(0, column).data().toString();
            return !text.isEmpty() && view->horizontalHeader()->sectionSize(column) > view->fontMetrics().horizontalAdvance(text);
        };
        QVERIFY(fits(TopVmsModel::HostColumn));
        QVERIFY(fits(TopVmsModel::ValueColumn));
        const int narrow = view->horizontalHeader()->sectionSize(TopVmsModel::ValueColumn);
        store.appendTick(tick(QDateTime::currentMSecsSinceEpoch() + 1000, 100));
        QTRY_COMPARE(view->model()->index(0, TopVmsModel::ValueColumn).data().toString(), u"100%"_s);
        QVERIFY(fits(TopVmsModel::ValueColumn));
        QVERIFY(view->horizontalHeader()->sectionSize(TopVmsModel::ValueColumn) >= narrow);
    }
};

QTEST_MAIN(TestMetricsChart)
#include "tst_metricschart.moc"
