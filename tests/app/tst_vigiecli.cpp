// The vigie executable as an operator or a script runs it: --dump-inventory, --version, errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

    static Run run(const QStringList &arguments, const QString &labDir = {})
    {
        QProcess process;
        if (!labDir.isEmpty()) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("VIGIE_LAB_DIR"), labDir);
            process.setProcessEnvironment(env);
        }
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
};

QTEST_GUILESS_MAIN(TestVigieCli)
#include "tst_vigiecli.moc"
