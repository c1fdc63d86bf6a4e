#include "hosttreemodel.h"

#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "roles.h"
#include "rowruns.h"
#include "vmtablemodel.h"

namespace Vigie {

HostTreeModel::HostTreeModel(Inventory *inventory, QObject *parent)
    : QAbstractItemModel(parent)
    , m_inventory(inventory)
{
    for (const QString &uri : inventory->hostUris()) {
        HostNode node{uri, m_nextId++, {}, {}};
        for (const VmKey &key : inventory->vmKeysOfHost(uri))
            node.vms.append(key.uuid);
        reindexVms(node, 0);
        m_hosts.append(node);
    }
    reindexHosts(0);
    connect(inventory, &Inventory::hostAdded, this, &HostTreeModel::addHost);
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        const int row = hostRow(uri);
        if (row < 0)
            return;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        // VM rows carry their host's name in what the filter matches.
        vmRowsChanged(row);
    });
    m_soonTimer.setSingleShot(true);
    m_soonTimer.setInterval(0);
    connect(&m_soonTimer, &QTimer::timeout, this, &HostTreeModel::tellChanges);
    // The VLANs a VM row shows come from its NICs (a change of the VM), the controller's wiring
    // (a change of the VM too) or its host's networks: only that host's rows, once per turn. A
    // VLAN renamed changes what a search by VLAN name finds: every row (rare).
    connect(inventory, &Inventory::networksChanged, this, [this](const QString &uri) {
        m_networksChanged.insert(uri);
        tellSoon();
    });
    connect(inventory, &Inventory::vlanNamesChanged, this, [this] {
        m_vlanNamesChanged = true;
        tellSoon();
    });
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, [this](const QString &uri) {
        const int row = hostRow(uri);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_hostRows.remove(m_hosts.at(row).uri);
        m_idRows.remove(m_hosts.at(row).id);
        m_hosts.removeAt(row);
        reindexHosts(row);
        endRemoveRows();
    });
    connect(inventory, &Inventory::vmsAdded, this, [this](const QList<VmKey> &keys) {
        // A run of one host's VMs in one range (a snapshot is one run).
        for (qsizetype start = 0, end = 0; start < keys.size(); start = end) {
            const QString &uri = keys.at(start).hostUri;
            for (end = start + 1; end < keys.size() && keys.at(end).hostUri == uri;)
                ++end;
            const int row = hostRow(uri);
            if (row < 0)
                continue;
            HostNode &node = m_hosts[row];
            const int first = int(node.vms.size());
            beginInsertRows(index(row, 0), first, first + int(end - start) - 1);
            for (qsizetype i = start; i < end; ++i)
                node.vms.append(keys.at(i).uuid);
            reindexVms(node, first);
            endInsertRows();
            // The host row shows its VM count and load.
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    });
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        m_changedVms[key.hostUri].insert(key.uuid);
        tellSoon();
    });
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this](const VmKey &key) {
        const int row = hostRow(key.hostUri);
        if (row < 0)
            return;
        HostNode &node = m_hosts[row];
        const int child = node.vmRows.value(key.uuid, -1);
        if (child < 0)
            return;
        beginRemoveRows(index(row, 0), child, child);
        node.vms.removeAt(child);
        node.vmRows.remove(key.uuid);
        reindexVms(node, child);
        endRemoveRows();
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
}

void HostTreeModel::addHost(const QString &uri)
{
    const int row = int(m_hosts.size());
    beginInsertRows({}, row, row);
    m_hosts.append({uri, m_nextId++, {}, {}});
    m_hostRows.insert(uri, row);
    m_idRows.insert(m_hosts.last().id, row);
    endInsertRows();
}

void HostTreeModel::tellSoon()
{
    if (!m_soonTimer.isActive())
        m_soonTimer.start();
}

