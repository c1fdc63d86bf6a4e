#include "vncsession.h"

#include "hypervisorsession.h"
#include "inventory/inventory.h"
#include "libvirtutil.h"
#include "logging.h"
#include "secretbytes.h"
#include "sessionmanager.h"

#include <QCoreApplication>
#include <QMutex>

#include <libvirt/libvirt.h>

#include <cstring>
#include <utility>

namespace Vigie {

struct VncKeySink
{
    QMutex mutex;
    VncSession *session = nullptr;
};

namespace {

ConsoleRefusal toConsoleRefusal(VncRefusal refusal)
{
    switch (refusal) {
    case VncRefusal::NotRunning:
        return ConsoleRefusal::NotRunning;
    case VncRefusal::NoDisplay:
        return ConsoleRefusal::NoDevice;
    case VncRefusal::Unsupported:
        return ConsoleRefusal::Unsupported;
    case VncRefusal::PasswordNeeded:
    case VncRefusal::Other:
        break;
    }
    return ConsoleRefusal::Other;
}

} // namespace

VncSession::VncSession(SessionManager *sessions, Inventory *inventory, QObject *parent)
    : ConsoleSessionBase(sessions, inventory, parent)
    , m_keySink(std::make_shared<VncKeySink>())
    , m_worker(new VncWorker)
    , m_thread(QStringLiteral("vnc"), m_worker)
{
    qRegisterMetaType<VncRefusal>();
    m_keySink->session = this;
    connect(m_worker, &VncWorker::opened, this, [this](quint64 serial, const QString &how, bool encrypted) {
        if (!isCurrent(serial))
            return;
        m_connection = how;
        m_encrypted = encrypted;
        m_passwordNeeded = false;
        apply(machine().opened());
    });
    connect(m_worker, &VncWorker::openFailed, this, [this](quint64 serial, VncRefusal refusal, const QString &message) {
        if (!isCurrent(serial))
            return;
        m_passwordNeeded = refusal == VncRefusal::PasswordNeeded;
        apply(machine().openFailed(toConsoleRefusal(refusal), message));
        if (m_passwordNeeded)
            Q_EMIT passwordRequired(message);
    });
    connect(m_worker, &VncWorker::frameUpdated, this,
            [this](quint64 serial, QSize size, const QRect &rect, const QByteArray &pixels) {
                if (!isCurrent(serial) || pixels.size() != qsizetype(rect.width()) * rect.height() * 4)
                    return;
                if (m_frameSize != size) {
                    m_frameSize = size;
                    m_pixels = QByteArray(qsizetype(size.width()) * size.height() * 4, '\0');
                }
                if (!QRect(QPoint(0, 0), size).contains(rect))
                    return;
                const qsizetype rowBytes = qsizetype(rect.width()) * 4;
                for (int y = 0; y < rect.height(); ++y)
                    std::memcpy(m_pixels.data() + (qsizetype(rect.top() + y) * size.width() + rect.left()) * 4,
                                pixels.constData() + y * rowBytes, size_t(rowBytes));
                Q_EMIT frameUpdated(rect);
            });
    connect(m_worker, &VncWorker::ended, this, [this](quint64 serial, const QString &reason) {
        if (isCurrent(serial))
            apply(machine().streamEnded(reason));
    });
    connect(m_worker, &VncWorker::typingProgress, this, [this](quint64 serial, int done, int total) {
        if (isCurrent(serial))
            Q_EMIT typingProgress(done, total);
    });
    m_thread.start();
}

VncSession::~VncSession()
{
    {
        QMutexLocker locker(&m_keySink->mutex);
        m_keySink->session = nullptr;
    }
    wipeSecret(m_password);
    // The worker closes its display in its destructor, on its thread; a display is not exclusive
    // (QEMU shares it), so nothing waits for that.
    m_thread.stop();
}

void VncSession::vmChanged()
{
    m_pixels.clear();
    m_frameSize = {};
    m_passwordNeeded = false;
    wipeSecret(m_password);
    m_password.clear();
}

void VncSession::setPassword(const QString &password)
{
    wipeSecret(m_password);
    m_password = password.toUtf8();
}

void VncSession::sendKey(quint32 keysym, bool down)
{
    if (state() != ConsoleState::Connected)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = serial(), keysym, down] { worker->sendKey(serial, keysym, down); },
        Qt::QueuedConnection);
}

void VncSession::sendPointer(int x, int y, int buttons)
{
    if (state() != ConsoleState::Connected)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = serial(), x, y, buttons] { worker->sendPointer(serial, x, y, buttons); },
        Qt::QueuedConnection);
}

int VncSession::typeText(const QString &text)
{
    if (state() != ConsoleState::Connected)
        return 0;
    const VncTyping typing = VncKeys::typing(text, MaxTypedCharacters);
    if (typing.strokes.isEmpty())
        return 0;
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, serial = serial(), strokes = typing.strokes] { worker->type(serial, strokes); },
        Qt::QueuedConnection);
    return typing.typed;
}

void VncSession::cancelTyping()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = serial()] { worker->cancelTyping(serial); }, Qt::QueuedConnection);
}

bool VncSession::sendCombination(const QString &id)
{
    VncKeyCombination combination;
    for (const VncKeyCombination &candidate : VncKeys::combinations()) {
        if (candidate.id == id)
            combination = candidate;
    }
    HypervisorSession *session = sessions()->session(vm().hostUri);
    if (combination.keycodes.isEmpty() || !session || !vm().isValid())
        return false;
    // Runs on the host's thread, with its connection, like its other domain operations.
    session->leaseConnection([sink = m_keySink, uuid = vm().uuid, combination](const ConnectionLease &lease,
                                                                               const QString &reason) {
        bool ok = false;
        QString message = reason;
        if (lease) {
            // The error is read while the domain is still held: freeing it resets this thread's
            // last error.
            if (const Libvirt::Domain domain = Libvirt::lookup(lease.get(), uuid)) {
                QList<unsigned int> codes(combination.keycodes.cbegin(), combination.keycodes.cend());
                ok = virDomainSendKey(domain.get(), VIR_KEYCODE_SET_LINUX, 0, codes.data(), int(codes.size()), 0) == 0;
                if (!ok)
                    message = Libvirt::lastError();
            } else {
                message = Libvirt::lastError();
            }
        }
        QMutexLocker locker(&sink->mutex);
        if (VncSession *target = sink->session)
            QMetaObject::invokeMethod(
                target, [target, label = combination.label, ok, message] { Q_EMIT target->keysSent(label, ok, message); },
                Qt::QueuedConnection);
    });
    return true;
}

void VncSession::openChannel(HypervisorSession *session, quint64 serial, bool)
{
    // Given to one open only: its bytes go with it (the worker wipes them once used).
    session->leaseConnection(m_worker->leaseReceiver(serial, vm().uuid, std::exchange(m_password, QByteArray())));
}

void VncSession::closeChannel(quint64 serial)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, serial] { worker->close(serial); }, Qt::QueuedConnection);
}

} // namespace Vigie
