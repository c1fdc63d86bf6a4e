#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Vigie {

// Splits an OVSDB JSON-RPC byte stream (RFC 7047: JSON values back to back, no delimiter) into
// messages. The scanner only tracks strings, escapes and nesting, so it costs one pass over each
// byte; a complete value is then parsed by QJsonDocument. Limits protect against hostile or
// broken servers: a message larger than maxMessageSize or nested deeper than maxDepth is refused
// as soon as the limit is crossed, without buffering the rest of it. After an error the framer
// stays failed (the session must be dropped) until reset().
class JsonRpcFramer
{
public:
    static constexpr qsizetype DefaultMaxMessageSize = qsizetype(64) * 1024 * 1024;
    static constexpr int DefaultMaxDepth = 64;

    explicit JsonRpcFramer(qsizetype maxMessageSize = DefaultMaxMessageSize, int maxDepth = DefaultMaxDepth);

    // Scans data; complete messages become available through takeMessages(). Returns false (and
    // sets error()) on a framing or parse error or a limit violation; later calls do nothing.
    bool feed(QByteArrayView data);
    // The complete messages found so far, oldest first; each is a JSON object.
    [[nodiscard]] QList<QJsonObject> takeMessages();

    [[nodiscard]] bool hasError() const { return !m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    // Bytes held for the message being received (bounded by maxMessageSize).
    [[nodiscard]] qsizetype bufferedBytes() const { return m_buffer.size(); }
    [[nodiscard]] qsizetype maxMessageSize() const { return m_maxMessageSize; }
    [[nodiscard]] int maxDepth() const { return m_maxDepth; }

    void reset();

private:
    bool fail(const QString &error);
    bool finishMessage(qsizetype begin, qsizetype end);

    QByteArray m_buffer; // the incomplete message, from its first byte
    QList<QJsonObject> m_messages;
    QString m_error;
    qsizetype m_maxMessageSize;
    int m_maxDepth;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    qint64 m_offset = 0; // stream offset of m_buffer's first byte, for error messages
};

} // namespace Vigie
