// The demo's in-process OVSDB server, through Vigie's real client and OVN mapping: the snapshot,
// the controller's own transactions (moves, ports, VLANs) with ovsdb-server's rules (named uuids,
// wait, garbage collection, references, indexes), the three monitor flavours, and hostile input.
#include "demo/demoovsdbserver.h"
#include "network/jsonrpcframer.h"
#include "network/networkcontroller.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

namespace {

const QString Front = u"10000000-0000-4000-8000-000000000001"_s;
const QString Data = u"10000000-0000-4000-8000-000000000002"_s;
const QString Tenant = u"10000000-0000-4000-8000-000000000003"_s;
const QString LnFront = u"20000000-0000-4000-8000-000000000001"_s;
const QString LnData = u"20000000-0000-4000-8000-000000000002"_s;
const QString VmPort = u"20000000-0000-4000-8000-000000000003"_s;
const QString NeutronPort = u"20000000-0000-4000-8000-000000000004"_s;

QJsonArray uuidSet(const QStringList &uuids)
{
    QJsonArray set;
    for (const QString &uuid : uuids)
        set.append(QJsonArray{u"uuid"_s, uuid});
    return {u"set"_s, set};
}

QJsonArray map(const QList<std::pair<QString, QString>> &pairs)
{
    QJsonArray elements;
    for (const auto &[key, value] : pairs)
        elements.append(QJsonArray{key, value});
    return {u"map"_s, elements};
}

QJsonObject readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Two Vigie-owned VLAN switches and a Neutron overlay, shaped like the lab and Neutron write them.
QJsonObject content()
{
    const auto localnet = [](const QString &name, int tag) {
        return QJsonObject{{u"name"_s, name}, {u"type"_s, u"localnet"_s}, {u"tag"_s, tag},
                           {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{u"unknown"_s}}},
                           {u"options"_s, map({{u"network_name"_s, u"prod"_s}})}};
    };
    return {
        {u"Logical_Switch"_s,
         QJsonObject{{Front, QJsonObject{{u"name"_s, u"front"_s}, {u"ports"_s, uuidSet({LnFront, VmPort})},
                                         {u"external_ids"_s, map({{u"vlan"_s, u"100"_s}})}}},
                     {Data, QJsonObject{{u"name"_s, u"data"_s}, {u"ports"_s, uuidSet({LnData})}}},
                     {Tenant, QJsonObject{{u"name"_s, u"neutron-5d1c"_s}, {u"ports"_s, uuidSet({NeutronPort})},
                                          {u"external_ids"_s, map({{u"neutron:network_name"_s, u"tenant"_s}})}}}}},
        {u"Logical_Switch_Port"_s,
         QJsonObject{{LnFront, localnet(u"ln-front"_s, 100)},
                     {LnData, localnet(u"ln-data"_s, 200)},
                     {VmPort, QJsonObject{{u"name"_s, u"iface-1"_s}, {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{u"52:54:00:00:00:01"_s}}},
                                          {u"external_ids"_s, map({{u"vm"_s, u"web-1"_s}})}}},
                     {NeutronPort, QJsonObject{{u"name"_s, u"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"_s},
                                               {u"external_ids"_s, map({{u"neutron:device_owner"_s, u"compute:nova"_s}})}}}}},
    };
}

// A raw JSON-RPC connection, for what the client never sends.
class RawClient
{
public:
    explicit RawClient(const QString &remote)
    {
        // The server runs on this thread: wait with the event loop running, never blocked.
        m_socket.connectToServer(remote.mid(5));
        static_cast<void>(QTest::qWaitFor([this] { return m_socket.state() == QLocalSocket::ConnectedState; }, 2000));
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    void request(const QString &method, const QJsonArray &params, int id)
    {
        send(QJsonDocument(QJsonObject{{u"method"_s, method}, {u"params"_s, params}, {u"id"_s, id}}).toJson(QJsonDocument::Compact));
    }
    // The next message, or an empty object after TIMEOUT ms.
    QJsonObject next(int timeout = 2000)
    {
        static_cast<void>(QTest::qWaitFor([this] {
            m_framer.feed(m_socket.readAll());
            m_pending.append(m_framer.takeMessages());
            return !m_pending.isEmpty();
        }, timeout));
        return m_pending.isEmpty() ? QJsonObject() : m_pending.takeFirst();
    }
    [[nodiscard]] bool isConnected() const { return m_socket.state() == QLocalSocket::ConnectedState; }
    QLocalSocket &socket() { return m_socket; }

private:
    QLocalSocket m_socket;
    JsonRpcFramer m_framer;
    QList<QJsonObject> m_pending;
};

} // namespace

class TestDemoOvsdbServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<DemoOvsdbServer>();
        QString error;
        QVERIFY2(m_server->load(readResource(u":/demo/ovn-nb.ovsschema"_s), content(), &error), qPrintable(error));
        QVERIFY2(m_server->listen(m_dir.filePath(u"nb.sock"_s), &error), qPrintable(error));
        QVERIFY(m_server->remote().startsWith(u"unix:/"_s));
        m_client = std::make_unique<OvsdbClient>();
        m_northbound = std::make_unique<OvnNorthbound>();
        m_northbound->attach(m_client.get());
        m_client->setRemotes({m_server->remote()});
        m_client->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 5000);
    }

    void cleanup()
    {
        m_northbound.reset();
        m_client.reset();
        m_server.reset();
    }

    void snapshotThroughTheRealClient()
    {
        // The newest protocol the client knows, resumable; the mapping sees VLANs and owners.
        QCOMPARE(m_client->monitorMethod(), u"monitor_cond_since"_s);
        QCOMPARE(m_client->lastTransactionId(), m_server->database().lastTransactionId());
        QCOMPARE(m_northbound->switchCount(), 3);
        QCOMPARE(m_northbound->portCount(), 4);
        QCOMPARE(m_northbound->logicalSwitch(Front).vlanId, 100);
        QCOMPARE(m_northbound->logicalSwitch(Data).vlanId, 200);
        QVERIFY(m_northbound->logicalSwitch(Tenant).isOverlay());
        QCOMPARE(m_northbound->logicalSwitch(Tenant).owner(), OvnOwner::Neutron);
        QCOMPARE(m_northbound->port(VmPort).switchUuid, Front);
        // Columns a row did not give have their defaults.
        QCOMPARE(m_northbound->port(VmPort).type, QString());
    }

    // The lead's move: the port leaves FRONT and joins DATA in one transaction, and survives it
    // (DATA refers to it when the garbage collector looks). The same move again fails its wait.
    void movePortAndFailingWait()
    {
        const OvnLogicalSwitch front = m_northbound->logicalSwitch(Front);
        const OvnLogicalSwitch data = m_northbound->logicalSwitch(Data);
        const QJsonArray move = NetworkController::movePortOperations(VmPort, front, data);
        OvsdbTransactResult result;
        bool done = false;
        m_client->transact(move, [&](const OvsdbTransactResult &r) { result = r; done = true; });
        QTRY_VERIFY(done);
        QVERIFY2(result.ok, qPrintable(result.firstError()));
        QTRY_COMPARE(m_northbound->port(VmPort).switchUuid, Data);
        QCOMPARE(m_northbound->portCount(), 4);
        QVERIFY(m_server->database().tables().value(u"Logical_Switch_Port"_s).contains(VmPort));
        QCOMPARE(m_client->lastTransactionId(), m_server->database().lastTransactionId());

        const QString before = m_server->database().lastTransactionId();
        done = false;
        m_client->transact(move, [&](const OvsdbTransactResult &r) { result = r; done = true; });
        QTRY_VERIFY(done);
        QVERIFY(!result.ok);
        QCOMPARE(result.errors.first().error, u"timed out"_s);
        QCOMPARE(result.errors.first().index, 0);
        QCOMPARE(m_server->database().lastTransactionId(), before);
        QCOMPARE(m_northbound->port(VmPort).switchUuid, Data);
    }

    // A named uuid used by a later operation; a VLAN created and deleted, its localnet port
    // collected with it; a port taken out of every switch collected too.
    void portsAndVlans()
    {
        QVERIFY(transact(NetworkController::addPortOperations(m_northbound->logicalSwitch(Data), u"iface-2"_s,
                                                              u"52:54:00:00:00:02"_s, u"db-1"_s, u"acme"_s)).ok);
        QTRY_COMPARE(m_northbound->portByName(u"iface-2"_s).switchUuid, Data);
        QCOMPARE(m_northbound->portByName(u"iface-2"_s).vm(), u"db-1"_s);
        // The port exists now: adding it again fails its wait.
        QCOMPARE(transact(NetworkController::addPortOperations(m_northbound->logicalSwitch(Data), u"iface-2"_s,
                                                              u"52:54:00:00:00:02"_s, u"db-1"_s, u"acme"_s)).firstError(),
                 u"timed out"_s);

        QVERIFY(transact(NetworkController::createVlanOperations(u"backup"_s, 400, u"infra"_s, u"prod"_s)).ok);
        QTRY_COMPARE(m_northbound->switchByName(u"backup"_s).vlanId, 400);
        const qsizetype ports = m_server->database().tables().value(u"Logical_Switch_Port"_s).size();
        QVERIFY(transact(NetworkController::deleteVlanOperations(m_northbound->switchByName(u"backup"_s))).ok);
        QTRY_VERIFY(m_northbound->switchByName(u"backup"_s).uuid.isEmpty());
        QCOMPARE(m_server->database().tables().value(u"Logical_Switch_Port"_s).size(), ports - 1);
        QVERIFY(m_northbound->portByName(u"ln-backup"_s).uuid.isEmpty());

        const QString iface2 = m_northbound->portByName(u"iface-2"_s).uuid;
        const QJsonObject unplug{{u"op"_s, u"mutate"_s}, {u"table"_s, u"Logical_Switch"_s},
                                 {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, Data}}}},
                                 {u"mutations"_s, QJsonArray{QJsonArray{u"ports"_s, u"delete"_s, uuidSet({iface2})}}}};
        QVERIFY(transact({unplug}).ok);
        QTRY_VERIFY(m_northbound->port(iface2).uuid.isEmpty());
        QVERIFY(!m_server->database().tables().value(u"Logical_Switch_Port"_s).contains(iface2));
    }

    // Operations ovsdb-server refuses, each leaving the database as it was.
    void refusedTransactions_data()
    {
        QTest::addColumn<QJsonArray>("operations");
        QTest::addColumn<QString>("error");
        const QJsonObject dangling{{u"op"_s, u"insert"_s}, {u"table"_s, u"Logical_Switch"_s},
                                   {u"row"_s, QJsonObject{{u"name"_s, u"x"_s}, {u"ports"_s, uuidSet({u"30000000-0000-4000-8000-000000000009"_s})}}}};
        QTest::newRow("strong reference to nothing") << QJsonArray{dangling} << u"referential integrity violation"_s;
        const QJsonObject twin{{u"op"_s, u"insert"_s}, {u"table"_s, u"Logical_Switch_Port"_s}, {u"uuid-name"_s, u"p"_s},
                               {u"row"_s, QJsonObject{{u"name"_s, u"iface-1"_s}}}};
        const QJsonObject plug{{u"op"_s, u"mutate"_s}, {u"table"_s, u"Logical_Switch"_s},
                               {u"where"_s, QJsonArray{QJsonArray{u"name"_s, u"=="_s, u"data"_s}}},
                               {u"mutations"_s, QJsonArray{QJsonArray{u"ports"_s, u"insert"_s,
                                                                      QJsonArray{u"set"_s, QJsonArray{QJsonArray{u"named-uuid"_s, u"p"_s}}}}}}};
        QTest::newRow("index: a second port of that name") << QJsonArray{twin, plug} << u"constraint violation"_s;
        QTest::newRow("unknown operation") << QJsonArray{QJsonObject{{u"op"_s, u"frobnicate"_s}, {u"table"_s, u"Logical_Switch"_s}}}
                                           << u"syntax error"_s;
        QTest::newRow("unknown table") << QJsonArray{QJsonObject{{u"op"_s, u"delete"_s}, {u"table"_s, u"Meter"_s}, {u"where"_s, QJsonArray{}}}}
                                       << u"syntax error"_s;
        QTest::newRow("unknown named uuid") << QJsonArray{plug} << u"syntax error"_s;
        QTest::newRow("wrong type") << QJsonArray{QJsonObject{{u"op"_s, u"update"_s}, {u"table"_s, u"Logical_Switch_Port"_s},
                                                              {u"where"_s, QJsonArray{}}, {u"row"_s, QJsonObject{{u"tag"_s, u"ten"_s}}}}}
                                    << u"constraint violation"_s;
        QTest::newRow("tag out of a set's bounds")
            << QJsonArray{QJsonObject{{u"op"_s, u"mutate"_s}, {u"table"_s, u"Logical_Switch_Port"_s},
                                      {u"where"_s, QJsonArray{QJsonArray{u"name"_s, u"=="_s, u"ln-front"_s}}},
                                      {u"mutations"_s, QJsonArray{QJsonArray{u"tag"_s, u"insert"_s, QJsonArray{u"set"_s, QJsonArray{7}}}}}}}
            << u"constraint violation"_s;
        QTest::newRow("wait !=") << QJsonArray{QJsonObject{{u"op"_s, u"wait"_s}, {u"timeout"_s, 0}, {u"table"_s, u"Logical_Switch"_s},
                                                           {u"where"_s, QJsonArray{QJsonArray{u"name"_s, u"=="_s, u"data"_s}}},
                                                           {u"columns"_s, QJsonArray{u"name"_s}}, {u"until"_s, u"!="_s},
                                                           {u"rows"_s, QJsonArray{QJsonObject{{u"name"_s, u"data"_s}}}}}}
                                 << u"timed out"_s;
        QTest::newRow("abort") << QJsonArray{dangling, QJsonObject{{u"op"_s, u"abort"_s}}} << u"aborted"_s;
    }

    void refusedTransactions()
    {
        QFETCH(QJsonArray, operations);
        QFETCH(QString, error);
        const DemoOvsdbDatabase::Tables before = m_server->database().tables();
        const OvsdbTransactResult result = transact(operations);
        QVERIFY(!result.ok);
        QCOMPARE(result.firstError(), error);
        QVERIFY(m_server->database().tables() == before);
    }

    // Every monitor flavour hears of a commit in its own notification.
    void notifications_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("notification");
        QTest::addColumn<QString>("member");
        QTest::newRow("monitor") << u"monitor"_s << u"update"_s << u"old"_s;
        QTest::newRow("monitor_cond") << u"monitor_cond"_s << u"update2"_s << u"modify"_s;
        QTest::newRow("monitor_cond_since") << u"monitor_cond_since"_s << u"update3"_s << u"modify"_s;
    }

    void notifications()
    {
        QFETCH(QString, method);
        QFETCH(QString, notification);
        QFETCH(QString, member);
        RawClient raw(m_server->remote());
        QVERIFY(raw.isConnected());
        const QJsonObject request{{u"columns"_s, QJsonArray{u"name"_s, u"ports"_s}}};
        QJsonArray params{u"OVN_Northbound"_s, u"m1"_s,
                          QJsonObject{{u"Logical_Switch"_s, method == u"monitor" ? QJsonValue(request) : QJsonValue(QJsonArray{request})}}};
        if (method == u"monitor_cond_since")
            params.append(u"00000000-0000-0000-0000-000000000000"_s);
        raw.request(method, params, 1);
        const QJsonObject reply = raw.next();
        QCOMPARE(reply.value(u"id"_s).toInt(), 1);
        QVERIFY(reply.value(u"error"_s).isNull());
        const QJsonObject snapshot = method == u"monitor_cond_since" ? reply.value(u"result"_s).toArray().at(2).toObject()
                                                                     : reply.value(u"result"_s).toObject();
        QCOMPARE(snapshot.value(u"Logical_Switch"_s).toObject().size(), 3);
        QVERIFY(!snapshot.contains(u"Logical_Switch_Port"_s));

        QVERIFY(transact(NetworkController::movePortOperations(VmPort, m_northbound->logicalSwitch(Front), m_northbound->logicalSwitch(Data))).ok);
        const QJsonObject update = raw.next();
        QCOMPARE(update.value(u"method"_s).toString(), notification);
        const QJsonArray updateParams = update.value(u"params"_s).toArray();
        QCOMPARE(updateParams.at(0).toString(), u"m1"_s);
        const QJsonObject rows = updateParams.last().toObject().value(u"Logical_Switch"_s).toObject();
        QCOMPARE(rows.size(), 2); // front and data, nothing else
        QVERIFY(rows.value(Front).toObject().contains(member));
        if (notification == u"update3")
            QCOMPARE(updateParams.at(1).toString(), m_server->database().lastTransactionId());
        if (member == u"modify") // a set diff: the one element that went
            QCOMPARE(rows.value(Front).toObject().value(u"modify"_s).toObject().value(u"ports"_s).toArray(),
                     (QJsonArray{u"set"_s, QJsonArray{QJsonArray{u"uuid"_s, VmPort}}}));

        raw.request(u"monitor_cancel"_s, {u"m1"_s}, 2);
        QVERIFY(raw.next().value(u"error"_s).isNull());
        raw.request(u"monitor_cancel"_s, {u"m1"_s}, 3);
        QCOMPARE(raw.next().value(u"error"_s).toObject().value(u"error"_s).toString(), u"unknown monitor"_s);
    }

    // Hostile input gets an error; the server keeps serving (the same connection when the stream
    // can still be parsed, new ones otherwise).
    void hostileInput_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("keepsConnection");
        QTest::newRow("malformed JSON") << QByteArray("{\"method\": ]") << u"syntax error"_s << false;
        QTest::newRow("unknown method") << QByteArray("{\"method\":\"frobnicate\",\"params\":[],\"id\":7}") << u"unknown method"_s << true;
        QTest::newRow("params not an array") << QByteArray("{\"method\":\"echo\",\"params\":{},\"id\":7}") << u"syntax error"_s << true;
        QTest::newRow("unknown database") << QByteArray("{\"method\":\"get_schema\",\"params\":[\"Open_vSwitch\"],\"id\":7}")
                                          << u"unknown database"_s << true;
        QTest::newRow("monitor of an unknown table")
            << QByteArray("{\"method\":\"monitor_cond\",\"params\":[\"OVN_Northbound\",\"x\",{\"Meter\":[{}]}],\"id\":7}") << u"syntax error"_s << true;
        QTest::newRow("monitor with a condition")
            << QByteArray("{\"method\":\"monitor_cond\",\"params\":[\"OVN_Northbound\",\"x\",{\"Logical_Switch\":[{\"where\":[[\"name\",\"==\",\"a\"]]}]}],\"id\":7}")
            << u"syntax error"_s << true;
        QTest::newRow("too large") << QByteArray("{\"method\":\"echo\",\"params\":[\"") + QByteArray(DemoOvsdbServer::MaxMessageSize, 'a')
                                   << u"syntax error"_s << false;
    }

    void hostileInput()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QFETCH(bool, keepsConnection);
        RawClient raw(m_server->remote());
        QVERIFY(raw.isConnected());
        raw.send(bytes);
        const QJsonObject reply = raw.next();
        const QJsonValue e = reply.value(u"error"_s);
        QCOMPARE(e.isString() ? e.toString() : e.toObject().value(u"error"_s).toString(), error);
        if (keepsConnection) {
            raw.request(u"echo"_s, {u"still there"_s}, 8);
            QCOMPARE(raw.next().value(u"result"_s).toArray(), QJsonArray{u"still there"_s});
        } else {
            QTRY_VERIFY(!raw.isConnected());
        }
        // The client's session was never disturbed.
        QCOMPARE(m_client->state(), OvsdbClient::State::Synced);
        RawClient fresh(m_server->remote());
        fresh.request(u"list_dbs"_s, {}, 9);
        QCOMPARE(fresh.next().value(u"result"_s).toArray(), QJsonArray{u"OVN_Northbound"_s});
    }

    // The demo's southbound: a chassis that goes takes its encapsulation (not a root row) and
    // leaves the bindings that named it (weak references) unbound.
    void weakReferencesAndGarbageCollection()
    {
        DemoOvsdbDatabase sb;
        QString error;
        QVERIFY2(sb.load(readResource(u":/demo/ovn-sb.ovsschema"_s), readResource(u":/demo/ovn-sb.json"_s), &error), qPrintable(error));
        const auto chassisOf = [&sb](const QString &hostname) {
            const DemoOvsdbDatabase::Table chassis = sb.tables().value(u"Chassis"_s);
            for (auto it = chassis.cbegin(); it != chassis.cend(); ++it) {
                if (it->value(u"hostname"_s).toString() == hostname)
                    return it.key();
            }
            return QString();
        };
        const auto boundTo = [&sb](const QString &chassis) {
            int n = 0;
            for (const OvsdbRow &binding : sb.tables().value(u"Port_Binding"_s))
                n += binding.value(u"chassis"_s).toStringList().contains(chassis) ? 1 : 0;
            return n;
        };
        const QString hv01 = chassisOf(u"par-hv01"_s);
        QVERIFY(!hv01.isEmpty());
        QVERIFY(boundTo(hv01) > 0);
        const qsizetype encaps = sb.tables().value(u"Encap"_s).size();
        DemoOvsdbDatabase::Commit commit;
        const QJsonArray result = sb.transact({QJsonObject{{u"op"_s, u"delete"_s}, {u"table"_s, u"Chassis"_s},
                                                           {u"where"_s, QJsonArray{QJsonArray{u"hostname"_s, u"=="_s, u"par-hv01"_s}}}}},
                                              &commit);
        QCOMPARE(result.at(0).toObject().value(u"count"_s).toInt(), 1);
        QCOMPARE(boundTo(hv01), 0);
        QCOMPARE(sb.tables().value(u"Encap"_s).size(), encaps - 1);
        QVERIFY(commit.tables.value(u"Port_Binding"_s).size() > 0);
        QCOMPARE(commit.tables.value(u"Encap"_s).size(), 1);
        QCOMPARE(commit.transactionId, sb.lastTransactionId());
    }

    // A client that reconnects while current resumes without a snapshot.
    void resumesWhenCurrent()
    {
        QSignalSpy synchronised(m_client.get(), &OvsdbClient::synchronised);
        m_client->stop();
        m_client->start();
        QVERIFY(synchronised.wait(5000));
        QVERIFY(synchronised.first().at(0).toBool());
        QCOMPARE(m_northbound->switchCount(), 3);
    }

private:
    OvsdbTransactResult transact(const QJsonArray &operations)
    {
        OvsdbTransactResult result;
        bool done = false;
        m_client->transact(operations, [&](const OvsdbTransactResult &r) { result = r; done = true; });
        if (!QTest::qWaitFor([&] { return done; }, 5000))
            result.errors.append({-1, u"no reply"_s, {}});
        return result;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<DemoOvsdbServer> m_server;
    std::unique_ptr<OvsdbClient> m_client;
    std::unique_ptr<OvnNorthbound> m_northbound;
};

QTEST_GUILESS_MAIN(TestDemoOvsdbServer)
#include "tst_demoovsdbserver.moc"
