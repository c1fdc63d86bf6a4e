#pragma once

#include "inventory/vminfo.h"
#include "metrics/metric.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

namespace Vigie {

class Inventory;
class MetricsStore;
class TenantScope;

// The dashboard's ranking: the n VMs, across every host, with the highest latest value of one
// series or of the sum of several (disk read + write). Rows are ranks; each tick rewrites the
// ranks whose VM or value changed and inserts or removes rows at the end only.
class TopVmsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, HostColumn, ValueColumn, ColumnCount };

    TopVmsModel(Inventory *inventory, MetricsStore *store, const QList<VmMetric> &metrics, int n,
                QObject *parent = nullptr);

    [[nodiscard]] QList<VmMetric> metrics() const { return m_metrics; }
    [[nodiscard]] VmKey keyAt(int row) const { return row >= 0 && row < m_rows.size() ? m_rows.at(row).first : VmKey{}; }
    // Re-ranks from the store, callable any time. The store's ticks re-rank at once, then at
    // most every RankEveryMs while they keep coming (a fleet's hosts tick all through the second).
    void refresh();
    static constexpr int RankEveryMs = 1000;
    // Ranks only the scope's tenant's VMs (nullptr: every VM); re-ranks at once.
    void setTenantScope(const TenantScope *scope);
    // A short title for the value column (the metrics' names stay its tooltip); empty: the
    // metrics' names.
    void setValueTitle(const QString &title);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Inventory *m_inventory;
    MetricsStore *m_store;
    QList<VmMetric> m_metrics;
    int m_n;
    QPointer<const TenantScope> m_scope;
    QString m_valueTitle;
    QList<std::pair<VmKey, double>> m_rows;
    QTimer m_rankTimer;         // a re-ranking the ticks asked for, held back
    QElapsedTimer m_sinceTicks; // since the ticks last re-ranked; invalid before
};

} // namespace Vigie
