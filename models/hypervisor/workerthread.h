#pragma once

#include <QDeadlineTimer>
#include <QPointer>
#include <QString>
#include <QThread>

#include <memory>

class QObject;

namespace Vigie {

// The thread of one worker (a host's connection, a console), which the GUI thread never waits
// for: a worker can be stuck in a libvirt call to a frozen host for as long as the host stays
// frozen. stop() (also on destruction) asks the thread to finish and returns at once; when it has
// finished the worker is deleted on its own thread, then the thread object on its owner's.
// KEEP (the libvirt event loop, say) is held until then. At exit, waitForAll() bounds the wait
// for every such thread with one deadline for all of them, not one per host.
class WorkerThread
{
public:
    WorkerThread(const QString &name, QObject *worker, std::shared_ptr<void> keep = {});
    ~WorkerThread();
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    void start();
    void stop();
    // Waits for this thread to finish until DEADLINE: for a worker whose resource must be let go
    // before the next user takes it (a domain's one console). True once it has finished.
    bool wait(QDeadlineTimer deadline);

    // Waits for every worker thread still running, until DEADLINE. False if some are still
    // running then: the caller leaves them behind (at exit, by not running static destructors).
    static bool waitForAll(QDeadlineTimer deadline);
    // Worker threads started and not finished yet.
    [[nodiscard]] static int runningCount();

private:
    QPointer<QThread> m_thread; // deletes itself once finished
};

} // namespace Vigie
