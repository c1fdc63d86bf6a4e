#include "vncsession.h"

#include "displaytext.h"
#include "hypervisorsession.h"
#include "inventory/inventory.h"
#include "logging.h"
#include "sessionmanager.h"

#include <QCoreApplication>
#include <QMutex>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <cstring>

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
    : QObject(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_keySink(std::make_shared<VncKeySink>())
    , m_worker(new VncWorker)
    , m_thread(QStringLiteral("vnc"), m_worker)
{
    qRegisterMetaType<ConsoleState>();
    qRegisterMetaType<VncRefusal>();
    m_keySink->session = this;
    connect(m_worker, &VncWorker::opened, this, [this](quint64 serial, const QString &how, bool encrypted) {
        if (serial != m_serial)
            return;
        m_connection = how;
        m_encrypted = encrypted;
        m_passwordNeeded = false;
        apply(m_machine.opened());
    });
    connect(m_worker, &VncWorker::openFailed, this, [this](quint64 serial, VncRefusal refusal, const QString &message) {
        if (serial != m_serial)
            return;
        m_passwordNeeded = refusal == VncRefusal::PasswordNeeded;
        apply(m_machine.openFailed(toConsoleRefusal(refusal), message));
        if (m_passwordNeeded)
            Q_EMIT passwordRequired(message);
    });
    connect(m_worker, &VncWorker::frameUpdated, this,
            [this](quint64 serial, QSize size, const QRect &rect, const QByteArray &pixels) {
                if (serial != m_serial || pixels.size() != qsizetype(rect.width()) * rect.height() * 4)
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
        if (serial == m_serial)
            apply(m_machine.streamEnded(reason));
    });
    connect(m_worker, &VncWorker::typingProgress, this, [this](quint64 serial, int done, int total) {
        if (serial == m_serial)
            Q_EMIT typingProgress(done, total);
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

VncSession::~VncSession()
{
    {
        QMutexLocker locker(&m_keySink->mutex);
        m_keySink->session = nullptr;
    }
    m_password.fill('\0');
    m_retryTimer.stop();
    // The worker closes its display in its destructor, on its thread; a display is not exclusive
    // (QEMU shares it), so nothing waits for that.
    m_thread.stop();
}

void VncSession::setVm(const VmKey &vm)
{
    if (vm == m_vm)
        return;
    stop();
    m_vm = vm;
    m_pixels.clear();
    m_frameSize = {};
    m_passwordNeeded = false;
    m_password.fill('\0');
    m_password.clear();
}

void VncSession::start()
{
    if (!m_vm.isValid() || state() != ConsoleState::Closed)
        return;
    apply(m_machine.start(vmRunning(), hostUp()));
}

void VncSession::stop()
{
    apply(m_machine.stop());
}

void VncSession::retry()
{
    apply(m_machine.retry());
}

void VncSession::setPassword(const QString &password)
{
    m_password.fill('\0');
    m_password = password.toUtf8();
}

void VncSession::sendKey(quint32 keysym, bool down)
{
    if (state() != ConsoleState::Connected)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = m_serial, keysym, down] { worker->sendKey(serial, keysym, down); },
        Qt::QueuedConnection);
}

void VncSession::sendPointer(int x, int y, int buttons)
{
    if (state() != ConsoleState::Connected)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = m_serial, x, y, buttons] { worker->sendPointer(serial, x, y, buttons); },
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
        [worker = m_worker, serial = m_serial, strokes = typing.strokes] { worker->type(serial, strokes); },
        Qt::QueuedConnection);
    return typing.typed;
}

void VncSession::cancelTyping()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, serial = m_serial] { worker->cancelTyping(serial); }, Qt::QueuedConnection);
}

bool VncSession::sendCombination(const QString &id)
{
    VncKeyCombination combination;
    for (const VncKeyCombination &candidate : VncKeys::combinations()) {
        if (candidate.id == id)
            combination = candidate;
    }
    HypervisorSession *session = m_sessions->session(m_vm.hostUri);
    if (combination.keycodes.isEmpty() || !session || !m_vm.isValid())
        return false;
    // Runs on the host's thread, with its connection, like its other domain operations.
    session->leaseConnection([sink = m_keySink, uuid = m_vm.uuid, combination](const ConnectionLease &lease,
                                                                               const QString &reason) {
        bool ok = false;
        QString message = reason;
        if (lease) {
            if (virDomainPtr domain = virDomainLookupByUUIDString(lease.get(), uuid.toLatin1().constData())) {
                QList<unsigned int> codes(combination.keycodes.cbegin(), combination.keycodes.cend());
                ok = virDomainSendKey(domain, VIR_KEYCODE_SET_LINUX, 0, codes.data(), int(codes.size()), 0) == 0;
                virDomainFree(domain);
            }
            if (!ok) {
                const char *error = virGetLastErrorMessage();
                message = error ? DisplayText::bounded(QString::fromUtf8(error), DisplayText::MaxToolTipLength) : QString();
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

bool VncSession::vmRunning() const
{
    return m_inventory->hasVm(m_vm) && m_inventory->vm(m_vm).isActive();
}

bool VncSession::hostUp() const
{
    return m_inventory->host(m_vm.hostUri).state == ConnectionState::Connected;
}

void VncSession::apply(ConsoleStateMachine::Action action)
{
    switch (action) {
    case ConsoleStateMachine::Action::None:
        break;
    case ConsoleStateMachine::Action::Open:
    case ConsoleStateMachine::Action::OpenForced: {
        m_retryTimer.stop();
        const quint64 serial = ++m_serial;
        if (HypervisorSession *session = m_sessions->session(m_vm.hostUri)) {
            session->leaseConnection(m_worker->leaseReceiver(serial, m_vm.uuid, m_password));
        } else {
            QMetaObject::invokeMethod(
                this,
                [this, serial] {
                    if (serial == m_serial)
                        apply(m_machine.openFailed(ConsoleRefusal::Other, tr("the host is not connected")));
                },
                Qt::QueuedConnection);
        }
        // Given to one open only.
        m_password.fill('\0');
        m_password.clear();
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
    if (state() != m_announcedState || detail() != m_announcedDetail) {
        m_announcedState = state();
        m_announcedDetail = detail();
        Q_EMIT stateChanged(state(), detail());
    }
}

} // namespace Vigie
