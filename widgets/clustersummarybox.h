#pragma once

#include "inventory/clustersummary.h"

#include <QTimer>
#include <QGroupBox>

class QLabel;

namespace Vigie {

class Inventory;
class TenantScope;

// The Dashboard's first column: the fleet at a glance, a line each (hosts answering, VMs
// running, vCPUs and memory given to running VMs against the connected hosts', active alarms).
// A column rather than a row: the bottom dock is wide and short, and the rankings beside it keep
// its whole height. Follows the inventory, recounted at most four times a second however many
// VMs change.
class ClusterSummaryBox : public QGroupBox
{
    Q_OBJECT

public:
    explicit ClusterSummaryBox(Inventory *inventory, QWidget *parent = nullptr);

    // Only the scope's tenant's VMs, and the hosts holding them.
    void setTenantScope(const TenantScope *scope);
    void setAlarmCounts(int active, int critical);

    [[nodiscard]] ClusterSummary summary() const { return m_summary; }
    // Recounts now (otherwise done on the timer after a change).
    void refresh();

Q_SIGNALS:
    void alarmsRequested();

private:
    struct Tile
    {
        QLabel *value;
        QLabel *detail;
    };
    Tile addTile(int row, const QString &objectName, const QString &caption, const QString &toolTip);
    void scheduleRefresh();
    void showAlarms();

    Inventory *m_inventory;
    const TenantScope *m_scope = nullptr;
    ClusterSummary m_summary;
    QTimer m_timer;
    Tile m_hosts;
    Tile m_vms;
    Tile m_cpu;
    Tile m_memory;
    Tile m_alarms;
    int m_activeAlarms = 0;
    int m_criticalAlarms = 0;
};

} // namespace Vigie
