#include "alarmmodel.h"

#include <QDateTime>
#include <QLocale>

namespace Vigie {

namespace {

QString formatTime(qint64 ms)
{
    if (ms == 0)
        return {};
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    const QLocale locale;
    if (time.date() == QDate::currentDate())
        return locale.toString(time.time(), QLocale::ShortFormat);
    return locale.toString(time, QLocale::ShortFormat);
}

} // namespace

AlarmModel::AlarmModel(int historyCapacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_historyCapacity(historyCapacity)
{
}

const Alarm *AlarmModel::activeAlarm(const QString &key) const
{
    const int row = activeRow(key);
    return row < 0 ? nullptr : &m_alarms.at(row);
}

void AlarmModel::apply(const QList<AlarmChange> &changes)
{
    bool counts = false;
    for (const AlarmChange &change : changes) {
        const int row = activeRow(change.alarm.key);
        switch (change.type) {
        case AlarmChange::Type::Raised:
            if (row >= 0)
                break; // raised already (an event told twice)
            beginInsertRows({}, int(m_alarms.size()), int(m_alarms.size()));
            m_alarms.append(change.alarm);
            m_alarms.last().clearedMs = 0;
            m_activeRows.insert(change.alarm.key, int(m_alarms.size()) - 1);
            endInsertRows();
            counts = true;
            break;
        case AlarmChange::Type::ValueChanged:
            if (row < 0)
                break;
            m_alarms[row].value = change.alarm.value;
            Q_EMIT dataChanged(index(row, ValueColumn), index(row, ValueColumn));
            break;
        case AlarmChange::Type::Cleared:
            if (row < 0)
                break;
            m_alarms[row].clearedMs = change.alarm.clearedMs;
            if (!m_alarms.at(row).isActive()) {
                m_activeRows.remove(change.alarm.key);
                ++m_clearedCount;
            }
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            counts = true;
            break;
        }
    }
    trimHistory();
    if (counts)
        Q_EMIT countsChanged();
}

void AlarmModel::trimHistory()
{
    if (m_clearedCount <= m_historyCapacity)
        return;
    // The oldest cleared alarms go first (the list is in the order raised), a run of them at a
    // time.
    for (int row = 0; m_clearedCount > m_historyCapacity && row < m_alarms.size();) {
        if (m_alarms.at(row).isActive()) {
            ++row;
            continue;
        }
        int last = row;
        while (last + 1 < m_alarms.size() && !m_alarms.at(last + 1).isActive()
               && m_clearedCount - (last + 1 - row) > m_historyCapacity)
            ++last;
        beginRemoveRows({}, row, last);
        m_alarms.remove(row, last - row + 1);
        m_clearedCount -= last - row + 1;
        // Before the views hear of it: a listener may look an alarm up.
        for (auto it = m_activeRows.begin(); it != m_activeRows.end(); ++it) {
            if (*it > last)
                *it -= last - row + 1;
        }
        endRemoveRows();
    }
}

int AlarmModel::acknowledge(const QStringList &keys, const QString &who, qint64 whenMs)
{
    int count = 0;
    for (const QString &key : keys) {
        const int row = activeRow(key);
        if (row < 0 || m_alarms.at(row).isAcknowledged())
            continue;
        m_alarms[row].acknowledgedBy = who;
        m_alarms[row].acknowledgedMs = whenMs;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        ++count;
    }
    if (count)
        Q_EMIT countsChanged();
    return count;
}

void AlarmModel::setSubjectName(const QString &hostUri, const QString &vmUuid, const QString &name)
{
    for (int row = 0; row < m_alarms.size(); ++row) {
        Alarm &alarm = m_alarms[row];
        if (alarm.vmUuid == vmUuid && (!vmUuid.isEmpty() || alarm.hostUri == hostUri) && alarm.subject != name) {
            alarm.subject = name;
            Q_EMIT dataChanged(index(row, SubjectColumn), index(row, SubjectColumn));
        }
    }
}

int AlarmModel::activeCount() const
{
    int n = 0;
    for (const Alarm &alarm : m_alarms)
        n += alarm.isActive() ? 1 : 0;
    return n;
}

int AlarmModel::activeCount(AlarmSeverity severity) const
{
    int n = 0;
    for (const Alarm &alarm : m_alarms)
        n += alarm.isActive() && alarm.severity == severity ? 1 : 0;
    return n;
}

int AlarmModel::unacknowledgedCount() const
{
    int n = 0;
    for (const Alarm &alarm : m_alarms)
        n += alarm.isActive() && !alarm.isAcknowledged() ? 1 : 0;
    return n;
}

int AlarmModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alarms.size());
}

int AlarmModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlarmModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alarm &alarm = m_alarms.at(index.row());
    switch (role) {
    case ActiveRole: return alarm.isActive();
    case KeyRole: return alarm.key;
    case AcknowledgedRole: return alarm.isAcknowledged();
    case SeverityRole: return int(alarm.severity);
    case HostUriRole: return alarm.hostUri;
    case UuidRole: return alarm.vmUuid;
    default: break;
    }
    const auto column = Column(index.column());
    if (role == SortRole) {
        switch (column) {
        case SeverityColumn: return int(alarm.severity);
        case SubjectColumn: return alarm.subject.toLower();
        case AlarmColumn: return alarm.ruleId;
        case ValueColumn: return alarm.value.value_or(0);
        case SinceColumn: return alarm.sinceMs;
        case AcknowledgedColumn: return alarm.acknowledgedMs;
        case ClearedColumn: return alarm.clearedMs;
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::ToolTipRole && column == AlarmColumn && !alarm.message.isEmpty())
        return alarm.message;
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case SeverityColumn: return alarmSeverityDisplayName(alarm.severity);
    case SubjectColumn: return alarm.subject.isEmpty() ? alarm.hostUri : alarm.subject;
    case AlarmColumn: {
        AlarmRule rule;
        rule.kind = alarm.kind;
        rule.quantity = alarm.quantity;
        const QString name = alarmRuleDisplayName(rule);
        return alarm.message.isEmpty() ? name : tr("%1: %2").arg(name, alarm.message);
    }
    case ValueColumn: return alarm.value ? formatAlarmValue(alarm.quantity, *alarm.value) : QString();
    case SinceColumn: return formatTime(alarm.sinceMs);
    case AcknowledgedColumn:
        //: Who acknowledged an alarm, and when: "alice, 14:02"
        return alarm.isAcknowledged() ? tr("%1, %2").arg(alarm.acknowledgedBy, formatTime(alarm.acknowledgedMs))
                                      : QString();
    case ClearedColumn: return formatTime(alarm.clearedMs);
    case ColumnCount: break;
    }
    return {};
}

QVariant AlarmModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SeverityColumn: return tr("Severity");
    case SubjectColumn: return tr("VM or host");
    case AlarmColumn: return tr("Alarm");
    case ValueColumn: return tr("Value");
    case SinceColumn: return tr("Since");
    case AcknowledgedColumn: return tr("Acknowledged");
    case ClearedColumn: return tr("Cleared");
    case ColumnCount: break;
    }
    return {};
}

} // namespace Vigie
