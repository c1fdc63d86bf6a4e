#include "dashboardpanel.h"

#include "clustersummarybox.h"
#include "decoratingproxymodel.h"
#include "inventory/tenantscope.h"
#include "itemmodels/topvmsmodel.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

namespace {

constexpr int TopCount = 10;

// Sizes COLUMNS to their header and cells' texts (a few rows: one text measured each), never
// wider than 24 average characters: one long host name does not take the whole box.
void fitColumns(QTableView *view, const QList<int> &columns)
{
    const QAbstractItemModel *model = view->model();
    QHeaderView *header = view->horizontalHeader();
    const QFontMetrics cell = view->fontMetrics();
    const QFontMetrics title = header->fontMetrics();
    const int cellPadding = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1) + 2;
    const int titlePadding = 2 * view->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) + 4;
    for (int column : columns) {
        int width = title.horizontalAdvance(model->headerData(column, Qt::Horizontal).toString()) + titlePadding;
        for (int row = 0; row < model->rowCount(); ++row)
            width = std::max(width, cell.horizontalAdvance(model->index(row, column).data().toString()) + cellPadding);
        width = std::min(width, cell.averageCharWidth() * 24);
        if (header->sectionSize(column) != width)
            header->resizeSection(column, width);
    }
}

} // namespace

DashboardPanel::DashboardPanel(Inventory *inventory, MetricsStore *store, QWidget *parent)
    : QWidget(parent)
{
    const struct
    {
        QString title;       // short: four side by side in a laptop's width, in French too
        QString description; // the box's tooltip
        QString valueTitle;  // the value column's
        QList<VmMetric> metrics;
    } rankings[] = {
        {tr("Top CPU"), tr("The VMs using the most CPU, of their vCPUs"), tr("CPU"), {VmMetric::CpuPercent}},
        {tr("Top memory"), tr("Top memory (resident on the host)"), tr("Resident"), {VmMetric::MemoryRssKiB}},
        {tr("Top disk"), tr("Top disk (read + write)"), tr("R + W"), {VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec}},
        {tr("Top network"), tr("Top network (received + sent)"), tr("Rx + Tx"), {VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec}},
    };
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->setSpacing(6);
    m_summary = new ClusterSummaryBox(inventory, this);
    grid->addWidget(m_summary, 0, 0);
    int i = 1;
    for (const auto &ranking : rankings) {
        auto *box = new QGroupBox(ranking.title, this);
        box->setToolTip(ranking.description);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(2, 2, 2, 2);
        auto *model = new TopVmsModel(inventory, store, ranking.metrics, TopCount, this);
        model->setValueTitle(ranking.valueTitle);
        auto *view = new QTableView(box);
        // VM and host names from libvirt: bounded in the cells, escaped in the tooltips.
        auto *text = new DecoratingProxyModel(this);
        text->setSourceModel(model);
        view->setModel(text);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setSelectionMode(QAbstractItemView::SingleSelection);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 4);
        view->verticalHeader()->hide();
        view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view->horizontalHeader()->setSectionResizeMode(TopVmsModel::NameColumn, QHeaderView::Stretch);
        // Host and value fitted to their texts, measured here: ResizeToContents would lay out
        // every cell of the column again at each tick's new values (a sixth of Vigie's CPU
        // while it watched the lab's 10 guests).
        view->horizontalHeader()->setSectionResizeMode(TopVmsModel::HostColumn, QHeaderView::Fixed);
        view->horizontalHeader()->setSectionResizeMode(TopVmsModel::ValueColumn, QHeaderView::Fixed);
        const auto fit = [view] { fitColumns(view, {TopVmsModel::HostColumn, TopVmsModel::ValueColumn}); };
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(text, signal, view, fit);
        connect(text, &QAbstractItemModel::dataChanged, view, fit);
        connect(text, &QAbstractItemModel::modelReset, view, fit);
        connect(text, &QAbstractItemModel::headerDataChanged, view, fit);
        fit();
        view->setAlternatingRowColors(true);
        view->setToolTip(tr("Click a VM to select it"));
        connect(view, &QAbstractItemView::clicked, this, [this, model](const QModelIndex &index) {
            const VmKey key = model->keyAt(index.row());
            if (key.isValid())
                Q_EMIT vmActivated(key);
        });
        boxLayout->addWidget(view);
        // Side by side: each ranking gets the dock's whole height, rather than two rows in a
        // 2x2 grid.
        grid->addWidget(box, 0, i);
        grid->setColumnStretch(i, 1);
        m_models.append(model);
        m_views.append(view);
        ++i;
    }
}

void DashboardPanel::setTenantScope(const TenantScope *scope)
{
    for (TopVmsModel *model : std::as_const(m_models)) {
        model->setTenantScope(scope);
        connect(scope, &TenantScope::tenantChanged, model, &TopVmsModel::refresh);
    }
    m_summary->setTenantScope(scope);
}

} // namespace Vigie
