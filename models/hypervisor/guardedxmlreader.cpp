#include "guardedxmlreader.h"

#include <QCoreApplication>

namespace Vigie {

namespace {

// The context the parsers use too, so that these messages keep their existing translations.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Hypervisor)
};

// QXmlStreamReader names some characters it did not expect by its grammar's token for their
// class ("Expected '>' or '/', but got '[a-zA-Z]'."). The message is more use with the character
// itself: the one before the reader's offset, if the document reads as UTF-8 (libvirt's) and the
// character is of that class; otherwise the message stays as it was.
QString withFoundCharacter(const QString &message, const QByteArray &xml, qint64 offset, QStringView encoding)
{
    const bool letter = message.contains(u"[a-zA-Z]");
    const bool digit = message.contains(u"[0-9]");
    if (letter == digit || offset < 1
        || !(encoding.isEmpty() || encoding.compare(u"UTF-8", Qt::CaseInsensitive) == 0))
        return message;
    const QString text = QString::fromUtf8(xml);
    if (offset > text.size())
        return message;
    // The reader stops after the first half of a surrogate pair.
    const qsizetype start = offset - 1;
    const bool pair = text.at(start).isHighSurrogate() && offset < text.size() && text.at(offset).isLowSurrogate();
    const QString found = text.mid(start, pair ? 2 : 1);
    const char32_t code = found.toUcs4().value(0);
    // The reader's classes: ASCII digits; ASCII letters and every character beyond ASCII.
    const bool isOfClass = digit ? (code >= U'0' && code <= U'9')
                                 : ((code >= U'a' && code <= U'z') || (code >= U'A' && code <= U'Z') || code >= 0x80);
    if (!isOfClass)
        return message;
    // Spaces, format and control characters by their code point: they do not show.
    const bool shows = QChar::isPrint(code) && !QChar::isSpace(code);
    const QString shown = shows ? found : QStringLiteral("U+%1").arg(uint(code), 4, 16, QLatin1Char('0')).toUpper();
    QString result = message;
    return result.replace(digit ? QStringLiteral("[0-9]") : QStringLiteral("[a-zA-Z]"), shown);
}

} // namespace

GuardedXmlReader::GuardedXmlReader(const QByteArray &xml, int maxDepth)
    : m_reader(xml)
    , m_xml(xml)
    , m_maxDepth(maxDepth)
{}

bool GuardedXmlReader::next()
{
    if (hasError() || m_reader.atEnd())
        return false;
    switch (m_reader.readNext()) {
    case QXmlStreamReader::Invalid:
        m_error = withFoundCharacter(m_reader.errorString(), m_xml, m_reader.characterOffset(),
                                     m_reader.documentEncoding());
        m_malformed = true;
        return false;
    case QXmlStreamReader::DTD:
        // Rejected before any content is read: internal entities (billion laughs), external
        // entities and default attribute values are never looked at.
        return fail(Tr::tr("document type declarations are not allowed"));
    case QXmlStreamReader::EntityReference:
        return fail(Tr::tr("entity reference \"&%1;\" is not allowed").arg(quoted(m_reader.name())));
    case QXmlStreamReader::StartElement:
        if (++m_depth > m_maxDepth)
            return fail(Tr::tr("elements are nested deeper than %1 levels").arg(m_maxDepth));
        return true;
    case QXmlStreamReader::EndElement:
        --m_depth;
        return true;
    case QXmlStreamReader::EndDocument:
        return false;
    default:
        return true;
    }
}

bool GuardedXmlReader::readRoot()
{
    while (next()) {
        if (m_reader.isStartElement())
            return true;
    }
    return false;
}

bool GuardedXmlReader::readNextChild()
{
    while (next()) {
        if (m_reader.isStartElement())
            return true;
        if (m_reader.isEndElement())
            return false;
    }
    return false;
}

void GuardedXmlReader::skipElement()
{
    int level = 1;
    while (next()) {
        if (m_reader.isStartElement())
            ++level;
        else if (m_reader.isEndElement() && --level == 0)
            return;
    }
}

QString GuardedXmlReader::readText()
{
    QString text;
    while (next()) {
        if (m_reader.isCharacters())
            text.append(m_reader.text());
        else if (m_reader.isStartElement())
            skipElement();
        else if (m_reader.isEndElement())
            break;
    }
    return text;
}

void GuardedXmlReader::finish()
{
    while (next()) {
    }
}

bool GuardedXmlReader::fail(const QString &message)
{
    m_error = message;
    return false;
}

QString quoted(QStringView value)
{
    constexpr qsizetype MaxQuoted = 64;
    QString text;
    for (QChar c : value.left(MaxQuoted + 1)) {
        if (c.category() != QChar::Other_Control)
            text.append(c);
    }
    if (text.size() > MaxQuoted)
        text = text.left(MaxQuoted) + QChar(0x2026);
    return text;
}

QString normalizedUuid(QStringView text)
{
    const auto isHex = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    };
    QString digits;
    if (text.size() == 36) {
        for (qsizetype i = 0; i < text.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? text.at(i) != u'-' : !isHex(text.at(i)))
                return {};
            if (!dash)
                digits.append(text.at(i));
        }
    } else if (text.size() == 32) {
        for (QChar c : text) {
            if (!isHex(c))
                return {};
        }
        digits = text.toString();
    } else {
        return {};
    }
    digits = digits.toLower();
    return digits.left(8) + u'-' + digits.mid(8, 4) + u'-' + digits.mid(12, 4) + u'-'
           + digits.mid(16, 4) + u'-' + digits.mid(20);
}

} // namespace Vigie
