#include "labenvironment.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

namespace Vigie::LabTest {

LabEnvironment::LabEnvironment()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    m_dir = env.value(QStringLiteral("VIGIE_LAB_DIR"), QStringLiteral("/tmp/vigie-lab"));
    QFile file(m_dir + QStringLiteral("/status.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2 (is the lab up? scripts/lab up)").arg(file.fileName(), file.errorString());
        return;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        m_error = QStringLiteral("%1: %2").arg(file.fileName(), parseError.errorString());
        return;
    }
    for (const QJsonValue &h : root.value(QLatin1String("hosts")).toArray()) {
        const QJsonObject o = h.toObject();
        m_hosts.append({o.value(QLatin1String("name")).toString(), o.value(QLatin1String("uri")).toString(),
                        o.value(QLatin1String("address")).toString()});
    }
    for (const QJsonValue &v : root.value(QLatin1String("vlans")).toArray()) {
        const QJsonObject o = v.toObject();
        m_vlans.append({o.value(QLatin1String("id")).toInt(), o.value(QLatin1String("name")).toString()});
    }
    for (const QJsonValue &g : root.value(QLatin1String("guests")).toArray()) {
        const QJsonObject o = g.toObject();
        m_guests.append({o.value(QLatin1String("name")).toString(), o.value(QLatin1String("host")).toString(),
                         o.value(QLatin1String("tenant")).toString(), o.value(QLatin1String("memoryMiB")).toInt(),
                         o.value(QLatin1String("running")).toBool()});
    }
    for (const QJsonValue &r : root.value(QLatin1String("controller")).toObject().value(QLatin1String("remotes")).toArray())
        m_controllerRemotes.append(r.toString());
    if (m_hosts.isEmpty())
        m_error = QStringLiteral("%1 lists no host").arg(file.fileName());
}

LabHost LabEnvironment::host(const QString &name) const
{
    for (const LabHost &h : m_hosts) {
        if (h.name == name)
            return h;
    }
    return {};
}

LabEnvironment::Result LabEnvironment::run(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess process;
    process.start(program, args);
    Result result;
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString();
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = QStringLiteral("%1 timed out after %2 ms").arg(program).arg(timeoutMs);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

LabEnvironment::Result LabEnvironment::virsh(const LabHost &host, const QStringList &args, int timeoutMs)
{
    return run(QStringLiteral("virsh"), QStringList{QStringLiteral("-q"), QStringLiteral("-c"), host.uri} + args, timeoutMs);
}

LabEnvironment::Result LabEnvironment::lab(const QStringList &args, int timeoutMs)
{
    const QString source = QProcessEnvironment::systemEnvironment().value(QStringLiteral("VIGIE_SOURCE_DIR"));
    return run(source + QStringLiteral("/scripts/lab"), args, timeoutMs);
}

} // namespace Vigie::LabTest
