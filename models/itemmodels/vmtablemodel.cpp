#include "vmtablemodel.h"

#include "hypervisor/migration.h"
#include "inventory/inventory.h"
#include "metrics/metricformat.h"
#include "metrics/metricsstore.h"
#include "roles.h"
#include "rowruns.h"

#include <QDateTime>

#include <QLocale>

namespace Vigie {

QString formatMemoryKiB(quint64 kib)
{
    const double mib = double(kib) / 1024.0;
    const QLocale locale;
    if (mib < 1024.0)
        return VmTableModel::tr("%1 MiB").arg(locale.toString(mib, 'f', 0));
    const double gib = mib / 1024.0;
    if (gib < 1024.0)
        return VmTableModel::tr("%1 GiB").arg(locale.toString(gib, 'f', gib < 10.0 && gib != qRound(gib) ? 1 : 0));
    return VmTableModel::tr("%1 TiB").arg(locale.toString(gib / 1024.0, 'f', 1));
}

VmTableModel::VmTableModel(Inventory *inventory, QObject *parent)
    : QAbstractTableModel(parent)
    , m_inventory(inventory)
{
    m_rows = inventory->vmKeys();
    reindexFrom(0);
    // A host's VMs in one range: the sort proxy places them in one go.
    connect(inventory, &Inventory::vmsAdded, this, [this](const QList<VmKey> &keys) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(keys.size()) - 1);
        m_rows.append(keys);
        reindexFrom(first);
        endInsertRows();
    });
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        m_changedVms.insert(key);
        tellSoon();
    });
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this](const VmKey &key) {
        const int row = rowOf(key);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        m_rowOf.remove(key);
        reindexFrom(row);
        endRemoveRows();
    });
    // Host names and VLAN names appear in the rows; they arrive after the VMs may have.
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        m_hostsChanged.insert(uri);
        tellSoon();
    });
    m_soonTimer.setSingleShot(true);
    m_soonTimer.setInterval(0);
    connect(&m_soonTimer, &QTimer::timeout, this, &VmTableModel::tellChanges);
    // A row's VLANs come from its VM's NICs, the controller's wiring of them (both a change of
    // the VM) or its host's networks: only that host's rows, once per turn. A VLAN renamed
    // changes what a search by VLAN name finds: every row (rare).
    connect(inventory, &Inventory::networksChanged, this, [this](const QString &uri) {
        m_networksChanged.insert(uri);
        tellSoon();
    });
    connect(inventory, &Inventory::vlanNamesChanged, this, [this] {
        m_vlanNamesChanged = true;
        tellSoon();
    });
}

QStringList VmTableModel::addressesOf(const VmInfo &vm) const
{
    QStringList addresses;
    for (const NicInfo &nic : vm.nics) {
        if (const ControllerNic *port = m_inventory->controllerNic(nic))
            addresses += port->addresses;
    }
    return addresses;
}

void VmTableModel::setMetricsStore(MetricsStore *store)
{
    if (m_metrics)
        disconnect(m_metrics, nullptr, this, nullptr);
    m_metrics = store;
    if (store) {
        connect(store, &MetricsStore::samplesAppended, this, [this] {
            if (!m_rows.isEmpty())
                Q_EMIT dataChanged(index(0, CpuColumn), index(int(m_rows.size()) - 1, CpuColumn));
        });
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, CpuColumn), index(int(m_rows.size()) - 1, CpuColumn));
}

void VmTableModel::tellSoon()
{
    if (!m_soonTimer.isActive())
        m_soonTimer.start();
}

void VmTableModel::tellChanges()
{
    const QSet<VmKey> vms = std::exchange(m_changedVms, {});
    const QSet<QString> renamed = std::exchange(m_hostsChanged, {});
    const QSet<QString> hosts = std::exchange(m_networksChanged, {});
    const bool allVlans = std::exchange(m_vlanNamesChanged, false);
    const auto rowsOf = [this](const auto &keys) {
        QList<int> rows;
        rows.reserve(keys.size());
        for (const VmKey &key : keys) {
            if (const int row = rowOf(key); row >= 0)
                rows.append(row);
        }
        return rows;
    };
    forEachRowRun(rowsOf(vms), [this](int first, int last) { Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1)); });
    // The host's VMs, not a scan of the fleet's rows for each host that changes.
    for (const QString &uri : renamed) {
        forEachRowRun(rowsOf(m_inventory->vmKeysOfHost(uri)),
                      [this](int first, int last) { Q_EMIT dataChanged(index(first, HostColumn), index(last, HostColumn)); });
    }
    if (allVlans) {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, VlanColumn), index(int(m_rows.size()) - 1, VlanColumn));
        return;
    }
    for (const QString &uri : hosts) {
        forEachRowRun(rowsOf(m_inventory->vmKeysOfHost(uri)),
                      [this](int first, int last) { Q_EMIT dataChanged(index(first, VlanColumn), index(last, VlanColumn)); });
    }
}

void VmTableModel::reindexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i), i);
}

int VmTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VmTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VmTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const VmKey key = m_rows.at(index.row());
    const VmInfo *found = m_inventory->findVm(key);
    if (!found)
        return {};
    const VmInfo &vm = *found;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return vm.shownName();
        case HostColumn: return m_inventory->host(vm.hostUri).displayName;
        case StateColumn:
            if (vmPostCopyFailed(vm)) {
                const QString other = m_inventory->incomingHostOf(vm.uuid);
                //: VM state: its migration failed after the switchover, e.g. "Paused (post-copy failed, stalled on hv2 too: resume the migration)"
                return tr("%1 (post-copy failed, stalled on %2 too: resume the migration)")
                    .arg(vmStateDisplayName(vm.state),
                         other.isEmpty() ? tr("the destination") : m_inventory->host(other).displayName);
            }
            //: VM state while a live migration moves it, e.g. "Running (migrating)"
            return vm.migration == VmMigration::Outgoing ? tr("%1 (migrating)").arg(vmStateDisplayName(vm.state))
                   //: VM state: paused by a migration that did not complete; resuming it is the way back
                   : vm.pausedByMigration ? tr("%1 (migration failed: resume)").arg(vmStateDisplayName(vm.state))
                                          : vmStateDisplayName(vm.state);
        case VcpuColumn: return vm.vcpus;
        case MemoryColumn: return formatMemoryKiB(vm.memoryKiB);
        case VlanColumn: {
            QStringList names;
            for (int id : m_inventory->vmVlans(key))
                names.append(QString::number(id));
            return names.join(QStringLiteral(", "));
        }
        case AddressesColumn: return addressesOf(vm).join(QStringLiteral(", "));
        case TenantColumn: return vm.tenant;
        case TagsColumn: return vm.tags.join(QStringLiteral(", "));
        case CpuColumn: {
            // A VM that is off uses no CPU: no figure, rather than the last one before it stopped.
            const std::optional<double> cpu = m_metrics && vm.isActive() ? m_metrics->latestValue(key, VmMetric::CpuPercent) : std::nullopt;
            return cpu ? formatMetricValue(MetricUnit::Percent, *cpu) : QString();
        }
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == CpuColumn && m_metrics) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const MetricStats minute = m_metrics->stats(key, VmMetric::CpuPercent, now - 60'000, now);
            if (minute.count == 0)
                return tr("No CPU figures yet");
            QString text = tr("CPU over the last minute: mean %1, min %2, max %3")
                               .arg(formatMetricValue(MetricUnit::Percent, minute.mean),
                                    formatMetricValue(MetricUnit::Percent, minute.min),
                                    formatMetricValue(MetricUnit::Percent, minute.max));
            if (const std::optional<qint64> stale = m_metrics->staleSince(key, now))
                text += u'\n' + tr("Stale since %1").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(*stale).time(), QLocale::LongFormat));
            return text;
        }
        if (index.column() == VlanColumn) {
            QStringList names;
            for (int id : m_inventory->vmVlans(key))
                names.append(tr("%1 (VLAN %2)").arg(m_inventory->vlanName(id)).arg(id));
            return names.join(QLatin1Char('\n'));
        }
        if (index.column() == AddressesColumn) {
            QStringList lines;
            for (const NicInfo &nic : vm.nics) {
                const ControllerNic *port = m_inventory->controllerNic(nic);
                if (port && !port->addresses.isEmpty())
                    lines.append(tr("%1: %2 (port %3 of %4)").arg(nic.mac, port->addresses.join(QStringLiteral(", ")), port->portName, port->network));
                if (port && !port->policy.isEmpty())
                    lines.append(tr("  policy: %1").arg(port->policy.join(QStringLiteral(", "))));
            }
            return lines.isEmpty() ? tr("No address known from the network controller") : lines.join(QLatin1Char('\n'));
        }
        return vm.title.isEmpty() ? vm.name : tr("%1 — %2").arg(vm.name, vm.title);
    case Qt::TextAlignmentRole:
        if (index.column() == VcpuColumn || index.column() == MemoryColumn || index.column() == CpuColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case SortRole:
        switch (index.column()) {
        case VcpuColumn: return vm.vcpus;
        case MemoryColumn: return vm.memoryKiB;
        case StateColumn: return int(vm.state);
        case CpuColumn: return m_metrics && vm.isActive() ? m_metrics->latestValue(key, VmMetric::CpuPercent).value_or(-1.0) : -1.0;
        case VlanColumn: {
            const QList<int> tags = m_inventory->vmVlans(key);
            return tags.isEmpty() ? -1 : tags.first();
        }
        default: return data(index, Qt::DisplayRole).toString().toLower();
        }
    case SearchTextRole:
        return QStringList{vm.name, vm.displayName, vm.title, m_inventory->host(vm.hostUri).displayName, vm.tenant,
                           vmStateDisplayName(vm.state), vmStateName(vm.state), data(index.siblingAtColumn(VlanColumn)).toString(),
                           addressesOf(vm).join(QLatin1Char(' ')), vm.tags.join(QLatin1Char(' '))}
            .join(QLatin1Char(' '));
    case KindRole: return int(NodeKind::Vm);
    case HostUriRole: return vm.hostUri;
    case UuidRole: return vm.uuid;
    case VmStateRole: return int(vm.state);
    case DemoRole: return m_inventory->host(vm.hostUri).demo;
    }
    return {};
}

QVariant VmTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case HostColumn: return tr("Host");
    case StateColumn: return tr("State");
    case VcpuColumn: return tr("vCPUs");
    case MemoryColumn: return tr("Memory");
    case VlanColumn: return tr("VLANs");
    case AddressesColumn: return tr("Addresses");
    case TenantColumn: return tr("Tenant");
    case TagsColumn: return tr("Tags");
    case CpuColumn: return tr("CPU");
    }
    return {};
}

} // namespace Vigie
