#include "consolesession.h"

#include "consoleworker.h"
#include "hypervisorsession.h"
#include "inventory/inventory.h"
#include "libvirteventloop.h"
#include "logging.h"
#include "sessionmanager.h"

#include <QCoreApplication>

namespace Vigie {

namespace {
// How long closing a console waits for its stream to be let go (see ~ConsoleSession).
constexpr int ReleaseWaitMs = 2000;
} // namespace

ConsoleSession::ConsoleSession(SessionManager *sessions, Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_eventLoop(LibvirtEventLoop::acquire())
    , m_worker(new ConsoleWorker)
    , m_thread(QStringLiteral("console"), m_worker, m_eventLoop)
{
    qRegisterMetaType<ConsoleState>();
    connect(m_worker, &ConsoleWorker::opened, this, [this](quint64 serial) {
        // An older open's stream is replaced by the newer open already queued to the worker.
        if (serial == m_serial)
            apply(m_machine.opened());
    });
    connect(m_worker, &ConsoleWorker::openFailed, this, [this](quint64 serial, int code, const QString &message) {
        if (serial == m_serial)
            apply(m_machine.openFailed(code < 0 ? ConsoleRefusal::Other
                                                : ConsoleStateMachine::classifyOpenError(code, message),
                                       message));
    });
    connect(m_worker, &ConsoleWorker::dataReceived, this, [this](quint64 serial, const QByteArray &bytes) {
        if (serial == m_serial)
            Q_EMIT dataReceived(bytes);
    });
    connect(m_worker, &ConsoleWorker::ended, this, [this](quint64 serial, const QString &reason) {
        if (serial == m_serial)
            apply(m_machine.streamEnded(reason));
    });
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(ConsoleStateMachine::RetryDelayMs);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { apply(m_machine.retryDue()); });

    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        if (key == m_vm)
            apply(m_machine.vmRunningChanged(vmRunning()));
    });
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this](const VmKey &key) {
        if (key == m_vm)
            apply(m_machine.vmRunningChanged(false));
    });
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        if (uri == m_vm.hostUri)
            apply(m_machine.hostUpChanged(hostUp()));
    });
    m_thread.start();
}

ConsoleSession::~ConsoleSession()
{
    m_retryTimer.stop();
    // The worker lets its stream go in its destructor, on its thread, once the thread's loop
    // ends. libvirt gives a domain one console: the next console opened on it must find the
    // stream gone, so the wait is short and bounded (a frozen host's stream holds the window
    // at most that long, then is left to its thread).
    m_thread.stop();
    if (!m_thread.wait(QDeadlineTimer(ReleaseWaitMs)))
        qCWarning(lcHypervisor) << "a console's stream is still being let go after" << ReleaseWaitMs << "ms";
}

void ConsoleSession::setVm(const VmKey &vm)
{
    if (vm == m_vm)
        return;
    stop();
    m_vm = vm;
}

void ConsoleSession::start()
{
    if (!m_vm.isValid() || state() != ConsoleState::Closed)
        return;
    apply(m_machine.start(vmRunning(), hostUp()));
}

void ConsoleSession::stop()
{
    apply(m_machine.stop());
}

void ConsoleSession::retry()
{
    apply(m_machine.retry());
}

void ConsoleSession::takeOver()
{
    apply(m_machine.takeOver());
}

void ConsoleSession::send(const QByteArray &bytes)
{
    if (state() != ConsoleState::Connected || bytes.isEmpty())
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = m_serial, bytes] { worker->write(serial, bytes); },
        Qt::QueuedConnection);
}

bool ConsoleSession::vmRunning() const
{
    return m_inventory->hasVm(m_vm) && m_inventory->vm(m_vm).isActive();
}

bool ConsoleSession::hostUp() const
{
    return m_inventory->host(m_vm.hostUri).state == ConnectionState::Connected;
}

void ConsoleSession::apply(ConsoleStateMachine::Action action)
{
    switch (action) {
    case ConsoleStateMachine::Action::None:
        break;
    case ConsoleStateMachine::Action::Open:
    case ConsoleStateMachine::Action::OpenForced: {
        m_retryTimer.stop();
        const quint64 serial = ++m_serial;
        const bool force = action == ConsoleStateMachine::Action::OpenForced;
        if (HypervisorSession *session = m_sessions->session(m_vm.hostUri)) {
            session->leaseConnection(m_worker->leaseReceiver(serial, m_vm.uuid, force));
        } else {
            // Answered like the worker would, on the next turn of the loop (apply() is not re-entered).
            QMetaObject::invokeMethod(
                this,
                [this, serial] {
                    if (serial == m_serial)
                        apply(m_machine.openFailed(
                            ConsoleRefusal::Other,
                            QCoreApplication::translate("Vigie::ConsoleSession", "the host is not connected")));
                },
                Qt::QueuedConnection);
        }
        break;
    }
    case ConsoleStateMachine::Action::OpenLater:
    case ConsoleStateMachine::Action::Close: {
        const quint64 serial = m_serial;
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, serial] { worker->close(serial); },
                                  Qt::QueuedConnection);
        if (action == ConsoleStateMachine::Action::OpenLater)
            m_retryTimer.start();
        else
            m_retryTimer.stop();
        break;
    }
    }
    // The machine changed state when it chose the action (before this call): compare with what
    // was last announced.
    if (state() != m_announcedState || detail() != m_announcedDetail) {
        m_announcedState = state();
        m_announcedDetail = detail();
        Q_EMIT stateChanged(state(), detail());
    }
}

} // namespace Vigie
