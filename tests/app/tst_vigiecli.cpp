// The vigie executable as an operator or a script runs it: --dump-inventory, --version, errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

class TestVigieCli : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    QTemporaryDir m_home; // the user's folders for these runs: the real ones stay untouched

    QProcessEnvironment environment(const QString &labDir = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!labDir.isEmpty())
            env.insert(QStringLiteral("VIGIE_LAB_DIR"), labDir);
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral(".local/share")));
        return env;
    }

    Run run(const QStringList &arguments, const QString &labDir = {}) const
    {
        QProcess process;
        process.setProcessEnvironment(environment(labDir));
        process.start(QStringLiteral(VIGIE_BINARY), arguments);
        Run result;
        if (!process.waitForFinished(60000)) {
            process.kill();
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

private Q_SLOTS:
    void version()
    {
        const Run result = run({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("vigie "));
        QVERIFY(result.out.contains("libvirt"));
    }

    void dumpDemo()
    {
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--dump-inventory"), QStringLiteral("-")});
        QCOMPARE(result.exitCode, 0);
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(result.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(json.value(QLatin1String("hosts")).toArray().size() >= 4);
        QVERIFY(json.value(QLatin1String("vms")).toArray().size() >= 40);
        QVERIFY(json.value(QLatin1String("vlans")).toArray().size() >= 3);
        // The demo's simulated controller, read like a real one: its one real mismatch.
        const QJsonObject controller = json.value(QLatin1String("controller")).toObject();
        QVERIFY(controller.value(QLatin1String("demo")).toBool());
        QVERIFY(controller.value(QLatin1String("synced")).toBool());
        QVERIFY(controller.value(QLatin1String("southboundSynced")).toBool());
        QVERIFY(controller.value(QLatin1String("switches")).toArray().size() >= 6);
        QCOMPARE(controller.value(QLatin1String("mismatches")).toArray().size(), 1);
    }

    void dumpToFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("inventory.json"));
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--dump-inventory"), path});
        QCOMPARE(result.exitCode, 0);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(file.readAll()).object().contains(QLatin1String("vms")));
    }

    // A failing connection: non-zero, with a message naming the URI and libvirt's reason; the
    // inventory of the hosts that did answer is still written.
    void dumpWithFailingConnection()
    {
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--connect"),
                                QStringLiteral("test:///nonexistent/node.xml"), QStringLiteral("--dump-inventory"),
                                QStringLiteral("-")});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("test:///nonexistent/node.xml"), result.err.constData());
        QVERIFY2(result.err.contains("No such file"), result.err.constData());
        QVERIFY(QJsonDocument::fromJson(result.out).object().value(QLatin1String("vms")).toArray().size() >= 40);
    }

    // --lab connects to the hosts scripts/lab up lists in status.json (here test-driver hosts, so
    // no lab is needed; tests/lab runs it against the real one).
    void lab()
    {
        QTemporaryDir dir;
        QFile status(dir.filePath(QStringLiteral("status.json")));
        QVERIFY(status.open(QIODevice::WriteOnly));
        const QJsonObject host{{QStringLiteral("name"), QStringLiteral("lab-hv1")},
                               {QStringLiteral("uri"), QStringLiteral("test:///default")}};
        status.write(QJsonDocument(QJsonObject{{QStringLiteral("hosts"), QJsonArray{host}}}).toJson());
        status.close();
        const Run result = run({QStringLiteral("--lab"), QStringLiteral("--dump-inventory"), QStringLiteral("-")}, dir.path());
        QCOMPARE(result.exitCode, 0);
        const QJsonArray hosts = QJsonDocument::fromJson(result.out).object().value(QLatin1String("hosts")).toArray();
        QCOMPARE(hosts.size(), 1);
        QCOMPARE(hosts.first().toObject().value(QLatin1String("uri")).toString(), QStringLiteral("test:///default"));

        QVERIFY(status.open(QIODevice::WriteOnly | QIODevice::Truncate));
        status.write("{\"hosts\": [");
        status.close();
        const Run broken = run({QStringLiteral("--lab"), QStringLiteral("--dump-inventory"), QStringLiteral("-")}, dir.path());
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains("not valid JSON"), broken.err.constData());

        const Run none = run({QStringLiteral("--lab"), QStringLiteral("--dump-inventory"), QStringLiteral("-")},
                             dir.filePath(QStringLiteral("nowhere")));
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("scripts/lab up"), none.err.constData());
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QByteArray("frobnicate");
        QTest::newRow("dump without hosts") << QStringList{QStringLiteral("--dump-inventory"), QStringLiteral("-")}
                                            << QByteArray("--demo, --lab or --connect");
        QTest::newRow("unknown language") << QStringList{QStringLiteral("--lang"), QStringLiteral("de"),
                                                         QStringLiteral("--demo"), QStringLiteral("--dump-inventory"),
                                                         QStringLiteral("-")}
                                          << QByteArray("de");
        QTest::newRow("bad controller remote") << QStringList{QStringLiteral("--controller"), QStringLiteral("http://nb:6641"),
                                                              QStringLiteral("--demo"), QStringLiteral("--dump-inventory"),
                                                              QStringLiteral("-")}
                                               << QByteArray("http://nb:6641");
        QTest::newRow("migrate without host") << QStringList{QStringLiteral("--demo"), QStringLiteral("--migrate"),
                                                             QStringLiteral("web-front-01"), QStringLiteral("--screenshot"),
                                                             QStringLiteral("/dev/null")}
                                              << QByteArray("VM:HOST");
        QTest::newRow("no window, nothing to do") << QStringList{QStringLiteral("--demo"), QStringLiteral("--no-window")}
                                                  << QByteArray("--no-window needs --migrate");
        QTest::newRow("no window, no host") << QStringList{QStringLiteral("--no-window"), QStringLiteral("--migrate"),
                                                           QStringLiteral("a:b")}
                                            << QByteArray("--demo, --lab or --connect");
        QTest::newRow("bad usage period") << QStringList{QStringLiteral("--demo"), QStringLiteral("--usage-period"),
                                                         QStringLiteral("last-year"), QStringLiteral("--usage-report"),
                                                         QStringLiteral("/dev/null")}
                                          << QByteArray("--usage-period");
        QTest::newRow("migrate an unknown VM") << QStringList{QStringLiteral("--demo"), QStringLiteral("--migrate"),
                                                              QStringLiteral("no-such-vm:par-hv02"), QStringLiteral("--screenshot"),
                                                              QStringLiteral("/dev/null")}
                                               << QByteArray("no VM named no-such-vm");
    }

    void badArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        const Run result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), result.err.constData());
    }

    // --migrate: the picture shows the demo migration under way (its job in the Migrations panel).
    void screenshotDuringMigration()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("migrating.png"));
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--view"), QStringLiteral("topology"),
                                QStringLiteral("--migrate"), QStringLiteral("web-front-01:par-hv03"), QStringLiteral("--screenshot"), path});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(!QImage(path).isNull());
    }

    // --no-window --migrate: the demo's simulated migration, progress on standard error, 0 once
    // the VM runs on its destination; queued after a refused request, which makes the status 1.
    void migrateWithoutWindow()
    {
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--no-window"), QStringLiteral("--migrate"),
                                QStringLiteral("web-front-01:par-hv03")});
        QVERIFY2(result.err.contains("migrating web-front-01 from par-hv01 to par-hv03"), result.err.constData());
        QVERIFY2(result.err.contains("web-front-01 runs on par-hv03"), result.err.constData());
        QCOMPARE(result.exitCode, 0);

        const Run queued = run({QStringLiteral("--demo"), QStringLiteral("--no-window"), QStringLiteral("--migrate"),
                                QStringLiteral("no-such-vm:par-hv02"), QStringLiteral("--migrate"), QStringLiteral("web-front-01:par-hv03"),
                                QStringLiteral("--migrate"), QStringLiteral("web-front-01:par-hv03")});
        QCOMPARE(queued.exitCode, 1);
        QVERIFY2(queued.err.contains("cannot migrate no-such-vm to par-hv02: no VM named no-such-vm"), queued.err.constData());
        QVERIFY2(queued.err.contains("web-front-01 runs on par-hv03"), queued.err.constData());
        // The third, once the second is done: the pre-flight refuses the host it is on.
        QVERIFY2(queued.err.indexOf("cannot migrate web-front-01 to par-hv03") > queued.err.indexOf("web-front-01 runs on par-hv03"),
                 queued.err.constData());
    }

    // With --dump-inventory, the inventory is written after the migrations: the VM on its new host.
    void migrateThenDump()
    {
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--migrate"), QStringLiteral("web-front-01:par-hv03"),
                                QStringLiteral("--dump-inventory"), QStringLiteral("-")});
        QCOMPARE(result.exitCode, 0);
        bool found = false;
        for (const QJsonValue &vm : QJsonDocument::fromJson(result.out).object().value(QLatin1String("vms")).toArray()) {
            if (vm.toObject().value(QLatin1String("name")).toString() == QLatin1String("web-front-01")) {
                found = true;
                QVERIFY2(vm.toObject().value(QLatin1String("host")).toString().contains(QLatin1String("par-hv03")),
                         qPrintable(QJsonDocument(vm.toObject()).toJson()));
            }
        }
        QVERIFY(found);
    }

    // With the window: the migration starts once the hosts are settled, as if dragged (its
    // progress also on standard error); SIGTERM then closes the window cleanly.
    void migrateInWindow()
    {
        QProcess process;
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(VIGIE_BINARY), {QStringLiteral("--demo"), QStringLiteral("--migrate"), QStringLiteral("web-front-01:par-hv03")});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("web-front-01 runs on par-hv03"), 60000);
        QVERIFY(err.contains("migrating web-front-01 from par-hv01 to par-hv03"));
        process.terminate();
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void screenshot()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vigie.png"));
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--screenshot"), path});
        QCOMPARE(result.exitCode, 0);
        QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1200);
    }

    // --usage-report: the demo's previous month as a PDF statement, without clicks; one tenant's.
    void usageReport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("usage.pdf"));
        const Run result = run({QStringLiteral("--demo"), QStringLiteral("--history"), dir.filePath(QStringLiteral("h.sqlite")),
                                QStringLiteral("--usage-period"), QStringLiteral("previous"), QStringLiteral("--tenant"),
                                QStringLiteral("acme-retail"), QStringLiteral("--usage-report"), path});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY2(result.err.contains("(1 tenants, "), result.err.constData());
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QCOMPARE(pdf.read(5), QByteArray("%PDF-"));
    }
};

QTEST_GUILESS_MAIN(TestVigieCli)
#include "tst_vigiecli.moc"
