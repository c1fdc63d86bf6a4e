#include "jsonrpcframer.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace Vigie {

JsonRpcFramer::JsonRpcFramer(qsizetype maxMessageSize, int maxDepth)
    : m_maxMessageSize(maxMessageSize), m_maxDepth(maxDepth)
{
}

void JsonRpcFramer::reset()
{
    m_buffer.clear();
    m_buffer.squeeze();
    m_frames.clear();
    m_error.clear();
    m_depth = 0;
    m_inString = false;
    m_escape = false;
    m_offset = 0;
}

bool JsonRpcFramer::fail(const QString &error)
{
    m_error = error;
    // Drop what was held: a refused message must not keep its memory.
    m_buffer.clear();
    m_buffer.squeeze();
    return false;
}

bool JsonRpcFramer::parse(Frame *frame, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame->json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON in message at stream offset %1: %2 (at byte %3)")
                     .arg(frame->offset)
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("message at stream offset %1 is not a JSON object").arg(frame->offset);
        return false;
    }
    frame->message = document.object();
    frame->json.clear();
    return true;
}

bool JsonRpcFramer::finishMessage(qsizetype begin, qsizetype end)
{
    Frame frame;
    frame.offset = m_offset + begin;
    if (m_parseLaterFrom >= 0 && end - begin >= m_parseLaterFrom) {
        frame.json = m_buffer.sliced(begin, end - begin);
    } else {
        frame.json = QByteArray::fromRawData(m_buffer.constData() + begin, end - begin); // parsed at once
        if (QString error; !parse(&frame, &error))
            return fail(error);
    }
    m_frames.append(std::move(frame));
    return true;
}

bool JsonRpcFramer::feed(QByteArrayView data)
{
    if (hasError())
        return false;
    // The buffer only ever holds the message in progress. Data is appended in slices no larger
    // than the room left under the limit, so an oversized message is refused before it is held.
    qsizetype consumed = 0;
    while (consumed < data.size()) {
        const qsizetype room = std::max<qsizetype>(m_maxMessageSize - m_buffer.size(), 1);
        const qsizetype take = std::min(data.size() - consumed, room);
        qsizetype i = m_buffer.size();
        m_buffer.append(data.sliced(consumed, take));
        consumed += take;

        qsizetype begin = 0; // first byte of the message in progress
        const char *bytes = m_buffer.constData();
        const qsizetype size = m_buffer.size();
        for (; i < size; ++i) {
            const char c = bytes[i];
            if (m_inString) {
                if (m_escape)
                    m_escape = false;
                else if (c == '\\')
                    m_escape = true;
                else if (c == '"')
                    m_inString = false;
                continue;
            }
            if (m_depth == 0) {
                // Between messages: whitespace, then an object (an array is refused by the parser).
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    begin = i + 1;
                    continue;
                }
                if (c != '{' && c != '[') {
                    return fail(QStringLiteral("unexpected byte 0x%1 between messages at stream offset %2")
                                    .arg(uint(uchar(c)), 2, 16, QLatin1Char('0'))
                                    .arg(m_offset + i));
                }
                begin = i;
            }
            switch (c) {
            case '"':
                m_inString = true;
                break;
            case '{':
            case '[':
                if (++m_depth > m_maxDepth) {
                    return fail(QStringLiteral("message at stream offset %1 nests deeper than %2 levels")
                                    .arg(m_offset + begin)
                                    .arg(m_maxDepth));
                }
                break;
            case '}':
            case ']':
                if (--m_depth == 0) {
                    if (!finishMessage(begin, i + 1))
                        return false;
                    begin = i + 1;
                }
                break;
            default:
                break;
            }
        }
        m_buffer.remove(0, begin);
        m_offset += begin;
        if (m_buffer.size() >= m_maxMessageSize) {
            return fail(QStringLiteral("message at stream offset %1 exceeds the maximum size of %2 bytes")
                            .arg(m_offset)
                            .arg(m_maxMessageSize));
        }
    }
    return true;
}

QList<JsonRpcFramer::Frame> JsonRpcFramer::takeFrames()
{
    return std::exchange(m_frames, {});
}

QList<QJsonObject> JsonRpcFramer::takeMessages()
{
    Q_ASSERT(m_parseLaterFrom < 0);
    QList<QJsonObject> messages;
    messages.reserve(m_frames.size());
    for (const Frame &frame : std::exchange(m_frames, {}))
        messages.append(frame.message);
    return messages;
}

} // namespace Vigie
