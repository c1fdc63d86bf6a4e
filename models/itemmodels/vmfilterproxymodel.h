#pragma once

#include "inventory/vmmatcher.h"

#include <QPointer>
#include <QSortFilterProxyModel>

#include <optional>

namespace Vigie {

class Inventory;
class TenantScope;

// Filters and sorts VMs (or the host tree) with a VmQuery (see its syntax), matched by VmMatcher
// on the inventory's VMs: the rows must carry KindRole, HostUriRole and UuidRole. A host row shows
// through its matching VMs, or by itself when its name answers the free words. Optional state
// filter; sorting by SortRole so numbers sort as numbers.
class VmFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit VmFilterProxyModel(QObject *parent = nullptr);

    // Where the VMs are read (not owned); without it only an empty filter shows rows.
    void setInventory(const Inventory *inventory);
    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const { return m_matcher.text(); }
    // The parsed filter, with what it could not understand.
    [[nodiscard]] const VmQuery &query() const { return m_matcher.query(); }
    // Only rows with this Vigie::VmState (as int); nullopt shows all.
    void setStateFilter(std::optional<int> state);
    // Only the scope's tenant's VMs (and the hosts holding them); nullptr: every tenant.
    void setTenantScope(const TenantScope *scope);
    // Columns whose changes never change which rows match (live figures: a query names none of
    // them): a change of those columns alone leaves every row shown or hidden as it was, instead
    // of matching each changed row again (the CPU column of 10,000 VMs each second, with a filter:
    // 20 ms a tick). Sorting by such a column still moves the rows.
    void setLiveColumns(const QList<int> &columns) { m_liveColumns = columns; }
    void setSourceModel(QAbstractItemModel *model) override;

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    const Inventory *m_inventory = nullptr;
    VmMatcher m_matcher;
    std::optional<int> m_state;
    QPointer<const TenantScope> m_scope;
    QList<int> m_liveColumns;
    bool m_liveChange = false; // the source's dataChanged being handled names live columns only
    QList<QMetaObject::Connection> m_sourceConnections;
};

} // namespace Vigie
