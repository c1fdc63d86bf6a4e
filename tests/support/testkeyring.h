#pragma once

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <signal.h>
#include <sys/prctl.h>

namespace Vigie::Test {

// A desktop keyring of the test's own: a private D-Bus session bus (no service activation, so
// nothing answers for the Secret Service until start()) and GNOME Keyring's daemon on it, its
// login keyring created in a throw-away home and unlocked. Construct it before anything uses
// D-Bus: it points the process's session bus address at the private bus. Both daemons end with
// the test process, not before: GLib's shared session bus connection (libsecret's) raises
// SIGTERM in the process when its bus goes away, as a desktop session ending would.
class TestKeyring
{
public:
    TestKeyring()
    {
        const QString config = m_dir.filePath(QStringLiteral("bus.conf"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            return;
        file.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                   " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                   "<busconfig><type>session</type><listen>unix:tmpdir=" + m_dir.path().toUtf8() + "</listen>"
                   "<auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                   "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
        file.close();
        m_bus.setChildProcessModifier(endWithParent);
        m_bus.setProgram(QStringLiteral("dbus-daemon"));
        m_bus.setArguments({QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                            QStringLiteral("--print-address")});
        m_bus.start();
        if (!m_bus.waitForReadyRead(10'000))
            return;
        m_address = QString::fromUtf8(m_bus.readLine().trimmed());
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
    }
    ~TestKeyring()
    {
        // Left running (a QProcess would kill its daemon when destroyed): they end with the process.
        (void)m_busProcess.release();
        (void)m_keyringProcess.release();
    }
    TestKeyring(const TestKeyring &) = delete;
    TestKeyring &operator=(const TestKeyring &) = delete;

    [[nodiscard]] bool busUp() const { return !m_address.isEmpty(); }

    // Starts GNOME Keyring's Secret Service; true once it owns its name on the bus.
    bool start()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString home = m_dir.filePath(QStringLiteral("home"));
        QDir().mkpath(home + QStringLiteral("/run"));
        QFile::setPermissions(home + QStringLiteral("/run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        environment.insert(QStringLiteral("HOME"), home);
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);
        m_keyring.setProcessEnvironment(environment);
        m_keyring.setChildProcessModifier(endWithParent);
        m_keyring.setProgram(QStringLiteral("gnome-keyring-daemon"));
        // --unlock: the login keyring, created with this password when there is none.
        m_keyring.setArguments({QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
        m_keyring.start();
        if (!m_keyring.waitForStarted(10'000))
            return false;
        m_keyring.write("login-password-of-the-test");
        m_keyring.closeWriteChannel();
        QDBusConnection bus = QDBusConnection::connectToBus(m_address, QStringLiteral("test-keyring-probe"));
        const bool up = QTest::qWaitFor([&bus] { return bus.interface() && bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")); },
                                        10'000);
        QDBusConnection::disconnectFromBus(QStringLiteral("test-keyring-probe"));
        return up;
    }

private:
    static void endWithParent() { prctl(PR_SET_PDEATHSIG, SIGTERM); }

    QTemporaryDir m_dir;
    QString m_address;
    std::unique_ptr<QProcess> m_busProcess = std::make_unique<QProcess>();
    std::unique_ptr<QProcess> m_keyringProcess = std::make_unique<QProcess>();
    QProcess &m_bus = *m_busProcess;
    QProcess &m_keyring = *m_keyringProcess;
};

} // namespace Vigie::Test
