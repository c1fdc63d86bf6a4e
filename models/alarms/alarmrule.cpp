#include "alarmrule.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Alarms)
};

struct Keyword
{
    const char *name;
    int value;
};

constexpr Keyword KindNames[] = {
    {"threshold", int(AlarmKind::Threshold)},
    {"host-unreachable", int(AlarmKind::HostUnreachable)},
    {"migration-failed", int(AlarmKind::MigrationFailed)},
    {"network-mismatch", int(AlarmKind::NetworkMismatch)},
};
constexpr Keyword QuantityNames[] = {
    {"vm-cpu", int(AlarmQuantity::VmCpuPercent)},
    {"vm-memory", int(AlarmQuantity::VmMemoryPercent)},
    {"vm-disk", int(AlarmQuantity::VmDiskMiBPerSec)},
    {"vm-network", int(AlarmQuantity::VmNetMiBPerSec)},
    {"vm-stale", int(AlarmQuantity::VmStaleSeconds)},
    {"host-cpu", int(AlarmQuantity::HostCpuPercent)},
    {"host-memory", int(AlarmQuantity::HostMemoryPercent)},
};

template<size_t N>
QString nameOf(const Keyword (&table)[N], int value)
{
    for (const Keyword &k : table) {
        if (k.value == value)
            return QString::fromLatin1(k.name);
    }
    return {};
}

template<size_t N>
int valueOf(const Keyword (&table)[N], const QString &name)
{
    for (const Keyword &k : table) {
        if (name == QLatin1StringView(k.name))
            return k.value;
    }
    return -1;
}

AlarmRule threshold(const char *id, AlarmQuantity quantity, double threshold, double clearAt, int durationS,
                    AlarmSeverity severity)
{
    AlarmRule rule;
    rule.id = QString::fromLatin1(id);
    rule.quantity = quantity;
    rule.threshold = threshold;
    rule.clearAt = clearAt;
    rule.durationS = durationS;
    rule.severity = severity;
    return rule;
}

AlarmRule event(const char *id, AlarmKind kind, AlarmSeverity severity)
{
    AlarmRule rule;
    rule.id = QString::fromLatin1(id);
    rule.kind = kind;
    rule.severity = severity;
    return rule;
}

} // namespace

QJsonObject AlarmRule::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("kind"), nameOf(KindNames, int(kind))},
                     {QStringLiteral("severity"), severity == AlarmSeverity::Critical ? QStringLiteral("critical")
                                                                                      : QStringLiteral("warning")},
                     {QStringLiteral("enabled"), enabled}};
    if (kind == AlarmKind::Threshold) {
        json.insert(QStringLiteral("quantity"), nameOf(QuantityNames, int(quantity)));
        json.insert(QStringLiteral("above"), above);
        json.insert(QStringLiteral("threshold"), threshold);
        json.insert(QStringLiteral("clearAt"), clearAt);
        json.insert(QStringLiteral("durationS"), durationS);
    }
    return json;
}

AlarmRule AlarmRule::fromJson(const QJsonObject &json)
{
    AlarmRule rule;
    const int kind = valueOf(KindNames, json.value(QStringLiteral("kind")).toString());
    if (kind < 0)
        return {};
    rule.kind = AlarmKind(kind);
    rule.id = json.value(QStringLiteral("id")).toString();
    rule.severity = json.value(QStringLiteral("severity")).toString() == QLatin1StringView("critical")
                        ? AlarmSeverity::Critical
                        : AlarmSeverity::Warning;
    rule.enabled = json.value(QStringLiteral("enabled")).toBool(true);
    if (rule.kind == AlarmKind::Threshold) {
        const int quantity = valueOf(QuantityNames, json.value(QStringLiteral("quantity")).toString());
        if (quantity < 0)
            return {};
        rule.quantity = AlarmQuantity(quantity);
        rule.above = json.value(QStringLiteral("above")).toBool(true);
        rule.threshold = json.value(QStringLiteral("threshold")).toDouble();
        rule.clearAt = json.value(QStringLiteral("clearAt")).toDouble(rule.threshold);
        rule.durationS = qBound(0, json.value(QStringLiteral("durationS")).toInt(), 24 * 3600);
        // A clear level on the wrong side of the threshold would clear at once: no hysteresis.
        if (rule.above ? rule.clearAt > rule.threshold : rule.clearAt < rule.threshold)
            rule.clearAt = rule.threshold;
    }
    return rule;
}

