#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// Where a libvirt URI that goes over TLS (qemu+tls://HOST/system, or a remote URI without a
// transport, whose default is TLS) connects, and the files libvirt's client takes for it: the
// URI's pkipath= directory (cacert.pem, clientcert.pem, clientkey.pem), else for root
// /etc/pki/CA/cacert.pem and /etc/pki/libvirt/{clientcert.pem,private/clientkey.pem}, else the
// user's ~/.pki/libvirt/ ones, each falling back to the system's when missing.
struct LibvirtTlsTarget
{
    static constexpr quint16 DefaultPort = 16514;

    QString host;
    quint16 port = DefaultPort;
    QString caCertificateFile;
    QString clientCertificateFile;
    QString clientKeyFile;
    bool verifyServer = true; // no_verify=1: libvirt does not check the server's certificate

    // Empty when URI does not go over TLS. HOME and ROOT stand for the user's (for the tests).
    [[nodiscard]] static std::optional<LibvirtTlsTarget> fromUri(const QString &uri, const QString &home, bool root);
    // The same for this process's user.
    [[nodiscard]] static std::optional<LibvirtTlsTarget> fromUri(const QString &uri);
};

// Which TLS check refused a connection, and the certificate it concerns.
struct LibvirtTlsDiagnosis
{
    enum class Check {
        None,                   // no TLS problem found (or the server could not be reached)
        UnknownCa,              // the server's certificate was not issued by the CA Vigie uses
        Expired,                // the server's certificate has expired
        NotYetValid,            // the server's certificate is not valid yet
        HostNameMismatch,       // the server's certificate does not name the host of the URI
        Revoked,                // the server's certificate was revoked
        ServerCertificate,      // another verification error of the server's certificate
        ClientCertificateRefused, // the server refused Vigie's client certificate
    };

    Check check = Check::None;
    QString host;
    quint16 port = 0;
    // The certificate of the failed check: the server's, or Vigie's own when refused.
    QString subject;
    QString sha256Fingerprint; // hex with colons, upper case
    QStringList errors;        // the TLS library's words
    QString detail;            // the check's particulars (the CA file, a date, the names it has)

    [[nodiscard]] bool found() const { return check != Check::None; }
    // The operator's message (translated): which check failed, the certificate's subject and
    // SHA-256 fingerprint, that nothing was sent unencrypted, and LIBVIRT_ERROR (libvirt's own
    // words) at the end when given.
    [[nodiscard]] QString message(const QString &libvirtError = {}) const;

    // Builds the server-certificate part from what the TLS library reported.
    [[nodiscard]] static LibvirtTlsDiagnosis fromSslErrors(const LibvirtTlsTarget &target, const QList<QSslError> &errors,
                                                           const QSslCertificate &peer);
    // Vigie's client certificate, refused by the server.
    [[nodiscard]] static LibvirtTlsDiagnosis clientRefused(const LibvirtTlsTarget &target, const QSslCertificate &ours,
                                                           const QString &error);
};

// What libvirt's client trusts and shows for TARGET: the CA of its files only (never the
// system's), the peer verified unless no_verify=1, the client certificate and key when both read.
// Empty when the CA file holds no certificate or this Qt has no TLS.
[[nodiscard]] std::optional<QSslConfiguration> libvirtTlsConfiguration(const LibvirtTlsTarget &target);

// After libvirt refused a TLS connection, a second TLS handshake to the same host and port with
// the same CA, client certificate and host name, only to say which check failed (libvirt's own
// error is terse). It sends nothing but the handshake and reads libvirt's one-byte verdict on the
// client certificate; it never carries libvirt's protocol and never falls back to plain TCP.
// Blocks up to TIMEOUT_MS: call it on a worker's thread, never the GUI's.
[[nodiscard]] LibvirtTlsDiagnosis probeLibvirtTls(const LibvirtTlsTarget &target, int timeoutMs = 5000);

[[nodiscard]] QString sha256Fingerprint(const QSslCertificate &certificate);

} // namespace Vigie
