#include "alarmmonitor.h"

#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"
#include "itemmodels/alarmmodel.h"
#include "metrics/metricsstore.h"
#include "network/isolationaudit.h"
#include "network/networkcorrelation.h"

#include <QDateTime>
#include <QSettings>

namespace Vigie {

AlarmMonitor::AlarmMonitor(Inventory *inventory, MetricsStore *store, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_model(new AlarmModel(500, this))
    , m_rules(defaultAlarmRules())
    , m_context(new QObject)
{
    qRegisterMetaType<MetricsTick>();
    m_evaluator.setRules(m_rules, 0);
    m_thread.setObjectName(QStringLiteral("vigie-alarms"));
    m_context->moveToThread(&m_thread);
    m_thread.start(QThread::LowPriority);
    connect(m_model, &AlarmModel::countsChanged, this, &AlarmMonitor::countsChanged);
    if (store) {
        connect(store, &MetricsStore::tickAccepted, this, [this](const MetricsTick &tick) {
            QMetaObject::invokeMethod(m_context, [this, tick] {
                post(m_evaluator.evaluate(tick));
            });
        });
    }
    connect(inventory, &Inventory::hostAdded, this, &AlarmMonitor::hostChanged);
    connect(inventory, &Inventory::hostChanged, this, &AlarmMonitor::hostChanged);
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, [this](const QString &uri) {
        clearEvent(AlarmEvaluator::alarmKey(QStringLiteral("host-unreachable"), uri));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QMetaObject::invokeMethod(m_context, [this, uri, now] {
            post(m_evaluator.removeHost(uri, now));
        });
    });
}

AlarmMonitor::~AlarmMonitor()
{
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void AlarmMonitor::setRules(const QList<AlarmRule> &rules)
{
    m_rules = rules;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QMetaObject::invokeMethod(m_context, [this, rules, now] {
        post(m_evaluator.setRules(rules, now));
    });
    // Event alarms of a rule now disabled go; their severity follows the rule.
    QList<AlarmChange> cleared;
    for (const Alarm &alarm : m_model->alarms()) {
        if (!alarm.isActive() || alarm.kind == AlarmKind::Threshold)
            continue;
        const AlarmRule *r = rule(alarm.kind);
        if (!r || !r->enabled) {
            AlarmChange change;
            change.type = AlarmChange::Type::Cleared;
            change.alarm.key = alarm.key;
            change.alarm.clearedMs = now;
            cleared.append(change);
        }
    }
    m_model->apply(cleared);
}

void AlarmMonitor::loadRules()
{
    QSettings settings;
    setRules(alarmRulesFromJson(settings.value(QStringLiteral("alarms/rules")).toByteArray()));
}

void AlarmMonitor::saveRules() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("alarms/rules"), alarmRulesToJson(m_rules));
}

void AlarmMonitor::watchMigrations(MigrationController *migrations)
{
    connect(migrations, &MigrationController::jobFinished, this, &AlarmMonitor::migrationFinished);
}

void AlarmMonitor::watchNetwork(IsolationAudit *audit)
{
    connect(audit, &IsolationAudit::mismatchAdded, this, &AlarmMonitor::mismatchAdded);
    connect(audit, &IsolationAudit::mismatchRemoved, this, [this](const NetworkMismatch &mismatch) {
        clearEvent(AlarmEvaluator::alarmKey(QStringLiteral("network-mismatch"), mismatch.key()));
    });
}

void AlarmMonitor::watchNetwork(NetworkCorrelation *correlation)
{
    connect(correlation, &NetworkCorrelation::mismatchAdded, this, &AlarmMonitor::mismatchAdded);
    connect(correlation, &NetworkCorrelation::mismatchRemoved, this, [this](const NetworkMismatch &mismatch) {
        clearEvent(AlarmEvaluator::alarmKey(QStringLiteral("network-mismatch"), mismatch.key()));
    });
}

QString AlarmMonitor::localUserName()
{
    return qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
}

void AlarmMonitor::acknowledge(const QStringList &keys)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_model->acknowledge(keys, localUserName(), now);
    // A failed migration has no end of its own: acknowledged, it is history.
    QList<AlarmChange> cleared;
    for (const QString &key : keys) {
        const Alarm *alarm = m_model->activeAlarm(key);
        if (alarm && alarm->kind == AlarmKind::MigrationFailed) {
            AlarmChange change;
            change.type = AlarmChange::Type::Cleared;
            change.alarm.key = key;
            change.alarm.clearedMs = now;
            cleared.append(change);
        }
    }
    m_model->apply(cleared);
}

