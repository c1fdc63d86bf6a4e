#pragma once

#include "hypervisor/vmaction.h"
#include "inventory/vminfo.h"
#include "placement/hostrating.h"
#include "placement/vmtemplate.h"

#include <QMainWindow>

class QAction;
class QDialog;
class QTabWidget;
class QTableView;
class QTreeView;

namespace Vigie {

class AccessGuard;
class AddressActions;
class AlarmsUi;
class ConsoleWindows;
class ControllerUi;
class DashboardPanel;
class DecoratingProxyModel;
class EventLogModel;
class EventSearchDialog;
class FleetStatus;
class HistoryUi;
class HostTreeModel;
class Inventory;
class JobsPanel;
class LifecycleActions;
class MainMenus;
class MetricsHistory;
class MetricsSourceUi;
class MetricsStore;
class MigrationBindings;
class MigrationController;
class MigrationScheduler;
class MigrationWorkflow;
class NetworkController;
class NetworkPanel;
class NotificationBar;
class PlacementFlow;
class PolicyActions;
class SessionManager;
class TagActions;
class TemplatePalette;
class TenantScope;
class TenantView;
class TopologyTab;
class TopologyView;
class UsageDialog;
class VlanMoves;
class VmDetailsPane;
class VmFilterBar;
class VmFilterProxyModel;
class VmSelection;
class VmTableModel;
class WindowActions;
class WindowDocks;

// The console's window: it puts together its parts (the VM table and the topology as tabs,
// HostTreePanel, VmTablePanel, TopologyTab, WindowDocks, WindowActions, MainMenus, the status
// bar; WindowSettings saves and restores them) and wires them to the pieces that do the work,
// each named after it: VmSelection (one selection in every view), LifecycleActions,
// MigrationWorkflow (migrations, evacuation, maintenance), VlanMoves, PlacementFlow,
// AddressActions, PolicyActions, TagActions, ConsoleWindows, HistoryUi, ControllerUi,
// FleetStatus, TenantView, AlarmsUi. Reads the inventory, acts through the session manager and
// the network controller; never calls libvirt itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(Inventory *inventory, SessionManager *sessions, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Reopens the connections of the last session (URIs only; credentials are asked again).
    void restoreConnections();
    // Selects a running VM with the most NICs, so a screenshot shows full details.
    void selectShowcaseVm();
    // Selects the VM in the table (and so in the tree, topology and details), unless filtered out.
    void selectVm(const VmKey &key);
    // Shows the serial console of VM in a window of its own (raised if it is open already).
    void openConsoleWindow(const VmKey &vm);
    // Shows the graphical display of VM in a window of its own (raised if it is open already).
    void openDisplayWindow(const VmKey &vm);

    [[nodiscard]] QList<VmKey> selectedVms() const;
    [[nodiscard]] QAction *action(VmAction action) const;
    [[nodiscard]] NotificationBar *notifications() const { return m_notifications; }
    [[nodiscard]] MigrationController *migrations() const { return m_migrations; }
    [[nodiscard]] MigrationScheduler *scheduler() const { return m_scheduler; }
    [[nodiscard]] JobsPanel *jobsPanel() const;
    [[nodiscard]] MetricsStore *metrics() const { return m_metrics; }
    [[nodiscard]] VmDetailsPane *details() const { return m_details; }
    [[nodiscard]] DashboardPanel *dashboard() const;
    [[nodiscard]] AlarmsUi *alarms() const;
    // Records the metrics history in the SQLite file PATH and gives the charts its long windows;
    // DEMO: the demo's own database, seeded with a synthetic past once the demo hosts answered.
    // A damaged file moved aside, or a history that cannot be opened, is told in the
    // notification bar.
    void enableHistory(const QString &path, bool demo);
    [[nodiscard]] MetricsHistory *history() const;
    // View › Event history…: the stored event log, searchable and exportable (with a history).
    EventSearchDialog *showEventHistory();
    // View › Usage…: the usage report dialog (created on first use); shown unless show is false.
    UsageDialog *showUsage(bool show = true);
    // The last session saved only the demo datacenter (so restoring it needs the demo's history).
    [[nodiscard]] static bool savedSessionIsDemoOnly();
    // Seconds between metrics ticks on every host (1..60), 0 for none; remembered.
    void setMetricsInterval(int seconds);
    // View › Metrics source…: direct polling or Prometheus.
    [[nodiscard]] MetricsSourceUi *metricsSource() const { return m_metricsSource; }
    [[nodiscard]] NetworkController *networkController() const { return m_network; }
    [[nodiscard]] NetworkPanel *networkPanel() const;
    // Connects to the network controller's remotes (command line) and shows its panel.
    void setControllerRemotes(const QStringList &remotes, const QStringList &southbound = {});
    [[nodiscard]] TopologyView *topologyView() const;
    // View › Topology colour: by state or by tenant; REMEMBER: saved for the next start.
    void setTopologyColouring(bool byTenant, bool remember = true);
    // Brings the VM table or the topology to the front.
    void showVmTable();
    void showTopology();

