#include "mainwindow.h"

#include "accessguard.h"
#include "addressactions.h"
#include "policyactions.h"
#include "queryedit.h"
#include "savedsearches.h"
#include "tagactions.h"
#include "alarmspanel.h"
#include "alarmsui.h"
#include "consoleview.h"
#include "vncview.h"
#include "connectdialog.h"
#include "controllerdialog.h"
#include "credentialsdialog.h"
#include "dashboardpanel.h"
#include "eventsearchdialog.h"
#include "usagedialog.h"
#include "metrics/usageallocations.h"
#include "demo/demohistory.h"
#include "decoratingproxymodel.h"
#include "displaytext.h"
#include "hypervisor/accesspolicy.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "hypervisor/sessionmanager.h"
#include "hypervisor/libvirturi.h"
#include "inventory/inventory.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/roles.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"
#include "jobspanel.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"
#include "metricssourceui.h"
#include "metricspanel.h"
#include "migrationdialog.h"
#include "network/bindingwatch.h"
#include "network/controllersettings.h"
#include "network/migrationbindings.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/portisolation.h"
#include "network/ovsdbcertificateproblem.h"
#include "networkpanel.h"
#include "notificationbar.h"
#include "plaintext.h"
#include "shortcutsdialog.h"
#include "sparklinedelegate.h"
#include "placement/evacuation.h"
#include "placement/evacuationplan.h"
#include "placement/preflight.h"
#include "newvmdialog.h"
#include "stateicons.h"
#include "templatepalette.h"
#include "quotabars.h"
#include "tenantview.h"
#include "inventory/tenantscope.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "vmdetailspane.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QStyle>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace Vigie {

namespace {

const QString SettingsConnections = QStringLiteral("connections/uris");
const QString SettingsDemo = QStringLiteral("connections/demo");
const QString SettingsReadOnly = QStringLiteral("connections/readOnlyUris");
const QString SettingsMetricsInterval = QStringLiteral("metrics/intervalSeconds");
const QString SettingsTopologyColour = QStringLiteral("topology/colour");

// The session manager's store, else a new one the window owns.
MetricsStore *metricsStoreOf(SessionManager *sessions, QObject *owner)
{
    if (!sessions->metricsStore())
        sessions->setMetricsStore(new MetricsStore(MetricsStore::DefaultCapacity, owner));
    return sessions->metricsStore();
}

// "NIC 2 · VLAN 200 (data) · 52:54:00:8d:1a:33": which NIC, where it sits, then its address, so
// that an operator picks a NIC by its network rather than by a MAC address.
QString nicLabel(const Inventory *inventory, const QString &hostUri, const NicInfo &nic, int index)
{
    QStringList vlans;
    for (int id : inventory->nicVlans(hostUri, nic))
        vlans.append(MainWindow::tr("VLAN %1 (%2)").arg(id).arg(DisplayText::singleLine(inventory->vlanName(id))));
    QString where = vlans.join(QStringLiteral(", "));
    if (where.isEmpty()) {
        const ControllerNic *port = inventory->controllerNic(nic);
        where = port ? MainWindow::tr("network %1").arg(DisplayText::singleLine(port->network))
                     : nic.source.isEmpty() ? MainWindow::tr("no VLAN")
                                            : MainWindow::tr("%1 %2, no VLAN").arg(nic.sourceType, DisplayText::singleLine(nic.source));
    }
    return MainWindow::tr("NIC %1 · %2 · %3").arg(index + 1).arg(where, nic.mac);
}

QLineEdit *filterEdit(const Inventory *inventory, const QString &placeholder, QWidget *parent)
{
    return new QueryEdit(inventory, placeholder, parent);
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
{
    {
        QSettings settings;
        m_scheduler->setCapPerHost(MigrationScheduler::loadCap(settings));
    }
    connect(m_scheduler, &MigrationScheduler::capChanged, this, [](int cap) {
        QSettings settings;
        MigrationScheduler::saveCap(settings, cap);
    });
    // Refused when its turn came (the fleet changed since it was queued): said at once; the
    // Migrations panel keeps it, with Retry.
    connect(m_scheduler, &MigrationScheduler::entryChanged, this, [this](const MigrationScheduler::Entry &entry) {
        if (entry.state == MigrationScheduler::State::Failed && entry.jobId.isEmpty())
            m_notifications->notify(NotificationBar::Kind::Error, tr("Cannot migrate %1").arg(entry.vmName), entry.message);
    });
    setWindowTitle(tr("Vigie — private cloud console"));
    setObjectName(QStringLiteral("MainWindow"));
    m_hostDecorated->setSourceModel(m_hostModel);
    m_hostDecorated->setStateColumn(HostTreeModel::StateColumn);
    m_hostFilter->setSourceModel(m_hostDecorated);
    m_vmModel->setMetricsStore(m_metrics);
    m_vmDecorated->setSourceModel(m_vmModel);
    m_vmDecorated->setStateColumn(VmTableModel::StateColumn);
    m_vmFilter->setSourceModel(m_vmDecorated);

    m_network = new NetworkController(inventory, sessions, this);
    m_migrationBindings = new MigrationBindings(m_network, m_migrations, this);
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
    createActions();
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    m_notifications = new NotificationBar(central);
    layout->addWidget(m_notifications);
    m_addressActions = new AddressActions(m_inventory, m_network, m_notifications, [this] { return selectedVms(); }, this);
    m_policyActions = new PolicyActions(m_inventory, m_network, m_notifications, [this] { return selectedVms(); }, this);
    m_tagActions = new TagActions(m_inventory, m_sessions, m_notifications, [this] { return selectedVms(); }, this);
    m_accessGuard->guard(m_tagActions->action(), [this] {
        QStringList hosts;
        for (const VmKey &vm : selectedVms())
            hosts.append(vm.hostUri);
        return hosts;
    });
    m_tenantView = new TenantView(m_inventory, m_sessions->accessPolicy(), &m_migrations->preflight(), this);
    layout->addWidget(m_tenantView->quotaBars());
    m_centralTabs = new QTabWidget(central);
    m_centralTabs->setObjectName(QStringLiteral("centralTabs"));
    m_centralTabs->setDocumentMode(true);
    m_centralTabs->addTab(createVmTable(), tr("Virtual machines"));
    m_centralTabs->addTab(createTopology(), tr("Topology"));
    layout->addWidget(m_centralTabs, 1);
    setCentralWidget(central);
    createDocks();
    createNetworkDock();
    m_vmFilter->setInventory(m_inventory);
    m_hostFilter->setInventory(m_inventory);
    m_vmFilter->setTenantScope(m_tenantView->scope());
    m_hostFilter->setTenantScope(m_tenantView->scope());
    m_hostModel->setTenantScope(m_tenantView->scope());
    m_topologyScene->setTenantScope(m_tenantView->scope());
    m_dashboard->setTenantScope(m_tenantView->scope());
    m_alarms->setTenantScope(m_tenantView->scope());
    connect(m_tenantView->scope(), &TenantScope::tenantChanged, this, [this] { m_statusTimer.start(); });
    m_tenantView->addFleetAction(m_evacuateAction);
    m_tenantView->addFleetAction(m_endMaintenanceAction);
    m_metricsSource = new MetricsSourceUi(sessions, this);
    createMenus();

    m_connectionStatus = new QLabel(this);
    m_vmStatus = new QLabel(this);
    statusBar()->addWidget(m_tenantView->statusLabel());
    statusBar()->addWidget(m_connectionStatus);
    m_controllerStatus = new QLabel(this);
    m_controllerStatus->setObjectName(QStringLiteral("controllerStatus"));
    statusBar()->addWidget(m_controllerStatus);
    connect(m_network, &NetworkController::stateChanged, this, &MainWindow::updateControllerStatus);
    connect(m_network, &NetworkController::eventRecorded, m_eventLog, &EventLogModel::append);
    connect(m_network, &NetworkController::certificateRejected, this, &MainWindow::askTrust);
    // The demo opens on a VM worth showing (several NICs, running) rather than on a blank
    // details pane; a real fleet opens with nothing chosen for the operator.
    connect(sessions, &SessionManager::settled, this, [this] {
        const QStringList uris = m_sessions->uris();
        const bool demo = !uris.isEmpty() && std::all_of(uris.cbegin(), uris.cend(), [this](const QString &uri) {
            return m_inventory->host(uri).demo;
        });
        if (demo && m_vmTable->selectionModel() && !m_vmTable->selectionModel()->hasSelection())
            selectShowcaseVm();
    });
    // A migrated VM's ports followed it (or did not): in the event log, with the delay.
    connect(new BindingWatch(m_network, m_migrations, this), &BindingWatch::eventRecorded, m_eventLog, &EventLogModel::append);
    connect(m_network, &NetworkController::nicMoveFinished, this,
            [this](const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message) {
                if (ok && message.isEmpty())
                    return; // the table, the network panel and the log show it
                m_notifications->notify(ok ? NotificationBar::Kind::Information : NotificationBar::Kind::Error,
                                        tr("NIC %1 of %2 to VLAN %3").arg(mac, m_inventory->vm(vm).name).arg(vlanId), message);
            });
    connect(m_network, &NetworkController::vlanOperationFinished, this, [this](const QString &name, bool ok, const QString &message) {
        if (!ok)
            m_notifications->notify(NotificationBar::Kind::Error, tr("VLAN %1").arg(name), message);
    });
    updateControllerStatus();
    statusBar()->addPermanentWidget(m_metricsSource->statusLabel());
    statusBar()->addPermanentWidget(m_alarms->statusLabel());
    statusBar()->addPermanentWidget(m_vmStatus);

    connect(sessions, &SessionManager::eventRecorded, m_eventLog, &EventLogModel::append);
    connect(m_eventLog, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_eventView)
            m_eventView->scrollToBottom();
    });
    connect(sessions, &SessionManager::nicMoveFinished, this,
            [this](const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message) {
                if ((ok && message.isEmpty()) || m_network->isMoving(vm, mac))
                    return; // the table and the log show it; a controller move tells its own outcome
                m_notifications->notify(ok ? NotificationBar::Kind::Information : NotificationBar::Kind::Error,
                                        tr("NIC %1 of %2 to VLAN %3").arg(mac, m_inventory->vm(vm).name).arg(vlanId), message);
            });
    connect(sessions, &SessionManager::vmCreationFinished, this,
            [this](const VmKey &vm, const QString &name, bool ok, const QString &message) {
                const QString host = m_inventory->host(vm.hostUri).displayName;
                if (ok) {
                    m_notifications->notify(NotificationBar::Kind::Information, tr("%1 created on %2").arg(name, host), {});
                    // The new VM is welcomed once the inventory has it (now, or with its host's next event).
                    if (m_inventory->hasVm(vm))
                        welcomeNewVm(vm);
                    else
                        m_selectWhenAdded = vm;
                } else
                    m_notifications->notify(NotificationBar::Kind::Error, tr("%1 not created on %2").arg(name, host),
                                            message);
            });
    connect(inventory, &Inventory::vmAdded, this, [this](const VmKey &key) {
        if (key == m_selectWhenAdded) {
            m_selectWhenAdded = {};
            welcomeNewVm(key);
        }
    }, Qt::QueuedConnection); // after the models have their row
    connect(sessions, &SessionManager::errorOccurred, this,
            [this](const QString &title, const QString &message, const QString &hostUri) {
                m_notifications->notify(NotificationBar::Kind::Error, title, message, hostUri);
            });
    // A host removed takes its notifications with it (its retries are over).
    connect(inventory, &Inventory::hostAboutToBeRemoved, m_notifications, &NotificationBar::dismissSource);
    // A selected VM that moves to another host stays selected (table, tree, details).
    // (It may appear on its destination before or after it left its source.)
    connect(m_vmModel, &QAbstractItemModel::rowsRemoved, this, &MainWindow::followSelection);
    connect(m_vmModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::followSelection);
    connect(sessions, &SessionManager::credentialsRequested, this, &MainWindow::askCredentials);
    // The status bar counts every VM: once per event-loop pass, not once per VM of a snapshot.
    m_statusTimer.setSingleShot(true);
    m_statusTimer.setInterval(0);
    connect(&m_statusTimer, &QTimer::timeout, this, [this] {
        updateStatus();
        updateActions();
    });
    const auto scheduleStatus = [this] { m_statusTimer.start(); };
    for (auto signal : {&Inventory::hostAdded, &Inventory::hostChanged, &Inventory::hostAboutToBeRemoved})
        connect(inventory, signal, this, scheduleStatus);
    connect(inventory, &Inventory::vmAdded, this, scheduleStatus);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, scheduleStatus);
    connect(inventory, &Inventory::vmChanged, this, scheduleStatus);
    // A host's first VMs arrive after the tree shows it: open it so the VMs are visible.
    connect(m_hostFilter, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &host) {
        if (host.isValid() && !m_hostTree->isExpanded(host))
            m_hostTree->expand(host);
    });

    m_defaultLayout = saveState();
    restoreSettings();
    setMetricsInterval(QSettings().value(SettingsMetricsInterval, 1).toInt());
    m_metricsSource->restore();
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    // The scene deselects its items as it is deleted, among this window's children: its
    // selection must not reach a window half taken down (crashed on exit with a chip selected).
    if (m_topologyScene)
        m_topologyScene->disconnect(this);
}

