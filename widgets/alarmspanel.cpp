#include "alarmspanel.h"

#include "inventory/tenantscope.h"
#include "itemmodels/alarmmodel.h"
#include "itemmodels/roles.h"

#include <QApplication>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Vigie {

namespace {

// One view of the alarms: active or cleared, with the severity as an icon and the active alarms
// nobody acknowledged in bold.
class AlarmFilter : public QSortFilterProxyModel
{
public:
    AlarmFilter(bool active, QObject *parent)
        : QSortFilterProxyModel(parent)
        , m_active(active)
    {
        setSortRole(SortRole);
        setDynamicSortFilter(true);
    }

    void setTenantScope(const TenantScope *scope)
    {
        m_scope = scope;
        invalidateRowsFilter();
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::DecorationRole && index.column() == AlarmModel::SeverityColumn) {
            const bool critical = QSortFilterProxyModel::data(index, SeverityRole).toInt() == int(AlarmSeverity::Critical);
            return QApplication::style()->standardIcon(critical ? QStyle::SP_MessageBoxCritical
                                                                : QStyle::SP_MessageBoxWarning);
        }
        if (role == Qt::FontRole && m_active && !QSortFilterProxyModel::data(index, AlarmModel::AcknowledgedRole).toBool()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        if (m_scope && !m_scope->containsSubject(index.data(HostUriRole).toString(), index.data(UuidRole).toString()))
            return false;
        return index.data(AlarmModel::ActiveRole).toBool() == m_active;
    }
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        // Active: most severe first (the view sorts descending), then the oldest on top.
        if (m_active && left.column() == AlarmModel::SeverityColumn) {
            const int a = left.data(SeverityRole).toInt();
            const int b = right.data(SeverityRole).toInt();
            if (a != b)
                return a < b;
            return left.sibling(left.row(), AlarmModel::SinceColumn).data(SortRole).toLongLong()
                   > right.sibling(right.row(), AlarmModel::SinceColumn).data(SortRole).toLongLong();
        }
        return QSortFilterProxyModel::lessThan(left, right);
    }

private:
    const bool m_active;
    QPointer<const TenantScope> m_scope;
};

QTableView *makeView(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSortingEnabled(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // What is wrong takes the room (a mismatch or libvirt's message is long); the rest is short.
    view->horizontalHeader()->setSectionResizeMode(AlarmModel::AlarmColumn, QHeaderView::Stretch);
    view->setColumnWidth(AlarmModel::SeverityColumn, 130); // "Avertissement"
    view->setColumnWidth(AlarmModel::SubjectColumn, 140);
    view->setColumnWidth(AlarmModel::ValueColumn, 80);
    view->setColumnWidth(AlarmModel::SinceColumn, 140); // a date and time (yesterday's)
    view->setColumnWidth(AlarmModel::AcknowledgedColumn, 140);
    return view;
}

} // namespace

AlarmsPanel::AlarmsPanel(AlarmModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_active(new AlarmFilter(true, this))
    , m_history(new AlarmFilter(false, this))
    , m_tabs(new QTabWidget(this))
{
    m_active->setSourceModel(model);
    m_history->setSourceModel(model);
    m_activeView = makeView(m_active, this);
    m_activeView->hideColumn(AlarmModel::ClearedColumn);
    m_activeView->sortByColumn(AlarmModel::SeverityColumn, Qt::DescendingOrder);
    m_historyView = makeView(m_history, this);
    m_historyView->sortByColumn(AlarmModel::ClearedColumn, Qt::DescendingOrder);
    m_activeView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tabs->addTab(m_activeView, tr("Active"));
    m_tabs->addTab(m_historyView, tr("History"));
    m_tabs->setDocumentMode(true);

    m_summary = new QLabel(this);
    m_acknowledge = new QPushButton(tr("Acknowledge"), this);
    m_acknowledge->setToolTip(tr("Marks the selected alarms as seen, in your name"));
    auto *rules = new QPushButton(tr("Rules…"), this);
    rules->setToolTip(tr("Thresholds, durations and severities of the alarms; desktop notifications"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_acknowledge);
    buttons->addWidget(rules);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);

    connect(m_acknowledge, &QPushButton::clicked, this, [this] { Q_EMIT acknowledgeRequested(selectedKeys()); });
    connect(rules, &QPushButton::clicked, this, &AlarmsPanel::rulesRequested);
    connect(m_activeView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlarmsPanel::updateState);
    connect(model, &AlarmModel::countsChanged, this, [this] { m_stateSoon.request(); });
    connect(model, &QAbstractItemModel::dataChanged, this, [this] { m_stateSoon.request(); });
    connect(m_tabs, &QTabWidget::currentChanged, this, &AlarmsPanel::updateState);
    for (QTableView *view : {m_activeView, m_historyView}) {
        connect(view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
            const QString uuid = index.data(UuidRole).toString();
            if (!uuid.isEmpty())
                Q_EMIT vmActivated(VmKey{index.data(HostUriRole).toString(), uuid});
        });
    }
    updateState();
}

void AlarmsPanel::setTenantScope(const TenantScope *scope)
{
    for (QSortFilterProxyModel *filter : {m_active, m_history})
        static_cast<AlarmFilter *>(filter)->setTenantScope(scope);
    if (scope) {
        connect(scope, &TenantScope::tenantChanged, this, [this] {
            for (QSortFilterProxyModel *filter : {m_active, m_history})
                filter->invalidate();
            updateState();
        });
    }
    updateState();
}

int AlarmsPanel::activeCount(std::optional<AlarmSeverity> severity) const
{
    int n = 0;
    for (int row = 0; row < m_active->rowCount(); ++row) {
        const QModelIndex index = m_active->index(row, 0);
        n += !severity || index.data(SeverityRole).toInt() == int(*severity) ? 1 : 0;
    }
    return n;
}

void AlarmsPanel::showHistory(bool history)
{
    m_tabs->setCurrentIndex(history ? 1 : 0);
}

QStringList AlarmsPanel::selectedKeys() const
{
    QStringList keys;
    const QModelIndexList rows = m_activeView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        keys.append(index.data(AlarmModel::KeyRole).toString());
    return keys;
}

void AlarmsPanel::updateState()
{
    const int active = activeCount();
    const int critical = activeCount(AlarmSeverity::Critical);
    int unacknowledged = 0;
    for (int row = 0; row < m_active->rowCount(); ++row)
        unacknowledged += m_active->index(row, 0).data(AlarmModel::AcknowledgedRole).toBool() ? 0 : 1;
    m_tabs->setTabText(0, tr("Active (%1)").arg(active));
    if (active == 0)
        m_summary->setText(tr("No active alarm"));
    else
        m_summary->setText(tr("%n critical", nullptr, critical) + QStringLiteral(" · ")
                           + tr("%n not acknowledged", nullptr, unacknowledged));
    bool acknowledgeable = false;
    const QModelIndexList rows = m_activeView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        acknowledgeable = acknowledgeable || !index.data(AlarmModel::AcknowledgedRole).toBool();
    m_acknowledge->setEnabled(m_tabs->currentIndex() == 0 && acknowledgeable);
}

} // namespace Vigie
