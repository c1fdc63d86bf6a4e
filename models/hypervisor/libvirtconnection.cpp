#include "libvirtconnection.h"

#include "accesspolicy.h"
#include "coredumps.h"
#include "libvirtsasl.h"
#include "libvirttls.h"
#include "logging.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace Vigie {

namespace {

using Sink = PostSink<LibvirtConnection>;
using SinkRef = std::shared_ptr<Sink>;

void *newSinkRef(const SinkRef &sink)
{
    return new SinkRef(sink);
}

void freeSinkRef(void *opaque)
{
    delete static_cast<SinkRef *>(opaque);
}

Sink &sinkOf(void *opaque)
{
    return **static_cast<SinkRef *>(opaque);
}

void postDomainEvent(void *opaque, virDomainPtr domain)
{
    const QString uuid = Libvirt::uuidOf(domain);
    sinkOf(opaque).post([uuid](LibvirtConnection *connection) { Q_EMIT connection->domainEventReceived(uuid); });
}

int onLifecycle(virConnectPtr, virDomainPtr domain, int, int, void *opaque)
{
    postDomainEvent(opaque, domain);
    return 0;
}

void onDevice(virConnectPtr, virDomainPtr domain, const char *, void *opaque)
{
    postDomainEvent(opaque, domain);
}

void onMetadata(virConnectPtr, virDomainPtr domain, int, const char *, void *opaque)
{
    postDomainEvent(opaque, domain);
}

int onNetworkLifecycle(virConnectPtr, virNetworkPtr, int, int, void *opaque)
{
    sinkOf(opaque).post([](LibvirtConnection *connection) { Q_EMIT connection->networkEventReceived(); });
    return 0;
}

QString closeReasonText(int reason)
{
    switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "connection error");
    case VIR_CONNECT_CLOSE_REASON_EOF:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "the daemon closed the connection");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "keepalive timeout: the host stopped answering");
    default:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "connection closed");
    }
}

void onClose(virConnectPtr, int reason, void *opaque)
{
    const QString text = closeReasonText(reason);
    sinkOf(opaque).post([text](LibvirtConnection *connection) { connection->lost(text); });
}

// Errors that waiting will not cure: the operator has to change the URI or the credentials.
bool isPermanent(int code)
{
    switch (code) {
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_INVALID_ARG:
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_CONFIG_UNSUPPORTED:
        return true;
    default:
        return false;
    }
}

CredentialRequest::Kind kindOf(int type)
{
    switch (type) {
    case VIR_CRED_USERNAME:
    case VIR_CRED_AUTHNAME:
        return CredentialRequest::Kind::Username;
    case VIR_CRED_PASSPHRASE:
    case VIR_CRED_NOECHOPROMPT:
        return CredentialRequest::Kind::Password;
    default:
        return CredentialRequest::Kind::Other;
    }
}

// libvirt's client lets Cyrus SASL pick the mechanism from the daemon's list by its own ranking,
// and does not say which it took: DIGEST-MD5 may win beside SCRAM-SHA-256. So the daemon is
// asked first (no credentials sent), and a broken mechanism never gets the password.
SaslChoice saslChoiceFor(const QString &uri)
{
    const std::optional<LibvirtSaslTarget> target = LibvirtSaslTarget::fromUri(uri);
    if (!target)
        return {};
    const LibvirtAuthOffer offer = probeLibvirtAuth(*target);
    if (!offer.answered) {
        // libvirt's own attempt says what is wrong (unreachable; TLS refused, diagnosed then).
        qCDebug(lcHypervisor) << uri << "did not list its authentication:" << offer.error;
        return {};
    }
    if (!offer.sasl)
        return {};
    const SaslChannel channel = !target->tls ? SaslChannel::Tcp
                              : target->tls->verifyServer ? SaslChannel::Tls
                                                          : SaslChannel::TlsUnverified;
    const SaslChoice choice = chooseSaslMechanism(offer.mechanisms, channel, target->host, target->port);
    if (choice.kind == SaslChoice::Kind::Ask)
        qCInfo(lcHypervisor) << uri << "offers the SASL mechanisms" << offer.mechanisms << "- asking for" << choice.mechanism;
    else if (choice.kind == SaslChoice::Kind::Refuse)
        qCWarning(lcHypervisor) << uri << "offers the SASL mechanisms" << offer.mechanisms << ":" << choice.message;
    return choice;
}

} // namespace

