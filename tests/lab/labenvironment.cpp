#include "labenvironment.h"

#include "inventory/inventory.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

namespace Vigie::LabTest {

LabEnvironment::LabEnvironment()
{
    if (const auto lab = LabDescription::read(LabDescription::defaultDirectory(), &m_error)) {
        m_lab = *lab;
        readWiring();
    }
}

void LabEnvironment::readWiring()
{
    QFile file(m_lab.directory + QStringLiteral("/status.json"));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const auto text = [](const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toString(); };
    for (const QJsonValue &v : root.value(QLatin1String("southbound")).toObject().value(QLatin1String("remotes")).toArray())
        m_southboundRemotes.append(v.toString());
    for (const QJsonValue &v : root.value(QLatin1String("vlans")).toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonObject probe = o.value(QLatin1String("probe")).toObject();
        m_switches.insert(o.value(QLatin1String("id")).toInt(), {text(o, "switch"), text(o, "owner"), text(probe, "host"), text(probe, "ip")});
    }
    for (const QJsonValue &v : root.value(QLatin1String("guests")).toArray()) {
        const QJsonObject o = v.toObject();
        LabWiring wiring{text(o, "uuid"), text(o, "wiring"), {}};
        for (const QJsonValue &n : o.value(QLatin1String("nics")).toArray()) {
            const QJsonObject nic = n.toObject();
            wiring.nics.append({text(nic, "mac"), nic.value(QLatin1String("vlan")).toInt(), text(nic, "ip"), text(nic, "port"), text(nic, "switch")});
        }
        m_wiring.insert(text(o, "name"), wiring);
    }
}

QStringList LabEnvironment::shellGuests() const
{
    QStringList names;
    QFile tsv(directory() + QStringLiteral("/guests.tsv"));
    if (!tsv.open(QIODevice::ReadOnly))
        return {};
    while (!tsv.atEnd()) {
        const QList<QByteArray> f = tsv.readLine().trimmed().split('\t');
        // host index, name, tenant, memory, load ("-": firmware only), disk, running, ...
        if (f.size() > 6 && f.at(4) != "-" && f.at(6) == "1")
            names.append(QString::fromUtf8(f.at(1)));
    }
    return names;
}

LabEnvironment::RunningGuest LabEnvironment::runningShellGuest(const Inventory &inventory) const
{
    const QStringList names = shellGuests();
    for (const LabHost &host : m_lab.hosts) {
        for (const VmKey &key : inventory.vmKeysOfHost(host.uri)) {
            const VmInfo *vm = inventory.findVm(key);
            if (vm && vm->isActive() && names.contains(vm->name))
                return {host, vm->name, key};
        }
    }
    return {};
}

LabHost LabEnvironment::host(const QString &name) const
{
    for (const LabHost &h : m_lab.hosts) {
        if (h.name == name)
            return h;
    }
    return {};
}

LabEnvironment::Result LabEnvironment::run(const QString &program, const QStringList &args, int timeoutMs)
{
    // The test's event loop keeps running while the command does: a lab command can take
    // seconds on a loaded machine, and an OVSDB client that answers no echo for that long is
    // dropped by ovsdb-server's inactivity probe (5 s), failing whatever it was doing next.
    QProcess process;
    QEventLoop loop;
    bool failedToStart = false;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            failedToStart = true;
            loop.quit();
        }
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    Result result;
    process.start(program, args);
    if (!failedToStart && process.state() != QProcess::NotRunning) {
        deadline.start(timeoutMs);
        loop.exec();
    }
    if (failedToStart || process.error() == QProcess::FailedToStart) {
        result.err = process.errorString();
        return result;
    }
    if (process.state() != QProcess::NotRunning) {
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

LabEnvironment::Result LabEnvironment::probe(const QString &vlanName, const QStringList &command, int timeoutMs)
{
    return lab(QStringList{QStringLiteral("probe"), vlanName} + command, timeoutMs);
}

} // namespace Vigie::LabTest