void MainWindow::createActions()
{
    m_migrateMenu = new QMenu(tr("&Migrate to"), this);
    m_migrateMenu->setObjectName(QStringLiteral("migrateMenu"));
    m_migrateMenu->setToolTipsVisible(true);
    m_migrateMenu->menuAction()->setStatusTip(tr("Live-migrates the selected VMs to another host."));
    connect(m_migrateMenu, &QMenu::aboutToShow, this, &MainWindow::fillMigrateMenu);
    m_vlanMenu = new QMenu(tr("Move to &VLAN"), this);
    m_vlanMenu->setObjectName(QStringLiteral("vlanMenu"));
    m_vlanMenu->setToolTipsVisible(true);
    m_vlanMenu->menuAction()->setStatusTip(tr("Moves a NIC of the selected VM into another VLAN."));
    connect(m_vlanMenu, &QMenu::aboutToShow, this, &MainWindow::fillVlanMenu);

    const auto make = [this](VmAction vmAction, QStyle::StandardPixmap icon, const QKeySequence &shortcut,
                             const QString &tip) {
        auto *action = new QAction(style()->standardIcon(icon), vmActionDisplayName(vmAction), this);
        action->setShortcut(shortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, [this, vmAction] { trigger(vmAction); });
        m_actions.insert(int(vmAction), action);
    };
    make(VmAction::Start, QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
         tr("Start the selected VMs"));
    make(VmAction::Shutdown, QStyle::SP_MediaStop, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
         tr("Ask the selected VMs' guests to shut down (ACPI)"));
    make(VmAction::Reboot, QStyle::SP_BrowserReload, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
         tr("Ask the selected VMs' guests to reboot"));
    make(VmAction::ForceOff, QStyle::SP_DialogDiscardButton, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
         tr("Power off the selected VMs at once, like pulling the plug"));
    make(VmAction::Pause, QStyle::SP_MediaPause, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
         tr("Pause the selected VMs (their memory stays allocated)"));
    make(VmAction::Resume, QStyle::SP_MediaSeekForward, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
         tr("Resume the selected paused VMs"));

    m_consoleAction = new QAction(tr("Open &console"), this);
    m_consoleAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_consoleAction->setStatusTip(tr("Show the selected VM's serial console in a window of its own"));
    connect(m_consoleAction, &QAction::triggered, this, [this] {
        if (const QList<VmKey> vms = selectedVms(); !vms.isEmpty())
            openConsoleWindow(vms.first());
    });

    m_connectAction = new QAction(style()->standardIcon(QStyle::SP_DriveNetIcon), tr("&Connect to host…"), this);
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_connectAction->setStatusTip(tr("Connect to a libvirt host by URI"));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectDialog);
    m_controllerAction = new QAction(tr("Connect to network &controller…"), this);
    m_controllerAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_controllerAction->setStatusTip(tr("Connect to an OVN network controller (its northbound and southbound databases)"));
    connect(m_controllerAction, &QAction::triggered, this, &MainWindow::controllerDialog);
    m_demoAction = new QAction(tr("Open de&mo datacenter"), this);
    m_demoAction->setStatusTip(tr("Open the embedded demo datacenter (no infrastructure needed)"));
    connect(m_demoAction, &QAction::triggered, this, [this] { m_sessions->openDemo(); });
    m_reconnectAction = new QAction(tr("&Reconnect host"), this);
    m_reconnectAction->setStatusTip(tr("Reconnect the selected host now"));
    connect(m_reconnectAction, &QAction::triggered, this, [this] {
        if (const QString uri = selectedHostUri(); !uri.isEmpty())
            m_sessions->reconnect(uri);
    });
    m_disconnectAction = new QAction(tr("&Disconnect host"), this);
    m_disconnectAction->setStatusTip(tr("Close the selected host's connection and forget it"));
    connect(m_disconnectAction, &QAction::triggered, this, [this] {
        if (const QString uri = selectedHostUri(); !uri.isEmpty())
            m_sessions->removeConnection(uri);
    });
    m_evacuateAction = new QAction(tr("&Evacuate host…"), this);
    m_evacuateAction->setStatusTip(tr("Migrate every VM off the selected host and put it in maintenance"));
    connect(m_evacuateAction, &QAction::triggered, this, [this] {
        if (const QString uri = selectedHostUri(); !uri.isEmpty())
            requestEvacuation(uri);
    });
    m_endMaintenanceAction = new QAction(tr("End &maintenance"), this);
    m_endMaintenanceAction->setStatusTip(tr("Let VMs be placed on the selected host again"));
    connect(m_endMaintenanceAction, &QAction::triggered, this, [this] {
        if (const QString uri = selectedHostUri(); !uri.isEmpty())
            endMaintenance(uri);
    });
    m_refreshAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Re&fresh all"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setStatusTip(tr("Read every host's inventory again"));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        for (const QString &uri : m_sessions->uris()) {
            if (HypervisorSession *session = m_sessions->session(uri))
                session->resync();
        }
    });

    m_accessGuard = new AccessGuard(m_sessions->accessPolicy(), this);
    const auto selectedHosts = [this] {
        QStringList hosts;
        for (const VmKey &vm : selectedVms())
            hosts.append(vm.hostUri);
        return hosts;
    };
    for (QAction *action : std::as_const(m_actions))
        m_accessGuard->guard(action, selectedHosts);
    // libvirt opens a console for reading and writing only.
    m_accessGuard->guard(m_consoleAction, selectedHosts);
    m_accessGuard->guard(m_migrateMenu->menuAction(), selectedHosts, true);
    m_accessGuard->guard(m_vlanMenu->menuAction(), selectedHosts, true);
    const auto selectedHost = [this] { return QStringList{selectedHostUri()}; };
    m_accessGuard->guard(m_evacuateAction, selectedHost);
    m_accessGuard->guard(m_endMaintenanceAction, selectedHost);
    connect(m_sessions->accessPolicy(), &AccessPolicy::changed, this, &MainWindow::updateActions);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_connectAction);
    file->addAction(m_controllerAction);
    file->addAction(m_demoAction);
    file->addSeparator();
    file->addAction(m_reconnectAction);
    file->addAction(m_disconnectAction);
    file->addAction(m_evacuateAction);
    file->addAction(m_endMaintenanceAction);
    file->addAction(m_refreshAction);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *vm = menuBar()->addMenu(tr("&VM"));
    for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::Reboot, VmAction::ForceOff,
                            VmAction::Pause, VmAction::Resume})
        vm->addAction(m_actions.value(int(action)));

    vm->addSeparator();
    vm->addAction(m_consoleAction);
    vm->addSeparator();
    vm->addMenu(m_migrateMenu);
    vm->addMenu(m_vlanMenu);
    vm->addMenu(m_addressActions->menu());
    vm->addMenu(m_policyActions->menu());
    vm->addSeparator();
    vm->addAction(m_tagActions->action());
    vm->setToolTipsVisible(true); // a disabled action says why (a read-only connection)
    file->setToolTipsVisible(true);
    m_accessGuard->guard(m_addressActions->menu()->menuAction(), [this] {
        QStringList hosts;
        for (const VmKey &key : selectedVms())
            hosts.append(key.hostUri);
        return hosts;
    }, true);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *find = view->addAction(tr("&Find VM"), QKeySequence::Find, this, [this] {
        m_vmFilterEdit->setFocus();
        m_vmFilterEdit->selectAll();
    });
    find->setStatusTip(tr("Filter the VM table by name, host, tenant, state or VLAN"));
    m_savedSearches = new SavedSearches(m_vmFilterEdit, this);
    view->addMenu(m_savedSearches->menu());
    view->addSeparator();
    QAction *table = view->addAction(tr("&Virtual machines"), QKeySequence(Qt::CTRL | Qt::Key_1), this, &MainWindow::showVmTable);
    table->setStatusTip(tr("Show the VM table"));
    QAction *topology = view->addAction(tr("&Topology"), QKeySequence(Qt::CTRL | Qt::Key_2), this, &MainWindow::showTopology);
    topology->setStatusTip(tr("Show hosts, VMs and VLANs as a picture; drag a VM to migrate it"));
    view->addMenu(m_tenantView->menu());
    QMenu *zoom = view->addMenu(tr("Topology &zoom"));
    zoom->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, this, [this] {
        showTopology();
        m_topology->zoomIn();
    });
    zoom->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, this, [this] {
        showTopology();
        m_topology->zoomOut();
    });
    zoom->addAction(tr("&Actual size"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] {
        showTopology();
        m_topology->resetZoom();
    });
    zoom->addAction(tr("&Fit to window"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        showTopology();
        m_topology->fitToView();
    });
    // VMs that come and go keep the others in place (holes, new VMs in them): this tidies up.
    zoom->addAction(tr("&Rearrange"), this, [this] {
        showTopology();
        m_topologyScene->arrange();
    })->setStatusTip(tr("Sort each host's VMs by name again and close the gaps left by VMs that went"));
    QMenu *colour = view->addMenu(tr("Topology &colour"));
    colour->setObjectName(QStringLiteral("topologyColourMenu"));
    auto *colours = new QActionGroup(colour);
    m_colourByState = colour->addAction(tr("By &state"), this, [this] { setTopologyColouring(false); });
    m_colourByState->setStatusTip(tr("VMs coloured by their state: running, paused, shut off"));
    m_colourByTenant = colour->addAction(tr("By &tenant"), this, [this] { setTopologyColouring(true); });
    m_colourByTenant->setStatusTip(tr("VMs coloured by their tenant, with a legend; VMs isolated by Vigie outlined in their group's colour"));
    for (QAction *action : {m_colourByState, m_colourByTenant}) {
        action->setCheckable(true);
        colours->addAction(action);
    }
    setTopologyColouring(QSettings().value(SettingsTopologyColour).toString() == QLatin1String("tenant"), false);
    view->addAction(tr("Export topology as &PNG…"), this, [this] { exportTopology(false); });
    view->addAction(tr("Export topology as &SVG…"), this, [this] { exportTopology(true); });
    view->addSeparator();
    m_eventHistoryAction = view->addAction(tr("&Event history…"), this, [this] { showEventHistory(); });
    m_eventHistoryAction->setStatusTip(tr("Search the stored event log by text and time, export it as CSV"));
    m_eventHistoryAction->setEnabled(false);
    m_usageAction = view->addAction(tr("&Usage…"), this, [this] { showUsage(); });
    m_usageAction->setStatusTip(tr("What each tenant's VMs were allocated and used, and what it costs; CSV and PDF"));
    m_usageAction->setEnabled(false);
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    QAction *reset = view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);
    reset->setObjectName(QStringLiteral("resetLayoutAction"));
    reset->setStatusTip(tr("Put every panel back where a first start has it"));
    view->addSeparator();
    m_intervalMenu = view->addMenu(tr("&Metrics interval"));
    m_intervalMenu->setToolTipsVisible(true);
    auto *intervals = new QActionGroup(m_intervalMenu);
    for (int seconds : {1, 2, 5, 10, 30, 60, 0}) {
        QAction *action = m_intervalMenu->addAction(seconds == 0 ? tr("Off") : tr("Every %n second(s)", nullptr, seconds));
        action->setCheckable(true);
        action->setData(seconds);
        action->setActionGroup(intervals);
        connect(action, &QAction::triggered, this, [this, seconds] { setMetricsInterval(seconds); });
    }
    view->addAction(m_metricsSource->action());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] { showShortcuts(); });
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    keys->setStatusTip(tr("Every shortcut and gesture of the window"));
    help->addAction(tr("&About Vigie"), this, [this] {
        QMessageBox::about(this, tr("About Vigie"),
                           tr("<h3>Vigie %1</h3><p>Operator console for private clouds: libvirt hypervisors and "
                              "OVN networks, live.</p><p>Qt %2</p>")
                               .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });

    auto *toolbar = addToolBar(tr("Actions"));
    toolbar->setObjectName(QStringLiteral("actionsToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_connectAction);
    toolbar->addSeparator();
    for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::Reboot, VmAction::ForceOff,
                            VmAction::Pause, VmAction::Resume})
        toolbar->addAction(m_actions.value(int(action)));
}

