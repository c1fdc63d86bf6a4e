// Vigie as a process started the way the README starts it (scripts/vigie, through scripts/enter
// and its namespaces when the machine needs the environment): SIGTERM, SIGINT and SIGHUP sent to
// the top process make it quit cleanly, settings saved on quit, in the user's own config folder.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

// The processes below PID, itself included, by walking /proc's children lists.
QList<qint64> descendants(qint64 pid)
{
    QList<qint64> result{pid};
    for (qsizetype i = 0; i < result.size(); ++i) {
        QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(result.at(i)));
        if (!children.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &child : children.readAll().split(' ')) {
            if (!child.trimmed().isEmpty())
                result.append(child.trimmed().toLongLong());
        }
    }
    return result;
}

// The "NSpid:" line of a process: its PID in each PID namespace, the innermost last.
QList<qint64> nsPids(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (!line.startsWith("NSpid:"))
            continue;
        QList<qint64> pids;
        for (const QByteArray &field : line.mid(6).simplified().split(' '))
            pids.append(field.toLongLong());
        return pids;
    }
    return {};
}

} // namespace

class TestSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quitsCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void quitsCleanly()
    {
        QFETCH(int, signal);
        // The user's home for this run: the real user's files stay untouched.
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString config = home.filePath(QStringLiteral(".config"));
        const QString settingsFile = config + QStringLiteral("/Vigie/vigie.conf");

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral(".local/share")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("VIGIE_BUILD"), QStringLiteral(VIGIE_BUILD_DIR));
        if (env.contains(QStringLiteral("VIGIE_IN_ENV"))) {
            // ctest runs inside the environment: go through it again, as from the machine itself
            // (scripts/enter's namespaces and chroot, into the tree we are in).
            env.remove(QStringLiteral("VIGIE_IN_ENV"));
            env.insert(QStringLiteral("VIGIE_NATIVE"), QStringLiteral("0"));
            env.insert(QStringLiteral("VIGIE_ENV_DIR"), QStringLiteral("/"));
        }
        QProcess vigie;
        vigie.setProcessEnvironment(env);
        vigie.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        vigie.start(QStringLiteral(VIGIE_SOURCE_DIR "/scripts/vigie"), {QStringLiteral("--demo")});
        QVERIFY(vigie.waitForStarted());
        // A failed check leaves no Vigie behind (a KILL of the top process would orphan the namespace).
        const auto stop = qScopeGuard([&vigie] {
            if (vigie.state() != QProcess::NotRunning) {
                ::kill(pid_t(vigie.processId()), SIGTERM);
                if (!vigie.waitForFinished(15000))
                    vigie.kill();
            }
        });

        // The window writes its metrics interval as it is made; the connections only on quit.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(settingsFile), 60000);
        QVERIFY(!QSettings(settingsFile, QSettings::IniFormat).contains(QStringLiteral("connections/demo")));

        // Vigie itself is not PID 1 of a namespace (where the kernel drops unhandled signals).
        qint64 vigiePid = 0;
        for (qint64 pid : descendants(vigie.processId())) {
            if (QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(pid)).endsWith(QLatin1String("/app/vigie")))
                vigiePid = pid;
        }
        QVERIFY(vigiePid > 0);
        const QList<qint64> pids = nsPids(vigiePid);
        QVERIFY(!pids.isEmpty());
        QVERIFY2(pids.last() != 1, qPrintable(QStringLiteral("vigie is PID 1 of its namespace")));

        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(vigie.processId()), signal), 0);
        QVERIFY(vigie.waitForFinished(5000));
        const qint64 ms = clock.elapsed();
        QStringList nsPidText;
        for (qint64 pid : pids)
            nsPidText.append(QString::number(pid));
        qInfo("%s to exit: %lld ms (vigie's NSpid: %s)", QTest::currentDataTag(), ms, qPrintable(nsPidText.join(u' ')));
        QCOMPARE(vigie.exitStatus(), QProcess::NormalExit);
        QCOMPARE(vigie.exitCode(), 0);

        // Saved on quit, in the user's config folder.
        QSettings saved(settingsFile, QSettings::IniFormat);
        QCOMPARE(saved.value(QStringLiteral("connections/demo")).toBool(), true);
        QVERIFY(!saved.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSignals)
#include "tst_signals.moc"
