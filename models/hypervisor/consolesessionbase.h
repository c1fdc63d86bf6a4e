#pragma once

#include "consolestatemachine.h"
#include "inventory/vminfo.h"

#include <QObject>
#include <QTimer>

namespace Vigie {

class HypervisorSession;
class Inventory;
class SessionManager;

// What the serial console (ConsoleSession) and the VNC display (VncSession) of a VM share: the
// VM, the state machine that decides when to open, retry and let go, the retry timer, the VM and
// its host watched in the inventory (reopened when the VM starts again or the host comes back),
// the serial of the last open (older answers are ignored) and the state announced. A subclass
// opens and closes its own channel on its worker; everything else is here. GUI thread only.
class ConsoleSessionBase : public QObject
{
    Q_OBJECT

public:
    ConsoleSessionBase(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~ConsoleSessionBase() override;

    // The VM whose channel this is; changing it lets the previous one go (and stops).
    void setVm(const VmKey &vm);
    [[nodiscard]] VmKey vm() const { return m_vm; }

    // Opens as soon as it can (the view is shown).
    void start();
    // Lets it go.
    void stop();
    // The operator's button: try again (never forcing).
    void retry();

    [[nodiscard]] ConsoleState state() const { return m_machine.state(); }
    [[nodiscard]] QString detail() const { return m_machine.detail(); }
    [[nodiscard]] bool everConnected() const { return m_machine.everConnected(); }

Q_SIGNALS:
    void stateChanged(Vigie::ConsoleState state, const QString &detail);

protected:
    // Asks the worker to open the channel through SESSION (the host's connection); the answer
    // names SERIAL. FORCE: take it from another client.
    virtual void openChannel(HypervisorSession *session, quint64 serial, bool force) = 0;
    // Asks the worker to let the channel of SERIAL go.
    virtual void closeChannel(quint64 serial) = 0;
    // The VM changed (after the previous one was let go): what the subclass kept of it goes.
    virtual void vmChanged() {}

    // Carries out what the machine decided, then announces the state if it changed.
    void apply(ConsoleStateMachine::Action action);
    [[nodiscard]] ConsoleStateMachine &machine() { return m_machine; }
    // Whether an answer naming SERIAL is for the last open asked for.
    [[nodiscard]] bool isCurrent(quint64 serial) const { return serial == m_serial; }
    [[nodiscard]] quint64 serial() const { return m_serial; }
    [[nodiscard]] SessionManager *sessions() const { return m_sessions; }

private:
    [[nodiscard]] bool vmRunning() const;
    [[nodiscard]] bool hostUp() const;

    SessionManager *m_sessions;
    Inventory *m_inventory;
    VmKey m_vm;
    ConsoleStateMachine m_machine;
    ConsoleState m_announcedState = ConsoleState::Closed; // by the last stateChanged
    QString m_announcedDetail;
    quint64 m_serial = 0;
    QTimer m_retryTimer;
};

} // namespace Vigie