QWidget *MainWindow::createHostTree()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 4);
    m_hostFilterEdit = filterEdit(m_inventory, tr("Filter hosts and VMs (host:, tenant:, tag:…)"), panel);
    connect(m_hostFilterEdit, &QLineEdit::textChanged, m_hostFilter, &VmFilterProxyModel::setFilterText);
    layout->addWidget(m_hostFilterEdit);
    m_hostTree = new QTreeView(panel);
    m_hostTree->setObjectName(QStringLiteral("hostTree"));
    m_hostTree->setModel(m_hostFilter);
    m_hostTree->setUniformRowHeights(true);
    m_hostTree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_hostTree->setSortingEnabled(true);
    m_hostTree->sortByColumn(HostTreeModel::NameColumn, Qt::AscendingOrder);
    m_hostTree->header()->setStretchLastSection(false);
    m_hostTree->header()->setSectionResizeMode(HostTreeModel::NameColumn, QHeaderView::Stretch);
    // Wide enough for every state's name, measured once: fitting the column to its contents
    // would measure every row of the tree on every change (10,000 VMs: seconds per change).
    {
        QStringList states;
        for (int state = 0; state <= 7; ++state)
            states.append(vmStateDisplayName(vmStateFromInt(state)));
        for (ConnectionState state : {ConnectionState::Disconnected, ConnectionState::Connecting, ConnectionState::Connected,
                                      ConnectionState::Unreachable, ConnectionState::Failed})
            states.append(connectionStateDisplayName(state));
        int width = m_hostTree->header()->fontMetrics().horizontalAdvance(m_hostTree->model()->headerData(HostTreeModel::StateColumn, Qt::Horizontal).toString());
        for (const QString &state : std::as_const(states))
            width = std::max(width, m_hostTree->fontMetrics().horizontalAdvance(state));
        m_hostTree->header()->setSectionResizeMode(HostTreeModel::StateColumn, QHeaderView::Interactive);
        m_hostTree->header()->resizeSection(HostTreeModel::StateColumn, width + 3 * m_hostTree->style()->pixelMetric(QStyle::PM_HeaderMargin) + 8);
    }
    m_hostTree->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::Reboot, VmAction::ForceOff,
                            VmAction::Pause, VmAction::Resume})
        m_hostTree->addAction(m_actions.value(int(action)));
    auto *hostSeparator = new QAction(m_hostTree);
    hostSeparator->setSeparator(true);
    m_hostTree->addAction(hostSeparator);
    m_hostTree->addAction(m_evacuateAction);
    m_hostTree->addAction(m_endMaintenanceAction);
    connect(m_hostTree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::treeSelectionChanged);
    layout->addWidget(m_hostTree);
    return panel;
}

QWidget *MainWindow::createVmTable()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *filters = new QHBoxLayout;
    m_vmFilterEdit = filterEdit(m_inventory, tr("Filter VMs: words, or host: tenant: state: vlan: tag: mem>8G vcpus>=4 (Ctrl+F)"), panel);
    m_vmFilterEdit->setObjectName(QStringLiteral("vmFilter"));
    connect(m_vmFilterEdit, &QLineEdit::textChanged, m_vmFilter, &VmFilterProxyModel::setFilterText);
    filters->addWidget(m_vmFilterEdit, 1);
    m_stateFilter = new QComboBox(panel);
    m_stateFilter->setToolTip(tr("Show only VMs in this state"));
    m_stateFilter->addItem(tr("All states"));
    for (VmState state : {VmState::Running, VmState::Paused, VmState::Shutoff, VmState::Crashed})
        m_stateFilter->addItem(vmStateIcon(state), vmStateDisplayName(state), int(state));
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant state = m_stateFilter->itemData(index);
        m_vmFilter->setStateFilter(state.isValid() ? std::optional<int>(state.toInt()) : std::nullopt);
    });
    filters->addWidget(m_stateFilter);
    layout->addLayout(filters);

    m_vmTable = new QTableView(panel);
    m_vmTable->setObjectName(QStringLiteral("vmTable"));
    m_vmTable->setModel(m_vmFilter);
    m_vmTable->setSortingEnabled(true);
    m_vmTable->sortByColumn(VmTableModel::NameColumn, Qt::AscendingOrder);
    m_vmTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_vmTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_vmTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_vmTable->setAlternatingRowColors(true);
    m_vmTable->setWordWrap(false);
    m_vmTable->verticalHeader()->hide();
    m_vmTable->verticalHeader()->setDefaultSectionSize(m_vmTable->fontMetrics().height() + 6);
    QHeaderView *header = m_vmTable->horizontalHeader();
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
    m_vmTable->setItemDelegateForColumn(VmTableModel::CpuColumn,
                                        new SparklineDelegate(m_metrics, VmMetric::CpuPercent, 60, m_vmTable));
    m_vmTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::Reboot, VmAction::ForceOff,
                            VmAction::Pause, VmAction::Resume})
        m_vmTable->addAction(m_actions.value(int(action)));
    auto *separator = new QAction(m_vmTable);
    separator->setSeparator(true);
    m_vmTable->addAction(separator);
    m_vmTable->addAction(m_consoleAction);
    m_vmTable->addAction(m_migrateMenu->menuAction());
    m_vmTable->addAction(m_vlanMenu->menuAction());
    m_vmTable->addAction(m_tagActions->action());
    m_vmTable->addAction(m_addressActions->menu()->menuAction());
    m_vmTable->addAction(m_policyActions->menu()->menuAction());
    connect(m_vmTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::tableSelectionChanged);
    layout->addWidget(m_vmTable, 1);
    return panel;
}

