#include "windowdocks.h"

#include "alarmspanel.h"
#include "alarmsui.h"
#include "clustersummarybox.h"
#include "dashboardpanel.h"
#include "decoratingproxymodel.h"
#include "hypervisor/migrationcontroller.h"
#include "itemmodels/eventlogmodel.h"
#include "jobspanel.h"
#include "mainwindow.h"
#include "networkpanel.h"
#include "templatepalette.h"
#include "vmdetailspane.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QMainWindow>
#include <QScrollArea>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

namespace Vigie {

WindowDocks::WindowDocks(QWidget *hostPanel, Inventory *inventory, SessionManager *sessions, MetricsStore *metrics,
                         EventLogModel *eventLog, MigrationController *migrations, MigrationScheduler *scheduler,
                         NetworkController *network, QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
    m_hostsDock = new QDockWidget(MainWindow::tr("Hosts"), window);
    m_hostsDock->setObjectName(QStringLiteral("hostsDock"));
    m_hostsDock->setWidget(hostPanel);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_hostsDock);

    m_detailsDock = new QDockWidget(MainWindow::tr("Details"), window);
    m_detailsDock->setObjectName(QStringLiteral("detailsDock"));
    m_details = new VmDetailsPane(inventory, sessions, m_detailsDock);
    m_detailsDock->setWidget(m_details);
    window->addDockWidget(Qt::RightDockWidgetArea, m_detailsDock);

    createBottomDocks(inventory, metrics, eventLog, migrations, scheduler, network);
    m_templatesDock = new QDockWidget(MainWindow::tr("Templates"), window);
    m_templatesDock->setObjectName(QStringLiteral("templatesDock"));
    m_palette = new TemplatePalette(m_templatesDock);
    m_templatesDock->setWidget(m_palette);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_templatesDock);
    window->splitDockWidget(m_hostsDock, m_templatesDock, Qt::Vertical);
    defaultSizes();
    createNetworkDock(network);
}

void WindowDocks::createBottomDocks(Inventory *inventory, MetricsStore *metrics, EventLogModel *eventLog,
                                    MigrationController *migrations, MigrationScheduler *scheduler, NetworkController *network)
{
    QMainWindow *window = m_window;
    m_eventLogDock = new QDockWidget(MainWindow::tr("Event log"), window);
    QDockWidget *log = m_eventLogDock;
    log->setObjectName(QStringLiteral("eventLogDock"));
    m_eventView = new QTableView(log);
    m_eventView->setObjectName(QStringLiteral("eventLog"));
    auto *decorated = new DecoratingProxyModel(window);
    decorated->setSourceModel(eventLog);
    m_eventView->setModel(decorated);
    m_eventView->verticalHeader()->hide();
    m_eventView->verticalHeader()->setDefaultSectionSize(m_eventView->fontMetrics().height() + 4);
    m_eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_eventView->setWordWrap(false);
    m_eventView->horizontalHeader()->setStretchLastSection(true);
    m_eventView->horizontalHeader()->resizeSection(EventLogModel::TimeColumn, 70);
    m_eventView->horizontalHeader()->resizeSection(EventLogModel::HostColumn, 100);
    m_eventView->horizontalHeader()->resizeSection(EventLogModel::VmColumn, 150);
    m_eventView->horizontalHeader()->resizeSection(EventLogModel::ActionColumn, 120);
    // The newest line in view, once per event-loop pass: a burst of events (500 VMs paused at
    // once) would lay the view out again for each line (scrollToBottom runs its pending layout).
    auto *scrollLater = new QTimer(m_eventView);
    scrollLater->setSingleShot(true);
    scrollLater->setInterval(0);
    connect(scrollLater, &QTimer::timeout, m_eventView, &QAbstractItemView::scrollToBottom);
    connect(eventLog, &QAbstractItemModel::rowsInserted, scrollLater, [scrollLater] {
        if (!scrollLater->isActive())
            scrollLater->start();
    });
    log->setWidget(m_eventView);
    window->addDockWidget(Qt::BottomDockWidgetArea, log);
    auto *jobs = new QDockWidget(MainWindow::tr("Migrations"), window);
    jobs->setObjectName(QStringLiteral("jobsDock"));
    m_jobs = new JobsPanel(migrations, scheduler, jobs);
    jobs->setWidget(m_jobs);
    window->addDockWidget(Qt::BottomDockWidgetArea, jobs);
    window->tabifyDockWidget(log, jobs);
    log->raise();
    // A migration that starts brings its progress to the front.
    connect(migrations, &MigrationController::jobStarted, jobs, [jobs] { jobs->raise(); });
    auto *dashboard = new QDockWidget(MainWindow::tr("Dashboard"), window);
    dashboard->setObjectName(QStringLiteral("dashboardDock"));
    m_dashboard = new DashboardPanel(inventory, metrics, dashboard);
    // Scrolled when the bottom area is short (a laptop screen), not imposing its height.
    auto *dashboardScroll = new QScrollArea(dashboard);
    dashboardScroll->setWidgetResizable(true);
    dashboardScroll->setFrameShape(QFrame::NoFrame);
    dashboardScroll->setWidget(m_dashboard);
    dashboard->setWidget(dashboardScroll);
    window->addDockWidget(Qt::BottomDockWidgetArea, dashboard);
    window->tabifyDockWidget(jobs, dashboard);
    log->raise();
    connect(m_dashboard, &DashboardPanel::vmActivated, this, &WindowDocks::vmActivated);
    m_alarms = new AlarmsUi(window, inventory, metrics, migrations, network);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_alarms->dock());
    window->tabifyDockWidget(dashboard, m_alarms->dock());
    log->raise();
    connect(m_alarms->panel(), &AlarmsPanel::vmActivated, this, &WindowDocks::vmActivated);
    ClusterSummaryBox *summary = m_dashboard->summaryBox();
    connect(m_alarms, &AlarmsUi::countsShown, summary, &ClusterSummaryBox::setAlarmCounts);
    summary->setAlarmCounts(m_alarms->panel()->activeCount(), m_alarms->panel()->activeCount(AlarmSeverity::Critical));
    connect(summary, &ClusterSummaryBox::alarmsRequested, this, [this] {
        m_alarms->dock()->show();
        m_alarms->dock()->raise();
    });
}

