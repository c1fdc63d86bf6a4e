#include "newvm.h"

#include "inventory/vminfo.h"

#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace Vigie {

std::optional<VlanCarrier> vlanCarrier(const QList<NetworkInfo> &networks, int vlanId)
{
    std::optional<VlanCarrier> byNetwork;
    std::optional<VlanCarrier> inactive;
    for (const NetworkInfo &network : networks) {
        const bool ovs = network.virtualPortType == QLatin1String("openvswitch");
        for (const PortgroupInfo &group : network.portgroups) {
            if (group.vlanTags == QList<int>{vlanId}) {
                const VlanCarrier carrier{network.name, group.name, ovs};
                if (network.active)
                    return carrier;
                if (!inactive)
                    inactive = carrier;
            }
        }
        if (!byNetwork && network.vlanTags.contains(vlanId))
            byNetwork = VlanCarrier{network.name, {}, ovs};
    }
    return inactive ? inactive : byNetwork;
}

std::optional<GuestCapabilities> guestCapabilities(const QByteArray &capabilitiesXml)
{
    // <capabilities><host><cpu><arch>x86_64</arch>...</host>
    //   <guest><os_type>hvm</os_type><arch name='x86_64'>...<domain type='kvm'/>...</guest>
    QXmlStreamReader xml(capabilitiesXml);
    QString hostArch;
    QList<GuestCapabilities> offered; // hvm guests, in document order
    QStringList path;
    QString osType;
    QString arch;
    while (!xml.atEnd() && path.size() < 64) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::DTD || token == QXmlStreamReader::EntityReference)
            return std::nullopt;
        if (token == QXmlStreamReader::EndElement) {
            path.removeLast();
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QString name = xml.name().toString();
        if (name == u"guest") {
            osType.clear();
            arch.clear();
        } else if (name == u"os_type" && path.endsWith(QStringLiteral("guest"))) {
            osType = xml.readElementText();
            continue; // readElementText consumed the end element
        } else if (name == u"arch" && path.endsWith(QStringLiteral("cpu")) && path.contains(QStringLiteral("host"))) {
            hostArch = xml.readElementText();
            continue;
        } else if (name == u"arch" && path.endsWith(QStringLiteral("guest"))) {
            arch = xml.attributes().value(u"name").toString();
        } else if (name == u"domain" && osType == u"hvm" && !arch.isEmpty()) {
            offered.append({xml.attributes().value(u"type").toString(), arch});
        }
        path.append(name);
    }
    if (xml.hasError() || offered.isEmpty())
        return std::nullopt;
    for (const QLatin1StringView type : {QLatin1StringView("kvm"), QLatin1StringView("qemu")}) {
        for (const GuestCapabilities &guest : std::as_const(offered)) {
            if (guest.domainType == type && guest.arch == hostArch)
                return guest;
        }
    }
    for (const GuestCapabilities &guest : std::as_const(offered)) {
        if (guest.arch == hostArch)
            return guest;
    }
    return offered.first();
}

bool NewVm::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return pattern.match(name).hasMatch();
}

QString NewVm::suggestName(const QString &base, const QStringList &taken)
{
    QString stem = base.toLower();
    stem.replace(QRegularExpression(QStringLiteral("[^a-z0-9._-]+")), QStringLiteral("-"));
    stem.remove(QRegularExpression(QStringLiteral("^[^a-z0-9]+|-+$")));
    stem = stem.left(56);
    if (stem.isEmpty())
        stem = QStringLiteral("vm");
    for (int n = 1;; ++n) {
        const QString candidate = QStringLiteral("%1-%2").arg(stem).arg(n, 2, 10, QLatin1Char('0'));
        if (!taken.contains(candidate, Qt::CaseInsensitive))
            return candidate;
    }
}

QString NewVm::volumeXml() const
{
    QString out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartElement(QStringLiteral("volume"));
    xml.writeTextElement(QStringLiteral("name"), volumeName());
    xml.writeStartElement(QStringLiteral("allocation"));
    xml.writeCharacters(QStringLiteral("0"));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("capacity"));
    xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("GiB"));
    xml.writeCharacters(QString::number(tmpl.diskGiB));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("target"));
    xml.writeEmptyElement(QStringLiteral("format"));
    xml.writeAttribute(QStringLiteral("type"), QStringLiteral("qcow2"));
    xml.writeEndElement();
    xml.writeEndElement();
    return out;
}