QList<AlarmRule> defaultAlarmRules()
{
    using S = AlarmSeverity;
    using Q = AlarmQuantity;
    return {
        threshold("vm-cpu", Q::VmCpuPercent, 90, 80, 120, S::Warning),
        threshold("vm-memory", Q::VmMemoryPercent, 95, 90, 120, S::Warning),
        threshold("vm-disk", Q::VmDiskMiBPerSec, 200, 150, 300, S::Warning),
        threshold("vm-network", Q::VmNetMiBPerSec, 100, 80, 300, S::Warning),
        threshold("vm-stale", Q::VmStaleSeconds, 60, 1, 0, S::Warning),
        threshold("host-cpu", Q::HostCpuPercent, 85, 75, 300, S::Warning),
        threshold("host-memory", Q::HostMemoryPercent, 95, 90, 60, S::Critical),
        event("host-unreachable", AlarmKind::HostUnreachable, S::Critical),
        event("migration-failed", AlarmKind::MigrationFailed, S::Warning),
        event("network-mismatch", AlarmKind::NetworkMismatch, S::Warning),
    };
}

QList<AlarmRule> alarmRulesFromJson(const QByteArray &json)
{
    QList<AlarmRule> rules = defaultAlarmRules();
    const QJsonArray saved = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &value : saved) {
        const AlarmRule rule = AlarmRule::fromJson(value.toObject());
        for (AlarmRule &known : rules) {
            // Only known rules, of their own kind and figure: a rule is not turned into another.
            if (known.id == rule.id && known.kind == rule.kind && known.quantity == rule.quantity)
                known = rule;
        }
    }
    return rules;
}

QByteArray alarmRulesToJson(const QList<AlarmRule> &rules)
{
    QJsonArray array;
    for (const AlarmRule &rule : rules)
        array.append(rule.toJson());
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QString alarmRuleDisplayName(const AlarmRule &rule)
{
    switch (rule.kind) {
    case AlarmKind::HostUnreachable: return Tr::tr("Host unreachable");
    case AlarmKind::MigrationFailed: return Tr::tr("Migration failed");
    case AlarmKind::NetworkMismatch: return Tr::tr("Network mismatch");
    case AlarmKind::Threshold: break;
    }
    switch (rule.quantity) {
    case AlarmQuantity::VmCpuPercent: return Tr::tr("VM CPU");
    case AlarmQuantity::VmMemoryPercent: return Tr::tr("VM memory");
    case AlarmQuantity::VmDiskMiBPerSec: return Tr::tr("VM disk throughput");
    case AlarmQuantity::VmNetMiBPerSec: return Tr::tr("VM network throughput");
    case AlarmQuantity::VmStaleSeconds: return Tr::tr("VM figures stale");
    case AlarmQuantity::HostCpuPercent: return Tr::tr("Host CPU");
    case AlarmQuantity::HostMemoryPercent: return Tr::tr("Host memory");
    }
    return {};
}

QString alarmSeverityDisplayName(AlarmSeverity severity)
{
    return severity == AlarmSeverity::Critical ? Tr::tr("Critical") : Tr::tr("Warning");
}

QString alarmQuantityUnit(AlarmQuantity quantity)
{
    switch (quantity) {
    case AlarmQuantity::VmCpuPercent:
    case AlarmQuantity::VmMemoryPercent:
    case AlarmQuantity::HostCpuPercent:
    case AlarmQuantity::HostMemoryPercent: return QStringLiteral("%");
    case AlarmQuantity::VmDiskMiBPerSec:
    case AlarmQuantity::VmNetMiBPerSec: return Tr::tr("MiB/s");
    case AlarmQuantity::VmStaleSeconds: return Tr::tr("s", "seconds");
    }
    return {};
}

QString formatAlarmValue(AlarmQuantity quantity, double value)
{
    const QLocale locale;
    const int decimals = quantity == AlarmQuantity::VmStaleSeconds ? 0 : 1;
    return QStringLiteral("%1 %2").arg(locale.toString(value, 'f', decimals), alarmQuantityUnit(quantity));
}

} // namespace Vigie
