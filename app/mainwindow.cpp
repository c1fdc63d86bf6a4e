#include "mainwindow.h"

#include "accessguard.h"
#include "addressactions.h"
#include "alarmsui.h"
#include "consolewindows.h"
#include "controllerui.h"
#include "credentialsui.h"
#include "domainxmleditor.h"
#include "dashboardpanel.h"
#include "decoratingproxymodel.h"
#include "fleetstatus.h"
#include "historyui.h"
#include "hosttreepanel.h"
#include "hypervisor/accesspolicy.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"
#include "lifecycleactions.h"
#include "mainmenus.h"
#include "metrics/metricsstore.h"
#include "metricssourceui.h"
#include "hypervisor/migrationjournal.h"
#include "migrationworkflow.h"
#include "network/bindingwatch.h"
#include "network/controllersettings.h"
#include "network/migrationbindings.h"
#include "network/networkcontroller.h"
#include "networkpanel.h"
#include "notificationbar.h"
#include "placement/preflight.h"
#include "placementflow.h"
#include "policyactions.h"
#include "quotabars.h"
#include "quotabars.h"
#include "sessionsettings.h"
#include "tagactions.h"
#include "tenantview.h"
#include "topologyscene.h"
#include "topologytab.h"
#include "topologyview.h"
#include "vlanmoves.h"
#include "vmdetailspane.h"
#include "vmfilterbar.h"
#include "vmselection.h"
#include "vmtablepanel.h"
#include "windowdocks.h"
#include "windowactions.h"
#include "windowsettings.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace Vigie {

namespace {

// The session manager's store, else a new one the window owns.
MetricsStore *metricsStoreOf(SessionManager *sessions, QObject *owner)
{
    if (!sessions->metricsStore())
        sessions->setMetricsStore(new MetricsStore(MetricsStore::DefaultCapacity, owner));
    return sessions->metricsStore();
}

} // namespace