QString NewVm::domainXml(const GuestCapabilities &guest, const QString &diskPath) const
{
    const QString vigieNs = QStringLiteral("urn:x-vigie:1");
    QString out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartElement(QStringLiteral("domain"));
    xml.writeAttribute(QStringLiteral("type"), guest.domainType);
    xml.writeTextElement(QStringLiteral("name"), name);
    if (!uuid.isEmpty())
        xml.writeTextElement(QStringLiteral("uuid"), uuid);
    xml.writeTextElement(QStringLiteral("title"), tmpl.osLabel.isEmpty() ? tmpl.name
                                                                          : tmpl.osLabel + QStringLiteral(" (") + tmpl.name + u')');
    xml.writeStartElement(QStringLiteral("metadata"));
    xml.writeNamespace(vigieNs, QStringLiteral("vigie"));
    xml.writeTextElement(vigieNs, QStringLiteral("tenant"), tenant);
    // The template's OS as virt-install records it, so every console (virt-manager's too) names it.
    if (const QString osId = osIdForName(tmpl.osLabel); !osId.isEmpty()) {
        const QString libosinfoNs = QStringLiteral("http://libosinfo.org/xmlns/libvirt/domain/1.0");
        xml.writeNamespace(libosinfoNs, QStringLiteral("libosinfo"));
        xml.writeStartElement(libosinfoNs, QStringLiteral("libosinfo"));
        xml.writeEmptyElement(libosinfoNs, QStringLiteral("os"));
        xml.writeAttribute(QStringLiteral("id"), osId);
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("memory"));
    xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("MiB"));
    xml.writeCharacters(QString::number(tmpl.memoryMiB));
    xml.writeEndElement();
    xml.writeTextElement(QStringLiteral("vcpu"), QString::number(tmpl.vcpus));
    xml.writeStartElement(QStringLiteral("os"));
    xml.writeStartElement(QStringLiteral("type"));
    xml.writeAttribute(QStringLiteral("arch"), guest.arch);
    xml.writeCharacters(QStringLiteral("hvm"));
    xml.writeEndElement();
    xml.writeEmptyElement(QStringLiteral("boot"));
    xml.writeAttribute(QStringLiteral("dev"), QStringLiteral("hd"));
    xml.writeEndElement(); // os
    xml.writeStartElement(QStringLiteral("features"));
    xml.writeEmptyElement(QStringLiteral("acpi"));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("devices"));
    if (!diskPath.isEmpty()) {
        xml.writeStartElement(QStringLiteral("disk"));
        xml.writeAttribute(QStringLiteral("type"), QStringLiteral("file"));
        xml.writeAttribute(QStringLiteral("device"), QStringLiteral("disk"));
        xml.writeEmptyElement(QStringLiteral("driver"));
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("qemu"));
        xml.writeAttribute(QStringLiteral("type"), QStringLiteral("qcow2"));
        xml.writeEmptyElement(QStringLiteral("source"));
        xml.writeAttribute(QStringLiteral("file"), diskPath);
        xml.writeEmptyElement(QStringLiteral("target"));
        xml.writeAttribute(QStringLiteral("dev"), QStringLiteral("vda"));
        xml.writeAttribute(QStringLiteral("bus"), QStringLiteral("virtio"));
        xml.writeEndElement(); // disk
    }
    if (vlanId > 0 && !carrier.network.isEmpty()) {
        xml.writeStartElement(QStringLiteral("interface"));
        xml.writeAttribute(QStringLiteral("type"), QStringLiteral("network"));
        xml.writeEmptyElement(QStringLiteral("source"));
        xml.writeAttribute(QStringLiteral("network"), carrier.network);
        if (!carrier.portgroup.isEmpty())
            xml.writeAttribute(QStringLiteral("portgroup"), carrier.portgroup);
        if (carrier.openvswitch) {
            xml.writeStartElement(QStringLiteral("vlan"));
            xml.writeEmptyElement(QStringLiteral("tag"));
            xml.writeAttribute(QStringLiteral("id"), QString::number(vlanId));
            xml.writeEndElement();
            xml.writeEmptyElement(QStringLiteral("virtualport"));
            xml.writeAttribute(QStringLiteral("type"), QStringLiteral("openvswitch"));
        }
        xml.writeEmptyElement(QStringLiteral("model"));
        xml.writeAttribute(QStringLiteral("type"), QStringLiteral("virtio"));
        xml.writeEndElement(); // interface
    }
    xml.writeStartElement(QStringLiteral("memballoon"));
    xml.writeAttribute(QStringLiteral("model"), QStringLiteral("virtio"));
    xml.writeEmptyElement(QStringLiteral("stats"));
    xml.writeAttribute(QStringLiteral("period"), QStringLiteral("2"));
    xml.writeEndElement();
    xml.writeEndElement(); // devices
    xml.writeEndElement(); // domain
    return out;
}

} // namespace Vigie
