#pragma once

#include "demo/labdescription.h"

#include <QString>
#include <QStringList>

namespace Vigie::LabTest {

using LabHost = LabDescription::Host;
using LabVlan = LabDescription::Vlan;
using LabGuest = LabDescription::Guest;

// The lab a lab test runs against (read from $VIGIE_LAB_DIR/status.json, written by
// scripts/lab up), and the commands the tests use to check and disturb it. Blocking: for tests.
class LabEnvironment
{
public:
    // Reads the description; on failure isValid() is false and error() says why.
    LabEnvironment();

    [[nodiscard]] bool isValid() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString directory() const { return m_lab.directory; }
    [[nodiscard]] QList<LabHost> hosts() const { return m_lab.hosts; }
    [[nodiscard]] QList<LabVlan> vlans() const { return m_lab.vlans; }
    [[nodiscard]] QList<LabGuest> guests() const { return m_lab.guests; }
    [[nodiscard]] QStringList controllerRemotes() const { return m_lab.controllerRemotes; }
    [[nodiscard]] LabHost host(const QString &name) const;

    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
        [[nodiscard]] bool ok() const { return exitCode == 0; }
    };
    // virsh -c URI ARGS against a lab host.
    [[nodiscard]] static Result virsh(const LabHost &host, const QStringList &args, int timeoutMs = 60000);
    // scripts/lab ARGS (daemon faults, exec in a host).
    [[nodiscard]] static Result lab(const QStringList &args, int timeoutMs = 60000);
    [[nodiscard]] static Result run(const QString &program, const QStringList &args, int timeoutMs);

private:
    LabDescription m_lab;
    QString m_error;
};

} // namespace Vigie::LabTest
