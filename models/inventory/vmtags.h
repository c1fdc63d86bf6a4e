#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// Operator tags on VMs ("web", "pci-dss", "backup.nightly"), kept in the domain's own metadata
// under Vigie's tags namespace so that every console reading the host sees them.
//
// A tag is 1 to MaxLength characters among Unicode letters and digits, '-', '_' and '.', and is
// kept in lower case: "Web" and "web" are one tag. A VM carries at most MaxCount tags.
class VmTags
{
public:
    static constexpr qsizetype MaxLength = 32;
    static constexpr qsizetype MaxCount = 32;
    // libvirt keeps one metadata element per namespace URI; the tenant already has urn:x-vigie:1.
    static constexpr QStringView Namespace = u"urn:x-vigie:tags:1";
    static constexpr QStringView Prefix = u"vigietags";

    // The tag as stored, or nullopt with the reason (translated) in *error.
    [[nodiscard]] static std::optional<QString> normalize(const QString &text, QString *error = nullptr);
    // Splits what an operator typed ("web, prod db") into tags; the invalid ones go to *rejected.
    [[nodiscard]] static QStringList split(const QString &text, QStringList *rejected = nullptr);
    // TAGS plus ADD minus REMOVE, sorted, unique.
    [[nodiscard]] static QStringList edited(const QStringList &tags, const QStringList &add, const QStringList &remove);
    // The metadata element for virDomainSetMetadata (no namespace: libvirt adds it), escaped.
    [[nodiscard]] static QString metadataXml(const QStringList &tags);
    // The allowed characters, for messages and tooltips (translated).
    [[nodiscard]] static QString rules();
};

} // namespace Vigie
