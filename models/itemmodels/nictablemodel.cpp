#include "nictablemodel.h"

namespace Vigie {

NicTableModel::NicTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void NicTableModel::setNics(const QList<NicInfo> &nics, const QList<QList<int>> &vlans)
{
    if (nics == m_nics && vlans == m_vlans)
        return;
    if (nics.size() == m_nics.size()) {
        m_nics = nics;
        m_vlans = vlans;
        if (!m_nics.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_nics.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_nics = nics;
    m_vlans = vlans;
    endResetModel();
}

int NicTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_nics.size());
}

int NicTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NicTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const NicInfo &nic = m_nics.at(index.row());
    switch (index.column()) {
    case MacColumn: return role == Qt::ToolTipRole && !nic.model.isEmpty() ? tr("%1, model %2").arg(nic.mac, nic.model) : nic.mac;
    case NetworkColumn:
        if (role == Qt::ToolTipRole)
            return tr("%1 %2").arg(nic.sourceType, nic.source);
        return nic.source.isEmpty() ? nic.sourceType : nic.source;
    case PortgroupColumn: return nic.portgroup;
    case VlanColumn: {
        QStringList tags;
        for (int tag : m_vlans.value(index.row()))
            tags.append(QString::number(tag));
        return tags.join(QStringLiteral(", "));
    }
    case InterfaceIdColumn: return nic.interfaceId;
    }
    return {};
}

QVariant NicTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MacColumn: return tr("MAC");
    case NetworkColumn: return tr("Network");
    case PortgroupColumn: return tr("Portgroup");
    case VlanColumn: return tr("VLAN");
    case InterfaceIdColumn: return tr("OVS interface ID");
    }
    return {};
}

} // namespace Vigie
