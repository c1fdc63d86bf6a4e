#pragma once

#include "alarms/alarm.h"
#include "roles.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace Vigie {

// The alarms: the active ones and the history of cleared ones (bounded, oldest dropped), one row
// each. A cleared alarm keeps its row (it becomes history); the dock shows active and history
// through two filters. Fed by the AlarmMonitor on the GUI thread.
class AlarmModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        SeverityColumn,
        SubjectColumn,
        AlarmColumn,
        ValueColumn,
        SinceColumn,
        AcknowledgedColumn,
        ClearedColumn,
        ColumnCount
    };
    enum AlarmRoles {
        ActiveRole = OwnerRole + 100, // bool
        KeyRole,                      // QString, the alarm's key
        AcknowledgedRole,             // bool
    };

    explicit AlarmModel(int historyCapacity = 500, QObject *parent = nullptr);

    // Applies what the evaluation (or an event) changed: raises, updates, clears.
    void apply(const QList<Vigie::AlarmChange> &changes);
    // Marks the active alarms with these keys acknowledged by WHO at WHEN_MS (once: a second
    // acknowledgement keeps the first). Returns how many were acknowledged now.
    int acknowledge(const QStringList &keys, const QString &who, qint64 whenMs);
    // Names shown for a subject (a VM renamed, a host known by its name only later).
    void setSubjectName(const QString &hostUri, const QString &vmUuid, const QString &name);

    [[nodiscard]] const QList<Alarm> &alarms() const { return m_alarms; }
    [[nodiscard]] const Alarm *activeAlarm(const QString &key) const;
    [[nodiscard]] int activeCount() const;
    [[nodiscard]] int activeCount(AlarmSeverity severity) const;
    [[nodiscard]] int unacknowledgedCount() const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void countsChanged();

private:
    [[nodiscard]] int activeRow(const QString &key) const { return m_activeRows.value(key, -1); }
    void trimHistory();

    const int m_historyCapacity;
    QList<Alarm> m_alarms; // in the order raised
    // Found without a scan: a thousand alarms raised in one evaluation made a million key
    // comparisons.
    QHash<QString, int> m_activeRows; // key -> row of its active alarm
    qsizetype m_clearedCount = 0;    // rows of history
};

} // namespace Vigie
