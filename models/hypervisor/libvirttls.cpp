#include "libvirttls.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QUrl>
#include <QUrlQuery>

#include <unistd.h>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::LibvirtTls)
};

// Drivers whose remote URIs go through libvirt's remote driver (and so default to TLS without a
// transport); esx, vpx, hyperv and the like speak HTTPS themselves.
bool isRemoteDriver(const QString &driver)
{
    static const QStringList drivers{QStringLiteral("qemu"),  QStringLiteral("lxc"),     QStringLiteral("xen"),
                                     QStringLiteral("libxl"), QStringLiteral("test"),    QStringLiteral("remote"),
                                     QStringLiteral("ch"),    QStringLiteral("bhyve"),   QStringLiteral("vbox"),
                                     QStringLiteral("network"), QStringLiteral("storage"), QStringLiteral("openvz")};
    return drivers.contains(driver);
}

QString existingOr(const QString &preferred, const QString &fallback)
{
    return QFileInfo::exists(preferred) ? preferred : fallback;
}

QSslKey readKey(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray pem = f.readAll();
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm);
        if (!key.isNull())
            return key;
    }
    return {};
}

// The names a certificate answers to: its subjectAltName entries, else its common name.
QString namesOf(const QSslCertificate &certificate)
{
    QStringList names;
    const auto alternates = certificate.subjectAlternativeNames();
    for (auto it = alternates.cbegin(); it != alternates.cend(); ++it)
        names.append(it.value());
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.join(QLatin1String(", "));
}

LibvirtTlsDiagnosis::Check checkOf(QSslError::SslError error)
{
    using Check = LibvirtTlsDiagnosis::Check;
    switch (error) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::InvalidCaCertificate:
    case QSslError::UnableToDecryptCertificateSignature:
    case QSslError::CertificateSignatureFailed:
        return Check::UnknownCa;
    case QSslError::CertificateExpired:
        return Check::Expired;
    case QSslError::CertificateNotYetValid:
        return Check::NotYetValid;
    case QSslError::HostNameMismatch:
        return Check::HostNameMismatch;
    case QSslError::CertificateRevoked:
        return Check::Revoked;
    default:
        return Check::ServerCertificate;
    }
}

// The check to name when several failed: a certificate from an unknown issuer is refused for
// that above all; then its dates, then its names.
int rank(LibvirtTlsDiagnosis::Check check)
{
    using Check = LibvirtTlsDiagnosis::Check;
    switch (check) {
    case Check::UnknownCa: return 0;
    case Check::Revoked: return 1;
    case Check::Expired: return 2;
    case Check::NotYetValid: return 3;
    case Check::HostNameMismatch: return 4;
    default: return 5;
    }
}

} // namespace

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')).toUpper();
}

std::optional<LibvirtTlsTarget> LibvirtTlsTarget::fromUri(const QString &uri, const QString &home, bool root)
{
    const QUrl url(uri.trimmed());
    const QString scheme = url.scheme().toLower();
    const qsizetype plus = scheme.indexOf(u'+');
    const QString driver = plus < 0 ? scheme : scheme.left(plus);
    const QString transport = plus < 0 ? QString() : scheme.mid(plus + 1);
    const bool tls = transport == QLatin1String("tls") || (transport.isEmpty() && !url.host().isEmpty() && isRemoteDriver(driver));
    if (!url.isValid() || !tls || url.host().isEmpty())
        return std::nullopt;

    LibvirtTlsTarget target;
    target.host = url.host();
    target.port = quint16(url.port(DefaultPort));
    const QUrlQuery query(url);
    target.verifyServer = query.queryItemValue(QStringLiteral("no_verify")) != QLatin1String("1");
    const QString pkipath = query.queryItemValue(QStringLiteral("pkipath"), QUrl::FullyDecoded);
    const QString systemCa = QStringLiteral("/etc/pki/CA/cacert.pem");
    const QString systemCert = QStringLiteral("/etc/pki/libvirt/clientcert.pem");
    const QString systemKey = QStringLiteral("/etc/pki/libvirt/private/clientkey.pem");
    if (!pkipath.isEmpty()) {
        const QDir dir(pkipath);
        target.caCertificateFile = dir.filePath(QStringLiteral("cacert.pem"));
        target.clientCertificateFile = dir.filePath(QStringLiteral("clientcert.pem"));
        target.clientKeyFile = dir.filePath(QStringLiteral("clientkey.pem"));
    } else if (root) {
        target.caCertificateFile = systemCa;
        target.clientCertificateFile = systemCert;
        target.clientKeyFile = systemKey;
    } else {
        const QDir user(home + QStringLiteral("/.pki/libvirt"));
        target.caCertificateFile = existingOr(user.filePath(QStringLiteral("cacert.pem")), systemCa);
        const QString cert = user.filePath(QStringLiteral("clientcert.pem"));
        const bool userIdentity = QFileInfo::exists(cert);
        target.clientCertificateFile = userIdentity ? cert : systemCert;
        target.clientKeyFile = userIdentity ? user.filePath(QStringLiteral("clientkey.pem")) : systemKey;
    }
    return target;
}

