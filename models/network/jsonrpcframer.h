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

    // A complete message: parsed, or (one of at least parseLaterFrom() bytes) its JSON text,
    // for parse() to read where it suits, another thread say.
    struct Frame
    {
        QJsonObject message;
        QByteArray json; // not empty: not parsed yet
        qint64 offset = 0; // in the stream, for error messages
    };

    // Scans data; complete messages become available through takeFrames(). Returns false (and
    // sets error()) on a framing or parse error or a limit violation; later calls do nothing.
    bool feed(QByteArrayView data);
    // The complete messages found so far, oldest first; each is a JSON object.
    [[nodiscard]] QList<Frame> takeFrames();
    // The same, for a framer that parses everything (parseLaterFrom() not set).
    [[nodiscard]] QList<QJsonObject> takeMessages();
    // Messages of at least bytes are framed, not parsed: their parse is the caller's.
    void setParseLaterFrom(qsizetype bytes) { m_parseLaterFrom = bytes; }
    [[nodiscard]] qsizetype parseLaterFrom() const { return m_parseLaterFrom; }
    // Parses a frame's JSON into its message; false with *error (naming where in the stream)
    // when it is not a JSON object. Touches no framer: safe on any thread.
    [[nodiscard]] static bool parse(Frame *frame, QString *error);

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
    QList<Frame> m_frames;
    QString m_error;
    qsizetype m_maxMessageSize;
    int m_maxDepth;
    qsizetype m_parseLaterFrom = -1;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    qint64 m_offset = 0; // stream offset of m_buffer's first byte, for error messages
};

} // namespace Vigie
