#include "domainxml.h"

#include "guardedxmlreader.h"
#include "inventory/vmtags.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>
#include <utility>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Hypervisor)
};

constexpr qsizetype MaxDescriptionLength = 4096;
constexpr qsizetype MaxVlanTags = 4096;
// A hostile document could otherwise produce one warning per element.
constexpr qsizetype MaxWarnings = 100;

constexpr QStringView VigieNamespace = u"urn:x-vigie:1";
// Written by virt-install, virt-manager and GNOME Boxes: <libosinfo:libosinfo><libosinfo:os
// id="http://debian.org/debian/12"/>, the guest OS as libosinfo's database names it.
constexpr QStringView LibosinfoNamespace = u"http://libosinfo.org/xmlns/libvirt/domain/1.0";
// Nova wrote 1.0 for years and writes 1.1 since; both carry the same owner/project shape.
constexpr QStringView NovaNamespaces[] = {u"http://openstack.org/xmlns/libvirt/nova/1.0",
                                          u"http://openstack.org/xmlns/libvirt/nova/1.1"};

bool isNovaNamespace(QStringView uri)
{
    for (QStringView nova : NovaNamespaces) {
        if (uri == nova)
            return true;
    }
    return false;
}

class Warnings
{
public:
    void add(const QString &warning)
    {
        if (m_list.size() < MaxWarnings)
            m_list.append(warning);
        else
            ++m_dropped;
    }

    [[nodiscard]] QStringList take()
    {
        if (m_dropped > 0)
            m_list.append(Tr::tr("%n more warning(s) not shown", nullptr, int(m_dropped)));
        m_dropped = 0;
        return std::exchange(m_list, {});
    }

private:
    QStringList m_list;
    qsizetype m_dropped = 0;
};

enum class TextKind { SingleLine, MultiLine };

// Surrounding whitespace (pretty-printing) is trimmed silently; control characters inside the
// text and truncation are reported, because they change what the operator sees.
QString cleanText(QStringView raw, const QString &label, Warnings &warnings,
                  TextKind kind = TextKind::SingleLine, qsizetype maxLength = DomainXml::MaxTextLength)
{
    const QStringView trimmed = raw.trimmed();
    QString text;
    text.reserve(qMin(trimmed.size(), maxLength + 1));
    bool removed = false;
    for (QChar c : trimmed) {
        const bool keep = kind == TextKind::MultiLine && (c == u'\n' || c == u'\t');
        if (c.category() == QChar::Other_Control && !keep) {
            removed = true;
            continue;
        }
        text.append(c);
    }
    if (removed) {
        text = text.trimmed();
        warnings.add(Tr::tr("%1: control characters removed").arg(label));
    }
    if (text.size() > maxLength) {
        qsizetype cut = maxLength;
        if (text.at(cut - 1).isHighSurrogate())
            --cut; // never leave half a surrogate pair behind
        text.truncate(cut);
        warnings.add(Tr::tr("%1 truncated to %2 characters").arg(label).arg(maxLength));
    }
    return text;
}

// Bytes per unit for libvirt's scaled integers (virScaleInteger): b/bytes, k/KiB (1024),
// KB (1000), and so on up to E/EiB/EB; the first letter is case-insensitive. 0: unknown unit.
quint64 unitScale(QStringView unit)
{
    if (unit.isEmpty())
        return 1024; // memory defaults to KiB
    if (unit.compare(u"b", Qt::CaseInsensitive) == 0 || unit.compare(u"byte", Qt::CaseInsensitive) == 0
        || unit.compare(u"bytes", Qt::CaseInsensitive) == 0) {
        return 1;
    }
    quint64 base = 0;
    if (unit.size() == 1 || unit.mid(1).compare(u"iB", Qt::CaseInsensitive) == 0)
        base = 1024;
    else if (unit.size() == 2 && unit.at(1).toLower() == u'b')
        base = 1000;
    else
        return 0;
    int power = 0;
    switch (unit.at(0).toLower().unicode()) {
    case 'k': power = 1; break;
    case 'm': power = 2; break;
    case 'g': power = 3; break;
    case 't': power = 4; break;
    case 'p': power = 5; break;
    case 'e': power = 6; break;
    default: return 0;
    }
    quint64 scale = 1;
    for (int i = 0; i < power; ++i)
        scale *= base; // 1024^6 = 2^60 still fits
    return scale;
}

