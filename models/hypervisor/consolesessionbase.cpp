#include "consolesessionbase.h"

#include "inventory/inventory.h"
#include "sessionmanager.h"

namespace Vigie {

ConsoleSessionBase::ConsoleSessionBase(SessionManager *sessions, Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
{
    qRegisterMetaType<ConsoleState>();
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
}

ConsoleSessionBase::~ConsoleSessionBase() = default;

void ConsoleSessionBase::setVm(const VmKey &vm)
{
    if (vm == m_vm)
        return;
    stop();
    m_vm = vm;
    vmChanged();
}

void ConsoleSessionBase::start()
{
    if (!m_vm.isValid() || state() != ConsoleState::Closed)
        return;
    apply(m_machine.start(vmRunning(), hostUp()));
}

void ConsoleSessionBase::stop()
{
    apply(m_machine.stop());
}

void ConsoleSessionBase::retry()
{
    apply(m_machine.retry());
}

bool ConsoleSessionBase::vmRunning() const
{
    return m_inventory->hasVm(m_vm) && m_inventory->vm(m_vm).isActive();
}

bool ConsoleSessionBase::hostUp() const
{
    return m_inventory->host(m_vm.hostUri).state == ConnectionState::Connected;
}

void ConsoleSessionBase::apply(ConsoleStateMachine::Action action)
{
    switch (action) {
    case ConsoleStateMachine::Action::None:
        break;
    case ConsoleStateMachine::Action::Open:
    case ConsoleStateMachine::Action::OpenForced: {
        m_retryTimer.stop();
        const quint64 serial = ++m_serial;
        if (HypervisorSession *session = m_sessions->session(m_vm.hostUri)) {
            openChannel(session, serial, action == ConsoleStateMachine::Action::OpenForced);
        } else {
            // Answered like a worker would, on the next turn of the loop (apply() is not re-entered).
            QMetaObject::invokeMethod(
                this,
                [this, serial] {
                    if (serial == m_serial)
                        apply(m_machine.openFailed(ConsoleRefusal::Other, tr("the host is not connected")));
                },
                Qt::QueuedConnection);
        }
        break;
    }
    case ConsoleStateMachine::Action::OpenLater:
    case ConsoleStateMachine::Action::Close:
        closeChannel(m_serial);
        if (action == ConsoleStateMachine::Action::OpenLater)
            m_retryTimer.start();
        else
            m_retryTimer.stop();
        break;
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