MainWindow::MainWindow(Inventory *inventory, SessionManager *sessions, QWidget *parent)
    : QMainWindow(parent)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_metrics(metricsStoreOf(sessions, this))
    , m_hostModel(new HostTreeModel(inventory, this))
    , m_hostDecorated(new DecoratingProxyModel(this))
    , m_hostFilter(new VmFilterProxyModel(this))
    , m_vmModel(new VmTableModel(inventory, this))
    , m_vmDecorated(new DecoratingProxyModel(this))
    , m_vmFilter(new VmFilterProxyModel(this))
    , m_eventLog(new EventLogModel(10000, this))
    , m_migrations(new MigrationController(sessions, inventory, this))
    , m_scheduler(new MigrationScheduler(m_migrations, this))
    , m_rater(&m_migrations->preflight(), m_metrics)
    , m_notifications(new NotificationBar(this))
    , m_network(new NetworkController(inventory, sessions, this))
    , m_migrationBindings(new MigrationBindings(m_network, m_migrations, this))
    , m_controllerUi(new ControllerUi(m_network, this))
{
    setWindowTitle(tr("Vigie — private cloud console"));
    setObjectName(QStringLiteral("MainWindow"));
    m_hostDecorated->setSourceModel(m_hostModel);
    m_hostDecorated->setStateColumn(HostTreeModel::StateColumn);
    m_hostFilter->setSourceModel(m_hostDecorated);
    m_vmModel->setMetricsStore(m_metrics);
    m_vmDecorated->setSourceModel(m_vmModel);
    m_vmDecorated->setStateColumn(VmTableModel::StateColumn);
    m_vmFilter->setSourceModel(m_vmDecorated);
    m_vmFilter->setLiveColumns({VmTableModel::CpuColumn}); // told each tick; no query reads it
    // A migration this console did not see end (killed mid-way): followed again, or told.
    m_migrations->setJournal(std::make_unique<MigrationJournal>(QSettings().fileName()));

    connect(m_migrationBindings, &MigrationBindings::portUpdated, this,
            [this](const QString &port, bool pinned, bool ok, const QString &message) {
                if (ok)
                    return;
                m_notifications->notify(NotificationBar::Kind::Error, tr("Port %1").arg(port),
                                        pinned ? tr("It could not be requested on the destination chassis: %1. The migration "
                                                    "goes on; the port is claimed there when the source lets it go.")
                                                     .arg(message)
                                               : tr("It kept its migration options: %1. Check its requested-chassis in the "
                                                    "controller.")
                                                     .arg(message));
            });
    connect(m_controllerUi, &ControllerUi::remotesChosen, this, &MainWindow::setControllerRemotes);
    createActions();
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    m_notifications->floatOver(central);
    const auto selection = [this] { return selectedVms(); };
    m_addressActions = new AddressActions(m_inventory, m_network, m_notifications, selection, this);
    m_policyActions = new PolicyActions(m_inventory, m_network, m_notifications, selection, this);
    m_tagActions = new TagActions(m_inventory, m_sessions, m_notifications, selection, this);
    m_accessGuard->guard(m_tagActions->action(), [this] { return selectedVmHosts(); });
    m_accessGuard->guard(m_addressActions->menu()->menuAction(), [this] { return selectedVmHosts(); }, true);
    m_placement = new PlacementFlow(m_inventory, m_sessions, m_network, &m_migrations->preflight(), m_notifications, this);
    connect(m_placement, &PlacementFlow::vmArrived, this, &MainWindow::selectVm);
    m_tenantView = new TenantView(m_inventory, m_sessions->accessPolicy(), &m_migrations->preflight(), this);
    layout->addWidget(m_tenantView->quotaBars());
    // Above both tabs: the table filters by it, the topology highlights by it.
    m_filterBar = new VmFilterBar(m_inventory, m_vmFilter, central);
    layout->addWidget(m_filterBar);
    m_centralTabs = new QTabWidget(central);
    m_centralTabs->setObjectName(QStringLiteral("centralTabs"));
    m_centralTabs->setDocumentMode(true);
    m_centralTabs->addTab(createVmTable(), tr("Virtual machines"));
    createTopology();
    layout->addWidget(m_centralTabs, 1);
    setCentralWidget(central);
    createDocks();
    m_selection = new VmSelection(m_inventory, m_hostTree, m_hostModel, m_vmTable, m_vmModel, m_topologyTab->scene(), m_details,
                                  m_notifications, this);
    connect(m_selection, &VmSelection::changed, this, &MainWindow::updateActions);
    m_consoleWindows = new ConsoleWindows(m_inventory, m_sessions, m_details, this);
    TenantScope *scope = m_tenantView->scope();
    m_vmFilter->setInventory(m_inventory);
    m_hostFilter->setInventory(m_inventory);
    m_vmFilter->setTenantScope(scope);
    m_hostFilter->setTenantScope(scope);
    m_hostModel->setTenantScope(scope);
    m_topologyTab->scene()->setTenantScope(scope);
    m_docks->dashboard()->setTenantScope(scope);
    m_docks->alarms()->setTenantScope(scope);
    m_migrationWorkflow->setTenantScope(scope);
    for (QAction *action : m_windowActions->maintenanceActions())
        m_tenantView->addFleetAction(action);
    m_metricsSource = new MetricsSourceUi(sessions, this);
    connect(m_metricsSource, &MetricsSourceUi::problem, this,
            [this](const QString &title, const QString &text) { m_notifications->notify(NotificationBar::Kind::Error, title, text); });
    m_historyUi = new HistoryUi(m_inventory, m_sessions, m_metrics, m_eventLog, m_details, m_notifications, scope, this);
    m_menus = new MainMenus({m_windowActions, m_lifecycle,
                             {m_migrationWorkflow->menu(), m_vlanMoves->menu(), m_addressActions->menu(), m_policyActions->menu()},
                             m_tagActions->action(), m_filterBar->edit(), m_tenantView, m_topologyTab, m_historyUi, m_metricsSource,
                             m_migrationWorkflow->resumeAction()},
                            this);
    connect(m_menus, &MainMenus::vmTableRequested, this, &MainWindow::showVmTable);
    connect(m_menus, &MainMenus::layoutResetRequested, this, &MainWindow::resetLayout);
    connect(m_menus, &MainMenus::metricsIntervalChosen, this, &MainWindow::setMetricsInterval);

    // The status bar: tenant, hosts, controller; then metrics source, alarms, VMs.
    m_fleetStatus = new FleetStatus(m_inventory, scope, this);
    connect(m_fleetStatus, &FleetStatus::updated, this, [this] {
        updateActions();
        m_filterBar->setTotal(m_fleetStatus->vmCount());
    });
    statusBar()->addWidget(m_tenantView->statusLabel());
    statusBar()->addWidget(m_fleetStatus->hostsLabel());
    statusBar()->addWidget(m_controllerUi->statusLabel());
    statusBar()->addPermanentWidget(m_metricsSource->statusLabel());
    statusBar()->addPermanentWidget(m_docks->alarms()->statusLabel());
    statusBar()->addPermanentWidget(m_fleetStatus->vmsLabel());

    connect(m_network, &NetworkController::eventRecorded, m_eventLog, &EventLogModel::append);
    connect(sessions, &SessionManager::eventRecorded, m_eventLog, &EventLogModel::append);
    // A migrated VM's ports followed it (or did not): in the event log, with the delay.
    connect(new BindingWatch(m_network, m_migrations, this), &BindingWatch::eventRecorded, m_eventLog, &EventLogModel::append);
    // The demo opens on a VM worth showing (several NICs, running) rather than on a blank
    // details pane; a real fleet opens with nothing chosen for the operator.
    connect(sessions, &SessionManager::settled, this, [this] {
        const QStringList uris = m_sessions->uris();
        const bool demo = !uris.isEmpty() && std::all_of(uris.cbegin(), uris.cend(), [this](const QString &uri) {
            return m_inventory->host(uri).demo;
        });
        if (demo && !m_vmTable->selectionModel()->hasSelection())
            selectShowcaseVm();
    });
    connect(m_network, &NetworkController::vlanOperationFinished, this, [this](const QString &name, bool ok, const QString &message) {
        if (!ok)
            m_notifications->notify(NotificationBar::Kind::Error, tr("VLAN %1").arg(name), message);
    });
    connect(sessions, &SessionManager::errorOccurred, this,
            [this](const QString &title, const QString &message, const QString &hostUri) {
                m_notifications->notify(NotificationBar::Kind::Error, title, message, hostUri);
            });
    // A host removed takes its notifications with it (its retries are over).
    connect(inventory, &Inventory::hostAboutToBeRemoved, m_notifications, &NotificationBar::dismissSource);
    auto *credentials = new CredentialsUi(sessions, inventory, this);
    connect(sessions, &SessionManager::credentialsRequested, credentials, &CredentialsUi::ask);
    connect(credentials, &CredentialsUi::problem, this,
            [this](const QString &title, const QString &text) { m_notifications->notify(NotificationBar::Kind::Error, title, text); });

    m_docks->rememberDefaultLayout();
    restoreSettings();
    setMetricsInterval(WindowSettings::metricsInterval());
    m_metricsSource->restore();
    updateActions();
}

