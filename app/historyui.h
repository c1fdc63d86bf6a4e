#pragma once

#include <QObject>

class QAction;
class QWidget;

namespace Vigie {

class EventLogModel;
class EventSearchDialog;
class Inventory;
class MetricsHistory;
class MetricsStore;
class NotificationBar;
class SessionManager;
class TenantScope;
class UsageDialog;
class VmDetailsPane;

// The stored past, in the window: the metrics history the charts read their long windows from,
// the event log kept as the audit trail, View › Event history… and View › Usage… (enabled once
// a history is open). A history damaged or that cannot be opened or written is told in the
// notification bar.
class HistoryUi : public QObject
{
    Q_OBJECT

public:
    HistoryUi(Inventory *inventory, SessionManager *sessions, MetricsStore *metrics, EventLogModel *eventLog,
              VmDetailsPane *details, NotificationBar *notifications, const TenantScope *tenantScope, QWidget *window);

    [[nodiscard]] QAction *eventHistoryAction() const { return m_eventHistoryAction; }
    [[nodiscard]] QAction *usageAction() const { return m_usageAction; }
    [[nodiscard]] MetricsHistory *history() const { return m_history; }
    // Records the metrics history in the SQLite file PATH and gives the charts its long windows;
    // DEMO: the demo's own database, seeded with a synthetic past once the demo hosts answered.
    void enable(const QString &path, bool demo);
    // View › Event history…: the stored event log, searchable and exportable (with a history).
    EventSearchDialog *showEventHistory();
    // View › Usage…: the usage report dialog (created on first use); shown unless show is false.
    UsageDialog *showUsage(bool show = true);

private:
    // The demo's past, once its hosts answered (their VMs and memory known).
    void seedDemoOnceSettled();

    Inventory *m_inventory;
    SessionManager *m_sessions;
    MetricsStore *m_metrics;
    EventLogModel *m_eventLog;
    VmDetailsPane *m_details;
    NotificationBar *m_notifications;
    const TenantScope *m_tenantScope;
    QWidget *m_window;
    QAction *m_eventHistoryAction;
    QAction *m_usageAction;
    MetricsHistory *m_history = nullptr;
    EventSearchDialog *m_eventSearch = nullptr;
    UsageDialog *m_usage = nullptr;
};

} // namespace Vigie
