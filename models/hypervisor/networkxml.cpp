#include "networkxml.h"

#include "domainxml.h"

#include <QCoreApplication>
#include <QXmlStreamReader>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Hypervisor)
};

// The same bounds as for domains: a network document is smaller, never more trusted.
constexpr qsizetype MaxXmlBytes = DomainXml::MaxXmlBytes;
constexpr qsizetype MaxTextLength = DomainXml::MaxTextLength;
constexpr int MaxDepth = DomainXml::MaxDepth;
constexpr qsizetype MaxVlanTags = 4096;

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

// NetworkInfo has no warning list: names and the like are cleaned silently, as for domains
// (control characters removed, surrounding blanks trimmed, length bounded).
QString cleanText(QStringView raw)
{
    QString text;
    text.reserve(qMin(raw.size(), MaxTextLength + 1));
    for (QChar c : raw) {
        if (c.category() != QChar::Other_Control)
            text.append(c);
    }
    text = text.trimmed();
    if (text.size() > MaxTextLength) {
        qsizetype cut = MaxTextLength;
        if (text.at(cut - 1).isHighSurrogate())
            --cut;
        text.truncate(cut);
    }
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

// QXmlStreamReader with the policy of domainxml.cpp: no DTD, no entity reference, bounded depth,
// no recursion.
class GuardedReader
{
public:
    explicit GuardedReader(const QByteArray &xml)
        : m_reader(xml)
    {}

    bool next()
    {
        if (hasError() || m_reader.atEnd())
            return false;
        switch (m_reader.readNext()) {
        case QXmlStreamReader::Invalid:
            m_error = m_reader.errorString();
            m_malformed = true;
            return false;
        case QXmlStreamReader::DTD:
            return fail(Tr::tr("document type declarations are not allowed"));
        case QXmlStreamReader::EntityReference:
            return fail(Tr::tr("entity reference \"&%1;\" is not allowed").arg(quoted(m_reader.name())));
        case QXmlStreamReader::StartElement:
            if (++m_depth > MaxDepth)
                return fail(Tr::tr("elements are nested deeper than %1 levels").arg(MaxDepth));
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

    bool readRoot()
    {
        while (next()) {
            if (m_reader.isStartElement())
                return true;
        }
        return false;
    }

    bool readNextChild()
    {
        while (next()) {
            if (m_reader.isStartElement())
                return true;
            if (m_reader.isEndElement())
                return false;
        }
        return false;
    }

    void skipElement()
    {
        int level = 1;
        while (next()) {
            if (m_reader.isStartElement())
                ++level;
            else if (m_reader.isEndElement() && --level == 0)
                return;
        }
    }

    QString readText()
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

    void finish()
    {
        while (next()) {
        }
    }

    [[nodiscard]] bool hasError() const { return !m_error.isEmpty(); }
    [[nodiscard]] bool isMalformed() const { return m_malformed; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] qint64 line() const { return m_reader.lineNumber(); }
    [[nodiscard]] qint64 column() const { return m_reader.columnNumber(); }
    [[nodiscard]] QStringView name() const { return m_reader.name(); }
    [[nodiscard]] QStringView qualifiedName() const { return m_reader.qualifiedName(); }
    [[nodiscard]] bool isPlain(QStringView localName) const
    {
        return m_reader.namespaceUri().isEmpty() && m_reader.name() == localName;
    }
    [[nodiscard]] QStringView attribute(QStringView name) const
    {
        return m_reader.attributes().value(name);
    }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    QXmlStreamReader m_reader;
    int m_depth = 0;
    QString m_error;
    bool m_malformed = false;
};

class NetworkParser
{
public:
    explicit NetworkParser(const QByteArray &xml)
        : m_xml(xml)
    {}

    NetworkXml::Result run();

private:
    void parseNetwork();
    void parsePortgroup();
    QList<int> parseVlan();

    GuardedReader m_xml;
    NetworkInfo m_network;
    bool m_hasName = false;
    bool m_hasUuid = false;
    QString m_rawUuid;
    qsizetype m_portgroupCount = 0;
};

NetworkXml::Result NetworkParser::run()
{
    if (!m_xml.readRoot()) {
        if (!m_xml.hasError())
            return {std::nullopt, Tr::tr("network XML has no root element")};
    } else if (!m_xml.isPlain(u"network")) {
        return {std::nullopt, Tr::tr("not a libvirt network: the root element is <%1>")
                                  .arg(quoted(m_xml.qualifiedName()))};
    } else {
        parseNetwork();
        m_xml.finish();
    }

    if (m_xml.hasError()) {
        const QString message = m_xml.isMalformed()
                                    ? Tr::tr("malformed network XML at line %1, column %2: %3")
                                    : Tr::tr("network XML rejected at line %1, column %2: %3");
        return {std::nullopt, message.arg(m_xml.line()).arg(m_xml.column()).arg(m_xml.error())};
    }
    if (m_network.name.isEmpty())
        return {std::nullopt, Tr::tr("network XML has no name")};
    if (!m_hasUuid || m_rawUuid.trimmed().isEmpty())
        return {std::nullopt, Tr::tr("network XML has no UUID")};
    m_network.uuid = normalizedUuid(QStringView(m_rawUuid).trimmed());
    if (m_network.uuid.isEmpty()) {
        return {std::nullopt,
                Tr::tr("network XML has an invalid UUID \"%1\"").arg(quoted(m_rawUuid.trimmed()))};
    }
    return {std::move(m_network), {}};
}

void NetworkParser::parseNetwork()
{
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"name")) {
            // libvirt never repeats these elements; if a document does, the first one wins.
            if (m_hasName) {
                m_xml.skipElement();
                continue;
            }
            m_hasName = true;
            m_network.name = cleanText(m_xml.readText());
        } else if (m_xml.isPlain(u"uuid")) {
            if (m_hasUuid) {
                m_xml.skipElement();
                continue;
            }
            m_hasUuid = true;
            m_rawUuid = m_xml.readText();
        } else if (m_xml.isPlain(u"bridge")) {
            m_network.bridge = cleanText(m_xml.attribute(u"name"));
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"forward")) {
            // A <forward/> without a mode means NAT (libvirt's default); no <forward> is isolated.
            const QString mode = cleanText(m_xml.attribute(u"mode"));
            m_network.forwardMode = mode.isEmpty() ? QStringLiteral("nat") : mode;
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"virtualport")) {
            m_network.virtualPortType = cleanText(m_xml.attribute(u"type"));
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"vlan")) {
            m_network.vlanTags += parseVlan();
        } else if (m_xml.isPlain(u"portgroup")) {
            if (++m_portgroupCount <= NetworkXml::MaxPortgroups)
                parsePortgroup();
            else
                m_xml.skipElement();
        } else {
            m_xml.skipElement();
        }
    }
}

