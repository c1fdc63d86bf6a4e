#include "hypervisor/libvirttls.h"
#include "testcertificates.h"

#include <QDir>
#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

using namespace Qt::StringLiterals;
using namespace Vigie;
using Vigie::Test::TestCertificates;

// The files a TLS libvirt URI connects with (pkipath=, root's, a user's), and the diagnostic
// probe against a local TLS server that behaves as libvirtd does (after the handshake one byte,
// 1, for an admitted client certificate; otherwise the connection dropped), with certificates made
// by openssl(1) for the run: each failed check named, with the certificate's subject and
// fingerprint. The lab test tst_labtls does the same against real daemons.
class tst_LibvirtTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fromUri_data();
    void fromUri();
    void userFilesFallBackToTheSystem();
    void probe_data();
    void probe();
    void messageNamesTheCheck();

private:
    [[nodiscard]] QString path(const QString &file) const { return m_certificates.path(file); }
    // A pkipath directory as libvirt lays it out: cacert.pem, clientcert.pem, clientkey.pem.
    bool makePkiPath(const QString &dir, const QString &ca, const QString &client);
    [[nodiscard]] static QString fingerprintOf(const QString &file)
    {
        return sha256Fingerprint(QSslCertificate::fromPath(file).value(0));
    }

    TestCertificates m_certificates;
};

bool tst_LibvirtTls::makePkiPath(const QString &dir, const QString &ca, const QString &client)
{
    QDir().mkpath(path(dir));
    return QFile::copy(path(ca + u".crt"_s), path(dir + u"/cacert.pem"_s))
        && QFile::copy(path(client + u".crt"_s), path(dir + u"/clientcert.pem"_s))
        && QFile::copy(path(client + u".key"_s), path(dir + u"/clientkey.pem"_s));
}

void tst_LibvirtTls::initTestCase()
{
    QVERIFY(m_certificates.isValid());
    if (!TestCertificates::available())
        QSKIP("openssl is needed (Debian: openssl)");
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QVERIFY(m_certificates.makeSelfSigned(u"ca"_s, u"Vigie Lab CA"_s));
    QVERIFY(m_certificates.makeSelfSigned(u"rogue-ca"_s, u"Rogue CA"_s));
    const auto make = [this](const QString &name, const QString &subject, const QString &ca, const QString &san,
                             const QString &purpose, TestCertificates::Validity validity = TestCertificates::Validity::TwoDays) {
        return m_certificates.makeSigned(name, subject, ca, {u"subjectAltName="_s + san, u"extendedKeyUsage="_s + purpose}, validity);
    };
    QVERIFY(make(u"server"_s, u"localhost"_s, u"ca"_s, u"DNS:localhost,IP:127.0.0.1"_s, u"serverAuth"_s));
    QVERIFY(make(u"expired"_s, u"localhost"_s, u"ca"_s, u"DNS:localhost"_s, u"serverAuth"_s, TestCertificates::Validity::Expired));
    QVERIFY(make(u"elsewhere"_s, u"elsewhere.example"_s, u"ca"_s, u"DNS:elsewhere.example"_s, u"serverAuth"_s));
    QVERIFY(make(u"client"_s, u"vigie-console"_s, u"ca"_s, u"DNS:vigie-console"_s, u"clientAuth"_s));
    QVERIFY(make(u"rogue-client"_s, u"vigie-console"_s, u"rogue-ca"_s, u"DNS:vigie-console"_s, u"clientAuth"_s));
    QVERIFY(makePkiPath(u"pki"_s, u"ca"_s, u"client"_s));
    QVERIFY(makePkiPath(u"rogue-pki"_s, u"rogue-ca"_s, u"rogue-client"_s));
}

