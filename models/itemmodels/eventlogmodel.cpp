#include "eventlogmodel.h"

#include "roles.h"

#include <QLocale>

namespace Vigie {

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

void EventLogModel::append(const EventRecord &record)
{
    if (m_records.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_records.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_records.size());
    beginInsertRows({}, row, row);
    m_records.append(record);
    endInsertRows();
    Q_EMIT recordAppended(record);
}

void EventLogModel::setRecords(const QList<EventRecord> &records)
{
    beginResetModel();
    m_records = records.mid(std::max<qsizetype>(0, records.size() - m_capacity));
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventRecord &record = m_records.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            // Today's records by their time alone; older ones (a console left open overnight,
            // a stored log) with their date.
            return m_showDates || record.time.date() != QDate::currentDate()
                ? QLocale().toString(record.time, QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                : QLocale().toString(record.time.time(), QStringLiteral("HH:mm:ss"));
        case HostColumn: return record.host;
        case VmColumn: return record.vm;
        case ActionColumn: return record.action;
        case ResultColumn: return record.result;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QLocale().toString(record.time, QLocale::LongFormat);
        if (index.column() == HostColumn && !record.hostUri.isEmpty())
            return record.hostUri;
        return record.result;
    case SortRole:
        return index.column() == TimeColumn ? QVariant(record.time) : data(index, Qt::DisplayRole);
    case SeverityRole:
        return int(record.severity);
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case HostColumn: return tr("Host");
    case VmColumn: return tr("VM");
    case ActionColumn: return tr("Action");
    case ResultColumn: return tr("Result");
    }
    return {};
}

} // namespace Vigie