void NetworkParser::parsePortgroup()
{
    PortgroupInfo portgroup;
    portgroup.name = cleanText(m_xml.attribute(u"name"));
    portgroup.isDefault = m_xml.attribute(u"default").trimmed() == u"yes";
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"vlan"))
            portgroup.vlanTags += parseVlan();
        else
            m_xml.skipElement();
    }
    m_network.portgroups.append(portgroup);
}

// Tags outside 0..4095 cannot be real VLANs and are dropped.
QList<int> NetworkParser::parseVlan()
{
    QList<int> tags;
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"tag") && tags.size() < MaxVlanTags) {
            bool ok = false;
            const int tag = m_xml.attribute(u"id").trimmed().toInt(&ok);
            if (ok && tag >= 0 && tag <= 4095)
                tags.append(tag);
        }
        m_xml.skipElement();
    }
    return tags;
}

} // namespace

NetworkXml::Result NetworkXml::parse(const QByteArray &xml)
{
    if (xml.size() > MaxXmlBytes) {
        return {std::nullopt, Tr::tr("network XML is too large: %1 bytes, the limit is %2")
                                  .arg(xml.size())
                                  .arg(MaxXmlBytes)};
    }
    if (xml.trimmed().isEmpty())
        return {std::nullopt, Tr::tr("network XML is empty")};
    return NetworkParser(xml).run();
}

} // namespace Vigie