LibvirtConnection::LibvirtConnection(const QString &uri, const Options &options,
                                     std::shared_ptr<CredentialChannel> credentials, QObject *parent)
    : QObject(parent)
    , m_uri(uri)
    , m_options(options)
    , m_credentials(std::move(credentials))
    , m_sink(std::make_shared<Sink>(this))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &LibvirtConnection::open);
}

LibvirtConnection::~LibvirtConnection()
{
    m_sink->detach();
    release();
}

int LibvirtConnection::authCallback(virConnectCredential *creds, unsigned int count, void *data)
{
    auto *connection = static_cast<LibvirtConnection *>(data);
    QList<CredentialRequest> requests;
    for (unsigned int i = 0; i < count; ++i) {
        CredentialRequest request;
        request.kind = kindOf(creds[i].type);
        request.prompt = QString::fromUtf8(creds[i].prompt ? creds[i].prompt : "");
        request.defaultValue = QString::fromUtf8(creds[i].defresult ? creds[i].defresult : "");
        request.secret = request.kind == CredentialRequest::Kind::Password;
        requests.append(request);
    }
    connection->m_credentials->reset();
    Q_EMIT connection->credentialsRequested(requests);
    CredentialReply reply = connection->m_credentials->wait();
    if (reply.cancelled || reply.values.size() != qsizetype(count))
        return -1;
    // Copied once, into what libvirt frees (unwiped: libvirt's remote driver frees credentials
    // as they are); the reply wipes its own when it goes.
    for (unsigned int i = 0; i < count; ++i) {
        if (requests.at(i).secret && !reply.values.at(i).isEmpty())
            keepSecretsOutOfCoreDumps();
        const QByteArray &value = reply.values.at(i);
        creds[i].result = static_cast<char *>(std::malloc(size_t(value.size()) + 1)); // libvirt frees it
        if (!creds[i].result)
            return -1;
        std::memcpy(creds[i].result, value.constData(), size_t(value.size()) + 1);
        creds[i].resultlen = static_cast<unsigned int>(value.size());
    }
    return 0;
}

void LibvirtConnection::open()
{
    if (m_conn)
        return;
    setState(ConnectionState::Connecting);
    int credTypes[] = {VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_PASSPHRASE,
                       VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT};
    virConnectAuth auth{credTypes, std::size(credTypes), &authCallback, this};
    QString openUri = m_options.readOnly ? AccessPolicy::readOnlyUri(m_uri) : m_uri;
    const SaslChoice sasl = saslChoiceFor(openUri);
    if (sasl.kind == SaslChoice::Kind::Refuse) {
        setState(ConnectionState::Failed, sasl.message);
        return;
    }
    if (sasl.kind == SaslChoice::Kind::Ask)
        openUri = uriWithSaslMechanism(openUri, sasl.mechanism);
    const QByteArray uri = openUri.toUtf8();
    m_conn = virConnectOpenAuth(uri.constData(), &auth, m_options.readOnly ? VIR_CONNECT_RO : 0);
    if (!m_conn) {
        QString message = Libvirt::lastError();
        const int code = virGetLastErrorCode();
        qCWarning(lcHypervisor) << "cannot connect to" << m_uri << ":" << message;
        bool permanent = isPermanent(code);
        // libvirt's TLS errors are terse ("authentication failed: Failed to verify peer's
        // certificate", "Unable to read TLS confirmation"): a handshake of our own to the same
        // place says which check failed and on which certificate (and finds nothing when TLS
        // passed and, say, SASL failed). A certificate is not cured by waiting.
        if (const auto target = LibvirtTlsTarget::fromUri(m_uri); target && code != VIR_ERR_AUTH_CANCELLED) {
            const LibvirtTlsDiagnosis diagnosis = probeLibvirtTls(*target);
            if (diagnosis.found()) {
                message = diagnosis.message(message);
                permanent = true;
                qCWarning(lcHypervisor) << m_uri << "TLS check failed:" << message << "TLS errors:" << diagnosis.errors;
            }
        }
        if (permanent || (!m_everConnected && m_uri.startsWith(QLatin1String("test:"))))
            setState(ConnectionState::Failed, message);
        else
            drop(message);
        return;
    }
    // Keepalive detects a dead or frozen daemon; local drivers do not support it, which is fine.
    if (virConnectSetKeepAlive(m_conn, m_options.keepAliveIntervalS, unsigned(m_options.keepAliveCount)) < 0)
        qCDebug(lcHypervisor) << m_uri << "has no keepalive:" << Libvirt::lastError();
    registerCallbacks();
    m_everConnected = true;
    m_backoffS = 1;
    qCDebug(lcHypervisor) << "connected to" << m_uri;
    Q_EMIT opened();
}