class DomainParser
{
public:
    explicit DomainParser(const QByteArray &xml)
        : m_xml(xml, DomainXml::MaxDepth)
    {}

    DomainXml::Result run();

private:
    void parseDomain();
    void parseVcpu();
    std::optional<quint64> parseMemory(const QString &label);
    void parseOs();
    void parseMetadata();
    void parseTag();
    void parseDevices();
    void parseInterface();
    void parseDisk();
    QList<int> parseVlan(const QString &owner);
    void resolveTenant();

    GuardedXmlReader m_xml;
    VmInfo m_vm;
    Warnings m_warnings;
    bool m_hasName = false;
    bool m_hasUuid = false;
    QString m_rawUuid;
    std::optional<quint64> m_memory;
    std::optional<quint64> m_currentMemory;
    QString m_vigieTenant;
    QString m_novaProject;
    QString m_novaName;
    bool m_novaInstance = false;
    qsizetype m_nicCount = 0;
    qsizetype m_diskCount = 0;
};

DomainXml::Result DomainParser::run()
{
    if (!m_xml.readRoot()) {
        if (!m_xml.hasError())
            return {std::nullopt, Tr::tr("domain XML has no root element")};
    } else if (!m_xml.isPlain(u"domain")) {
        return {std::nullopt, Tr::tr("not a libvirt domain: the root element is <%1>")
                                  .arg(quoted(m_xml.qualifiedName()))};
    } else {
        parseDomain();
        m_xml.finish();
    }

    if (m_xml.hasError()) {
        const QString message = m_xml.isMalformed()
                                    ? Tr::tr("malformed domain XML at line %1, column %2: %3")
                                    : Tr::tr("domain XML rejected at line %1, column %2: %3");
        return {std::nullopt, message.arg(m_xml.line()).arg(m_xml.column()).arg(m_xml.error()), qint64(m_xml.line()),
                qint64(m_xml.column())};
    }
    if (m_vm.name.isEmpty())
        return {std::nullopt, Tr::tr("domain XML has no name")};
    if (!m_hasUuid || m_rawUuid.trimmed().isEmpty())
        return {std::nullopt, Tr::tr("domain XML has no UUID")};
    m_vm.uuid = normalizedUuid(QStringView(m_rawUuid).trimmed());
    if (m_vm.uuid.isEmpty())
        return {std::nullopt, Tr::tr("domain XML has an invalid UUID \"%1\"").arg(quoted(m_rawUuid.trimmed()))};

    if (m_memory)
        m_vm.maxMemoryKiB = *m_memory;
    m_vm.memoryKiB = m_currentMemory ? *m_currentMemory : m_vm.maxMemoryKiB;

    if (m_nicCount > DomainXml::MaxNics) {
        m_warnings.add(Tr::tr("%1 NICs, only the first %2 kept").arg(m_nicCount).arg(DomainXml::MaxNics));
    }
    if (m_diskCount > DomainXml::MaxDisks) {
        m_warnings.add(Tr::tr("%1 disks, only the first %2 kept").arg(m_diskCount).arg(DomainXml::MaxDisks));
    }
    resolveTenant();
    std::sort(m_vm.tags.begin(), m_vm.tags.end());
    m_vm.warnings = m_warnings.take();
    return {std::move(m_vm), {}};
}

