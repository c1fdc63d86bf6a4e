#include "vmtags.h"

#include <QCoreApplication>
#include <QXmlStreamWriter>

#include <algorithm>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::VmTags)
};

bool allowed(QChar c)
{
    return c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.';
}

} // namespace

std::optional<QString> VmTags::normalize(const QString &text, QString *error)
{
    const QString tag = text.trimmed().toLower();
    const auto fail = [error](const QString &why) -> std::optional<QString> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (tag.isEmpty())
        return fail(Tr::tr("a tag cannot be empty"));
    if (tag.size() > MaxLength)
        return fail(Tr::tr("“%1…” is longer than %2 characters").arg(tag.left(MaxLength)).arg(MaxLength));
    for (QChar c : tag) {
        if (!allowed(c))
            return fail(Tr::tr("“%1”: %2").arg(tag, rules()));
    }
    return tag;
}

QStringList VmTags::split(const QString &text, QStringList *rejected)
{
    QStringList tags;
    const QStringList words = QString(text).replace(u',', u' ').split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        QString error;
        if (const std::optional<QString> tag = normalize(word, &error)) {
            if (!tags.contains(*tag))
                tags.append(*tag);
        } else if (rejected) {
            rejected->append(error);
        }
    }
    return tags;
}

QStringList VmTags::edited(const QStringList &tags, const QStringList &add, const QStringList &remove)
{
    QStringList result;
    for (const QString &tag : tags + add) {
        if (!remove.contains(tag) && !result.contains(tag))
            result.append(tag);
    }
    std::sort(result.begin(), result.end());
    return result;
}

QString VmTags::metadataXml(const QStringList &tags)
{
    QString out;
    QXmlStreamWriter xml(&out);
    xml.writeStartElement(QStringLiteral("tags"));
    for (const QString &tag : tags)
        xml.writeTextElement(QStringLiteral("tag"), tag);
    xml.writeEndElement();
    return out;
}

QString VmTags::rules()
{
    return Tr::tr("a tag has 1 to %1 letters, digits, '-', '_' or '.'").arg(MaxLength);
}

} // namespace Vigie