void MainWindow::createDocks()
{
    auto *hosts = new QDockWidget(tr("Hosts"), this);
    hosts->setObjectName(QStringLiteral("hostsDock"));
    hosts->setWidget(createHostTree());
    addDockWidget(Qt::LeftDockWidgetArea, hosts);

    auto *details = new QDockWidget(tr("Details"), this);
    details->setObjectName(QStringLiteral("detailsDock"));
    m_details = new VmDetailsPane(m_inventory, m_sessions, details);
    details->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, details);
    connect(m_details, &VmDetailsPane::consoleDetachRequested, this, &MainWindow::openConsoleWindow);
    connect(m_details, &VmDetailsPane::displayDetachRequested, this, &MainWindow::openDisplayWindow);

    auto *log = new QDockWidget(tr("Event log"), this);
    log->setObjectName(QStringLiteral("eventLogDock"));
    m_eventView = new QTableView(log);
    m_eventView->setObjectName(QStringLiteral("eventLog"));
    auto *decorated = new DecoratingProxyModel(this);
    decorated->setSourceModel(m_eventLog);
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
    log->setWidget(m_eventView);
    addDockWidget(Qt::BottomDockWidgetArea, log);
    auto *jobs = new QDockWidget(tr("Migrations"), this);
    jobs->setObjectName(QStringLiteral("jobsDock"));
    m_jobs = new JobsPanel(m_migrations, m_scheduler, jobs);
    jobs->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobs);
    tabifyDockWidget(log, jobs);
    log->raise();
    // A migration that starts brings its progress to the front.
    connect(m_migrations, &MigrationController::jobStarted, jobs, [jobs] { jobs->raise(); });
    auto *dashboard = new QDockWidget(tr("Dashboard"), this);
    dashboard->setObjectName(QStringLiteral("dashboardDock"));
    m_dashboard = new DashboardPanel(m_inventory, m_metrics, dashboard);
    // Scrolled when the bottom area is short (a laptop screen), not imposing its height.
    auto *dashboardScroll = new QScrollArea(dashboard);
    dashboardScroll->setWidgetResizable(true);
    dashboardScroll->setFrameShape(QFrame::NoFrame);
    dashboardScroll->setWidget(m_dashboard);
    dashboard->setWidget(dashboardScroll);
    addDockWidget(Qt::BottomDockWidgetArea, dashboard);
    tabifyDockWidget(jobs, dashboard);
    log->raise();
    connect(m_dashboard, &DashboardPanel::vmActivated, this, &MainWindow::selectVm);
    m_alarms = new AlarmsUi(this, m_inventory, m_metrics, m_migrations, m_network);
    addDockWidget(Qt::BottomDockWidgetArea, m_alarms->dock());
    tabifyDockWidget(dashboard, m_alarms->dock());
    log->raise();
    connect(m_alarms->panel(), &AlarmsPanel::vmActivated, this, &MainWindow::selectVm);
    auto *templates = new QDockWidget(tr("Templates"), this);
    templates->setObjectName(QStringLiteral("templatesDock"));
    m_palette = new TemplatePalette(templates);
    templates->setWidget(m_palette);
    addDockWidget(Qt::LeftDockWidgetArea, templates);
    splitDockWidget(hosts, templates, Qt::Vertical);
    defaultDockSizes();
}

void MainWindow::defaultDockSizes()
{
    const auto dock = [this](const char *name) { return findChild<QDockWidget *>(QLatin1String(name)); };
    resizeDocks({dock("hostsDock"), dock("detailsDock")}, {290, 540}, Qt::Horizontal);
    resizeDocks({dock("eventLogDock")}, {170}, Qt::Vertical);
    resizeDocks({dock("hostsDock"), dock("templatesDock")}, {520, 170}, Qt::Vertical);
}

void MainWindow::resetLayout()
{
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        dock->setFloating(false);
        // The Network panel shows only with a controller; every other dock shows.
        dock->setVisible(dock != m_networkDock || m_networkDock->isVisible());
    }
    restoreState(m_defaultLayout);
    for (QToolBar *toolbar : findChildren<QToolBar *>()) {
        if (toolbar->objectName() == QLatin1String("actionsToolBar"))
            toolbar->show();
    }
    defaultDockSizes();
    if (auto *log = findChild<QDockWidget *>(QStringLiteral("eventLogDock")))
        log->raise();
    if (auto *details = findChild<QDockWidget *>(QStringLiteral("detailsDock")))
        details->raise();
}