void DomainParser::parseDomain()
{
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"name")) {
            // libvirt never repeats these elements; if a document does, the first one wins.
            if (m_hasName) {
                m_warnings.add(Tr::tr("duplicate <%1> ignored").arg(u"name"));
                m_xml.skipElement();
                continue;
            }
            m_hasName = true;
            m_vm.name = cleanText(m_xml.readText(), Tr::tr("name"), m_warnings);
        } else if (m_xml.isPlain(u"uuid")) {
            if (m_hasUuid) {
                m_warnings.add(Tr::tr("duplicate <%1> ignored").arg(u"uuid"));
                m_xml.skipElement();
                continue;
            }
            m_hasUuid = true;
            m_rawUuid = m_xml.readText();
        } else if (m_xml.isPlain(u"title")) {
            m_vm.title = cleanText(m_xml.readText(), Tr::tr("title"), m_warnings);
        } else if (m_xml.isPlain(u"description")) {
            m_vm.description = cleanText(m_xml.readText(), Tr::tr("description"), m_warnings,
                                         TextKind::MultiLine, MaxDescriptionLength);
        } else if (m_xml.isPlain(u"vcpu")) {
            parseVcpu();
        } else if (m_xml.isPlain(u"memory")) {
            m_memory = parseMemory(QStringLiteral("memory"));
        } else if (m_xml.isPlain(u"currentMemory")) {
            m_currentMemory = parseMemory(QStringLiteral("currentMemory"));
        } else if (m_xml.isPlain(u"os")) {
            parseOs();
        } else if (m_xml.isPlain(u"metadata")) {
            parseMetadata();
        } else if (m_xml.isPlain(u"devices")) {
            parseDevices();
        } else {
            m_xml.skipElement();
        }
    }
}

void DomainParser::parseVcpu()
{
    const auto toCount = [](QStringView text) -> std::optional<int> {
        bool ok = false;
        const int value = text.trimmed().toInt(&ok);
        if (!ok || value < 0)
            return std::nullopt;
        return value;
    };
    const bool hasCurrent = m_xml.hasAttribute(u"current");
    const QString current = m_xml.attribute(u"current").toString();
    const QString text = m_xml.readText();

    if (hasCurrent) {
        if (const auto value = toCount(current)) {
            m_vm.vcpus = *value;
            return;
        }
        m_warnings.add(Tr::tr("invalid current vCPU count \"%1\" ignored").arg(quoted(current)));
    }
    if (const auto value = toCount(text)) {
        m_vm.vcpus = *value;
        return;
    }
    m_vm.vcpus = 0;
    m_warnings.add(Tr::tr("invalid vCPU count \"%1\", shown as 0").arg(quoted(text.trimmed())));
}

// Returns KiB rounded up, as libvirt does, or nothing (with a warning) when the value is unusable.
std::optional<quint64> DomainParser::parseMemory(const QString &label)
{
    const QString unit = m_xml.attribute(u"unit").trimmed().toString();
    const QString text = m_xml.readText().trimmed();

    const quint64 scale = unitScale(unit);
    if (scale == 0) {
        m_warnings.add(Tr::tr("<%1> has an unknown unit \"%2\", shown as 0").arg(label, quoted(unit)));
        return quint64(0);
    }
    bool ok = false;
    const quint64 value = text.startsWith(u'-') || text.startsWith(u'+') ? 0 : text.toULongLong(&ok);
    if (!ok) {
        m_warnings.add(Tr::tr("<%1> has an invalid value \"%2\", shown as 0").arg(label, quoted(text)));
        return quint64(0);
    }
    if (value > std::numeric_limits<quint64>::max() / scale) {
        const QString shownUnit = unit.isEmpty() ? QStringLiteral("KiB") : quoted(unit);
        m_warnings.add(Tr::tr("<%1> value %2 %3 is too large, shown as 0").arg(label, text, shownUnit));
        return quint64(0);
    }
    const quint64 bytes = value * scale;
    return bytes / 1024 + (bytes % 1024 != 0 ? 1 : 0);
}

void DomainParser::parseOs()
{
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"type"))
            m_vm.osType = cleanText(m_xml.readText(), Tr::tr("OS type"), m_warnings);
        else
            m_xml.skipElement();
    }
}

