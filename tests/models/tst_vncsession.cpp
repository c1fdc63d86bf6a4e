// VncSession against the demo datacenter (libvirt's test driver, in process): its domains have no
// graphics, and the session says so plainly; a shut-off VM waits until it runs; nothing is sent
// or typed while not connected; letting go is announced.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "hypervisor/vncworker.h"
#include "inventory/inventory.h"

#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace Vigie;

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

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_VncSession)
#include "tst_vncsession.moc"
