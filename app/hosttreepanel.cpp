#include "hosttreepanel.h"

#include "inventory/hostinfo.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "mainwindow.h"
#include "queryedit.h"

#include <QHeaderView>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace Vigie {

HostTreePanel::HostTreePanel(const Inventory *inventory, VmFilterProxyModel *model, QWidget *parent)
    : QWidget(parent)
    , m_filter(new QueryEdit(inventory, MainWindow::tr("Filter hosts and VMs (host:, tenant:, tag:…)"), this))
    , m_tree(new QTreeView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    connect(m_filter, &QLineEdit::textChanged, model, &VmFilterProxyModel::setFilterText);
    layout->addWidget(m_filter);
    m_tree->setObjectName(QStringLiteral("hostTree"));
    m_tree->setModel(model);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(HostTreeModel::NameColumn, Qt::AscendingOrder);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(HostTreeModel::NameColumn, QHeaderView::Stretch);
    sizeStateColumn();
    layout->addWidget(m_tree);
    // A host's first VMs arrive after the tree shows it: open it so the VMs are visible.
    connect(model, &QAbstractItemModel::rowsInserted, m_tree, [this](const QModelIndex &host) {
        if (host.isValid() && !m_tree->isExpanded(host))
            m_tree->expand(host);
    });
}

// Wide enough for every state's name, measured once: fitting the column to its contents
// would measure every row of the tree on every change (10,000 VMs: seconds per change).
void HostTreePanel::sizeStateColumn()
{
    QStringList states;
    for (int state = 0; state <= 7; ++state)
        states.append(vmStateDisplayName(vmStateFromInt(state)));
    for (ConnectionState state : {ConnectionState::Disconnected, ConnectionState::Connecting, ConnectionState::Connected,
                                  ConnectionState::Unreachable, ConnectionState::Failed})
        states.append(connectionStateDisplayName(state));
    states.append(HostTreeModel::maintenanceStateName());
    QHeaderView *header = m_tree->header();
    int width = header->fontMetrics().horizontalAdvance(m_tree->model()->headerData(HostTreeModel::StateColumn, Qt::Horizontal).toString());
    for (const QString &state : std::as_const(states))
        width = std::max(width, m_tree->fontMetrics().horizontalAdvance(state));
    header->setSectionResizeMode(HostTreeModel::StateColumn, QHeaderView::Interactive);
    header->resizeSection(HostTreeModel::StateColumn, width + 3 * m_tree->style()->pixelMetric(QStyle::PM_HeaderMargin) + 8);
}

} // namespace Vigie
