#pragma once

#include "alarm.h"
#include "metrics/metricsample.h"

#include <QHash>
#include <QList>

#include <optional>

namespace Vigie {

// The threshold rules applied to metrics ticks: which alarms a tick raises, updates or clears.
// A plain value class, so it runs wherever the ticks are (AlarmMonitor keeps it on a thread of
// its own) and its tests feed it ticks by hand. Time is the ticks' own: a duration is counted
// between the tick that first crossed the threshold and the current one.
//
// A VM is followed by UUID: its alarms stay raised across a migration (the series follows the
// host it runs on). A VM that no longer runs, or that its host stops reporting, has its alarms
// cleared; a figure that is missing from a tick (no balloon driver, a counter that did not come
// back) changes nothing.
class AlarmEvaluator
{
public:
    // Alarms of rules that were removed, disabled or changed are cleared (at NOW_MS).
    QList<AlarmChange> setRules(const QList<AlarmRule> &rules, qint64 nowMs);
    [[nodiscard]] const QList<AlarmRule> &rules() const { return m_rules; }

    QList<AlarmChange> evaluate(const MetricsTick &tick);
    // A host gone from the session: its alarms and those of its VMs clear.
    QList<AlarmChange> removeHost(const QString &uri, qint64 nowMs);

    [[nodiscard]] static std::optional<double> vmQuantity(AlarmQuantity quantity, const VmSampleUpdate &vm,
                                                          qint64 tickMs);
    [[nodiscard]] static std::optional<double> hostQuantity(AlarmQuantity quantity, const HostSample &host);
    [[nodiscard]] static QString alarmKey(const QString &ruleId, const QString &subject)
    {
        return ruleId + QLatin1Char('|') + subject;
    }

private:
    struct State
    {
        qint64 breachSinceMs = 0; // 0: within limits
        bool active = false;
        double sentValue = 0; // the value the GUI last heard of
        QString hostUri;
        QString vmUuid;
        QString ruleId;
    };
    void step(const AlarmRule &rule, const QString &subject, const QString &hostUri, const QString &vmUuid,
              std::optional<double> value, qint64 nowMs, QList<AlarmChange> *changes);
    static void clear(const QString &key, const State &state, qint64 nowMs, QList<AlarmChange> *changes);

    QList<AlarmRule> m_rules;
    QHash<QString, State> m_states; // by alarm key; only subjects beyond a threshold
};

} // namespace Vigie
