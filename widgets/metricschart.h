#pragma once

#include "inventory/vminfo.h"
#include "metrics/metric.h"

#include <QTimer>
#include <QWidget>

class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;

namespace Vigie {

class MetricsStore;

// One live chart of a VM's or a host's series (QCustomPlot): a time window ending now, lines in
// units scaled to the values (KiB/s to GiB/s), an optional right axis (operations, packets), a
// legend and a crosshair reading every line's value under the mouse. It pulls from the store when
// a tick of its host arrives, and only while visible: hidden charts just remember they are out of
// date. Replots are coalesced on a timer.
class MetricsChart : public QWidget
{
    Q_OBJECT

public:
    explicit MetricsChart(MetricsStore *store, QWidget *parent = nullptr);
    ~MetricsChart() override;

    void setTitle(const QString &title);
    // Lines of a VM: `left` on the left axis, `right` (another unit) dashed on the right one.
    void showVm(const VmKey &key, const QList<VmMetric> &left, const QList<VmMetric> &right = {});
    void showHost(const QString &uri, const QList<HostMetric> &left);
    void showNothing();
    // Short legend names for the lines, in the order given to showVm/showHost (default: the
    // metrics' display names).
    void setLineNames(const QStringList &names);
    // The time window, ending now: 60, 600 or 3600 s typically.
    void setWindowSeconds(int seconds);
    [[nodiscard]] int windowSeconds() const { return m_windowS; }

    // Exports what the chart shows; false with *error set when the file cannot be written.
    bool exportPng(const QString &path, QString *error = nullptr);
    bool exportPdf(const QString &path, QString *error = nullptr);
    // One row per sample of the window: ISO time, then every line's value in its base unit.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

    // Pulls from the store and replots now (tests, benchmarks, export).
    void updateNow();
    [[nodiscard]] QCustomPlot *plot() const { return m_plot; }
    [[nodiscard]] bool isOutOfDate() const { return m_outOfDate; }
    [[nodiscard]] int replotCount() const { return m_replots; }
    // The crosshair's text at a time (seconds since the epoch), as the mouse would show it.
    [[nodiscard]] QString valuesAt(double key) const;

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
        QString suffix; // the unit the graph's values are scaled to
    };

    void exportInteractively(const QString &format);
    void setLines(const QList<int> &left, const QList<int> &right);
    void samplesAppended(const QStringList &hostUris);
    void scheduleUpdate();
    void recalc();
    void applyPalette();
    void moveCrosshair(double key);
    [[nodiscard]] QString subjectHost() const;
    [[nodiscard]] MetricUnit unitOf(int metric) const;
    [[nodiscard]] QString nameOf(int metric) const;
    [[nodiscard]] QString keywordOf(int metric) const;

    MetricsStore *m_store;
    QCustomPlot *m_plot;
    QCPTextElement *m_title;
    QCPItemStraightLine *m_crosshair;
    QCPItemText *m_crosshairText;
    QString m_titleText;
    VmKey m_vm;
    QString m_host; // set for a host chart
    QList<Line> m_lines;
    int m_windowS = 600;
    bool m_outOfDate = false;
    int m_replots = 0;
    QTimer m_replotTimer;
};

} // namespace Vigie
