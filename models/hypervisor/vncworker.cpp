#include "vncworker.h"

#include "coredumps.h"
#include "displaytext.h"
#include "libvirtutil.h"
#include "logging.h"
#include "secretbytes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QUrl>
#include <QXmlStreamReader>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <rfb/rfbclient.h>

#include <algorithm>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace Vigie {

struct VncSink
{
    QMutex mutex;
    VncWorker *worker = nullptr;

    template<typename F>
    void post(F call)
    {
        QMutexLocker locker(&mutex);
        if (VncWorker *target = worker)
            QMetaObject::invokeMethod(target, [target, call] { call(target); }, Qt::QueuedConnection);
    }
};

namespace {

// libvncclient reports through two global printf-like hooks; the last error of this thread is
// what the operator is told when a handshake fails. Nothing secret goes through them.
thread_local QString t_lastVncError;

QString formatted(const char *format, va_list args)
{
    char buffer[512];
    std::vsnprintf(buffer, sizeof buffer, format, args);
    return QString::fromLocal8Bit(buffer).trimmed();
}

void vncLog(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    const QString line = formatted(format, args);
    va_end(args);
    // Some refusals come through the log hook ("VNC connection failed: password check failed!",
    // the server's own reason): kept as the error to tell.
    // The TLS handshake's verdicts too ("The certificate is not trusted.").
    if (line.contains(QLatin1String("failed"), Qt::CaseInsensitive) || line.contains(QLatin1String("certificate"), Qt::CaseInsensitive))
        t_lastVncError = line;
    qCDebug(lcHypervisor) << "vnc:" << line;
}

void vncError(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    t_lastVncError = formatted(format, args);
    va_end(args);
    qCDebug(lcHypervisor) << "vnc error:" << t_lastVncError;
}

int s_clientTag; // its address tags the worker in each rfbClient

} // namespace

VncWorker::TlsFiles VncWorker::tlsFiles()
{
    // Where libvirt's own VNC clients (virt-viewer, virt-manager through gtk-vnc) look, as
    // libvirt's "VNC TLS setup" page lists them: the user's files first, then the system's.
    const QString home = QDir::homePath();
    TlsFiles files;
    const auto pick = [](std::initializer_list<QString> paths) {
        for (const QString &path : paths) {
            if (QFileInfo(path).isFile())
                return path;
        }
        return QString();
    };
    files.caCert = pick({home + QStringLiteral("/.pki/CA/cacert.pem"), QStringLiteral("/etc/pki/CA/cacert.pem")});
    files.caCrl = pick({home + QStringLiteral("/.pki/CA/cacrl.pem"), QStringLiteral("/etc/pki/CA/cacrl.pem")});
    // A client certificate goes with its key, from the same place.
    for (const QString &dir : {home + QStringLiteral("/.pki/libvirt-vnc"), QStringLiteral("/etc/pki/libvirt-vnc")}) {
        const QString cert = dir + QStringLiteral("/clientcert.pem");
        const QString key = dir + QStringLiteral("/private/clientkey.pem");
        if (QFileInfo(cert).isFile() && QFileInfo(key).isFile()) {
            files.clientCert = cert;
            files.clientKey = key;
            break;
        }
    }
    return files;
}

// libvncclient's callbacks, on the worker's thread (inside its calls).
struct VncCallbacks
{
    static VncWorker *worker(rfbClient *client)
    {
        return static_cast<VncWorker *>(rfbClientGetClientData(client, &s_clientTag));
    }

    static char *getPassword(rfbClient *client)
    {
        VncWorker *self = worker(client);
        self->m_passwordAsked = true;
        keepSecretsOutOfCoreDumps();
        // libvncclient frees what it is given (and keeps no copy once the handshake is done).
        char *copy = static_cast<char *>(std::calloc(size_t(self->m_password.size()) + 1, 1));
        if (copy)
            std::memcpy(copy, self->m_password.constData(), size_t(self->m_password.size()));
        return copy;
    }

