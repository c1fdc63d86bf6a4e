#include "network/jsonrpcframer.h"
#include "network/ovsdbclient.h"
#include "network/ovsdbremote.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QByteArray Schema = R"({"name": "OVN_Northbound", "version": "7.3.0", "tables": {
  "Logical_Switch": {"isRoot": true, "columns": {"name": {"type": "string"},
    "ports": {"type": {"key": {"type": "uuid", "refTable": "Logical_Switch_Port"}, "min": 0, "max": "unlimited"}}}},
  "Logical_Switch_Port": {"columns": {"name": {"type": "string"}}}}})";

const QString U1 = u"00000000-0000-0000-0000-000000000001"_s;
const QString U2 = u"00000000-0000-0000-0000-000000000002"_s;
const QString ServerRowUuid = u"00000000-0000-0000-0000-0000000000aa"_s;

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// A scripted ovsdb-server on a unix socket: answers the handshake, and lets each test decide the
// monitor reply and what happens next.
class FakeServer
{
public:
    explicit FakeServer(const QString &path)
    {
        m_server.listen(path);
        QObject::connect(&m_server, &QLocalServer::newConnection, &m_server, [this] {
            while (QLocalSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                m_socket = socket;
                auto framer = std::make_shared<JsonRpcFramer>();
                QObject::connect(socket, &QLocalSocket::readyRead, socket, [this, socket, framer] {
                    framer->feed(socket->readAll());
                    for (const QJsonObject &m : framer->takeMessages()) {
                        received.append(m);
                        handle(socket, m);
                    }
                });
            }
        });
    }

    void send(const QByteArray &bytes)
    {
        if (m_socket) {
            m_socket->write(bytes);
            m_socket->flush();
        }
    }
    void send(const QJsonObject &message) { send(QJsonDocument(message).toJson(QJsonDocument::Compact)); }
    // An echo request: the client reads its socket in order, so once it has answered this one
    // (answered(ID)) it has handled everything sent before.
    void sendEcho(const QString &id) { send(QJsonObject{{u"id"_s, id}, {u"method"_s, u"echo"_s}, {u"params"_s, QJsonArray{id}}}); }
    [[nodiscard]] bool answered(const QString &id) const
    {
        return std::any_of(received.cbegin(), received.cend(),
                           [&](const QJsonObject &m) { return m.value("id"_L1).toString() == id && m.contains("result"_L1); });
    }
    [[nodiscard]] QStringList methods() const
    {
        QStringList list;
        for (const QJsonObject &m : received)
            list.append(m.value("method"_L1).toString());
        return list;
    }

    int connections = 0;
    QList<QJsonObject> received;
    QStringList unknownMethods; // answered with "unknown method"
    bool answerEcho = true;
    QJsonArray sinceReply; // monitor_cond_since's reply when set (else a full snapshot)
    std::function<void(const QString &monitorId)> afterMonitor; // sent right behind its reply
    void dropConnection()
    {
        if (m_socket)
            m_socket->abort();
    }
    QJsonObject serverRow = json(R"({"model":"standalone","leader":true,"connected":true})");
    QJsonObject snapshot = json(R"({"Logical_Switch": {"00000000-0000-0000-0000-000000000001": {"initial": {"name": "front"}}}})");

private:
    void reply(QLocalSocket *socket, const QJsonValue &id, const QJsonValue &result, const QJsonValue &error = QJsonValue::Null)
    {
        socket->write(QJsonDocument(QJsonObject{{u"id"_s, id}, {u"result"_s, result}, {u"error"_s, error}}).toJson(QJsonDocument::Compact));
    }

