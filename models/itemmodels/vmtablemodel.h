#pragma once

#include "inventory/vminfo.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QTimer>

namespace Vigie {

class Inventory;
class MetricsStore;

// Every VM of every host, one row each, in order of arrival. Sorting and filtering are left to
// VmFilterProxyModel.
class VmTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        HostColumn,
        StateColumn,
        VcpuColumn,
        MemoryColumn,
        VlanColumn,
        AddressesColumn, // the IP addresses of the NICs the network controller wires
        TenantColumn,
        TagsColumn, // operator tags (VmTags), comma-separated
        CpuColumn, // latest CPU %, drawn with its recent history by a sparkline delegate
        ColumnCount
    };

    explicit VmTableModel(Inventory *inventory, QObject *parent = nullptr);

    // Where CpuColumn's figures come from (not owned); one dataChanged of that column per tick.
    void setMetricsStore(MetricsStore *store);
    [[nodiscard]] MetricsStore *metricsStore() const { return m_metrics; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] VmKey keyAt(int row) const { return m_rows.value(row); }
    [[nodiscard]] int rowOf(const VmKey &key) const { return m_rowOf.value(key, -1); }

private:
    void reindexFrom(int row);
    void tellSoon();
    void tellChanges();
    [[nodiscard]] QStringList addressesOf(const VmInfo &vm) const;

    Inventory *m_inventory;
    MetricsStore *m_metrics = nullptr;
    QList<VmKey> m_rows;
    QHash<VmKey, int> m_rowOf;
    // The VMs', hosts' and VLANs' changes, told once per event-loop turn in as few ranges as
    // they make: a fleet's connection changes the VLANs once per host, and the filter proxy
    // above judged every row again for each; the controller's resynchronisation changes 10,000
    // VMs in one pass, and a dataChanged each went through the proxies and views.
    QTimer m_soonTimer;
    QSet<VmKey> m_changedVms;
    QSet<QString> m_hostsChanged;    // hosts whose rows' host name the timer tells
    QSet<QString> m_networksChanged; // hosts whose rows' VLANs the timer tells
    bool m_vlanNamesChanged = false; // then every row's
};

// Formats a memory size for tables: "512 MiB", "16 GiB", "1.5 TiB".
[[nodiscard]] QString formatMemoryKiB(quint64 kib);

} // namespace Vigie
