// VncSession against the demo datacenter (libvirt's test driver, in process): its domains have no
// graphics, and the session says so plainly; a shut-off VM waits until it runs; nothing is sent
// or typed while not connected; letting go is announced. Then over TCP, against a real VNC server
// (libvncserver, in process) that asks for a password: the display listens where the domain's
// XML says, the test driver cannot hand it over, so the worker connects to the address.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "hypervisor/vncworker.h"
#include "inventory/inventory.h"

#include <QFile>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <rfb/rfb.h>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace Vigie;

namespace {

// A 64x48 VNC server with a password, run by libvncserver's own thread. What the client sends
// (keys, pointer) is recorded.
class PasswordVncServer
{
public:
    static constexpr int Width = 64;
    static constexpr int Height = 48;

    explicit PasswordVncServer(const char *password)
    {
        m_passwords[0] = const_cast<char *>(password);
        m_screen = rfbGetScreen(nullptr, nullptr, Width, Height, 8, 3, 4);
        m_pixels.resize(size_t(Width) * Height);
        const rfbPixelFormat &format = m_screen->serverFormat;
        // One colour, 0x102030, in the server's own pixel layout.
        const quint32 pixel = (0x10u << format.redShift) | (0x20u << format.greenShift) | (0x30u << format.blueShift);
        std::fill(m_pixels.begin(), m_pixels.end(), pixel);
        m_screen->frameBuffer = reinterpret_cast<char *>(m_pixels.data());
        m_screen->authPasswdData = m_passwords;
        m_screen->passwordCheck = rfbCheckPasswordByList;
        m_screen->screenData = this;
        m_screen->kbdAddEvent = [](rfbBool down, rfbKeySym key, rfbClientPtr client) {
            auto *self = static_cast<PasswordVncServer *>(client->screen->screenData);
            const QMutexLocker lock(&self->m_mutex);
            self->m_keys.append({quint32(key), bool(down)});
        };
        m_screen->ptrAddEvent = [](int buttons, int x, int y, rfbClientPtr client) {
            auto *self = static_cast<PasswordVncServer *>(client->screen->screenData);
            const QMutexLocker lock(&self->m_mutex);
            self->m_pointer = QPoint(x, y);
            self->m_buttons = buttons;
        };
        // A free port of the loopback, taken by the server itself.
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost))
            m_port = probe.serverPort();
        probe.close();
        m_screen->port = m_port;
        m_screen->ipv6port = 0;
        m_screen->listenInterface = htonl(INADDR_LOOPBACK);
        m_screen->autoPort = FALSE;
        rfbLogEnable(0);
        rfbInitServer(m_screen);
        rfbRunEventLoop(m_screen, 10000, TRUE);
    }
    ~PasswordVncServer()
    {
        rfbShutdownServer(m_screen, TRUE);
        rfbScreenCleanup(m_screen);
    }
    [[nodiscard]] bool listening() const { return m_screen->listenSock >= 0 && m_port > 0; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QList<QPair<quint32, bool>> keys()
    {
        const QMutexLocker lock(&m_mutex);
        return m_keys;
    }
    [[nodiscard]] QPoint pointer()
    {
        const QMutexLocker lock(&m_mutex);
        return m_pointer;
    }

private:
    rfbScreenInfoPtr m_screen = nullptr;
    std::vector<quint32> m_pixels;
    char *m_passwords[2] = {nullptr, nullptr};
    int m_port = 0;
    QMutex m_mutex;
    QList<QPair<quint32, bool>> m_keys;
    QPoint m_pointer{-1, -1};
    int m_buttons = 0;
};

} // namespace

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

    // A display that asks for a password, over TCP: asked for, a wrong one refused with the
    // server's reason, the right one connects; the frame arrives with the server's pixels, the
    // operator's keys and pointer reach the server.
    void passwordOverTcp()
    {
        PasswordVncServer server("s3cret");
        QVERIFY(server.listening());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString node = dir.filePath(QStringLiteral("vnc-host.xml"));
        QFile file(node);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"(<node>
  <domain type='test'>
    <name>vnc-guest</name>
    <uuid>6e6f6465-0000-4000-8000-00000000f001</uuid>
    <memory>65536</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
    <devices><graphics type='vnc' port='%1' autoport='no' listen='127.0.0.1'/></devices>
  </domain>
</node>)").arg(server.port()).toUtf8());
        file.close();
        const QString uri = QStringLiteral("test://") + node;
        QVERIFY(m_sessions->addConnection(uri));
        const VmKey vm{uri, QStringLiteral("6e6f6465-0000-4000-8000-00000000f001")};
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
        QTRY_COMPARE_WITH_TIMEOUT(display.frameSize(), QSize(PasswordVncServer::Width, PasswordVncServer::Height), 10000);
        const auto *pixels = reinterpret_cast<const quint32 *>(display.framePixels().constData());
        QTRY_COMPARE_WITH_TIMEOUT(pixels[PasswordVncServer::Width * 10 + 10], quint32(0xff102030), 10000);

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

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_VncSession)
#include "tst_vncsession.moc"
