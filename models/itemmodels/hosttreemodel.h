#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace Vigie {

class Inventory;
class TenantScope;

// Hosts (one per connection) with their VMs as children. Host rows carry the connection state,
// VM rows the VM state; both expose typed values through Vigie::Roles. Under a tenant scope a
// host row counts the tenant's VMs and its tooltip gives the tenant's share of the host.
class HostTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, StateColumn, ColumnCount };

    explicit HostTreeModel(Inventory *inventory, QObject *parent = nullptr);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The tenant scope whose share of each host the host rows tell (nullptr: none).
    void setTenantScope(const TenantScope *scope);
    // The host state column's longest word, for sizing it once.
    // A connected host in maintenance (Inventory::isInMaintenance) reads so in the State column.
    [[nodiscard]] static QString maintenanceStateName();

    [[nodiscard]] QModelIndex hostIndex(const QString &uri, int column = 0) const;
    [[nodiscard]] QModelIndex vmIndex(const QString &uri, const QString &uuid, int column = 0) const;

private:
    struct HostNode
    {
        QString uri;
        quintptr id = 0;
        QStringList vms; // UUIDs in arrival order
        QHash<QString, int> vmRows; // UUID -> its row in vms
    };

    [[nodiscard]] int hostRow(const QString &uri) const;
    [[nodiscard]] QVariant hostData(const HostNode &node, int column, int role) const;
    [[nodiscard]] QVariant vmData(const HostNode &node, const QString &uuid, int column, int role) const;
    void addHost(const QString &uri);
    void vmRowsChanged(int hostRow);
    void tellSoon();
    void tellChanges();
    // The lookups by URI, id and UUID follow the rows from FROM on (after a removal).
    void reindexHosts(int from);
    static void reindexVms(HostNode &node, int from);

    Inventory *m_inventory;
    QPointer<const TenantScope> m_scope;
    QList<HostNode> m_hosts;
    // Every VM change, and every parent() a view asks, looks its row up: at 200 hosts of 50 VMs
    // a scan of the hosts and of a host's VMs each time made the 10,000 changes of a fleet's
    // connection take seconds of the GUI thread.
    QHash<QString, int> m_hostRows; // URI -> row
    QHash<quintptr, int> m_idRows;  // id -> row
    // The VMs' and VLANs' changes, told once per event-loop turn in as few ranges as they make:
    // a fleet's connection changes the VLANs once per host, and each time told every host's VM
    // rows (200 x 200 ranges through the proxies and views); the controller's resynchronisation
    // changes 10,000 VMs in one pass, and a dataChanged each went through the proxies and views.
    QTimer m_soonTimer;
    QHash<QString, QSet<QString>> m_changedVms; // host URI -> VM UUIDs the timer tells
    QSet<QString> m_networksChanged; // hosts whose VM rows' VLANs the timer tells
    bool m_vlanNamesChanged = false; // then every host's
    quintptr m_nextId = 1; // VM rows' internal id names their host; 0 marks host rows
};

} // namespace Vigie
