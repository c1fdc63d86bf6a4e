#include "metricschart.h"

#include "customplot.h"
#include "displaytext.h"
#include "metrics/metricformat.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"

#include <QDateTime>
#include <QFileDialog>
#include <QHelpEvent>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSaveFile>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace Vigie {

namespace {

// Time ticks on the steps a clock reads (5 min, 10 min, 1 h...), not QCustomPlot's 2.5 min: the
// labels then fall on round times ("00:25 00:30", not "00:27 00:30 00:32"). Never closer than
// the minimum step the chart sets from its width, so that no two labels overlap.
class ClockTicker : public QCPAxisTickerDateTime
{
public:
    // The least time between two ticks: the widest label and a gap, at the axis' scale.
    void setMinimumStep(double seconds) { m_minimumStep = seconds; }
    [[nodiscard]] double minimumStep() const { return m_minimumStep; }

protected:
    double getTickStep(const QCPRange &range) override
    {
        static constexpr double Month = 86400 * 30.4375; // QCustomPlot's average month
        static constexpr double Steps[] = {
            1,         2,         5,         10,        15,        30,         60,        2 * 60,    5 * 60,
            10 * 60,   15 * 60,   30 * 60,   3600,      2 * 3600,  3 * 3600,   6 * 3600,  12 * 3600, 86400,
            2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400, Month,    2 * Month,  3 * Month, 6 * Month, 12 * Month};
        const double wanted = range.size() / std::max(1, tickCount());
        double step = 0;
        for (double candidate : Steps) {
            if (candidate >= m_minimumStep
                && (step == 0 || std::abs(std::log(candidate / wanted)) < std::abs(std::log(step / wanted))))
                step = candidate;
        }
        if (step == 0) // more than a year between labels: whole years
            step = std::ceil(m_minimumStep / (12 * Month)) * 12 * Month;
        // Ticks a day or more apart keep their time of day; a month or more, their day of month.
        mDateStrategy = step > Month - 1 ? dsUniformDayInMonth : step > 86400 - 1 ? dsUniformTimeInDay : dsNone;
        return step;
    }

private:
    double m_minimumStep = 0;
};

// Distinct on light and dark backgrounds, in the order lines are added.
const QColor LineColors[] = {QColor(0x2e, 0x7d, 0xd7), QColor(0xe4, 0x57, 0x2e), QColor(0x2e, 0x9d, 0x57),
                             QColor(0x9c, 0x4d, 0xcc), QColor(0x17, 0xa2, 0xb8), QColor(0xd4, 0x9a, 0x1a)};

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

// Upper end of an axis showing values up to maxValue: a little headroom, never a zero range.
double axisTop(MetricUnit unit, double maxValue)
{
    if (unit == MetricUnit::Percent)
        return maxValue > 100 ? maxValue * 1.1 : 100;
    return maxValue > 0 ? maxValue * 1.15 : 1;
}

// The time axis' labels for a window: seconds for the minute, days for the week, months beyond.
QString tickFormat(int windowS)
{
    if (windowS < 600)
        return QStringLiteral("HH:mm:ss");
    if (windowS <= 86400)
        return QStringLiteral("HH:mm");
    if (windowS <= 7 * 86400)
        return QStringLiteral("ddd d\nHH:mm");
    if (windowS <= 31 * 86400)
        return QStringLiteral("d MMM");
    return QStringLiteral("MMM yyyy");
}

} // namespace

