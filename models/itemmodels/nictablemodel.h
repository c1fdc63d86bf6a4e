#pragma once

#include "inventory/controllerwiring.h"
#include "inventory/vminfo.h"

#include <QAbstractTableModel>

namespace Vigie {

// The NICs of one VM, for the details pane: MAC, network, portgroup, VLANs, and for a NIC the
// network controller wires, its port's addresses and the chassis the port is bound to; the OVS
// interface id.
class NicTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { MacColumn, NetworkColumn, PortgroupColumn, VlanColumn, AddressesColumn, ChassisColumn, InterfaceIdColumn, ColumnCount };

    explicit NicTableModel(QObject *parent = nullptr);

    // vlans[i] are the VLANs NIC i sits in, as Inventory::nicVlans resolved them; controller[i]
    // its port in the network controller (an empty port name: libvirt-wired). HOST_URI is where
    // the VM runs, to tell a port bound elsewhere.
    void setNics(const QList<NicInfo> &nics, const QList<QList<int>> &vlans, const QList<ControllerNic> &controller = {},
                 const QString &hostUri = {});

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant controllerData(const ControllerNic &port, int column, int role) const;

    QList<NicInfo> m_nics;
    QList<QList<int>> m_vlans;
    QList<ControllerNic> m_controller;
    QString m_hostUri;
};

} // namespace Vigie
