#pragma once

#include "inventory/vminfo.h"
#include "metrics/historyrow.h"
#include "metrics/metric.h"
#include "metrics/metricseries.h"

#include <QElapsedTimer>
#include <QFont>
#include <QLocale>
#include <QTimer>
#include <QWidget>

class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;

namespace Vigie {

class MetricsHistory;
class MetricsStore;

// One live chart of a VM's or a host's series (QCustomPlot): a time window ending now, lines in
// units scaled to the values (KiB/s to GiB/s), an optional right axis (operations, packets), a
// legend and a crosshair reading every line's value under the mouse. It pulls from the store when
// a tick of its host arrives, and only while visible: hidden charts just remember they are out of
// date. Replots are coalesced on a timer.
//
// Windows longer than the live hour read the persistent history (MetricsHistory) in the tier
// that fits the window (historyTierForRange): the query runs on the history's thread and its
// answer arrives by a queued signal, so the chart never waits for the disk; until then it keeps
// what it showed. Such a window plots each bucket's average, its maximum as a faint line above,
// and the live samples after the last stored bucket. The series of a VM is its UUID's, across
// hosts.
//
// The mouse wheel zooms the time axis around the pointer and a drag pans it; the window then
// stays where it was put (a past window pins it) until it is dragged back to now, or a double
// click brings it back. The history is asked once the movement settles, so zooming and panning
// only replot what is already there.
class MetricsChart : public QWidget
{
    Q_OBJECT

public:
    explicit MetricsChart(MetricsStore *store, QWidget *parent = nullptr);
    ~MetricsChart() override;

    void setTitle(const QString &title);
    // Who the lines are about (a VM's or host's name): put in exports' titles and file names,
    // which leave the panel that names it on screen.
    void setSubject(const QString &name) { m_subject = name; }
    // "CPU — web-front-01 — 6 Dec 2026 01:30 – 02:30": the title exports carry.
    [[nodiscard]] QString exportTitle() const;
    // Lines of a VM: `left` on the left axis, `right` (another unit) dashed on the right one.
    void showVm(const VmKey &key, const QList<VmMetric> &left, const QList<VmMetric> &right = {});
    void showHost(const QString &uri, const QList<HostMetric> &left);
    void showNothing();
    // The stored history for windows over an hour; without it they show the live hour only.
    void setHistory(MetricsHistory *history);
    // Short legend names for the lines, in the order given to showVm/showHost (default: the
    // metrics' display names).
    void setLineNames(const QStringList &names);
    // The time window, ending now: 60, 600, 3600 s (live), 24 h, 7 d, 30 d or a year (history).
    void setWindowSeconds(int seconds);
    [[nodiscard]] int windowSeconds() const { return m_windowS; }
    // A window that does not follow now: FROM to TO (ms since the epoch; at least 30 s, at most
    // two years, never past now). A TO within a second of now follows now again.
    void setRange(qint64 fromMs, qint64 toMs);
    // The window's end: now (following), or where it was pinned.
    [[nodiscard]] bool isPinned() const { return m_endMs != 0; }
    [[nodiscard]] qint64 windowEndMs() const;
    [[nodiscard]] qint64 windowStartMs() const { return windowEndMs() - qint64(m_windowS) * 1000; }

    // Exports what the chart shows; false with *error set when the file cannot be written.
    bool exportPng(const QString &path, QString *error = nullptr);
    bool exportPdf(const QString &path, QString *error = nullptr);
    // One row per sample of the window: ISO time, then every line's value in its base unit.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

