#include "vmfilterproxymodel.h"

#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "roles.h"

namespace Vigie {

VmFilterProxyModel::VmFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
}

void VmFilterProxyModel::setInventory(const Inventory *inventory)
{
    m_inventory = inventory;
    m_matcher.setInventory(inventory);
    invalidateRowsFilter();
}

void VmFilterProxyModel::setFilterText(const QString &text)
{
    if (m_matcher.setText(text))
        invalidateRowsFilter();
}

void VmFilterProxyModel::setStateFilter(std::optional<int> state)
{
    if (state == m_state)
        return;
    m_state = state;
    invalidateRowsFilter();
}

void VmFilterProxyModel::setTenantScope(const TenantScope *scope)
{
    if (m_scope)
        disconnect(m_scope, nullptr, this, nullptr);
    m_scope = scope;
    if (scope)
        connect(scope, &TenantScope::tenantChanged, this, &VmFilterProxyModel::invalidateRowsFilter);
    invalidateRowsFilter();
}

void VmFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_sourceConnections))
        disconnect(connection);
    m_sourceConnections.clear();
    // Slots run in the order they were connected: this one before the base class's handler of
    // the change (which asks filterAcceptsRow of each changed row), the next one after it.
    if (model) {
        m_sourceConnections.append(connect(model, &QAbstractItemModel::dataChanged, this,
                                           [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                                               m_liveChange = !m_liveColumns.isEmpty() && topLeft.isValid() && bottomRight.isValid();
                                               for (int column = topLeft.column(); m_liveChange && column <= bottomRight.column(); ++column)
                                                   m_liveChange = m_liveColumns.contains(column);
                                           }));
    }
    QSortFilterProxyModel::setSourceModel(model);
    if (model)
        m_sourceConnections.append(connect(model, &QAbstractItemModel::dataChanged, this, [this] { m_liveChange = false; }));
}

bool VmFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Only live figures changed: a row of a flat table stays shown or hidden as it was (its
    // parent, the root, is mapped already; a tree's child would make the base class map its
    // parent from within its own handler).
    if (m_liveChange && !sourceParent.isValid())
        return mapFromSource(sourceModel()->index(sourceRow, 0, sourceParent)).isValid();
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const bool isVm = index.data(KindRole).toInt() == int(NodeKind::Vm);
    if (m_scope && m_scope->isScoped()) {
        // A host shows through its tenant's VMs (recursive filtering), never by itself.
        if (!isVm || !m_scope->containsVm({index.data(HostUriRole).toString(), index.data(UuidRole).toString()}))
            return false;
    }
    if (m_state && (!isVm || index.data(VmStateRole).toInt() != *m_state))
        return false;
    if (m_matcher.isEmpty())
        return true;
    const QString uri = index.data(HostUriRole).toString();
    if (!isVm)
        return m_matcher.matchesHost(uri);
    const VmInfo *vm = m_inventory ? m_inventory->findVm({uri, index.data(UuidRole).toString()}) : nullptr;
    return vm && m_matcher.matches(*vm);
}

} // namespace Vigie
