#pragma once

#include <QString>

namespace Vigie {

// Where a VM's serial console stands, as the operator sees it.
enum class ConsoleState {
    Closed,       // nobody asked for it (or it was let go)
    Connecting,   // the open call is under way
    Connected,    // bytes flow both ways
    Reconnecting, // the stream ended while the VM looked alive: a plain (not forced) retry is due
    VmNotRunning, // the VM is shut off (or paused out of existence): reopened when it runs
    Busy,         // another client holds the console: taking it over is the operator's choice
    HostDown,     // the host's connection is not up: reopened when it is
    Unsupported,  // the host's driver has no consoles (libvirt's test driver, the demo)
    NoDevice,     // the VM has no serial console, or one that is not a pty
    Failed,       // any other refusal: libvirt's words are shown, the operator may retry
};

// Why an open call was refused, as far as the console cares (see classifyOpenError()).
enum class ConsoleRefusal {
    NotRunning,
    Busy,
    Unsupported,
    NoDevice,
    NotReady, // the VM has just started: QEMU has not given its serial port a PTY yet
    Other,
};

// The rules of one VM's console session, without libvirt or threads: events in, the state and the
// next thing to do out. ConsoleSession drives the real stream with it; tests drive it alone.
class ConsoleStateMachine
{
public:
    enum class Action {
        None,
        Open,       // open the console without forcing anybody out
        OpenForced, // open it, ending another client's session (only on the operator's word)
        OpenLater,  // drop the ended stream, open again (not forced) after RetryDelayMs, then call retryDue()
        Close,      // let the stream go (and cancel a pending open)
    };

    // Between a stream's end and the plain reopening that tells why it ended.
    static constexpr int RetryDelayMs = 1000;

    [[nodiscard]] ConsoleState state() const { return m_state; }
    // libvirt's words for Failed/Busy/NoDevice, the stream's last error for Reconnecting.
    [[nodiscard]] QString detail() const { return m_detail; }
    // True once a session was connected since start(): its output is worth keeping on screen.
    [[nodiscard]] bool everConnected() const { return m_everConnected; }

    // The operator shows the console (vmRunning and hostUp as the inventory says now).
    Action start(bool vmRunning, bool hostUp);
    // The operator let it go (tab hidden for good, window closed, another VM shown).
    Action stop();
    // The operator's buttons.
    Action retry();
    Action takeOver();

    // Answers of the open call and of the stream.
    Action opened();
    Action openFailed(ConsoleRefusal refusal, const QString &detail);
    Action streamEnded(const QString &detail);
    // The pending retry's time has come.
    Action retryDue();

    // What the inventory says.
    Action vmRunningChanged(bool running);
    Action hostUpChanged(bool up);

    // Sorts libvirt's refusal of virDomainOpenConsole (its error code and message).
    [[nodiscard]] static ConsoleRefusal classifyOpenError(int virErrorCode, const QString &message);

private:
    Action openIfPossible();
    void enter(ConsoleState state, const QString &detail = {});

    ConsoleState m_state = ConsoleState::Closed;
    QString m_detail;
    bool m_vmRunning = false;
    bool m_hostUp = false;
    bool m_everConnected = false;
    int m_retries = 0;      // automatic reopenings since the operator's last word
};

} // namespace Vigie