    void handle(QLocalSocket *socket, const QJsonObject &m)
    {
        const QString method = m.value("method"_L1).toString();
        const QJsonValue id = m.value("id"_L1);
        if (!m.contains("method"_L1))
            return; // a reply from the client
        if (unknownMethods.contains(method))
            return reply(socket, id, QJsonValue::Null, u"unknown method"_s);
        if (method == u"list_dbs")
            return reply(socket, id, QJsonArray{u"_Server"_s, u"OVN_Northbound"_s});
        if (method == u"transact" && m.value("params"_L1).toArray().at(0).toString() == u"_Server")
            return reply(socket, id, QJsonArray{QJsonObject{{u"rows"_s, QJsonArray{serverRow}}}});
        if (method == u"monitor" && m.value("params"_L1).toArray().at(0).toString() == u"_Server") {
            QJsonObject row = serverRow;
            row.insert(u"name"_s, u"OVN_Northbound"_s);
            return reply(socket, id, QJsonObject{{u"Database"_s, QJsonObject{{ServerRowUuid, QJsonObject{{u"new"_s, row}}}}}});
        }
        if (method == u"transact") // an insert, then a commit error
            return reply(socket, id, QJsonArray{json(R"({"uuid":["uuid","00000000-0000-0000-0000-000000000009"]})"),
                                                json(R"({"error":"constraint violation","details":"duplicate name"})")});
        if (method == u"get_schema")
            return reply(socket, id, QJsonDocument::fromJson(Schema).object());
        if (method == u"monitor_cond_since") {
            reply(socket, id, sinceReply.isEmpty() ? QJsonArray{false, U2, snapshot} : sinceReply);
            if (afterMonitor)
                afterMonitor(m.value("params"_L1).toArray().at(1).toString());
            return;
        }
        if (method == u"monitor_cond")
            return reply(socket, id, snapshot);
        if (method == u"monitor") {
            // update1 notation of the same snapshot
            QJsonObject tables;
            for (auto t = snapshot.begin(); t != snapshot.end(); ++t) {
                QJsonObject rows;
                const QJsonObject rows2 = t.value().toObject();
                for (auto r = rows2.begin(); r != rows2.end(); ++r)
                    rows.insert(r.key(), QJsonObject{{u"new"_s, r.value().toObject().value("initial"_L1)}});
                tables.insert(t.key(), rows);
            }
            return reply(socket, id, tables);
        }
        if (method == u"echo" && answerEcho)
            return reply(socket, id, m.value("params"_L1));
    }

    QLocalServer m_server;
    QPointer<QLocalSocket> m_socket;
};

} // namespace

class tst_OvsdbClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void remotes_data();
    void remotes();
    void handshakeAndUpdates();
    void fallsBackToMonitorCondThenMonitor();
    void hostileMessageDropsSessionAndResyncs_data();
    void hostileMessageDropsSessionAndResyncs();
    void answersEchoAndUnknownRequests();
    void inactivityProbeDropsSilentServer();
    void transactReportsCommitError();
    void callWithoutSessionFailsAtOnce();
    void unreachableRemotesBackOff();
    void clusterFollowsTheLeader();
    void monitorCancelBothWays();
    void reconnectResumesFromLastTransaction();
    void largeSnapshotReadAsideInOrder();

private:
    void startAndSync();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeServer> m_server;
    std::unique_ptr<OvsdbClient> m_client;
};

void tst_OvsdbClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<FakeServer>(m_dir->filePath(u"nb.sock"_s));
    m_client = std::make_unique<OvsdbClient>();
    m_client->setRemotes({u"unix:"_s + m_dir->filePath(u"nb.sock"_s)});
    m_client->setMonitoredTables({{u"Logical_Switch"_s, {}}, {u"Logical_Switch_Port"_s, {}}});
    m_client->setBackoff(50, 200);
}

void tst_OvsdbClient::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_dir.reset();
}

void tst_OvsdbClient::startAndSync()
{
    m_client->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 5000);
}

void tst_OvsdbClient::remotes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalised"); // empty: invalid
    QTest::newRow("tcp") << u"tcp:127.0.0.1:6641"_s << u"tcp:127.0.0.1:6641"_s;
    QTest::newRow("ssl") << u"ssl:nb.example.org:6641"_s << u"ssl:nb.example.org:6641"_s;
    QTest::newRow("tcp ipv6") << u"tcp:[::1]:6641"_s << u"tcp:[::1]:6641"_s;
    QTest::newRow("unix") << u"unix:/run/ovn/ovnnb_db.sock"_s << u"unix:/run/ovn/ovnnb_db.sock"_s;
    QTest::newRow("ipv6 without brackets") << u"tcp:::1:6641"_s << QString();
    QTest::newRow("no port") << u"tcp:127.0.0.1"_s << QString();
    QTest::newRow("port 0") << u"tcp:127.0.0.1:0"_s << QString();
    QTest::newRow("port too big") << u"tcp:127.0.0.1:70000"_s << QString();
    QTest::newRow("passive remote") << u"ptcp:6641"_s << QString();
    QTest::newRow("empty unix") << u"unix:"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void tst_OvsdbClient::remotes()
{
    QFETCH(QString, text);
    QFETCH(QString, normalised);
    const OvsdbRemote remote = OvsdbRemote::parse(text);
    QCOMPARE(remote.isValid(), !normalised.isEmpty());
    QCOMPARE(remote.toString(), normalised);
}