    // Pulls from the store and replots now (tests, benchmarks, export).
    void updateNow();
    // Asks the history again for the window (its answer: historyShown()), then replots.
    void refreshHistory();
    [[nodiscard]] QCustomPlot *plot() const { return m_plot; }
    [[nodiscard]] bool isOutOfDate() const { return m_outOfDate; }
    [[nodiscard]] int replotCount() const { return m_replots; }
    // A replot is scheduled (the coalescing timer runs).
    [[nodiscard]] bool replotPending() const { return m_replotTimer.isActive(); }
    // In how many milliseconds the pending replot comes, or -1.
    [[nodiscard]] int replotDueMs() const { return m_replotTimer.isActive() ? m_replotTimer.remainingTime() : -1; }
    // The crosshair's text at a time (seconds since the epoch), as the mouse would show it.
    [[nodiscard]] QString valuesAt(double key) const;
    // What the chart reads for its window, and whether it waits for the history's answer.
    [[nodiscard]] HistoryTier tier() const;
    [[nodiscard]] bool isWaitingForHistory() const { return m_pendingRequest != 0; }
    [[nodiscard]] const HistorySeries &historySeries() const { return m_history; }

Q_SIGNALS:
    // The history's answer for the current window arrived and is plotted.
    void historyShown();
    // The operator zoomed or panned the time axis (the window is now FROM to TO, pinned or not).
    void rangeChangedByUser(qint64 fromMs, qint64 toMs);
    // A double click: back to the window ending now.
    void followNowRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Line
    {
        int metric = 0;
        bool right = false;
        QCPGraph *graph = nullptr;
        QCPGraph *maxGraph = nullptr; // the buckets' maxima, for windows read from the history
        QString suffix; // the unit the graph's values are scaled to
    };

    void exportInteractively(const QString &format);
    void userMovedRange();
    void setLines(const QList<int> &left, const QList<int> &right);
    void samplesAppended(const QStringList &hostUris);
    void seriesReady(quint64 requestId, const HistorySeries &series);
    void requestHistory();
    [[nodiscard]] HistoryKey historyKey() const;
    [[nodiscard]] MetricSeries liveSeries(int metric, qint64 fromMs, qint64 toMs) const;
    // Redraws within DELAY_MS (sooner if already asked for sooner; within DELAY_MS + CoalesceMs
    // if already asked for then).
    void scheduleUpdate(int delayMs = CoalesceMs);
    // When new samples are next drawn, PIXEL_MS being the time of one pixel of the axis.
    [[nodiscard]] qint64 replotDelayMs(qint64 pixelMs) const;
    void recalc();
    void applyPalette();
    void moveCrosshair(double key);
    void fitToWidth();
    void checkTickSpacing();
    // Fits the time ticks to an axis this wide (pixels); true if their spacing changed.
    bool setTickSpacing(int axisWidth);
    [[nodiscard]] QString toolTipAt(const QPoint &pos) const;
    [[nodiscard]] QString subjectHost() const;
    [[nodiscard]] MetricUnit unitOf(int metric) const;
    [[nodiscard]] QString nameOf(int metric) const;
    [[nodiscard]] QString keywordOf(int metric) const;

    MetricsStore *m_store;
    MetricsHistory *m_historySource = nullptr;
    HistorySeries m_history; // the last answer for this subject and tier
    quint64 m_pendingRequest = 0;
    bool m_historyStale = true; // minutes were written since m_history was asked for
    QList<MetricSeries> m_shown; // each line's values as plotted, in base units (CSV export)
    QCustomPlot *m_plot;
    QCPTextElement *m_title;
    QCPItemStraightLine *m_crosshair;
    QCPItemText *m_crosshairText;
    QString m_titleText;
    QString m_fullTitle; // the title line as it would read with room enough (m_title elides it)
    int m_layoutViewportWidth = 0; // the plot's width at its last layout
    bool m_refitting = false;      // a replot is queued because the ticks did not fit the layout
    QString m_labelFormat; // the time labels' format, font and locale m_labelPitch was measured for
    QFont m_labelFont;
    QLocale m_labelLocale;
    int m_labelPitch = 0; // the widest time label and a gap, in pixels
    QString m_subject;
    VmKey m_vm;
    QString m_host; // set for a host chart
    QList<Line> m_lines;
    int m_windowS = 600;
    qint64 m_endMs = 0;          // 0: the window ends now
    bool m_settingRange = false; // recalc moves the axis: not the operator
    QTimer m_settleTimer;        // the history is asked once zooming and panning pause
    bool m_outOfDate = false;
    int m_replots = 0;
    // A tick of every host arrives within the same second: one replot for all of them.
    static constexpr int CoalesceMs = 50;
    // The longest new samples wait to be drawn on a window whose pixel is longer than a tick.
    static constexpr int MaxLagMs = 5000;
    QTimer m_replotTimer;
    int m_phase = 0; // this chart's number: its replots' phase, in seconds (replotDelayMs)
};

} // namespace Vigie
