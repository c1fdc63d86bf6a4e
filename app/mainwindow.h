#pragma once

#include "hypervisor/credentials.h"
#include "hypervisor/migration.h"
#include "hypervisor/vmaction.h"
#include "inventory/vminfo.h"
#include "placement/hostrating.h"
#include "placement/vmtemplate.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QAction;
class QDialog;
class QComboBox;
class QDockWidget;
class QItemSelection;
class QLabel;
class QLineEdit;
class QMenu;
class QTabWidget;
class QTableView;
class QTreeView;

namespace Vigie {

class AccessGuard;
class AddressActions;
class SavedSearches;
class TagActions;
class PolicyActions;
class AlarmsUi;
class DashboardPanel;
class DecoratingProxyModel;
class JobsPanel;
class MetricsHistory;
class MetricsSourceUi;
class MetricsStore;
class MigrationController;
class MigrationScheduler;
class MigrationBindings;
class NetworkController;
class NetworkPanel;
class EventLogModel;
class EventSearchDialog;
class HostTreeModel;
class Inventory;
class NotificationBar;
struct ControllerSettings;
struct OvsdbCertificateProblem;
class SessionManager;
class TemplatePalette;
class TenantScope;
class TenantView;
class UsageDialog;
class TopologyScene;
class TopologyView;
class VmDetailsPane;
class VmFilterProxyModel;
class VmTableModel;

// Host tree, VM table, details and event log, with the lifecycle actions. Reads the inventory,
// acts through the session manager; never calls libvirt itself.
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
    [[nodiscard]] QAction *action(VmAction action) const { return m_actions.value(int(action)); }
    [[nodiscard]] NotificationBar *notifications() const { return m_notifications; }
    [[nodiscard]] MigrationController *migrations() const { return m_migrations; }
    [[nodiscard]] MigrationScheduler *scheduler() const { return m_scheduler; }
    [[nodiscard]] JobsPanel *jobsPanel() const { return m_jobs; }
    [[nodiscard]] MetricsStore *metrics() const { return m_metrics; }
    [[nodiscard]] VmDetailsPane *details() const { return m_details; }
    [[nodiscard]] DashboardPanel *dashboard() const { return m_dashboard; }
    [[nodiscard]] AlarmsUi *alarms() const { return m_alarms; }
    // Records the metrics history in the SQLite file PATH and gives the charts its long windows;
    // DEMO: the demo's own database, seeded with a synthetic past once the demo hosts answered.
    // A damaged file moved aside, or a history that cannot be opened, is told in the
    // notification bar.
    void enableHistory(const QString &path, bool demo);
    [[nodiscard]] MetricsHistory *history() const { return m_history; }
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
    [[nodiscard]] NetworkPanel *networkPanel() const { return m_networkPanel; }
    // Connects to the network controller's remotes (command line) and shows its panel.
    void setControllerRemotes(const QStringList &remotes, const QStringList &southbound = {});
    [[nodiscard]] TopologyView *topologyView() const { return m_topology; }
    // View › Topology colour: by state or by tenant; REMEMBER: saved for the next start.
    void setTopologyColouring(bool byTenant, bool remember = true);
    // Brings the VM table or the topology to the front.
    void showVmTable();
    void showTopology();