void tst_OvsdbClient::handshakeAndUpdates()
{
    QSignalSpy changed(m_client.get(), &OvsdbClient::cacheChanged);
    startAndSync();
    QCOMPARE(m_server->methods().mid(0, 4), (QStringList{u"list_dbs"_s, u"transact"_s, u"get_schema"_s, u"monitor_cond_since"_s}));
    QCOMPARE(m_client->monitorMethod(), u"monitor_cond_since"_s);
    QCOMPARE(m_client->lastTransactionId(), U2);
    QCOMPARE(m_client->cache().value(u"Logical_Switch"_s, U1, u"name"_s).toString(), u"front"_s);
    QCOMPARE(changed.size(), 1);

    const QString monitorId = m_server->received.at(3).value("params"_L1).toArray().at(1).toString();
    m_server->send(QJsonObject{{u"id"_s, QJsonValue::Null},
                               {u"method"_s, u"update3"_s},
                               {u"params"_s, QJsonArray{monitorId, u"00000000-0000-0000-0000-000000000003"_s,
                                                        json(R"({"Logical_Switch": {"00000000-0000-0000-0000-000000000001": {"modify": {"name": "back"}}}})")}}});
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(m_client->cache().value(u"Logical_Switch"_s, U1, u"name"_s).toString(), u"back"_s);
    QCOMPARE(m_client->lastTransactionId(), u"00000000-0000-0000-0000-000000000003"_s);
    // An update for another monitor id is ignored, not applied.
    m_server->send(QJsonObject{{u"id"_s, QJsonValue::Null},
                               {u"method"_s, u"update2"_s},
                               {u"params"_s, QJsonArray{u"someone-else"_s, json(R"({"Logical_Switch": {"00000000-0000-0000-0000-000000000001": {"delete": null}}})")}}});
    m_server->sendEcho(u"after-foreign-update"_s);
    QTRY_VERIFY(m_server->answered(u"after-foreign-update"_s));
    QCOMPARE(m_client->cache().rowCount(), 1);
    QCOMPARE(m_client->state(), OvsdbClient::State::Synced);
}

void tst_OvsdbClient::fallsBackToMonitorCondThenMonitor()
{
    m_server->unknownMethods = {u"monitor_cond_since"_s, u"monitor_cond"_s};
    startAndSync();
    QVERIFY(m_server->methods().contains(u"monitor_cond"_s));
    QCOMPARE(m_client->monitorMethod(), u"monitor"_s);
    QCOMPARE(m_client->cache().value(u"Logical_Switch"_s, U1, u"name"_s).toString(), u"front"_s);
    const QString monitorId = m_server->received.last().value("params"_L1).toArray().at(1).toString();
    m_server->send(QJsonObject{{u"id"_s, QJsonValue::Null},
                               {u"method"_s, u"update"_s},
                               {u"params"_s, QJsonArray{monitorId, json(R"({"Logical_Switch": {"00000000-0000-0000-0000-000000000002": {"new": {"name": "data"}}}})")}}});
    QTRY_COMPARE(m_client->cache().rowCount(), 2);
}

