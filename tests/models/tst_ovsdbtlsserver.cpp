#include "network/ovsdbclient.h"
#include "testcertificates.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;
using Vigie::Test::TestCertificates;

// ssl: remotes against a real ovsdb-server (Open vSwitch's TLS, which asks every client for a
// certificate), with a CA and certificates made by openssl(1) for the run: a good certificate
// synchronises; an unknown CA, an expired certificate, a host name the certificate does not name,
// and a client certificate the server does not accept are each refused with a message that says
// which check failed, naming the certificate by subject and SHA-256 fingerprint. Nothing is ever
// tried without TLS.
class tst_OvsdbTlsServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void goodCertificateSynchronises();
    void serverCertificateRefused_data();
    void serverCertificateRefused();
    void clientCertificateRefusedByServer();

private:
    void startServer(const QString &certificate, const QString &caOfClients);
    [[nodiscard]] QString path(const QString &file) const { return m_certificates.path(file); }
    [[nodiscard]] OvsdbSslSettings clientSettings() const
    {
        return {path(u"ca.crt"_s), path(u"client.crt"_s), path(u"client.key"_s), {}};
    }
    [[nodiscard]] static QString fingerprintOf(const QString &file)
    {
        const QSslCertificate certificate = QSslCertificate::fromPath(file).value(0);
        return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')).toUpper();
    }

    TestCertificates m_certificates; // and the database
    std::unique_ptr<QProcess> m_server;
    quint16 m_port = 0;
};

void tst_OvsdbTlsServer::initTestCase()
{
    QVERIFY(m_certificates.isValid());
    const QString schema = u"/usr/share/ovn/ovn-nb.ovsschema"_s;
    for (const QString &tool : {u"openssl"_s, u"ovsdb-server"_s, u"ovsdb-tool"_s}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            QSKIP(qPrintable(tool + u" is needed (Debian: openssl, openvswitch-common)"_s));
    }
    if (!QFile::exists(schema))
        QSKIP("the OVN northbound schema is needed (Debian: ovn-common)");
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");

    QVERIFY(m_certificates.makeSelfSigned(u"ca"_s, u"Vigie Lab CA"_s));
    QVERIFY(m_certificates.makeSelfSigned(u"rogue-ca"_s, u"Rogue CA"_s));
    const auto make = [this](const QString &name, const QString &subject, const QString &ca, const QString &san,
                             TestCertificates::Validity validity = TestCertificates::Validity::TwoDays) {
        return m_certificates.makeSigned(name, subject, ca, {u"subjectAltName="_s + san}, validity);
    };
    QVERIFY(make(u"server"_s, u"nb.lab"_s, u"ca"_s, u"IP:127.0.0.1"_s));
    QVERIFY(make(u"client"_s, u"vigie-console"_s, u"ca"_s, u"DNS:vigie-console"_s));
    QVERIFY(make(u"rogue"_s, u"nb.rogue"_s, u"rogue-ca"_s, u"IP:127.0.0.1"_s));
    QVERIFY(make(u"expired"_s, u"nb.expired"_s, u"ca"_s, u"IP:127.0.0.1"_s, TestCertificates::Validity::Expired));
    QVERIFY(make(u"elsewhere"_s, u"nb.elsewhere"_s, u"ca"_s, u"DNS:nb.elsewhere.example"_s));

    QProcess tool;
    tool.start(u"ovsdb-tool"_s, {u"create"_s, path(u"nb.db"_s), schema});
    QVERIFY(tool.waitForFinished(30000));
    QCOMPARE(tool.exitCode(), 0);
}

void tst_OvsdbTlsServer::cleanup()
{
    if (m_server) {
        m_server->kill();
        m_server->waitForFinished(5000);
        m_server.reset();
    }
}