    // Migrates VMS to DEST_URI: asks how in the migration dialog (one VM), unless SKIP_DIALOG,
    // then with the last options used. Refusals are shown, not silently dropped.
    // One plan for every VM: one confirmation (the dialog lists each VM's pre-flight verdict;
    // refused ones are left out), then the migrations go through the queue. NOTE heads the
    // dialog (why this destination).
    void requestMigration(const QList<VmKey> &vms, const QString &destUri, bool skipDialog = false,
                          const QString &note = {});
    // Moves a NIC of VM into VLAN_ID after the operator confirms (MAC empty: the VM's only NIC,
    // or the operator picks one).
    void requestVlanMove(const VmKey &vm, int vlanId, const QString &mac = {});
    // Plans where each VM of HOST_URI goes, asks the operator, then puts the host in maintenance
    // (nothing new placed there) and migrates them.
    void requestEvacuation(const QString &hostUri);
    // A template dropped on a host, then on a VLAN: asks for the name, tenant and start, then creates.
    void requestPlacement(const Vigie::VmTemplate &tmpl, const QString &hostUri, int vlanId);
    [[nodiscard]] TemplatePalette *templatePalette() const { return m_palette; }
    // Shows only TENANT's VMs, the VLANs they use and its share of the hosts; empty: every tenant.
    void setTenant(const QString &tenant);
    // Types TEXT (a VmQuery) in the VM filter: the table and the topology follow.
    void setFilterText(const QString &text);
    [[nodiscard]] TenantScope *tenantScope() const;
    void endMaintenance(const QString &hostUri);
    // View › Reset layout: every dock back where a first start puts it.
    void resetLayout();
    // Help › Keyboard shortcuts (non-modal; the same sheet raised if open).
    QDialog *showShortcuts();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    QWidget *createHostTree();
    QWidget *createVmTable();
    QWidget *createTopology();
    void exportTopology(bool svg);
    void hostMenu(const QString &hostUri, const QPoint &globalPos);
    void setMaintenance(const QString &hostUri, bool maintenance);
    [[nodiscard]] MigrationOptions savedMigrationOptions() const;
    void topologySelectionChanged();
    void syncTopologySelection();
    void createDocks();
    void defaultDockSizes();
    // A selected VM that left the table (migrated: removed from its source) is selected again
    // on the host it appears on.
    void followSelection();
    void updateActions();
    void updateStatus();
    void trigger(VmAction action);
    void welcomeNewVm(const VmKey &vm);
    void fillMigrateMenu();
    void fillVlanMenu();
    void connectDialog();
    void controllerDialog();
    // The controller as configured now, to show and remember.
    [[nodiscard]] ControllerSettings controllerSettings() const;
    void askTrust(const OvsdbCertificateProblem &problem);
    void askCredentials(const QString &uri, const QList<CredentialRequest> &requests);
    void treeSelectionChanged();
    void tableSelectionChanged();
    void saveSettings() const;
    void restoreSettings();
    void createNetworkDock();
    void updateControllerStatus();
    [[nodiscard]] QString selectedHostUri() const;

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
    QHash<QString, QStringList> m_evacuated; // host in maintenance -> UUIDs of the VMs it sent away
    JobsPanel *m_jobs = nullptr;
    DashboardPanel *m_dashboard = nullptr;
    AlarmsUi *m_alarms = nullptr;
    TemplatePalette *m_palette = nullptr;
    VmKey m_selectWhenAdded; // a VM just created, selected when it appears
    QMenu *m_intervalMenu = nullptr;
    MetricsSourceUi *m_metricsSource = nullptr;
    QAction *m_colourByState = nullptr;
    QAction *m_colourByTenant = nullptr;
    NetworkController *m_network = nullptr;
    MigrationBindings *m_migrationBindings = nullptr;
    NetworkPanel *m_networkPanel = nullptr;
    QDockWidget *m_networkDock = nullptr;
    QLabel *m_controllerStatus = nullptr;
    QMenu *m_migrateMenu = nullptr;
    QMenu *m_vlanMenu = nullptr;

    QTreeView *m_hostTree = nullptr;
    QLineEdit *m_hostFilterEdit = nullptr;
    QTableView *m_vmTable = nullptr;
    QTabWidget *m_centralTabs = nullptr;
    TopologyScene *m_topologyScene = nullptr;
    TopologyView *m_topology = nullptr;
    QLineEdit *m_vmFilterEdit = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QTableView *m_eventView = nullptr;
    VmDetailsPane *m_details = nullptr;
    MetricsHistory *m_history = nullptr;
    QAction *m_eventHistoryAction = nullptr;
    EventSearchDialog *m_eventSearch = nullptr;
    UsageDialog *m_usage = nullptr;
    QAction *m_usageAction = nullptr;
    NotificationBar *m_notifications = nullptr;
    AddressActions *m_addressActions = nullptr;
    TagActions *m_tagActions = nullptr;
    SavedSearches *m_savedSearches = nullptr;
    PolicyActions *m_policyActions = nullptr;
    AccessGuard *m_accessGuard = nullptr;
    TenantView *m_tenantView = nullptr;
    QLabel *m_connectionStatus = nullptr;
    QLabel *m_vmStatus = nullptr;

    QHash<int, QAction *> m_actions; // by VmAction
    QAction *m_connectAction = nullptr;
    QAction *m_controllerAction = nullptr;
    QStringList m_askedFingerprints; // certificates whose trust question is open
    QAction *m_demoAction = nullptr;
    QAction *m_reconnectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_evacuateAction = nullptr;
    QAction *m_endMaintenanceAction = nullptr;
    QAction *m_consoleAction = nullptr;
    QHash<VmKey, QPointer<QWidget>> m_consoleWindows; // top-level, deleted on close
    QHash<VmKey, QPointer<QWidget>> m_displayWindows; // likewise
    QByteArray m_defaultLayout; // the docks as a first start has them
    QPointer<QDialog> m_shortcuts;
    QList<VmKey> m_selection;   // the table's last non-empty selection
    QStringList m_followUuids;  // selected VMs gone from the table, selected again when they reappear
    bool m_quickMigrateConfirmed = false; // Shift-drop: asked once per session
    bool m_syncingSelection = false;
    bool m_topologyDriving = false; // the topology's selection is being copied to the table
    QTimer m_statusTimer;
};

} // namespace Vigie
