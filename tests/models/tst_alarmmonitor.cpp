// The alarm model under the model tester, and the real path to an alarm: the demo datacenter's
// hosts collect (synthetic) metrics on their worker threads, the MetricsStore accepts the ticks,
// the AlarmMonitor evaluates them on its own thread, and the busy demo VM raises the CPU alarm.
#include "alarms/alarmmonitor.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/alarmmodel.h"
#include "metrics/metricsstore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

AlarmChange raised(const QString &key, AlarmSeverity severity, double value, qint64 sinceMs = 1000)
{
    AlarmChange change;
    change.alarm.key = key;
    change.alarm.ruleId = key.section(u'|', 0, 0);
    change.alarm.severity = severity;
    change.alarm.subject = key.section(u'|', 1);
    change.alarm.value = value;
    change.alarm.sinceMs = change.alarm.raisedMs = sinceMs;
    return change;
}

AlarmChange changed(AlarmChange::Type type, const QString &key, double value = 0, qint64 ms = 2000)
{
    AlarmChange change;
    change.type = type;
    change.alarm.key = key;
    change.alarm.value = value;
    change.alarm.clearedMs = ms;
    return change;
}

} // namespace

class TestAlarmMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void model()
    {
        AlarmModel model(2);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy counts(&model, &AlarmModel::countsChanged);
        model.apply({raised(u"vm-cpu|a"_s, AlarmSeverity::Warning, 95), raised(u"host-memory|h"_s, AlarmSeverity::Critical, 97)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.activeCount(), 2);
        QCOMPARE(model.activeCount(AlarmSeverity::Critical), 1);
        QCOMPARE(counts.size(), 1);
        // Told twice: one row.
        model.apply({raised(u"vm-cpu|a"_s, AlarmSeverity::Warning, 95)});
        QCOMPARE(model.rowCount(), 2);

        QSignalSpy data(&model, &QAbstractItemModel::dataChanged);
        model.apply({changed(AlarmChange::Type::ValueChanged, u"vm-cpu|a"_s, 97.5)});
        QCOMPARE(data.size(), 1);
        QCOMPARE(model.index(0, AlarmModel::ValueColumn).data().toString(), formatAlarmValue(AlarmQuantity::VmCpuPercent, 97.5));

        QCOMPARE(model.acknowledge({u"vm-cpu|a"_s, u"nope"_s}, u"alice"_s, 5000), 1);
        QCOMPARE(model.acknowledge({u"vm-cpu|a"_s}, u"bob"_s, 6000), 0); // the first one stays
        QCOMPARE(model.alarms().first().acknowledgedBy, u"alice"_s);
        QVERIFY(model.index(0, AlarmModel::AcknowledgedColumn).data().toString().startsWith(u"alice"_s));
        QCOMPARE(model.unacknowledgedCount(), 1);

        model.apply({changed(AlarmChange::Type::Cleared, u"vm-cpu|a"_s)});
        QCOMPARE(model.activeCount(), 1);
        QCOMPARE(model.rowCount(), 2); // history
        QVERIFY(!model.index(0, 0).data(AlarmModel::ActiveRole).toBool());
        // The same alarm again: a new row; the history keeps the old one.
        model.apply({raised(u"vm-cpu|a"_s, AlarmSeverity::Warning, 99, 3000)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.activeCount(), 2);

        // History bounded to 2: the oldest cleared rows go.
        for (int i = 0; i < 4; ++i) {
            const QString key = u"vm-cpu|b%1"_s.arg(i);
            model.apply({raised(key, AlarmSeverity::Warning, 91)});
            model.apply({changed(AlarmChange::Type::Cleared, key, 0, 4000 + i)});
        }
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.activeCount(), 2);
        QCOMPARE(model.alarms().at(2).key, u"vm-cpu|b2"_s);
        QCOMPARE(model.alarms().at(3).key, u"vm-cpu|b3"_s);

        // The dock's active view: by severity, then the oldest first.
        QSortFilterProxyModel active;
        active.setSourceModel(&model);
        active.setFilterRole(AlarmModel::ActiveRole);
        active.setFilterFixedString(u"true"_s);
        active.setSortRole(SeverityRole);
        active.sort(AlarmModel::SeverityColumn, Qt::DescendingOrder);
        QCOMPARE(active.rowCount(), 2);
        QCOMPARE(active.index(0, AlarmModel::SubjectColumn).data().toString(), u"h"_s);
    }

    // Many alarms raised and cleared in one evaluation: the oldest history goes a run of rows at
    // a time, and the active alarms are still found by their key where their rows moved.
    void modelInBulk()
    {
        AlarmModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto key = [](int i) { return u"vm-cpu|vm%1"_s.arg(i); };
        QList<AlarmChange> changes;
        for (int i = 0; i < 10; ++i)
            changes.append(raised(key(i), AlarmSeverity::Warning, 90 + i));
        model.apply(changes);
        QCOMPARE(model.activeCount(), 10);

        changes.clear();
        for (const int i : {0, 1, 2, 4, 5, 7, 8})
            changes.append(changed(AlarmChange::Type::Cleared, key(i), 0, 2000 + i));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        // Whoever hears of a removal finds the active alarms where they are.
        QStringList foundOnRemoval;
        connect(&model, &QAbstractItemModel::rowsRemoved, this, [&] {
            for (const int i : {3, 6, 9}) {
                const Alarm *alarm = model.activeAlarm(key(i));
                foundOnRemoval.append(alarm ? alarm->key.section(u'|', 1) : u"none"_s);
            }
        });
        model.apply(changes);
        QCOMPARE(foundOnRemoval, (QStringList{u"vm3"_s, u"vm6"_s, u"vm9"_s, u"vm3"_s, u"vm6"_s, u"vm9"_s}));
        // Seven cleared, three kept: the newest (5, 7, 8). Rows 0-2 went in one range, then 4.
        QStringList keys;
        for (const Alarm &alarm : model.alarms())
            keys.append(alarm.key.section(u'|', 1));
        QCOMPARE(keys, (QStringList{u"vm3"_s, u"vm5"_s, u"vm6"_s, u"vm7"_s, u"vm8"_s, u"vm9"_s}));
        QCOMPARE(removed.size(), 2);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 2);
        QCOMPARE(removed.at(1).at(1).toInt(), 1);
        QCOMPARE(removed.at(1).at(2).toInt(), 1);
        QCOMPARE(model.activeCount(), 3);

        // The active ones, found where they are now.
        model.apply({changed(AlarmChange::Type::ValueChanged, key(9), 42)});
        QCOMPARE(model.index(5, AlarmModel::ValueColumn).data().toString(), formatAlarmValue(AlarmQuantity::VmCpuPercent, 42));
        QCOMPARE(model.acknowledge({key(6), key(5)}, u"alice"_s, 5000), 1); // vm5 is history
        QCOMPARE(model.alarms().at(2).acknowledgedBy, u"alice"_s);
        QVERIFY(model.activeAlarm(key(3)));
        QVERIFY(!model.activeAlarm(key(5)));
        // A cleared one raised again: a new row, active.
        model.apply({raised(key(5), AlarmSeverity::Critical, 99, 3000)});
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.activeAlarm(key(5))->severity, AlarmSeverity::Critical);
        QCOMPARE(model.activeCount(), 4);
    }

    void eventAlarms()
    {
        Inventory inventory;
        AlarmMonitor monitor(&inventory, nullptr);
        QSignalSpy raisedSpy(&monitor, &AlarmMonitor::alarmRaised);
        HostSnapshot snapshot;
        snapshot.host.uri = u"test:///hv1"_s;
        snapshot.host.displayName = u"hv1"_s;
        snapshot.host.state = ConnectionState::Connected;
        inventory.applySnapshot(snapshot);
        QCOMPARE(monitor.model()->activeCount(), 0);
        inventory.setHostState(u"test:///hv1"_s, ConnectionState::Unreachable, u"keepalive timeout"_s);
        QCOMPARE(raisedSpy.size(), 1);
        const Alarm alarm = raisedSpy.first().first().value<Alarm>();
        QCOMPARE(alarm.kind, AlarmKind::HostUnreachable);
        QCOMPARE(alarm.severity, AlarmSeverity::Critical);
        QCOMPARE(alarm.subject, u"hv1"_s);
        QCOMPARE(alarm.message, u"keepalive timeout"_s);
        inventory.setHostState(u"test:///hv1"_s, ConnectionState::Connecting, {});
        QCOMPARE(monitor.model()->activeCount(), 1); // still not there
        inventory.setHostState(u"test:///hv1"_s, ConnectionState::Connected, {});
        QCOMPARE(monitor.model()->activeCount(), 0);
        QCOMPARE(monitor.model()->rowCount(), 1);

        // Disabled: no alarm.
        QList<AlarmRule> rules = defaultAlarmRules();
        for (AlarmRule &rule : rules)
            rule.enabled = rule.kind != AlarmKind::HostUnreachable;
        monitor.setRules(rules);
        inventory.setHostState(u"test:///hv1"_s, ConnectionState::Failed, u"gone"_s);
        QCOMPARE(raisedSpy.size(), 1);
    }

    // The demo's busy VM (gitlab-runner-01, a CI runner) keeps its CPU above 90 %: with a rule
    // of 2 s, its alarm is raised within a few ticks, named, with its current value.
    void demoCpuAlarm()
    {
        Inventory inventory;
        MetricsStore store;
        SessionManager sessions(&inventory);
        HypervisorWorker::Options options;
        options.metricsIntervalS = 1;
        sessions.setWorkerOptions(options);
        sessions.setMetricsStore(&store);
        AlarmMonitor monitor(&inventory, &store);
        QList<AlarmRule> rules = defaultAlarmRules();
        for (AlarmRule &rule : rules) {
            rule.enabled = rule.id == u"vm-cpu"_s;
            if (rule.enabled)
                rule.durationS = 2;
        }
        monitor.setRules(rules);
        QSignalSpy raisedSpy(&monitor, &AlarmMonitor::alarmRaised);
        QVERIFY(sessions.openDemo());
        QTRY_VERIFY_WITH_TIMEOUT(monitor.model()->activeAlarm(u"vm-cpu|ed60a991-1cf9-5dd2-befc-6214707afed6"_s), 15000);
        const Alarm *alarm = monitor.model()->activeAlarm(u"vm-cpu|ed60a991-1cf9-5dd2-befc-6214707afed6"_s);
        QCOMPARE(alarm->subject, u"gitlab-runner-01"_s);
        QVERIFY(alarm->value && *alarm->value > 90);
        QVERIFY(alarm->raisedMs - alarm->sinceMs >= 2000);
        QVERIFY(!raisedSpy.isEmpty());
        // Acknowledged in the local user's name; it stays active (its cause is still there).
        monitor.acknowledge({alarm->key});
        alarm = monitor.model()->activeAlarm(u"vm-cpu|ed60a991-1cf9-5dd2-befc-6214707afed6"_s);
        QVERIFY(alarm && alarm->isAcknowledged());
        QCOMPARE(alarm->acknowledgedBy, AlarmMonitor::localUserName());
    }
};

QTEST_GUILESS_MAIN(TestAlarmMonitor)
#include "tst_alarmmonitor.moc"