MetricsChart::MetricsChart(MetricsStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(220, 150);

    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);

    auto ticker = QSharedPointer<ClockTicker>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setTickCount(3); // until the chart knows its width (fitToWidth)
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->ticker()->setTickCount(4);
    m_plot->yAxis2->ticker()->setTickCount(4);

    // The legend under the title, so it never hides a line: in one row, or as many as its names
    // need at the chart's width (fitToWidth).
    m_plot->legend->setVisible(true);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    m_plot->legend->setFont(legendFont);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(0);
    m_plot->legend->setColumnSpacing(8);
    m_plot->legend->setIconSize(14, 8);
    m_plot->legend->setMargins(QMargins(2, 0, 2, 0));
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->insertRow(1);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->plotLayout()->setRowSpacing(0);

    m_crosshair = new QCPItemStraightLine(m_plot);
    m_crosshair->setVisible(false);
    m_crosshairText = new QCPItemText(m_plot);
    m_crosshairText->setVisible(false);
    m_crosshairText->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_crosshairText->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_crosshairText->setTextAlignment(Qt::AlignLeft);
    m_crosshairText->setPadding(QMargins(4, 2, 4, 2));
    m_crosshairText->setFont(legendFont);
    m_crosshairText->setClipToAxisRect(false);

    // Zoom (wheel) and pan (drag) along time only; the values' axes keep fitting the data.
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeDragAxes(m_plot->xAxis, nullptr);
    m_plot->axisRect()->setRangeZoomAxes(m_plot->xAxis, nullptr);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &MetricsChart::userMovedRange);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &MetricsChart::followNowRequested);
    m_settleTimer.setSingleShot(true);
    m_settleTimer.setInterval(150);
    connect(&m_settleTimer, &QTimer::timeout, this, &MetricsChart::updateNow);

    // What depends on the width (legend rows, tick spacing, the title's eliding) is fitted before
    // each replot, and checked once the layout is known.
    connect(m_plot, &QCustomPlot::beforeReplot, this, &MetricsChart::fitToWidth);
    connect(m_plot, &QCustomPlot::afterLayout, this, &MetricsChart::checkTickSpacing);

    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        moveCrosshair(m_plot->xAxis->pixelToCoord(event->position().x()));
    });

    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(tr("Export as PNG…"), this, [this] { exportInteractively(QStringLiteral("png")); });
        menu.addAction(tr("Export as PDF…"), this, [this] { exportInteractively(QStringLiteral("pdf")); });
        menu.addAction(tr("Export data as CSV…"), this, [this] { exportInteractively(QStringLiteral("csv")); });
        menu.exec(m_plot->mapToGlobal(pos));
    });

    static int charts = 0;
    m_phase = charts++;
    m_replotTimer.setSingleShot(true);
    connect(&m_replotTimer, &QTimer::timeout, this, &MetricsChart::updateNow);
    connect(store, &MetricsStore::samplesAppended, this, &MetricsChart::samplesAppended);
    applyPalette();
}

MetricsChart::~MetricsChart() = default;

void MetricsChart::setTitle(const QString &title)
{
    m_titleText = title;
    scheduleUpdate();
}

void MetricsChart::showVm(const VmKey &key, const QList<VmMetric> &left, const QList<VmMetric> &right)
{
    m_vm = key;
    m_host.clear();
    QList<int> l, r;
    for (VmMetric m : left)
        l.append(int(m));
    for (VmMetric m : right)
        r.append(int(m));
    setLines(l, r);
}

void MetricsChart::showHost(const QString &uri, const QList<HostMetric> &left)
{
    m_vm = {};
    m_host = uri;
    QList<int> l;
    for (HostMetric m : left)
        l.append(int(m));
    setLines(l, {});
}

void MetricsChart::showNothing()
{
    m_vm = {};
    m_host.clear();
    setLines({}, {});
}

void MetricsChart::setLineNames(const QStringList &names)
{
    for (qsizetype i = 0; i < m_lines.size() && i < names.size(); ++i)
        m_lines[i].graph->setName(names.at(i));
    scheduleUpdate();
}

void MetricsChart::setWindowSeconds(int seconds)
{
    const HistoryTier before = tier();
    m_windowS = std::max(seconds, 10);
    m_endMs = 0;
    m_pendingRequest = 0;
    m_historyStale = true;
    if (tier() != before)
        m_history = {};
    scheduleUpdate();
}

qint64 MetricsChart::windowEndMs() const
{
    return m_endMs != 0 ? m_endMs : QDateTime::currentMSecsSinceEpoch();
}

void MetricsChart::setRange(qint64 fromMs, qint64 toMs)
{
    constexpr qint64 MinMs = 30'000;
    constexpr qint64 MaxMs = 2 * 366 * 86'400'000LL;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    toMs = std::min(toMs, now);
    const qint64 span = std::clamp(toMs - fromMs, MinMs, MaxMs);
    const HistoryTier before = tier();
    m_windowS = int(span / 1000);
    m_endMs = toMs >= now - 1000 ? 0 : toMs;
    m_pendingRequest = 0;
    m_historyStale = true;
    if (tier() != before)
        m_history = {};
    // Moved now (another chart's zoom is followed as it happens), filled once it settles.
    m_settingRange = true;
    m_plot->xAxis->setRange(double(windowStartMs()) / 1000.0, double(windowEndMs()) / 1000.0);
    m_settingRange = false;
    m_outOfDate = true;
    if (isVisible())
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    m_settleTimer.start();
}