void tst_OvsdbClient::hostileMessageDropsSessionAndResyncs_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("error");
    QTest::newRow("garbage") << QByteArray("hello\n") << u"unexpected byte"_s;
    QTest::newRow("invalid JSON") << QByteArray(R"({"id":null,"method":"update3","params":[}])") << u"invalid JSON"_s;
    QTest::newRow("invalid JSON of 300 KiB (parsed on the pool)")
        << QByteArray("{\"id\":null,\"method\":\"echo\",\"params\":[\"") + QByteArray(300 * 1024, 'x') + "\"}]" << u"invalid JSON"_s;
    QTest::newRow("10000-deep nesting") << QByteArray(10000, '[').prepend("{\"id\":null,\"method\":\"update3\",\"params\":") << u"nests deeper"_s;
    QTest::newRow("2 MiB string over a 1 MiB limit")
        << QByteArray("{\"id\":null,\"method\":\"echo\",\"params\":[\"") + QByteArray(2 * 1024 * 1024, 'x') + "\"]}" << u"maximum size"_s;
    QTest::newRow("unknown table") << QByteArray(R"({"id":null,"method":"update3","params":["MONITOR","00000000-0000-0000-0000-000000000004",{"Nope":{}}]})")
                                   << u"unknown table Nope"_s;
    QTest::newRow("duplicate uuid") << QByteArray(R"({"id":null,"method":"update3","params":["MONITOR","00000000-0000-0000-0000-000000000004",
        {"Logical_Switch":{"00000000-0000-0000-0000-000000000001":{"insert":{"name":"again"}}}}]})") << u"duplicate uuid"_s;
    QTest::newRow("wrong type") << QByteArray(R"({"id":null,"method":"update3","params":["MONITOR","00000000-0000-0000-0000-000000000004",
        {"Logical_Switch":{"00000000-0000-0000-0000-000000000001":{"modify":{"name":7}}}}]})") << u"expected string"_s;
    QTest::newRow("update3 missing params") << QByteArray(R"({"id":null,"method":"update3","params":["MONITOR"]})") << u"update3 with 1 params"_s;
    QTest::newRow("neither request nor reply") << QByteArray(R"({"hello":"world"})") << u"neither a request nor a reply"_s;
    QTest::newRow("method not a string") << QByteArray(R"({"id":null,"method":5,"params":[]})") << u"string method"_s;
}

void tst_OvsdbClient::hostileMessageDropsSessionAndResyncs()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, error);
    m_client->setLimits(1024 * 1024, 64);
    startAndSync();
    QSignalSpy protocolErrors(m_client.get(), &OvsdbClient::protocolError);
    QSignalSpy changed(m_client.get(), &OvsdbClient::cacheChanged);
    const QString monitorId = m_server->received.at(3).value("params"_L1).toArray().at(1).toString();
    // The clear logged error (the test fails if it is not logged).
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"protocol error from .*"_s + QRegularExpression::escape(error)));
    m_server->send(message.replace("MONITOR", monitorId.toUtf8()));
    QTRY_COMPARE_WITH_TIMEOUT(protocolErrors.size(), 1, 5000);
    QVERIFY2(protocolErrors.at(0).at(1).toString().contains(error), qPrintable(protocolErrors.at(0).at(1).toString()));
    QVERIFY(m_client->lastTransactionId().isEmpty() || !error.contains(u"uuid"_s));
    // The cache kept its consistent content and the client comes back with a full resync.
    QCOMPARE(m_client->cache().value(u"Logical_Switch"_s, U1, u"name"_s).toString(), u"front"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connections, 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 5000);
    QCOMPARE(m_client->cache().rowCount(), 1);
    QCOMPARE(changed.size(), 0); // same content after the resync: nothing to report
}

void tst_OvsdbClient::answersEchoAndUnknownRequests()
{
    startAndSync();
    m_server->send(QByteArray(R"({"id":"e1","method":"echo","params":["ping",1]})"));
    m_server->send(QByteArray(R"({"id":"x1","method":"frobnicate","params":[]})"));
    m_server->send(QByteArray(R"({"id":null,"method":"frobnicated","params":[]})"));
    QTRY_VERIFY(m_server->received.size() >= 6);
    const QJsonObject echo = m_server->received.at(4);
    QCOMPARE(echo.value("id"_L1).toString(), u"e1"_s);
    QCOMPARE(echo.value("result"_L1).toArray(), (QJsonArray{u"ping"_s, 1}));
    const QJsonObject unknown = m_server->received.at(5);
    QCOMPARE(unknown.value("id"_L1).toString(), u"x1"_s);
    QCOMPARE(unknown.value("error"_L1).toString(), u"unknown method"_s);
    m_server->sendEcho(u"after-unknown"_s);
    QTRY_VERIFY(m_server->answered(u"after-unknown"_s));
    QCOMPARE(m_client->state(), OvsdbClient::State::Synced);
    QCOMPARE(m_server->connections, 1);
}

