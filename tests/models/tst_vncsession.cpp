// VncSession against the demo datacenter (libvirt's test driver, in process): its domains have no
// graphics, and the session says so plainly; a shut-off VM waits until it runs; nothing is sent
// or typed while not connected; letting go is announced. Then over TCP, against a real VNC server
// (libvncserver, in process) that asks for a password: the display listens where the domain's
// XML says, the test driver cannot hand it over, so the worker connects to the address.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "hypervisor/vncworker.h"
#include "inventory/inventory.h"
#include "testcertificates.h"
#include "testvncserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>


#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace Vigie;
using Vigie::Test::TestCertificates;
using Vigie::Test::TestVncServer;


class tst_VncSession : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;

    VmKey vmWhere(bool running) const
    {
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).isActive() == running)
                return key;
        }
        return {};
    }

    static ConsoleState lastAnnounced(const QSignalSpy &spy)
    {
        return spy.isEmpty() ? ConsoleState::Closed : spy.last().at(0).value<ConsoleState>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
    }

    // QEMU closes the display's socket when the VM stops: libvncclient's next write() must fail
    // with EPIPE (the display says it closed), not raise SIGPIPE and end the whole console.
    void closedDisplayDoesNotKill()
    {
        const VncWorker worker;
        int fds[2] = {-1, -1};
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        ::close(fds[1]);
        errno = 0;
        QCOMPARE(::write(fds[0], "x", 1), ssize_t(-1));
        QCOMPARE(errno, EPIPE);
        ::close(fds[0]);
    }

    void noGraphics()
    {
        const VmKey vm = vmWhere(true);
        QVERIFY(vm.isValid());
        VncSession display(m_sessions.get(), &m_inventory);
        QSignalSpy states(&display, &VncSession::stateChanged);
        display.setVm(vm);
        display.start();
        QCOMPARE(lastAnnounced(states), ConsoleState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(lastAnnounced(states), ConsoleState::NoDevice, 10000);
        QCOMPARE(display.detail(), QStringLiteral("the VM has no graphics"));
        QVERIFY(!display.passwordNeeded());
        QVERIFY(display.frameSize().isEmpty());
        // Not connected: nothing typed, nothing sent, no crash.
        QCOMPARE(display.typeText(QStringLiteral("hello\n")), 0);
        display.sendKey(0x61, true);
        display.sendPointer(10, 10, 1);
        // The operator may try again: the same answer.
        display.retry();
        QCOMPARE(display.state(), ConsoleState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(display.state(), ConsoleState::NoDevice, 10000);
        display.stop();
        QCOMPARE(lastAnnounced(states), ConsoleState::Closed);
    }

    void shutOffVmWaits()
    {
        const VmKey vm = vmWhere(false);
        QVERIFY(vm.isValid());
        VncSession display(m_sessions.get(), &m_inventory);
        QSignalSpy states(&display, &VncSession::stateChanged);
        display.setVm(vm);
        display.start();
        QCOMPARE(display.state(), ConsoleState::VmNotRunning);
        QCOMPARE(lastAnnounced(states), ConsoleState::VmNotRunning);
        display.setVm(vmWhere(true));
        QCOMPARE(display.state(), ConsoleState::Closed);
    }

    void sendKeyThroughLibvirt()
    {
        // The test driver takes virDomainSendKey (and does nothing with it): the answer comes
        // back from the host's thread.
        const VmKey vm = vmWhere(true);
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(vm);
        QSignalSpy sent(&display, &VncSession::keysSent);
        QVERIFY(!display.sendCombination(QStringLiteral("no-such-combination")));
        QVERIFY(display.sendCombination(QStringLiteral("ctrl-alt-del")));
        QVERIFY(sent.wait(10000));
        QCOMPARE(sent.first().at(0).toString(), QStringLiteral("Ctrl+Alt+Del"));
        QVERIFY2(sent.first().at(1).toBool(), qPrintable(sent.first().at(2).toString()));
    }

    // A key sent to a shut-off VM: the test driver refuses it, and the operator reads libvirt's
    // own reason (freeing the domain before reading it used to leave the message empty).
    void sendKeyRefusedWithLibvirtsReason()
    {
        const VmKey vm = vmWhere(false);
        QVERIFY(vm.isValid());
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(vm);
        QSignalSpy sent(&display, &VncSession::keysSent);
        QVERIFY(display.sendCombination(QStringLiteral("ctrl-alt-del")));
        QVERIFY(sent.wait(10000));
        QVERIFY(!sent.first().at(1).toBool());
        const QString message = sent.first().at(2).toString();
        QVERIFY2(message.contains(QLatin1String("not running")), qPrintable(message));
    }

    // A display that asks for a password, over TCP: asked for, a wrong one refused with the
    // server's reason, the right one connects; the frame arrives with the server's pixels, the
    // operator's keys and pointer reach the server.
    void passwordOverTcp()
    {
        TestVncServer server("s3cret");
        QVERIFY(server.listening());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString uri = server.writeNodeFile(dir.filePath(QStringLiteral("vnc-host.xml")));
        QVERIFY(!uri.isEmpty());
        QVERIFY(m_sessions->addConnection(uri));
        const VmKey vm{uri, QLatin1String(TestVncServer::DomainUuid)};
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory.hasVm(vm) && m_inventory.vm(vm).isActive(), 10000);

        VncSession display(m_sessions.get(), &m_inventory);
        QSignalSpy asked(&display, &VncSession::passwordRequired);
        display.setVm(vm);
        display.start();
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, 10000);
        QVERIFY(display.passwordNeeded());
        QCOMPARE(asked.first().at(0).toString(), QStringLiteral("the display asks for a password"));

        display.setPassword(QStringLiteral("wrong"));
        display.retry();
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 2, 10000);
        // With the server's own reason (libvncserver's words).
        const QString refused = asked.last().at(0).toString();
        QVERIFY2(refused.startsWith(QLatin1String("the display refused the password"))
                     && refused.contains(QLatin1String("password check failed")),
                 qPrintable(refused));

        display.setPassword(QStringLiteral("s3cret"));
        display.retry();
        QTRY_COMPARE_WITH_TIMEOUT(display.state(), ConsoleState::Connected, 10000);
        QVERIFY(!display.passwordNeeded());
        QCOMPARE(display.connection(), QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QVERIFY(!display.encrypted());
        QTRY_COMPARE_WITH_TIMEOUT(display.frameSize(), QSize(TestVncServer::Width, TestVncServer::Height), 10000);
        const auto *pixels = reinterpret_cast<const quint32 *>(display.framePixels().constData());
        QTRY_COMPARE_WITH_TIMEOUT(pixels[TestVncServer::Width * 10 + 10], quint32(0xff102030), 10000);

        display.sendKey(0x61, true); // XK_a
        display.sendKey(0x61, false);
        display.sendPointer(12, 34, 1);
        QTRY_VERIFY_WITH_TIMEOUT(server.keys().size() >= 2, 10000);
        QCOMPARE(server.keys().at(0), qMakePair(quint32(0x61), true));
        QCOMPARE(server.keys().at(1), qMakePair(quint32(0x61), false));
        QTRY_COMPARE_WITH_TIMEOUT(server.pointer(), QPoint(12, 34), 10000);
        display.stop();
        QCOMPARE(display.state(), ConsoleState::Closed);
        m_sessions->removeConnection(uri);
    }

    // VeNCrypt with x509 certificates, as libvirt's vnc_tls sets QEMU up: a real QEMU (no guest,
    // -machine none) serves the display with a certificate of a CA made here. Without that CA
    // where libvirt's VNC clients look for it, the certificate is refused and the reason says
    // where to put it; with it in $HOME/.pki/CA/cacert.pem, the display opens, encrypted.
    void vencryptWithTheLibvirtCa()
    {
        TestCertificates dir;
        QVERIFY(dir.isValid());
        QVERIFY(dir.makeSelfSigned(QStringLiteral("ca"), QStringLiteral("Vigie test VNC CA")));
        QVERIFY(dir.makeSigned(QStringLiteral("server"), QStringLiteral("127.0.0.1"), QStringLiteral("ca"),
                               {QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("extendedKeyUsage=serverAuth"),
                                QStringLiteral("keyUsage=digitalSignature,keyEncipherment")}));
        // QEMU's tls-creds-x509 reads ca-cert.pem, server-cert.pem and server-key.pem from its dir.
        QVERIFY(QDir().mkpath(dir.path(QStringLiteral("qemu"))));
        QVERIFY(QFile::copy(dir.path(QStringLiteral("ca.crt")), dir.path(QStringLiteral("qemu/ca-cert.pem"))));
        QVERIFY(QFile::copy(dir.path(QStringLiteral("server.crt")), dir.path(QStringLiteral("qemu/server-cert.pem"))));
        QVERIFY(QFile::copy(dir.path(QStringLiteral("server.key")), dir.path(QStringLiteral("qemu/server-key.pem"))));

        // QEMU's display on a free port (its number is the port less 5900); another port if one
        // was taken between the probe and QEMU's bind (QEMU then exits).
        QProcess qemu;
        qemu.setProcessChannelMode(QProcess::MergedChannels);
        const auto stopQemu = qScopeGuard([&qemu] {
            qemu.kill();
            qemu.waitForFinished(5000);
        });
        const auto listening = [](int port) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, quint16(port));
            return socket.waitForConnected(200);
        };
        int port = 0;
        QString qemuOutput;
        for (int attempt = 0; attempt < 3 && !port; ++attempt) {
            int candidate = 0;
            {
                QTcpServer probe;
                QVERIFY(probe.listen(QHostAddress::LocalHost));
                candidate = probe.serverPort();
            }
            qemu.start(QStringLiteral("qemu-system-x86_64"),
                       {QStringLiteral("-machine"), QStringLiteral("none"), QStringLiteral("-nodefaults"), QStringLiteral("-display"),
                        QStringLiteral("none"), QStringLiteral("-vnc"),
                        QStringLiteral("127.0.0.1:%1,tls-creds=tls0").arg(candidate - 5900), QStringLiteral("-object"),
                        QStringLiteral("tls-creds-x509,id=tls0,dir=%1,endpoint=server,verify-peer=off").arg(dir.path(QStringLiteral("qemu")))});
            QVERIFY2(qemu.waitForStarted(10000), qPrintable(qemu.errorString()));
            QElapsedTimer waited;
            waited.start();
            while (waited.elapsed() < 15000 && qemu.state() == QProcess::Running && !listening(candidate))
                QTest::qWait(100);
            if (qemu.state() == QProcess::Running && listening(candidate)) {
                port = candidate;
            } else {
                qemuOutput += QString::fromLocal8Bit(qemu.readAll());
                qemu.kill();
                qemu.waitForFinished(5000);
            }
        }
        QVERIFY2(port, qPrintable(QStringLiteral("QEMU's VNC display did not listen: %1").arg(qemuOutput)));

        // Its HOME: no libvirt CA there yet.
        const QByteArray home = qgetenv("HOME");
        const auto restoreHome = qScopeGuard([home] { qputenv("HOME", home); });
        qputenv("HOME", QFile::encodeName(dir.path(QStringLiteral("home"))));
        QVERIFY(QDir().mkpath(dir.path(QStringLiteral("home/.pki/CA"))));
        QCOMPARE(VncWorker::tlsFiles().caCert, QFileInfo::exists(QStringLiteral("/etc/pki/CA/cacert.pem")) ? QStringLiteral("/etc/pki/CA/cacert.pem") : QString());

        const QString uri = TestVncServer::writeNodeFile(dir.path(QStringLiteral("tls-host.xml")), port);
        QVERIFY(m_sessions->addConnection(uri));
        const VmKey vm{uri, QLatin1String(TestVncServer::DomainUuid)};
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory.hasVm(vm) && m_inventory.vm(vm).isActive(), 10000);
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(vm);
        display.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.detail().contains(QLatin1String("~/.pki/CA/cacert.pem")), qPrintable(display.detail()), 20000);
        QVERIFY(display.state() != ConsoleState::Connected);
        QVERIFY(!display.encrypted());
        display.stop();

        // Another CA there: the certificate is refused, and the reason names the CA used.
        QVERIFY(dir.makeSelfSigned(QStringLiteral("other"), QStringLiteral("Another CA")));
        QVERIFY(QFile::copy(dir.path(QStringLiteral("other.crt")), dir.path(QStringLiteral("home/.pki/CA/cacert.pem"))));
        const QString ca = dir.path(QStringLiteral("home/.pki/CA/cacert.pem"));
        display.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.detail().contains(QStringLiteral("checked against the CA in %1").arg(ca)),
                                  qPrintable(display.detail()), 20000);
        QVERIFY(display.state() != ConsoleState::Connected);
        display.stop();

        // The host's CA where libvirt's VNC clients look for it: the display opens, encrypted.
        QVERIFY(QFile::remove(ca));
        QVERIFY(QFile::copy(dir.path(QStringLiteral("ca.crt")), ca));
        QCOMPARE(VncWorker::tlsFiles().caCert, ca);
        display.start();
        QTRY_COMPARE_WITH_TIMEOUT(display.state(), ConsoleState::Connected, 20000);
        QVERIFY(display.encrypted());
        QCOMPARE(display.connection(), QStringLiteral("127.0.0.1:%1").arg(port));
        QTRY_VERIFY_WITH_TIMEOUT(!display.frameSize().isEmpty(), 10000);
        display.stop();
        m_sessions->removeConnection(uri);
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_VncSession)
#include "tst_vncsession.moc"
