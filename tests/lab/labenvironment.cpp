#include "labenvironment.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace Vigie::LabTest {

LabEnvironment::LabEnvironment()
{
    if (const auto lab = LabDescription::read(LabDescription::defaultDirectory(), &m_error))
        m_lab = *lab;
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
