// ConsoleSession against the demo datacenter (libvirt's test driver, in process): the driver has
// no consoles, and the session says so (announced by stateChanged, off the GUI thread's way);
// a shut-off VM is not opened until it runs; letting go is announced too.
#include "hypervisor/consolesession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigie;

class tst_ConsoleSession : public QObject
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

    void demoHasNoConsole()
    {
        const VmKey vm = vmWhere(true);
        QVERIFY(vm.isValid());
        ConsoleSession console(m_sessions.get(), &m_inventory);
        QSignalSpy states(&console, &ConsoleSession::stateChanged);
        QVERIFY(states.isValid());
        console.setVm(vm);
        console.start();
        QCOMPARE(lastAnnounced(states), ConsoleState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(lastAnnounced(states), ConsoleState::Unsupported, 10000);
        QCOMPARE(console.state(), ConsoleState::Unsupported);
        QVERIFY2(!console.detail().isEmpty(), "libvirt's words are kept for the view");
        QVERIFY(!console.everConnected());
        // Nothing to send to: dropped, not queued.
        console.send("hostname\r");
        console.stop();
        QCOMPARE(lastAnnounced(states), ConsoleState::Closed);
    }

    void shutOffVmWaits()
    {
        const VmKey vm = vmWhere(false);
        QVERIFY(vm.isValid());
        ConsoleSession console(m_sessions.get(), &m_inventory);
        QSignalSpy states(&console, &ConsoleSession::stateChanged);
        console.setVm(vm);
        console.start();
        QCOMPARE(console.state(), ConsoleState::VmNotRunning);
        QCOMPARE(lastAnnounced(states), ConsoleState::VmNotRunning);
        // Another VM lets this one go.
        console.setVm(vmWhere(true));
        QCOMPARE(console.state(), ConsoleState::Closed);
        QCOMPARE(lastAnnounced(states), ConsoleState::Closed);
    }

    void noVmNoConsole()
    {
        ConsoleSession console(m_sessions.get(), &m_inventory);
        QSignalSpy states(&console, &ConsoleSession::stateChanged);
        console.start();
        QCOMPARE(console.state(), ConsoleState::Closed);
        QVERIFY(states.isEmpty());
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleSession)
#include "tst_consolesession.moc"
