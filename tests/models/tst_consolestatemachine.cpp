// The rules of a VM's serial console session, without libvirt: what each event leads to and
// what the session must do next. Data-driven: a script of events, the state and last action it
// must end with; and libvirt's refusals sorted by their code and words.
#include "hypervisor/consolestatemachine.h"

#include <QTest>

#include <libvirt/virterror.h>

using namespace Vigie;
using Action = ConsoleStateMachine::Action;

Q_DECLARE_METATYPE(Vigie::ConsoleState)
Q_DECLARE_METATYPE(Vigie::ConsoleStateMachine::Action)
Q_DECLARE_METATYPE(Vigie::ConsoleRefusal)

namespace {

// One event of a script: "start" (VM running, host up), "start:off", "start:hostdown", "opened",
// "fail:busy|off|unsupported|nodevice|notready|other", "ended", "due", "vm:on|off", "host:up|down",
// "stop", "retry", "takeover".
Action play(ConsoleStateMachine &machine, const QString &event)
{
    const QString what = event.section(u':', 0, 0);
    const QString arg = event.section(u':', 1);
    if (what == QLatin1String("start"))
        return machine.start(arg != QLatin1String("off"), arg != QLatin1String("hostdown"));
    if (what == QLatin1String("opened"))
        return machine.opened();
    if (what == QLatin1String("fail")) {
        static const QHash<QString, ConsoleRefusal> refusals{
            {QStringLiteral("busy"), ConsoleRefusal::Busy},
            {QStringLiteral("off"), ConsoleRefusal::NotRunning},
            {QStringLiteral("unsupported"), ConsoleRefusal::Unsupported},
            {QStringLiteral("nodevice"), ConsoleRefusal::NoDevice},
            {QStringLiteral("notready"), ConsoleRefusal::NotReady},
            {QStringLiteral("other"), ConsoleRefusal::Other},
        };
        return machine.openFailed(refusals.value(arg, ConsoleRefusal::Other), QStringLiteral("libvirt says %1").arg(arg));
    }
    if (what == QLatin1String("ended"))
        return machine.streamEnded(QStringLiteral("end of stream"));
    if (what == QLatin1String("due"))
        return machine.retryDue();
    if (what == QLatin1String("vm"))
        return machine.vmRunningChanged(arg == QLatin1String("on"));
    if (what == QLatin1String("host"))
        return machine.hostUpChanged(arg == QLatin1String("up"));
    if (what == QLatin1String("stop"))
        return machine.stop();
    if (what == QLatin1String("retry"))
        return machine.retry();
    if (what == QLatin1String("takeover"))
        return machine.takeOver();
    qFatal("unknown event %s", qPrintable(event));
}

} // namespace

