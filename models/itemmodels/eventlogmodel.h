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
    [[nodiscard]] EventRecord record(int row) const { return m_records.value(row); }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const int m_capacity;
    QList<EventRecord> m_records;
};

} // namespace Vigie
