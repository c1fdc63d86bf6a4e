#include "alarmevaluator.h"

#include <QSet>

#include <cmath>

namespace Vigie {

QList<AlarmChange> AlarmEvaluator::setRules(const QList<AlarmRule> &rules, qint64 nowMs)
{
    QList<AlarmChange> changes;
    for (auto it = m_states.begin(); it != m_states.end();) {
        const auto same = [&](const QList<AlarmRule> &list) {
            for (const AlarmRule &rule : list) {
                if (rule.id == it->ruleId)
                    return std::optional<AlarmRule>(rule);
            }
            return std::optional<AlarmRule>();
        };
        const std::optional<AlarmRule> before = same(m_rules);
        const std::optional<AlarmRule> after = same(rules);
        if (after && after->enabled && before == after) {
            ++it;
            continue;
        }
        if (it->active)
            clear(it.key(), *it, nowMs, &changes);
        it = m_states.erase(it);
    }
    m_rules = rules;
    return changes;
}

std::optional<double> AlarmEvaluator::vmQuantity(AlarmQuantity quantity, const VmSampleUpdate &vm, qint64 tickMs)
{
    const VmSample &s = vm.sample;
    const auto sum = [&s](VmMetric a, VmMetric b) -> std::optional<double> {
        const std::optional<double> x = s.value(a);
        const std::optional<double> y = s.value(b);
        if (!x && !y)
            return std::nullopt;
        return (x.value_or(0) + y.value_or(0)) / (1024.0 * 1024.0);
    };
    switch (quantity) {
    case AlarmQuantity::VmCpuPercent: return s.value(VmMetric::CpuPercent);
    case AlarmQuantity::VmMemoryPercent: {
        const std::optional<double> used = s.value(VmMetric::MemoryUsedKiB);
        const std::optional<double> available = s.value(VmMetric::MemoryAvailableKiB);
        if (!used || !available || *available <= 0)
            return std::nullopt;
        return 100.0 * *used / *available;
    }
    case AlarmQuantity::VmDiskMiBPerSec: return sum(VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec);
    case AlarmQuantity::VmNetMiBPerSec: return sum(VmMetric::NetRxBytesPerSec, VmMetric::NetTxBytesPerSec);
    case AlarmQuantity::VmStaleSeconds:
        return vm.staleSinceMs ? std::max<double>(0, double(tickMs - *vm.staleSinceMs) / 1000.0) : 0.0;
    case AlarmQuantity::HostCpuPercent:
    case AlarmQuantity::HostMemoryPercent: break;
    }
    return std::nullopt;
}

std::optional<double> AlarmEvaluator::hostQuantity(AlarmQuantity quantity, const HostSample &host)
{
    switch (quantity) {
    case AlarmQuantity::HostCpuPercent: return host.value(HostMetric::CpuPercent);
    case AlarmQuantity::HostMemoryPercent: {
        const std::optional<double> used = host.value(HostMetric::MemoryUsedKiB);
        const std::optional<double> total = host.value(HostMetric::MemoryTotalKiB);
        if (!used || !total || *total <= 0)
            return std::nullopt;
        return 100.0 * *used / *total;
    }
    default: break;
    }
    return std::nullopt;
}

QList<AlarmChange> AlarmEvaluator::evaluate(const MetricsTick &tick)
{
    QList<AlarmChange> changes;
    const qint64 now = tick.timeMs;
    QSet<QString> running;
    for (const VmSampleUpdate &vm : tick.vms) {
        if (vm.running)
            running.insert(vm.uuid);
    }
    // VMs this host reported before and no longer runs: their alarms end with them (not when
    // the tick holds the host's figures alone, as Prometheus's node exporter brings them).
    for (auto it = m_states.begin(); tick.hasVms && it != m_states.end();) {
        if (!it->vmUuid.isEmpty() && it->hostUri == tick.hostUri && !running.contains(it->vmUuid)) {
            if (it->active)
                clear(it.key(), *it, now, &changes);
            it = m_states.erase(it);
        } else {
            ++it;
        }
    }
    for (const AlarmRule &rule : std::as_const(m_rules)) {
        if (!rule.enabled || rule.kind != AlarmKind::Threshold)
            continue;
        if (rule.isVmRule()) {
            for (const VmSampleUpdate &vm : tick.vms) {
                if (vm.running)
                    step(rule, vm.uuid, tick.hostUri, vm.uuid, vmQuantity(rule.quantity, vm, now), now, &changes);
            }
        } else if (tick.hasHost) {
            step(rule, tick.hostUri, tick.hostUri, {}, hostQuantity(rule.quantity, tick.host), now, &changes);
        }
    }
    return changes;
}

void AlarmEvaluator::step(const AlarmRule &rule, const QString &subject, const QString &hostUri,
                          const QString &vmUuid, std::optional<double> value, qint64 nowMs,
                          QList<AlarmChange> *changes)
{
    if (!value)
        return;
    const QString key = alarmKey(rule.id, subject);
    auto it = m_states.find(key);
    if (it == m_states.end()) {
        if (!rule.breaches(*value))
            return;
        State state;
        state.breachSinceMs = nowMs;
        state.ruleId = rule.id;
        it = m_states.insert(key, state);
    }
    it->hostUri = hostUri;
    it->vmUuid = vmUuid;
    if (it->active) {
        if (rule.clears(*value)) {
            clear(key, *it, nowMs, changes);
            m_states.erase(it);
        } else if (std::abs(*value - it->sentValue) >= std::max(0.01 * std::abs(rule.threshold), 0.05)) {
            it->sentValue = *value;
            AlarmChange change;
            change.type = AlarmChange::Type::ValueChanged;
            change.alarm.key = key;
            change.alarm.value = value;
            changes->append(change);
        }
        return;
    }
    if (!rule.breaches(*value)) { // back within limits before the duration: starts again
        m_states.erase(it);
        return;
    }
    if (nowMs - it->breachSinceMs < qint64(rule.durationS) * 1000)
        return;
    it->active = true;
    it->sentValue = *value;
    AlarmChange change;
    change.type = AlarmChange::Type::Raised;
    Alarm &alarm = change.alarm;
    alarm.key = key;
    alarm.ruleId = rule.id;
    alarm.kind = rule.kind;
    alarm.quantity = rule.quantity;
    alarm.severity = rule.severity;
    alarm.hostUri = hostUri;
    alarm.vmUuid = vmUuid;
    alarm.value = value;
    alarm.sinceMs = it->breachSinceMs;
    alarm.raisedMs = nowMs;
    changes->append(change);
}

void AlarmEvaluator::clear(const QString &key, const State &state, qint64 nowMs, QList<AlarmChange> *changes)
{
    AlarmChange change;
    change.type = AlarmChange::Type::Cleared;
    change.alarm.key = key;
    change.alarm.ruleId = state.ruleId;
    change.alarm.hostUri = state.hostUri;
    change.alarm.vmUuid = state.vmUuid;
    change.alarm.clearedMs = nowMs;
    changes->append(change);
}

QList<AlarmChange> AlarmEvaluator::removeHost(const QString &uri, qint64 nowMs)
{
    QList<AlarmChange> changes;
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (it->hostUri == uri) {
            if (it->active)
                clear(it.key(), *it, nowMs, &changes);
            it = m_states.erase(it);
        } else {
            ++it;
        }
    }
    return changes;
}

} // namespace Vigie