std::optional<LibvirtTlsTarget> LibvirtTlsTarget::fromUri(const QString &uri)
{
    return fromUri(uri, QDir::homePath(), geteuid() == 0);
}

LibvirtTlsDiagnosis LibvirtTlsDiagnosis::fromSslErrors(const LibvirtTlsTarget &target, const QList<QSslError> &errors,
                                                       const QSslCertificate &peer)
{
    LibvirtTlsDiagnosis diagnosis;
    diagnosis.host = target.host;
    diagnosis.port = target.port;
    QSslCertificate certificate = peer;
    for (const QSslError &error : errors) {
        diagnosis.errors.append(error.errorString());
        const Check check = checkOf(error.error());
        if (diagnosis.check == Check::None || rank(check) < rank(diagnosis.check))
            diagnosis.check = check;
        if (certificate.isNull())
            certificate = error.certificate();
    }
    if (diagnosis.check == Check::None)
        return diagnosis;
    diagnosis.subject = certificate.subjectDisplayName();
    diagnosis.sha256Fingerprint = Vigie::sha256Fingerprint(certificate);
    switch (diagnosis.check) {
    case Check::UnknownCa:
        diagnosis.detail = target.caCertificateFile;
        break;
    case Check::Expired:
        diagnosis.detail = certificate.expiryDate().toUTC().toString(Qt::ISODate);
        break;
    case Check::NotYetValid:
        diagnosis.detail = certificate.effectiveDate().toUTC().toString(Qt::ISODate);
        break;
    case Check::HostNameMismatch:
        diagnosis.detail = namesOf(certificate);
        break;
    default:
        break;
    }
    return diagnosis;
}

LibvirtTlsDiagnosis LibvirtTlsDiagnosis::clientRefused(const LibvirtTlsTarget &target, const QSslCertificate &ours,
                                                       const QString &error)
{
    LibvirtTlsDiagnosis diagnosis;
    diagnosis.check = Check::ClientCertificateRefused;
    diagnosis.host = target.host;
    diagnosis.port = target.port;
    if (!ours.isNull()) {
        diagnosis.subject = ours.subjectDisplayName();
        diagnosis.sha256Fingerprint = Vigie::sha256Fingerprint(ours);
    }
    diagnosis.detail = target.clientCertificateFile;
    if (!error.isEmpty())
        diagnosis.errors.append(error);
    return diagnosis;
}

QString LibvirtTlsDiagnosis::message(const QString &libvirtError) const
{
    if (check == Check::None)
        return libvirtError;
    QString what;
    switch (check) {
    case Check::UnknownCa:
        //: TLS check; %1 is a file
        what = Tr::tr("unknown CA: the server's certificate was not issued by the CA in %1").arg(detail);
        break;
    case Check::Expired:
        //: TLS check; %1 is a date and time
        what = Tr::tr("expired: the server's certificate expired on %1").arg(detail);
        break;
    case Check::NotYetValid:
        //: TLS check; %1 is a date and time
        what = Tr::tr("not yet valid: the server's certificate is valid from %1").arg(detail);
        break;
    case Check::HostNameMismatch:
        //: TLS check; %1 is the host of the URI, %2 the names in the certificate
        what = Tr::tr("host name not in the certificate: the server's certificate does not name %1 (it names %2)")
                   .arg(host, detail.isEmpty() ? Tr::tr("nothing") : detail);
        break;
    case Check::Revoked:
        what = Tr::tr("revoked: the server's certificate was revoked by its CA");
        break;
    case Check::ServerCertificate:
        what = Tr::tr("the server's certificate failed verification: %1").arg(errors.join(QLatin1String("; ")));
        break;
    case Check::ClientCertificateRefused:
        //: TLS check; %1 is a file
        what = Tr::tr("client certificate refused by the server: it did not accept Vigie's certificate %1").arg(detail);
        break;
    case Check::None:
        break;
    }
    QString certificate;
    if (check != Check::ClientCertificateRefused)
        certificate = Tr::tr("Server certificate: subject \"%1\", SHA-256 %2.").arg(subject, sha256Fingerprint);
    else if (!sha256Fingerprint.isEmpty())
        certificate = Tr::tr("Vigie's certificate: subject \"%1\", SHA-256 %2.").arg(subject, sha256Fingerprint);
    else
        certificate = Tr::tr("Vigie has no client certificate (%1).").arg(detail);
    //: %1:%2 host and port, %3 the failed check, %4 the certificate's subject and fingerprint
    QString text = Tr::tr("TLS to %1:%2 refused, %3. %4 Nothing was sent unencrypted.")
                       .arg(host, QString::number(port), what, certificate);
    if (!libvirtError.isEmpty())
        text += QLatin1Char(' ') + Tr::tr("(libvirt: %1)").arg(libvirtError);
    return text;
}