MainWindow::~MainWindow()
{
    // The scene deselects its items as it is deleted, among this window's children: its
    // selection must not reach a window half taken down (crashed on exit with a chip selected).
    if (m_topologyTab) {
        m_topologyTab->scene()->disconnect(this);
        m_topologyTab->scene()->disconnect(m_selection);
    }
}

QList<QAction *> MainWindow::vmContextActions(QObject *separatorOwner, const QList<QAction *> &more) const
{
    QList<QAction *> actions = m_lifecycle->actions();
    auto *separator = new QAction(separatorOwner);
    separator->setSeparator(true);
    actions.append(separator);
    actions.append(more);
    return actions;
}

void MainWindow::createActions()
{
    m_accessGuard = new AccessGuard(m_sessions->accessPolicy(), this);
    const auto selection = [this] { return selectedVms(); };
    m_lifecycle = new LifecycleActions(m_inventory, m_sessions, selection, this);
    m_migrationWorkflow = new MigrationWorkflow(m_inventory, m_sessions, m_migrations, m_scheduler, m_notifications,
                                                m_accessGuard, selection, this);
    m_vlanMoves = new VlanMoves(m_inventory, m_sessions, m_network, &m_migrations->preflight(), m_notifications, selection, this);

    m_windowActions = new WindowActions(m_inventory, m_sessions, m_migrationWorkflow, m_controllerUi, m_notifications, m_accessGuard,
                                        {selection, [this] { return selectedHostUri(); }, [this] { return selectedVmHosts(); }}, this);
    connect(m_windowActions, &WindowActions::consoleRequested, this, &MainWindow::openConsoleWindow);
    connect(m_windowActions, &WindowActions::xmlEditRequested, this, [this] {
        m_docks->showDetails();
        m_details->showTab(QStringLiteral("xml"));
        m_details->xmlEditor()->startEditing(); // the text takes the focus once loaded
    });

    const auto selectedHosts = [this] { return selectedVmHosts(); };
    for (QAction *action : m_lifecycle->actions())
        m_accessGuard->guard(action, selectedHosts);
    m_accessGuard->guard(m_migrationWorkflow->menu()->menuAction(), selectedHosts, true);
    m_accessGuard->guard(m_vlanMoves->menu()->menuAction(), selectedHosts, true);
    connect(m_sessions->accessPolicy(), &AccessPolicy::changed, this, &MainWindow::updateActions);
    connect(m_migrationWorkflow, &MigrationWorkflow::maintenanceChanged, this, &MainWindow::updateActions);
}

