#include "alarmsui.h"

#include "alarmrulesdialog.h"
#include "alarms/alarmmonitor.h"
#include "alarmspanel.h"
#include "desktopnotifier.h"
#include "inventory/tenantscope.h"
#include "itemmodels/alarmmodel.h"
#include "network/networkcontroller.h"

#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QSettings>

namespace Vigie {

namespace {
const QString SettingsNotify = QStringLiteral("alarms/notify");
}

AlarmsUi::AlarmsUi(QMainWindow *window, Inventory *inventory, MetricsStore *store, MigrationController *migrations,
                   NetworkController *network)
    : QObject(window)
    , m_window(window)
    , m_monitor(new AlarmMonitor(inventory, store, this))
    , m_notifier(new DesktopNotifier(this))
    , m_dock(new QDockWidget(tr("Alarms"), window))
    , m_status(new QLabel(window))
{
    m_monitor->loadRules();
    if (migrations)
        m_monitor->watchMigrations(migrations);
    if (network) {
        m_monitor->watchNetwork(network->correlation());
        m_monitor->watchNetwork(network->isolationAudit());
    }
    m_notifier->setMuted(!QSettings().value(SettingsNotify, true).toBool());

    m_dock->setObjectName(QStringLiteral("alarmsDock"));
    m_panel = new AlarmsPanel(m_monitor->model(), m_dock);
    m_dock->setWidget(m_panel);
    connect(m_panel, &AlarmsPanel::acknowledgeRequested, m_monitor, &AlarmMonitor::acknowledge);
    connect(m_panel, &AlarmsPanel::rulesRequested, this, &AlarmsUi::editRules);

    m_status->setObjectName(QStringLiteral("alarmStatus"));
    m_status->setTextFormat(Qt::RichText);
    m_status->setToolTip(tr("Active alarms: click to show them"));
    connect(m_status, &QLabel::linkActivated, this, [this] {
        m_dock->show();
        m_dock->raise();
    });
    connect(m_monitor, &AlarmMonitor::countsChanged, this, [this] { m_statusSoon.request(); });
    connect(m_monitor, &AlarmMonitor::alarmRaised, this, [this](const Alarm &alarm) {
        if (alarm.severity != AlarmSeverity::Critical || (m_scope && !m_scope->containsSubject(alarm.hostUri, alarm.vmUuid)))
            return;
        AlarmRule rule;
        rule.kind = alarm.kind;
        rule.quantity = alarm.quantity;
        QString body = alarmRuleDisplayName(rule);
        if (alarm.value)
            body += QStringLiteral(": ") + formatAlarmValue(alarm.quantity, *alarm.value);
        if (!alarm.message.isEmpty())
            body += QStringLiteral(": ") + alarm.message;
        m_notifier->notify(tr("Critical alarm on %1").arg(alarm.subject), body);
    });
    updateStatus();
}

void AlarmsUi::editRules()
{
    AlarmRulesDialog dialog(m_monitor->rules(), !m_notifier->isMuted(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_monitor->setRules(dialog.rules());
    m_monitor->saveRules();
    m_notifier->setMuted(!dialog.notify());
    QSettings().setValue(SettingsNotify, dialog.notify());
}

void AlarmsUi::setTenantScope(const TenantScope *scope)
{
    m_scope = scope;
    m_panel->setTenantScope(scope);
    if (scope)
        connect(scope, &TenantScope::tenantChanged, this, &AlarmsUi::updateStatus);
    updateStatus();
}

void AlarmsUi::updateStatus()
{
    const int active = m_panel->activeCount();
    const int critical = m_panel->activeCount(AlarmSeverity::Critical);
    m_status->setVisible(active > 0);
    Q_EMIT countsShown(active, critical);
    if (active == 0)
        return;
    const QString color = critical ? QStringLiteral("#c62828") : QStringLiteral("#ef6c00");
    const QString text = critical ? tr("%n alarm(s), %1 critical", nullptr, active).arg(critical)
                                  : tr("%n alarm(s)", nullptr, active);
    m_status->setText(QStringLiteral("<a href='alarms' style='color:%1; text-decoration:none'>▲ %2</a>")
                          .arg(color, text.toHtmlEscaped()));
}

} // namespace Vigie
