#include "vmfilterbar.h"

#include "inventory/vminfo.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "queryedit.h"
#include "stateicons.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

namespace Vigie {

VmFilterBar::VmFilterBar(const Inventory *inventory, VmFilterProxyModel *filter, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
    , m_edit(new QueryEdit(inventory, tr("Filter VMs: words, or host: tenant: state: vlan: tag: mem>8G vcpus>=4 (Ctrl+F)"), this))
    , m_state(new QComboBox(this))
    , m_count(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_edit->setObjectName(QStringLiteral("vmFilter"));
    m_edit->setToolTip(tr("Filters the VM table and highlights the matching VMs in the topology"));
    connect(m_edit, &QLineEdit::textChanged, m_filter, &VmFilterProxyModel::setFilterText);
    layout->addWidget(m_edit, 1);
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_state->setToolTip(tr("Show only VMs in this state"));
    // As wide as its longest state: its list is not elided ("Ru…ng") at any width of the window.
    m_state->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_state->addItem(tr("All states"));
    for (VmState state : {VmState::Running, VmState::Paused, VmState::Shutoff, VmState::Crashed})
        m_state->addItem(vmStateIcon(state), vmStateDisplayName(state), int(state));
    // Its list too: the popup is as wide as the box, whose style may need more for each entry.
    m_state->view()->setMinimumWidth(m_state->view()->sizeHintForColumn(0) + 2 * m_state->view()->frameWidth());
    connect(m_state, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant state = m_state->itemData(index);
        m_filter->setStateFilter(state.isValid() ? std::optional<int>(state.toInt()) : std::nullopt);
    });
    layout->addWidget(m_state);
    // How many the filter leaves, where the eye is: an empty table says "0 of 48", not nothing.
    m_count->setObjectName(QStringLiteral("filterCount"));
    m_count->setVisible(false);
    layout->addWidget(m_count);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &VmFilterBar::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &VmFilterBar::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &VmFilterBar::updateCount);
    // After the proxy's own connections: it has filtered by then.
    const auto changed = [this] {
        updateCount();
        Q_EMIT queryChanged(query());
    };
    connect(m_edit, &QLineEdit::textChanged, this, changed);
    connect(m_state, &QComboBox::currentIndexChanged, this, changed);
}

void VmFilterBar::setText(const QString &text)
{
    m_edit->setText(text);
}

QString VmFilterBar::query() const
{
    QString query = m_edit->text();
    if (const QVariant state = m_state->currentData(); state.isValid())
        query += QStringLiteral(" state:") + vmStateName(vmStateFromInt(state.toInt()));
    return query.trimmed();
}

void VmFilterBar::setTotal(int total)
{
    m_total = total;
    updateCount();
}

void VmFilterBar::updateCount()
{
    const bool filtering = !m_edit->text().trimmed().isEmpty() || m_state->currentIndex() > 0;
    m_count->setVisible(filtering);
    if (filtering)
        m_count->setText(tr("%1 of %n VM(s) shown", nullptr, m_total).arg(m_filter->rowCount()));
}

} // namespace Vigie
