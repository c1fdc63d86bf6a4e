// TLS to the lab's real libvirt daemons (qemu+tls://lab-hv1/system, libvirtd listening with the
// lab's CA: scripts/lab.d/tls.sh). The test runs on the lab network (scripts/lab client, its
// ctest launcher), with a client pkipath= of its own per case: the console's certificate
// connects and Vigie lists the host's VMs; a CA Vigie does not know, an expired server
// certificate, a server certificate naming another host and a client certificate the daemon
// does not admit (tls_allowed_dn_list) are each refused with a message that names the check,
// the certificate's subject and its SHA-256 fingerprint. The daemon has no plain TCP listener
// and Vigie tries none.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;
using namespace Vigie::LabTest;
using namespace Qt::StringLiterals;

namespace {

QString fingerprintOf(const QString &file)
{
    const QSslCertificate certificate = QSslCertificate::fromPath(file).value(0);
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')).toUpper();
}

struct Outcome
{
    ConnectionState state = ConnectionState::Disconnected;
    QString message;
    QStringList vms;
    qint64 ms = 0;
};

} // namespace

class tst_LabTls : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    LabHost m_host;
    QTemporaryDir m_dir;
    QString m_tls; // scripts/lab.d/tls.sh

    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }
    [[nodiscard]] QString uri(const QString &pkipath) const
    {
        return u"qemu+tls://%1/system?pkipath=%2"_s.arg(m_host.name, pkipath);
    }
    [[nodiscard]] bool tls(const QStringList &args) const
    {
        const LabEnvironment::Result r = LabEnvironment::run(u"bash"_s, QStringList{m_tls} + args, 30000);
        if (!r.ok())
            qWarning("tls.sh %s: %s", qPrintable(args.join(u' ')), qPrintable(r.err));
        return r.ok();
    }
    // Vigie's session to URI, as the console opens it, until it settles.
    Outcome open(const QString &uri) const
    {
        Outcome outcome;
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QElapsedTimer clock;
        clock.start();
        if (!sessions.addConnection(uri))
            return outcome;
        if (!settled.wait(60000))
            return outcome;
        outcome.ms = clock.elapsed();
        const HostInfo host = inventory.host(uri);
        outcome.state = host.state;
        outcome.message = host.stateMessage;
        for (const VmKey &key : inventory.vmKeysOfHost(uri))
            outcome.vms.append(inventory.vm(key).name);
        outcome.vms.sort();
        return outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        if (qEnvironmentVariableIsEmpty("VIGIE_LAB_CLIENT"))
            QFAIL("run on the lab network: scripts/lab client tst_labtls (its ctest launcher does)");
        QVERIFY(!m_lab.hosts().isEmpty());
        m_host = m_lab.hosts().first();
        m_tls = qEnvironmentVariable("VIGIE_SOURCE_DIR") + u"/scripts/lab.d/tls.sh"_s;
        QVERIFY2(QFile::exists(m_tls), qPrintable(m_tls));
        QVERIFY(m_dir.isValid());

        const QString ca = m_lab.directory() + u"/pki/CA"_s;
        // A CA of its own, and a client pkipath trusting only it (its client certificate from it
        // too, or libvirt refuses the pkipath before connecting).
        QVERIFY(tls({u"make_ca"_s, path(u"rogue-ca"_s), u"Rogue CA"_s}));
        QVERIFY(tls({u"issue"_s, path(u"rogue-ca"_s), path(u"rogue"_s), u"client"_s, u"vigie-console"_s, u"DNS:vigie-console"_s}));
        // The lab's CA, a client name the daemons' tls_allowed_dn_list does not hold.
        QVERIFY(tls({u"issue"_s, ca, path(u"intruder"_s), u"client"_s, u"intruder"_s, u"DNS:intruder"_s}));
        // Server certificates from the lab's CA: expired, and naming another host.
        const QString names = u"DNS:%1,IP:%2"_s.arg(m_host.name, m_host.address);
        QVERIFY(tls({u"issue"_s, ca, path(u"expired"_s), u"server"_s, m_host.name, names, u"20200101000000Z"_s,
                     u"20200102000000Z"_s}));
        QVERIFY(tls({u"issue"_s, ca, path(u"elsewhere"_s), u"server"_s, u"elsewhere.example"_s, u"DNS:elsewhere.example"_s}));

        // TLS only: nothing answers on libvirt's plain TCP port.
        QTcpSocket plain;
        plain.connectToHost(m_host.name, 16509);
        QVERIFY2(!plain.waitForConnected(3000), "libvirtd listens on plain TCP (16509)");
    }

    void cleanup()
    {
        // Whatever a case served, the lab's own certificate again (a restart only if changed).
        const QString served = m_lab.directory() + u"/hosts/%1/pki/servercert.pem"_s.arg(m_host.name);
        const QString own = m_lab.directory() + u"/hosts/%1/pki/lab/servercert.pem"_s.arg(m_host.name);
        if (fingerprintOf(served) != fingerprintOf(own)) {
            const LabEnvironment::Result r = LabEnvironment::lab({u"tls"_s, m_host.name, u"reset"_s});
            QVERIFY2(r.ok(), qPrintable(r.err));
        }
    }

    void goodCertificateConnects()
    {
        const Outcome outcome = open(uri(m_lab.directory() + u"/pki/client"_s));
        QVERIFY2(outcome.state == ConnectionState::Connected, qPrintable(outcome.message));
        const LabEnvironment::Result list = LabEnvironment::virsh(m_host, {u"list"_s, u"--all"_s, u"--name"_s});
        QVERIFY2(list.ok(), qPrintable(list.err));
        QStringList expected = list.out.split(u'\n', Qt::SkipEmptyParts);
        for (QString &name : expected)
            name = name.trimmed();
        expected.sort();
        qInfo("connected over TLS in %lld ms; VMs: %s", outcome.ms, qPrintable(outcome.vms.join(u", "_s)));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(outcome.vms, expected);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("pkipath"); // the client's, in the test's directory or the lab's
        QTest::addColumn<QString>("serve");   // the server certificate the daemon serves, if not its own
        QTest::addColumn<QString>("check");   // what the message must say
        QTest::addColumn<QString>("certificate"); // whose subject and fingerprint it must give
        QTest::addColumn<QString>("subject"); // HOST: the host's name
        QTest::newRow("unknown CA") << u"rogue"_s << QString() << u"unknown CA"_s << u"lab"_s << u"HOST"_s;
        QTest::newRow("expired") << u"lab"_s << u"expired"_s << u"expired"_s << u"expired"_s << u"HOST"_s;
        QTest::newRow("host name not in the certificate") << u"lab"_s << u"elsewhere"_s << u"host name not in the certificate"_s
                                                          << u"elsewhere"_s << u"elsewhere.example"_s;
        QTest::newRow("client certificate refused") << u"intruder"_s << QString() << u"client certificate refused by the server"_s
                                                    << u"intruder"_s << u"intruder"_s;
    }

    void refused()
    {
        QFETCH(QString, pkipath);
        QFETCH(QString, serve);
        QFETCH(QString, check);
        QFETCH(QString, certificate);
        QFETCH(QString, subject);
        if (subject == u"HOST"_s)
            subject = m_host.name;
        const QString labPki = m_lab.directory() + u"/pki/client"_s;
        const QString clientPki = pkipath == u"lab"_s ? labPki : path(pkipath);
        if (!serve.isEmpty()) {
            const LabEnvironment::Result r = LabEnvironment::lab({u"tls"_s, m_host.name, u"serve"_s, path(serve)});
            QVERIFY2(r.ok(), qPrintable(r.err));
        }
        QString file;
        if (certificate == u"lab"_s)
            file = m_lab.directory() + u"/hosts/%1/pki/lab/servercert.pem"_s.arg(m_host.name);
        else if (certificate == u"intruder"_s)
            file = path(u"intruder/clientcert.pem"_s);
        else
            file = path(certificate + u"/servercert.pem"_s);

        const Outcome outcome = open(uri(clientPki));
        qInfo("%s, after %lld ms: %s", QTest::currentDataTag(), outcome.ms, qPrintable(outcome.message));
        QCOMPARE(outcome.state, ConnectionState::Failed);
        QVERIFY(outcome.vms.isEmpty());
        QVERIFY2(outcome.message.contains(check), qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(u"subject \"%1\""_s.arg(subject)), qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(fingerprintOf(file)), qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(u"Nothing was sent unencrypted"_s), qPrintable(outcome.message));
    }
};

QTEST_GUILESS_MAIN(tst_LabTls)
#include "tst_labtls.moc"
