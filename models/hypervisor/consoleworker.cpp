#include "consoleworker.h"

#include "displaytext.h"
#include "libvirtutil.h"
#include "logging.h"

#include <QCoreApplication>
#include <QMutex>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <algorithm>

namespace Vigie {

struct ConsoleSink
{
    QMutex mutex;
    ConsoleWorker *worker = nullptr;
    quint64 serial = 0;

    // Queues call(worker) on the worker's thread; dropped if the worker is gone by then.
    template<typename F>
    void post(F call)
    {
        QMutexLocker locker(&mutex);
        if (ConsoleWorker *target = worker)
            QMetaObject::invokeMethod(target, [target, call] { call(target); }, Qt::QueuedConnection);
    }

    void postRead(const QByteArray &bytes, const QString &endReason)
    {
        quint64 current = 0;
        {
            QMutexLocker locker(&mutex);
            current = serial;
        }
        post([current, bytes, endReason](ConsoleWorker *target) { target->streamRead(current, bytes, endReason); });
    }
};

namespace {

using SinkRef = std::shared_ptr<ConsoleSink>;

// What a guest writes in one burst before the callback hands it on: keeps the event-loop thread
// from reading a flood in one go while the other hosts' events wait.
constexpr qsizetype MaxReadPerEvent = 256 * 1024;

void freeSinkRef(void *opaque)
{
    delete static_cast<SinkRef *>(opaque);
}

// On libvirt's event-loop thread. Reads what the stream holds without blocking; at the stream's
// end it stops listening (the worker lets the stream go on its own thread).
void onStreamEvent(virStreamPtr stream, int events, void *opaque)
{
    ConsoleSink &sink = **static_cast<SinkRef *>(opaque);
    QByteArray bytes;
    QString endReason;
    if (events & VIR_STREAM_EVENT_READABLE) {
        char buffer[16384];
        while (bytes.size() < MaxReadPerEvent) {
            const int got = virStreamRecv(stream, buffer, sizeof buffer);
            if (got > 0) {
                bytes.append(buffer, got);
            } else if (got == -2) {
                break; // nothing more for now
            } else {
                endReason = got == 0 ? QCoreApplication::translate("Vigie::ConsoleWorker", "the console closed") : Libvirt::lastError();
                break;
            }
        }
    }
    if (endReason.isEmpty() && (events & VIR_STREAM_EVENT_HANGUP))
        endReason = QCoreApplication::translate("Vigie::ConsoleWorker", "the console closed");
    if (endReason.isEmpty() && (events & VIR_STREAM_EVENT_ERROR))
        endReason = QCoreApplication::translate("Vigie::ConsoleWorker", "the console's stream failed");
    if (!endReason.isEmpty())
        virStreamEventUpdateCallback(stream, 0);
    if (!bytes.isEmpty() || !endReason.isEmpty())
        sink.postRead(bytes, endReason);
}

} // namespace

ConsoleWorker::ConsoleWorker()
    : m_sink(std::make_shared<ConsoleSink>())
{
    m_sink->worker = this;
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(20);
    connect(&m_flushTimer, &QTimer::timeout, this, &ConsoleWorker::flush);
}

ConsoleWorker::~ConsoleWorker()
{
    {
        QMutexLocker locker(&m_sink->mutex);
        m_sink->worker = nullptr;
    }
    closeStream();
}

std::function<void(ConnectionLease, QString)> ConsoleWorker::leaseReceiver(quint64 serial, const QString &uuid,
                                                                           bool force) const
{
    return [sink = m_sink, serial, uuid, force](const ConnectionLease &lease, const QString &reason) {
        sink->post([serial, lease, reason, uuid, force](ConsoleWorker *worker) {
            worker->open(serial, lease, reason, uuid, force);
        });
    };
}

void ConsoleWorker::open(quint64 serial, const ConnectionLease &lease, const QString &reason, const QString &uuid,
                         bool force)
{
    if (serial <= m_cancelled)
        return;
    closeStream();
    m_serial = serial;
    if (!lease) {
        Q_EMIT openFailed(serial, -1, reason);
        return;
    }
    // Errors are read while the domain is held: freeing it resets this thread's last error.
    const Libvirt::Domain domain = Libvirt::lookup(lease.get(), uuid);
    if (!domain) {
        Q_EMIT openFailed(serial, virGetLastErrorCode(), Libvirt::lastError());
        return;
    }
    virStreamPtr stream = virStreamNew(lease.get(), VIR_STREAM_NONBLOCK);
    if (!stream) {
        Q_EMIT openFailed(serial, virGetLastErrorCode(), Libvirt::lastError());
        return;
    }
    // The first console of the domain (its serial port, or the console device aliasing it).
    if (virDomainOpenConsole(domain.get(), nullptr, stream, force ? VIR_DOMAIN_CONSOLE_FORCE : 0) < 0) {
        const int code = virGetLastErrorCode();
        const QString message = Libvirt::lastError();
        // virStreamFree resets the error too.
        virStreamFree(stream);
        Q_EMIT openFailed(serial, code, message);
        return;
    }
    {
        QMutexLocker locker(&m_sink->mutex);
        m_sink->serial = serial;
    }
    // libvirt frees the callback's reference when it drops the callback, but not when it
    // refuses to register it.
    auto *ref = new SinkRef(m_sink);
    if (virStreamEventAddCallback(stream,
                                  VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP,
                                  onStreamEvent, ref, freeSinkRef) < 0) {
        const int addCode = virGetLastErrorCode();
        const QString addMessage = Libvirt::lastError();
        freeSinkRef(ref);
        virStreamAbort(stream);
        virStreamFree(stream);
        Q_EMIT openFailed(serial, addCode, addMessage);
        return;
    }
    m_stream = stream;
    m_lease = lease;
    qCDebug(lcHypervisor) << "console of" << uuid << "open" << (force ? "(forced)" : "");
    Q_EMIT opened(serial);
}

void ConsoleWorker::write(quint64 serial, const QByteArray &bytes)
{
    if (serial != m_serial || !m_stream)
        return;
    m_pending.append(bytes);
    flush();
}

void ConsoleWorker::flush()
{
    while (m_stream && !m_pending.isEmpty()) {
        const int sent = virStreamSend(m_stream, m_pending.constData(), size_t(m_pending.size()));
        if (sent > 0) {
            m_pending.remove(0, sent);
        } else if (sent == -2) {
            m_flushTimer.start(); // the stream's buffer is full: keys wait a moment
            return;
        } else {
            end(Libvirt::lastError());
            return;
        }
    }
}

void ConsoleWorker::close(quint64 serial)
{
    m_cancelled = std::max(m_cancelled, serial);
    if (m_serial <= serial)
        closeStream();
}

void ConsoleWorker::streamRead(quint64 serial, const QByteArray &bytes, const QString &endReason)
{
    if (serial != m_serial || !m_stream)
        return;
    if (!bytes.isEmpty())
        Q_EMIT dataReceived(serial, bytes);
    if (!endReason.isEmpty())
        end(endReason);
}

void ConsoleWorker::end(const QString &reason)
{
    closeStream();
    Q_EMIT ended(m_serial, reason);
}

void ConsoleWorker::closeStream()
{
    m_flushTimer.stop();
    m_pending.clear();
    if (m_stream) {
        virStreamEventRemoveCallback(m_stream);
        // Abort, not finish: nothing is left to flush, and a stream that already ended refuses both.
        virStreamAbort(m_stream);
        virStreamFree(m_stream);
        m_stream = nullptr;
    }
    m_lease.reset();
}

} // namespace Vigie