QWidget *MainWindow::createVmTable()
{
    auto *panel = new VmTablePanel(m_inventory, m_vmFilter, m_metrics, m_windowActions->connectAction(),
                                   m_windowActions->demoAction(), this);
    m_vmTable = panel->table();
    m_vmTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_vmTable->addActions(vmContextActions(m_vmTable, {m_windowActions->consoleAction(), m_migrationWorkflow->menu()->menuAction(),
                                                       m_migrationWorkflow->resumeAction(),
                                                       m_vlanMoves->menu()->menuAction(), m_tagActions->action(),
                                                       m_addressActions->menu()->menuAction(),
                                                       m_policyActions->menu()->menuAction()}));
    return panel;
}

void MainWindow::createDocks()
{
    auto *hostPanel = new HostTreePanel(m_inventory, m_hostFilter, this);
    m_hostTree = hostPanel->tree();
    m_hostTree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_hostTree->addActions(vmContextActions(m_hostTree, m_windowActions->maintenanceActions()));
    m_docks = new WindowDocks(hostPanel, m_inventory, m_sessions, m_metrics, m_eventLog, m_migrations, m_scheduler, m_network, this);
    m_details = m_docks->details();
    connect(m_details, &VmDetailsPane::consoleDetachRequested, this, &MainWindow::openConsoleWindow);
    connect(m_details, &VmDetailsPane::displayDetachRequested, this, &MainWindow::openDisplayWindow);
    connect(m_docks, &WindowDocks::vmActivated, this, &MainWindow::selectVm);
    NetworkPanel *network = m_docks->networkPanel();
    connect(network, &NetworkPanel::connectRequested, m_controllerUi, &ControllerUi::openDialog);
    connect(network, &NetworkPanel::addressRequested, m_addressActions, &AddressActions::assign);
    connect(network, &NetworkPanel::portSecurityRequested, m_addressActions, &AddressActions::enablePortSecurity);
    connect(network, &NetworkPanel::subnetEditRequested, m_addressActions, &AddressActions::editSubnet);
    connect(network, &NetworkPanel::removeIsolationRequested, m_policyActions, &PolicyActions::removeIsolation);
    connect(network, &NetworkPanel::removeRuleRequested, m_policyActions, &PolicyActions::removeRule);
}

