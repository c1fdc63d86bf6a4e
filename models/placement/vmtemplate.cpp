#include "vmtemplate.h"

#include "itemmodels/vmtablemodel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSettings>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::VmTemplate)
};

QJsonObject toJson(const VmTemplate &t)
{
    return {{QStringLiteral("name"), t.name},
            {QStringLiteral("os"), t.osLabel},
            {QStringLiteral("vcpus"), t.vcpus},
            {QStringLiteral("memoryMiB"), double(t.memoryMiB)},
            {QStringLiteral("diskGiB"), double(t.diskGiB)}};
}

std::optional<VmTemplate> fromJson(const QJsonObject &o)
{
    VmTemplate t;
    t.name = o.value(QStringLiteral("name")).toString().trimmed();
    t.osLabel = o.value(QStringLiteral("os")).toString().trimmed();
    const double vcpus = o.value(QStringLiteral("vcpus")).toDouble(-1);
    const double memory = o.value(QStringLiteral("memoryMiB")).toDouble(-1);
    const double disk = o.value(QStringLiteral("diskGiB")).toDouble(-1);
    if (vcpus < 1 || vcpus > VmTemplate::MaxVcpus || memory < 1 || memory > double(VmTemplate::MaxMemoryMiB) || disk < 0
        || disk > double(VmTemplate::MaxDiskGiB))
        return std::nullopt;
    t.vcpus = int(vcpus);
    t.memoryMiB = quint64(memory);
    t.diskGiB = quint64(disk);
    if (!t.isValid())
        return std::nullopt;
    return t;
}

} // namespace

bool VmTemplate::isValid() const
{
    return !name.isEmpty() && name.size() <= 64 && osLabel.size() <= 64 && vcpus >= 1 && vcpus <= MaxVcpus
        && memoryMiB >= 1 && memoryMiB <= MaxMemoryMiB && diskGiB <= MaxDiskGiB;
}

QString VmTemplate::summary() const
{
    QStringList parts{Tr::tr("%n vCPU(s)", nullptr, vcpus), formatMemoryKiB(memoryMiB * 1024)};
    parts.append(diskGiB > 0 ? Tr::tr("%1 disk").arg(formatMemoryKiB(diskGiB * 1024 * 1024)) : Tr::tr("no disk"));
    if (!osLabel.isEmpty())
        parts.append(osLabel);
    return parts.join(QStringLiteral(" · "));
}

QString VmTemplate::mimeType()
{
    return QStringLiteral("application/x-vigie-vm-template+json");
}

QMimeData *VmTemplate::toMimeData() const
{
    auto *data = new QMimeData;
    data->setData(mimeType(), QJsonDocument(toJson(*this)).toJson(QJsonDocument::Compact));
    data->setText(name);
    return data;
}

std::optional<VmTemplate> VmTemplate::fromMimeData(const QMimeData *data)
{
    if (!data || !data->hasFormat(mimeType()))
        return std::nullopt;
    const QByteArray bytes = data->data(mimeType());
    if (bytes.size() > 4096)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    return doc.isObject() ? fromJson(doc.object()) : std::nullopt;
}

QList<VmTemplate> VmTemplate::defaults()
{
    return {
        {Tr::tr("Small"), QStringLiteral("Debian 12"), 1, 1024, 10},
        {Tr::tr("Medium"), QStringLiteral("Debian 12"), 2, 4096, 40},
        {Tr::tr("Large"), QStringLiteral("Debian 12"), 4, 16384, 100},
        {Tr::tr("Appliance"), Tr::tr("Network appliance"), 1, 256, 0},
    };
}

QList<VmTemplate> VmTemplate::load(QSettings &settings)
{
    if (!settings.contains(QStringLiteral("placement/templates")))
        return defaults();
    QList<VmTemplate> result;
    const QJsonDocument doc = QJsonDocument::fromJson(settings.value(QStringLiteral("placement/templates")).toByteArray());
    const QJsonArray array = doc.array();
    for (const QJsonValue &value : array) {
        if (std::optional<VmTemplate> t = fromJson(value.toObject()))
            result.append(*t);
    }
    return result;
}

void VmTemplate::save(QSettings &settings, const QList<VmTemplate> &templates)
{
    QJsonArray array;
    for (const VmTemplate &t : templates)
        array.append(toJson(t));
    settings.setValue(QStringLiteral("placement/templates"), QJsonDocument(array).toJson(QJsonDocument::Compact));
}

} // namespace Vigie
