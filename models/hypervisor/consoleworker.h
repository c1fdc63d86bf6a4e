#pragma once

#include "connectionlease.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

struct _virStream;

namespace Vigie {

// Shared with the stream's callback, which runs on libvirt's event-loop thread: it posts to the
// worker only while the worker is there.
struct ConsoleSink;

// One VM's serial console stream, on a thread of its own (see ConsoleSession): opens it on a
// leased connection, sends the operator's keys, relays the guest's bytes. The bytes are read
// by the stream's callback on libvirt's event-loop thread (non-blocking) and posted here.
// Every answer carries the number of the open it belongs to; ConsoleSession ignores old ones.
class ConsoleWorker : public QObject
{
    Q_OBJECT

public:
    ConsoleWorker();
    ~ConsoleWorker() override;

    // Slots, invoked through queued calls.
    void open(quint64 serial, const Vigie::ConnectionLease &lease, const QString &reason, const QString &uuid,
              bool force);
    void write(quint64 serial, const QByteArray &bytes);
    // Lets the stream of SERIAL (or an older one) go; an open of SERIAL or older still on its
    // way is then ignored.
    void close(quint64 serial);

    // Thread-safe: what HypervisorSession::leaseConnection calls with the lease, on the host's
    // thread. It queues open(SERIAL, lease, ...) here, or nothing if the worker is gone.
    [[nodiscard]] std::function<void(Vigie::ConnectionLease, QString)> leaseReceiver(quint64 serial, const QString &uuid,
                                                                                    bool force) const;

    // From the stream's callback, through queued calls.
    void streamRead(quint64 serial, const QByteArray &bytes, const QString &endReason);

Q_SIGNALS:
    void opened(quint64 serial);
    // virErrorCode: libvirt's error code (VIR_ERR_*), or -1 when no connection could be leased.
    void openFailed(quint64 serial, int virErrorCode, const QString &message);
    void dataReceived(quint64 serial, const QByteArray &bytes);
    void ended(quint64 serial, const QString &reason);

private:
    void flush();
    void end(const QString &reason);
    void closeStream();

    ConnectionLease m_lease;
    _virStream *m_stream = nullptr;
    quint64 m_serial = 0;    // of the open the stream belongs to
    quint64 m_cancelled = 0; // opens up to this one were cancelled before they arrived
    std::shared_ptr<ConsoleSink> m_sink;
    QByteArray m_pending; // keys the stream could not take yet
    QTimer m_flushTimer{this};
};

} // namespace Vigie