void MetricsChart::userMovedRange()
{
    if (m_settingRange)
        return;
    const QCPRange range = m_plot->xAxis->range();
    const qint64 fromMs = qint64(range.lower * 1000);
    const qint64 toMs = qint64(range.upper * 1000);
    // Kept as the operator left it, within bounds; the history follows once the wheel or the
    // drag pauses, the plot meanwhile shows what it has.
    const HistoryTier before = tier();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_windowS = int(std::clamp<qint64>(toMs - fromMs, 30'000, 2 * 366 * 86'400'000LL) / 1000);
    m_endMs = toMs >= now - 1000 ? 0 : toMs;
    if (tier() != before)
        m_history = {};
    m_pendingRequest = 0;
    m_historyStale = true;
    m_outOfDate = true;
    m_settleTimer.start();
    Q_EMIT rangeChangedByUser(windowStartMs(), windowEndMs());
}

void MetricsChart::setHistory(MetricsHistory *history)
{
    if (m_historySource)
        disconnect(m_historySource, nullptr, this, nullptr);
    m_historySource = history;
    m_pendingRequest = 0;
    m_historyStale = true;
    if (history) {
        connect(history, &MetricsHistory::seriesReady, this, &MetricsChart::seriesReady);
        connect(history, &MetricsHistory::minutesWritten, this, [this] {
            m_historyStale = true;
            if (tier() != HistoryTier::Live)
                scheduleUpdate();
        });
        connect(history, &MetricsHistory::demoSeeded, this, [this] {
            m_historyStale = true;
            scheduleUpdate();
        });
        connect(history, &MetricsHistory::opened, this, [this] {
            m_historyStale = true;
            scheduleUpdate();
        });
    }
    scheduleUpdate();
}

HistoryTier MetricsChart::tier() const
{
    HistoryTier tier = historyTierForRange(qint64(m_windowS) * 1000);
    // A past window reads the tier that still holds its start.
    const qint64 age = QDateTime::currentMSecsSinceEpoch() - windowStartMs();
    if (tier == HistoryTier::Live && age > historyRetentionMs(HistoryTier::Live))
        tier = HistoryTier::Minute;
    if (tier == HistoryTier::Minute && age > historyRetentionMs(HistoryTier::Minute))
        tier = HistoryTier::Hour;
    return tier;
}

HistoryKey MetricsChart::historyKey() const
{
    if (!m_host.isEmpty())
        return {HistorySubject::Host, m_host};
    return {HistorySubject::Vm, m_vm.uuid};
}

void MetricsChart::requestHistory()
{
    m_pendingRequest = m_historySource->request(historyKey(), tier(), windowStartMs(), windowEndMs());
    m_historyStale = false;
}

void MetricsChart::seriesReady(quint64 requestId, const HistorySeries &series)
{
    if (requestId != m_pendingRequest)
        return; // asked for another subject or window since
    m_pendingRequest = 0;
    m_history = series;
    updateNow();
    Q_EMIT historyShown();
}

void MetricsChart::setLines(const QList<int> &left, const QList<int> &right)
{
    m_plot->clearGraphs();
    m_lines.clear();
    m_history = {};
    m_pendingRequest = 0;
    m_historyStale = true;
    int colour = 0;
    const auto add = [&](int metric, bool onRight) {
        Line line;
        line.metric = metric;
        line.right = onRight;
        line.graph = m_plot->addGraph(m_plot->xAxis, onRight ? m_plot->yAxis2 : m_plot->yAxis);
        // Width 1: a wider pen strokes an hour of points some 40 times slower (tests/bench/bench_plots).
        QPen pen(LineColors[colour++ % std::size(LineColors)], 1);
        if (onRight)
            pen.setStyle(Qt::DashLine);
        line.graph->setPen(pen);
        line.graph->setName(nameOf(metric));
        // 3600 points on a 400-pixel chart: QCustomPlot keeps each pixel column's extremes.
        line.graph->setAdaptiveSampling(true);
        m_lines.append(line);
    };
    for (int metric : left)
        add(metric, false);
    for (int metric : right)
        add(metric, true);
    m_plot->yAxis2->setVisible(!right.isEmpty());
    m_crosshair->setVisible(false);
    m_crosshairText->setVisible(false);
    scheduleUpdate();
}

void MetricsChart::samplesAppended(const QStringList &hostUris)
{
    // A VM's series follows it across hosts: the host it is on now is the one to watch.
    if (!hostUris.contains(subjectHost()))
        return;
    // A second moves a long window by a fraction of a pixel, which nobody sees: the chart is
    // drawn again once time has moved by one of its pixels (ten minutes on 800 pixels: every
    // tick; on 200: every 3 s), the newest samples then in the rightmost column, and never more
    // than MaxLagMs after they came.
    const int axisWidth = std::max(m_plot->axisRect()->width(), 1);
    const qint64 pixelMs = std::min<qint64>(qint64(m_windowS) * 1000 / axisWidth, MaxLagMs);
    scheduleUpdate(int(replotDelayMs(pixelMs)));
}

qint64 MetricsChart::replotDelayMs(qint64 pixelMs) const
{
    // Charts of the same window and width would all be drawn in the same second, every pixel's
    // time (four charts of an hour: 3 ms each, together every 5 s). Each chart draws at the
    // times of a phase of its own instead, a second after the previous chart's: the first of the
    // times phase + k x pixelMs (on a clock all charts share) still ahead. Drawn at one of them,
    // a chart is drawn next a pixel later; after a replot of the operator's (zoom, title), the
    // next one may come sooner, once.
    static const QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    pixelMs = std::max<qint64>(pixelMs, 1);
    const qint64 earliest = clock.elapsed() + CoalesceMs;
    const qint64 phase = (qint64(m_phase) * 1000) % pixelMs;
    const qint64 k = (earliest - phase + pixelMs - 1) / pixelMs; // earliest - phase > -pixelMs: never negative
    return phase + k * pixelMs - (earliest - CoalesceMs);
}

void MetricsChart::scheduleUpdate(int delayMs)
{
    m_outOfDate = true;
    // A replot already due within a coalescing period of that is soon enough (a coarse timer
    // reports a few milliseconds more than it was given).
    if (isVisible() && (!m_replotTimer.isActive() || m_replotTimer.remainingTime() > delayMs + CoalesceMs))
        m_replotTimer.start(delayMs);
}

void MetricsChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_outOfDate)
        m_replotTimer.start(CoalesceMs);
}

void MetricsChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

bool MetricsChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, m_plot);
        return true;
    }
    if (watched == m_plot && event->type() == QEvent::Leave && m_crosshair->visible()) {
        m_crosshair->setVisible(false);
        m_crosshairText->setVisible(false);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    return QWidget::eventFilter(watched, event);
}

void MetricsChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor grid = pal.color(QPalette::Mid);
    m_plot->setBackground(pal.brush(QPalette::Base));
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2}) {
        axis->setBasePen(QPen(grid));
        axis->setTickPen(QPen(grid));
        axis->setSubTickPen(QPen(grid));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    }
    m_title->setTextColor(text);
    QColor legendBackground = pal.color(QPalette::Base);
    legendBackground.setAlpha(200);
    m_plot->legend->setBrush(legendBackground);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setTextColor(text);
    m_crosshair->setPen(QPen(text, 0, Qt::DashLine));
    m_crosshairText->setColor(text);
    m_crosshairText->setBrush(legendBackground);
    scheduleUpdate();
}

QString MetricsChart::subjectHost() const
{
    if (!m_host.isEmpty())
        return m_host;
    const QString current = m_store->hostOf(m_vm.uuid);
    return current.isEmpty() ? m_vm.hostUri : current;
}

MetricSeries MetricsChart::liveSeries(int metric, qint64 fromMs, qint64 toMs) const
{
    return m_host.isEmpty() ? m_store->series(m_vm, VmMetric(metric), fromMs, toMs)
                            : m_store->hostSeries(m_host, HostMetric(metric), fromMs, toMs);
}

MetricUnit MetricsChart::unitOf(int metric) const
{
    return m_host.isEmpty() ? metricUnit(VmMetric(metric)) : metricUnit(HostMetric(metric));
}

QString MetricsChart::nameOf(int metric) const
{
    return m_host.isEmpty() ? metricDisplayName(VmMetric(metric)) : metricDisplayName(HostMetric(metric));
}

