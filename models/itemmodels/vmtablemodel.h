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
    void hostChanged(const QString &uri);
    [[nodiscard]] QStringList addressesOf(const VmInfo &vm) const;

    Inventory *m_inventory;
    MetricsStore *m_metrics = nullptr;
    QList<VmKey> m_rows;
    QHash<VmKey, int> m_rowOf;
    // The VLANs' changes, told once per event-loop turn: a fleet's connection changes them once
    // per host, and the filter proxy above judges every row again for each.
    QTimer m_vlansTimer;
    QSet<QString> m_networksChanged; // hosts whose rows' VLANs the timer tells
    bool m_vlanNamesChanged = false; // then every row's
};

// Formats a memory size for tables: "512 MiB", "16 GiB", "1.5 TiB".
[[nodiscard]] QString formatMemoryKiB(quint64 kib);

} // namespace Vigie
