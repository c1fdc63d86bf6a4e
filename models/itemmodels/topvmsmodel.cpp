#include "topvmsmodel.h"

#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "metrics/metricformat.h"
#include "metrics/metricsstore.h"
#include "roles.h"

#include <cmath>

namespace Vigie {

TopVmsModel::TopVmsModel(Inventory *inventory, MetricsStore *store, const QList<VmMetric> &metrics, int n,
                         QObject *parent)
    : QAbstractTableModel(parent)
    , m_inventory(inventory)
    , m_store(store)
    , m_metrics(metrics)
    , m_n(std::max(n, 0))
{
    Q_ASSERT(!metrics.isEmpty());
    m_rankTimer.setSingleShot(true);
    const auto rankForTicks = [this] {
        m_sinceTicks.start();
        refresh();
    };
    connect(&m_rankTimer, &QTimer::timeout, this, rankForTicks);
    connect(store, &MetricsStore::samplesAppended, this, [this, rankForTicks] {
        if (m_rankTimer.isActive())
            return;
        const qint64 since = m_sinceTicks.isValid() ? m_sinceTicks.elapsed() : RankEveryMs;
        if (since >= RankEveryMs)
            rankForTicks();
        else
            m_rankTimer.start(int(RankEveryMs - since));
    });
    // A VM leaving the inventory leaves the ranking now, not at the next tick.
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this](const VmKey &key) {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.at(row).first == key) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
                return;
            }
        }
    });
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.at(row).first == key)
                Q_EMIT dataChanged(index(row, NameColumn), index(row, HostColumn));
        }
    });
    refresh();
}

void TopVmsModel::setTenantScope(const TenantScope *scope)
{
    m_scope = scope;
    refresh();
}

void TopVmsModel::refresh()
{
    QList<std::pair<VmKey, double>> ranked;
    // A tenant's VMs may rank anywhere in the fleet: every VM is ranked then.
    const bool scoped = m_scope && m_scope->isScoped();
    // The store may still hold a VM the inventory just dropped: rank only what is listed.
    for (const auto &entry : m_store->top(m_metrics, scoped ? m_inventory->vmCount() + 8 : m_n + 8)) {
        if (m_inventory->hasVm(entry.first) && ranked.size() < m_n && (!scoped || m_scope->containsVm(entry.first)))
            ranked.append(entry);
    }
    const int common = int(std::min(ranked.size(), m_rows.size()));
    if (ranked.size() < m_rows.size()) {
        beginRemoveRows({}, common, int(m_rows.size()) - 1);
        m_rows.resize(common);
        endRemoveRows();
    }
    int firstChanged = -1;
    int lastChanged = -1;
    for (int row = 0; row < common; ++row) {
        if (m_rows.at(row) != ranked.at(row)) {
            m_rows[row] = ranked.at(row);
            if (firstChanged < 0)
                firstChanged = row;
            lastChanged = row;
        }
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (ranked.size() > m_rows.size()) {
        beginInsertRows({}, common, int(ranked.size()) - 1);
        m_rows.append(ranked.mid(common));
        endInsertRows();
    }
}

int TopVmsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopVmsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopVmsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &[key, value] = m_rows.at(index.row());
    const VmInfo *vm = m_inventory->findVm(key);
    const MetricUnit unit = metricUnit(m_metrics.first());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return vm ? vm->name : key.uuid;
        case HostColumn: return m_inventory->host(key.hostUri).displayName;
        case ValueColumn: return formatMetricValue(unit, value);
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines;
        for (VmMetric metric : m_metrics) {
            const std::optional<double> v = m_store->latestValue(key, metric);
            lines.append(tr("%1: %2").arg(metricDisplayName(metric), formatMetricValue(metricUnit(metric), v.value_or(NAN))));
        }
        return lines.join(u'\n');
    }
    case Qt::TextAlignmentRole:
        if (index.column() == ValueColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case SortRole: return index.column() == ValueColumn ? QVariant(value) : data(index, Qt::DisplayRole);
    case HostUriRole: return key.hostUri;
    case UuidRole: return key.uuid;
    case KindRole: return int(NodeKind::Vm);
    }
    return {};
}

QVariant TopVmsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return role == Qt::DisplayRole ? tr("VM") : QVariant();
    case HostColumn: return role == Qt::DisplayRole ? tr("Host") : QVariant();
    case ValueColumn: {
        QStringList names;
        for (VmMetric metric : m_metrics)
            names.append(metricDisplayName(metric));
        const QString full = names.join(QStringLiteral(" + "));
        return role == Qt::DisplayRole && !m_valueTitle.isEmpty() ? m_valueTitle : full;
    }
    }
    return {};
}

void TopVmsModel::setValueTitle(const QString &title)
{
    m_valueTitle = title;
    Q_EMIT headerDataChanged(Qt::Horizontal, ValueColumn, ValueColumn);
}

} // namespace Vigie