QString MetricsChart::keywordOf(int metric) const
{
    return m_host.isEmpty() ? metricName(VmMetric(metric)) : metricName(HostMetric(metric));
}

void MetricsChart::updateNow()
{
    m_replotTimer.stop();
    recalc();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    ++m_replots;
    m_outOfDate = false;
}

void MetricsChart::refreshHistory()
{
    m_historyStale = true;
    m_pendingRequest = 0;
    updateNow();
}

void MetricsChart::recalc()
{
    const double now = m_endMs != 0 ? double(m_endMs) / 1000.0 : nowSeconds();
    const double from = now - m_windowS;
    const qint64 fromMs = qint64(from * 1000);
    const qint64 toMs = qint64(now * 1000) + 1000;
    m_settingRange = true;
    m_plot->xAxis->setRange(from, now);
    m_settingRange = false;
    auto *ticker = static_cast<QCPAxisTickerDateTime *>(m_plot->xAxis->ticker().data());
    ticker->setDateTimeFormat(tickFormat(m_windowS));

    const bool fromHistory = tier() != HistoryTier::Live && !m_lines.isEmpty() && historyKey().isValid();
    if (fromHistory && m_historySource && m_historySource->isOpen() && m_historyStale && m_pendingRequest == 0
        && !m_settleTimer.isActive())
        requestHistory();
    const bool haveHistory = fromHistory && m_history.key == historyKey() && m_history.tier == tier();

    QString title = m_titleText;
    if (m_vm.isValid()) {
        if (const std::optional<qint64> stale = m_store->staleSince(m_vm, QDateTime::currentMSecsSinceEpoch()))
            title = tr("%1 — no figures since %2")
                        .arg(title, QLocale().toString(QDateTime::fromMSecsSinceEpoch(*stale).time(), QLocale::ShortFormat));
    }
    m_fullTitle = title;
    m_title->setText(title); // elided to the width before it is drawn (fitToWidth)

    // First every series, then one scale per axis from the largest value it will show.
    QList<MetricSeries> series, maxima;
    double maxLeft = 0, maxRight = 0;
    for (const Line &line : std::as_const(m_lines)) {
        MetricSeries s, top;
        qint64 liveFrom = fromMs;
        if (haveHistory && line.metric < m_history.avg.size()) {
            s.keys = m_history.keys;
            s.values = m_history.avg.at(line.metric);
            top.keys = m_history.keys;
            top.values = m_history.max.at(line.metric);
            // The live samples take over where the stored buckets end.
            liveFrom = std::max(fromMs, m_history.coveredUntilMs());
        }
        const MetricSeries live = liveSeries(line.metric, liveFrom, toMs);
        s.keys.append(live.keys);
        s.values.append(live.values);
        double &max = line.right ? maxRight : maxLeft;
        for (const MetricSeries *list : {&s, &top}) {
            for (double v : list->values) {
                if (!std::isnan(v))
                    max = std::max(max, v);
            }
        }
        series.append(std::move(s));
        maxima.append(std::move(top));
    }
    m_shown = series;
    MetricUnit leftUnit = MetricUnit::Percent, rightUnit = MetricUnit::PerSecond;
    for (const Line &line : std::as_const(m_lines))
        (line.right ? rightUnit : leftUnit) = unitOf(line.metric);
    const UnitScale leftScale = unitScale(leftUnit, maxLeft);
    const UnitScale rightScale = unitScale(rightUnit, maxRight);
    m_plot->yAxis->setLabel(leftScale.suffix);
    m_plot->yAxis->setRange(0, axisTop(leftUnit, maxLeft / leftScale.divisor));
    m_plot->yAxis2->setLabel(rightScale.suffix);
    m_plot->yAxis2->setRange(0, axisTop(rightUnit, maxRight / rightScale.divisor));

    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        Line &line = m_lines[i];
        const UnitScale &scale = line.right ? rightScale : leftScale;
        for (MetricSeries *s : {&series[i], &maxima[i]}) {
            for (double &v : s->values)
                v /= scale.divisor; // NaN stays NaN: a gap
        }
        line.suffix = scale.suffix;
        line.graph->setData(series[i].keys, series[i].values, true);
        // The maxima exist only while the window reads the history, after every line's own
        // graph (so graph(i) stays line i).
        if (haveHistory && !line.maxGraph) {
            line.maxGraph = m_plot->addGraph(m_plot->xAxis, line.right ? m_plot->yAxis2 : m_plot->yAxis);
            QColor faint = line.graph->pen().color();
            faint.setAlpha(90);
            line.maxGraph->setPen(QPen(faint, 1, line.graph->pen().style()));
            line.maxGraph->setAdaptiveSampling(true);
            line.maxGraph->removeFromLegend();
        } else if (!haveHistory && line.maxGraph) {
            m_plot->removeGraph(line.maxGraph);
            line.maxGraph = nullptr;
        }
        if (line.maxGraph)
            line.maxGraph->setData(maxima[i].keys, maxima[i].values, true);
    }
    if (m_crosshair->visible())
        moveCrosshair(m_crosshair->point1->key());
}

