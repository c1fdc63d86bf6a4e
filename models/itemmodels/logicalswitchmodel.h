#pragma once

#include "network/ovnlogicalswitch.h"
#include "network/nicportmatch.h"
#include "network/ovnlogicalswitchport.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>

namespace Vigie {

class NetworkCorrelation;
class OvnNorthbound;

// The network controller's logical switches (VLANs first, by id, then overlay switches by name)
// with their ports as children. Follows OvnNorthbound: only the switches a change set touched are
// diffed, into precise row inserts, removals and dataChanged. The VM and chassis columns come from
// the correlation with the inventory (and the southbound database, when it is read). Rows another
// system owns say so in their tooltip and carry a lock.
class LogicalSwitchModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, VmColumn, VlanColumn, ChassisColumn, TenantColumn, StatusColumn, AddressesColumn, ColumnCount };
    enum Role {
        SwitchUuidRole = Qt::UserRole + 100, // QString, on switch and port rows
        PortUuidRole,                        // QString, port rows only
        IsSwitchRole,                        // bool
    };

    LogicalSwitchModel(OvnNorthbound *northbound, NetworkCorrelation *correlation, QObject *parent = nullptr);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] QModelIndex switchIndex(const QString &switchUuid) const;

private:
    void noteSwitch(const OvnLogicalSwitch &logicalSwitch) { m_touched.insert(logicalSwitch.uuid); }
    void notePort(const OvnLogicalSwitchPort &port);
    void sync();
    void syncSwitch(const QString &uuid);
    void refreshCorrelated();
    void refreshPorts(const QSet<QString> &portUuids);
    [[nodiscard]] bool switchLess(const QString &a, const QString &b) const;
    [[nodiscard]] bool portLess(const QString &a, const QString &b) const;
    [[nodiscard]] QVariant switchData(const QString &uuid, int column, int role) const;
    [[nodiscard]] QVariant portData(const QString &switchUuid, const QString &portUuid, int column, int role) const;

    QPointer<OvnNorthbound> m_northbound;
    QPointer<NetworkCorrelation> m_correlation;
    QStringList m_switches;                  // top rows, switch uuids
    QHash<QString, QStringList> m_ports;     // switch uuid -> port uuids (child rows)
    QHash<QString, QString> m_shownIn;       // port uuid -> the switch row showing it
    QHash<QString, quintptr> m_ids;          // switch uuid -> stable internal id of its children
    QHash<quintptr, QString> m_switchOfId;
    quintptr m_nextId = 1;
    QSet<QString> m_touched; // switches to diff at the end of the change set
    // A switch's subnet, as its row shows it ("10.0.0.0/24 · 239 free"), and in words for its
    // tooltip; computed when first shown, forgotten when the switch or a port of it changes.
    struct SubnetSummary
    {
        QString text;
        QString toolTip;
    };
    [[nodiscard]] const SubnetSummary &subnetSummary(const QString &switchUuid) const;
    mutable QHash<QString, SubnetSummary> m_subnets;
    // What the correlation knows of a port plugged into a VM NIC.
    struct PortVm
    {
        QString vmName;
        QString chassis;     // bound to; empty: unbound or unknown
        bool bindingKnown = false;
        bool elsewhere = false; // bound to a chassis that is not the VM's host
        friend bool operator==(const PortVm &, const PortVm &) = default;
    };
    QHash<QString, PortVm> m_portVm; // port uuid -> its VM, from the correlation
    [[nodiscard]] static QString chassisToolTip(const PortVm &port);
    [[nodiscard]] static PortVm portVmOf(const NicPortMatch &match);
};

} // namespace Vigie