QString AlarmMonitor::subjectName(const QString &hostUri, const QString &vmUuid) const
{
    if (!vmUuid.isEmpty()) {
        const VmKey key{hostUri, vmUuid};
        if (m_inventory->hasVm(key))
            return m_inventory->vm(key).name;
        return vmUuid;
    }
    const QString name = m_inventory->host(hostUri).displayName;
    return name.isEmpty() ? hostUri : name;
}

void AlarmMonitor::post(const QList<AlarmChange> &changes)
{
    if (changes.isEmpty())
        return;
    QMutexLocker lock(&m_pendingMutex);
    const bool first = m_pending.isEmpty();
    m_pending += changes;
    if (!first)
        return; // a delivery is on its way and takes these too
    QMetaObject::invokeMethod(this, [this] {
        QList<AlarmChange> pending;
        {
            QMutexLocker guard(&m_pendingMutex);
            pending.swap(m_pending);
        }
        apply(pending);
    }, Qt::QueuedConnection);
}

void AlarmMonitor::apply(QList<AlarmChange> changes)
{
    QList<Alarm> raised;
    for (AlarmChange &change : changes) {
        if (change.type == AlarmChange::Type::Raised) {
            change.alarm.subject = subjectName(change.alarm.hostUri, change.alarm.vmUuid);
            raised.append(change.alarm);
        }
    }
    m_model->apply(changes);
    for (const Alarm &alarm : std::as_const(raised))
        Q_EMIT alarmRaised(alarm);
}

const AlarmRule *AlarmMonitor::rule(AlarmKind kind) const
{
    for (const AlarmRule &r : m_rules) {
        if (r.kind == kind)
            return &r;
    }
    return nullptr;
}

void AlarmMonitor::raiseEvent(AlarmKind kind, const QString &subjectKey, const QString &hostUri,
                              const QString &vmUuid, const QString &subject, const QString &message)
{
    const AlarmRule *r = rule(kind);
    if (!r || !r->enabled)
        return;
    AlarmChange change;
    Alarm &alarm = change.alarm;
    alarm.key = AlarmEvaluator::alarmKey(r->id, subjectKey);
    if (m_model->activeAlarm(alarm.key))
        return;
    alarm.ruleId = r->id;
    alarm.kind = kind;
    alarm.severity = r->severity;
    alarm.hostUri = hostUri;
    alarm.vmUuid = vmUuid;
    alarm.subject = subject;
    alarm.message = message;
    alarm.sinceMs = alarm.raisedMs = QDateTime::currentMSecsSinceEpoch();
    m_model->apply({change});
    Q_EMIT alarmRaised(alarm);
}

void AlarmMonitor::clearEvent(const QString &key)
{
    if (!m_model->activeAlarm(key))
        return;
    AlarmChange change;
    change.type = AlarmChange::Type::Cleared;
    change.alarm.key = key;
    change.alarm.clearedMs = QDateTime::currentMSecsSinceEpoch();
    m_model->apply({change});
}

void AlarmMonitor::hostChanged(const QString &uri)
{
    const HostInfo host = m_inventory->host(uri);
    m_model->setSubjectName(uri, {}, host.displayName.isEmpty() ? uri : host.displayName);
    switch (host.state) {
    case ConnectionState::Unreachable:
    case ConnectionState::Failed:
        raiseEvent(AlarmKind::HostUnreachable, uri, uri, {}, subjectName(uri, {}), host.stateMessage);
        break;
    case ConnectionState::Connected:
        clearEvent(AlarmEvaluator::alarmKey(QStringLiteral("host-unreachable"), uri));
        break;
    case ConnectionState::Connecting:
    case ConnectionState::Disconnected: break;
    }
}

void AlarmMonitor::migrationFinished(const MigrationProgress &progress)
{
    if (progress.phase == MigrationPhase::Failed) {
        const QString dest = m_inventory->host(progress.destUri).displayName;
        raiseEvent(AlarmKind::MigrationFailed, progress.jobId, progress.sourceUri, progress.vm.uuid,
                   progress.vmName,
                   tr("to %1: %2").arg(dest.isEmpty() ? progress.destUri : dest, progress.message));
    }
}

void AlarmMonitor::mismatchAdded(const NetworkMismatch &mismatch)
{
    const QString subject = !mismatch.vm.uuid.isEmpty() ? subjectName(mismatch.vm.hostUri, mismatch.vm.uuid)
                            : !mismatch.vmName.isEmpty() ? mismatch.vmName
                                                         : mismatch.portName;
    raiseEvent(AlarmKind::NetworkMismatch, mismatch.key(), mismatch.vm.hostUri, mismatch.vm.uuid, subject,
               NetworkCorrelation::describe(mismatch));
}

} // namespace Vigie