void MetricsChart::fitToWidth()
{
    const int width = m_plot->viewport().width();
    if (width <= 0)
        return;

    // The title, elided; the whole of it in the tooltip.
    const QFontMetrics titleMetrics(m_title->font());
    m_title->setText(titleMetrics.elidedText(m_fullTitle, Qt::ElideRight, width - 8));

    // The legend: as many columns as fit, each as wide as its widest name (one row if they all
    // fit, else two or more), so that no name is cut.
    QCPLegend *legend = m_plot->legend;
    QList<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i) {
        // Once wrapped, the grid has empty cells too.
        if (const QCPAbstractLegendItem *item = legend->item(i))
            widths.append(item->minimumOuterSizeHint().width());
    }
    const int count = int(widths.size());
    if (count > 0) {
        int columns = count;
        for (; columns > 1; --columns) {
            int total = legend->margins().left() + legend->margins().right() + legend->columnSpacing() * (columns - 1);
            for (int column = 0; column < columns; ++column) {
                int widest = 0;
                for (int i = column; i < count; i += columns)
                    widest = std::max(widest, widths.at(i));
                total += widest;
            }
            if (total <= width)
                break;
        }
        // As few rows as that, evenly filled: read and write above their operations, not three
        // names and one.
        const int rows = (count + columns - 1) / columns;
        columns = (count + rows - 1) / rows;
        if (legend->wrap() != columns || legend->columnCount() != columns) {
            legend->setWrap(columns);
            legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        }
    }

    // The time axis' width as the next layout will make it: the plot's, less the margins (axis
    // labels and ticks) of the last layout; three quarters of it before any layout.
    const QCPAxisRect *rect = m_plot->axisRect();
    const int margins = m_layoutViewportWidth > 0 ? m_layoutViewportWidth - rect->width() : width / 4;
    setTickSpacing(width - margins);
}

void MetricsChart::checkTickSpacing()
{
    m_layoutViewportWidth = m_plot->viewport().width();
    // The axis is not as wide as foreseen (the first layout, or the margins changed with the
    // values' labels): the ticks are fitted to it and the plot drawn again, once.
    if (setTickSpacing(m_plot->axisRect()->width()) && !m_refitting) {
        m_refitting = true;
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    } else {
        m_refitting = false;
    }
}

bool MetricsChart::setTickSpacing(int axisWidth)
{
    if (axisWidth <= 0)
        return false;
    auto *ticker = static_cast<ClockTicker *>(m_plot->xAxis->ticker().data());
    const QString format = ticker->dateTimeFormat();
    const QFont font = m_plot->xAxis->tickLabelFont();
    const QLocale locale = m_plot->locale();
    if (format != m_labelFormat || font != m_labelFont || locale != m_labelLocale) {
        // The widest label the format can give: every month, every day of the week, late hours.
        const QFontMetrics metrics(font);
        int widest = 0;
        for (int month = 1; month <= 12; ++month) {
            for (int day = 22; day <= 28; ++day) {
                const QDateTime sample(QDate(2026, month, day), QTime(23, 58, 58));
                for (const QString &line : locale.toString(sample, format).split(u'\n'))
                    widest = std::max(widest, metrics.horizontalAdvance(line));
            }
        }
        m_labelFormat = format;
        m_labelFont = font;
        m_labelLocale = locale;
        // A gap of a digit and a little more between two labels.
        m_labelPitch = widest + metrics.horizontalAdvance(QLatin1Char('0')) + 4;
    }
    const double range = m_plot->xAxis->range().size();
    const double minimumStep = m_labelPitch * range / axisWidth;
    // About one label in every two label widths: room to read, and more ticks on wider charts.
    ticker->setTickCount(std::clamp(axisWidth / (2 * m_labelPitch), 2, 8));
    if (qFuzzyCompare(minimumStep, ticker->minimumStep()))
        return false;
    ticker->setMinimumStep(minimumStep);
    return true;
}

