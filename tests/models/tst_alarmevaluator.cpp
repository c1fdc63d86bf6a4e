// The threshold rules on hand-made ticks: threshold, duration, hysteresis, stale figures, VMs
// that stop or move, rules changed; and the rules' settings round trip.
#include "alarms/alarmevaluator.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

Q_DECLARE_METATYPE(QList<double>)

namespace {

const QString Host = u"test:///hv1"_s;
const QString Vm = u"vm-1"_s;

AlarmRule cpuRule(double threshold, double clearAt, int durationS, bool above = true)
{
    AlarmRule rule;
    rule.id = u"vm-cpu"_s;
    rule.quantity = AlarmQuantity::VmCpuPercent;
    rule.above = above;
    rule.threshold = threshold;
    rule.clearAt = clearAt;
    rule.durationS = durationS;
    return rule;
}

MetricsTick vmTick(qint64 second, std::optional<double> cpu, const QString &host = Host, bool running = true)
{
    MetricsTick tick;
    tick.hostUri = host;
    tick.timeMs = 1'000'000 + second * 1000;
    VmSampleUpdate vm;
    vm.uuid = Vm;
    vm.running = running;
    vm.sample.timeMs = tick.timeMs;
    vm.sample.set(VmMetric::CpuPercent, cpu);
    tick.vms.append(vm);
    return tick;
}

// "R" raised, "C" cleared, "V" value changed, "-" nothing, one letter per tick.
QString trace(AlarmEvaluator &evaluator, const QList<double> &values)
{
    QString out;
    for (int i = 0; i < values.size(); ++i) {
        const double v = values.at(i);
        const QList<AlarmChange> changes = evaluator.evaluate(vmTick(i, std::isnan(v) ? std::nullopt : std::optional(v)));
        if (changes.isEmpty())
            out += u'-';
        for (const AlarmChange &change : changes)
            out += change.type == AlarmChange::Type::Raised ? u'R' : change.type == AlarmChange::Type::Cleared ? u'C' : u'V';
    }
    return out;
}

} // namespace