std::optional<QSslConfiguration> libvirtTlsConfiguration(const LibvirtTlsTarget &target)
{
    const QList<QSslCertificate> cas = QSslCertificate::fromPath(target.caCertificateFile, QSsl::Pem);
    if (cas.isEmpty() || !QSslSocket::supportsSsl())
        return std::nullopt;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(cas); // libvirt's CA only, never the system's
    config.setPeerVerifyMode(target.verifyServer ? QSslSocket::VerifyPeer : QSslSocket::QueryPeer);
    const QSslCertificate ours = QSslCertificate::fromPath(target.clientCertificateFile, QSsl::Pem).value(0);
    const QSslKey key = readKey(target.clientKeyFile);
    if (!ours.isNull() && !key.isNull()) {
        config.setLocalCertificate(ours);
        config.setPrivateKey(key);
    }
    return config;
}

LibvirtTlsDiagnosis probeLibvirtTls(const LibvirtTlsTarget &target, int timeoutMs)
{
    const std::optional<QSslConfiguration> config = libvirtTlsConfiguration(target);
    if (!config)
        return {}; // libvirt's own error names the missing file
    const QSslCertificate ours = QSslCertificate::fromPath(target.clientCertificateFile, QSsl::Pem).value(0);

    QSslSocket socket;
    socket.setSslConfiguration(*config);
    socket.setPeerVerifyName(target.host);
    QList<QSslError> errors;
    QSslCertificate peer;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError> &reported) {
        errors = reported;
        peer = socket.peerCertificate();
    });
    const QDeadlineTimer deadline(timeoutMs);
    socket.connectToHostEncrypted(target.host, target.port);
    if (!socket.waitForEncrypted(int(deadline.remainingTime()))) {
        if (!errors.isEmpty())
            return LibvirtTlsDiagnosis::fromSslErrors(target, errors, peer);
        // TLS 1.2: the server's refusal of our certificate is an alert inside the handshake.
        if (socket.error() == QAbstractSocket::SslHandshakeFailedError && !ours.isNull()
            && socket.errorString().contains(QLatin1String("alert"), Qt::CaseInsensitive))
            return LibvirtTlsDiagnosis::clientRefused(target, ours, socket.errorString());
        qCDebug(lcHypervisor) << "TLS probe of" << target.host << target.port << "found nothing:" << socket.errorString();
        return {};
    }
    // libvirt's server checks the client's certificate (its CA, dates, tls_allowed_dn_list) after
    // the handshake and says so in one byte: 1 admitted; otherwise it drops the connection.
    char verdict = 0;
    if (socket.bytesAvailable() > 0 || socket.waitForReadyRead(int(deadline.remainingTime()))) {
        socket.getChar(&verdict);
        socket.abort();
        if (verdict == '\1')
            return {};
        return LibvirtTlsDiagnosis::clientRefused(target, ours, {});
    }
    if (socket.state() != QAbstractSocket::ConnectedState || socket.error() == QAbstractSocket::RemoteHostClosedError
        || socket.error() == QAbstractSocket::SslInternalError) {
        return LibvirtTlsDiagnosis::clientRefused(target, ours, socket.errorString());
    }
    qCDebug(lcHypervisor) << "TLS probe of" << target.host << target.port << "had no verdict within" << timeoutMs << "ms";
    return {};
}

} // namespace Vigie
