#include "libvirtrpc.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtEndian>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::LibvirtSasl)
};

constexpr qint32 TypeCall = 0;  // virNetMessageType VIR_NET_CALL
constexpr qint32 TypeReply = 1; // VIR_NET_REPLY
constexpr qint32 StatusOk = 0;  // virNetMessageStatus VIR_NET_OK
constexpr qint32 StatusError = 1;
constexpr quint32 MaxAuthTypes = 20; // REMOTE_AUTH_TYPE_LIST_MAX

quint32 word(const QByteArray &data, qsizetype at)
{
    return qFromBigEndian<quint32>(data.constData() + at);
}

void appendWord(QByteArray &data, quint32 value)
{
    char bytes[4];
    qToBigEndian(value, bytes);
    data.append(bytes, 4);
}

} // namespace

namespace LibvirtRpc {

QByteArray call(qint32 procedure, quint32 serial)
{
    QByteArray message;
    message.reserve(HeaderBytes);
    appendWord(message, HeaderBytes);
    appendWord(message, RemoteProgram);
    appendWord(message, RemoteVersion);
    appendWord(message, quint32(procedure));
    appendWord(message, quint32(TypeCall));
    appendWord(message, serial);
    appendWord(message, quint32(StatusOk));
    return message;
}

std::optional<quint32> announcedLength(const QByteArray &start)
{
    if (start.size() < 4)
        return std::nullopt;
    const quint32 length = word(start, 0);
    if (length < quint32(HeaderBytes) || length > MaxReplyBytes)
        return std::nullopt;
    return length;
}

std::optional<Reply> parseReply(const QByteArray &message, QString *error)
{
    const std::optional<quint32> length = announcedLength(message);
    if (!length || qsizetype(*length) != message.size()) {
        *error = Tr::tr("a message of the wrong length");
        return std::nullopt;
    }
    if (word(message, 4) != RemoteProgram || word(message, 8) != RemoteVersion) {
        *error = Tr::tr("not libvirt's remote protocol");
        return std::nullopt;
    }
    const auto type = qint32(word(message, 16));
    const auto status = qint32(word(message, 24));
    if (type != TypeReply || (status != StatusOk && status != StatusError)) {
        *error = Tr::tr("not a reply");
        return std::nullopt;
    }
    Reply reply;
    reply.procedure = qint32(word(message, 12));
    reply.serial = word(message, 20);
    reply.ok = status == StatusOk;
    reply.payload = message.mid(HeaderBytes);
    return reply;
}

std::optional<QList<qint32>> authTypes(const QByteArray &payload)
{
    if (payload.size() < 4)
        return std::nullopt;
    const quint32 count = word(payload, 0);
    if (count > MaxAuthTypes || payload.size() != 4 + qsizetype(count) * 4)
        return std::nullopt;
    QList<qint32> types;
    for (quint32 i = 0; i < count; ++i)
        types.append(qint32(word(payload, 4 + qsizetype(i) * 4)));
    return types;
}

std::optional<QStringList> saslMechanisms(const QByteArray &payload)
{
    if (payload.size() < 4)
        return std::nullopt;
    const quint32 length = word(payload, 0);
    const qsizetype padded = (qsizetype(length) + 3) / 4 * 4;
    if (length > MaxReplyBytes || payload.size() != 4 + padded)
        return std::nullopt;
    // RFC 4422 3.1: 1 to 20 characters, upper-case letters, digits, hyphens and underscores.
    static const QRegularExpression name(QStringLiteral("^[A-Z0-9_-]{1,20}$"));
    QStringList mechanisms;
    const QString list = QString::fromLatin1(payload.mid(4, qsizetype(length)));
    for (const QString &item : list.split(QRegularExpression(QStringLiteral("[ ,]")), Qt::SkipEmptyParts)) {
        const QString mechanism = item.toUpper();
        if (!name.match(mechanism).hasMatch())
            return std::nullopt;
        if (!mechanisms.contains(mechanism))
            mechanisms.append(mechanism);
    }
    return mechanisms;
}

} // namespace LibvirtRpc

} // namespace Vigie