void tst_OvsdbClient::inactivityProbeDropsSilentServer()
{
    m_client->setInactivityProbe(200);
    QSignalSpy failed(m_client.get(), &OvsdbClient::connectionFailed);
    startAndSync();
    // An idle but answering server keeps the session, probe after probe.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->methods().count(u"echo"_s) >= 3, 5000);
    QCOMPARE(m_client->state(), OvsdbClient::State::Synced);
    QVERIFY(failed.isEmpty());
    // A server that stops answering is dropped after two probe intervals.
    m_server->answerEcho = false;
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 2000);
    QVERIFY2(failed.at(0).at(1).toString().contains(u"inactivity probe"_s), qPrintable(failed.at(0).at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connections, 2, 3000);
}

void tst_OvsdbClient::transactReportsCommitError()
{
    startAndSync();
    std::optional<OvsdbTransactResult> result;
    m_client->transact(QJsonArray{json(R"({"op":"insert","table":"Logical_Switch","row":{"name":"x"}})")},
                       [&result](const OvsdbTransactResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(!result->ok);
    QCOMPARE(result->errors.size(), 1);
    QCOMPARE(result->errors.first().index, 1); // the extra slot after the last operation: the commit
    QCOMPARE(result->firstError(), u"constraint violation"_s);
    QCOMPARE(result->errors.first().details, u"duplicate name"_s);
    const QJsonArray params = m_server->received.last().value("params"_L1).toArray();
    QCOMPARE(params.at(0).toString(), u"OVN_Northbound"_s);
}

void tst_OvsdbClient::callWithoutSessionFailsAtOnce()
{
    bool called = false;
    QCOMPARE(m_client->call(u"echo"_s, {}, [&called](const QJsonValue &, const QJsonValue &error) { called = !error.isNull(); }), 0u);
    QVERIFY(called);
}

void tst_OvsdbClient::unreachableRemotesBackOff()
{
    m_client->setRemotes({u"unix:"_s + m_dir->filePath(u"none.sock"_s), u"tcp:127.0.0.1:1"_s, u"bogus"_s});
    QSignalSpy failed(m_client.get(), &OvsdbClient::connectionFailed);
    m_client->start();
    // Each remote is tried in turn; rounds are separated by 50, 100, 200, 200 ms.
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 9, 5000);
    QStringList tried;
    for (int i = 0; i < 3; ++i)
        tried.append(failed.at(i).at(0).toString());
    QCOMPARE(tried, (QStringList{u"unix:"_s + m_dir->filePath(u"none.sock"_s), u"tcp:127.0.0.1:1"_s, u"bogus"_s}));
    QVERIFY(failed.at(2).at(1).toString().contains(u"invalid remote"_s));
    QCOMPARE(m_client->state(), OvsdbClient::State::Waiting);
    m_client->stop();
    QCOMPARE(m_client->state(), OvsdbClient::State::Idle);
}

void tst_OvsdbClient::clusterFollowsTheLeader()
{
    // Two members of a cluster: the first is a follower at first.
    FakeServer second(m_dir->filePath(u"nb2.sock"_s));
    const QJsonObject leader = json(R"({"model":"clustered","leader":true,"connected":true})");
    m_server->serverRow = json(R"({"model":"clustered","leader":false,"connected":true})");
    second.serverRow = leader;
    m_client->setRemotes({u"unix:"_s + m_dir->filePath(u"nb.sock"_s), u"unix:"_s + m_dir->filePath(u"nb2.sock"_s)});
    QSignalSpy failed(m_client.get(), &OvsdbClient::connectionFailed);
    startAndSync();
    QCOMPARE(m_client->currentRemote(), u"unix:"_s + m_dir->filePath(u"nb2.sock"_s));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), u"not the cluster leader"_s);
    QVERIFY(!m_server->methods().contains(u"get_schema"_s));
    QVERIFY(second.methods().contains(u"monitor"_s)); // the _Server monitor

    // Leadership moves back to the first member: the second says so through _Server.
    m_server->serverRow = leader;
    QString serverMonitor;
    for (const QJsonObject &m : std::as_const(second.received)) {
        if (m.value("method"_L1) == u"monitor"_s)
            serverMonitor = m.value("params"_L1).toArray().at(1).toString();
    }
    QVERIFY(!serverMonitor.isEmpty());
    second.send(QJsonObject{{u"id"_s, QJsonValue::Null},
                            {u"method"_s, u"update"_s},
                            {u"params"_s, QJsonArray{serverMonitor, QJsonObject{{u"Database"_s, QJsonObject{{ServerRowUuid,
                                QJsonObject{{u"old"_s, json(R"({"leader":true})")}, {u"new"_s, json(R"({"name":"OVN_Northbound","model":"clustered","leader":false,"connected":true})")}}}}}}}}});
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 3000);
    QCOMPARE(failed.at(1).at(1).toString(), u"cluster leadership moved"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 5000);
    QCOMPARE(m_client->currentRemote(), u"unix:"_s + m_dir->filePath(u"nb.sock"_s));
}

