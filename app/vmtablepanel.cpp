#include "vmtablepanel.h"

#include "emptyfleetpage.h"
#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "sparklinedelegate.h"

#include <QHeaderView>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Vigie {

VmTablePanel::VmTablePanel(const Inventory *inventory, QAbstractItemModel *model, MetricsStore *metrics,
                           QAction *connectHost, QAction *openDemo, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("vmTable"));
    m_table->setModel(model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(VmTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(VmTableModel::NameColumn, 170);
    header->resizeSection(VmTableModel::HostColumn, 100);
    header->resizeSection(VmTableModel::StateColumn, 90);
    header->resizeSection(VmTableModel::VcpuColumn, 60);
    header->resizeSection(VmTableModel::MemoryColumn, 80);
    header->resizeSection(VmTableModel::VlanColumn, 100);
    header->resizeSection(VmTableModel::AddressesColumn, 120);
    header->resizeSection(VmTableModel::TenantColumn, 90);
    header->resizeSection(VmTableModel::TagsColumn, 90);
    header->resizeSection(VmTableModel::CpuColumn, 110);
    // CPU next to the state, where the eye is: the last minute behind the latest figure.
    header->moveSection(header->visualIndex(VmTableModel::CpuColumn), VmTableModel::StateColumn + 1);
    m_table->setItemDelegateForColumn(VmTableModel::CpuColumn, new SparklineDelegate(metrics, VmMetric::CpuPercent, 60, m_table));
    // No host at all: what to do next, in the table's place.
    auto *pages = new QStackedWidget(this);
    pages->addWidget(m_table);
    auto *empty = new EmptyFleetPage(connectHost, openDemo, pages);
    pages->addWidget(empty);
    const auto showPage = [this, inventory, pages, empty] {
        pages->setCurrentWidget(inventory->hostUris().isEmpty() ? static_cast<QWidget *>(empty) : m_table);
    };
    connect(inventory, &Inventory::hostAdded, pages, showPage);
    // Queued: the host is still there while its removal is announced.
    connect(inventory, &Inventory::hostAboutToBeRemoved, pages, showPage, Qt::QueuedConnection);
    showPage();
    layout->addWidget(pages, 1);
}

} // namespace Vigie
