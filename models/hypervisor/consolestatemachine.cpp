#include "consolestatemachine.h"

#include <libvirt/virterror.h>

namespace Vigie {

namespace {

// Automatic reopenings in a row (a stream that keeps ending while the VM runs) before the
// console gives up and lets the operator decide.
constexpr int MaxAutomaticRetries = 5;

} // namespace

void ConsoleStateMachine::enter(ConsoleState state, const QString &detail)
{
    m_state = state;
    m_detail = detail;
}

ConsoleStateMachine::Action ConsoleStateMachine::openIfPossible()
{
    if (!m_hostUp) {
        enter(ConsoleState::HostDown);
        return Action::Close;
    }
    if (!m_vmRunning) {
        enter(ConsoleState::VmNotRunning);
        return Action::Close;
    }
    enter(ConsoleState::Connecting);
    return Action::Open;
}

ConsoleStateMachine::Action ConsoleStateMachine::start(bool vmRunning, bool hostUp)
{
    m_vmRunning = vmRunning;
    m_hostUp = hostUp;
    m_everConnected = false;
    m_retries = 0;
    return openIfPossible();
}

ConsoleStateMachine::Action ConsoleStateMachine::stop()
{
    if (m_state == ConsoleState::Closed)
        return Action::None;
    enter(ConsoleState::Closed);
    return Action::Close;
}

ConsoleStateMachine::Action ConsoleStateMachine::retry()
{
    switch (m_state) {
    case ConsoleState::Closed:
    case ConsoleState::Connecting:
    case ConsoleState::Connected:
        return Action::None;
    default:
        m_retries = 0;
        return openIfPossible();
    }
}

ConsoleStateMachine::Action ConsoleStateMachine::takeOver()
{
    if (m_state != ConsoleState::Busy)
        return Action::None;
    const Action action = openIfPossible();
    if (action != Action::Open)
        return action;
    m_retries = 0;
    return Action::OpenForced;
}

ConsoleStateMachine::Action ConsoleStateMachine::opened()
{
    // Stopped, or the VM or host went away, while the call was under way: drop what it opened.
    if (m_state != ConsoleState::Connecting)
        return Action::Close;
    enter(ConsoleState::Connected);
    m_everConnected = true;
    return Action::None;
}

ConsoleStateMachine::Action ConsoleStateMachine::openFailed(ConsoleRefusal refusal, const QString &detail)
{
    if (m_state != ConsoleState::Connecting)
        return Action::None;
    switch (refusal) {
    case ConsoleRefusal::NotRunning:
        // The inventory was behind: its next word that the VM runs reopens the console.
        m_vmRunning = false;
        enter(ConsoleState::VmNotRunning, detail);
        break;
    case ConsoleRefusal::Busy:
        enter(ConsoleState::Busy, detail);
        break;
    case ConsoleRefusal::Unsupported:
        enter(ConsoleState::Unsupported, detail);
        break;
    case ConsoleRefusal::NoDevice:
        enter(ConsoleState::NoDevice, detail);
        break;
    case ConsoleRefusal::NotReady:
        // A moment after the start: tried again shortly, a bounded number of times.
        if (++m_retries > MaxAutomaticRetries) {
            enter(ConsoleState::Failed, detail);
            break;
        }
        enter(ConsoleState::Reconnecting, detail);
        return Action::OpenLater;
    case ConsoleRefusal::Other:
        enter(ConsoleState::Failed, detail);
        break;
    }
    return Action::None;
}

ConsoleStateMachine::Action ConsoleStateMachine::streamEnded(const QString &detail)
{
    if (m_state != ConsoleState::Connected)
        return Action::None;
    if (!m_vmRunning) {
        enter(ConsoleState::VmNotRunning, detail);
        return Action::Close;
    }
    // The VM stopped (the inventory has not said so yet), another client forced the console, or
    // the connection broke: a plain reopening tells which, without ever forcing anybody out.
    if (++m_retries > MaxAutomaticRetries) {
        enter(ConsoleState::Failed, detail);
        return Action::Close;
    }
    enter(ConsoleState::Reconnecting, detail);
    return Action::OpenLater;
}

ConsoleStateMachine::Action ConsoleStateMachine::retryDue()
{
    if (m_state != ConsoleState::Reconnecting)
        return Action::None;
    return openIfPossible();
}

ConsoleStateMachine::Action ConsoleStateMachine::vmRunningChanged(bool running)
{
    const bool was = m_vmRunning;
    m_vmRunning = running;
    if (running == was)
        return Action::None;
    switch (m_state) {
    case ConsoleState::VmNotRunning:
    case ConsoleState::Busy:
    case ConsoleState::NoDevice:
    case ConsoleState::Failed:
        // A new start: a new QEMU, possibly a new definition, and whoever held the old console
        // lost it.
        if (running) {
            m_retries = 0;
            return openIfPossible();
        }
        enter(ConsoleState::VmNotRunning);
        return Action::Close;
    case ConsoleState::Connecting:
    case ConsoleState::Reconnecting:
        if (running)
            return Action::None;
        enter(ConsoleState::VmNotRunning);
        return Action::Close;
    case ConsoleState::Connected: // the stream's end says when the VM is really gone
    case ConsoleState::Closed:
    case ConsoleState::HostDown:
    case ConsoleState::Unsupported:
        return Action::None;
    }
    return Action::None;
}

ConsoleStateMachine::Action ConsoleStateMachine::hostUpChanged(bool up)
{
    const bool was = m_hostUp;
    m_hostUp = up;
    if (up == was || m_state == ConsoleState::Closed || m_state == ConsoleState::Unsupported)
        return Action::None;
    if (!up) {
        enter(ConsoleState::HostDown);
        return Action::Close;
    }
    if (m_state == ConsoleState::HostDown) {
        m_retries = 0;
        return openIfPossible();
    }
    return Action::None;
}

ConsoleRefusal ConsoleStateMachine::classifyOpenError(int virErrorCode, const QString &message)
{
    // libvirt's qemu driver: "cannot find character device <alias>", "character device <alias>
    // is not using a PTY" (a file or socket serial).
    if (message.contains(QLatin1String("character device"), Qt::CaseInsensitive))
        return ConsoleRefusal::NoDevice;
    switch (virErrorCode) {
    case VIR_ERR_OPERATION_INVALID: // "domain is not running"
        return ConsoleRefusal::NotRunning;
    case VIR_ERR_OPERATION_FAILED:
        // "Active console session exists for this domain"; "PTY device is not yet assigned" (the
        // qemu driver, between a VM's start and QEMU reporting its serial port).
        if (message.contains(QLatin1String("console session"), Qt::CaseInsensitive))
            return ConsoleRefusal::Busy;
        return message.contains(QLatin1String("not yet assigned"), Qt::CaseInsensitive) ? ConsoleRefusal::NotReady
                                                                                         : ConsoleRefusal::Other;
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
        return ConsoleRefusal::Unsupported;
    default:
        return ConsoleRefusal::Other;
    }
}

} // namespace Vigie
