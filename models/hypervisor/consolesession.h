#pragma once

#include "consolesessionbase.h"
#include "workerthread.h"

#include <QByteArray>

#include <memory>

namespace Vigie {

class ConsoleWorker;
class LibvirtEventLoop;

// The serial console of one VM, for a view on the GUI thread: opens it through the host's own
// connection (so it works over every transport the session does), never forces another client
// out unless takeOver() says so; when to open, retry and let go is ConsoleSessionBase's. The
// libvirt calls run on a thread of its own; the guest's bytes arrive as dataReceived. Never
// blocks.
class ConsoleSession : public ConsoleSessionBase
{
    Q_OBJECT

public:
    ConsoleSession(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~ConsoleSession() override;

    // The operator's button: end the other client's session.
    void takeOver();
    // The operator's keys; dropped unless connected.
    void send(const QByteArray &bytes);

Q_SIGNALS:
    void dataReceived(const QByteArray &bytes);

private:
    void openChannel(HypervisorSession *session, quint64 serial, bool force) override;
    void closeChannel(quint64 serial) override;

    std::shared_ptr<LibvirtEventLoop> m_eventLoop; // runs the stream's callbacks
    ConsoleWorker *m_worker; // lives on m_thread, deleted when it finishes
    WorkerThread m_thread;
};

} // namespace Vigie
