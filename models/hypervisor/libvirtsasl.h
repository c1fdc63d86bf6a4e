#pragma once

#include "libvirtrpc.h"
#include "libvirttls.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// Where a libvirt URI reaches libvirt's daemon over the network (qemu+tcp://, qemu+tls://, a
// remote URI without a transport), leaving the SASL mechanism to the daemon (no auth=, or
// auth=sasl): the host and port, and the TLS files when it goes over TLS.
struct LibvirtSaslTarget
{
    static constexpr quint16 TcpPort = 16509;

    QString host;
    quint16 port = TcpPort;
    std::optional<LibvirtTlsTarget> tls; // empty: plain TCP

    [[nodiscard]] static std::optional<LibvirtSaslTarget> fromUri(const QString &uri);
};

// What the daemon asks of a client before it authenticates.
struct LibvirtAuthOffer
{
    bool answered = false;  // the daemon answered (otherwise ERROR says why)
    bool sasl = false;      // it authenticates with SASL
    QStringList mechanisms; // the SASL mechanisms it offers
    QString error;
};

// Asks the daemon at TARGET (over TLS with the URI's certificates, or plain TCP) which
// authentication it wants and which SASL mechanisms it offers: no credentials are sent, and
// nothing else. Blocks up to TIMEOUT_MS: call it on a worker's thread, never the GUI's.
[[nodiscard]] LibvirtAuthOffer probeLibvirtAuth(const LibvirtSaslTarget &target, int timeoutMs = 5000);

// Why MECHANISM (any case) is broken (translated), or empty when it is not: DIGEST-MD5,
// CRAM-MD5, SCRAM-SHA-1, NTLM.
[[nodiscard]] QString brokenSaslMechanismReason(const QString &mechanism);

// What to do with a daemon that offers OFFERED: libvirt's client (Cyrus SASL) picks the
// strongest mechanism by its own ranking, which may be DIGEST-MD5 beside SCRAM-SHA-256.
struct SaslChoice
{
    enum class Kind {
        Leave,  // nothing broken is offered: the daemon and libvirt choose
        Ask,    // ask for MECHANISM by name (auth=sasl.MECHANISM)
        Refuse, // only broken mechanisms (or none usable on this channel): MESSAGE says why
    };
    Kind kind = Kind::Leave;
    QString mechanism;
    QString message;
};

// The channel the SASL exchange runs in. Over plain TCP libvirt accepts only a mechanism that
// encrypts the session itself (GSSAPI), so SCRAM does not stand in for DIGEST-MD5 there. A
// mechanism that sends the password as it is (PLAIN, LOGIN) is sound only inside TLS whose
// server certificate was verified (not with no_verify=1).
enum class SaslChannel { Tcp, TlsUnverified, Tls };

[[nodiscard]] SaslChoice chooseSaslMechanism(const QStringList &offered, SaslChannel channel, const QString &host,
                                             quint16 port);

// URI asking for MECHANISM (auth=sasl.MECHANISM, replacing an auth=sasl).
[[nodiscard]] QString uriWithSaslMechanism(const QString &uri, const QString &mechanism);

} // namespace Vigie