void MainWindow::resetLayout()
{
    m_docks->reset();
}

JobsPanel *MainWindow::jobsPanel() const
{
    return m_docks->jobs();
}

DashboardPanel *MainWindow::dashboard() const
{
    return m_docks->dashboard();
}

AlarmsUi *MainWindow::alarms() const
{
    return m_docks->alarms();
}

NetworkPanel *MainWindow::networkPanel() const
{
    return m_docks->networkPanel();
}

TemplatePalette *MainWindow::templatePalette() const
{
    return m_docks->palette();
}

QDialog *MainWindow::showShortcuts()
{
    return m_menus->showShortcuts();
}

QList<VmKey> MainWindow::selectedVms() const
{
    return m_selection ? m_selection->selectedVms() : QList<VmKey>();
}

QString MainWindow::selectedHostUri() const
{
    return m_selection ? m_selection->selectedHostUri() : QString();
}

QStringList MainWindow::selectedVmHosts() const
{
    return m_selection ? m_selection->selectedVmHosts() : QStringList();
}

QAction *MainWindow::action(VmAction action) const
{
    return m_lifecycle->action(action);
}

void MainWindow::selectVm(const VmKey &key)
{
    m_selection->selectVm(key);
}

void MainWindow::selectShowcaseVm()
{
    m_selection->selectShowcaseVm();
}

void MainWindow::setFilterText(const QString &text)
{
    m_filterBar->setText(text);
}

void MainWindow::updateActions()
{
    m_lifecycle->update();
    m_migrationWorkflow->update();
    m_windowActions->update();
    m_tagActions->action()->setEnabled(!selectedVms().isEmpty());
    m_accessGuard->apply();
}

void MainWindow::openConsoleWindow(const VmKey &vm)
{
    m_consoleWindows->openConsole(vm);
}

void MainWindow::openDisplayWindow(const VmKey &vm)
{
    m_consoleWindows->openDisplay(vm);
}

void MainWindow::setMetricsInterval(int seconds)
{
    seconds = seconds <= 0 ? 0 : std::clamp(seconds, 1, 60);
    m_sessions->setMetricsInterval(seconds);
    WindowSettings::setMetricsInterval(seconds);
    m_menus->showMetricsInterval(seconds);
}

bool MainWindow::savedSessionIsDemoOnly()
{
    return SessionSettings::isDemoOnly(QSettings());
}

void MainWindow::enableHistory(const QString &path, bool demo)
{
    m_historyUi->enable(path, demo);
}

MetricsHistory *MainWindow::history() const
{
    return m_historyUi->history();
}

EventSearchDialog *MainWindow::showEventHistory()
{
    return m_historyUi->showEventHistory();
}

UsageDialog *MainWindow::showUsage(bool show)
{
    return m_historyUi->showUsage(show);
}

void MainWindow::restoreConnections()
{
    const QSettings settings;
    SessionSettings::restore(settings, *m_sessions, *m_network);
}

void MainWindow::setControllerRemotes(const QStringList &remotes, const QStringList &southbound)
{
    m_network->setRemotes(remotes);
    m_network->setSouthboundRemotes(southbound);
    if (!remotes.isEmpty())
        m_docks->raiseNetwork();
}

