#pragma once

#include "alarmrule.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Vigie {

// One alarm, raised by a rule on a subject (a VM by UUID, so that it follows a migrating VM; a
// host by URI; a migration job; a network mismatch by its key).
struct Alarm
{
    QString key; // rule id + subject: identifies the alarm while it is active
    QString ruleId;
    AlarmKind kind = AlarmKind::Threshold;
    AlarmQuantity quantity = AlarmQuantity::VmCpuPercent;
    AlarmSeverity severity = AlarmSeverity::Warning;
    QString hostUri;    // the subject's host (a VM's current one)
    QString vmUuid;     // empty for a host
    QString subject;    // shown: VM or host name (filled on the GUI thread)
    QString message;    // shown: what is wrong, for event alarms (libvirt's or the controller's words)
    std::optional<double> value; // the figure now, threshold rules
    qint64 sinceMs = 0;          // when the condition began (a threshold first crossed)
    qint64 raisedMs = 0;
    qint64 clearedMs = 0; // 0 while active
    QString acknowledgedBy;
    qint64 acknowledgedMs = 0;

    [[nodiscard]] bool isActive() const { return clearedMs == 0; }
    [[nodiscard]] bool isAcknowledged() const { return acknowledgedMs != 0; }
};

// What the evaluation tells the GUI thread: only what changed.
struct AlarmChange
{
    enum class Type { Raised, ValueChanged, Cleared };
    Type type = Type::Raised;
    Alarm alarm; // Raised: whole; ValueChanged: key and value; Cleared: key and clearedMs
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::Alarm)
Q_DECLARE_METATYPE(Vigie::AlarmChange)
