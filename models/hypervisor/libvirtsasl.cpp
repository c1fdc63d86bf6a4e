#include "libvirtsasl.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <memory>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::LibvirtSasl)
};

// Whether MECHANISM, not broken, can carry the credentials in CHANNEL. Over plain TCP libvirt
// wants a security strength factor of 56 at least: only a mechanism that encrypts the session
// itself (GSSAPI; DIGEST-MD5 aside). The password as it is (PLAIN, LOGIN) only inside TLS with a
// verified server. ANONYMOUS and EXTERNAL give no credentials.
bool usableIn(const QString &mechanism, SaslChannel channel)
{
    if (mechanism == QLatin1String("ANONYMOUS") || mechanism == QLatin1String("EXTERNAL"))
        return false;
    if (mechanism == QLatin1String("PLAIN") || mechanism == QLatin1String("LOGIN"))
        return channel == SaslChannel::Tls;
    return channel != SaslChannel::Tcp || mechanism == QLatin1String("GSSAPI");
}

// The usable mechanisms in the order Vigie asks for them: Kerberos first (no password to type,
// and what a server offering it wants), then SCRAM from the strongest hash (the password never
// leaves the client), then the daemon's own order (PLAIN among them).
int preference(const QString &mechanism)
{
    static const QStringList order{QStringLiteral("GSSAPI"),        QStringLiteral("GS2-KRB5"),
                                   QStringLiteral("SCRAM-SHA-512"), QStringLiteral("SCRAM-SHA-384"),
                                   QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-224")};
    const qsizetype at = order.indexOf(mechanism);
    return at < 0 ? int(order.size()) : int(at);
}

// The broken mechanisms offered, with why: "DIGEST-MD5 (MD5-based, …)".
QString brokenList(const QStringList &broken)
{
    QStringList items;
    for (const QString &mechanism : broken)
        items.append(QStringLiteral("%1 (%2)").arg(mechanism, brokenSaslMechanismReason(mechanism)));
    return items.join(QLatin1String("; "));
}

// One call and its whole reply, before DEADLINE.
std::optional<LibvirtRpc::Reply> exchange(QAbstractSocket &socket, qint32 procedure, quint32 serial,
                                          const QDeadlineTimer &deadline, QString *error)
{
    socket.write(LibvirtRpc::call(procedure, serial));
    QByteArray message;
    std::optional<quint32> length;
    while (!length || message.size() < qsizetype(*length)) {
        if (!length && message.size() >= 4) {
            length = LibvirtRpc::announcedLength(message);
            if (!length) {
                *error = Tr::tr("the daemon announced a message longer than %1 bytes, or shorter than a header")
                             .arg(LibvirtRpc::MaxReplyBytes);
                return std::nullopt;
            }
            continue;
        }
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(int(deadline.remainingTime()))) {
            *error = deadline.hasExpired() ? Tr::tr("no answer in time") : socket.errorString();
            return std::nullopt;
        }
        const qsizetype wanted = (length ? qsizetype(*length) : 4) - message.size();
        message += socket.read(wanted);
    }
    std::optional<LibvirtRpc::Reply> reply = LibvirtRpc::parseReply(message, error);
    if (reply && (reply->procedure != procedure || reply->serial != serial)) {
        *error = Tr::tr("the daemon answered another call");
        return std::nullopt;
    }
    return reply;
}

} // namespace

std::optional<LibvirtSaslTarget> LibvirtSaslTarget::fromUri(const QString &uri)
{
    const QUrl url(uri.trimmed());
    if (!url.isValid() || url.host().isEmpty())
        return std::nullopt;
    const QString auth = QUrlQuery(url).queryItemValue(QStringLiteral("auth"), QUrl::FullyDecoded).trimmed();
    if (!auth.isEmpty() && auth.compare(QLatin1String("sasl"), Qt::CaseInsensitive) != 0)
        return std::nullopt; // a mechanism named (checked with the URI), polkit, or none
    LibvirtSaslTarget target;
    target.host = url.host();
    if (url.scheme().endsWith(QLatin1String("+tcp"), Qt::CaseInsensitive)) {
        target.port = quint16(url.port(TcpPort));
        return target;
    }
    target.tls = LibvirtTlsTarget::fromUri(uri);
    if (!target.tls)
        return std::nullopt; // ssh, unix, or a driver that is not libvirt's remote one
    target.port = target.tls->port;
    return target;
}