class tst_ConsoleStateMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transitions_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<ConsoleState>("state");
        QTest::addColumn<Action>("lastAction");
        QTest::addColumn<bool>("everConnected");

        QTest::newRow("start opens, never forced") << "start" << ConsoleState::Connecting << Action::Open << false;
        QTest::newRow("opened") << "start opened" << ConsoleState::Connected << Action::None << true;
        QTest::newRow("VM off: nothing opened") << "start:off" << ConsoleState::VmNotRunning << Action::Close << false;
        QTest::newRow("host down: nothing opened") << "start:hostdown" << ConsoleState::HostDown << Action::Close << false;
        QTest::newRow("VM starts: opens") << "start:off vm:on" << ConsoleState::Connecting << Action::Open << false;
        QTest::newRow("host back: opens") << "start:hostdown host:up" << ConsoleState::Connecting << Action::Open << false;

        // Another client holds it: the operator is asked, the console never forces by itself.
        QTest::newRow("busy") << "start fail:busy" << ConsoleState::Busy << Action::None << false;
        QTest::newRow("busy: take over forces") << "start fail:busy takeover" << ConsoleState::Connecting
                                                << Action::OpenForced << false;
        QTest::newRow("busy: retry does not force") << "start fail:busy retry" << ConsoleState::Connecting
                                                    << Action::Open << false;
        QTest::newRow("take over only when busy") << "start opened takeover" << ConsoleState::Connected
                                                  << Action::None << true;
        QTest::newRow("taken over") << "start fail:busy takeover opened" << ConsoleState::Connected << Action::None
                                    << true;
        // Forced out by someone else: the plain reopening finds the console busy, and stops there.
        QTest::newRow("forced out: retried plainly") << "start opened ended" << ConsoleState::Reconnecting
                                                     << Action::OpenLater << true;
        QTest::newRow("forced out: retry due") << "start opened ended due" << ConsoleState::Connecting
                                               << Action::Open << true;
        QTest::newRow("forced out: then busy") << "start opened ended due fail:busy" << ConsoleState::Busy
                                               << Action::None << true;
        QTest::newRow("busy VM restarts: reopens") << "start fail:busy vm:off vm:on" << ConsoleState::Connecting
                                                   << Action::Open << false;

        // The VM restarts: the stream ends, the console waits for it and opens the new one.
        QTest::newRow("VM stops: inventory first") << "start opened vm:off ended" << ConsoleState::VmNotRunning
                                                   << Action::Close << true;
        QTest::newRow("VM stops: stream first") << "start opened ended vm:off" << ConsoleState::VmNotRunning
                                                << Action::Close << true;
        QTest::newRow("VM stops: the retry finds it off")
            << "start opened ended due fail:off" << ConsoleState::VmNotRunning << Action::None << true;
        QTest::newRow("VM restarted: reopens") << "start opened ended due fail:off vm:on"
                                               << ConsoleState::Connecting << Action::Open << true;
        QTest::newRow("VM restarted: reconnected") << "start opened vm:off ended vm:on opened"
                                                   << ConsoleState::Connected << Action::None << true;
        QTest::newRow("retry due after stop: nothing") << "start opened ended stop due" << ConsoleState::Closed
                                                       << Action::None << true;

        // Refusals that waiting does not cure say why; the operator may retry.
        QTest::newRow("unsupported (demo)") << "start fail:unsupported" << ConsoleState::Unsupported
                                            << Action::None << false;
        QTest::newRow("unsupported stays on VM restart") << "start fail:unsupported vm:off vm:on"
                                                         << ConsoleState::Unsupported << Action::None << false;
        QTest::newRow("no device") << "start fail:nodevice" << ConsoleState::NoDevice << Action::None << false;
        QTest::newRow("no device: VM restarted (maybe redefined)") << "start fail:nodevice vm:off vm:on"
                                                                  << ConsoleState::Connecting << Action::Open << false;
        QTest::newRow("other failure") << "start fail:other" << ConsoleState::Failed << Action::None << false;
        QTest::newRow("other failure: retry") << "start fail:other retry" << ConsoleState::Connecting
                                              << Action::Open << false;

        // Host lost while connected: closed; reopened when the host is back.
        QTest::newRow("host lost") << "start opened host:down" << ConsoleState::HostDown << Action::Close << true;
        QTest::newRow("host back") << "start opened host:down host:up" << ConsoleState::Connecting << Action::Open
                                   << true;
        QTest::newRow("host back, VM off meanwhile") << "start opened host:down vm:off host:up"
                                                     << ConsoleState::VmNotRunning << Action::Close << true;

        // Answers that come after the operator let go close what they opened.
        QTest::newRow("stop") << "start opened stop" << ConsoleState::Closed << Action::Close << true;
        QTest::newRow("stop twice") << "start opened stop stop" << ConsoleState::Closed << Action::None << true;
        QTest::newRow("opened after stop") << "start stop opened" << ConsoleState::Closed << Action::Close << false;
        QTest::newRow("failure after stop") << "start stop fail:busy" << ConsoleState::Closed << Action::None << false;
        QTest::newRow("opened after VM stopped") << "start vm:off opened" << ConsoleState::VmNotRunning
                                                 << Action::Close << false;
        QTest::newRow("stale end ignored") << "start ended" << ConsoleState::Connecting << Action::None << false;
        QTest::newRow("VM events while connected") << "start opened vm:on vm:on" << ConsoleState::Connected
                                                   << Action::None << true;

        // A stream that keeps ending while the VM runs: a few plain retries, then the operator decides.
        QTest::newRow("retries bounded")
            << "start opened ended due opened ended due opened ended due opened ended due opened ended due opened ended"
            << ConsoleState::Failed << Action::Close << true;
        // Just started, no PTY yet: tried again shortly, then it connects; or, bounded, the operator decides.
        QTest::newRow("PTY not yet assigned: retried") << "start fail:notready" << ConsoleState::Reconnecting
                                                       << Action::OpenLater << false;
        QTest::newRow("PTY not yet assigned: then connected") << "start fail:notready due opened"
                                                              << ConsoleState::Connected << Action::None << true;
        QTest::newRow("PTY never assigned: bounded")
            << "start fail:notready due fail:notready due fail:notready due fail:notready due fail:notready due "
               "fail:notready"
            << ConsoleState::Failed << Action::None << false;
        QTest::newRow("retries counted again after the operator's retry")
            << "start opened ended due opened ended due opened ended due opened ended due opened ended due opened ended "
               "retry opened ended"
            << ConsoleState::Reconnecting << Action::OpenLater << true;
    }

    void transitions()
    {
        QFETCH(QString, script);
        QFETCH(ConsoleState, state);
        QFETCH(Action, lastAction);
        QFETCH(bool, everConnected);

        ConsoleStateMachine machine;
        QCOMPARE(machine.state(), ConsoleState::Closed);
        Action action = Action::None;
        for (const QString &event : script.split(u' ', Qt::SkipEmptyParts))
            action = play(machine, event);
        QCOMPARE(machine.state(), state);
        QCOMPARE(action, lastAction);
        QCOMPARE(machine.everConnected(), everConnected);
    }

    void refusalDetailKept()
    {
        ConsoleStateMachine machine;
        machine.start(true, true);
        machine.openFailed(ConsoleRefusal::Busy, QStringLiteral("Active console session exists for this domain"));
        QCOMPARE(machine.detail(), QStringLiteral("Active console session exists for this domain"));
        machine.takeOver();
        QVERIFY(machine.detail().isEmpty());
    }

    void classify_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<ConsoleRefusal>("refusal");

        // Words of libvirt's qemu and test drivers.
        QTest::newRow("busy") << int(VIR_ERR_OPERATION_FAILED)
                              << "operation failed: Active console session exists for this domain"
                              << ConsoleRefusal::Busy;
        QTest::newRow("PTY not yet assigned") << int(VIR_ERR_OPERATION_FAILED)
                                              << "operation failed: PTY device is not yet assigned"
                                              << ConsoleRefusal::NotReady;
        QTest::newRow("other operation failure") << int(VIR_ERR_OPERATION_FAILED)
                                                 << "operation failed: something else" << ConsoleRefusal::Other;
        QTest::newRow("not running") << int(VIR_ERR_OPERATION_INVALID)
                                     << "Requested operation is not valid: domain is not running"
                                     << ConsoleRefusal::NotRunning;
        QTest::newRow("no console driver") << int(VIR_ERR_NO_SUPPORT)
                                           << "this function is not supported by the connection driver: virDomainOpenConsole"
                                           << ConsoleRefusal::Unsupported;
        QTest::newRow("unsupported operation") << int(VIR_ERR_OPERATION_UNSUPPORTED) << "Operation not supported"
                                               << ConsoleRefusal::Unsupported;
        QTest::newRow("flag unsupported") << int(VIR_ERR_ARGUMENT_UNSUPPORTED) << "unsupported flags (0x2)"
                                          << ConsoleRefusal::Unsupported;
        QTest::newRow("no serial") << int(VIR_ERR_INTERNAL_ERROR)
                                   << "internal error: cannot find character device <null>" << ConsoleRefusal::NoDevice;
        QTest::newRow("file serial") << int(VIR_ERR_INTERNAL_ERROR)
                                     << "internal error: character device serial0 is not using a PTY"
                                     << ConsoleRefusal::NoDevice;
        QTest::newRow("no domain") << int(VIR_ERR_NO_DOMAIN) << "Domain not found" << ConsoleRefusal::Other;
        QTest::newRow("connection broken") << int(VIR_ERR_SYSTEM_ERROR) << "Cannot write data: Broken pipe"
                                           << ConsoleRefusal::Other;
        QTest::newRow("empty") << 0 << "" << ConsoleRefusal::Other;
    }

    void classify()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(ConsoleRefusal, refusal);
        QCOMPARE(ConsoleStateMachine::classifyOpenError(code, message), refusal);
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleStateMachine)
#include "tst_consolestatemachine.moc"
