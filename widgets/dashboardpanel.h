#pragma once

#include "inventory/vminfo.h"

#include <QWidget>

class QTableView;

namespace Vigie {

class ClusterSummaryBox;
class Inventory;
class MetricsStore;
class TenantScope;
class TopVmsModel;

// The fleet at a glance (a summary column), then the top VMs across every host by CPU, memory, disk
// and network, live. Clicking a VM selects it in the rest of the window.
class DashboardPanel : public QWidget
{
    Q_OBJECT

public:
    DashboardPanel(Inventory *inventory, MetricsStore *store, QWidget *parent = nullptr);

    [[nodiscard]] ClusterSummaryBox *summaryBox() const { return m_summary; }
    [[nodiscard]] QList<TopVmsModel *> models() const { return m_models; }
    [[nodiscard]] QList<QTableView *> views() const { return m_views; }
    // Ranks only the scope's tenant's VMs, following its changes.
    void setTenantScope(const TenantScope *scope);

Q_SIGNALS:
    void vmActivated(const Vigie::VmKey &key);

private:
    ClusterSummaryBox *m_summary;
    QList<TopVmsModel *> m_models;
    QList<QTableView *> m_views;
};

} // namespace Vigie
