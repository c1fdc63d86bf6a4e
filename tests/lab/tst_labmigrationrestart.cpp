// The console killed in the middle of a migration (issue 16): vigie --lab --no-window --migrate
// started with a bandwidth low enough for the migration to last about a minute, kill -9 when
// libvirt's job is about 30 % through, then a console opened again on the lab. What libvirt does
// decides what the console must show, so both of Vigie's ways of migrating are run:
// - managed (Vigie's default, the client drives the phases): the destination's paused copy
//   belongs to the dead client's connection and its daemon destroys it; the source's QEMU loses
//   its peer and the VM goes on running there. The console lists it once, on its source, and
//   says the migration was interrupted (from the journal the killed run left).
// - peer-to-peer (the source's daemon drives it): the job goes on without its client. The console
//   lists the VM once (on its source, migrating; the destination's paused copy is not a second
//   VM), follows the job again with progress that advances, and sees it complete: the VM then
//   runs on the destination only, per virsh.
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationjournal.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Vigie;
using namespace Vigie::LabTest;

class TestLabMigrationRestart : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    QTemporaryDir m_home; // the killed console's settings, and the journal it leaves there
    const QString m_vm = QStringLiteral("web-1"); // 80 MiB: about a minute at 1 MiB/s
    QString m_source;
    QString m_dest;

    // The console opened again: its own inventory, sessions and migrations, reading the journal.
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;

    QString settingsFile() const { return m_home.filePath(QStringLiteral("config/Vigie/vigie.conf")); }

    // Where virsh says the VM is: host name -> domstate ("running", "paused", ...).
    QHash<QString, QString> virshStates() const
    {
        QHash<QString, QString> states;
        for (const LabHost &host : m_lab.hosts()) {
            const LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("domstate"), m_vm});
            if (r.ok())
                states.insert(host.name, r.out.trimmed());
        }
        return states;
    }

    // libvirt's job on the source, in percent of the data known (-1: no job).
    double jobPercent(const QString &host) const
    {
        const LabEnvironment::Result r =
            LabEnvironment::virsh(m_lab.host(host), {QStringLiteral("domjobinfo"), m_vm, QStringLiteral("--rawstats")});
        double processed = -1;
        double remaining = -1;
        for (const QString &line : r.out.split(u'\n')) {
            if (line.startsWith(QLatin1String("data_processed: ")))
                processed = line.section(u' ', 1).toDouble();
            else if (line.startsWith(QLatin1String("data_remaining: ")))
                remaining = line.section(u' ', 1).toDouble();
        }
        return processed < 0 || remaining < 0 || processed + remaining <= 0 ? -1 : 100.0 * processed / (processed + remaining);
    }

    // vigie --no-window --migrate VM:DEST with the options saved in its settings, killed (SIGKILL)
    // once libvirt's job is 30 % through. Returns the percent it was killed at.
    double migrateAndKill(bool peerToPeer)
    {
        {
            QSettings settings(settingsFile(), QSettings::IniFormat);
            MigrationOptions options;
            options.bandwidthMiBs = 1;
            options.autoConverge = false;
            // The guest dirties about 1.3 MB/s: at 1 MiB/s the last pass never fits libvirt's
            // default downtime, and the migration would go on for ever. Set by the console on
            // the job as it starts, so it holds after the console is gone.
            options.maxDowntimeMs = 5000;
            options.peerToPeer = peerToPeer;
            MigrationOptions::save(settings, options);
        }
        QProcess vigie;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        vigie.setProcessEnvironment(env);
        vigie.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        vigie.start(QStringLiteral(VIGIE_BINARY), {QStringLiteral("--lab"), QStringLiteral("--no-window"),
                                                    QStringLiteral("--migrate"), m_vm + u':' + m_dest});
        if (!vigie.waitForStarted(10000))
            return -1;
        double percent = -1;
        const QDeadlineTimer deadline(120000);
        while (!deadline.hasExpired() && vigie.state() == QProcess::Running) {
            percent = jobPercent(m_source);
            if (percent >= 30)
                break;
            QTest::qWait(300);
        }
        const bool running = vigie.state() == QProcess::Running;
        vigie.kill();
        vigie.waitForFinished(10000);
        qInfo("vigie killed with the job at %.1f %%", percent);
        return running ? percent : -1;
    }

    void openConsole()
    {
        m_migrations.reset();
        m_sessions.reset();
        m_inventory = std::make_unique<Inventory>();
        m_sessions = std::make_unique<SessionManager>(m_inventory.get());
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), m_inventory.get());
        m_migrations->setJournal(std::make_unique<MigrationJournal>(settingsFile()));
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
    }

    [[nodiscard]] bool connected() const
    {
        for (const LabHost &host : m_lab.hosts()) {
            if (m_inventory->host(host.uri).state != ConnectionState::Connected)
                return false;
        }
        return true;
    }

    // The VM as the console lists it: the hosts it is listed on (by name).
    QStringList listedOn() const
    {
        QStringList hosts;
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (m_inventory->vm(key).name == m_vm)
                hosts.append(m_inventory->host(key.hostUri).displayName);
        }
        return hosts;
    }

    [[nodiscard]] MigrationProgress jobOfVm() const
    {
        MigrationProgress found;
        for (const MigrationProgress &p : m_migrations->jobs()) {
            if (p.vmName == m_vm)
                found = p;
        }
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_lab.hosts().size() >= 2);
        QVERIFY(m_home.isValid());
        const QHash<QString, QString> states = virshStates();
        QCOMPARE(states.size(), 1);
        m_source = states.keys().first();
        QCOMPARE(states.value(m_source), QStringLiteral("running"));
        for (const LabHost &host : m_lab.hosts()) {
            if (host.name != m_source && m_dest.isEmpty())
                m_dest = host.name;
        }
    }

    void managedMigrationEndsWithItsClient()
    {
        const double killedAt = migrateAndKill(false);
        QVERIFY2(killedAt >= 30 && killedAt < 100, "the migration was not caught running");
        // libvirt: the destination's copy goes with the dead client's connection, the job with it.
        QTRY_COMPARE_WITH_TIMEOUT(virshStates(), (QHash<QString, QString>{{m_source, QStringLiteral("running")}}), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(jobPercent(m_source), -1.0, 30000);

        openConsole();
        QTRY_VERIFY_WITH_TIMEOUT(connected(), 30000);
        QCOMPARE(listedOn(), QStringList{m_source});
        // Said from the journal the killed run left: interrupted, and where the VM is.
        QTRY_VERIFY_WITH_TIMEOUT(migrationPhaseIsFinal(jobOfVm().phase) && jobOfVm().vmName == m_vm, 10000);
        const MigrationProgress job = jobOfVm();
        QVERIFY(job.adopted);
        QCOMPARE(job.phase, MigrationPhase::Failed);
        QVERIFY2(job.message.contains(QStringLiteral("interrupted")), qPrintable(job.message));
        QVERIFY2(job.message.contains(QStringLiteral("keeps running on ") + m_source), qPrintable(job.message));
        QVERIFY(MigrationJournal(settingsFile()).entries().isEmpty());
        QCOMPARE(m_migrations->jobs().size(), 1);
    }

    void peerToPeerMigrationGoesOnAndIsFollowedAgain()
    {
        const double killedAt = migrateAndKill(true);
        QVERIFY2(killedAt >= 30 && killedAt < 100, "the migration was not caught running");
        // libvirt: the source's daemon carries on without its client; the destination holds a
        // paused copy meanwhile.
        QTRY_VERIFY_WITH_TIMEOUT(jobPercent(m_source) > killedAt, 20000);
        QCOMPARE(virshStates().value(m_dest), QStringLiteral("paused"));

        openConsole();
        QTRY_VERIFY_WITH_TIMEOUT(connected(), 30000);
        // Once, on its source, migrating; the destination's paused copy is known, not listed.
        QCOMPARE(listedOn(), QStringList{m_source});
        VmKey key;
        for (const VmKey &k : m_inventory->vmKeys()) {
            if (m_inventory->vm(k).name == m_vm)
                key = k;
        }
        QCOMPARE(m_inventory->vm(key).migration, VmMigration::Outgoing);
        QCOMPARE(m_inventory->incomingHostOf(key.uuid), m_lab.host(m_dest).uri);
        // Followed again: an adopted job, its progress advancing.
        QTRY_VERIFY_WITH_TIMEOUT(jobOfVm().phase == MigrationPhase::Running && jobOfVm().percent > 0, 10000);
        const MigrationProgress first = jobOfVm();
        QVERIFY(first.adopted);
        QCOMPARE(first.destUri, m_lab.host(m_dest).uri);
        QVERIFY2(first.percent >= killedAt, qPrintable(QString::number(first.percent)));
        QTRY_VERIFY_WITH_TIMEOUT(jobOfVm().percent >= first.percent + 5 || jobOfVm().phase == MigrationPhase::Completed, 60000);
        QCOMPARE(listedOn(), QStringList{m_source}); // still once while it runs

        QTRY_VERIFY_WITH_TIMEOUT(migrationPhaseIsFinal(jobOfVm().phase), 180000);
        QVERIFY2(jobOfVm().phase == MigrationPhase::Completed, qPrintable(jobOfVm().message));
        QCOMPARE(jobOfVm().percent, 100.0);
        // libvirt: on the destination only (the default options undefine it on the source).
        QCOMPARE(virshStates(), (QHash<QString, QString>{{m_dest, QStringLiteral("running")}}));
        QTRY_COMPARE_WITH_TIMEOUT(listedOn(), QStringList{m_dest}, 30000);
        QVERIFY(MigrationJournal(settingsFile()).entries().isEmpty());
    }

    // Back where the lab put it, for the tests after this one.
    void cleanupTestCase()
    {
        if (!m_migrations || virshStates().value(m_source) == QLatin1String("running"))
            return;
        VmKey key;
        for (const VmKey &k : m_inventory->vmKeysOfHost(m_lab.host(m_dest).uri)) {
            if (m_inventory->vm(k).name == m_vm)
                key = k;
        }
        QString error;
        const QString id = m_migrations->start(key, m_lab.host(m_source).uri, {}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(migrationPhaseIsFinal(m_migrations->job(id).phase), 120000);
        QCOMPARE(virshStates(), (QHash<QString, QString>{{m_source, QStringLiteral("running")}}));
        m_migrations.reset();
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(TestLabMigrationRestart)
#include "tst_labmigrationrestart.moc"
