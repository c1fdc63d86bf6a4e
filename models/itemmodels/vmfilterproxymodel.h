#pragma once

#include <QPointer>
#include <QSortFilterProxyModel>

#include <optional>

namespace Vigie {

class TenantScope;

// Filters and sorts VMs (or the host tree): every word of the filter text must appear in the
// row's SearchTextRole (name, title, host, tenant, state, VLANs), case-insensitively; optional
// state filter; sorting by SortRole so numbers sort as numbers.
class VmFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit VmFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const { return m_words.join(QLatin1Char(' ')); }
    // Only rows with this Vigie::VmState (as int); nullopt shows all.
    void setStateFilter(std::optional<int> state);
    // Only the scope's tenant's VMs (and the hosts holding them); nullptr: every tenant.
    void setTenantScope(const TenantScope *scope);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
    std::optional<int> m_state;
    QPointer<const TenantScope> m_scope;
};

} // namespace Vigie
