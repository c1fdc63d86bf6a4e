// LibvirtConnection against libvirt's test driver, on the test's own thread: the states it goes
// through, the backoff of its reconnections, the credentials it asks for, and the domain and
// network events it turns into signals.
#include "hypervisor/libvirtconnection.h"
#include "hypervisor/libvirteventloop.h"

#include <QSignalSpy>
#include <QTest>

#include <libvirt/libvirt.h>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

// An empty host, and the same asking for credentials (admin, s3cret).
const QString NodeUri = u"test://" VIGIE_TEST_DATA_DIR "/hv-conn.xml"_s;
const QString SecuredNodeUri = u"test://" VIGIE_TEST_DATA_DIR "/hv-conn-secured.xml"_s;

QList<ConnectionState> statesOf(const QSignalSpy &spy)
{
    QList<ConnectionState> states;
    for (const QList<QVariant> &arguments : spy)
        states.append(arguments.at(0).value<ConnectionState>());
    return states;
}

} // namespace

class TestLibvirtConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // As a session does before its worker opens: events and keepalive need libvirt's loop.
        m_eventLoop = LibvirtEventLoop::acquire();
        qRegisterMetaType<ConnectionState>();
        qRegisterMetaType<QList<CredentialRequest>>();
    }

    // Connecting, opened(), and Connected only once the owner says it has read the host.
    void opensAndCloses()
    {
        LibvirtConnection connection(m_uri, {}, std::make_shared<CredentialChannel>());
        QSignalSpy states(&connection, &LibvirtConnection::stateChanged);
        QSignalSpy opened(&connection, &LibvirtConnection::opened);
        QSignalSpy closing(&connection, &LibvirtConnection::closing);
        QCOMPARE(connection.state(), ConnectionState::Disconnected);
        QVERIFY(!connection);

        connection.open();
        QCOMPARE(opened.size(), 1);
        QVERIFY(connection);
        QVERIFY(connection.isAlive());
        QCOMPARE(connection.uri(), m_uri);
        QCOMPARE(statesOf(states), QList<ConnectionState>{ConnectionState::Connecting});
        // A live connection, usable by its owner.
        QVERIFY(!Libvirt::take(virConnectGetHostname(connection.get())).isEmpty());

        connection.markConnected();
        connection.markConnected(); // said once
        QCOMPARE(statesOf(states), (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Connected}));
        connection.open(); // already open: nothing
        QCOMPARE(opened.size(), 1);
        QCOMPARE(states.size(), 2);

        // The owner's end: heard first, then gone, with no change of state and no reconnection.
        connection.close();
        QCOMPARE(closing.size(), 1);
        QVERIFY(!connection);
        QVERIFY(!connection.isAlive());
        QCOMPARE(connection.state(), ConnectionState::Connected);
        QCOMPARE(states.size(), 2);
        // lost() of a closed connection (a late close callback) changes nothing either.
        connection.lost(u"late"_s);
        QCOMPARE(states.size(), 2);
        QVERIFY(connection.checkAlive());
    }

    // A dropped connection is reopened after the backoff, which doubles up to its limit and
    // starts again at 1 s once the connection is back.
    void dropReconnectsWithBackoff()
    {
        LibvirtConnection::Options options;
        options.maxBackoffS = 2;
        LibvirtConnection connection(m_uri, options, std::make_shared<CredentialChannel>());
        QSignalSpy states(&connection, &LibvirtConnection::stateChanged);
        QSignalSpy opened(&connection, &LibvirtConnection::opened);
        QSignalSpy closing(&connection, &LibvirtConnection::closing);
        connection.open();
        QCOMPARE(opened.size(), 1);
        QCOMPARE(connection.backoffS(), 1);

        connection.lost(u"the daemon closed the connection"_s);
        QCOMPARE(closing.size(), 1);
        QVERIFY(!connection);
        QCOMPARE(connection.state(), ConnectionState::Unreachable);
        QCOMPARE(states.last().at(1).toString(), u"the daemon closed the connection"_s);
        QCOMPARE(connection.backoffS(), 2); // the next wait, after this one's 1 s

        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, 5000);
        QVERIFY(connection);
        QCOMPARE(connection.backoffS(), 1);
        QCOMPARE(statesOf(states),
                 (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Unreachable,
                                         ConnectionState::Connecting}));

        // Dropped again and again before the daemon is back: 1, 2, then capped at 2.
        connection.drop(u"first"_s);
        QCOMPARE(connection.backoffS(), 2);
        connection.drop(u"second"_s);
        QCOMPARE(connection.backoffS(), 2);
        QCOMPARE(connection.state(), ConnectionState::Unreachable);
        QCOMPARE(states.last().at(1).toString(), u"second"_s);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 3, 6000);
    }

    // A test:/// host never reached will not appear by waiting: Failed, with libvirt's reason,
    // and no reconnection.
    void missingNodeFileFails()
    {
        LibvirtConnection connection(u"test:///nonexistent/vigie/conn.xml"_s, {}, std::make_shared<CredentialChannel>());
        QSignalSpy states(&connection, &LibvirtConnection::stateChanged);
        QSignalSpy opened(&connection, &LibvirtConnection::opened);
        connection.open();
        QVERIFY(!connection);
        QCOMPARE(opened.size(), 0);
        QCOMPARE(statesOf(states), (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Failed}));
        QVERIFY2(states.last().at(1).toString().contains(u"/nonexistent/vigie/conn.xml"_s),
                 qPrintable(states.last().at(1).toString()));
        QCOMPARE(connection.backoffS(), 1); // no reconnection scheduled
    }

    // What libvirt asks is handed out as requests; the channel's answer goes back to libvirt.
    void credentials_data()
    {
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<ConnectionState>("state");
        QTest::newRow("right password") << QByteArray("s3cret") << false << ConnectionState::Connecting;
        QTest::newRow("wrong password") << QByteArray("guess") << false << ConnectionState::Failed;
        QTest::newRow("cancelled") << QByteArray() << true << ConnectionState::Failed;
    }

    void credentials()
    {
        QFETCH(QByteArray, password);
        QFETCH(bool, cancel);
        QFETCH(ConnectionState, state);
        auto channel = std::make_shared<CredentialChannel>();
        LibvirtConnection connection(SecuredNodeUri, {}, channel);
        QList<CredentialRequest> asked;
        // Answered from the signal, on this thread, before the callback waits for the channel.
        connect(&connection, &LibvirtConnection::credentialsRequested, this,
                [&](const QList<CredentialRequest> &requests) {
                    asked += requests;
                    CredentialReply reply;
                    reply.cancelled = cancel;
                    for (const CredentialRequest &request : requests)
                        reply.values.append(request.kind == CredentialRequest::Kind::Password ? password
                                                                                              : QByteArray("admin"));
                    channel->answer(std::move(reply));
                });
        QSignalSpy opened(&connection, &LibvirtConnection::opened);
        connection.open();
        QVERIFY(!asked.isEmpty());
        const bool askedPassword = std::any_of(asked.cbegin(), asked.cend(), [](const CredentialRequest &request) {
            return request.kind == CredentialRequest::Kind::Password && request.secret;
        });
        // The test driver asks for the user name, then (unless cancelled) for the password.
        QCOMPARE(asked.first().kind, CredentialRequest::Kind::Username);
        QCOMPARE(askedPassword, !cancel);
        QCOMPARE(connection.state(), state);
        QCOMPARE(opened.size(), state == ConnectionState::Connecting ? 1 : 0);
        QCOMPARE(bool(connection), state == ConnectionState::Connecting);
    }

    // libvirt's events, on its event-loop thread, come out as signals on the connection's.
    void events()
    {
        LibvirtConnection connection(u"test:///default"_s, {}, std::make_shared<CredentialChannel>());
        connection.open();
        QVERIFY(connection);
        QSignalSpy domains(&connection, &LibvirtConnection::domainEventReceived);
        QSignalSpy networks(&connection, &LibvirtConnection::networkEventReceived);

        virDomainPtr domain = virDomainDefineXML(
            connection.get(), "<domain type='test'><name>conn-events</name><memory unit='MiB'>64</memory>"
                              "<os><type>hvm</type></os></domain>");
        QVERIFY(domain);
        char uuid[VIR_UUID_STRING_BUFLEN] = {};
        QCOMPARE(virDomainGetUUIDString(domain, uuid), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!domains.isEmpty(), 5000);
        QCOMPARE(domains.first().first().toString(), QString::fromLatin1(uuid));
        QCOMPARE(virDomainUndefine(domain), 0);
        virDomainFree(domain);

        virNetworkPtr network = virNetworkDefineXML(connection.get(), "<network><name>conn-events</name></network>");
        QVERIFY(network);
        QTRY_VERIFY_WITH_TIMEOUT(!networks.isEmpty(), 5000);
        QCOMPARE(virNetworkUndefine(network), 0);
        virNetworkFree(network);

        // Closed: the callbacks are gone with the connection, nothing more is posted.
        connection.close();
        QVERIFY(!connection);
    }

private:
    const QString m_uri = NodeUri;
    std::shared_ptr<LibvirtEventLoop> m_eventLoop;
};

QTEST_GUILESS_MAIN(TestLibvirtConnection)
#include "tst_libvirtconnection.moc"
