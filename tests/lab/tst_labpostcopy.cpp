// Post-copy through Vigie's own code between two lab hosts, and its recovery: a guest switches
// over to the destination, then the migration network between the two hosts is cut (the
// destination's lab link down, scripts/lab link). Vigie must end the job "post-copy failed",
// list the VM once with both halves where virsh says they are (source paused, destination
// stalled, both "post-copy failed"), refuse the lifecycle actions and a new migration; once the
// link is back, the jobs panel's Resume (MigrationController::resume) completes the migration:
// the VM runs on the destination only and its guest answers on its serial console.
//
// The guest is the test's own: a copy of web-1 without NIC, display or balloon. With an emulated
// NIC (no vhost under TCG) QEMU's main loop writes received packets into guest memory; once
// post-copy has failed, the first such write to a page still on the source blocks the main loop
// for good, and with it the monitor libvirt's resume needs (seen here: the destination QEMU's
// main thread in handle_userfault, virsh's resume waiting for ever).
#include "hypervisor/consolesession.h"
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "guestshell.h"
#include "labenvironment.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QFile>
#include <QTest>

#include <memory>

using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

const QString Guest = QStringLiteral("pc-1");
const QString GuestUuid = QStringLiteral("5a1ad0ff-0001-4000-8000-000000000000");

} // namespace