void tst_OvsdbClient::monitorCancelBothWays()
{
    startAndSync();
    const QString monitorId = m_server->received.at(3).value("params"_L1).toArray().at(1).toString();
    // The server cancels the monitor (e.g. its database was removed and came back): resubscribe.
    m_server->send(QJsonObject{{u"id"_s, QJsonValue::Null}, {u"method"_s, u"monitor_canceled"_s}, {u"params"_s, QJsonArray{monitorId}}});
    QTRY_COMPARE(m_server->methods().count(u"monitor_cond_since"_s), 2);
    QTRY_COMPARE(m_client->state(), OvsdbClient::State::Synced);
    QCOMPARE(m_client->cache().rowCount(), 1);
    // The client cancels its monitor.
    const QString current = m_server->received.last().value("params"_L1).toArray().at(1).toString();
    m_client->cancelMonitor();
    QTRY_COMPARE(m_server->received.last().value("method"_L1).toString(), u"monitor_cancel"_s);
    QCOMPARE(m_server->received.last().value("params"_L1).toArray(), QJsonArray{current});
    // A cancel of an outstanding request is a notification naming its id.
    const quint64 id = m_client->call(u"transact"_s, QJsonArray{u"OVN_Northbound"_s}, [](const QJsonValue &, const QJsonValue &) {});
    m_client->cancelRequest(id);
    QTRY_COMPARE(m_server->received.last().value("method"_L1).toString(), u"cancel"_s);
    QCOMPARE(m_server->received.last().value("params"_L1).toArray(), QJsonArray{qint64(id)});
    QVERIFY(m_server->received.last().value("id"_L1).isNull());
}

void tst_OvsdbClient::reconnectResumesFromLastTransaction()
{
    startAndSync();
    QCOMPARE(m_client->lastTransactionId(), U2);
    // A clustered server keeps history: after the reconnect it sends only what changed since U2.
    const QString u3 = u"00000000-0000-0000-0000-000000000003"_s;
    m_server->sinceReply = QJsonArray{true, u3, json(R"({"Logical_Switch": {
        "00000000-0000-0000-0000-000000000001": {"modify": {"name": "renamed"}},
        "00000000-0000-0000-0000-000000000002": {"insert": {"name": "new"}}}})")};
    QSignalSpy synchronised(m_client.get(), &OvsdbClient::synchronised);
    QSignalSpy changed(m_client.get(), &OvsdbClient::cacheChanged);
    m_server->dropConnection();
    QTRY_COMPARE_WITH_TIMEOUT(synchronised.size(), 1, 5000);
    QCOMPARE(synchronised.at(0).at(0).toBool(), true); // resumed
    const QJsonObject request = m_server->received.last();
    QCOMPARE(request.value("method"_L1).toString(), u"monitor_cond_since"_s);
    QCOMPARE(request.value("params"_L1).toArray().at(3).toString(), U2);
    QCOMPARE(m_client->lastTransactionId(), u3);
    QCOMPARE(m_client->cache().rowCount(), 2);
    QCOMPARE(m_client->cache().value(u"Logical_Switch"_s, U1, u"name"_s).toString(), u"renamed"_s);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<OvsdbChangeSet>().size(), 2);

    // History lost (found=false): a full snapshot replaces everything, stale rows reported deleted.
    m_server->sinceReply = QJsonArray{false, u"00000000-0000-0000-0000-000000000004"_s,
                                      json(R"({"Logical_Switch": {"00000000-0000-0000-0000-000000000002": {"initial": {"name": "new"}}}})")};
    m_server->dropConnection();
    QTRY_COMPARE_WITH_TIMEOUT(synchronised.size(), 2, 5000);
    QCOMPARE(synchronised.at(1).at(0).toBool(), false);
    QCOMPARE(m_client->cache().rowCount(), 1);
    QVERIFY(!m_client->cache().row(u"Logical_Switch"_s, U1));
    QCOMPARE(changed.last().at(0).value<OvsdbChangeSet>().table(u"Logical_Switch"_s).value(U1), OvsdbChangeSet::Kind::Delete);
}