// Everything below <metadata> belongs to other applications' namespaces: it is walked without
// recursion and only two shapes are picked out, so a foreign <name> there never becomes ours.
void DomainParser::parseMetadata()
{
    int level = 0; // below <metadata>
    int novaOwnerLevel = -1;
    while (m_xml.next()) {
        if (m_xml.isEndElement()) {
            if (level == 0)
                return; // </metadata>
            if (level == novaOwnerLevel)
                novaOwnerLevel = -1;
            --level;
            continue;
        }
        if (!m_xml.isStartElement())
            continue;
        ++level;
        const QStringView uri = m_xml.namespaceUri();
        if (uri == VigieNamespace && m_xml.name() == u"tenant") {
            const QString text = m_xml.readText();
            if (m_vigieTenant.trimmed().isEmpty())
                m_vigieTenant = text;
            --level; // readText() consumed the end element
        } else if (uri == LibosinfoNamespace && m_xml.name() == u"os" && level == 2 && m_vm.osId.isEmpty()) {
            m_vm.osId = cleanText(m_xml.attribute(u"id"), Tr::tr("OS"), m_warnings);
        } else if (uri == VmTags::Namespace && m_xml.name() == u"tag" && level == 2) {
            parseTag();
            --level;
        } else if (isNovaNamespace(uri) && m_xml.name() == u"instance" && level == 1) {
            m_novaInstance = true;
        } else if (isNovaNamespace(uri) && m_xml.name() == u"name" && level == 2) {
            // <nova:instance><nova:name>: the name the user gave the instance, the domain being
            // "instance-<hex id>".
            const QString text = m_xml.readText();
            if (m_novaName.trimmed().isEmpty())
                m_novaName = text;
            --level;
        } else if (isNovaNamespace(uri) && m_xml.name() == u"owner") {
            novaOwnerLevel = level;
        } else if (isNovaNamespace(uri) && m_xml.name() == u"project" && level == novaOwnerLevel + 1) {
            const QString uuid = m_xml.attribute(u"uuid").toString();
            QString text = m_xml.readText();
            if (text.trimmed().isEmpty())
                text = uuid;
            if (m_novaProject.trimmed().isEmpty())
                m_novaProject = text;
            --level;
        }
    }
}

void DomainParser::parseTag()
{
    const QString text = m_xml.readText();
    QString error;
    const std::optional<QString> tag = VmTags::normalize(text.left(VmTags::MaxLength + 1), &error);
    if (!tag) {
        m_warnings.add(Tr::tr("tag dropped: %1").arg(error));
    } else if (!m_vm.tags.contains(*tag)) {
        if (m_vm.tags.size() < VmTags::MaxCount)
            m_vm.tags.append(*tag);
        else
            m_warnings.add(Tr::tr("tag “%1” dropped: more than %2 tags").arg(*tag).arg(VmTags::MaxCount));
    }
}

void DomainParser::parseDevices()
{
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"interface")) {
            if (++m_nicCount <= DomainXml::MaxNics)
                parseInterface();
            else
                m_xml.skipElement();
        } else if (m_xml.isPlain(u"disk")) {
            if (++m_diskCount <= DomainXml::MaxDisks)
                parseDisk();
            else
                m_xml.skipElement();
        } else {
            m_xml.skipElement();
        }
    }
}

void DomainParser::parseInterface()
{
    NicInfo nic;
    const qsizetype index = m_vm.nics.size() + 1;
    const auto label = [index](const QString &field) {
        //: %1 is the NIC number, %2 a field such as "MAC address"
        return Tr::tr("NIC %1 %2").arg(index).arg(field);
    };
    nic.sourceType = cleanText(m_xml.attribute(u"type"), label(Tr::tr("type")), m_warnings);
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"mac")) {
            nic.mac = cleanText(m_xml.attribute(u"address"), label(Tr::tr("MAC address")), m_warnings).toLower();
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"source")) {
            for (QStringView attribute : {u"network", u"bridge", u"dev"}) {
                const QStringView value = m_xml.attribute(attribute);
                if (!value.trimmed().isEmpty()) {
                    nic.source = cleanText(value, label(Tr::tr("source")), m_warnings);
                    break;
                }
            }
            nic.portgroup = cleanText(m_xml.attribute(u"portgroup"), label(Tr::tr("portgroup")), m_warnings);
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"vlan")) {
            nic.vlanTags += parseVlan(label(Tr::tr("VLAN")));
        } else if (m_xml.isPlain(u"virtualport")) {
            while (m_xml.readNextChild()) {
                if (m_xml.isPlain(u"parameters") && m_xml.hasAttribute(u"interfaceid")) {
                    nic.interfaceId = cleanText(m_xml.attribute(u"interfaceid"),
                                                label(Tr::tr("interface ID")), m_warnings);
                }
                m_xml.skipElement();
            }
        } else if (m_xml.isPlain(u"model")) {
            nic.model = cleanText(m_xml.attribute(u"type"), label(Tr::tr("model")), m_warnings);
            m_xml.skipElement();
        } else if (m_xml.isPlain(u"target")) {
            nic.target = cleanText(m_xml.attribute(u"dev"), label(Tr::tr("target")), m_warnings);
            m_xml.skipElement();
        } else {
            m_xml.skipElement();
        }
    }
    m_vm.nics.append(nic);
}

