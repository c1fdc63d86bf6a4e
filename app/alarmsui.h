#pragma once

#include "onceperturn.h"

#include <QObject>

class QDockWidget;
class QLabel;
class QMainWindow;

namespace Vigie {

class AlarmMonitor;
class AlarmsPanel;
class DesktopNotifier;
class Inventory;
class MetricsStore;
class MigrationController;
class NetworkController;
class TenantScope;

// The alarms in the main window: the monitor, the Alarms dock, the count in the status bar, the
// rules dialog and the desktop notification of new critical alarms (unless muted); rules and
// the mute setting are kept in QSettings ("alarms/").
class AlarmsUi : public QObject
{
    Q_OBJECT

public:
    AlarmsUi(QMainWindow *window, Inventory *inventory, MetricsStore *store, MigrationController *migrations,
             NetworkController *network);

    [[nodiscard]] AlarmMonitor *monitor() const { return m_monitor; }
    [[nodiscard]] AlarmsPanel *panel() const { return m_panel; }
    [[nodiscard]] QDockWidget *dock() const { return m_dock; }
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    [[nodiscard]] DesktopNotifier *notifier() const { return m_notifier; }
    // Only the scope's tenant's alarms in the dock, the count and the notifications.
    void setTenantScope(const TenantScope *scope);
    // The rules dialog (modal); applies and saves what the operator accepts.
    void editRules();

Q_SIGNALS:
    // The counts the status bar shows changed (the scope's alarms only).
    void countsShown(int active, int critical);

private:
    void updateStatus();

    QMainWindow *m_window;
    AlarmMonitor *m_monitor;
    DesktopNotifier *m_notifier;
    QDockWidget *m_dock;
    AlarmsPanel *m_panel;
    QLabel *m_status;
    const TenantScope *m_scope = nullptr;
    OncePerTurn m_statusSoon{this, [this] { updateStatus(); }}; // for the monitor's counts, as AlarmsPanel's
};

} // namespace Vigie
