#include "interfacexml.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace Vigie {

namespace {
constexpr qsizetype MaxXmlBytes = 8 * 1024 * 1024;
constexpr int MaxDepth = 64;

QString tr(const char *text)
{
    return QCoreApplication::translate("Vigie::InterfaceXml", text);
}
} // namespace

namespace {
struct Rewrite
{
    QString element;
    int index = 0; // which <interface> of <devices> it replaces, from 0
};

std::optional<Rewrite> rewrite(const QString &document, const QByteArray &domainXml, const QString &mac, int vlanId,
                               const QString &portgroup, QString *error)
{
    if (domainXml.size() > MaxXmlBytes) {
        *error = tr("The domain XML is too large.");
        return std::nullopt;
    }
    if (vlanId < 0 || vlanId > 4095) {
        *error = tr("%1 is not a VLAN id (0 to 4095).").arg(vlanId);
        return std::nullopt;
    }
    QXmlStreamReader reader(document);
    QStringList path;
    int interfaces = 0;
    QString out;
    std::optional<QXmlStreamWriter> writer; // while inside an <interface>
    int skipDepth = 0;                      // inside the old <vlan>, which is dropped
    QString nicMac;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isDTD() || reader.isEntityReference()) {
            *error = tr("The domain XML holds a DTD or an entity.");
            return std::nullopt;
        }
        if (reader.isStartElement()) {
            path.append(reader.name().toString());
            if (path.size() > MaxDepth) {
                *error = tr("The domain XML is nested too deeply.");
                return std::nullopt;
            }
            const bool isInterface = path.size() == 3 && path.at(1) == QLatin1String("devices")
                                     && path.at(2) == QLatin1String("interface");
            if (isInterface) {
                ++interfaces;
                out.clear();
                nicMac.clear();
                writer.emplace(&out);
            }
            if (!writer)
                continue;
            if (skipDepth > 0 || (path.size() == 4 && reader.name() == QLatin1String("vlan"))) {
                ++skipDepth;
                continue;
            }
            writer->writeStartElement(reader.qualifiedName().toString());
            QXmlStreamAttributes attributes = reader.attributes();
            if (path.size() == 4 && reader.name() == QLatin1String("mac"))
                nicMac = attributes.value(QLatin1String("address")).toString();
            if (path.size() == 4 && reader.name() == QLatin1String("source") && !portgroup.isEmpty()
                && attributes.hasAttribute(QLatin1String("network"))) {
                QXmlStreamAttributes kept;
                for (const QXmlStreamAttribute &a : attributes) {
                    if (a.qualifiedName() != QLatin1String("portgroup"))
                        kept.append(a);
                }
                kept.append(QStringLiteral("portgroup"), portgroup);
                attributes = kept;
            }
            writer->writeAttributes(attributes);
        } else if (reader.isEndElement()) {
            if (writer && skipDepth > 0) {
                --skipDepth;
            } else if (writer) {
                if (path.size() == 3) { // </interface>
                    writer->writeStartElement(QStringLiteral("vlan"));
                    writer->writeEmptyElement(QStringLiteral("tag"));
                    writer->writeAttribute(QStringLiteral("id"), QString::number(vlanId));
                    writer->writeEndElement();
                    writer->writeEndElement();
                    writer.reset();
                    if (nicMac.compare(mac, Qt::CaseInsensitive) == 0)
                        return Rewrite{out, interfaces - 1};
                } else {
                    writer->writeEndElement();
                }
            }
            if (!path.isEmpty())
                path.removeLast();
        } else if (writer && skipDepth == 0 && reader.isCharacters() && !reader.isWhitespace()) {
            writer->writeCharacters(reader.text().toString());
        }
    }
    if (reader.hasError()) {
        *error = tr("The domain XML is malformed: %1").arg(reader.errorString());
        return std::nullopt;
    }
    *error = tr("The VM has no NIC with MAC address %1.").arg(mac);
    return std::nullopt;
}

} // namespace

std::optional<QString> interfaceXmlInVlan(const QByteArray &domainXml, const QString &mac, int vlanId,
                                          const QString &portgroup, QString *error)
{
    const std::optional<Rewrite> r = rewrite(QString::fromUtf8(domainXml), domainXml, mac, vlanId, portgroup, error);
    return r ? std::optional<QString>(r->element) : std::nullopt;
}

std::optional<QString> domainXmlWithNicInVlan(const QByteArray &domainXml, const QString &mac, int vlanId,
                                              const QString &portgroup, QString *error)
{
    const QString document = QString::fromUtf8(domainXml);
    const std::optional<Rewrite> r = rewrite(document, domainXml, mac, vlanId, portgroup, error);
    if (!r)
        return std::nullopt;
    // libvirt writes <interface> only as device elements, which do not nest: the n-th opening
    // tag and the closing tag after it delimit the element to replace.
    static const QRegularExpression open(QStringLiteral("<interface[\\s>]"));
    qsizetype begin = -1;
    for (int i = 0, from = 0; i <= r->index; ++i) {
        begin = document.indexOf(open, from);
        if (begin < 0)
            break;
        from = int(begin) + 1;
    }
    const QLatin1String close("</interface>");
    const qsizetype end = begin < 0 ? -1 : document.indexOf(close, begin);
    if (end < 0) {
        *error = tr("The domain XML is malformed: %1").arg(QStringLiteral("<interface>"));
        return std::nullopt;
    }
    return document.left(begin) + r->element + document.mid(end + close.size());
}

} // namespace Vigie