void tst_LibvirtTls::fromUri_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<bool>("root");
    QTest::addColumn<QString>("host"); // empty: not a TLS URI
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("verify");
    const QString none;
    QTest::newRow("pkipath") << u"qemu+tls://hv1.example/system?pkipath=/srv/pki"_s << false << u"hv1.example"_s << 16514
                             << u"/srv/pki/cacert.pem"_s << u"/srv/pki/clientcert.pem"_s << u"/srv/pki/clientkey.pem"_s << true;
    QTest::newRow("port and no_verify") << u"qemu+tls://10.0.0.5:26514/system?no_verify=1&pkipath=/p"_s << false << u"10.0.0.5"_s
                                        << 26514 << u"/p/cacert.pem"_s << u"/p/clientcert.pem"_s << u"/p/clientkey.pem"_s << false;
    QTest::newRow("root") << u"qemu+tls://hv1/system"_s << true << u"hv1"_s << 16514 << u"/etc/pki/CA/cacert.pem"_s
                          << u"/etc/pki/libvirt/clientcert.pem"_s << u"/etc/pki/libvirt/private/clientkey.pem"_s << true;
    QTest::newRow("no transport, remote host: TLS") << u"qemu://hv1/system"_s << true << u"hv1"_s << 16514 << u"/etc/pki/CA/cacert.pem"_s
                                                    << u"/etc/pki/libvirt/clientcert.pem"_s << u"/etc/pki/libvirt/private/clientkey.pem"_s
                                                    << true;
    QTest::newRow("ssh") << u"qemu+ssh://root@hv1/system"_s << true << none << 0 << none << none << none << true;
    QTest::newRow("tcp") << u"qemu+tcp://hv1/system"_s << true << none << 0 << none << none << none << true;
    QTest::newRow("local") << u"qemu:///system"_s << true << none << 0 << none << none << none << true;
    QTest::newRow("unix socket") << u"qemu+unix:///system?socket=/run/x"_s << true << none << 0 << none << none << none << true;
    QTest::newRow("esx speaks HTTPS itself") << u"esx://vc.example/?no_verify=1"_s << true << none << 0 << none << none << none << true;
    QTest::newRow("garbage") << u"::::"_s << true << none << 0 << none << none << none << true;
}

void tst_LibvirtTls::fromUri()
{
    QFETCH(QString, uri);
    QFETCH(bool, root);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, ca);
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(bool, verify);
    const auto target = LibvirtTlsTarget::fromUri(uri, u"/home/nobody-here"_s, root);
    QCOMPARE(target.has_value(), !host.isEmpty());
    if (!target)
        return;
    QCOMPARE(target->host, host);
    QCOMPARE(int(target->port), port);
    QCOMPARE(target->caCertificateFile, ca);
    QCOMPARE(target->clientCertificateFile, cert);
    QCOMPARE(target->clientKeyFile, key);
    QCOMPARE(target->verifyServer, verify);
}

void tst_LibvirtTls::userFilesFallBackToTheSystem()
{
    // A user's own CA in ~/.pki/libvirt, but no client certificate there: the system's.
    QTemporaryDir home;
    QVERIFY(QDir().mkpath(home.filePath(u".pki/libvirt"_s)));
    QVERIFY(QFile::copy(path(u"ca.crt"_s), home.filePath(u".pki/libvirt/cacert.pem"_s)));
    const auto target = LibvirtTlsTarget::fromUri(u"qemu+tls://hv1/system"_s, home.path(), false);
    QVERIFY(target);
    QCOMPARE(target->caCertificateFile, home.filePath(u".pki/libvirt/cacert.pem"_s));
    QCOMPARE(target->clientCertificateFile, u"/etc/pki/libvirt/clientcert.pem"_s);
    QCOMPARE(target->clientKeyFile, u"/etc/pki/libvirt/private/clientkey.pem"_s);
}

void tst_LibvirtTls::probe_data()
{
    QTest::addColumn<QString>("serverCertificate");
    QTest::addColumn<QString>("clientPki");
    QTest::addColumn<bool>("admits"); // the fake daemon's verdict on the client certificate
    QTest::addColumn<int>("check");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("certificateFile"); // whose fingerprint the diagnosis gives
    QTest::addColumn<QString>("words");           // what the message says

    using Check = LibvirtTlsDiagnosis::Check;
    QTest::newRow("good") << u"server"_s << u"pki"_s << true << int(Check::None) << QString() << QString() << QString();
    QTest::newRow("unknown CA") << u"server"_s << u"rogue-pki"_s << true << int(Check::UnknownCa) << u"localhost"_s
                                << u"server.crt"_s << u"unknown CA"_s;
    QTest::newRow("expired") << u"expired"_s << u"pki"_s << true << int(Check::Expired) << u"localhost"_s << u"expired.crt"_s
                             << u"expired: the server's certificate expired on 2020-01-02T00:00:00Z"_s;
    QTest::newRow("host name") << u"elsewhere"_s << u"pki"_s << true << int(Check::HostNameMismatch) << u"elsewhere.example"_s
                               << u"elsewhere.crt"_s << u"does not name localhost (it names elsewhere.example)"_s;
    QTest::newRow("client refused") << u"server"_s << u"pki"_s << false << int(Check::ClientCertificateRefused) << u"vigie-console"_s
                                    << u"client.crt"_s << u"client certificate refused by the server"_s;
}