QDialog *MainWindow::showShortcuts()
{
    if (!m_shortcuts) {
        const QList<QAction *> actions = findChildren<QAction *>();
        const QList<ShortcutsDialog::Gesture> gestures{
            {tr("Drag a VM onto a host"), tr("Migrate it (the dialog asks how)")},
            {tr("Shift + drag a VM onto a host"), tr("Migrate it with the last options, without the dialog")},
            {tr("Drag a VM onto a VLAN lane"), tr("Move one of its NICs into that VLAN")},
            {tr("Drag a template onto a host"), tr("Place a new VM there, then choose its VLAN")},
            {tr("Esc"), tr("Cancel a drag or a placement under way in the topology")},
            {tr("Double-click an alarm"), tr("Select its VM")},
        };
        auto *dialog = new ShortcutsDialog(actions, gestures, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_shortcuts = dialog;
    }
    m_shortcuts->show();
    m_shortcuts->raise();
    return m_shortcuts;
}

void MainWindow::followSelection()
{
    for (const VmKey &key : std::as_const(m_selection)) {
        // The table's row, not the inventory: the inventory still has the VM while it is removed.
        if (m_vmModel->rowOf(key) < 0 && !m_followUuids.contains(key.uuid))
            m_followUuids.append(key.uuid);
    }
    if (m_followUuids.isEmpty())
        return;
    QList<VmKey> found;
    const QList<VmKey> keys = m_inventory->vmKeys();
    for (const VmKey &key : keys) {
        if (m_followUuids.contains(key.uuid) && m_vmModel->rowOf(key) >= 0)
            found.append(key);
    }
    if (found.isEmpty())
        return;
    for (const VmKey &key : std::as_const(found))
        m_followUuids.removeAll(key.uuid);
    // After the models and the selection settled on the removal.
    QTimer::singleShot(0, this, [this, found] {
        if (!selectedVms().isEmpty())
            return; // the operator chose something else meanwhile
        QItemSelection selection;
        for (const VmKey &key : found) {
            const int row = m_vmModel->rowOf(key);
            const QModelIndex proxied = row < 0 ? QModelIndex()
                                                : m_vmFilter->mapFromSource(m_vmDecorated->mapFromSource(m_vmModel->index(row, 0)));
            if (proxied.isValid())
                selection.select(proxied, proxied.siblingAtColumn(VmTableModel::ColumnCount - 1));
        }
        if (selection.isEmpty())
            return;
        m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        m_vmTable->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
        m_vmTable->scrollTo(selection.indexes().first());
    });
}

QList<VmKey> MainWindow::selectedVms() const
{
    QList<VmKey> keys;
    for (const QModelIndex &index : m_vmTable->selectionModel()->selectedRows())
        keys.append({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
    return keys;
}

QString MainWindow::selectedHostUri() const
{
    const QModelIndex current = m_hostTree->currentIndex();
    if (current.isValid())
        return current.data(HostUriRole).toString();
    const QList<VmKey> vms = selectedVms();
    return vms.isEmpty() ? QString() : vms.first().hostUri;
}

void MainWindow::treeSelectionChanged()
{
    if (m_syncingSelection)
        return;
    const QModelIndexList rows = m_hostTree->selectionModel()->selectedRows();
    QItemSelection selection;
    QString host;
    for (const QModelIndex &index : rows) {
        if (index.data(KindRole).toInt() == int(NodeKind::Host)) {
            host = index.data(HostUriRole).toString();
            continue;
        }
        const int row = m_vmModel->rowOf({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
        if (row < 0)
            continue;
        const QModelIndex proxied = m_vmFilter->mapFromSource(m_vmDecorated->mapFromSource(m_vmModel->index(row, 0)));
        if (proxied.isValid())
            selection.select(proxied, proxied.siblingAtColumn(VmTableModel::ColumnCount - 1));
    }
    m_syncingSelection = true;
    m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_vmTable->scrollTo(selection.indexes().first());
    m_syncingSelection = false;
    if (!selection.isEmpty())
        m_details->showVm(selectedVms().first());
    else if (!host.isEmpty())
        m_details->showHost(host);
    syncTopologySelection();
    updateActions();
}

void MainWindow::tableSelectionChanged()
{
    // The last VMs chosen: a removal (a migration leaving its source) empties the selection
    // through the table or the topology, and followSelection() needs what it was.
    if (const QList<VmKey> chosen = selectedVms(); !chosen.isEmpty())
        m_selection = chosen;
    if (m_syncingSelection)
        return;
    const QList<VmKey> keys = selectedVms();
    QItemSelection selection;
    for (const VmKey &key : keys) {
        const QModelIndex source = m_hostModel->vmIndex(key.hostUri, key.uuid);
        const QModelIndex proxied = m_hostFilter->mapFromSource(m_hostDecorated->mapFromSource(source));
        if (proxied.isValid())
            selection.select(proxied, proxied.siblingAtColumn(HostTreeModel::ColumnCount - 1));
    }
    m_syncingSelection = true;
    m_hostTree->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty()) {
        m_hostTree->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
        m_hostTree->scrollTo(selection.indexes().first());
    }
    m_syncingSelection = false;
    if (!keys.isEmpty())
        m_details->showVm(keys.first());
    syncTopologySelection();
    updateActions();
}

void MainWindow::setFilterText(const QString &text)
{
    m_vmFilterEdit->setText(text);
}

void MainWindow::updateActions()
{
    bool canStart = false, canStop = false, canPause = false, canResume = false;
    for (const VmKey &key : selectedVms()) {
        const VmInfo *vm = m_inventory->findVm(key);
        if (!vm || m_inventory->host(key.hostUri).state != ConnectionState::Connected)
            continue;
        canStart = canStart || vm->state == VmState::Shutoff || vm->state == VmState::Crashed;
        canStop = canStop || vm->state == VmState::Running || vm->state == VmState::Blocked
                  || vm->state == VmState::Paused;
        canPause = canPause || vm->state == VmState::Running || vm->state == VmState::Blocked;
        canResume = canResume || vm->state == VmState::Paused;
    }
    m_actions.value(int(VmAction::Start))->setEnabled(canStart);
    m_actions.value(int(VmAction::Shutdown))->setEnabled(canStop);
    m_actions.value(int(VmAction::Reboot))->setEnabled(canPause);
    m_actions.value(int(VmAction::ForceOff))->setEnabled(canStop);
    m_actions.value(int(VmAction::Pause))->setEnabled(canPause);
    m_actions.value(int(VmAction::Resume))->setEnabled(canResume);
    const bool hostSelected = !selectedHostUri().isEmpty();
    m_reconnectAction->setEnabled(hostSelected);
    m_disconnectAction->setEnabled(hostSelected);
    const bool inMaintenance = hostSelected && m_migrations->preflight().maintenance().contains(selectedHostUri());
    m_evacuateAction->setEnabled(hostSelected);
    m_endMaintenanceAction->setEnabled(inMaintenance);
    m_consoleAction->setEnabled(!selectedVms().isEmpty());
    m_tagActions->action()->setEnabled(!selectedVms().isEmpty());
    m_accessGuard->apply();
}

void MainWindow::openConsoleWindow(const VmKey &vm)
{
    if (!vm.isValid())
        return;
    if (QWidget *open = m_consoleWindows.value(vm).data()) {
        open->showNormal();
        open->raise();
        open->activateWindow();
        return;
    }
    // The details pane lets the console go first: libvirt gives it to one client at a time.
    m_details->setConsoleShownElsewhere(vm, true);
    auto *window = new QWidget(this, Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    const QString name = DisplayText::singleLine(m_inventory->vm(vm).name);
    window->setWindowTitle(tr("%1 — serial console — Vigie").arg(name.isEmpty() ? vm.uuid : name));
    auto *layout = new QVBoxLayout(window);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *view = new ConsoleView(m_sessions, m_inventory, window);
    view->setVm(vm);
    layout->addWidget(view);
    m_consoleWindows.insert(vm, window);
    // Also when the main window goes (the console windows are its children): the pane, if still
    // there, is told; nothing of the main window is touched.
    connect(window, &QObject::destroyed, m_details,
            [details = m_details, vm] { details->setConsoleShownElsewhere(vm, false); });
    QSize size = view->sizeForTerminal(100, 30);
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    window->resize(size);
    window->show();
    view->focusTerminal();
}

void MainWindow::openDisplayWindow(const VmKey &vm)
{
    if (!vm.isValid())
        return;
    if (QWidget *open = m_displayWindows.value(vm).data()) {
        open->showNormal();
        open->raise();
        open->activateWindow();
        return;
    }
    // One connection to the display per VM is enough: the pane lets it go.
    m_details->setDisplayShownElsewhere(vm, true);
    auto *window = new QWidget(this, Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    const QString name = DisplayText::singleLine(m_inventory->vm(vm).name);
    window->setWindowTitle(tr("%1 — display — Vigie").arg(name.isEmpty() ? vm.uuid : name));
    auto *layout = new QVBoxLayout(window);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *view = new VncView(m_sessions, m_inventory, window);
    view->setVm(vm);
    layout->addWidget(view);
    m_displayWindows.insert(vm, window);
    connect(window, &QObject::destroyed, m_details,
            [details = m_details, vm] { details->setDisplayShownElsewhere(vm, false); });
    QSize size(1024 + 8, 768 + 120);
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    window->resize(size);
    window->show();
}

void MainWindow::updateStatus()
{
    QHash<int, int> byState;
    const QStringList uris = m_inventory->hostUris();
    for (const QString &uri : uris)
        ++byState[int(m_inventory->host(uri).state)];
    QStringList parts;
    const auto part = [&](ConnectionState state, const QString &text) {
        if (byState.value(int(state)))
            parts.append(QStringLiteral("<span style='color:%1'>●</span> %2").arg(connectionStateColor(state).name(), text));
    };
    part(ConnectionState::Connected, tr("%n connected", nullptr, byState.value(int(ConnectionState::Connected))));
    part(ConnectionState::Connecting, tr("%n connecting", nullptr, byState.value(int(ConnectionState::Connecting))));
    part(ConnectionState::Unreachable, tr("%n unreachable", nullptr, byState.value(int(ConnectionState::Unreachable))));
    part(ConnectionState::Failed, tr("%n failed", nullptr, byState.value(int(ConnectionState::Failed))));
    const bool demo = std::any_of(uris.cbegin(), uris.cend(), [this](const QString &uri) { return m_inventory->host(uri).demo; });
    m_connectionStatus->setText(uris.isEmpty() ? tr("No connection — File › Connect to host… or Open demo datacenter")
                                               : (demo ? tr("<b>Demo datacenter</b> · ") : QString())
                                                     + tr("%n host(s): ", nullptr, int(uris.size()))
                                                     + parts.join(QStringLiteral("  ")));
    int running = 0;
    int count = 0;
    const QList<VmKey> keys = m_inventory->vmKeys();
    for (const VmKey &key : keys) {
        const VmInfo *vm = m_inventory->findVm(key);
        if (!vm || (m_tenantView && !m_tenantView->scope()->contains(*vm)))
            continue; // another tenant's
        ++count;
        if (vm->isActive())
            ++running;
    }
    m_vmStatus->setText(tr("%n VM(s), %1 running", nullptr, count).arg(running));
}

void MainWindow::trigger(VmAction action)
{
    QList<VmKey> targets;
    QStringList names;
    for (const VmKey &key : selectedVms()) {
        targets.append(key);
        names.append(DisplayText::name(m_inventory->vm(key).name));
    }
    if (targets.isEmpty())
        return;
    if (!vmActionIsDestructive(action)) {
        m_sessions->runAction(targets, action);
        return;
    }
    const int count = int(targets.size());
    QString question;
    switch (action) {
    case VmAction::Shutdown: question = tr("Shut down %n VM(s)?", nullptr, count); break;
    case VmAction::Reboot: question = tr("Reboot %n VM(s)?", nullptr, count); break;
    default: question = tr("Force off %n VM(s)?", nullptr, count); break;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, vmActionDisplayName(action), question, QMessageBox::Cancel, this);
    box->setInformativeText(names.mid(0, 10).join(QStringLiteral(", "))
                            + (names.size() > 10 ? tr(" and %n more", nullptr, int(names.size() - 10)) : QString()));
    if (action == VmAction::ForceOff)
        box->setDetailedText(tr("Force off cuts the power: unsaved data in the guests is lost."));
    QPushButton *confirm = box->addButton(vmActionDisplayName(action), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    setPlainText(box); // the informative text lists VM names
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, confirm, targets, action] {
        if (box->clickedButton() == confirm)
            m_sessions->runAction(targets, action);
    });
    box->open();
}

void MainWindow::connectDialog()
{
    auto *dialog = new ConnectDialog(this);
    dialog->setReadOnlyForced(m_sessions->accessPolicy()->allReadOnly());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString uri = dialog->uri();
        if (!m_sessions->addConnection(uri, false, dialog->readOnly()))
            m_notifications->notify(NotificationBar::Kind::Information, tr("Already connected"), uri);
    });
    dialog->open();
}

ControllerSettings MainWindow::controllerSettings() const
{
    // The demo controller's sockets die with the process: neither shown nor remembered.
    if (m_network->isDemo())
        return {{}, {}, m_network->sslSettings()};
    return {m_network->remotes(), m_network->southboundRemotes(), m_network->sslSettings()};
}

void MainWindow::controllerDialog()
{
    auto *dialog = new ControllerDialog(controllerSettings(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ControllerSettings wanted = dialog->settings();
        m_network->setSslSettings(wanted.ssl);
        setControllerRemotes(wanted.northbound, wanted.southbound);
        // Remembered at once, like a host: a crash does not lose it.
        QSettings settings;
        wanted.save(settings);
    });
    dialog->open();
}

void MainWindow::askTrust(const OvsdbCertificateProblem &problem)
{
    if (m_askedFingerprints.contains(problem.sha256Fingerprint))
        return; // every reconnection attempt reports it again: one question is enough
    m_askedFingerprints.append(problem.sha256Fingerprint);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Untrusted controller certificate"),
                                tr("The certificate of %1 failed verification.").arg(DisplayText::name(problem.remote)),
                                QMessageBox::Cancel, this);
    box->setInformativeText(tr("Subject: %1\nSHA-256: %2\n\n%3\n\nTrust it only if you checked this fingerprint with the "
                               "controller's administrator. Otherwise give the right CA certificate in File › Connect to "
                               "network controller….")
                                .arg(DisplayText::singleLine(problem.subject), problem.sha256Fingerprint,
                                     DisplayText::wrappable(problem.errors.join(u'\n'))));
    setPlainText(box);
    QPushButton *trust = box->addButton(tr("&Trust this certificate"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, trust, fingerprint = problem.sha256Fingerprint] {
        m_askedFingerprints.removeAll(fingerprint);
        if (box->clickedButton() != trust)
            return;
        OvsdbSslSettings ssl = m_network->sslSettings();
        ssl.trustedFingerprints.append(fingerprint);
        m_network->setSslSettings(ssl);
        QSettings settings;
        controllerSettings().save(settings);
    });
    box->open();
}

void MainWindow::askCredentials(const QString &uri, const QList<CredentialRequest> &requests)
{
    auto *dialog = new CredentialsDialog(uri, requests, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, uri] { m_sessions->provideCredentials(uri, dialog->reply()); });
    dialog->open();
}

void MainWindow::selectShowcaseVm()
{
    int best = -1;
    qsizetype bestNics = -1;
    for (int row = 0; row < m_vmFilter->rowCount(); ++row) {
        const QModelIndex index = m_vmFilter->index(row, 0);
        const VmInfo *vm = m_inventory->findVm({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
        if (vm && vm->state == VmState::Running && vm->nics.size() > bestNics) {
            best = row;
            bestNics = vm->nics.size();
        }
    }
    if (best >= 0)
        m_vmTable->selectRow(best);
}

void MainWindow::welcomeNewVm(const VmKey &vm)
{
    selectVm(vm);
    // Its NICs get their ports in the network controller, where it has a switch for their VLAN.
    for (const NicInfo &nic : m_inventory->vm(vm).nics) {
        if (m_network->addPortRefusal(vm, nic.mac).isEmpty())
            m_network->addPortForNic(vm, nic.mac);
    }
}

void MainWindow::selectVm(const VmKey &key)
{
    const int row = m_vmModel->rowOf(key);
    if (row < 0)
        return;
    const QModelIndex proxied = m_vmFilter->mapFromSource(m_vmDecorated->mapFromSource(m_vmModel->index(row, 0)));
    if (!proxied.isValid()) {
        m_notifications->notify(NotificationBar::Kind::Information, tr("%1 is hidden by the filter").arg(m_inventory->vm(key).name),
                                tr("Clear the filter to see it in the table."));
        return;
    }
    m_vmTable->selectRow(proxied.row());
    m_vmTable->scrollTo(proxied);
}

void MainWindow::setMetricsInterval(int seconds)
{
    seconds = seconds <= 0 ? 0 : std::clamp(seconds, 1, 60);
    m_sessions->setMetricsInterval(seconds);
    QSettings().setValue(SettingsMetricsInterval, seconds);
    if (m_intervalMenu) {
        for (QAction *action : m_intervalMenu->actions())
            action->setChecked(action->data().toInt() == seconds);
    }
}

bool MainWindow::savedSessionIsDemoOnly()
{
    QSettings settings;
    return settings.value(SettingsDemo, false).toBool() && settings.value(SettingsConnections).toStringList().isEmpty();
}

void MainWindow::enableHistory(const QString &path, bool demo)
{
    if (m_history)
        return;
    m_history = new MetricsHistory(m_metrics, this);
    connect(m_history, &MetricsHistory::opened, this, [this](const HistoryDatabase::OpenResult &result) {
        if (!result.movedAsidePath.isEmpty())
            m_notifications->notify(NotificationBar::Kind::Error, tr("The metrics history was damaged and has been set aside"),
                                    tr("%1 could not be read (%2). It was renamed %3 and kept for inspection; a new "
                                       "history starts now.")
                                        .arg(m_history->path(), result.damage, result.movedAsidePath));
        if (!result.ok)
            m_notifications->notify(NotificationBar::Kind::Error, tr("No metrics history"),
                                    tr("%1: charts show the last hour only.").arg(result.error));
    });
    connect(m_history, &MetricsHistory::failed, this, [this](const QString &error) {
        m_notifications->notify(NotificationBar::Kind::Error, tr("The metrics history cannot be written"), error);
    });
    for (MetricsPanel *panel : {m_details->vmMetrics(), m_details->hostMetrics()}) {
        if (panel)
            panel->setHistory(m_history);
    }
    // The event log is the audit trail: every record is stored too.
    connect(m_eventLog, &EventLogModel::recordAppended, m_history, &MetricsHistory::recordEvent);
    m_eventHistoryAction->setEnabled(true);
    m_usageAction->setEnabled(true);
    m_history->setAllocationSource([this](const QString &uri) {
        const bool demoHost = m_inventory->host(uri).demo;
        return UsageAllocations::ofHost(*m_inventory, uri, demoHost ? &DemoHistory::diskMiB : nullptr);
    });
    m_history->open(path, demo);
    if (!demo)
        return;
    // The demo's past, once its hosts answered (their VMs and memory known).
    auto seeded = std::make_shared<bool>(false);
    const auto seed = [this, seeded] {
        if (*seeded || !m_sessions->isSettled())
            return;
        QList<DemoHistorySubject> subjects;
        for (const QString &uri : m_inventory->hostUris()) {
            const HostInfo host = m_inventory->host(uri);
            if (!host.demo || host.state != ConnectionState::Connected)
                continue;
            subjects.append({{HistorySubject::Host, uri}, host.memoryKiB});
            for (const VmKey &key : m_inventory->vmKeysOfHost(uri)) {
                const VmInfo vm = m_inventory->vm(key);
                if (vm.isActive())
                    subjects.append({{HistorySubject::Vm, vm.uuid}, std::max(vm.maxMemoryKiB, vm.memoryKiB), vm.vcpus,
                                     vm.tenant, vm.displayName.isEmpty() ? vm.name : vm.displayName});
            }
        }
        if (subjects.isEmpty())
            return;
        *seeded = true;
        m_history->seedDemo(subjects);
    };
    connect(m_sessions, &SessionManager::settled, this, seed);
    QTimer::singleShot(0, this, seed);
}

EventSearchDialog *MainWindow::showEventHistory()
{
    if (!m_history)
        return nullptr;
    if (!m_eventSearch)
        m_eventSearch = new EventSearchDialog(m_history, this);
    else
        m_eventSearch->search();
    m_eventSearch->show();
    m_eventSearch->raise();
    m_eventSearch->activateWindow();
    return m_eventSearch;
}

UsageDialog *MainWindow::showUsage(bool show)
{
    if (!m_history)
        return nullptr;
    if (!m_usage)
        m_usage = new UsageDialog(m_history, m_tenantView->scope(), this);
    else
        m_usage->refresh();
    if (show) {
        m_usage->show();
        m_usage->raise();
        m_usage->activateWindow();
    }
    return m_usage;
}

void MainWindow::restoreConnections()
{
    QSettings settings;
    if (settings.value(SettingsDemo, false).toBool())
        m_sessions->openDemo();
    const QStringList uris = settings.value(SettingsConnections).toStringList();
    const QStringList readOnly = settings.value(SettingsReadOnly).toStringList();
    for (const QString &uri : uris)
        m_sessions->addConnection(uri, false, readOnly.contains(uri));
    // None saved: the demo opened above keeps its simulated controller.
    if (const ControllerSettings saved = ControllerSettings::load(settings); !saved.northbound.isEmpty()) {
        m_network->setSouthboundRemotes(saved.southbound);
        m_network->setRemotes(saved.northbound);
    }
}

void MainWindow::setControllerRemotes(const QStringList &remotes, const QStringList &southbound)
{
    m_network->setRemotes(remotes);
    m_network->setSouthboundRemotes(southbound);
    if (!remotes.isEmpty())
        m_networkDock->raise();
}

void MainWindow::createNetworkDock()
{
    m_networkDock = new QDockWidget(tr("Network"), this);
    m_networkDock->setObjectName(QStringLiteral("networkDock"));
    m_networkPanel = new NetworkPanel(m_network, m_networkDock);
    connect(m_networkPanel, &NetworkPanel::connectRequested, this, &MainWindow::controllerDialog);
    connect(m_networkPanel, &NetworkPanel::addressRequested, m_addressActions, &AddressActions::assign);
    connect(m_networkPanel, &NetworkPanel::portSecurityRequested, m_addressActions, &AddressActions::enablePortSecurity);
    connect(m_networkPanel, &NetworkPanel::subnetEditRequested, m_addressActions, &AddressActions::editSubnet);
    connect(m_networkPanel, &NetworkPanel::removeIsolationRequested, m_policyActions, &PolicyActions::removeIsolation);
    connect(m_networkPanel, &NetworkPanel::removeRuleRequested, m_policyActions, &PolicyActions::removeRule);
    m_networkDock->setWidget(m_networkPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_networkDock);
    auto *hosts = findChild<QDockWidget *>(QStringLiteral("hostsDock"));
    auto *details = findChild<QDockWidget *>(QStringLiteral("detailsDock"));
    if (hosts && details) {
        tabifyDockWidget(details, m_networkDock);
        details->raise();
        // Tabifying re-splits the areas: give back the widths createDocks chose.
        resizeDocks({hosts, details}, {290, 540}, Qt::Horizontal);
    }
}

void MainWindow::updateControllerStatus()
{
    const bool synced = m_network->isSynced();
    const QColor colour = !m_network->isConfigured() ? QColor(Qt::gray)
                          : synced                   ? connectionStateColor(ConnectionState::Connected)
                                                     : connectionStateColor(ConnectionState::Unreachable);
    // Our markup (a coloured dot) around the controller's state, which can quote an error message.
    m_controllerStatus->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                                    .arg(colour.name(), DisplayText::html(m_network->stateText(), DisplayText::MaxLength)));
    m_controllerStatus->setToolTip(DisplayText::toolTip(m_network->stateDetails()));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/vmTableHeader"), m_vmTable->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("window/vmTableColumns"), int(VmTableModel::ColumnCount));
    settings.setValue(QStringLiteral("window/centralTab"), m_centralTabs->currentIndex());
    m_topology->saveSettings(settings);
    // URIs only: credentials are never written anywhere.
    QStringList uris;
    QStringList readOnly;
    bool demo = false;
    const AccessPolicy *access = m_sessions->accessPolicy();
    for (const QString &uri : m_sessions->uris()) {
        if (m_inventory->host(uri).demo) {
            demo = true;
        } else if (m_inventory->host(uri).state != ConnectionState::Failed) { // a wrong URI or credentials: not again
            uris.append(uri);
            // Those chosen in the Connect dialog; --read-only is the command line's alone.
            if (access->isReadOnly(uri) && !access->allReadOnly())
                readOnly.append(uri);
        }
    }
    settings.setValue(SettingsConnections, uris);
    // A session run with --read-only does not change what was saved.
    if (!access->allReadOnly())
        settings.setValue(SettingsReadOnly, readOnly);
    settings.setValue(SettingsDemo, demo);
    controllerSettings().save(settings);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    // The files for ssl: remotes serve a controller given on the command line too.
    m_network->setSslSettings(ControllerSettings::load(settings).ssl);
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: as large as the screen allows (a laptop's 1366x768 included), up to
        // 1600x1000, centred; never the layout's own size hint, which can overflow a small screen.
        const QRect available = screen()->availableGeometry();
        resize(QSize(1600, 1000).boundedTo(available.size() * 0.96));
        move(available.center() - QPoint(width() / 2, height() / 2));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    // A state saved with other columns (an older Vigie) would put its widths and order on the
    // wrong ones: the default layout then.
    if (settings.value(QStringLiteral("window/vmTableColumns")).toInt() == VmTableModel::ColumnCount)
        m_vmTable->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/vmTableHeader")).toByteArray());
    m_centralTabs->setCurrentIndex(settings.value(QStringLiteral("window/centralTab"), 0).toInt());
    m_topology->restoreSettings(settings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::setTopologyColouring(bool byTenant, bool remember)
{
    m_topologyScene->setColouring(byTenant ? TopologyStyle::ChipColouring::Tenant : TopologyStyle::ChipColouring::State);
    if (m_colourByTenant) {
        m_colourByTenant->setChecked(byTenant);
        m_colourByState->setChecked(!byTenant);
    }
    if (remember)
        QSettings().setValue(SettingsTopologyColour, byTenant ? QStringLiteral("tenant") : QStringLiteral("state"));
}

QWidget *MainWindow::createTopology()
{
    m_topologyScene = new TopologyScene(m_inventory, this);
    // The outline of a VM isolated by Vigie: the isolation group of its NIC's port.
    m_topologyScene->setIsolationLookup([network = m_network](const VmKey &vm, const QString &mac) -> std::pair<QString, QString> {
        const std::optional<NicPortMatch> match = network->correlation()->matchOf(vm, mac);
        if (!match)
            return {};
        const OvnPortGroup group = network->isolation()->isolationOfPort(match->portUuid);
        return {group.isolationLabel(), group.name};
    });
    // A port joining or leaving a group changes its NIC's policy in the inventory: its chip is
    // refreshed with it, the lookup read again.
    m_topologyScene->setMigrationController(m_migrations);
    m_topologyScene->setHostRater(&m_rater);
    m_topology = new TopologyView(m_topologyScene, this);
    QList<QAction *> actions;
    for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::Reboot, VmAction::ForceOff,
                            VmAction::Pause, VmAction::Resume})
        actions.append(m_actions.value(int(action)));
    auto *separator = new QAction(m_topology);
    separator->setSeparator(true);
    actions.append(separator);
    actions.append(m_migrateMenu->menuAction());
    actions.append(m_vlanMenu->menuAction());
    actions.append(m_addressActions->menu()->menuAction());
    actions.append(m_policyActions->menu()->menuAction());
    m_topology->setVmActions(actions);
    // Queued: the migration dialog and the VLAN confirmation open once the drop has finished.
    connect(m_topologyScene, &TopologyScene::migrationRequested, this,
            [this](const QList<VmKey> &vms, const QString &destUri, bool skipDialog) {
                if (!skipDialog || m_quickMigrateConfirmed) {
                    requestMigration(vms, destUri, skipDialog);
                    return;
                }
                // Shift-drop skips the dialog: the first one of a session says so and asks, so that
                // a chip grabbed by mistake is not migrated on the spot.
                QStringList names;
                for (const VmKey &vm : vms)
                    names.append(m_inventory->vm(vm).name);
                auto *box = new QMessageBox(QMessageBox::Question, tr("Migrate without the dialog?"),
                                            tr("Migrate %1 to %2 now, with the last migration options?")
                                                .arg(names.join(QStringLiteral(", ")), m_inventory->host(destUri).displayName),
                                            QMessageBox::NoButton, this);
                box->setObjectName(QStringLiteral("quickMigrateBox"));
                box->setInformativeText(tr("Shift + drop migrates at once. It is not asked again until Vigie restarts."));
                box->setTextFormat(Qt::PlainText);
                QPushButton *migrate = box->addButton(tr("Migrate"), QMessageBox::AcceptRole);
                box->addButton(QMessageBox::Cancel);
                box->setDefaultButton(migrate);
                box->setAttribute(Qt::WA_DeleteOnClose);
                connect(box, &QMessageBox::finished, this, [this, box, migrate, vms, destUri] {
                    if (box->clickedButton() != migrate)
                        return;
                    m_quickMigrateConfirmed = true;
                    requestMigration(vms, destUri, true);
                });
                box->open();
            }, Qt::QueuedConnection);
    // Dropped beside the hosts: the dialog names the best host and why, as the confirmation.
    connect(m_topologyScene, &TopologyScene::bestHostMigrationRequested, this,
            [this](const QList<VmKey> &vms, const QString &destUri, const QString &reason) {
                requestMigration(vms, destUri, false,
                                 tr("The best host for this: %1. %2").arg(m_inventory->host(destUri).displayName, reason));
            }, Qt::QueuedConnection);
    connect(m_topologyScene, &TopologyScene::vlanMoveRequested, this,
            [this](const VmKey &vm, int vlanId, const QString &mac) { requestVlanMove(vm, vlanId, mac); }, Qt::QueuedConnection);
    connect(m_topologyScene, &TopologyScene::placementRequested, this, &MainWindow::requestPlacement, Qt::QueuedConnection);
    connect(m_topologyScene, &QGraphicsScene::selectionChanged, this, &MainWindow::topologySelectionChanged);
    connect(m_topology, &TopologyView::hostMenuRequested, this, &MainWindow::hostMenu);
    connect(m_vmFilterEdit, &QLineEdit::textChanged, m_topologyScene, &TopologyScene::setFilterText);
    return m_topology;
}

void MainWindow::showVmTable()
{
    m_centralTabs->setCurrentIndex(0);
    m_vmTable->setFocus();
}

void MainWindow::showTopology()
{
    m_centralTabs->setCurrentWidget(m_topology);
    m_topology->setFocus();
}

void MainWindow::exportTopology(bool svg)
{
    const QString filter = svg ? tr("SVG pictures (*.svg)") : tr("PNG pictures (*.png)");
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    QString path = QFileDialog::getSaveFileName(this, svg ? tr("Export topology as SVG") : tr("Export topology as PNG"),
                                                QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                                                    + QLatin1Char('/') + tr("topology") + suffix,
                                                filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    QString error;
    if (!(svg ? m_topology->exportSvg(path, &error) : m_topology->exportPng(path, &error)))
        m_notifications->notify(NotificationBar::Kind::Error, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Topology exported to %1").arg(path), 5000);
}

// The topology's selection drives the table, which drives the tree and the details.
void MainWindow::topologySelectionChanged()
{
    if (m_syncingSelection)
        return;
    QItemSelection selection;
    for (const VmKey &key : m_topologyScene->selectedVms()) {
        const int row = m_vmModel->rowOf(key);
        if (row < 0)
            continue;
        const QModelIndex proxied = m_vmFilter->mapFromSource(m_vmDecorated->mapFromSource(m_vmModel->index(row, 0)));
        if (proxied.isValid())
            selection.select(proxied, proxied.siblingAtColumn(VmTableModel::ColumnCount - 1));
    }
    // VMs the table's filter hides stay selected in the topology: no copy back.
    m_topologyDriving = true;
    m_vmTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    // A host clicked by its header: the tree selects it, the details show it.
    if (const QString host = m_topologyScene->selectedHost(); !host.isEmpty() && m_topologyScene->selectedVms().isEmpty()) {
        const QModelIndex row = m_hostFilter->mapFromSource(m_hostDecorated->mapFromSource(m_hostModel->hostIndex(host)));
        if (row.isValid()) {
            m_hostTree->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_hostTree->scrollTo(row);
        }
    }
    m_topologyDriving = false;
    if (!selection.isEmpty())
        m_vmTable->scrollTo(selection.indexes().first());
}

void MainWindow::syncTopologySelection()
{
    if (!m_topologyScene || m_topologyDriving)
        return;
    const bool syncing = m_syncingSelection;
    m_syncingSelection = true;
    const QList<VmKey> vms = selectedVms();
    m_topologyScene->selectVms(vms);
    // A host chosen in the tree is outlined in the topology.
    const QModelIndex current = m_hostTree->currentIndex();
    if (vms.isEmpty() && current.isValid() && current.data(KindRole).toInt() == int(NodeKind::Host)
        && m_hostTree->selectionModel()->isSelected(current))
        m_topologyScene->selectHost(current.data(HostUriRole).toString());
    m_syncingSelection = syncing;
}

void MainWindow::fillMigrateMenu()
{
    m_migrateMenu->clear();
    const QList<VmKey> vms = selectedVms();
    for (const QString &uri : m_inventory->hostUris()) {
        const HostInfo host = m_inventory->host(uri);
        QAction *action = m_migrateMenu->addAction(
            tr("%1 (%2 free)").arg(DisplayText::singleLine(host.displayName), formatMemoryKiB(m_migrations->preflight().freeMemoryKiB(uri))));
        QString refusal;
        int accepted = 0;
        for (const VmKey &vm : vms) {
            const PlacementCheck check = m_migrations->preflight().checkMigration(vm, uri);
            accepted += check.allowed ? 1 : 0;
            if (!check.allowed && refusal.isEmpty())
                refusal = vms.size() > 1 ? m_inventory->vm(vm).name + QStringLiteral(": ") + check.reason : check.reason;
        }
        // Several VMs: a host taking some of them is offered; the dialog says which stay.
        if (accepted > 0 && !refusal.isEmpty())
            refusal = tr("%1 of %2 VMs can go; %3").arg(accepted).arg(vms.size()).arg(refusal);
        action->setEnabled(accepted > 0);
        action->setToolTip(DisplayText::toolTip(refusal.isEmpty() ? tr("Migrate here") : refusal));
        action->setStatusTip(DisplayText::singleLine(refusal));
        connect(action, &QAction::triggered, this, [this, vms, uri] { requestMigration(vms, uri); });
    }
    if (m_inventory->hostUris().isEmpty())
        m_migrateMenu->addAction(tr("No host"))->setEnabled(false);
}

MigrationOptions MainWindow::savedMigrationOptions() const
{
    QSettings settings;
    return MigrationOptions::load(settings);
}

void MainWindow::hostMenu(const QString &hostUri, const QPoint &globalPos)
{
    QMenu menu(this);
    const QString name = DisplayText::singleLine(m_inventory->host(hostUri).displayName);
    menu.setToolTipsVisible(true);
    const QString readOnly = m_accessGuard->refusal({hostUri});
    if (m_tenantView->scope()->isScoped()) {
        // A tenant's view has no fleet-wide action.
        menu.addAction(tr("Reconnect %1").arg(name), this, [this, hostUri] { m_sessions->reconnect(hostUri); });
        menu.exec(globalPos);
        return;
    }
    QAction *evacuate = menu.addAction(tr("Evacuate %1…").arg(name), this, [this, hostUri] { requestEvacuation(hostUri); });
    evacuate->setEnabled(readOnly.isEmpty());
    evacuate->setToolTip(DisplayText::toolTip(readOnly));
    QAction *end = menu.addAction(tr("End maintenance of %1").arg(name), this, [this, hostUri] { endMaintenance(hostUri); });
    end->setEnabled(readOnly.isEmpty() && m_migrations->preflight().maintenance().contains(hostUri));
    end->setToolTip(DisplayText::toolTip(readOnly));
    menu.addSeparator();
    menu.addAction(tr("Reconnect %1").arg(name), this, [this, hostUri] { m_sessions->reconnect(hostUri); });
    menu.exec(globalPos);
}

void MainWindow::setMaintenance(const QString &hostUri, bool maintenance)
{
    QSet<QString> hosts = m_migrations->preflight().maintenance();
    if (maintenance)
        hosts.insert(hostUri);
    else
        hosts.remove(hostUri);
    m_migrations->preflight().setMaintenance(hosts);
    m_topologyScene->setMaintenance(hosts);
    updateActions();
}

void MainWindow::endMaintenance(const QString &hostUri)
{
    setMaintenance(hostUri, false);
    const QString name = DisplayText::singleLine(m_inventory->host(hostUri).displayName);
    statusBar()->showMessage(tr("%1 is out of maintenance").arg(name), 5000);
    // The VMs its evacuation moved, where they are now.
    const auto whereIs = [this, hostUri](const QString &uuid) {
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (key.uuid == uuid && key.hostUri != hostUri)
                return key;
        }
        return VmKey{};
    };
    const QStringList uuids = m_evacuated.take(hostUri);
    QStringList names;
    for (const QString &uuid : uuids) {
        if (const VmKey key = whereIs(uuid); key.isValid())
            names.append(m_inventory->vm(key).name);
    }
    if (names.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Bring the VMs back?"),
                                tr("Bring the %n VM(s) evacuated from %1 back to it?", nullptr, int(names.size())).arg(name),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("bringBackBox"));
    box->setInformativeText(tr("They go through the migration queue, with the last migration options: %1")
                                .arg(names.join(QStringLiteral(", "))));
    setPlainText(box); // VM and host names
    QPushButton *back = box->addButton(tr("&Bring back"), QMessageBox::AcceptRole);
    box->addButton(tr("&Leave them"), QMessageBox::RejectRole);
    box->setDefaultButton(back);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, back, uuids, hostUri, whereIs] {
        if (box->clickedButton() != back)
            return;
        const MigrationOptions options = savedMigrationOptions();
        for (const QString &uuid : uuids) {
            if (const VmKey key = whereIs(uuid); key.isValid())
                m_scheduler->enqueue(key, hostUri, options);
        }
    });
    box->open();
}

void MainWindow::requestEvacuation(const QString &hostUri)
{
    const QString name = DisplayText::name(m_inventory->host(hostUri).displayName);
    if (const QString refusal = m_accessGuard->refusal({hostUri}); !refusal.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, tr("Cannot evacuate %1").arg(name), refusal);
        return;
    }
    // The host being emptied takes nothing meanwhile: planned as in maintenance.
    const EvacuationPlan plan = EvacuationPlan::make(*m_inventory, m_migrations->preflight(), hostUri);
    if (plan.moves.isEmpty() && plan.unplaced.isEmpty()) {
        setMaintenance(hostUri, true);
        m_notifications->notify(NotificationBar::Kind::Information, tr("%1 has no VM").arg(name),
                                tr("It is now in maintenance."));
        return;
    }
    QStringList lines;
    int withDisks = 0;
    for (const EvacuationPlan::Move &move : plan.moves) {
        const VmInfo &vm = m_inventory->vm(move.vm);
        const auto disks = std::count_if(vm.disks.cbegin(), vm.disks.cend(), [](const DiskInfo &disk) { return disk.device == QLatin1String("disk"); });
        withDisks += disks > 0 ? 1 : 0;
        const QString vmName = DisplayText::name(vm.name);
        const QString destName = DisplayText::name(m_inventory->host(move.destUri).displayName);
        lines.append(disks > 0 ? tr("%1 → %2 (%n disk(s))", nullptr, int(disks)).arg(vmName, destName)
                               : tr("%1 → %2").arg(vmName, destName));
    }
    for (const EvacuationPlan::Unplaced &unplaced : plan.unplaced)
        lines.append(tr("%1 stays: %2").arg(DisplayText::name(m_inventory->vm(unplaced.vm).name), DisplayText::wrappable(unplaced.reason)));
    QMessageBox box(plan.isComplete() ? QMessageBox::Question : QMessageBox::Warning, tr("Evacuate %1").arg(name),
                    tr("Migrate %n VM(s) off %1 and put it in maintenance?", nullptr, int(plan.moves.size())).arg(name),
                    QMessageBox::Cancel, this);
    QString info = lines.mid(0, 12).join(QLatin1Char('\n'));
    if (lines.size() > 12)
        info += QLatin1Char('\n') + tr("and %n more", nullptr, int(lines.size() - 12));
    if (!plan.isComplete())
        info += QStringLiteral("\n\n") + tr("%n VM(s) cannot move and stay on the host.", nullptr, int(plan.unplaced.size()));
    box.setInformativeText(info);
    box.setDetailedText(lines.join(QLatin1Char('\n')));
    // Disks on storage the hosts do not share must be copied, or those migrations fail; on shared
    // storage they must not be. The operator knows which: the saved choice is the default.
    MigrationOptions options = savedMigrationOptions();
    auto *copyDisks = new QCheckBox(tr("&Copy the VMs' disks to the destination (storage not shared between hosts)"), &box);
    copyDisks->setChecked(options.copyStorage);
    copyDisks->setToolTip(tr("Needed when the disk images are local to each host; leave unchecked on shared storage."));
    copyDisks->setEnabled(withDisks > 0);
    box.setCheckBox(copyDisks);
    setPlainText(&box);
    QPushButton *go = box.addButton(tr("&Evacuate"), QMessageBox::AcceptRole);
    go->setEnabled(!plan.moves.isEmpty());
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != go)
        return;
    setMaintenance(hostUri, true);
    options.copyStorage = withDisks > 0 && copyDisks->isChecked();
    auto *evacuation = new Evacuation(m_scheduler, plan, options, this);
    connect(evacuation, &Evacuation::progressed, this, [this, name, evacuation](double percent, int done, int failed) {
        statusBar()->showMessage(tr("Evacuating %1: %2 % (%3 of %4 VMs moved, %5 failed)")
                                     .arg(name)
                                     .arg(percent, 0, 'f', 0)
                                     .arg(done)
                                     .arg(evacuation->total())
                                     .arg(failed));
    });
    connect(evacuation, &Evacuation::finished, this, [this, name, hostUri, evacuation](int done, int failed) {
        statusBar()->clearMessage();
        // What End maintenance offers to bring back.
        QStringList &evacuated = m_evacuated[hostUri];
        for (const VmKey &vm : evacuation->moved())
            evacuated.append(vm.uuid);
        if (failed == 0) {
            m_notifications->notify(NotificationBar::Kind::Information, tr("%1 evacuated").arg(name),
                                    tr("%n VM(s) moved; the host is in maintenance.", nullptr, done));
        } else {
            m_notifications->notify(NotificationBar::Kind::Error, tr("Evacuation of %1 incomplete").arg(name),
                                    tr("%n VM(s) moved, %1 failed:", nullptr, done).arg(failed) + QLatin1Char('\n')
                                        + evacuation->failures().join(QLatin1Char('\n')));
        }
        evacuation->deleteLater();
    });
    evacuation->start();
}

