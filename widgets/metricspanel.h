#pragma once

#include "inventory/vminfo.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace Vigie {

class ElidedLabel;
class MetricsChart;
class MetricsHistory;
class MetricsStore;

// The charts of the selected VM (CPU, memory, disk, network) or host (CPU, memory), with the
// time window they share: 1 min, 10 min, 1 h from the live ring; 24 h, 7 d, 30 d, 1 y from the
// stored history (minute and hour tiers). The window is remembered. Zooming or panning one chart
// (wheel, drag) moves all of them, as does a custom range; *Now* (or a double click on a chart)
// brings back the chosen window ending now.
class MetricsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MetricsPanel(MetricsStore *store, QWidget *parent = nullptr);

    void showVm(const VmKey &key, const QString &name);
    void showHost(const QString &uri, const QString &name);
    void showNothing();
    void setWindowSeconds(int seconds);
    void setHistory(MetricsHistory *history);

    [[nodiscard]] QList<MetricsChart *> charts() const { return m_charts; }
    [[nodiscard]] int windowSeconds() const;
    // Every chart shows FROM to TO (ms since the epoch), pinned unless TO is now.
    void setRange(qint64 fromMs, qint64 toMs);
    // Back to the chosen window, ending now.
    void followNow();
    [[nodiscard]] bool isPinned() const;

private:
    void updateHint();
    void windowChosen();
    void chartMoved(MetricsChart *source, qint64 fromMs, qint64 toMs);
    void askCustomRange();
    void showCustomInCombo(bool shown);

    MetricsStore *m_store;
    MetricsHistory *m_history = nullptr;
    VmKey m_vm;
    QString m_host;
    QString m_name;
    QComboBox *m_window;
    QToolButton *m_now;
    int m_chosenSeconds = 600; // the last window chosen in the list
    ElidedLabel *m_hint; // names the VM or host: plain, elided
    QList<MetricsChart *> m_charts; // CPU, memory, disk, network
};

} // namespace Vigie
