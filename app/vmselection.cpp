#include "vmselection.h"

#include "inventory/inventory.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/roles.h"
#include "itemmodels/vmtablemodel.h"
#include "notificationbar.h"
#include "topologyscene.h"
#include "vmdetailspane.h"

#include <QAbstractProxyModel>
#include <QItemSelection>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

#include <algorithm>

namespace Vigie {

namespace {

// SOURCE (an index of a base model) as VIEW_MODEL shows it, mapped down its chain of proxies.
QModelIndex mapDown(const QAbstractItemModel *viewModel, const QModelIndex &source)
{
    if (!source.isValid() || viewModel == source.model())
        return source;
    const auto *proxy = qobject_cast<const QAbstractProxyModel *>(viewModel);
    return proxy ? proxy->mapFromSource(mapDown(proxy->sourceModel(), source)) : QModelIndex();
}

} // namespace

VmSelection::VmSelection(Inventory *inventory, QTreeView *hostTree, HostTreeModel *hostModel, QTableView *vmTable,
                         VmTableModel *vmModel, TopologyScene *topology, VmDetailsPane *details,
                         NotificationBar *notifications, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_hostTree(hostTree)
    , m_hostModel(hostModel)
    , m_vmTable(vmTable)
    , m_vmModel(vmModel)
    , m_topology(topology)
    , m_details(details)
    , m_notifications(notifications)
{
    connect(m_hostTree->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VmSelection::treeSelectionChanged);
    connect(m_vmTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VmSelection::tableSelectionChanged);
    connect(m_topology, &QGraphicsScene::selectionChanged, this, &VmSelection::topologySelectionChanged);
    // A selected VM that moves to another host stays selected (table, tree, details).
    // (It may appear on its destination before or after it left its source.)
    connect(m_vmModel, &QAbstractItemModel::rowsRemoved, this, &VmSelection::followSelection);
    connect(m_vmModel, &QAbstractItemModel::rowsInserted, this, &VmSelection::followSelection);
}

QModelIndex VmSelection::tableIndex(const VmKey &vm) const
{
    const int row = m_vmModel->rowOf(vm);
    return row < 0 ? QModelIndex() : mapDown(m_vmTable->model(), m_vmModel->index(row, 0));
}

QList<VmKey> VmSelection::selectedVms() const
{
    QList<VmKey> keys;
    for (const QModelIndex &index : m_vmTable->selectionModel()->selectedRows())
        keys.append({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
    return keys;
}

QString VmSelection::selectedHostUri() const
{
    const QModelIndex current = m_hostTree->currentIndex();
    if (current.isValid())
        return current.data(HostUriRole).toString();
    const QList<VmKey> vms = selectedVms();
    return vms.isEmpty() ? QString() : vms.first().hostUri;
}

QStringList VmSelection::selectedVmHosts() const
{
    QStringList hosts;
    for (const VmKey &vm : selectedVms())
        hosts.append(vm.hostUri);
    return hosts;
}

void VmSelection::selectVm(const VmKey &asked)
{
    VmKey key = asked;
    if (m_vmModel->rowOf(key) < 0) {
        // Moved since it was named (an alarm raised before a migration names its old host): the
        // same VM where it is now.
        const QList<VmKey> keys = m_inventory->vmKeys();
        const auto now = std::find_if(keys.cbegin(), keys.cend(), [&](const VmKey &other) {
            return other.uuid == asked.uuid && m_vmModel->rowOf(other) >= 0;
        });
        if (now == keys.cend())
            return;
        key = *now;
    }
    const QModelIndex shown = tableIndex(key);
    if (!shown.isValid()) {
        m_notifications->notify(NotificationBar::Kind::Information, tr("%1 is hidden by the filter").arg(m_inventory->vm(key).name),
                                tr("Clear the filter to see it in the table."));
        return;
    }
    m_vmTable->selectRow(shown.row());
    m_vmTable->scrollTo(shown);
}

void VmSelection::selectShowcaseVm()
{
    const QAbstractItemModel *shown = m_vmTable->model();
    int best = -1;
    qsizetype bestNics = -1;
    for (int row = 0; row < shown->rowCount(); ++row) {
        const QModelIndex index = shown->index(row, 0);
        const VmInfo *vm = m_inventory->findVm({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
        if (vm && vm->state == VmState::Running && vm->nics.size() > bestNics) {
            best = row;
            bestNics = vm->nics.size();
        }
    }
    if (best >= 0)
        m_vmTable->selectRow(best);
}

void VmSelection::followSelection()
{
    for (const VmKey &key : std::as_const(m_selection)) {
        // The table's row, not the inventory: the inventory still has the VM while it is removed.
        if (m_vmModel->rowOf(key) < 0 && !m_followUuids.contains(key.uuid))
            m_followUuids.append(key.uuid);
    }
    if (m_followUuids.isEmpty())
        return;
    QList<VmKey> found;
    const QList<VmKey> keys = m_inventory->vmKeys();
    for (const VmKey &key : keys) {
        if (m_followUuids.contains(key.uuid) && m_vmModel->rowOf(key) >= 0)
            found.append(key);
    }
    if (found.isEmpty())
        return;
    for (const VmKey &key : std::as_const(found))
        m_followUuids.removeAll(key.uuid);
    // After the models and the selection settled on the removal.
    QTimer::singleShot(0, this, [this, found] {
        if (!selectedVms().isEmpty())
            return; // the operator chose something else meanwhile
        QItemSelection selection;
        for (const VmKey &key : found) {
            if (const QModelIndex shown = tableIndex(key); shown.isValid())
                selection.select(shown, shown.siblingAtColumn(VmTableModel::ColumnCount - 1));
        }
        if (selection.isEmpty())
            return;
        m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        m_vmTable->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
        m_vmTable->scrollTo(selection.indexes().first());
    });
}

void VmSelection::treeSelectionChanged()
{
    if (m_syncing)
        return;
    const QModelIndexList rows = m_hostTree->selectionModel()->selectedRows();
    QItemSelection selection;
    QString host;
    for (const QModelIndex &index : rows) {
        if (index.data(KindRole).toInt() == int(NodeKind::Host)) {
            host = index.data(HostUriRole).toString();
            continue;
        }
        if (const QModelIndex shown = tableIndex({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
            shown.isValid())
            selection.select(shown, shown.siblingAtColumn(VmTableModel::ColumnCount - 1));
    }
    m_syncing = true;
    m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_vmTable->scrollTo(selection.indexes().first());
    m_syncing = false;
    if (!selection.isEmpty()) {
        m_details->showVm(selectedVms().first());
        m_details->setSelectedCount(int(selectedVms().size()));
    } else if (!host.isEmpty()) {
        m_details->showHost(host);
    }
    syncTopologySelection();
    Q_EMIT changed();
}

void VmSelection::tableSelectionChanged()
{
    // The last VMs chosen: a removal (a migration leaving its source) empties the selection
    // through the table or the topology, and followSelection() needs what it was.
    if (const QList<VmKey> chosen = selectedVms(); !chosen.isEmpty())
        m_selection = chosen;
    if (m_syncing)
        return;
    const QList<VmKey> keys = selectedVms();
    QItemSelection selection;
    for (const VmKey &key : keys) {
        const QModelIndex shown = mapDown(m_hostTree->model(), m_hostModel->vmIndex(key.hostUri, key.uuid));
        if (shown.isValid())
            selection.select(shown, shown.siblingAtColumn(HostTreeModel::ColumnCount - 1));
    }
    m_syncing = true;
    m_hostTree->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty()) {
        m_hostTree->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
        m_hostTree->scrollTo(selection.indexes().first());
    }
    m_syncing = false;
    if (!keys.isEmpty()) {
        m_details->showVm(keys.first());
        m_details->setSelectedCount(int(keys.size()));
    }
    syncTopologySelection();
    Q_EMIT changed();
}

// The topology's selection drives the table, which drives the tree and the details.
void VmSelection::topologySelectionChanged()
{
    if (m_syncing)
        return;
    QItemSelection selection;
    for (const VmKey &key : m_topology->selectedVms()) {
        if (const QModelIndex shown = tableIndex(key); shown.isValid())
            selection.select(shown, shown.siblingAtColumn(VmTableModel::ColumnCount - 1));
    }
    // VMs the table's filter hides stay selected in the topology: no copy back.
    m_topologyDriving = true;
    m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    // A host clicked by its header: the tree selects it, the details show it.
    if (const QString host = m_topology->selectedHost(); !host.isEmpty() && m_topology->selectedVms().isEmpty()) {
        if (const QModelIndex row = mapDown(m_hostTree->model(), m_hostModel->hostIndex(host)); row.isValid()) {
            m_hostTree->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_hostTree->scrollTo(row);
        }
    }
    m_topologyDriving = false;
    if (!selection.isEmpty())
        m_vmTable->scrollTo(selection.indexes().first());
}

void VmSelection::syncTopologySelection()
{
    if (m_topologyDriving)
        return;
    const bool syncing = m_syncing;
    m_syncing = true;
    const QList<VmKey> vms = selectedVms();
    m_topology->selectVms(vms);
    // A host chosen in the tree is outlined in the topology.
    const QModelIndex current = m_hostTree->currentIndex();
    if (vms.isEmpty() && current.isValid() && current.data(KindRole).toInt() == int(NodeKind::Host)
        && m_hostTree->selectionModel()->isSelected(current))
        m_topology->selectHost(current.data(HostUriRole).toString());
    m_syncing = syncing;
}

} // namespace Vigie
