#pragma once

#include "inventory/vminfo.h"

#include <QAbstractTableModel>

namespace Vigie {

// The NICs of one VM, for the details pane: MAC, network, portgroup, VLANs, OVS interface id.
class NicTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { MacColumn, NetworkColumn, PortgroupColumn, VlanColumn, InterfaceIdColumn, ColumnCount };

    explicit NicTableModel(QObject *parent = nullptr);

    // vlans[i] are the VLANs NIC i sits in, as Inventory::nicVlans resolved them.
    void setNics(const QList<NicInfo> &nics, const QList<QList<int>> &vlans);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<NicInfo> m_nics;
    QList<QList<int>> m_vlans;
};

} // namespace Vigie