QString MetricsChart::toolTipAt(const QPoint &pos) const
{
    if (m_title->outerRect().contains(pos))
        return m_title->text() != m_fullTitle ? DisplayText::toolTip(m_fullTitle) : QString();
    QCPLegend *legend = m_plot->legend;
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i));
        if (!item || !item->outerRect().contains(pos))
            continue;
        for (const Line &line : m_lines) {
            if (line.graph != item->plottable())
                continue;
            //: Tooltip of a chart's legend: the line's full name, for lines on the right-hand axis
            return line.right ? tr("%1 (dashed, right-hand axis)").arg(nameOf(line.metric)) : nameOf(line.metric);
        }
    }
    return {};
}

QString MetricsChart::valuesAt(double key) const
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(qint64(key * 1000));
    QStringList parts{m_windowS > 3600 ? QLocale().toString(time, QLocale::ShortFormat)
                                       : QLocale().toString(time.time(), QLocale::LongFormat)};
    for (const Line &line : m_lines) {
        const auto data = line.graph->data();
        auto it = data->findBegin(key, false);
        if (it == data->constEnd() && !data->isEmpty())
            --it;
        // The nearer of the samples around the key.
        if (it != data->constBegin() && it != data->constEnd() && std::abs((it - 1)->key - key) < std::abs(it->key - key))
            --it;
        QString value = QStringLiteral("–");
        const auto format = [&line](double v) {
            return QLocale().toString(v, 'f', v >= 100 ? 0 : v >= 10 ? 1 : 2) + QChar(0x202F) + line.suffix;
        };
        const double near = std::max(2.0, m_windowS / 300.0);
        if (it != data->constEnd() && std::abs(it->key - key) <= near && !std::isnan(it->value)) {
            value = format(it->value);
            // The bucket's maximum beside its average, where the history has one.
            if (line.maxGraph) {
                const auto maxima = line.maxGraph->data();
                const auto top = maxima->findBegin(it->key - 0.001, false);
                if (top != maxima->constEnd() && std::abs(top->key - it->key) < 0.5 && !std::isnan(top->value))
                    //: Crosshair of a long-range chart: a bucket's average, then its maximum
                    value = tr("%1 (max %2)").arg(value, format(top->value));
            }
        }
        parts.append(tr("%1: %2").arg(line.graph->name(), value));
    }
    return parts.join(u'\n');
}

