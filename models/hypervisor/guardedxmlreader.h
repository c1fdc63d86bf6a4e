#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <QXmlStreamReader>

namespace Vigie {

// QXmlStreamReader with Vigie's policy applied to every token: no DTD, no entity reference, a
// bounded depth. Never recursive, so a deep document costs a counter, not a stack frame. Shared
// by the domain and network parsers so that both treat hostile XML the same way.
class GuardedXmlReader
{
public:
    // maxDepth comes from the caller because each parser documents its own bound
    // (DomainXml::MaxDepth); today they are the same value.
    explicit GuardedXmlReader(const QByteArray &xml, int maxDepth);

    // One token; false at the end of the document or once an error is set.
    bool next();
    // Advances to the root element.
    bool readRoot();
    // Advances to the next child of the current element; false when the element ends.
    bool readNextChild();
    // Skips the rest of the current element, whatever it holds.
    void skipElement();
    // The text directly inside the current element; child elements are skipped.
    QString readText();
    // Reads past the root element so that trailing garbage is still an error.
    void finish();

    [[nodiscard]] bool isStartElement() const { return m_reader.isStartElement(); }
    [[nodiscard]] bool isEndElement() const { return m_reader.isEndElement(); }
    [[nodiscard]] bool hasError() const { return !m_error.isEmpty(); }
    [[nodiscard]] bool isMalformed() const { return m_malformed; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] qint64 line() const { return m_reader.lineNumber(); }
    [[nodiscard]] qint64 column() const { return m_reader.columnNumber(); }

    [[nodiscard]] QStringView name() const { return m_reader.name(); }
    [[nodiscard]] QStringView qualifiedName() const { return m_reader.qualifiedName(); }
    [[nodiscard]] QStringView namespaceUri() const { return m_reader.namespaceUri(); }
    // An element of libvirt's own vocabulary, which has no namespace.
    [[nodiscard]] bool isPlain(QStringView localName) const
    {
        return m_reader.namespaceUri().isEmpty() && m_reader.name() == localName;
    }
    [[nodiscard]] QStringView attribute(QStringView name) const
    {
        return m_reader.attributes().value(name);
    }
    [[nodiscard]] QXmlStreamAttributes attributes() const { return m_reader.attributes(); }
    [[nodiscard]] bool hasAttribute(QStringView name) const
    {
        return m_reader.attributes().hasAttribute(name);
    }

private:
    bool fail(const QString &message);

    QXmlStreamReader m_reader;
    QByteArray m_xml; // shared with the reader's copy: to quote a character an error is about
    int m_maxDepth;
    int m_depth = 0;
    QString m_error;
    bool m_malformed = false;
};

// Elides a hostile value (control characters dropped, length bounded) before it is quoted in a
// message.
[[nodiscard]] QString quoted(QStringView value);

// libvirt formats UUIDs as 8-4-4-4-12 hex digits and also accepts the 32 digits without dashes.
// Returns the lower-case dashed form, or an empty string if the text is neither.
[[nodiscard]] QString normalizedUuid(QStringView text);

} // namespace Vigie