void MainWindow::requestMigration(const QList<VmKey> &vms, const QString &destUri, bool skipDialog, const QString &note)
{
    if (vms.isEmpty())
        return;
    MigrationOptions options = savedMigrationOptions();
    QList<VmKey> going;
    QList<MigrationDialog::Candidate> candidates;
    QStringList refusals;
    for (const VmKey &key : vms) {
        const VmInfo vm = m_inventory->vm(key);
        PlacementCheck check = m_migrations->preflight().checkMigration(key, destUri);
        if (check.allowed && m_migrations->isMigrating(key))
            check = PlacementCheck::refused(MigrationController::tr("This VM is already being migrated."));
        candidates.append({vm.name, m_inventory->host(key.hostUri).displayName, vm.isActive(), check.allowed, check.reason});
        if (check.allowed)
            going.append(key);
        else
            refusals.append(vms.size() > 1 ? tr("%1: %2").arg(vm.name, check.reason) : check.reason);
    }
    const QString title = vms.size() == 1 ? tr("Cannot migrate %1").arg(m_inventory->vm(vms.first()).name)
                                          : tr("%n VM(s) cannot migrate", nullptr, int(refusals.size()));
    if (going.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, title, refusals.join(QLatin1Char('\n')));
        return;
    }
    if (!skipDialog) {
        // One plan, one confirmation: several VMs are listed with their verdicts.
        const QString dest = m_inventory->host(destUri).displayName;
        std::unique_ptr<MigrationDialog> dialog
            = vms.size() == 1 ? std::make_unique<MigrationDialog>(candidates.first().vmName, candidates.first().source, dest,
                                                                  candidates.first().active, options, this)
                              : std::make_unique<MigrationDialog>(candidates, dest, options, this);
        dialog->setCapPerHost(m_scheduler->capPerHost());
        dialog->setNote(note);
        if (dialog->exec() != QDialog::Accepted)
            return;
        options = dialog->options();
        QSettings settings;
        MigrationOptions::save(settings, options);
        m_scheduler->setCapPerHost(dialog->capPerHost());
    } else if (!refusals.isEmpty()) {
        m_notifications->notify(NotificationBar::Kind::Error, title, refusals.join(QLatin1Char('\n')));
    }
    for (const VmKey &vm : std::as_const(going))
        m_scheduler->enqueue(vm, destUri, options);
}

