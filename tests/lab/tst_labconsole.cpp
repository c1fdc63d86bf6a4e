// A lab guest's serial console through Vigie's own code (ConsoleSession on the session manager's
// connection, as the Console tab uses it): a command typed into the guest's shell is answered;
// a second client is refused while the first holds the console, takes it over only when told
// to, and the console follows the VM through a restart. virsh only restarts the guest.
#include "hypervisor/consolesession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "guestshell.h"
#include "labenvironment.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Vigie;
using namespace Vigie::LabTest;

class tst_LabConsole : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    LabHost m_host;
    QString m_guest;
    VmKey m_vm;

    static QString describe(const ConsoleSession &session)
    {
        return QStringLiteral("state %1: %2").arg(int(session.state())).arg(session.detail());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
        QVERIFY(settled.wait(30000));
        for (const LabHost &host : m_lab.hosts())
            QCOMPARE(m_inventory.host(host.uri).state, ConnectionState::Connected);
        // A running guest with a shell, on whichever host it is now.
        const LabEnvironment::RunningGuest guest = m_lab.runningShellGuest(m_inventory);
        m_host = guest.host;
        m_guest = guest.name;
        m_vm = guest.vm;
        QVERIFY2(!m_guest.isEmpty(), "no running lab guest with a kernel");
    }

    void typeAndRead()
    {
        ConsoleSession console(m_sessions.get(), &m_inventory);
        GuestShell shell(&console);
        QSignalSpy states(&console, &ConsoleSession::stateChanged);
        console.setVm(m_vm);
        QElapsedTimer clock;
        clock.start();
        console.start();
        QTRY_VERIFY2_WITH_TIMEOUT(console.state() == ConsoleState::Connected, qPrintable(describe(console)), 20000);
        // What a view follows: the state as announced.
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.last().at(0).value<ConsoleState>(), ConsoleState::Connected);
        qInfo("console of %s open in %lld ms", qPrintable(m_guest), qlonglong(clock.elapsed()));
        clock.restart();
        QVERIFY2(shell.answers("hostname; "), shell.text().constData());
        qInfo("command answered in %lld ms", qlonglong(clock.elapsed()));
        // hostname's answer on a line of its own: the guest's name.
        QVERIFY2(shell.text().contains("\n" + m_guest.toUtf8() + "\r\n"), shell.text().constData());
        console.stop();
        QCOMPARE(console.state(), ConsoleState::Closed);
    }

    void secondClient()
    {
        ConsoleSession first(m_sessions.get(), &m_inventory);
        ConsoleSession second(m_sessions.get(), &m_inventory);
        GuestShell firstShell(&first);
        GuestShell secondShell(&second);
        first.setVm(m_vm);
        second.setVm(m_vm);
        first.start();
        QTRY_VERIFY2_WITH_TIMEOUT(first.state() == ConsoleState::Connected, qPrintable(describe(first)), 20000);

        // Refused, not forced: the operator is asked.
        QSignalSpy secondStates(&second, &ConsoleSession::stateChanged);
        second.start();
        QTRY_VERIFY2_WITH_TIMEOUT(second.state() == ConsoleState::Busy, qPrintable(describe(second)), 20000);
        QCOMPARE(secondStates.last().at(0).value<ConsoleState>(), ConsoleState::Busy);
        QVERIFY2(second.detail().contains(QLatin1String("console session"), Qt::CaseInsensitive),
                 qPrintable(second.detail()));
        QCOMPARE(first.state(), ConsoleState::Connected);
        QVERIFY(firstShell.answers());

        // Taken over on the operator's word: the first client's plain reopening finds it busy.
        second.takeOver();
        QTRY_VERIFY2_WITH_TIMEOUT(second.state() == ConsoleState::Connected, qPrintable(describe(second)), 20000);
        QTRY_VERIFY2_WITH_TIMEOUT(first.state() == ConsoleState::Busy, qPrintable(describe(first)), 20000);
        QVERIFY(secondShell.answers());

        // Let go: the first client's retry gets it back.
        second.stop();
        first.retry();
        QTRY_VERIFY2_WITH_TIMEOUT(first.state() == ConsoleState::Connected, qPrintable(describe(first)), 20000);
        QVERIFY(firstShell.answers());
    }

    void followsRestart()
    {
        ConsoleSession console(m_sessions.get(), &m_inventory);
        GuestShell shell(&console);
        console.setVm(m_vm);
        console.start();
        QTRY_VERIFY2_WITH_TIMEOUT(console.state() == ConsoleState::Connected, qPrintable(describe(console)), 20000);
        const auto running = qScopeGuard([&] { (void)LabEnvironment::virsh(m_host, {QStringLiteral("start"), m_guest}); });

        QElapsedTimer clock;
        clock.start();
        QVERIFY(LabEnvironment::virsh(m_host, {QStringLiteral("destroy"), m_guest}).ok());
        QTRY_VERIFY2_WITH_TIMEOUT(console.state() == ConsoleState::VmNotRunning, qPrintable(describe(console)), 20000);
        qInfo("shown as not running %lld ms after virsh destroy began", qlonglong(clock.elapsed()));
        clock.restart();
        QVERIFY(LabEnvironment::virsh(m_host, {QStringLiteral("start"), m_guest}).ok());
        QTRY_VERIFY2_WITH_TIMEOUT(console.state() == ConsoleState::Connected, qPrintable(describe(console)), 20000);
        qInfo("reconnected %lld ms after virsh start", qlonglong(clock.elapsed()));
        // The new boot's output arrives, then its shell's prompt (what is typed before getty
        // opens the port is flushed), and the shell answers.
        QTRY_VERIFY_WITH_TIMEOUT(shell.text().contains("vigie-guest: " + m_guest.toUtf8() + " up"), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(shell.text().contains(m_guest.toUtf8() + ":~# "), 120000);
        QVERIFY(shell.answers());
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_LabConsole)
#include "tst_labconsole.moc"
