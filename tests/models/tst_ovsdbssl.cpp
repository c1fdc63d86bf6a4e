#include "network/ovsdbclient.h"
#include "testcertificates.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;
using Vigie::Test::TestCertificates;

// ssl: remotes: certificate verification against a TLS server in the test, with certificates
// made by openssl(1) for the run.
class tst_OvsdbSsl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void untrustedCertificateIsRejectedWithSubjectAndFingerprint();
    void pinnedFingerprintIsAccepted();
    void certificateSignedByConfiguredCaIsAccepted();

private:
    void listen(const QString &certificate, const QString &key);
    [[nodiscard]] QString remote() const { return u"ssl:127.0.0.1:%1"_s.arg(m_server->serverPort()); }

    TestCertificates m_certificates;
    std::unique_ptr<QSslServer> m_server;
    QByteArray m_received; // what the client sent once TLS was up
};

void tst_OvsdbSsl::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    if (!TestCertificates::available())
        QSKIP("openssl(1) is needed to make the test certificates");
    QVERIFY(m_certificates.isValid());
    QVERIFY(m_certificates.makeSelfSigned(u"ca"_s, u"Vigie Test CA"_s));
    QVERIFY(m_certificates.makeSigned(u"server"_s, u"nb.test"_s, u"ca"_s, {u"subjectAltName=IP:127.0.0.1"_s}));
    QVERIFY(m_certificates.makeSelfSigned(u"rogue"_s, u"rogue-nb"_s, {u"subjectAltName=IP:127.0.0.1"_s}));
}

void tst_OvsdbSsl::init()
{
    m_received.clear();
}

void tst_OvsdbSsl::cleanup()
{
    m_server.reset();
}

void tst_OvsdbSsl::listen(const QString &certificate, const QString &key)
{
    m_server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate::fromPath(m_certificates.path(certificate)).value(0));
    QFile keyFile(m_certificates.path(key));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server->setSslConfiguration(config);
    connect(m_server.get(), &QSslServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { m_received += socket->readAll(); });
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void tst_OvsdbSsl::untrustedCertificateIsRejectedWithSubjectAndFingerprint()
{
    listen(u"rogue.crt"_s, u"rogue.key"_s);
    OvsdbClient client;
    client.setRemotes({remote()});
    client.setSslSettings({m_certificates.path(u"ca.crt"_s), {}, {}, {}});
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    QSignalSpy failed(&client, &OvsdbClient::connectionFailed);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"certificate rejected: subject \"rogue-nb\" SHA-256"_s));
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(!rejected.isEmpty(), 10000);
    const auto problem = rejected.at(0).at(0).value<OvsdbCertificateProblem>();
    const QSslCertificate rogue = QSslCertificate::fromPath(m_certificates.path(u"rogue.crt"_s)).value(0);
    QCOMPARE(problem.subject, u"rogue-nb"_s);
    QCOMPARE(problem.sha256Fingerprint, QString::fromLatin1(rogue.digest(QCryptographicHash::Sha256).toHex(':')).toUpper());
    QCOMPARE(problem.remote, remote());
    QVERIFY(!problem.errors.isEmpty());
    QTRY_VERIFY(!failed.isEmpty());
    QVERIFY(client.state() != OvsdbClient::State::Synced);
    client.stop();
    QVERIFY2(!m_received.contains("list_dbs"), "nothing may be sent over a rejected connection");
}

void tst_OvsdbSsl::pinnedFingerprintIsAccepted()
{
    listen(u"rogue.crt"_s, u"rogue.key"_s);
    const QSslCertificate rogue = QSslCertificate::fromPath(m_certificates.path(u"rogue.crt"_s)).value(0);
    OvsdbClient client;
    client.setRemotes({remote()});
    client.setSslSettings({{}, {}, {}, {QString::fromLatin1(rogue.digest(QCryptographicHash::Sha256).toHex()).toLower()}});
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_received.contains("list_dbs"), 10000);
    QVERIFY(rejected.isEmpty());
    client.stop();
}

void tst_OvsdbSsl::certificateSignedByConfiguredCaIsAccepted()
{
    listen(u"server.crt"_s, u"server.key"_s);
    OvsdbClient client;
    client.setRemotes({remote()});
    // Client certificate and key as for a northbound database that requires them.
    client.setSslSettings({m_certificates.path(u"ca.crt"_s), m_certificates.path(u"server.crt"_s), m_certificates.path(u"server.key"_s), {}});
    QSignalSpy rejected(&client, &OvsdbClient::certificateRejected);
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_received.contains("list_dbs"), 10000);
    QVERIFY(rejected.isEmpty());
    client.stop();
}

QTEST_GUILESS_MAIN(tst_OvsdbSsl)
#include "tst_ovsdbssl.moc"
