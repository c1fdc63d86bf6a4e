// SASL to the lab's real libvirt daemons (qemu+tls://lab-hv1/system, the daemon asking its TLS
// clients for SASL with a Cyrus mech_list each case chooses: scripts/lab sasl). The test runs on
// the lab network (scripts/lab client, its ctest launcher). A daemon offering only DIGEST-MD5 is
// refused before any credential is asked or sent; one offering DIGEST-MD5 beside a sound
// mechanism is connected with the sound one (the daemon's own log names the mechanism it was
// asked for), where libvirt alone lets Cyrus SASL pick, DIGEST-MD5 over PLAIN; one offering only
// SCRAM-SHA-256 is left to choose; a wrong password fails with libvirt's words.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <libvirt/libvirt.h>

#include <cstring>

using namespace Vigie;
using namespace Vigie::LabTest;
using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    ConnectionState state = ConnectionState::Disconnected;
    QString message;
    QStringList vms;
    int credentialRequests = 0; // times libvirt asked for credentials
    qint64 ms = 0;
};

const QString User = u"vigie"_s;

} // namespace

class tst_LabSasl : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    LabHost m_host;
    QString m_password;

    [[nodiscard]] QString uri() const
    {
        return u"qemu+tls://%1/system?pkipath=%2/pki/client"_s.arg(m_host.name, m_lab.directory());
    }
    [[nodiscard]] QString daemonLog() const
    {
        return m_lab.directory() + u"/hosts/%1/log/libvirt/libvirtd.log"_s.arg(m_host.name);
    }
    // The daemon's log written since OFFSET.
    [[nodiscard]] QString logSince(qint64 offset) const
    {
        QFile file(daemonLog());
        if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
            return {};
        return QString::fromUtf8(file.readAll());
    }
    [[nodiscard]] static qint64 sizeOf(const QString &file) { return QFileInfo(file).size(); }
    [[nodiscard]] bool serve(const QString &mechanisms) const
    {
        const LabEnvironment::Result r = LabEnvironment::lab({u"sasl"_s, m_host.name, mechanisms, User, m_password});
        if (!r.ok())
            qWarning("scripts/lab sasl %s: %s", qPrintable(mechanisms), qPrintable(r.err));
        return r.ok();
    }
    // Vigie's session to the host, as the console opens it, answering libvirt's questions with
    // the lab's user and PASSWORD, until it settles.
    Outcome open(const QString &password) const
    {
        Outcome outcome;
        Inventory inventory;
        SessionManager sessions(&inventory);
        QObject::connect(&sessions, &SessionManager::credentialsRequested, &sessions,
                         [&](const QString &uri, const QList<CredentialRequest> &requests) {
                             ++outcome.credentialRequests;
                             CredentialReply reply;
                             reply.cancelled = false;
                             for (const CredentialRequest &request : requests)
                                 reply.values.append(request.kind == CredentialRequest::Kind::Password ? password.toUtf8()
                                                                                                       : User.toUtf8());
                             sessions.provideCredentials(uri, std::move(reply));
                         });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QElapsedTimer clock;
        clock.start();
        if (!sessions.addConnection(uri()) || !settled.wait(60000))
            return outcome;
        outcome.ms = clock.elapsed();
        const HostInfo host = inventory.host(uri());
        outcome.state = host.state;
        outcome.message = host.stateMessage;
        for (const VmKey &key : inventory.vmKeysOfHost(uri()))
            outcome.vms.append(inventory.vm(key).name);
        outcome.vms.sort();
        return outcome;
    }
    [[nodiscard]] QStringList hostVms() const
    {
        const LabEnvironment::Result list = LabEnvironment::virsh(m_host, {u"list"_s, u"--all"_s, u"--name"_s});
        QStringList names = list.out.split(u'\n', Qt::SkipEmptyParts);
        for (QString &name : names)
            name = name.trimmed();
        names.sort();
        return names;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        if (qEnvironmentVariableIsEmpty("VIGIE_LAB_CLIENT"))
            QFAIL("run on the lab network: scripts/lab client tst_labsasl (its ctest launcher does)");
        QVERIFY(!m_lab.hosts().isEmpty());
        m_host = m_lab.hosts().first();
        m_password = u"lab-%1"_s.arg(QRandomGenerator::system()->generate64(), 0, 16);
    }

    void cleanupTestCase()
    {
        const LabEnvironment::Result r = LabEnvironment::lab({u"sasl"_s, m_host.name, u"off"_s});
        QVERIFY2(r.ok(), qPrintable(r.err));
    }

    void onlyBrokenMechanismsRefused()
    {
        QVERIFY(serve(u"digest-md5"_s));
        const qint64 offset = sizeOf(daemonLog());
        const Outcome outcome = open(m_password);
        qInfo("refused after %lld ms: %s", outcome.ms, qPrintable(outcome.message));
        QCOMPARE(outcome.state, ConnectionState::Failed);
        QVERIFY(outcome.vms.isEmpty());
        QVERIFY2(outcome.message.contains(u"DIGEST-MD5 (MD5-based, declared historic by RFC 6331)"_s), qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(u"%1:16514"_s.arg(m_host.name)), qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(u"Vigie sent no credentials"_s), qPrintable(outcome.message));
        // Nothing asked of the operator, and the daemon never started a SASL exchange.
        QCOMPARE(outcome.credentialRequests, 0);
        const QString log = logSince(offset);
        QVERIFY2(!log.contains(u"Using SASL mechanism"_s), qPrintable(log.right(2000)));
    }

    // What libvirt alone takes from the daemon's list (Cyrus SASL's ranking), by the daemon's log.
    [[nodiscard]] QString mechanismLibvirtAloneTakes() const
    {
        const qint64 before = sizeOf(daemonLog());
        struct Answers
        {
            QByteArray user, password;
        } answers{User.toUtf8(), m_password.toUtf8()};
        int types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};
        const auto answer = [](virConnectCredentialPtr credentials, unsigned int count, void *data) -> int {
            const auto *given = static_cast<Answers *>(data);
            for (unsigned int i = 0; i < count; ++i) {
                const QByteArray &value = credentials[i].type == VIR_CRED_PASSPHRASE ? given->password : given->user;
                credentials[i].result = strdup(value.constData()); // libvirt frees it
                credentials[i].resultlen = unsigned(value.size());
            }
            return 0;
        };
        virConnectAuth auth{types, 2, answer, &answers};
        if (virConnectPtr alone = virConnectOpenAuth(uri().toUtf8().constData(), &auth, 0))
            virConnectClose(alone);
        static const QRegularExpression used(u"Using SASL mechanism ([A-Z0-9_-]+)"_s);
        return used.match(logSince(before)).captured(1);
    }

    void soundMechanismAskedForBesideABrokenOne_data()
    {
        QTest::addColumn<QString>("served");     // the daemon's mech_list
        QTest::addColumn<QString>("vigieTakes"); // what Vigie asks for
        QTest::addColumn<QString>("aloneTakes"); // what libvirt alone takes, if known
        QTest::newRow("DIGEST-MD5 and SCRAM-SHA-256") << u"digest-md5 scram-sha-256"_s << u"SCRAM-SHA-256"_s << QString();
        // Inside the verified TLS, PLAIN gives the password to the authenticated daemon only;
        // Cyrus SASL ranks DIGEST-MD5 above it.
        QTest::newRow("DIGEST-MD5 and PLAIN") << u"digest-md5 plain"_s << u"PLAIN"_s << u"DIGEST-MD5"_s;
    }

    void soundMechanismAskedForBesideABrokenOne()
    {
        QFETCH(QString, served);
        QFETCH(QString, vigieTakes);
        QFETCH(QString, aloneTakes);
        QVERIFY(serve(served));
        const QString alone = mechanismLibvirtAloneTakes();
        qInfo("libvirt alone, offered %s, takes %s", qPrintable(served), qPrintable(alone.isEmpty() ? u"nothing"_s : alone));
        if (!aloneTakes.isEmpty())
            QCOMPARE(alone, aloneTakes);

        const qint64 offset = sizeOf(daemonLog());
        const Outcome outcome = open(m_password);
        qInfo("Vigie connected after %lld ms: %s", outcome.ms, qPrintable(outcome.vms.join(u", "_s)));
        QVERIFY2(outcome.state == ConnectionState::Connected, qPrintable(outcome.message));
        QVERIFY(!outcome.vms.isEmpty());
        QCOMPARE(outcome.vms, hostVms());
        QCOMPARE(outcome.credentialRequests, 1);
        const QString log = logSince(offset);
        QVERIFY2(log.contains(u"Using SASL mechanism %1"_s.arg(vigieTakes)), qPrintable(log.right(2000)));
        QVERIFY2(!log.contains(u"Using SASL mechanism DIGEST-MD5"_s), qPrintable(log.right(2000)));
    }

    void strongMechanismsLeftToTheDaemon()
    {
        QVERIFY(serve(u"scram-sha-256"_s));
        const qint64 offset = sizeOf(daemonLog());
        const Outcome outcome = open(m_password);
        QVERIFY2(outcome.state == ConnectionState::Connected, qPrintable(outcome.message));
        QCOMPARE(outcome.vms, hostVms());
        QVERIFY2(logSince(offset).contains(u"Using SASL mechanism SCRAM-SHA-256"_s), "the daemon's log names no SCRAM exchange");
    }

    void wrongPasswordFailsWithLibvirtsWords()
    {
        QVERIFY(serve(u"scram-sha-256"_s));
        const Outcome outcome = open(m_password + u"-wrong"_s);
        qInfo("wrong password, after %lld ms: %s", outcome.ms, qPrintable(outcome.message));
        QCOMPARE(outcome.state, ConnectionState::Failed);
        QVERIFY(outcome.vms.isEmpty());
        QVERIFY2(outcome.message.contains(u"authentication failed"_s, Qt::CaseInsensitive), qPrintable(outcome.message));
    }
};

QTEST_GUILESS_MAIN(tst_LabSasl)
#include "tst_labsasl.moc"