void MainWindow::fillVlanMenu()
{
    m_vlanMenu->clear();
    const QList<VmKey> vms = selectedVms();
    if (vms.size() != 1) {
        m_vlanMenu->addAction(tr("Select one VM"))->setEnabled(false);
        return;
    }
    const VmKey key = vms.first();
    const VmInfo vm = m_inventory->vm(key);
    if (vm.nics.isEmpty()) {
        m_vlanMenu->addAction(tr("%1 has no NIC").arg(DisplayText::singleLine(vm.name)))->setEnabled(false);
        return;
    }
    for (int index = 0; index < vm.nics.size(); ++index) {
        const NicInfo &nic = vm.nics.at(index);
        const QList<int> current = m_inventory->nicVlans(key.hostUri, nic);
        QMenu *target = m_vlanMenu;
        if (vm.nics.size() > 1)
            target = m_vlanMenu->addMenu(QString(nicLabel(m_inventory, key.hostUri, nic, index)).replace(u'&', QStringLiteral("&&")));
        for (const VlanInfo &vlan : m_inventory->vlans()) {
            QAction *action = target->addAction(tr("VLAN %1 (%2)").arg(vlan.id).arg(DisplayText::singleLine(vlan.name)));
            QString refusal = m_migrations->preflight().writeRefusal(key.hostUri); // a read-only connection
            if (!refusal.isEmpty())
                action->setEnabled(false);
            else if (current == QList<int>{vlan.id})
                refusal = tr("The NIC is already in this VLAN.");
            else if (!vlan.hosts.isEmpty() && !vlan.hosts.contains(key.hostUri))
                refusal = tr("VLAN %1 is not available on %2.").arg(vlan.id).arg(m_inventory->host(key.hostUri).displayName);
            action->setEnabled(refusal.isEmpty());
            action->setToolTip(DisplayText::toolTip(refusal));
            const int id = vlan.id;
            const QString mac = nic.mac;
            connect(action, &QAction::triggered, this, [this, key, id, mac] { requestVlanMove(key, id, mac); });
        }
    }
}

