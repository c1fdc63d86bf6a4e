#pragma once

#include "alarm.h"
#include "alarmevaluator.h"

#include <QMutex>
#include <QObject>
#include <QThread>

namespace Vigie {

class AlarmModel;
class Inventory;
class MetricsStore;
class MigrationController;
class IsolationAudit;
class NetworkCorrelation;
struct MigrationProgress;
struct NetworkMismatch;

// The alarms, seen from the GUI thread. Threshold rules are evaluated on a thread of their own
// (an AlarmEvaluator), on each tick the MetricsStore accepts: only the changes come back. Event
// rules follow the inventory (a host unreachable or failed), the migrations (one failed) and the
// network controller (a mismatch appeared). An event alarm clears when its cause goes (the host
// answers again, the mismatch is gone) or, for a failed migration, when acknowledged.
class AlarmMonitor : public QObject
{
    Q_OBJECT

public:
    AlarmMonitor(Inventory *inventory, MetricsStore *store, QObject *parent = nullptr);
    ~AlarmMonitor() override; // joins the evaluation thread

    [[nodiscard]] AlarmModel *model() const { return m_model; }
    [[nodiscard]] const QList<AlarmRule> &rules() const { return m_rules; }
    void setRules(const QList<AlarmRule> &rules);
    // The rules saved in QSettings ("alarms/rules"), over the defaults; and saving them.
    void loadRules();
    void saveRules() const;

    void watchMigrations(MigrationController *migrations);
    void watchNetwork(NetworkCorrelation *correlation);
    void watchNetwork(IsolationAudit *audit);

    // Acknowledges active alarms in the local user's name, now.
    void acknowledge(const QStringList &keys);
    [[nodiscard]] static QString localUserName();

Q_SIGNALS:
    // A new alarm (a desktop notification for the critical ones).
    void alarmRaised(const Vigie::Alarm &alarm);
    // Active or unacknowledged counts changed.
    void countsChanged();

private:
    void apply(QList<AlarmChange> changes);
    // From the evaluation thread: queues CHANGES for the GUI thread, one delivery for all the
    // ticks evaluated meanwhile (the demo's past hour arrives as 3600 ticks at once).
    void post(const QList<AlarmChange> &changes);
    void hostChanged(const QString &uri);
    void migrationFinished(const MigrationProgress &progress);
    void mismatchAdded(const NetworkMismatch &mismatch);
    void clearEvent(const QString &key);
    [[nodiscard]] const AlarmRule *rule(AlarmKind kind) const;
    [[nodiscard]] QString subjectName(const QString &hostUri, const QString &vmUuid) const;
    void raiseEvent(AlarmKind kind, const QString &subjectKey, const QString &hostUri, const QString &vmUuid,
                    const QString &subject, const QString &message);

    Inventory *m_inventory;
    AlarmModel *m_model;
    QList<AlarmRule> m_rules;
    QThread m_thread;
    QObject *m_context; // lives on m_thread; m_evaluator is used only there
    AlarmEvaluator m_evaluator;
    QMutex m_pendingMutex;
    QList<AlarmChange> m_pending; // evaluated, not yet applied; guarded by m_pendingMutex
};

} // namespace Vigie
