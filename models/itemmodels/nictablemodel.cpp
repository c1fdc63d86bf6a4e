#include "nictablemodel.h"

namespace Vigie {

NicTableModel::NicTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void NicTableModel::setNics(const QList<NicInfo> &nics, const QList<QList<int>> &vlans, const QList<ControllerNic> &controller,
                            const QString &hostUri)
{
    if (nics == m_nics && vlans == m_vlans && controller == m_controller && hostUri == m_hostUri)
        return;
    m_controller = controller;
    m_hostUri = hostUri;
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
    const ControllerNic port = m_controller.value(index.row());
    if (!port.portName.isEmpty()) {
        if (QVariant value = controllerData(port, index.column(), role); value.isValid())
            return value;
    }
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
    case AddressesColumn:
    case ChassisColumn:
        return role == Qt::ToolTipRole ? tr("Wired by libvirt: no network controller port") : QVariant();
    }
    return {};
}

// A controller-wired NIC: its network is its port's switch, its addresses and binding the
// controller's. Invalid for the columns libvirt's view answers.
QVariant NicTableModel::controllerData(const ControllerNic &port, int column, int role) const
{
    const bool tip = role == Qt::ToolTipRole;
    switch (column) {
    case NetworkColumn: {
        if (!tip)
            return tr("%1 (OVN)").arg(port.network);
        QString text = tr("Logical switch %1, port %2 (network controller)").arg(port.network, port.portName);
        if (!port.owner.isEmpty())
            text += u'\n' + tr("Owned by %1: read-only in Vigie.").arg(port.owner);
        return text;
    }
    case AddressesColumn:
        if (port.addresses.isEmpty())
            return tip ? tr("The port has no IP address in the controller") : QVariant(tr("none"));
        return port.addresses.join(QStringLiteral(", "));
    case ChassisColumn:
        if (!port.bindingKnown)
            return tip ? tr("Binding unknown: Vigie does not read the controller's southbound database") : QVariant();
        if (port.chassis.isEmpty())
            return tip ? tr("No chassis has claimed the port: the NIC has no network") : QVariant(tr("unbound"));
        if (!port.chassisHostUri.isEmpty() && port.chassisHostUri != m_hostUri)
            return tip ? tr("Bound to chassis %1, not the VM's host: its traffic goes there").arg(port.chassis)
                       : QVariant(tr("%1 (elsewhere)").arg(port.chassis));
        return tip ? tr("Bound to chassis %1, the VM's host").arg(port.chassis) : QVariant(port.chassis);
    default: return {};
    }
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
    case AddressesColumn: return tr("Addresses");
    case ChassisColumn: return tr("Bound to");
    case InterfaceIdColumn: return tr("OVS interface ID");
    }
    return {};
}

} // namespace Vigie