void MainWindow::requestVlanMove(const VmKey &key, int vlanId, const QString &macAddress)
{
    const VmInfo vm = m_inventory->vm(key);
    QString mac = macAddress;
    if (mac.isEmpty() && vm.nics.size() == 1)
        mac = vm.nics.first().mac;
    if (mac.isEmpty()) {
        QStringList choices;
        for (int i = 0; i < vm.nics.size(); ++i)
            choices.append(nicLabel(m_inventory, key.hostUri, vm.nics.at(i), i));
        QInputDialog dialog(this);
        dialog.setWindowTitle(tr("Move to VLAN %1").arg(vlanId));
        dialog.setLabelText(tr("Which NIC of %1?").arg(DisplayText::name(vm.name)));
        dialog.setComboBoxItems(choices);
        dialog.setComboBoxEditable(false);
        setPlainText(&dialog); // the label names the VM
        if (dialog.exec() != QDialog::Accepted)
            return;
        const qsizetype chosen = choices.indexOf(dialog.textValue());
        if (chosen < 0)
            return;
        mac = vm.nics.at(chosen).mac;
    }
    const QString vlan = tr("VLAN %1 (%2)").arg(vlanId).arg(DisplayText::name(m_inventory->vlanName(vlanId)));
    QMessageBox box(QMessageBox::Question, tr("Move to %1").arg(vlan),
                    tr("Move the NIC %1 of %2 into %3?").arg(mac, DisplayText::name(vm.name), vlan), QMessageBox::Cancel, this);
    box.setInformativeText(vm.isActive() ? tr("The running VM changes network at once: its connections in the old VLAN "
                                              "are cut.")
                                         : tr("The VM is off: its definition changes."));
    const bool controller = m_network->managesNic(key, mac);
    if (controller) {
        const QString refusal = m_network->moveRefusal(key, mac, vlanId);
        box.setDetailedText(refusal.isEmpty() ? tr("The NIC's port moves in the network controller first, in one "
                                                   "transaction; then libvirt follows. If libvirt fails, the port is "
                                                   "moved back.")
                                              : refusal);
    }
    QPushButton *move = box.addButton(tr("&Move"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    setPlainText(&box);
    box.exec();
    if (box.clickedButton() != move)
        return;
    if (controller)
        m_network->moveNicToVlan(key, mac, vlanId);
    else
        m_sessions->moveNicToVlan(key, mac, vlanId);
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
    NewVmDialog dialog(m_inventory, tmpl, hostUri, vlanId, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const NewVm vm = dialog.newVm();
    if (const PlacementCheck quota = m_migrations->preflight().checkQuota(vm.tenant, tmpl.vcpus, tmpl.memoryMiB, tmpl.diskGiB);
        !quota.allowed) {
        m_notifications->notify(NotificationBar::Kind::Error, tr("%1 not created").arg(vm.name), quota.reason);
        return;
    }
    m_sessions->createVm(hostUri, vm);
}

} // namespace Vigie
