#include "workerthread.h"

#include <QList>
#include <QObject>

#include <algorithm>

namespace Vigie {

namespace {

// Touched only on the thread that creates the workers (the GUI thread).
QList<QPointer<QThread>> &threads()
{
    static QList<QPointer<QThread>> list;
    return list;
}

void forgetFinished()
{
    threads().removeIf([](const QPointer<QThread> &thread) { return !thread || thread->isFinished(); });
}

} // namespace

WorkerThread::WorkerThread(const QString &name, QObject *worker, std::shared_ptr<void> keep)
    : m_thread(new QThread)
{
    m_thread->setObjectName(name);
    worker->moveToThread(m_thread);
    // Deferred deletions still run on a thread whose loop has ended.
    QObject::connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    QThread *thread = m_thread;
    QObject::connect(m_thread, &QThread::finished, m_thread, [thread, keep = std::move(keep)] { thread->deleteLater(); });
    forgetFinished();
    threads().append(m_thread);
}

WorkerThread::~WorkerThread()
{
    stop();
}

void WorkerThread::start()
{
    if (m_thread)
        m_thread->start();
}

void WorkerThread::stop()
{
    if (m_thread)
        m_thread->quit();
}

bool WorkerThread::wait(QDeadlineTimer deadline)
{
    return !m_thread || m_thread->wait(deadline);
}

bool WorkerThread::waitForAll(QDeadlineTimer deadline)
{
    bool all = true;
    for (const QPointer<QThread> &thread : std::as_const(threads())) {
        if (thread && !thread->wait(deadline))
            all = false;
    }
    forgetFinished();
    return all;
}

int WorkerThread::runningCount()
{
    forgetFinished();
    return int(std::count_if(threads().cbegin(), threads().cend(),
                             [](const QPointer<QThread> &thread) { return thread && thread->isRunning(); }));
}

} // namespace Vigie