    // The workflows, as MigrationWorkflow, VlanMoves and PlacementFlow run them.
    void requestMigration(const QList<VmKey> &vms, const QString &destUri, bool skipDialog = false,
                          const QString &note = {});
    void requestVlanMove(const VmKey &vm, int vlanId, const QString &mac = {});
    void requestEvacuation(const QString &hostUri);
    void endMaintenance(const QString &hostUri);
    // A template dropped on a host, then on a VLAN: asks for the name, tenant and start, then creates.
    void requestPlacement(const Vigie::VmTemplate &tmpl, const QString &hostUri, int vlanId);
    [[nodiscard]] TemplatePalette *templatePalette() const;
    // Shows only TENANT's VMs, the VLANs they use and its share of the hosts; empty: every tenant.
    void setTenant(const QString &tenant);
    // Types TEXT (a VmQuery) in the VM filter: the table and the topology follow.
    void setFilterText(const QString &text);
    [[nodiscard]] TenantScope *tenantScope() const;
    // View › Reset layout: every dock back where a first start puts it.
    void resetLayout();
    // Help › Keyboard shortcuts (non-modal; the same sheet raised if open).
    QDialog *showShortcuts();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    QWidget *createVmTable();
    void createTopology();
    void createDocks();
    void updateActions();
    void saveSettings();
    void restoreSettings();
    // What the selection holds; empty until the views are built.
    [[nodiscard]] QString selectedHostUri() const;
    [[nodiscard]] QStringList selectedVmHosts() const;
    // The actions a VM's context menus start with: the lifecycle, a separator, then MORE.
    [[nodiscard]] QList<QAction *> vmContextActions(QObject *separatorOwner, const QList<QAction *> &more) const;

    Inventory *m_inventory;
    SessionManager *m_sessions;
    MetricsStore *m_metrics; // the session manager's, or this window's own
    HostTreeModel *m_hostModel;
    DecoratingProxyModel *m_hostDecorated;
    VmFilterProxyModel *m_hostFilter;
    VmTableModel *m_vmModel;
    DecoratingProxyModel *m_vmDecorated;
    VmFilterProxyModel *m_vmFilter;
    EventLogModel *m_eventLog;
    MigrationController *m_migrations;
    MigrationScheduler *m_scheduler;
    HostRater m_rater; // while dragging VMs in the topology
    NotificationBar *m_notifications;
    NetworkController *m_network;
    MigrationBindings *m_migrationBindings;

    // The pieces that do the work.
    VmSelection *m_selection = nullptr;
    AccessGuard *m_accessGuard = nullptr;
    LifecycleActions *m_lifecycle = nullptr;
    MigrationWorkflow *m_migrationWorkflow = nullptr;
    VlanMoves *m_vlanMoves = nullptr;
    AddressActions *m_addressActions = nullptr;
    TagActions *m_tagActions = nullptr;
    PolicyActions *m_policyActions = nullptr;
    PlacementFlow *m_placement = nullptr;
    ConsoleWindows *m_consoleWindows = nullptr;
    HistoryUi *m_historyUi = nullptr;
    ControllerUi *m_controllerUi = nullptr;
    FleetStatus *m_fleetStatus = nullptr;
    TenantView *m_tenantView = nullptr;
    MetricsSourceUi *m_metricsSource = nullptr;

    // The window's own parts.
    WindowActions *m_windowActions = nullptr;
    MainMenus *m_menus = nullptr;
    WindowDocks *m_docks = nullptr;
    QTreeView *m_hostTree = nullptr;
    QTableView *m_vmTable = nullptr;
    QTabWidget *m_centralTabs = nullptr;
    TopologyTab *m_topologyTab = nullptr;
    VmFilterBar *m_filterBar = nullptr;
    VmDetailsPane *m_details = nullptr;
};

} // namespace Vigie