    static rfbCredential *getCredential(rfbClient *client, int type)
    {
        VncWorker *self = worker(client);
        auto *credential = static_cast<rfbCredential *>(std::calloc(1, sizeof(rfbCredential)));
        if (!credential)
            return nullptr;
        if (type == rfbCredentialTypeUser) {
            self->m_passwordAsked = true;
            credential->userCredential.username = strdup("");
            credential->userCredential.password = getPassword(client);
        } else if (type == rfbCredentialTypeX509) {
            // VeNCrypt with certificates (QEMU's vnc_tls): the CA of libvirt's TLS setup where
            // its VNC clients look for it, else the system's trust store (GnuTLS's default). A
            // server certificate neither vouches for is refused, and libvncclient says so.
            const VncWorker::TlsFiles files = VncWorker::tlsFiles();
            const auto copy = [](const QString &path) {
                return path.isEmpty() ? nullptr : strdup(QFile::encodeName(path).constData());
            };
            credential->x509Credential.x509CACertFile = copy(files.caCert);
            credential->x509Credential.x509CACrlFile = copy(files.caCrl);
            credential->x509Credential.x509ClientCertFile = copy(files.clientCert);
            credential->x509Credential.x509ClientKeyFile = copy(files.clientKey);
            credential->x509Credential.x509CrlVerifyMode = files.caCrl.isEmpty() ? rfbX509CrlVerifyNone : rfbX509CrlVerifyAll;
            self->m_tlsAsked = true;
            self->m_tlsCa = files.caCert;
        }
        return credential;
    }

    static void gotUpdate(rfbClient *client, int x, int y, int w, int h)
    {
        VncWorker *self = worker(client);
        self->m_damage = self->m_damage.united(QRect(x, y, w, h));
    }

    static void finishedUpdate(rfbClient *client)
    {
        VncWorker *self = worker(client);
        if (!self->m_frameTimer.isActive())
            self->m_frameTimer.start();
    }
};

VncWorker::VncWorker()
    : m_sink(std::make_shared<VncSink>())
{
    static std::once_flag hooks;
    std::call_once(hooks, [] {
        rfbClientLog = vncLog;
        rfbClientErr = vncError;
        // libvncclient writes to the display's socket with write(): when QEMU closes it (the VM
        // stops, the host goes), the write must fail with EPIPE and the display say "closed",
        // not SIGPIPE end the whole console (the lab test died so once). Qt's and libvirt's
        // sockets never raise it; nothing in Vigie wants it.
        std::signal(SIGPIPE, SIG_IGN);
    });
    m_sink->worker = this;
    m_pumpTimer.setInterval(0);
    connect(&m_pumpTimer, &QTimer::timeout, this, &VncWorker::pump);
    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(FrameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &VncWorker::flushFrame);
    m_typingTimer.setInterval(TypingTickMs);
    connect(&m_typingTimer, &QTimer::timeout, this, &VncWorker::typeSome);
}

VncWorker::~VncWorker()
{
    {
        QMutexLocker locker(&m_sink->mutex);
        m_sink->worker = nullptr;
    }
    closeClient();
}

std::function<void(ConnectionLease, QString)> VncWorker::leaseReceiver(quint64 serial, const QString &uuid,
                                                                       const QByteArray &password) const
{
    return [sink = m_sink, serial, uuid, password](const ConnectionLease &lease, const QString &reason) {
        sink->post([serial, lease, reason, uuid, password](VncWorker *worker) {
            worker->open(serial, lease, reason, uuid, password);
        });
    };
}

