#pragma once

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

class QThreadPool;

namespace Vigie {

// Work that must not take a core from the GUI thread while it runs: a controller's snapshot
// parsed (20,000 rows for each database while a fleet connects), a Prometheus answer. A pool of
// its own, whose threads run below the GUI thread: Linux's nice +10 (Qt's thread priorities do
// nothing under its default scheduler, and a nice value raised cannot be lowered again without
// privilege, hence not the global pool, which others share).
QThreadPool *backgroundPool();
// Lowers the calling thread once (a no-op where the platform has no per-thread nice value).
void lowerThisThread();

// Runs WORK on backgroundPool(), its thread lowered first; its future.
template <typename Work>
auto runInBackground(Work &&work)
{
    return QtConcurrent::run(backgroundPool(), [work = std::forward<Work>(work)]() mutable {
        lowerThisThread();
        return work();
    });
}

} // namespace Vigie