void tst_LibvirtTls::probe()
{
    QFETCH(QString, serverCertificate);
    QFETCH(QString, clientPki);
    QFETCH(bool, admits);
    QFETCH(int, check);
    QFETCH(QString, subject);
    QFETCH(QString, certificateFile);
    QFETCH(QString, words);

    QSslServer server;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate::fromPath(path(serverCertificate + u".crt"_s)).value(0));
    QFile keyFile(path(serverCertificate + u".key"_s));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    config.setCaCertificates(QSslCertificate::fromPath(path(u"ca.crt"_s)));
    config.setPeerVerifyMode(QSslSocket::QueryPeer); // libvirtd checks the client after the handshake
    server.setSslConfiguration(config);
    QObject::connect(&server, &QSslServer::startedEncryptionHandshake, &server, [](QSslSocket *socket) {
        QObject::connect(socket, &QSslSocket::sslErrors, socket, [socket] { socket->ignoreSslErrors(); });
    });
    QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&server, admits] {
        while (QTcpSocket *next = server.nextPendingConnection()) {
            auto *socket = static_cast<QSslSocket *>(next);
            if (admits)
                socket->write("\1");
            else
                socket->disconnectFromHost();
        }
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    LibvirtTlsTarget target = *LibvirtTlsTarget::fromUri(
        u"qemu+tls://localhost:%1/system?pkipath=%2"_s.arg(server.serverPort()).arg(path(clientPki)), {}, false);
    // Blocking, as on a session's thread; this thread's event loop serves meanwhile.
    QFuture<LibvirtTlsDiagnosis> future = QtConcurrent::run([target] { return probeLibvirtTls(target, 10000); });
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 15000);
    const LibvirtTlsDiagnosis diagnosis = future.result();
    const QString message = diagnosis.message(u"libvirt's words"_s);
    qInfo("%s", qPrintable(message));
    QCOMPARE(int(diagnosis.check), check);
    if (check == int(LibvirtTlsDiagnosis::Check::None)) {
        QCOMPARE(message, u"libvirt's words"_s);
        return;
    }
    QCOMPARE(diagnosis.subject, subject);
    QCOMPARE(diagnosis.sha256Fingerprint, fingerprintOf(path(certificateFile)));
    QVERIFY2(message.contains(words), qPrintable(message));
    QVERIFY2(message.contains(u"subject \"%1\", SHA-256 %2"_s.arg(subject, diagnosis.sha256Fingerprint)), qPrintable(message));
    QVERIFY2(message.contains(u"localhost:%1"_s.arg(server.serverPort())), qPrintable(message));
    QVERIFY2(message.endsWith(u"(libvirt: libvirt's words)"_s), qPrintable(message));
}

void tst_LibvirtTls::messageNamesTheCheck()
{
    // Without a network: the diagnosis built from the TLS library's errors.
    const QSslCertificate server = QSslCertificate::fromPath(path(u"server.crt"_s)).value(0);
    const LibvirtTlsTarget target = *LibvirtTlsTarget::fromUri(u"qemu+tls://hv9/system?pkipath=/p"_s, {}, false);
    // Several errors: the unknown issuer is the one named.
    const LibvirtTlsDiagnosis d = LibvirtTlsDiagnosis::fromSslErrors(
        target, {QSslError(QSslError::HostNameMismatch, server), QSslError(QSslError::UnableToGetLocalIssuerCertificate, server)}, QSslCertificate());
    QCOMPARE(d.check, LibvirtTlsDiagnosis::Check::UnknownCa);
    QCOMPARE(d.errors.size(), 2);
    const QString message = d.message();
    QVERIFY2(message.startsWith(u"TLS to hv9:16514 refused, unknown CA: the server's certificate was not issued by the CA in /p/cacert.pem."_s),
             qPrintable(message));
    QVERIFY2(message.contains(u"Server certificate: subject \"localhost\", SHA-256 "_s + sha256Fingerprint(server)), qPrintable(message));
    QVERIFY(!message.contains(u"libvirt:"_s));
    // No client certificate at all, refused.
    const LibvirtTlsDiagnosis none = LibvirtTlsDiagnosis::clientRefused(target, QSslCertificate(), QString());
    QVERIFY2(none.message().contains(u"Vigie has no client certificate (/p/clientcert.pem)"_s), qPrintable(none.message()));
    // Nothing found: libvirt's words stand alone.
    QCOMPARE(LibvirtTlsDiagnosis().message(u"boom"_s), u"boom"_s);
}

QTEST_GUILESS_MAIN(tst_LibvirtTls)
#include "tst_libvirttls.moc"
