// vigie --lab --no-window --migrate VM:HOST against the lab's real hosts: the migration a drag
// would start, from the command line and without a window. virsh, not Vigie, says where the VM
// runs afterwards; refusals exit non-zero with their reason.
#include "labenvironment.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie::LabTest;

class TestLabMigrateCli : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    QTemporaryDir m_home; // Vigie's settings for these runs: the default migration options

    // The host whose daemon runs VM, per virsh.
    QString runningOn(const QString &vm) const
    {
        for (const LabHost &host : m_lab.hosts()) {
            const LabEnvironment::Result state = LabEnvironment::virsh(host, {QStringLiteral("domstate"), vm});
            if (state.ok() && state.out.trimmed() == QLatin1String("running"))
                return host.name;
        }
        return {};
    }

    LabEnvironment::Result vigie(const QStringList &migrations) const
    {
        QStringList args{QStringLiteral("--lab"), QStringLiteral("--no-window")};
        for (const QString &migration : migrations)
            args << QStringLiteral("--migrate") << migration;
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
        const LabEnvironment::Result result = LabEnvironment::run(QStringLiteral(VIGIE_BINARY), args, 240000);
        qInfo().noquote() << "vigie" << args.join(u' ') << "->" << result.exitCode << "\n" << result.err.trimmed();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_lab.hosts().size() >= 2);
        QVERIFY(m_home.isValid());
    }

    void migratesWithoutWindow()
    {
        const QString from = runningOn(QStringLiteral("tiny-1"));
        QVERIFY2(!from.isEmpty(), "tiny-1 runs nowhere");
        QString to;
        for (const LabHost &host : m_lab.hosts()) {
            if (host.name != from && to.isEmpty())
                to = host.name;
        }
        const LabEnvironment::Result result = vigie({QStringLiteral("tiny-1:") + to});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains(QStringLiteral("tiny-1 runs on ") + to), qPrintable(result.err));
        // Its domain carries Nova's metadata: the owner is named, as the window's dialog names it.
        QVERIFY2(result.err.contains(QStringLiteral("vigie: warning: tiny-1 is managed by OpenStack Nova")), qPrintable(result.err));
        QCOMPARE(runningOn(QStringLiteral("tiny-1")), to);
        // Moved, not copied: the source no longer has it (the default options undefine it there).
        QVERIFY(!LabEnvironment::virsh(m_lab.host(from), {QStringLiteral("domstate"), QStringLiteral("tiny-1")}).ok());
    }

    void refusals()
    {
        const QString at = runningOn(QStringLiteral("tiny-1"));
        QVERIFY(!at.isEmpty());
        const LabEnvironment::Result unknown = vigie({QStringLiteral("tiny-1:no-such-host")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QStringLiteral("no host named no-such-host")), qPrintable(unknown.err));
        // The pre-flight's own refusal, as a drag onto its own host would get.
        const LabEnvironment::Result same = vigie({QStringLiteral("tiny-1:") + at});
        QCOMPARE(same.exitCode, 1);
        QVERIFY2(same.err.contains(QStringLiteral("cannot migrate tiny-1 to ") + at), qPrintable(same.err));
        QCOMPARE(runningOn(QStringLiteral("tiny-1")), at);
    }

    // Several --migrate run one after another; a refused one does not stop the next, but the exit
    // status says something was refused. tiny-1 goes back where the lab put it.
    void queued()
    {
        const QString at = runningOn(QStringLiteral("tiny-1"));
        QVERIFY(!at.isEmpty());
        QString home;
        for (const LabGuest &guest : m_lab.guests()) {
            if (guest.name == QLatin1String("tiny-1"))
                home = guest.host;
        }
        // Through a third host and back home (with two hosts: home, then back here).
        QString first;
        for (const LabHost &host : m_lab.hosts()) {
            if (host.name != at && host.name != home && first.isEmpty())
                first = host.name;
        }
        QString back = home;
        if (first.isEmpty() || home.isEmpty() || home == at) {
            first = home.isEmpty() || home == at ? QString() : home;
            for (const LabHost &host : m_lab.hosts()) {
                if (host.name != at && first.isEmpty())
                    first = host.name;
            }
            back = at;
        }
        const LabEnvironment::Result result =
            vigie({QStringLiteral("no-such-vm:") + first, QStringLiteral("tiny-1:") + first, QStringLiteral("tiny-1:") + back});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("no VM named no-such-vm")), qPrintable(result.err));
        const qsizetype there = result.err.indexOf(QStringLiteral("tiny-1 runs on ") + first);
        const qsizetype returned = result.err.indexOf(QStringLiteral("tiny-1 runs on ") + back);
        QVERIFY2(there >= 0 && returned > there, qPrintable(result.err));
        QCOMPARE(runningOn(QStringLiteral("tiny-1")), back);
    }
};

QTEST_GUILESS_MAIN(TestLabMigrateCli)
#include "tst_labmigratecli.moc"