class TestAlarmEvaluator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thresholds_data()
    {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<double>("clearAt");
        QTest::addColumn<int>("durationS");
        QTest::addColumn<bool>("above");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("expected");
        const double gap = std::nan("");

        QTest::newRow("at once above") << 90.0 << 80.0 << 0 << true << QList<double>{50, 95, 96, 50} << u"-RVC"_s;
        QTest::newRow("equal is not beyond") << 90.0 << 80.0 << 0 << true << QList<double>{90, 90} << u"--"_s;
        QTest::newRow("duration reached") << 90.0 << 80.0 << 3 << true << QList<double>{95, 95, 95, 95, 95} << u"---R-"_s;
        QTest::newRow("a dip restarts the duration")
            << 90.0 << 80.0 << 2 << true << QList<double>{95, 95, 85, 95, 95, 95} << u"-----R"_s;
        QTest::newRow("hysteresis: between levels stays raised")
            << 90.0 << 80.0 << 0 << true << QList<double>{95, 85, 92, 85, 79} << u"RVVVC"_s;
        QTest::newRow("wavering around the threshold raises once")
            << 90.0 << 80.0 << 0 << true << QList<double>{91, 89, 91, 89, 91} << u"RVVVV"_s;
        QTest::newRow("without hysteresis") << 90.0 << 90.0 << 0 << true << QList<double>{91, 89, 91} << u"RCR"_s;
        QTest::newRow("below") << 10.0 << 20.0 << 1 << false << QList<double>{50, 5, 5, 15, 25} << u"--RVC"_s;
        QTest::newRow("missing figures change nothing")
            << 90.0 << 80.0 << 2 << true << QList<double>{95, gap, 95, gap, 50} << u"--R-C"_s;
        QTest::newRow("small moves are not sent") << 90.0 << 80.0 << 0 << true << QList<double>{95, 95.5, 95.6, 97} << u"R--V"_s;
    }
    void thresholds()
    {
        QFETCH(double, threshold);
        QFETCH(double, clearAt);
        QFETCH(int, durationS);
        QFETCH(bool, above);
        QFETCH(QList<double>, values);
        QFETCH(QString, expected);
        AlarmEvaluator evaluator;
        evaluator.setRules({cpuRule(threshold, clearAt, durationS, above)}, 0);
        QCOMPARE(trace(evaluator, values), expected);
    }

    void raisedAlarm()
    {
        AlarmEvaluator evaluator;
        AlarmRule rule = cpuRule(90, 80, 2);
        rule.severity = AlarmSeverity::Critical;
        evaluator.setRules({rule}, 0);
        QVERIFY(evaluator.evaluate(vmTick(0, 95)).isEmpty());
        QVERIFY(evaluator.evaluate(vmTick(1, 96)).isEmpty());
        const QList<AlarmChange> changes = evaluator.evaluate(vmTick(2, 97));
        QCOMPARE(changes.size(), 1);
        const Alarm &alarm = changes.first().alarm;
        QCOMPARE(alarm.key, u"vm-cpu|vm-1"_s);
        QCOMPARE(alarm.severity, AlarmSeverity::Critical);
        QCOMPARE(alarm.hostUri, Host);
        QCOMPARE(alarm.vmUuid, Vm);
        QCOMPARE(alarm.value, std::optional(97.0));
        QCOMPARE(alarm.sinceMs, vmTick(0, 0).timeMs); // when it began, not when it was raised
        QCOMPARE(alarm.raisedMs, vmTick(2, 0).timeMs);
    }

    void followsMigratingVm()
    {
        AlarmEvaluator evaluator;
        evaluator.setRules({cpuRule(90, 80, 0)}, 0);
        QCOMPARE(evaluator.evaluate(vmTick(0, 95)).size(), 1);
        // The destination reports it running; the source's next tick no longer has it.
        QVERIFY(evaluator.evaluate(vmTick(1, 95, u"test:///hv2"_s)).isEmpty());
        MetricsTick source = vmTick(2, 0);
        source.vms.clear();
        QVERIFY(evaluator.evaluate(source).isEmpty());
        // Stopped on its new host: the alarm ends.
        const QList<AlarmChange> changes = evaluator.evaluate(vmTick(3, std::nullopt, u"test:///hv2"_s, false));
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().type, AlarmChange::Type::Cleared);
        QCOMPARE(changes.first().alarm.key, u"vm-cpu|vm-1"_s);
    }

    void stale_data()
    {
        QTest::addColumn<QList<int>>("staleSince"); // per tick: -1 current, else the second
        QTest::addColumn<QString>("expected");
        QTest::newRow("current") << QList<int>{-1, -1, -1} << u"---"_s;
        QTest::newRow("stale past the limit") << QList<int>{-1, 1, 1, 1, 1} << u"----R"_s;
        QTest::newRow("fresh again") << QList<int>{0, 0, 0, 0, -1} << u"---RC"_s;
    }
    void stale()
    {
        QFETCH(QList<int>, staleSince);
        QFETCH(QString, expected);
        AlarmRule rule;
        rule.id = u"vm-stale"_s;
        rule.quantity = AlarmQuantity::VmStaleSeconds;
        rule.threshold = 2.5;
        rule.clearAt = 1;
        AlarmEvaluator evaluator;
        evaluator.setRules({rule}, 0);
        QString out;
        for (int i = 0; i < staleSince.size(); ++i) {
            MetricsTick tick = vmTick(i, 10);
            if (staleSince.at(i) >= 0)
                tick.vms[0].staleSinceMs = vmTick(staleSince.at(i), 0).timeMs;
            const QList<AlarmChange> changes = evaluator.evaluate(tick);
            out += changes.isEmpty() ? u'-' : changes.first().type == AlarmChange::Type::Raised ? u'R' : u'C';
        }
        QCOMPARE(out, expected);
    }

    void hostRules()
    {
        AlarmRule rule;
        rule.id = u"host-memory"_s;
        rule.quantity = AlarmQuantity::HostMemoryPercent;
        rule.threshold = 90;
        rule.clearAt = 85;
        AlarmEvaluator evaluator;
        evaluator.setRules({rule}, 0);
        MetricsTick tick = vmTick(0, 10);
        tick.host.set(HostMetric::MemoryTotalKiB, 1000);
        tick.host.set(HostMetric::MemoryUsedKiB, 950);
        QList<AlarmChange> changes = evaluator.evaluate(tick);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().alarm.key, u"host-memory|"_s + Host);
        QVERIFY(changes.first().alarm.vmUuid.isEmpty());
        QCOMPARE(changes.first().alarm.value, std::optional(95.0));
        changes = evaluator.removeHost(Host, 5);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().type, AlarmChange::Type::Cleared);
        QCOMPARE(changes.first().alarm.clearedMs, 5);
    }

    void splitTicks()
    {
        // Prometheus brings a host's figures (node exporter) and its VMs' (libvirt exporter) in
        // ticks of their own: a tick of host figures alone ends no VM's alarm, and a tick of VMs
        // alone neither raises nor clears a host alarm.
        AlarmRule memory;
        memory.id = u"host-memory"_s;
        memory.quantity = AlarmQuantity::HostMemoryPercent;
        memory.threshold = 90;
        memory.clearAt = 85;
        AlarmEvaluator evaluator;
        evaluator.setRules({cpuRule(90, 80, 0), memory}, 0);
        MetricsTick vms = vmTick(0, 95);
        vms.hasHost = false;
        const QList<AlarmChange> vmChanges = evaluator.evaluate(vms);
        QCOMPARE(vmChanges.size(), 1);
        QCOMPARE(vmChanges.first().alarm.key, u"vm-cpu|vm-1"_s);

        MetricsTick host;
        host.hostUri = Host;
        host.timeMs = vms.timeMs + 500;
        host.hasVms = false;
        host.host.set(HostMetric::MemoryTotalKiB, 1000);
        host.host.set(HostMetric::MemoryUsedKiB, 950);
        const QList<AlarmChange> hostChanges = evaluator.evaluate(host);
        QCOMPARE(hostChanges.size(), 1); // the host's alarm raised, the VM's not cleared
        QCOMPARE(hostChanges.first().type, AlarmChange::Type::Raised);
        QCOMPARE(hostChanges.first().alarm.key, u"host-memory|"_s + Host);

        MetricsTick later = vmTick(1, 96);
        later.hasHost = false; // its empty host sample is no reading of 0 %
        for (const AlarmChange &change : evaluator.evaluate(later)) {
            QCOMPARE(change.alarm.key, u"vm-cpu|vm-1"_s); // the VM's value moved; the host's alarm stays
            QCOMPARE(change.type, AlarmChange::Type::ValueChanged);
        }
        // A tick with both that no longer lists the VM: its alarm ends (as before the split).
        MetricsTick whole = vmTick(2, 0);
        whole.vms.clear();
        whole.host = host.host;
        const QList<AlarmChange> ended = evaluator.evaluate(whole);
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().type, AlarmChange::Type::Cleared);
        QCOMPARE(ended.first().alarm.key, u"vm-cpu|vm-1"_s);
    }

    void rulesChanged()
    {
        AlarmEvaluator evaluator;
        evaluator.setRules({cpuRule(90, 80, 0)}, 0);
        QCOMPARE(evaluator.evaluate(vmTick(0, 95)).size(), 1);
        // The same rules: the alarm stays.
        QVERIFY(evaluator.setRules({cpuRule(90, 80, 0)}, 7).isEmpty());
        // Disabled: it clears.
        AlarmRule off = cpuRule(90, 80, 0);
        off.enabled = false;
        const QList<AlarmChange> changes = evaluator.setRules({off}, 9);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().type, AlarmChange::Type::Cleared);
        QCOMPARE(changes.first().alarm.clearedMs, 9);
        QVERIFY(evaluator.evaluate(vmTick(1, 99)).isEmpty());
    }

    void settingsRoundTrip()
    {
        QList<AlarmRule> rules = defaultAlarmRules();
        QVERIFY(rules.size() >= 10);
        rules[0].threshold = 75;
        rules[0].clearAt = 60;
        rules[0].durationS = 30;
        rules[0].severity = AlarmSeverity::Critical;
        rules.last().enabled = false;
        QCOMPARE(alarmRulesFromJson(alarmRulesToJson(rules)), rules);
    }

    void hostileSettings_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{{{");
        QTest::newRow("not an array") << QByteArray(R"({"id":"vm-cpu"})");
        QTest::newRow("unknown rule") << QByteArray(R"([{"id":"nope","kind":"threshold","quantity":"vm-cpu"}])");
        QTest::newRow("kind changed") << QByteArray(R"([{"id":"vm-cpu","kind":"host-unreachable"}])");
        QTest::newRow("figure changed") << QByteArray(R"([{"id":"vm-cpu","kind":"threshold","quantity":"host-cpu"}])");
    }
    void hostileSettings()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(alarmRulesFromJson(json), defaultAlarmRules());
    }

    void clearLevelOnWrongSide()
    {
        const QList<AlarmRule> rules = alarmRulesFromJson(
            R"([{"id":"vm-cpu","kind":"threshold","quantity":"vm-cpu","above":true,"threshold":50,"clearAt":70,"durationS":-5}])");
        QCOMPARE(rules.first().threshold, 50.0);
        QCOMPARE(rules.first().clearAt, 50.0);
        QCOMPARE(rules.first().durationS, 0);
    }
};

QTEST_GUILESS_MAIN(TestAlarmEvaluator)
#include "tst_alarmevaluator.moc"
