#pragma once

#include "inventory/vminfo.h"

#include <QByteArray>
#include <QObject>

class QDockWidget;
class QMainWindow;
class QTableView;
class QWidget;

namespace Vigie {

class AlarmsUi;
class DashboardPanel;
class EventLogModel;
class Inventory;
class JobsPanel;
class MetricsStore;
class MigrationController;
class MigrationScheduler;
class NetworkController;
class NetworkPanel;
class SessionManager;
class TemplatePalette;
class VmDetailsPane;

// The window's docks and their layout: Hosts above Templates on the left; Details and Network
// tabbed on the right; Event log, Migrations, Dashboard and Alarms tabbed at the bottom. A
// first start gives them default sizes once the window has its own; View › Reset layout puts
// them back there. Between docks: a migration that starts brings its progress to the front,
// the event log follows its last line, the dashboard's summary counts the alarms and opens
// their dock. Its strings are the window's, in its translation context.
class WindowDocks : public QObject
{
    Q_OBJECT

public:
    // HOST_PANEL goes in the Hosts dock.
    WindowDocks(QWidget *hostPanel, Inventory *inventory, SessionManager *sessions, MetricsStore *metrics,
                EventLogModel *eventLog, MigrationController *migrations, MigrationScheduler *scheduler,
                NetworkController *network, QMainWindow *window);

    [[nodiscard]] VmDetailsPane *details() const { return m_details; }
    [[nodiscard]] JobsPanel *jobs() const { return m_jobs; }
    [[nodiscard]] DashboardPanel *dashboard() const { return m_dashboard; }
    [[nodiscard]] AlarmsUi *alarms() const { return m_alarms; }
    [[nodiscard]] TemplatePalette *palette() const { return m_palette; }
    [[nodiscard]] NetworkPanel *networkPanel() const { return m_networkPanel; }

    // The Details dock shown and in front.
    void showDetails();
    // The Network dock in front (a controller was given).
    void raiseNetwork();
    // Keeps the layout as it is now (the window complete, nothing restored) for reset().
    void rememberDefaultLayout();
    // Every dock back where a first start puts it.
    void reset();
    // The sizes a first start gives the docks.
    void defaultSizes();

Q_SIGNALS:
    // A VM double-clicked in the dashboard or the alarms.
    void vmActivated(const Vigie::VmKey &vm);

private:
    void createBottomDocks(Inventory *inventory, MetricsStore *metrics, EventLogModel *eventLog,
                           MigrationController *migrations, MigrationScheduler *scheduler, NetworkController *network);
    void createNetworkDock(NetworkController *network);

    QMainWindow *m_window;
    QDockWidget *m_hostsDock = nullptr;
    QDockWidget *m_detailsDock = nullptr;
    QDockWidget *m_eventLogDock = nullptr;
    QDockWidget *m_templatesDock = nullptr;
    QDockWidget *m_networkDock = nullptr;
    VmDetailsPane *m_details = nullptr;
    QTableView *m_eventView = nullptr;
    JobsPanel *m_jobs = nullptr;
    DashboardPanel *m_dashboard = nullptr;
    AlarmsUi *m_alarms = nullptr;
    TemplatePalette *m_palette = nullptr;
    NetworkPanel *m_networkPanel = nullptr;
    QByteArray m_defaultLayout;
};

} // namespace Vigie