VncGraphics VncWorker::parseGraphics(const QString &domainXml)
{
    VncGraphics result;
    QXmlStreamReader xml(domainXml);
    int depth = 0;
    int index = -1;
    bool inDevices = false;
    bool inVnc = false;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            ++depth;
            if (depth == 2)
                inDevices = xml.name() == QLatin1String("devices");
            // /domain/devices/graphics, and its <listen> children.
            if (inDevices && depth == 3 && xml.name() == QLatin1String("graphics")) {
                ++index;
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                if (type == QLatin1String("vnc") && result.index < 0) {
                    inVnc = true;
                    result.index = index;
                    bool ok = false;
                    const int port = xml.attributes().value(QLatin1String("port")).toInt(&ok);
                    result.port = ok && port > 0 && port < 65536 ? port : -1;
                    result.listen = xml.attributes().value(QLatin1String("listen")).toString();
                    result.socket = xml.attributes().value(QLatin1String("socket")).toString();
                } else if (result.otherType.isEmpty() && type != QLatin1String("vnc")) {
                    result.otherType = type;
                }
            } else if (inVnc && depth == 4 && xml.name() == QLatin1String("listen")) {
                const auto attributes = xml.attributes();
                const QString type = attributes.value(QLatin1String("type")).toString();
                if (type == QLatin1String("address") && result.listen.isEmpty())
                    result.listen = attributes.value(QLatin1String("address")).toString();
                else if (type == QLatin1String("socket") && result.socket.isEmpty())
                    result.socket = attributes.value(QLatin1String("socket")).toString();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (depth == 3)
                inVnc = false;
            --depth;
        }
    }
    if (xml.hasError())
        return {};
    if (result.index >= 0)
        result.otherType.clear();
    return result;
}