void MetricsChart::moveCrosshair(double key)
{
    if (m_lines.isEmpty() || key < m_plot->xAxis->range().lower || key > m_plot->xAxis->range().upper) {
        m_crosshair->setVisible(false);
        m_crosshairText->setVisible(false);
    } else {
        m_crosshair->point1->setCoords(key, 0);
        m_crosshair->point2->setCoords(key, 1);
        m_crosshair->setVisible(true);
        m_crosshairText->setText(valuesAt(key));
        // On the side of the line with more room.
        const double ratio = (key - m_plot->xAxis->range().lower) / m_plot->xAxis->range().size();
        m_crosshairText->setPositionAlignment(Qt::AlignTop | (ratio > 0.5 ? Qt::AlignRight : Qt::AlignLeft));
        m_crosshairText->position->setCoords(ratio, 0.02);
        m_crosshairText->setVisible(true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsChart::exportInteractively(const QString &format)
{
    const QString filter = format == QLatin1String("png")   ? tr("PNG images (*.png)")
                           : format == QLatin1String("pdf") ? tr("PDF documents (*.pdf)")
                                                            : tr("CSV files (*.csv)");
    QString name = m_subject.isEmpty() ? m_titleText : m_subject + u'-' + m_titleText;
    name += QDateTime::currentDateTime().toString(QStringLiteral("-yyyy-MM-dd-HHmm"));
    name.replace(QRegularExpression(QStringLiteral("[^\\w.-]+")), QStringLiteral("-"));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), dir + u'/' + name + u'.' + format, filter);
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = format == QLatin1String("png")   ? exportPng(path, &error)
                    : format == QLatin1String("pdf") ? exportPdf(path, &error)
                                                     : exportCsv(path, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export chart"), error);
}

QString MetricsChart::exportTitle() const
{
    const QLocale locale;
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(windowEndMs());
    const QDateTime from = to.addSecs(-m_windowS);
    const QString period = from.date() == to.date()
                               ? tr("%1 %2 – %3")
                                     .arg(locale.toString(from.date(), QLocale::ShortFormat),
                                          locale.toString(from.time(), QLocale::ShortFormat),
                                          locale.toString(to.time(), QLocale::ShortFormat))
                               : tr("%1 – %2").arg(locale.toString(from, QLocale::ShortFormat),
                                                   locale.toString(to, QLocale::ShortFormat));
    return m_subject.isEmpty() ? tr("%1 — %2").arg(m_titleText, period)
                               : tr("%1 — %2 — %3").arg(m_titleText, m_subject, period);
}

// An exported picture is for a report: its title says what, who and when, and the mouse's
// crosshair (a moment the reader did not choose) is left out.
class ExportFrame
{
public:
    ExportFrame(QCPTextElement *title, const QString &text, QCPAbstractItem *crosshair, QCPAbstractItem *crosshairText)
        : m_title(title)
        , m_text(title->text())
        , m_items{crosshair, crosshairText}
    {
        for (QCPAbstractItem *item : m_items) {
            m_visible.append(item->visible());
            item->setVisible(false);
        }
        title->setText(text);
    }
    ~ExportFrame()
    {
        m_title->setText(m_text);
        for (qsizetype i = 0; i < m_items.size(); ++i)
            m_items.at(i)->setVisible(m_visible.at(i));
    }
    [[nodiscard]] QString title() const { return m_title->text(); }
    ExportFrame(const ExportFrame &) = delete;
    ExportFrame &operator=(const ExportFrame &) = delete;

private:
    QCPTextElement *m_title;
    QString m_text;
    QList<QCPAbstractItem *> m_items;
    QList<bool> m_visible;
};

bool MetricsChart::exportPng(const QString &path, QString *error)
{
    updateNow();
    const ExportFrame frame(m_title, exportTitle(), m_crosshair, m_crosshairText);
    // Twice the widget's resolution, so a slide stays sharp.
    if (m_plot->savePng(path, std::max(m_plot->width(), 640), std::max(m_plot->height(), 360), 2.0))
        return true;
    if (error)
        *error = tr("Cannot write %1").arg(path);
    return false;
}

bool MetricsChart::exportPdf(const QString &path, QString *error)
{
    updateNow();
    const ExportFrame frame(m_title, exportTitle(), m_crosshair, m_crosshairText);
    if (m_plot->savePdf(path, std::max(m_plot->width(), 640), std::max(m_plot->height(), 360), QCP::epNoCosmetic,
                        QStringLiteral("Vigie"), frame.title()))
        return true;
    if (error)
        *error = tr("Cannot write %1").arg(path);
    return false;
}

bool MetricsChart::exportCsv(const QString &path, QString *error) const
{
    QList<MetricSeries> series;
    if (tier() != HistoryTier::Live) {
        series = m_shown; // the stored buckets and the live tail, as plotted
    } else {
        const qint64 toMs = windowEndMs() + 1000;
        const qint64 fromMs = toMs - 1000 - qint64(m_windowS) * 1000;
        for (const Line &line : m_lines)
            series.append(liveSeries(line.metric, fromMs, toMs));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QTextStream out(&file);
    // Keywords and base units in the header, C locale numbers: the file is for spreadsheets and
    // scripts, whatever the console's language.
    out << "time";
    for (const Line &line : m_lines)
        out << ',' << keywordOf(line.metric);
    out << '\n';
    // Every series of one subject comes from the same samples: the same keys, row by row.
    const qsizetype rows = series.isEmpty() ? 0 : series.first().size();
    for (qsizetype row = 0; row < rows; ++row) {
        out << QDateTime::fromMSecsSinceEpoch(qint64(series.first().keys.at(row) * 1000), QTimeZone::UTC)
                   .toString(Qt::ISODateWithMs);
        for (const MetricSeries &s : std::as_const(series)) {
            out << ',';
            if (row < s.size() && !std::isnan(s.values.at(row)))
                out << QString::number(s.values.at(row), 'g', 10);
        }
        out << '\n';
    }
    out.flush();
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Vigie
