#pragma once

#include <QHash>
#include <QString>

namespace Vigie {

// What one update did to the cache: per table, the uuids of the rows inserted, modified or
// deleted. Consumers re-read the rows from the cache.
struct OvsdbChangeSet
{
    enum class Kind { Insert, Modify, Delete };

    QHash<QString, QHash<QString, Kind>> tables;

    [[nodiscard]] bool isEmpty() const { return tables.isEmpty(); }
    [[nodiscard]] QHash<QString, Kind> table(const QString &name) const { return tables.value(name); }
    [[nodiscard]] qsizetype size() const
    {
        qsizetype n = 0;
        for (const auto &t : tables)
            n += t.size();
        return n;
    }
};

} // namespace Vigie