void WindowDocks::createNetworkDock(NetworkController *network)
{
    m_networkDock = new QDockWidget(MainWindow::tr("Network"), m_window);
    m_networkDock->setObjectName(QStringLiteral("networkDock"));
    m_networkPanel = new NetworkPanel(network, m_networkDock);
    m_networkDock->setWidget(m_networkPanel);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_networkDock);
    m_window->tabifyDockWidget(m_detailsDock, m_networkDock);
    m_detailsDock->raise();
    // Tabifying re-splits the areas: give back the widths the other docks were given.
    m_window->resizeDocks({m_hostsDock, m_detailsDock}, {290, 540}, Qt::Horizontal);
}

void WindowDocks::showDetails()
{
    m_detailsDock->show();
    m_detailsDock->raise();
}

void WindowDocks::raiseNetwork()
{
    m_networkDock->raise();
}

void WindowDocks::rememberDefaultLayout()
{
    m_defaultLayout = m_window->saveState();
}

void WindowDocks::defaultSizes()
{
    m_window->resizeDocks({m_hostsDock, m_detailsDock}, {290, 540}, Qt::Horizontal);
    m_window->resizeDocks({m_eventLogDock}, {170}, Qt::Vertical);
    // The templates dock shows its four templates whole, the host tree takes the rest. Sizes
    // beyond the room are scaled down by Qt: asked within the docks' present heights.
    constexpr int TemplatesHeight = 215;
    const int both = m_hostsDock->height() + m_templatesDock->height();
    if (both > 2 * TemplatesHeight)
        m_window->resizeDocks({m_hostsDock, m_templatesDock}, {both - TemplatesHeight, TemplatesHeight}, Qt::Vertical);
}

void WindowDocks::reset()
{
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>()) {
        dock->setFloating(false);
        // The Network panel shows only with a controller; every other dock shows.
        dock->setVisible(dock != m_networkDock || m_networkDock->isVisible());
    }
    m_window->restoreState(m_defaultLayout);
    for (QToolBar *toolbar : m_window->findChildren<QToolBar *>()) {
        if (toolbar->objectName() == QLatin1String("actionsToolBar"))
            toolbar->show();
    }
    defaultSizes();
    m_eventLogDock->raise();
    m_detailsDock->raise();
}

} // namespace Vigie
