#pragma once

#include <QString>
#include <QStringList>

namespace Vigie::LabTest {

struct LabHost
{
    QString name; // lab-hv1, ...
    QString uri;  // qemu+unix:///system?socket=...
    QString address;
};

struct LabVlan
{
    int id = 0;
    QString name;
};

struct LabGuest
{
    QString name;
    QString host;
    QString tenant;
    int memoryMiB = 0;
    bool running = false;
};

// The lab a lab test runs against, read from $VIGIE_LAB_DIR/status.json (written by
// scripts/lab up), and the commands the tests use to check and disturb it. Blocking: for tests.
class LabEnvironment
{
public:
    // Reads the description; on failure isValid() is false and error() says why.
    LabEnvironment();

    [[nodiscard]] bool isValid() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString directory() const { return m_dir; }
    [[nodiscard]] QList<LabHost> hosts() const { return m_hosts; }
    [[nodiscard]] QList<LabVlan> vlans() const { return m_vlans; }
    [[nodiscard]] QList<LabGuest> guests() const { return m_guests; }
    [[nodiscard]] QStringList controllerRemotes() const { return m_controllerRemotes; }
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
    QString m_dir;
    QString m_error;
    QList<LabHost> m_hosts;
    QList<LabVlan> m_vlans;
    QList<LabGuest> m_guests;
    QStringList m_controllerRemotes;
};

} // namespace Vigie::LabTest
