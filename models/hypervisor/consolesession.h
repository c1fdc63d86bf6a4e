#pragma once

#include "consolestatemachine.h"
#include "inventory/vminfo.h"
#include "workerthread.h"

#include <QByteArray>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>

namespace Vigie {

class ConsoleWorker;
class Inventory;
class LibvirtEventLoop;
class SessionManager;

// The serial console of one VM, for a view on the GUI thread: opens it through the host's own
// connection (so it works over every transport the session does), follows the VM and its host in
// the inventory (reopens when the VM starts again or the host comes back), never forces another
// client out unless takeOver() says so. The libvirt calls run on a thread of its own; the
// guest's bytes arrive as dataReceived. Never blocks.
class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    ConsoleSession(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~ConsoleSession() override;

    // The VM whose console this is; changing it lets the previous one go (and stops).
    void setVm(const VmKey &vm);
    [[nodiscard]] VmKey vm() const { return m_vm; }

    // Opens the console as soon as it can (the view is shown).
    void start();
    // Lets it go.
    void stop();
    // The operator's buttons: try again (never forcing), or end the other client's session.
    void retry();
    void takeOver();
    // The operator's keys; dropped unless connected.
    void send(const QByteArray &bytes);

    [[nodiscard]] ConsoleState state() const { return m_machine.state(); }
    [[nodiscard]] QString detail() const { return m_machine.detail(); }
    [[nodiscard]] bool everConnected() const { return m_machine.everConnected(); }

Q_SIGNALS:
    void stateChanged(Vigie::ConsoleState state, const QString &detail);
    void dataReceived(const QByteArray &bytes);

private:
    void apply(ConsoleStateMachine::Action action);
    [[nodiscard]] bool vmRunning() const;
    [[nodiscard]] bool hostUp() const;

    SessionManager *m_sessions;
    Inventory *m_inventory;
    std::shared_ptr<LibvirtEventLoop> m_eventLoop; // runs the stream's callbacks

    VmKey m_vm;
    ConsoleStateMachine m_machine;
    ConsoleState m_announcedState = ConsoleState::Closed; // by the last stateChanged
    QString m_announcedDetail;
    quint64 m_serial = 0; // of the last open asked for; older answers are ignored
    ConsoleWorker *m_worker; // lives on m_thread, deleted when it finishes
    WorkerThread m_thread;
    QTimer m_retryTimer;
};

} // namespace Vigie