void MainWindow::saveSettings()
{
    QSettings settings;
    WindowSettings::save(settings, {this, m_vmTable->horizontalHeader(), m_centralTabs, m_topologyTab->view()});
    SessionSettings::save(settings, *m_sessions, *m_inventory);
    m_controllerUi->settings().save(settings);
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    // The files for ssl: remotes serve a controller given on the command line too.
    m_network->setSslSettings(ControllerSettings::load(settings).ssl);
    // At a first start, the docks' sizes once the window has its size: given before, they are
    // scaled with it (the templates dock came out too short for its four templates at 1366x768).
    if (!WindowSettings::restore(settings, {this, m_vmTable->horizontalHeader(), m_centralTabs, m_topologyTab->view()}))
        QTimer::singleShot(0, m_docks, &WindowDocks::defaultSizes);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::setTopologyColouring(bool byTenant, bool remember)
{
    m_topologyTab->setColouring(byTenant, remember);
}

void MainWindow::createTopology()
{
    m_topologyTab = new TopologyTab(m_inventory, m_network, m_migrations, &m_rater, m_notifications, m_centralTabs, this);
    TopologyScene *scene = m_topologyTab->scene();
    TopologyView *view = m_topologyTab->view();
    view->setVmActions(vmContextActions(view, {m_migrationWorkflow->menu()->menuAction(), m_migrationWorkflow->resumeAction(),
                                               m_vlanMoves->menu()->menuAction(),
                                               m_addressActions->menu()->menuAction(), m_policyActions->menu()->menuAction()}));
    // Queued: the migration dialog and the VLAN confirmation open once the drop has finished.
    connect(scene, &TopologyScene::migrationRequested, this,
            [this](const QList<VmKey> &vms, const QString &destUri, bool skipDialog) {
                if (skipDialog)
                    m_migrationWorkflow->requestQuick(vms, destUri);
                else
                    m_migrationWorkflow->request(vms, destUri);
            }, Qt::QueuedConnection);
    // Dropped beside the hosts: the dialog names the best host and why, as the confirmation.
    connect(scene, &TopologyScene::bestHostMigrationRequested, this,
            [this](const QList<VmKey> &vms, const QString &destUri, const QString &reason) {
                m_migrationWorkflow->request(vms, destUri, false,
                                             tr("The best host for this: %1. %2").arg(m_inventory->host(destUri).displayName, reason));
            }, Qt::QueuedConnection);
    connect(scene, &TopologyScene::vlanMoveRequested, m_vlanMoves, &VlanMoves::request, Qt::QueuedConnection);
    connect(scene, &TopologyScene::placementRequested, m_placement, &PlacementFlow::request, Qt::QueuedConnection);
    connect(view, &TopologyView::hostMenuRequested, m_migrationWorkflow, &MigrationWorkflow::hostMenu);
    // The topology highlights what the table shows: the query, and the state chosen beside it.
    connect(m_filterBar, &VmFilterBar::queryChanged, scene, &TopologyScene::setFilterText);
}

void MainWindow::showVmTable()
{
    m_centralTabs->setCurrentIndex(0);
    m_vmTable->setFocus();
}

void MainWindow::showTopology()
{
    m_topologyTab->show();
}

TopologyView *MainWindow::topologyView() const
{
    return m_topologyTab->view();
}

void MainWindow::requestMigration(const QList<VmKey> &vms, const QString &destUri, bool skipDialog, const QString &note)
{
    m_migrationWorkflow->request(vms, destUri, skipDialog, note);
}

void MainWindow::requestEvacuation(const QString &hostUri)
{
    m_migrationWorkflow->evacuate(hostUri);
}

void MainWindow::endMaintenance(const QString &hostUri)
{
    m_migrationWorkflow->endMaintenance(hostUri);
}

void MainWindow::requestVlanMove(const VmKey &key, int vlanId, const QString &macAddress)
{
    m_vlanMoves->request(key, vlanId, macAddress);
}

void MainWindow::setTenant(const QString &tenant)
{
    m_tenantView->setTenant(tenant);
}

TenantScope *MainWindow::tenantScope() const
{
    return m_tenantView->scope();
}

void MainWindow::requestPlacement(const VmTemplate &tmpl, const QString &hostUri, int vlanId)
{
    m_placement->request(tmpl, hostUri, vlanId);
}

} // namespace Vigie
