#include "historyui.h"

#include "demo/demohistory.h"
#include "eventsearchdialog.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/eventlogmodel.h"
#include "metrics/metricshistory.h"
#include "metrics/usageallocations.h"
#include "metricspanel.h"
#include "notificationbar.h"
#include "usagedialog.h"
#include "vmdetailspane.h"

#include <QAction>
#include <QTimer>

#include <memory>

namespace Vigie {

HistoryUi::HistoryUi(Inventory *inventory, SessionManager *sessions, MetricsStore *metrics, EventLogModel *eventLog,
                     VmDetailsPane *details, NotificationBar *notifications, const TenantScope *tenantScope, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_metrics(metrics)
    , m_eventLog(eventLog)
    , m_details(details)
    , m_notifications(notifications)
    , m_tenantScope(tenantScope)
    , m_window(window)
    , m_eventHistoryAction(new QAction(tr("&Event history…"), window))
    , m_usageAction(new QAction(tr("&Usage…"), window))
{
    m_eventHistoryAction->setStatusTip(tr("Search the stored event log by text and time, export it as CSV"));
    m_eventHistoryAction->setEnabled(false);
    connect(m_eventHistoryAction, &QAction::triggered, this, [this] { showEventHistory(); });
    m_usageAction->setStatusTip(tr("What each tenant's VMs were allocated and used, and what it costs; CSV and PDF"));
    m_usageAction->setEnabled(false);
    connect(m_usageAction, &QAction::triggered, this, [this] { showUsage(); });
}

void HistoryUi::enable(const QString &path, bool demo)
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
    if (demo)
        seedDemoOnceSettled();
}

void HistoryUi::seedDemoOnceSettled()
{
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

EventSearchDialog *HistoryUi::showEventHistory()
{
    if (!m_history)
        return nullptr;
    if (!m_eventSearch)
        m_eventSearch = new EventSearchDialog(m_history, m_window);
    else
        m_eventSearch->search();
    m_eventSearch->show();
    m_eventSearch->raise();
    m_eventSearch->activateWindow();
    return m_eventSearch;
}

UsageDialog *HistoryUi::showUsage(bool show)
{
    if (!m_history)
        return nullptr;
    if (!m_usage)
        m_usage = new UsageDialog(m_history, m_tenantScope, m_window);
    else
        m_usage->refresh();
    if (show) {
        m_usage->show();
        m_usage->raise();
        m_usage->activateWindow();
    }
    return m_usage;
}

} // namespace Vigie