// <vlan [trunk='yes']><tag id='42' [nativeMode='untagged']/>...</vlan>
QList<int> DomainParser::parseVlan(const QString &owner)
{
    QList<int> tags;
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"tag")) {
            const QStringView id = m_xml.attribute(u"id").trimmed();
            bool ok = false;
            const int tag = id.toInt(&ok);
            if (!ok || tag < 0 || tag > 4095)
                m_warnings.add(Tr::tr("%1: invalid tag \"%2\" ignored").arg(owner, quoted(id)));
            else if (tags.size() >= MaxVlanTags)
                m_warnings.add(Tr::tr("%1: more than %2 tags, the rest ignored").arg(owner).arg(MaxVlanTags));
            else
                tags.append(tag);
        }
        m_xml.skipElement();
    }
    return tags;
}

void DomainParser::parseDisk()
{
    DiskInfo disk;
    const qsizetype index = m_vm.disks.size() + 1;
    const auto label = [index](const QString &field) {
        //: %1 is the disk number, %2 a field such as "source"
        return Tr::tr("disk %1 %2").arg(index).arg(field);
    };
    // libvirt's default when the attribute is absent.
    disk.device = m_xml.hasAttribute(u"device")
                      ? cleanText(m_xml.attribute(u"device"), label(Tr::tr("device")), m_warnings)
                      : QStringLiteral("disk");
    while (m_xml.readNextChild()) {
        if (m_xml.isPlain(u"target")) {
            disk.target = cleanText(m_xml.attribute(u"dev"), label(Tr::tr("target")), m_warnings);
        } else if (m_xml.isPlain(u"driver")) {
            disk.format = cleanText(m_xml.attribute(u"type"), label(Tr::tr("format")), m_warnings);
        } else if (m_xml.isPlain(u"source")) {
            QString source;
            for (QStringView attribute : {u"file", u"dev", u"name"}) {
                const QStringView value = m_xml.attribute(attribute);
                if (!value.trimmed().isEmpty()) {
                    source = value.toString();
                    break;
                }
            }
            if (source.isEmpty() && m_xml.hasAttribute(u"volume")) {
                source = m_xml.attribute(u"pool").trimmed().toString() + u'/'
                         + m_xml.attribute(u"volume").trimmed().toString();
            }
            disk.source = cleanText(source, label(Tr::tr("source")), m_warnings);
        }
        m_xml.skipElement();
    }
    m_vm.disks.append(disk);
}

void DomainParser::resolveTenant()
{
    QString tenant = m_vigieTenant.trimmed();
    if (tenant.isEmpty())
        tenant = m_novaProject.trimmed();
    if (tenant.isEmpty() && m_vm.title.startsWith(u'[')) {
        const qsizetype close = m_vm.title.indexOf(u']');
        if (close > 0)
            tenant = m_vm.title.mid(1, close - 1);
    }
    m_vm.tenant = cleanText(tenant, Tr::tr("tenant"), m_warnings);
    m_vm.displayName = cleanText(m_novaName, Tr::tr("Nova name"), m_warnings);
    if (m_novaInstance)
        m_vm.manager = QStringLiteral("nova");
}

} // namespace

DomainXml::Result DomainXml::parse(const QByteArray &xml)
{
    if (xml.size() > MaxXmlBytes) {
        return {std::nullopt, Tr::tr("domain XML is too large: %1 bytes, the limit is %2")
                                  .arg(xml.size())
                                  .arg(MaxXmlBytes)};
    }
    if (xml.trimmed().isEmpty())
        return {std::nullopt, Tr::tr("domain XML is empty")};
    return DomainParser(xml).run();
}

} // namespace Vigie
