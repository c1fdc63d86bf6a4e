#include "labdescription.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Vigie {

QString LabDescription::defaultDirectory()
{
    const QString dir = qEnvironmentVariable("VIGIE_LAB_DIR");
    return dir.isEmpty() ? QStringLiteral("/tmp/vigie-lab") : dir;
}

std::optional<LabDescription> LabDescription::read(const QString &directory, QString *error)
{
    QFile file(directory + QStringLiteral("/status.json"));
    if (!file.exists()) {
        *error = QCoreApplication::translate("Vigie::LabDescription", "No lab is running in %1: start one with scripts/lab up.")
                     .arg(directory);
        return std::nullopt;
    }
    if (file.size() > 1024 * 1024 || !file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("Vigie::LabDescription", "Cannot read %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        *error = QCoreApplication::translate("Vigie::LabDescription", "%1 is not valid JSON: %2")
                     .arg(file.fileName(), parseError.errorString());
        return std::nullopt;
    }
    LabDescription lab;
    lab.directory = directory;
    const auto text = [](const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toString(); };
    for (const QJsonValue &v : root.value(QLatin1String("hosts")).toArray()) {
        const QJsonObject o = v.toObject();
        if (!text(o, "uri").isEmpty())
            lab.hosts.append({text(o, "name"), text(o, "uri"), text(o, "address")});
    }
    for (const QJsonValue &v : root.value(QLatin1String("vlans")).toArray()) {
        const QJsonObject o = v.toObject();
        lab.vlans.append({o.value(QLatin1String("id")).toInt(), text(o, "name")});
    }
    for (const QJsonValue &v : root.value(QLatin1String("guests")).toArray()) {
        const QJsonObject o = v.toObject();
        lab.guests.append({text(o, "name"), text(o, "host"), text(o, "tenant"), o.value(QLatin1String("memoryMiB")).toInt(),
                           o.value(QLatin1String("running")).toBool()});
    }
    const QJsonObject controller = root.value(QLatin1String("controller")).toObject();
    for (const QJsonValue &v : controller.value(QLatin1String("remotes")).toArray())
        lab.controllerRemotes.append(v.toString());
    for (const QJsonValue &v : root.value(QLatin1String("southbound")).toObject().value(QLatin1String("remotes")).toArray())
        lab.southboundRemotes.append(v.toString());
    if (lab.hosts.isEmpty()) {
        *error = QCoreApplication::translate("Vigie::LabDescription", "%1 lists no host.").arg(file.fileName());
        return std::nullopt;
    }
    return lab;
}

} // namespace Vigie