class tst_LabPostCopy : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;
    LabHost m_source;
    LabHost m_dest;

    static QString domstate(const LabHost &host)
    {
        const LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("domstate"), QStringLiteral("--reason"), Guest});
        return r.ok() ? r.out.trimmed() : QStringLiteral("absent");
    }

    static bool link(const LabHost &host, const QString &state)
    {
        const LabEnvironment::Result r = LabEnvironment::lab({QStringLiteral("link"), host.name, state});
        if (!r.ok())
            qWarning("scripts/lab link %s %s: %s", qPrintable(host.name), qPrintable(state), qPrintable(r.err));
        return r.ok();
    }

    static bool daemonAlive(const LabHost &host)
    {
        return LabEnvironment::lab({QStringLiteral("exec"), host.name, QStringLiteral("sh"), QStringLiteral("-c"),
                                    QStringLiteral("kill -0 \"$(cat /run/libvirtd.pid)\"")})
            .ok();
    }

    // Types a line into the guest's serial console on HOST and waits for the shell's answer
    // (computed by the guest, so the echo of what was typed cannot pass for it).
    // PREFIX, when given, is typed first on the same line (a command for the guest's shell).
    bool guestAnswers(const VmKey &vm, const QByteArray &prefix = {})
    {
        ConsoleSession console(m_sessions.get(), m_inventory.get());
        GuestShell shell(&console);
        console.setVm(vm);
        console.start();
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 20000 && console.state() != ConsoleState::Connected)
            QTest::qWait(50);
        if (console.state() != ConsoleState::Connected) {
            qWarning("console of %s: %s", qPrintable(Guest), qPrintable(console.detail()));
            return false;
        }
        const bool answered = shell.answers(prefix, int(120000 - clock.elapsed()));
        console.stop();
        return answered;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_lab.hosts().size() >= 2);
        m_source = m_lab.hosts().at(0);
        m_dest = m_lab.hosts().at(1);
        // The test's guest, made from web-1's definition (its kernel, initramfs and shell), wherever
        // web-1 is now: no NIC, display or balloon (see the top of this file).
        QString xml;
        for (const LabHost &host : m_lab.hosts()) {
            const LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("dumpxml"), QStringLiteral("--inactive"), QStringLiteral("web-1")});
            if (r.ok())
                xml = r.out;
        }
        QVERIFY2(!xml.isEmpty(), "web-1 is on no lab host");
        const auto drop = [&xml](const QString &pattern) {
            xml.remove(QRegularExpression(pattern, QRegularExpression::DotMatchesEverythingOption));
        };
        drop(QStringLiteral("<interface .*?</interface>\\s*"));
        drop(QStringLiteral("<graphics .*?</graphics>\\s*"));
        drop(QStringLiteral("<video>.*?</video>\\s*"));
        drop(QStringLiteral("<memballoon .*?</memballoon>\\s*"));
        xml.replace(QRegularExpression(QStringLiteral("<uuid>.*?</uuid>")), QStringLiteral("<uuid>%1</uuid>").arg(GuestUuid));
        xml.replace(QStringLiteral("<name>web-1</name>"), QStringLiteral("<name>%1</name>").arg(Guest));
        xml.replace(QStringLiteral("vigie.name=web-1"), QStringLiteral("vigie.name=%1").arg(Guest));
        xml.replace(QStringLiteral("web-1-console.log"), Guest + QStringLiteral("-console.log"));
        xml.replace(QStringLiteral("</devices>"), QStringLiteral("<memballoon model='none'/></devices>"));
        // In the lab's directory: virsh may run in Vigie's environment, which sees it too.
        QFile file(m_lab.directory() + QStringLiteral("/%1.xml").arg(Guest));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(xml.toUtf8());
        file.close();
        for (const LabHost &host : m_lab.hosts()) { // a leftover of an earlier run
            (void)LabEnvironment::virsh(host, {QStringLiteral("destroy"), Guest});
            (void)LabEnvironment::virsh(host, {QStringLiteral("undefine"), Guest});
        }
        LabEnvironment::Result r = LabEnvironment::virsh(m_source, {QStringLiteral("define"), file.fileName()});
        QVERIFY2(r.ok(), qPrintable(r.err));
        r = LabEnvironment::virsh(m_source, {QStringLiteral("start"), Guest});
        QVERIFY2(r.ok(), qPrintable(r.err));
        // A datacentre notices a dead migration peer within seconds; Linux's default (15
        // retransmissions) takes about 15 minutes. Set in the two hosts' own network namespaces.
        for (const LabHost &host : {m_source, m_dest}) {
            r = LabEnvironment::lab({QStringLiteral("exec"), host.name, QStringLiteral("sysctl"), QStringLiteral("-qw"),
                                     QStringLiteral("net.ipv4.tcp_retries2=3")});
            QVERIFY2(r.ok(), qPrintable(r.err));
        }

        m_inventory = std::make_unique<Inventory>();
        m_sessions = std::make_unique<SessionManager>(m_inventory.get());
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), m_inventory.get());
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory->hasVm({m_source.uri, GuestUuid})
                                     && m_inventory->vm({m_source.uri, GuestUuid}).state == VmState::Running,
                                 30000);
        // Busy enough: 24 MiB of its memory rewritten again and again, so that much is left to
        // move after the first pass (the switchover) and post-copy lasts.
        QVERIFY2(guestAnswers({m_source.uri, GuestUuid},
                              "(while :; do dd if=/dev/urandom of=/tmp/dirty bs=1M count=24 2>/dev/null; done) & "),
                 "the guest did not answer on its console after booting");
    }

    void failureAfterSwitchoverThenResume()
    {
        const VmKey vm{m_source.uri, GuestUuid};
        MigrationOptions options;
        options.postCopy = true;
        options.autoConverge = false;
        options.bandwidthMiBs = 1; // before and after the switchover: tens of seconds of post-copy
        QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
        QSignalSpy events(m_sessions.get(), &SessionManager::eventRecorded);
        QString error;
        QElapsedTimer clock;
        clock.start();
        const QString id = m_migrations->start(vm, m_dest.uri, options, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        // Whatever fails below, the link comes back: other lab tests share the lab.
        auto restore = qScopeGuard([this] { link(m_dest, QStringLiteral("up")); });

        QTRY_COMPARE_WITH_TIMEOUT(m_migrations->job(id).phase, MigrationPhase::PostCopy, 120000);
        const qint64 switchoverMs = clock.elapsed();
        // Cut at once: a small guest's post-copy may otherwise complete first (run 2 here).
        QVERIFY(link(m_dest, QStringLiteral("down")));
        clock.restart();
        QVERIFY(!m_migrations->job(id).cancellable());
        // Cancel after the switchover does nothing: the job carries on.
        m_migrations->cancel(id);
        QVERIFY(finished.isEmpty());
        QCOMPARE(domstate(m_source).left(18), QStringLiteral("paused (post-copy)"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        const qint64 noticedMs = clock.elapsed();
        MigrationProgress failed = finished.first().first().value<MigrationProgress>();
        QVERIFY2(failed.phase == MigrationPhase::PostCopyFailed,
                 qPrintable(migrationPhaseName(failed.phase) + QStringLiteral(": ") + failed.message));
        QVERIFY(failed.resumable());
        qInfo("switchover %.1f s after the start; failure noticed %.1f s after the cut: %s", double(switchoverMs) / 1000.0,
              double(noticedMs) / 1000.0, qPrintable(failed.message));
        // virsh: paused on the source, stalled on the destination, both "post-copy failed".
        QCOMPARE(domstate(m_source), QStringLiteral("paused (post-copy failed)"));
        QCOMPARE(domstate(m_dest), QStringLiteral("running (post-copy failed)"));
        // Vigie: one VM, on its source, paused by the failed post-copy, the other half known.
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory->findVm(vm) && vmPostCopyFailed(m_inventory->vm(vm)), 10000);
        QCOMPARE(m_inventory->vm(vm).state, VmState::Paused);
        QVERIFY(m_inventory->vm(vm).pausedByMigration);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->incomingHostOf(GuestUuid), m_dest.uri, 10000);
        QVERIFY(!m_inventory->hasVm({m_dest.uri, GuestUuid}));
        QCOMPARE(m_migrations->postCopyFailedJob(GuestUuid), id);
        bool said = false;
        for (const QList<QVariant> &e : std::as_const(events)) {
            const EventRecord record = e.first().value<EventRecord>();
            said = said || (record.severity == EventRecord::Severity::Error && record.result.contains(QLatin1String("post-copy failed")));
        }
        QVERIFY(said);
        // Neither a destroy nor a new migration: refused at once, said why.
        events.clear();
        m_sessions->runAction({vm}, VmAction::ForceOff);
        QCOMPARE(events.size(), 1);
        QVERIFY(events.first().first().value<EventRecord>().result.startsWith(QLatin1String("Refused")));
        QVERIFY(m_migrations->start(vm, m_lab.hosts().value(2, m_dest).uri, {}, &error).isEmpty());
        QVERIFY(error.contains(QLatin1String("resume")));
        QCOMPARE(domstate(m_source), QStringLiteral("paused (post-copy failed)"));

        // The link back; Resume, as the jobs panel's button does it.
        QVERIFY(link(m_dest, QStringLiteral("up")));
        restore.dismiss();
        clock.restart();
        QSignalSpy resumed(m_migrations.get(), &MigrationController::jobResumed);
        QVERIFY2(m_migrations->resume(id, &error), qPrintable(error));
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(m_migrations->job(id).phase, MigrationPhase::PostCopy);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 180000);
        const MigrationProgress done = finished.last().first().value<MigrationProgress>();
        if (done.phase == MigrationPhase::PostCopyFailed && !daemonAlive(m_dest)) {
            // Seen with Debian 13's libvirt 11.3.0: the destination's libvirtd dies (SIGSEGV in
            // qemuProcessIncomingDefNew, called by the Prepare phase of every post-copy resume,
            // virsh's too). Vigie's part held: the job is "post-copy failed" again, still
            // resumable. The rest cannot be checked here: said, not passed.
            QVERIFY(m_migrations->job(id).resumable());
            QCOMPARE(domstate(m_source), QStringLiteral("paused (post-copy failed)"));
            QSKIP(qPrintable(QStringLiteral("the destination's libvirtd died during the resume (%1); this libvirt cannot "
                                            "resume a post-copy migration")
                                 .arg(done.message)));
        }
        QVERIFY2(done.phase == MigrationPhase::Completed, qPrintable(migrationPhaseName(done.phase) + QStringLiteral(": ") + done.message));
        qInfo("resumed to completion in %.1f s", double(clock.elapsed()) / 1000.0);

        // virsh: running on the destination only; Vigie: the VM there, once, running.
        QTRY_COMPARE_WITH_TIMEOUT(domstate(m_dest), QStringLiteral("running (migrated)"), 10000);
        QCOMPARE(domstate(m_source), QStringLiteral("absent"));
        const VmKey moved{m_dest.uri, GuestUuid};
        QTRY_VERIFY_WITH_TIMEOUT(!m_inventory->hasVm(vm) && m_inventory->hasVm(moved), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(moved).state, VmState::Running, 10000);
        QVERIFY(!vmInPostCopy(m_inventory->vm(moved)));
        QVERIFY2(guestAnswers(moved), "the guest does not answer on the destination");
    }

    void cleanupTestCase()
    {
        if (!m_lab.isValid())
            return;
        link(m_dest, QStringLiteral("up"));
        m_migrations.reset();
        m_sessions.reset();
        m_inventory.reset();
        for (const LabHost &host : m_lab.hosts()) {
            if (!daemonAlive(host)) // the next lab tests need it
                (void)LabEnvironment::lab({QStringLiteral("daemon"), host.name, QStringLiteral("libvirtd"), QStringLiteral("start")});
            (void)LabEnvironment::virsh(host, {QStringLiteral("destroy"), Guest});
            (void)LabEnvironment::virsh(host, {QStringLiteral("undefine"), Guest});
            (void)LabEnvironment::lab({QStringLiteral("exec"), host.name, QStringLiteral("sysctl"), QStringLiteral("-qw"),
                                       QStringLiteral("net.ipv4.tcp_retries2=15")});
        }
    }
};

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    tst_LabPostCopy test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_labpostcopy.moc"
