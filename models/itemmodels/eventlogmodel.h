#pragma once

#include "inventory/eventrecord.h"

#include <QAbstractTableModel>
#include <QList>

namespace Vigie {

// The event log: newest last, bounded (oldest records dropped past capacity).
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, HostColumn, VmColumn, ActionColumn, ResultColumn, ColumnCount };

    explicit EventLogModel(int capacity = 10000, QObject *parent = nullptr);

    void append(const Vigie::EventRecord &record);
    // Replaces every record (a search of the stored event log), oldest first.
    void setRecords(const QList<Vigie::EventRecord> &records);
    [[nodiscard]] EventRecord record(int row) const { return m_records.value(row); }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Dates in the time column, not only the time of day (records of several days).
    void setShowDates(bool show) { m_showDates = show; }

Q_SIGNALS:
    // A record was appended (the stored event log writes it).
    void recordAppended(const Vigie::EventRecord &record);

private:
    const int m_capacity;
    QList<EventRecord> m_records;
    bool m_showDates = false;
};

} // namespace Vigie