void VncWorker::open(quint64 serial, const ConnectionLease &lease, const QString &reason, const QString &uuid,
                     QByteArray password)
{
    // One buffer, shared by the calls that carried it here: wiped where it is once used.
    const auto wipe = [&password] { wipeSecret(password); };
    if (serial <= m_cancelled) {
        wipe();
        return;
    }
    closeClient();
    m_serial = serial;
    if (!lease) {
        wipe();
        Q_EMIT openFailed(serial, VncRefusal::Other, reason);
        return;
    }
    m_password = password; // the same bytes, wiped below once the handshake is over
    QString error;
    VncRefusal refusal = VncRefusal::Other;
    // Errors are read while the domain is held: freeing it resets this thread's last error.
    const Libvirt::Domain domain = Libvirt::lookup(lease.get(), uuid);
    int fd = -1;
    QString how;
    QString host;
    int port = -1;
    if (!domain) {
        error = Libvirt::lastError();
    } else if (virDomainIsActive(domain.get()) != 1) {
        refusal = VncRefusal::NotRunning;
        error = tr("the VM is not running");
    } else {
        const VncGraphics graphics = parseGraphics(QString::fromUtf8(Libvirt::take(virDomainGetXMLDesc(domain.get(), 0))));
        if (graphics.index < 0) {
            refusal = VncRefusal::NoDisplay;
            error = graphics.otherType.isEmpty()
                        ? tr("the VM has no graphics")
                        : tr("the VM's display is %1, not VNC: Vigie shows VNC displays only").arg(graphics.otherType);
        } else {
            // Libvirt's own channel needs no address and no password (the connection is already
            // authenticated): tried first; remote transports that cannot pass descriptors refuse.
            fd = virDomainOpenGraphicsFD(domain.get(), unsigned(graphics.index), VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
            if (fd >= 0) {
                how = tr("through libvirt");
            } else {
                const QString fdError = Libvirt::lastError();
                qCDebug(lcHypervisor) << "no graphics fd for" << uuid << ":" << fdError;
                if (graphics.port < 0) {
                    refusal = VncRefusal::Unsupported;
                    error = graphics.socket.isEmpty()
                                ? tr("the display cannot be reached: libvirt cannot hand it over (%1) and it "
                                     "listens on no TCP port").arg(fdError)
                                : tr("the display listens on a unix socket of the host, and libvirt cannot hand "
                                     "it over (%1)").arg(fdError);
                } else {
                    host = graphics.listen;
                    // Listening everywhere (or on the host's loopback while Vigie is elsewhere):
                    // the host's own name from the connection URI.
                    const QString uriHost = QUrl(QString::fromUtf8(Libvirt::take(virConnectGetURI(lease.get())))).host();
                    if (host.isEmpty() || host == QLatin1String("0.0.0.0") || host == QLatin1String("::")
                        || ((host == QLatin1String("127.0.0.1") || host == QLatin1String("::1"))
                            && !uriHost.isEmpty() && uriHost != QLatin1String("localhost")))
                        host = uriHost.isEmpty() ? QStringLiteral("127.0.0.1") : uriHost;
                    port = graphics.port;
                    how = QStringLiteral("%1:%2").arg(host).arg(port);
                }
            }
        }
    }
    if (!error.isEmpty()) {
        wipeSecret(m_password);
        m_password.clear();
        Q_EMIT openFailed(serial, refusal, error);
        return;
    }

    m_client = rfbGetClient(8, 3, 4);
    // 0x00RRGGBB in memory order of a little-endian word: QImage::Format_RGB32 once alpha is set.
    m_client->format.redShift = 16;
    m_client->format.greenShift = 8;
    m_client->format.blueShift = 0;
    m_client->connectTimeout = 10;
    m_client->readTimeout = 15;
    m_client->canHandleNewFBSize = TRUE;
    m_client->GetPassword = VncCallbacks::getPassword;
    m_client->GetCredential = VncCallbacks::getCredential;
    m_client->GotFrameBufferUpdate = VncCallbacks::gotUpdate;
    m_client->FinishedFrameBufferUpdate = VncCallbacks::finishedUpdate;
    rfbClientSetClientData(m_client, &s_clientTag, this);
    m_passwordAsked = false;
    m_tlsAsked = false;
    m_tlsCa.clear();
    t_lastVncError.clear();
    bool connected = false;
    if (fd >= 0) {
        // libvncclient reads a non-blocking socket (it waits in select itself) and closes it.
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        m_client->sock = fd;
        connected = true;
    } else {
        std::free(m_client->serverHost);
        m_client->serverHost = strdup(host.toUtf8().constData());
        m_client->serverPort = port;
        connected = ConnectToRFBServer(m_client, m_client->serverHost, port);
        if (!connected)
            error = tr("cannot connect to the display at %1").arg(how);
    }
    if (connected && !InitialiseRFBConnection(m_client)) {
        connected = false;
        if (m_passwordAsked) {
            refusal = VncRefusal::PasswordNeeded;
            error = m_password.isEmpty()         ? tr("the display asks for a password")
                    : t_lastVncError.isEmpty() ? tr("the display refused the password")
                                                 : tr("the display refused the password (%1)").arg(t_lastVncError);
        } else {
            error = t_lastVncError.isEmpty() ? tr("the display refused the connection") : t_lastVncError;
            // VeNCrypt with certificates: say what its certificate was checked against, or
            // where the CA is looked for when none was found.
            if (m_tlsAsked && m_tlsCa.isEmpty()) {
                error = tr("the display wants VeNCrypt with certificates and no CA was found to check its certificate: put "
                           "the CA of the host's VNC certificates in ~/.pki/CA/cacert.pem or /etc/pki/CA/cacert.pem, where "
                           "libvirt's VNC clients look for it");
            } else if (m_tlsAsked) {
                error = tr("%1 (its certificate checked against the CA in %2)").arg(error, m_tlsCa);
            }
        }
    }
    wipeSecret(m_password);
    m_password.clear();
    if (connected) {
        m_client->width = m_client->si.framebufferWidth;
        m_client->height = m_client->si.framebufferHeight;
        if (!m_client->MallocFrameBuffer(m_client) || !SetFormatAndEncodings(m_client)
            || !SendFramebufferUpdateRequest(m_client, 0, 0, m_client->width, m_client->height, FALSE)) {
            connected = false;
            error = t_lastVncError.isEmpty() ? tr("the display closed during the handshake") : t_lastVncError;
        }
    }
    if (!connected) {
        closeClient();
        Q_EMIT openFailed(serial, refusal, error);
        return;
    }
    const bool encrypted = m_client->tlsSession != nullptr;
    qCDebug(lcHypervisor) << "display of" << uuid << "open" << how << m_client->width << "x" << m_client->height;
    m_sentSize = {};
    m_damage = QRect(0, 0, m_client->width, m_client->height);
    m_pumpTimer.start();
    Q_EMIT opened(serial, how, encrypted);
}

void VncWorker::pump()
{
    if (!m_client)
        return;
    // A short wait, so that the operator's keys queued meanwhile go out promptly.
    int ready = WaitForMessage(m_client, 10000);
    for (int handled = 0; ready > 0 && handled < 64; ++handled) {
        if (!HandleRFBServerMessage(m_client)) {
            end(t_lastVncError.isEmpty() ? tr("the display closed") : t_lastVncError);
            return;
        }
        ready = WaitForMessage(m_client, 0);
    }
    if (ready < 0)
        end(tr("the display closed"));
}

void VncWorker::flushFrame()
{
    if (!m_client || !m_client->frameBuffer)
        return;
    const QSize size(m_client->width, m_client->height);
    const QRect frame(QPoint(0, 0), size);
    const QRect rect = size != m_sentSize ? frame : (m_damage & frame);
    m_damage = QRect();
    if (rect.isEmpty())
        return;
    QByteArray pixels(qsizetype(rect.width()) * rect.height() * 4, Qt::Uninitialized);
    auto *out = reinterpret_cast<quint32 *>(pixels.data());
    const auto *in = reinterpret_cast<const quint32 *>(m_client->frameBuffer);
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        const quint32 *line = in + qsizetype(y) * size.width() + rect.left();
        // The server leaves the fourth byte at 0; Format_RGB32 wants it at 0xff.
        for (int x = 0; x < rect.width(); ++x)
            *out++ = line[x] | 0xff000000u;
    }
    m_sentSize = size;
    Q_EMIT frameUpdated(m_serial, size, rect, pixels);
}

