#include "networkxml.h"

#include "domainxml.h"
#include "guardedxmlreader.h"

#include <QCoreApplication>

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

class NetworkParser
{
public:
    explicit NetworkParser(const QByteArray &xml)
        : m_xml(xml, MaxDepth)
    {}

    NetworkXml::Result run();

private:
    void parseNetwork();
    void parsePortgroup();
    QList<int> parseVlan();

    GuardedXmlReader m_xml;
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
