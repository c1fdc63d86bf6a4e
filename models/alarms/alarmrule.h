#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Vigie {

enum class AlarmSeverity { Warning, Critical };

// What a threshold rule watches: one figure of a tick, computed the same way everywhere.
enum class AlarmQuantity {
    VmCpuPercent,        // of the VM's vCPUs
    VmMemoryPercent,     // guest's used memory of its available memory
    VmDiskMiBPerSec,     // read + write, all disks, MiB/s
    VmNetMiBPerSec,      // received + sent, all interfaces, MiB/s
    VmStaleSeconds,      // since when the VM's figures are not complete (0: current)
    HostCpuPercent,
    HostMemoryPercent,
};

// What raises an alarm: a threshold on a figure of the metrics ticks, or an event of the
// inventory (host unreachable), of a migration (failed) or of the network controller (mismatch).
enum class AlarmKind { Threshold, HostUnreachable, MigrationFailed, NetworkMismatch };

// One rule. A threshold rule raises when the figure is beyond threshold for durationS seconds
// without a break, and clears only once it is back beyond clearAt (hysteresis: with Above,
// clearAt <= threshold), so a figure wavering around the threshold raises once.
struct AlarmRule
{
    QString id; // stable, the key in the settings
    AlarmKind kind = AlarmKind::Threshold;
    AlarmQuantity quantity = AlarmQuantity::VmCpuPercent;
    bool above = true;
    double threshold = 0;
    double clearAt = 0;
    int durationS = 0;
    AlarmSeverity severity = AlarmSeverity::Warning;
    bool enabled = true;

    [[nodiscard]] bool isVmRule() const { return kind == AlarmKind::Threshold && quantity < AlarmQuantity::HostCpuPercent; }
    [[nodiscard]] bool breaches(double value) const { return above ? value > threshold : value < threshold; }
    [[nodiscard]] bool clears(double value) const { return above ? value < clearAt : value > clearAt; }
    [[nodiscard]] QJsonObject toJson() const;
    // Unknown id or kind in JSON: nullopt-like empty id (ignored by the caller).
    [[nodiscard]] static AlarmRule fromJson(const QJsonObject &json);

    friend bool operator==(const AlarmRule &, const AlarmRule &) = default;
};

// The rules a first start gets: sensible for a datacenter of general-purpose VMs.
[[nodiscard]] QList<AlarmRule> defaultAlarmRules();
// Rules as saved (settings "alarms/rules", a JSON array) laid over the defaults: a saved rule
// replaces the default of the same id; new default rules of a later Vigie appear.
[[nodiscard]] QList<AlarmRule> alarmRulesFromJson(const QByteArray &json);
[[nodiscard]] QByteArray alarmRulesToJson(const QList<AlarmRule> &rules);

[[nodiscard]] QString alarmRuleDisplayName(const AlarmRule &rule); // translated
[[nodiscard]] QString alarmSeverityDisplayName(AlarmSeverity severity);
// The unit a rule's threshold is edited and shown in ("%", "MiB/s", "s"), translated.
[[nodiscard]] QString alarmQuantityUnit(AlarmQuantity quantity);
// A figure of QUANTITY for display, in its unit.
[[nodiscard]] QString formatAlarmValue(AlarmQuantity quantity, double value);

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::AlarmRule)
