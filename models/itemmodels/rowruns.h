#pragma once

#include <QList>

#include <algorithm>

namespace Vigie {

// Calls TELL(first, last) for each run of consecutive rows in ROWS (any order, duplicates
// allowed): the few dataChanged ranges that tell a burst of row changes, instead of one per row.
template<typename Tell>
void forEachRowRun(QList<int> rows, Tell tell)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        tell(rows.at(i), rows.at(j));
        i = j + 1;
    }
}

} // namespace Vigie