// A snapshot of half a megabyte is read on the thread pool; the update the server sends right
// behind it waits for it: handled first, it would be refused ("before the monitor reply").
void tst_OvsdbClient::largeSnapshotReadAsideInOrder()
{
    QJsonObject ports;
    for (int i = 0; i < 4000; ++i) {
        ports.insert(u"10000000-0000-0000-0000-%1"_s.arg(i, 12, 10, QLatin1Char('0')),
                     QJsonObject{{u"initial"_s, QJsonObject{{u"name"_s, u"6f0e9c52-2b8e-4d71-9a3c-%1"_s.arg(i, 12, 10, QLatin1Char('0'))}}}});
    }
    m_server->snapshot.insert(u"Logical_Switch_Port"_s, ports);
    QVERIFY(QJsonDocument(m_server->snapshot).toJson(QJsonDocument::Compact).size() > 300 * 1024);
    const QString u3 = u"00000000-0000-0000-0000-000000000003"_s;
    m_server->afterMonitor = [&](const QString &monitorId) {
        m_server->send(QJsonObject{{u"id"_s, QJsonValue::Null},
                                   {u"method"_s, u"update3"_s},
                                   {u"params"_s, QJsonArray{monitorId, u3, json(R"({"Logical_Switch_Port": {
            "10000000-0000-0000-0000-000000000000": {"modify": {"name": "renamed"}},
            "10000000-0000-0000-0000-000000000001": {"delete": null}}})")}}});
        m_server->sendEcho(u"behind"_s);
    };
    QSignalSpy changed(m_client.get(), &OvsdbClient::cacheChanged);
    QSignalSpy protocolErrors(m_client.get(), &OvsdbClient::protocolError);
    startAndSync();
    QTRY_VERIFY(m_server->answered(u"behind"_s));
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(protocolErrors.size(), 0);
    QCOMPARE(changed.at(0).at(0).value<OvsdbChangeSet>().table(u"Logical_Switch_Port"_s).size(), 4000);
    QCOMPARE(changed.at(1).at(0).value<OvsdbChangeSet>().size(), 2);
    QCOMPARE(m_client->cache().rowCount(u"Logical_Switch_Port"_s), 3999);
    QCOMPARE(m_client->cache().value(u"Logical_Switch_Port"_s, u"10000000-0000-0000-0000-000000000000"_s, u"name"_s).toString(),
             u"renamed"_s);
    QCOMPARE(m_client->lastTransactionId(), u3);

    // A large snapshot that breaks the schema in its last row: refused whole, the cache kept.
    m_server->afterMonitor = {};
    ports.insert(u"10000000-0000-0000-0000-999999999999"_s, json(R"({"initial": {"name": 7}})"));
    m_server->snapshot.insert(u"Logical_Switch_Port"_s, ports);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"protocol error from .*bad update: .*expected string"_s));
    m_server->dropConnection();
    QTRY_VERIFY_WITH_TIMEOUT(!protocolErrors.isEmpty(), 5000);
    QVERIFY2(protocolErrors.at(0).at(1).toString().contains(u"expected string"_s), qPrintable(protocolErrors.at(0).at(1).toString()));
    QCOMPARE(m_client->cache().rowCount(u"Logical_Switch_Port"_s), 3999);
    QCOMPARE(changed.size(), 2);
    m_client->stop();
}

QTEST_GUILESS_MAIN(tst_OvsdbClient)
#include "tst_ovsdbclient.moc"