void LibvirtConnection::registerCallbacks()
{
    // libvirt frees each callback's reference when it drops the callback, but not when it
    // refuses to register it.
    void *closeRef = newSinkRef(m_sink);
    if (virConnectRegisterCloseCallback(m_conn, onClose, closeRef, freeSinkRef) < 0) {
        freeSinkRef(closeRef);
        qCDebug(lcHypervisor) << m_uri << "has no close callback:" << Libvirt::lastError();
    }
    const auto registerDomain = [this](int id, virConnectDomainEventGenericCallback callback) {
        void *ref = newSinkRef(m_sink);
        const int callbackId = virConnectDomainEventRegisterAny(m_conn, nullptr, id, callback, ref, freeSinkRef);
        if (callbackId >= 0) {
            m_domainCallbacks.append(callbackId);
        } else {
            freeSinkRef(ref);
            qCDebug(lcHypervisor) << m_uri << "does not report domain event" << id << ":" << Libvirt::lastError();
        }
    };
    registerDomain(VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(onLifecycle));
    registerDomain(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK(onDevice));
    registerDomain(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK(onDevice));
    registerDomain(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK(onMetadata));
    void *networkRef = newSinkRef(m_sink);
    m_networkCallback = virConnectNetworkEventRegisterAny(m_conn, nullptr, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                          VIR_NETWORK_EVENT_CALLBACK(onNetworkLifecycle),
                                                          networkRef, freeSinkRef);
    if (m_networkCallback < 0)
        freeSinkRef(networkRef);
}

void LibvirtConnection::markConnected()
{
    if (m_state != ConnectionState::Connected)
        setState(ConnectionState::Connected);
}

void LibvirtConnection::close()
{
    Q_EMIT closing();
    release();
}

void LibvirtConnection::release()
{
    if (!m_conn)
        return;
    for (int id : std::as_const(m_domainCallbacks))
        virConnectDomainEventDeregisterAny(m_conn, id);
    m_domainCallbacks.clear();
    if (m_networkCallback >= 0)
        virConnectNetworkEventDeregisterAny(m_conn, m_networkCallback);
    m_networkCallback = -1;
    virConnectUnregisterCloseCallback(m_conn, onClose);
    virConnectClose(m_conn);
    m_conn = nullptr;
}

void LibvirtConnection::drop(const QString &reason)
{
    close();
    setState(ConnectionState::Unreachable, reason);
    qCInfo(lcHypervisor) << m_uri << "unreachable:" << reason << "- retrying in" << m_backoffS << "s";
    m_reconnectTimer.start(m_backoffS * 1000);
    m_backoffS = std::min(m_backoffS * 2, m_options.maxBackoffS);
}

void LibvirtConnection::lost(const QString &reason)
{
    if (m_conn)
        drop(reason);
}

bool LibvirtConnection::checkAlive()
{
    // libvirt's keepalive marks a frozen daemon's connection for closing within
    // interval x (count + 1) seconds, but the close callback runs only once the thread holding
    // the connection's I/O leaves its poll: with a metrics call in flight to the frozen daemon
    // that poll has no timeout (libvirt's GLib event loop computes one and never arms it), so
    // the callback came 36-56 s late. virConnectIsAlive reads the mark without a remote call.
    if (!m_conn || virConnectIsAlive(m_conn) != 0)
        return true;
    lost(closeReasonText(VIR_CONNECT_CLOSE_REASON_KEEPALIVE));
    return false;
}

bool LibvirtConnection::isAlive() const
{
    return m_conn && virConnectIsAlive(m_conn) == 1;
}

void LibvirtConnection::setState(ConnectionState state, const QString &message)
{
    m_state = state;
    Q_EMIT stateChanged(state, message);
}

} // namespace Vigie