void HostTreeModel::tellChanges()
{
    const QSet<QString> networks = std::exchange(m_networksChanged, {});
    const bool all = std::exchange(m_vlanNamesChanged, false);
    const QHash<QString, QSet<QString>> vms = std::exchange(m_changedVms, {});
    for (int row = 0; row < m_hosts.size(); ++row) {
        const HostNode &node = m_hosts.at(row);
        const auto changed = vms.constFind(node.uri);
        if (all || networks.contains(node.uri)) {
            vmRowsChanged(row);
        } else if (changed != vms.cend()) {
            const QModelIndex host = index(row, 0);
            QList<int> children;
            children.reserve(changed->size());
            for (const QString &uuid : *changed) {
                if (const int child = node.vmRows.value(uuid, -1); child >= 0)
                    children.append(child);
            }
            forEachRowRun(children, [&](int first, int last) {
                Q_EMIT dataChanged(index(first, 0, host), index(last, ColumnCount - 1, host));
            });
        }
        // The host row shows its VM count and load.
        if (changed != vms.cend())
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

void HostTreeModel::reindexHosts(int from)
{
    for (int row = from; row < m_hosts.size(); ++row) {
        m_hostRows.insert(m_hosts.at(row).uri, row);
        m_idRows.insert(m_hosts.at(row).id, row);
    }
}

void HostTreeModel::reindexVms(HostNode &node, int from)
{
    for (int child = from; child < node.vms.size(); ++child)
        node.vmRows.insert(node.vms.at(child), child);
}

void HostTreeModel::vmRowsChanged(int hostRow)
{
    const QModelIndex host = index(hostRow, 0);
    const int count = rowCount(host);
    if (count > 0)
        Q_EMIT dataChanged(index(0, 0, host), index(count - 1, ColumnCount - 1, host));
}

int HostTreeModel::hostRow(const QString &uri) const
{
    return m_hostRows.value(uri, -1);
}

QModelIndex HostTreeModel::hostIndex(const QString &uri, int column) const
{
    const int row = hostRow(uri);
    return row < 0 ? QModelIndex() : index(row, column);
}

QModelIndex HostTreeModel::vmIndex(const QString &uri, const QString &uuid, int column) const
{
    const int row = hostRow(uri);
    if (row < 0)
        return {};
    const int child = m_hosts.at(row).vmRows.value(uuid, -1);
    return child < 0 ? QModelIndex() : createIndex(child, column, m_hosts.at(row).id);
}

QModelIndex HostTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, m_hosts.at(parent.row()).id);
}

QModelIndex HostTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const int row = m_idRows.value(child.internalId(), -1);
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int HostTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_hosts.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_hosts.at(parent.row()).vms.size());
}

int HostTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant HostTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return hostData(m_hosts.at(index.row()), index.column(), role);
    const QModelIndex host = parent(index);
    if (!host.isValid())
        return {};
    const HostNode &node = m_hosts.at(host.row());
    return vmData(node, node.vms.at(index.row()), index.column(), role);
}

void HostTreeModel::setTenantScope(const TenantScope *scope)
{
    if (m_scope)
        disconnect(m_scope, nullptr, this, nullptr);
    m_scope = scope;
    const auto changed = [this] {
        if (!m_hosts.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_hosts.size()) - 1, ColumnCount - 1), {Qt::DisplayRole, Qt::ToolTipRole});
    };
    if (scope)
        connect(scope, &TenantScope::tenantChanged, this, changed);
    changed();
}

QString HostTreeModel::maintenanceStateName()
{
    return tr("In maintenance");
}