LibvirtAuthOffer probeLibvirtAuth(const LibvirtSaslTarget &target, int timeoutMs)
{
    LibvirtAuthOffer offer;
    const QDeadlineTimer deadline(timeoutMs);
    std::unique_ptr<QAbstractSocket> socket;
    if (target.tls) {
        const std::optional<QSslConfiguration> config = libvirtTlsConfiguration(*target.tls);
        if (!config) {
            offer.error = Tr::tr("no TLS configuration (CA file %1)").arg(target.tls->caCertificateFile);
            return offer;
        }
        auto tls = std::make_unique<QSslSocket>();
        tls->setSslConfiguration(*config);
        tls->setPeerVerifyName(target.host);
        tls->connectToHostEncrypted(target.host, target.port);
        // libvirt's verdict on the client certificate: one byte, 1 when admitted.
        char verdict = 0;
        if (!tls->waitForEncrypted(int(deadline.remainingTime()))
            || (tls->bytesAvailable() == 0 && !tls->waitForReadyRead(int(deadline.remainingTime())))
            || !tls->getChar(&verdict) || verdict != '\1') {
            offer.error = Tr::tr("TLS: %1").arg(tls->errorString());
            return offer;
        }
        socket = std::move(tls);
    } else {
        socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(target.host, target.port);
        if (!socket->waitForConnected(int(deadline.remainingTime()))) {
            offer.error = socket->errorString();
            return offer;
        }
    }

    const std::optional<LibvirtRpc::Reply> types = exchange(*socket, LibvirtRpc::ProcAuthList, 1, deadline, &offer.error);
    if (!types)
        return offer;
    const std::optional<QList<qint32>> list = types->ok ? LibvirtRpc::authTypes(types->payload) : std::nullopt;
    if (!list) {
        offer.error = types->ok ? Tr::tr("an unreadable list of authentication types") : Tr::tr("the daemon refused to list its authentication types");
        return offer;
    }
    offer.sasl = list->contains(LibvirtRpc::AuthSasl);
    if (offer.sasl) {
        const std::optional<LibvirtRpc::Reply> init = exchange(*socket, LibvirtRpc::ProcAuthSaslInit, 2, deadline, &offer.error);
        if (!init)
            return offer;
        const std::optional<QStringList> mechanisms = init->ok ? LibvirtRpc::saslMechanisms(init->payload) : std::nullopt;
        if (!mechanisms) {
            offer.error = init->ok ? Tr::tr("an unreadable list of SASL mechanisms") : Tr::tr("the daemon refused to list its SASL mechanisms");
            return offer;
        }
        offer.mechanisms = *mechanisms;
    }
    socket->abort();
    offer.answered = true;
    return offer;
}

QString brokenSaslMechanismReason(const QString &mechanism)
{
    const QString name = mechanism.trimmed().toUpper();
    if (name == QLatin1String("DIGEST-MD5"))
        return Tr::tr("MD5-based, declared historic by RFC 6331");
    if (name == QLatin1String("CRAM-MD5"))
        return Tr::tr("an MD5 challenge-response, with no protection against a replayed or offline-cracked exchange");
    if (name == QLatin1String("SCRAM-SHA-1") || name == QLatin1String("SCRAM-SHA-1-PLUS"))
        return Tr::tr("SHA-1, superseded by SCRAM-SHA-256");
    if (name == QLatin1String("NTLM"))
        return Tr::tr("NTLM's MD4 and MD5 hashes, long broken");
    return {};
}

SaslChoice chooseSaslMechanism(const QStringList &offered, SaslChannel channel, const QString &host, quint16 port)
{
    QStringList broken;
    QStringList usable;  // in this channel
    QStringList overTls; // in TLS only
    for (const QString &mechanism : offered) {
        if (!brokenSaslMechanismReason(mechanism).isEmpty())
            broken.append(mechanism);
        else if (usableIn(mechanism, channel))
            usable.append(mechanism);
        else if (usableIn(mechanism, SaslChannel::Tls))
            overTls.append(mechanism);
    }
    SaslChoice choice;
    if (broken.isEmpty())
        return choice;
    if (!usable.isEmpty()) {
        std::stable_sort(usable.begin(), usable.end(),
                         [](const QString &a, const QString &b) { return preference(a) < preference(b); });
        choice.kind = SaslChoice::Kind::Ask;
        choice.mechanism = usable.first();
        return choice;
    }
    choice.kind = SaslChoice::Kind::Refuse;
    const QString place = QStringLiteral("%1:%2").arg(host, QString::number(port));
    if (channel == SaslChannel::Tcp && !overTls.isEmpty())
        //: %1 host:port, %2 broken SASL mechanisms with why, %3 host, %4 a usable mechanism
        choice.message = Tr::tr("SASL to %1 refused: over plain TCP libvirt needs a mechanism that encrypts the session, "
                                "and the daemon offers only broken ones for that: %2. Vigie sent no credentials. Connect "
                                "over TLS (qemu+tls://%3/system) to use %4, or enable GSSAPI.")
                             .arg(place, brokenList(broken), host, overTls.first());
    else if (channel == SaslChannel::TlsUnverified && !overTls.isEmpty())
        //: %1 host:port, %2 broken SASL mechanisms with why, %3 a mechanism sending the password as is
        choice.message = Tr::tr("SASL to %1 refused: besides broken mechanisms (%2) the daemon offers only %3, which "
                                "sends the password as it is, and the URI does not verify the server's certificate "
                                "(no_verify=1). Vigie sent no credentials. Verify the server, or enable SCRAM-SHA-256 "
                                "in the host's SASL configuration for libvirt (mech_list in /etc/sasl2/libvirt.conf).")
                             .arg(place, brokenList(broken), overTls.first());
    else
        //: %1 host:port, %2 broken SASL mechanisms with why
        choice.message = Tr::tr("SASL to %1 refused: the daemon offers only broken mechanisms: %2. Vigie sent no "
                                "credentials. Enable SCRAM-SHA-256 or GSSAPI in the host's SASL configuration for "
                                "libvirt (mech_list in /etc/sasl2/libvirt.conf).")
                             .arg(place, brokenList(broken));
    return choice;
}

QString uriWithSaslMechanism(const QString &uri, const QString &mechanism)
{
    QUrl url(uri.trimmed());
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("auth"));
    // libvirt looks the name up in the daemon's list as written (upper case).
    query.addQueryItem(QStringLiteral("auth"), QStringLiteral("sasl.") + mechanism.toUpper());
    url.setQuery(query);
    return url.toString();
}

} // namespace Vigie
