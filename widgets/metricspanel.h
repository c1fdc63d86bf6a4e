#pragma once

#include "inventory/vminfo.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace Vigie {

class ElidedLabel;
class MetricsChart;
class MetricsHistory;
class MetricsStore;

// The charts of the selected VM (CPU, memory, disk, network) or host (CPU, memory), with the
// time window they share: 1 min, 10 min, 1 h from the live ring; 24 h, 7 d, 30 d, 1 y from the
// stored history (minute and hour tiers). The window is remembered.
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

private:
    void updateHint();

    MetricsStore *m_store;
    MetricsHistory *m_history = nullptr;
    VmKey m_vm;
    QString m_host;
    QString m_name;
    QComboBox *m_window;
    ElidedLabel *m_hint; // names the VM or host: plain, elided
    QList<MetricsChart *> m_charts; // CPU, memory, disk, network
};

} // namespace Vigie