// ovsdb-server listening with TLS on 127.0.0.1 with CERTIFICATE (NAME.crt, NAME.key), accepting
// clients whose certificate CA_OF_CLIENTS signed.
void tst_OvsdbTlsServer::startServer(const QString &certificate, const QString &caOfClients)
{
    QTcpServer probe; // a free port
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_port = probe.serverPort();
    probe.close();
    m_server = std::make_unique<QProcess>();
    m_server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server->start(u"ovsdb-server"_s,
                    {path(u"nb.db"_s), u"--remote=pssl:%1:127.0.0.1"_s.arg(m_port),
                     u"--private-key="_s + path(certificate + u".key"_s), u"--certificate="_s + path(certificate + u".crt"_s),
                     u"--ca-cert="_s + path(caOfClients + u".crt"_s), u"--unixctl="_s + path(u"ctl"_s),
                     u"--pidfile="_s + path(u"pid"_s), u"-vconsole:off"_s, u"--log-file="_s + path(u"server.log"_s)});
    QVERIFY(m_server->waitForStarted(10000));
    const auto listening = [this] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        return socket.waitForConnected(200);
    };
    QTRY_VERIFY_WITH_TIMEOUT(listening(), 10000);
}

void tst_OvsdbTlsServer::goodCertificateSynchronises()
{
    startServer(u"server"_s, u"ca"_s);
    OvsdbClient client;
    client.setRemotes({u"ssl:127.0.0.1:%1"_s.arg(m_port)});
    client.setSslSettings(clientSettings());
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), OvsdbClient::State::Synced, 15000);
    QVERIFY(rejected.isEmpty());
    client.stop();
}

void tst_OvsdbTlsServer::serverCertificateRefused_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("check"); // what the refusal must say
    QTest::newRow("unknown CA") << u"rogue"_s << u"nb.rogue"_s << u"issuer"_s;
    QTest::newRow("expired") << u"expired"_s << u"nb.expired"_s << u"expired"_s;
    QTest::newRow("host name not in the certificate") << u"elsewhere"_s << u"nb.elsewhere"_s << u"host name"_s;
}

void tst_OvsdbTlsServer::serverCertificateRefused()
{
    QFETCH(QString, certificate);
    QFETCH(QString, subject);
    QFETCH(QString, check);
    startServer(certificate, u"ca"_s);
    OvsdbClient client;
    const QString remote = u"ssl:127.0.0.1:%1"_s.arg(m_port);
    client.setRemotes({remote});
    client.setSslSettings(clientSettings());
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    QSignalSpy failed(&client, &OvsdbClient::connectionFailed);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"certificate rejected: subject \"%1\""_s.arg(subject)));
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(!rejected.isEmpty(), 15000);
    const auto problem = rejected.at(0).at(0).value<OvsdbCertificateProblem>();
    qInfo("%s: %s", qPrintable(subject), qPrintable(problem.errors.join(u"; "_s)));
    QCOMPARE(problem.remote, remote);
    QCOMPARE(problem.subject, subject);
    QCOMPARE(problem.sha256Fingerprint, fingerprintOf(path(certificate + u".crt"_s)));
    QVERIFY2(problem.errors.join(u' ').contains(check, Qt::CaseInsensitive), qPrintable(problem.errors.join(u"; "_s)));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 15000);
    QVERIFY(client.state() != OvsdbClient::State::Synced);
    client.stop();
}

void tst_OvsdbTlsServer::clientCertificateRefusedByServer()
{
    // The server trusts only the rogue CA's clients: Vigie's certificate is refused by the server.
    startServer(u"server"_s, u"rogue-ca"_s);
    OvsdbClient client;
    const QString remote = u"ssl:127.0.0.1:%1"_s.arg(m_port);
    client.setRemotes({remote});
    client.setSslSettings(clientSettings());
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    QSignalSpy failed(&client, &OvsdbClient::connectionFailed);
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 15000);
    const QString message = failed.at(0).at(1).toString();
    qInfo("%s", qPrintable(message));
    QVERIFY(rejected.isEmpty()); // the server's certificate was fine
    QVERIFY2(message.contains(u"client certificate"_s), qPrintable(message));
    QVERIFY2(message.contains(u"vigie-console"_s), qPrintable(message));
    QVERIFY2(message.contains(fingerprintOf(path(u"client.crt"_s))), qPrintable(message));
    QVERIFY(client.state() != OvsdbClient::State::Synced);
    client.stop();
}

QTEST_GUILESS_MAIN(tst_OvsdbTlsServer)
#include "tst_ovsdbtlsserver.moc"
