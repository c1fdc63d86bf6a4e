#include "networkmismatchmodel.h"

#include "network/isolationaudit.h"
#include "network/networkcorrelation.h"

namespace Vigie {

NetworkMismatchModel::NetworkMismatchModel(NetworkCorrelation *correlation, QObject *parent)
    : QAbstractTableModel(parent)
{
    for (const NetworkMismatch &mismatch : correlation->mismatches())
        add(mismatch);
    connect(correlation, &NetworkCorrelation::mismatchAdded, this, &NetworkMismatchModel::add);
    connect(correlation, &NetworkCorrelation::mismatchChanged, this, &NetworkMismatchModel::change);
    connect(correlation, &NetworkCorrelation::mismatchRemoved, this, &NetworkMismatchModel::remove);
}

void NetworkMismatchModel::watch(IsolationAudit *audit)
{
    for (const NetworkMismatch &mismatch : audit->mismatches())
        add(mismatch);
    connect(audit, &IsolationAudit::mismatchAdded, this, &NetworkMismatchModel::add);
    connect(audit, &IsolationAudit::mismatchChanged, this, &NetworkMismatchModel::change);
    connect(audit, &IsolationAudit::mismatchRemoved, this, &NetworkMismatchModel::remove);
}

void NetworkMismatchModel::add(const NetworkMismatch &mismatch)
{
    const QString key = mismatch.key();
    if (rowOf(key) >= 0)
        return change(mismatch);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(mismatch);
    m_keys.append(key);
    m_rowOf.insert(key, row);
    endInsertRows();
}

void NetworkMismatchModel::change(const NetworkMismatch &mismatch)
{
    const int row = rowOf(mismatch.key());
    if (row < 0)
        return add(mismatch);
    m_rows[row] = mismatch;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void NetworkMismatchModel::remove(const NetworkMismatch &mismatch)
{
    const int row = rowOf(mismatch.key());
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_rowOf.remove(m_keys.takeAt(row));
    for (int i = row; i < m_keys.size(); ++i)
        m_rowOf.insert(m_keys.at(i), i);
    endRemoveRows();
}

int NetworkMismatchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int NetworkMismatchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NetworkMismatchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const NetworkMismatch &m = m_rows.at(index.row());
    switch (role) {
    case KindRole: return int(m.kind);
    case Qt::ToolTipRole: return NetworkCorrelation::describe(m);
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn: return NetworkCorrelation::kindName(m.kind);
        case VmColumn: return m.vmName;
        case NicColumn: return m.mac.isEmpty() ? m.portName : m.portName.isEmpty() ? m.mac : tr("%1 / %2").arg(m.mac, m.portName);
        case SwitchColumn: return m.switchName;
        case DetailsColumn: return NetworkCorrelation::describe(m);
        default: return {};
        }
    default: return {};
    }
}

QVariant NetworkMismatchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KindColumn: return tr("Mismatch");
    case VmColumn: return tr("VM");
    case NicColumn: return tr("NIC / port");
    case SwitchColumn: return tr("Switch");
    case DetailsColumn: return tr("Details");
    default: return {};
    }
}

} // namespace Vigie
