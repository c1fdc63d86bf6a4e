#include "cpuxml.h"

#include "domainxml.h"
#include "guardedxmlreader.h"

#include <QXmlStreamWriter>

namespace Vigie::CpuXml {

namespace {

// Copies the children of the current element (model, vendor, feature, ...: one level, text and
// attributes) into a <cpu> element with ATTRIBUTES. Empty if the element has no <model> or the
// document turns out bad.
QString copyCpu(GuardedXmlReader &reader, const QXmlStreamAttributes &attributes)
{
    QString out;
    QXmlStreamWriter writer(&out);
    writer.writeStartElement(QStringLiteral("cpu"));
    writer.writeAttributes(attributes);
    bool model = false;
    while (reader.readNextChild()) {
        const QString name = reader.name().toString();
        const QXmlStreamAttributes childAttributes = reader.attributes();
        const QString text = reader.readText();
        model = model || name == QLatin1String("model");
        writer.writeStartElement(name);
        writer.writeAttributes(childAttributes);
        if (!text.trimmed().isEmpty())
            writer.writeCharacters(text.trimmed());
        writer.writeEndElement();
    }
    writer.writeEndElement();
    return model && !reader.hasError() ? out : QString();
}

// The first child of ROOT > PARENT that PICK accepts, copied as a <cpu> with ATTRIBUTES.
template<typename Pick>
QString cpuUnder(const QByteArray &xml, QStringView root, QStringView parent, Pick pick, const QXmlStreamAttributes &attributes)
{
    GuardedXmlReader reader(xml, DomainXml::MaxDepth);
    if (!reader.readRoot() || !reader.isPlain(root))
        return {};
    while (reader.readNextChild()) {
        if (!reader.isPlain(parent)) {
            reader.skipElement();
            continue;
        }
        while (reader.readNextChild()) {
            if (pick(reader))
                return copyCpu(reader, attributes);
            reader.skipElement();
        }
        return {};
    }
    return {};
}

} // namespace

QString fromDomainCapabilities(const QByteArray &xml)
{
    QXmlStreamAttributes guest;
    guest.append(QStringLiteral("mode"), QStringLiteral("custom"));
    guest.append(QStringLiteral("match"), QStringLiteral("exact"));
    return cpuUnder(
        xml, u"domainCapabilities", u"cpu",
        [](const GuardedXmlReader &r) {
            return r.isPlain(u"mode") && r.attribute(u"name") == u"host-model" && r.attribute(u"supported") == u"yes";
        },
        guest);
}

QString fromCapabilities(const QByteArray &xml)
{
    return cpuUnder(xml, u"capabilities", u"host", [](const GuardedXmlReader &r) { return r.isPlain(u"cpu"); }, {});
}

} // namespace Vigie::CpuXml
