#pragma once

#include "network/ovsdbdatum.h"

#include <QList>
#include <QString>

#include <utility>

namespace Vigie {

// One cached row: its columns sorted by name. A flat list rather than a QHash: a row has a
// dozen columns at most, and a hash per row cost about 4 KiB, 80 MiB for 20,000 ports.
// A missing column has its default value (an empty datum).
class OvsdbRow
{
public:
    using Column = std::pair<QString, OvsdbDatum>;

    [[nodiscard]] const OvsdbDatum *find(const QString &column) const
    {
        const auto it = lowerBound(column);
        return it != m_columns.cend() && it->first == column ? &it->second : nullptr;
    }
    [[nodiscard]] OvsdbDatum value(const QString &column) const
    {
        const OvsdbDatum *datum = find(column);
        return datum ? *datum : OvsdbDatum();
    }
    [[nodiscard]] bool contains(const QString &column) const { return find(column) != nullptr; }
    void insert(const QString &column, const OvsdbDatum &datum)
    {
        const auto it = lowerBound(column);
        if (it != m_columns.cend() && it->first == column)
            m_columns[it - m_columns.cbegin()].second = datum;
        else
            m_columns.insert(it - m_columns.cbegin(), Column(column, datum));
    }
    void remove(const QString &column)
    {
        const auto it = lowerBound(column);
        if (it != m_columns.cend() && it->first == column)
            m_columns.removeAt(it - m_columns.cbegin());
    }
    [[nodiscard]] qsizetype size() const { return m_columns.size(); }
    [[nodiscard]] const QList<Column> &columns() const { return m_columns; }

    friend bool operator==(const OvsdbRow &, const OvsdbRow &) = default;

private:
    [[nodiscard]] QList<Column>::const_iterator lowerBound(const QString &column) const
    {
        return std::lower_bound(m_columns.cbegin(), m_columns.cend(), column,
                                [](const Column &c, const QString &name) { return c.first < name; });
    }

    QList<Column> m_columns;
};

} // namespace Vigie
