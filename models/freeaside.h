#pragma once

#include <QThreadPool>

#include <utility>

namespace Vigie {

// Empties large containers and frees what they held on the thread pool: a table of 10,000
// entries takes the GUI thread milliseconds to free, node by node. Safe for Qt's containers and
// values (shared data is counted atomically); the containers are left empty at once.
template<typename... Containers>
void freeAside(Containers &...containers)
{
    QThreadPool::globalInstance()->start([... held = std::exchange(containers, {})]() mutable {});
}

} // namespace Vigie
