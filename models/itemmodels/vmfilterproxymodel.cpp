#include "vmfilterproxymodel.h"

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

void VmFilterProxyModel::setFilterText(const QString &text)
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    m_words = words;
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

bool VmFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const bool isVm = index.data(KindRole).toInt() == int(NodeKind::Vm);
    if (m_scope && m_scope->isScoped()) {
        // A host shows through its tenant's VMs (recursive filtering), never by itself.
        if (!isVm || !m_scope->containsVm({index.data(HostUriRole).toString(), index.data(UuidRole).toString()}))
            return false;
    }
    if (m_state && (!isVm || index.data(VmStateRole).toInt() != *m_state))
        return false;
    if (m_words.isEmpty())
        return true;
    const QString text = index.data(SearchTextRole).toString();
    for (const QString &word : m_words) {
        if (!text.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace Vigie