void VncWorker::close(quint64 serial)
{
    m_cancelled = std::max(m_cancelled, serial);
    if (m_serial <= serial)
        closeClient();
}

void VncWorker::sendKey(quint64 serial, quint32 keysym, bool down)
{
    if (serial == m_serial && m_client && keysym)
        SendKeyEvent(m_client, keysym, down ? TRUE : FALSE);
}

void VncWorker::sendPointer(quint64 serial, int x, int y, int buttons)
{
    if (serial == m_serial && m_client)
        SendPointerEvent(m_client, std::clamp(x, 0, std::max(0, m_client->width - 1)),
                         std::clamp(y, 0, std::max(0, m_client->height - 1)), buttons);
}

void VncWorker::type(quint64 serial, const QList<VncKeyStroke> &strokes)
{
    if (serial != m_serial || !m_client)
        return;
    cancelTyping(serial);
    m_typing = strokes;
    m_typed = 0;
    m_typingTimer.start();
    typeSome();
}

void VncWorker::typeSome()
{
    if (!m_client) {
        m_typingTimer.stop();
        return;
    }
    const qsizetype end = std::min(m_typing.size(), m_typed + StrokesPerTick);
    for (; m_typed < end; ++m_typed)
        SendKeyEvent(m_client, m_typing.at(m_typed).keysym, m_typing.at(m_typed).down ? TRUE : FALSE);
    Q_EMIT typingProgress(m_serial, int(m_typed), int(m_typing.size()));
    if (m_typed >= m_typing.size()) {
        m_typingTimer.stop();
        m_typing.clear();
        m_typed = 0;
    }
}

void VncWorker::cancelTyping(quint64 serial)
{
    if (serial != m_serial || m_typing.isEmpty())
        return;
    m_typingTimer.stop();
    // Nothing left held down: every stroke sent was a press and its release, but Shift.
    if (m_client)
        SendKeyEvent(m_client, 0xffe1, FALSE);
    const int total = int(m_typing.size());
    const int done = int(m_typed);
    m_typing.clear();
    m_typed = 0;
    Q_EMIT typingProgress(m_serial, done, total);
}

void VncWorker::end(const QString &reason)
{
    closeClient();
    Q_EMIT ended(m_serial, reason);
}

void VncWorker::closeClient()
{
    m_pumpTimer.stop();
    m_frameTimer.stop();
    m_typingTimer.stop();
    m_typing.clear();
    m_typed = 0;
    m_damage = QRect();
    if (m_client) {
        // rfbClientCleanup closes the socket and frees the client, not the frame buffer.
        std::free(m_client->frameBuffer);
        m_client->frameBuffer = nullptr;
        rfbClientCleanup(m_client);
        m_client = nullptr;
    }
}

} // namespace Vigie