QVariant HostTreeModel::hostData(const HostNode &node, int column, int role) const
{
    const HostInfo host = m_inventory->host(node.uri);
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn) {
            if (m_scope && m_scope->isScoped())
                //: A host in the tenant scope: its name, and how many of the tenant's VMs it holds
                return tr("%1 (%n VM(s) of %2)", nullptr, m_scope->vmCount(node.uri)).arg(host.displayName, m_scope->tenant());
            return tr("%1 (%n VM(s))", nullptr, int(node.vms.size())).arg(host.displayName);
        }
        if (column == StateColumn) {
            // Not reachable says more than maintenance; connected and in maintenance, the latter.
            return host.state == ConnectionState::Connected && m_inventory->isInMaintenance(node.uri) ? maintenanceStateName()
                                                                                                : connectionStateDisplayName(host.state);
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines{host.displayName, node.uri};
        if (m_inventory->isInMaintenance(node.uri))
            lines << tr("In maintenance: nothing new is placed here; End maintenance brings VMs back.");
        if (host.cpus > 0) {
            lines << tr("%1 · %2 CPUs · %3").arg(host.cpuModel).arg(host.cpus).arg(formatMemoryKiB(host.memoryKiB));
            lines << tr("Committed: %1 vCPUs, %2")
                         .arg(m_inventory->committedVcpus(node.uri))
                         .arg(formatMemoryKiB(m_inventory->committedMemoryKiB(node.uri)));
            if (m_scope && m_scope->isScoped()) {
                const int vcpus = m_scope->committedVcpus(node.uri);
                const quint64 memory = m_scope->committedMemoryKiB(node.uri);
                //: The tenant's share of a host: its running VMs' vCPUs and memory, as parts of the host's
                lines << tr("%1's share: %2 vCPUs (%3 % of %4 CPUs), %5 (%6 % of %7)")
                             .arg(m_scope->tenant())
                             .arg(vcpus)
                             .arg(100.0 * vcpus / host.cpus, 0, 'f', 0)
                             .arg(host.cpus)
                             .arg(formatMemoryKiB(memory))
                             .arg(host.memoryKiB ? 100.0 * double(memory) / double(host.memoryKiB) : 0.0, 0, 'f', 0)
                             .arg(formatMemoryKiB(host.memoryKiB));
            }
        }
        if (!host.hypervisorType.isEmpty())
            lines << tr("%1 %2, libvirt %3").arg(host.hypervisorType, host.hypervisorVersion, host.libvirtVersion);
        lines << connectionStateDisplayName(host.state);
        if (!host.stateMessage.isEmpty())
            lines << host.stateMessage;
        if (host.demo)
            lines << tr("Demo host (libvirt test driver)");
        return lines.join(QLatin1Char('\n'));
    }
    case SortRole:
    case SearchTextRole:
        return host.displayName.toLower();
    case KindRole: return int(NodeKind::Host);
    case HostUriRole: return node.uri;
    case ConnectionStateRole: return int(host.state);
    case DemoRole: return host.demo;
    }
    return {};
}

QVariant HostTreeModel::vmData(const HostNode &node, const QString &uuid, int column, int role) const
{
    const VmInfo *vm = m_inventory->findVm({node.uri, uuid});
    if (!vm)
        return {};
    // The name its manager gave it (Nova's), as the VM table shows first; the domain's in the tooltip.
    const QString shownName = vm->displayName.isEmpty() ? vm->name : vm->displayName;
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return shownName;
        if (column == StateColumn)
            return vmStateDisplayName(vm->state);
        break;
    case Qt::ToolTipRole:
        return tr("%1\n%n vCPU(s) · %2\nTenant: %3", nullptr, vm->vcpus)
            .arg((vm->title.isEmpty() ? shownName : vm->title) + (shownName == vm->name ? QString() : u'\n' + vm->name),
                 formatMemoryKiB(vm->memoryKiB), vm->tenant.isEmpty() ? tr("none") : vm->tenant);
    case SortRole:
        return shownName.toLower();
    case SearchTextRole: {
        // The same fields the VM table's filter matches, so both filter boxes agree.
        QStringList words{vm->name, vm->displayName, vm->title, vm->tenant, m_inventory->host(node.uri).displayName,
                          vmStateDisplayName(vm->state), vmStateName(vm->state)};
        for (int tag : m_inventory->vmVlans({node.uri, uuid}))
            words.append(QString::number(tag));
        return words.join(QLatin1Char(' '));
    }
    case KindRole: return int(NodeKind::Vm);
    case HostUriRole: return node.uri;
    case UuidRole: return uuid;
    case VmStateRole: return int(vm->state);
    case DemoRole: return m_inventory->host(node.uri).demo;
    }
    return {};
}

QVariant HostTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Host / VM") : tr("State");
}

} // namespace Vigie
