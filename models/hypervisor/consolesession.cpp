#include "consolesession.h"

#include "consoleworker.h"
#include "hypervisorsession.h"
#include "libvirteventloop.h"
#include "logging.h"

namespace Vigie {

namespace {
// How long closing a console waits for its stream to be let go (see ~ConsoleSession).
constexpr int ReleaseWaitMs = 2000;
} // namespace

ConsoleSession::ConsoleSession(SessionManager *sessions, Inventory *inventory, QObject *parent)
    : ConsoleSessionBase(sessions, inventory, parent)
    , m_eventLoop(LibvirtEventLoop::acquire())
    , m_worker(new ConsoleWorker)
    , m_thread(QStringLiteral("console"), m_worker, m_eventLoop)
{
    connect(m_worker, &ConsoleWorker::opened, this, [this](quint64 serial) {
        // An older open's stream is replaced by the newer open already queued to the worker.
        if (isCurrent(serial))
            apply(machine().opened());
    });
    connect(m_worker, &ConsoleWorker::openFailed, this, [this](quint64 serial, int code, const QString &message) {
        if (isCurrent(serial))
            apply(machine().openFailed(code < 0 ? ConsoleRefusal::Other
                                                : ConsoleStateMachine::classifyOpenError(code, message),
                                       message));
    });
    connect(m_worker, &ConsoleWorker::dataReceived, this, [this](quint64 serial, const QByteArray &bytes) {
        if (isCurrent(serial))
            Q_EMIT dataReceived(bytes);
    });
    connect(m_worker, &ConsoleWorker::ended, this, [this](quint64 serial, const QString &reason) {
        if (isCurrent(serial))
            apply(machine().streamEnded(reason));
    });
    m_thread.start();
}

ConsoleSession::~ConsoleSession()
{
    // The worker lets its stream go in its destructor, on its thread, once the thread's loop
    // ends. libvirt gives a domain one console: the next console opened on it must find the
    // stream gone, so the wait is short and bounded (a frozen host's stream holds the window
    // at most that long, then is left to its thread).
    m_thread.stop();
    if (!m_thread.wait(QDeadlineTimer(ReleaseWaitMs)))
        qCWarning(lcHypervisor) << "a console's stream is still being let go after" << ReleaseWaitMs << "ms";
}

void ConsoleSession::takeOver()
{
    apply(machine().takeOver());
}

void ConsoleSession::send(const QByteArray &bytes)
{
    if (state() != ConsoleState::Connected || bytes.isEmpty())
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = serial(), bytes] { worker->write(serial, bytes); },
        Qt::QueuedConnection);
}

void ConsoleSession::openChannel(HypervisorSession *session, quint64 serial, bool force)
{
    session->leaseConnection(m_worker->leaseReceiver(serial, vm().uuid, force));
}

void ConsoleSession::closeChannel(quint64 serial)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, serial] { worker->close(serial); }, Qt::QueuedConnection);
}

} // namespace Vigie
