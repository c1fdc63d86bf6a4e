#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// libvirt's RPC as far as a client goes before it authenticates (libvirt's
// src/rpc/virnetprotocol.x and src/remote/remote_protocol.x): a message is a 4-byte length
// (itself included), a header (program, version, procedure, type, serial, status; big-endian
// 32-bit words) and an XDR payload. Two calls need no credentials: which authentication the
// daemon wants (AUTH_LIST) and, for SASL, which mechanisms it offers (AUTH_SASL_INIT).
namespace LibvirtRpc {

inline constexpr quint32 RemoteProgram = 0x20008086;
inline constexpr quint32 RemoteVersion = 1;
inline constexpr qint32 ProcAuthList = 66;
inline constexpr qint32 ProcAuthSaslInit = 67;
inline constexpr qint32 AuthSasl = 1; // remote_auth_type REMOTE_AUTH_SASL
inline constexpr int HeaderBytes = 4 + 6 * 4;
// Far above either answer (a few auth types, a mechanism list): anything longer is refused
// before it is read.
inline constexpr quint32 MaxReplyBytes = 64 * 1024;

// A call of PROCEDURE with no arguments, whole (length word included).
[[nodiscard]] QByteArray call(qint32 procedure, quint32 serial);

struct Reply
{
    qint32 procedure = 0;
    quint32 serial = 0;
    bool ok = false;    // status OK; otherwise the payload is libvirt's error
    QByteArray payload;
};

// The length a message announces in its first 4 bytes, or nullopt when it is too short to
// announce one or announces less than a header or more than MaxReplyBytes.
[[nodiscard]] std::optional<quint32> announcedLength(const QByteArray &start);
// One whole message (length word included) as a reply of libvirt's remote program, or nullopt
// with *ERROR saying why not.
[[nodiscard]] std::optional<Reply> parseReply(const QByteArray &message, QString *error);
// AUTH_LIST's answer: the authentication types (remote_auth_type) the daemon wants.
[[nodiscard]] std::optional<QList<qint32>> authTypes(const QByteArray &payload);
// AUTH_SASL_INIT's answer: the mechanisms the daemon offers, upper case, in its order (Cyrus
// SASL lists them separated by commas).
[[nodiscard]] std::optional<QStringList> saslMechanisms(const QByteArray &payload);

} // namespace LibvirtRpc

} // namespace Vigie
