#include "labenvironment.h"

#include "network/ovnnorthbound.h"
#include "network/ovsdbclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Vigie;
using Vigie::LabTest::LabEnvironment;

// OvsdbClient and OvnNorthbound against the lab's OVN northbound ovsdb-server.
class tst_OvsdbLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void initialSnapshot();
    void changeFromOvnNbctlSeenWithinOneSecond();
    void transactionConflicts_data();
    void transactionConflicts();
    void eachRemoteWorks_data();
    void eachRemoteWorks();
    void serverRestartResyncsWithoutStaleRows();
    void cleanupTestCase();

private:
    [[nodiscard]] LabEnvironment::Result nbctl(const QStringList &args) const;
    [[nodiscard]] OvsdbTransactResult transactAndWait(const QJsonArray &operations);

    LabEnvironment m_lab;
    QString m_unixRemote;
    std::unique_ptr<OvsdbClient> m_client;
    std::unique_ptr<OvnNorthbound> m_nb;
};

LabEnvironment::Result tst_OvsdbLab::nbctl(const QStringList &args) const
{
    return LabEnvironment::run(u"ovn-nbctl"_s, QStringList{u"--db="_s + m_unixRemote, u"--timeout=10"_s} + args, 20000);
}

OvsdbTransactResult tst_OvsdbLab::transactAndWait(const QJsonArray &operations)
{
    std::optional<OvsdbTransactResult> outcome;
    m_client->transact(operations, [&outcome](const OvsdbTransactResult &r) { outcome = r; });
    if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 10000))
        return {};
    return outcome.value_or(OvsdbTransactResult{});
}

void tst_OvsdbLab::initTestCase()
{
    QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
    for (const QString &remote : m_lab.controllerRemotes()) {
        if (remote.startsWith(u"unix:"))
            m_unixRemote = remote;
    }
    QVERIFY2(!m_unixRemote.isEmpty(), "the lab lists no unix: controller remote");
    m_client = std::make_unique<OvsdbClient>();
    m_nb = std::make_unique<OvnNorthbound>();
    m_nb->attach(m_client.get());
    m_client->setRemotes(m_lab.controllerRemotes());
    m_client->setInactivityProbe(2000);
    m_client->setBackoff(250, 2000);
    m_client->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 15000);
}

void tst_OvsdbLab::initialSnapshot()
{
    QCOMPARE(m_client->monitorMethod(), u"monitor_cond_since"_s);
    QCOMPARE(m_lab.vlans().size(), 3);
    for (const auto &vlan : m_lab.vlans()) {
        // Lab-owned switches are named after their VLAN; the Neutron-shaped one is
        // neutron-<network id> with a provnet-<segment id> localnet port and no lab external_ids.
        const LabTest::LabSwitch labSwitch = m_lab.switchOfVlan(vlan.id);
        const OvnLogicalSwitch s = m_nb->switchByName(labSwitch.name);
        QVERIFY2(!s.uuid.isEmpty(), qPrintable(vlan.name));
        QCOMPARE(s.vlanId, vlan.id);
        QCOMPARE(s.networkName, u"physnet"_s);
        QVERIFY(!s.isOverlay());
        if (labSwitch.owner == u"neutron") {
            QVERIFY2(s.name.startsWith(u"neutron-"_s), qPrintable(s.name));
            QCOMPARE(s.externalIds.value(u"neutron:network_name"_s), vlan.name);
            QVERIFY2(s.localnetPort.startsWith(u"provnet-"_s), qPrintable(s.localnetPort));
        } else {
            QCOMPARE(s.name, vlan.name);
            QCOMPARE(s.localnetPort, u"ln-"_s + vlan.name);
            QCOMPARE(s.externalIds.value(u"vlan"_s), QString::number(vlan.id));
        }
    }
    QCOMPARE(m_nb->switchByName(u"front"_s).vlanId, 100);
    QCOMPARE(m_nb->switchByName(u"data"_s).vlanId, 200);
    QCOMPARE(m_nb->switchByName(m_lab.switchOfVlan(300).name).vlanId, 300);

    // Every ML2/OVN-wired lab guest has its ports (named by their interface id) on VLAN
    // switches, "MAC IP" with a Neutron MAC; lab-owned ports carry VM name and tenant,
    // Neutron-shaped ones the domain's UUID as neutron:device_id. Libvirt-wired guests have none.
    for (const auto &guest : m_lab.guests()) {
        const LabTest::LabWiring wiring = m_lab.wiring(guest.name);
        int ports = 0;
        for (const OvnLogicalSwitchPort &p : m_nb->ports()) {
            if (p.vm() == guest.name || p.externalIds.value(u"neutron:device_id"_s) == wiring.uuid)
                ++ports;
        }
        if (!wiring.isOvn()) {
            QCOMPARE(ports, 0);
            continue;
        }
        QCOMPARE(ports, wiring.nics.size());
        for (const LabTest::LabNic &nic : wiring.nics) {
            const OvnLogicalSwitchPort p = m_nb->portByName(nic.port);
            QCOMPARE(p.switchName, nic.switchName);
            QVERIFY(m_nb->switchByName(p.switchName).isVlan());
            QCOMPARE(p.addresses, QStringList{nic.mac + u' ' + nic.ip});
            QVERIFY2(nic.mac.startsWith(u"fa:16:3e:"_s), qPrintable(nic.mac));
            QCOMPARE(p.type, QString());
            QVERIFY(p.enabled);
            if (m_lab.switchOfVlan(nic.vlan).owner == u"neutron") {
                QCOMPARE(p.externalIds.value(u"neutron:device_owner"_s), u"compute:nova"_s);
                QVERIFY(p.vm().isEmpty());
            } else {
                QCOMPARE(p.vm(), guest.name);
                QCOMPARE(p.tenant(), guest.tenant);
            }
        }
    }
    // The cache and the mapping agree with ovn-nbctl.
    const LabEnvironment::Result list = nbctl({u"--bare"_s, u"--columns=name"_s, u"list"_s, u"Logical_Switch_Port"_s});
    QVERIFY2(list.ok(), qPrintable(list.err));
    QCOMPARE(m_nb->portCount(), list.out.split(u'\n', Qt::SkipEmptyParts).size());
}

void tst_OvsdbLab::changeFromOvnNbctlSeenWithinOneSecond()
{
    const QString name = u"vigie-test-%1"_s.arg(QCoreApplication::applicationPid());
    QSignalSpy added(m_nb.get(), &OvnNorthbound::portAdded);
    QSignalSpy changed(m_nb.get(), &OvnNorthbound::portChanged);
    QSignalSpy removed(m_nb.get(), &OvnNorthbound::portRemoved);

    LabEnvironment::Result r = nbctl({u"lsp-add"_s, u"front"_s, name, u"--"_s, u"lsp-set-addresses"_s, name, u"52:54:00:aa:bb:cc 10.0.100.250"_s,
                                      u"--"_s, u"set"_s, u"Logical_Switch_Port"_s, name, u"external_ids:tenant=acme"_s, u"external_ids:vm=probe"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_nb->portByName(name).switchName == u"front", 1000);
    qInfo("insert seen after %lld ms", timer.elapsed());
    const OvnLogicalSwitchPort port = m_nb->portByName(name);
    QCOMPARE(port.tenant(), u"acme"_s);
    QCOMPARE(port.vm(), u"probe"_s);
    QCOMPARE(port.addresses, QStringList{u"52:54:00:aa:bb:cc 10.0.100.250"_s});
    QCOMPARE(added.size(), 1);
    // ovn-northd writes the new port's "up" back into the NB: wait for it, then count ours.
    QTRY_VERIFY_WITH_TIMEOUT(m_nb->portByName(name).up.has_value(), 5000);
    changed.clear();

    r = nbctl({u"lsp-set-enabled"_s, name, u"disabled"_s, u"--"_s, u"set"_s, u"Logical_Switch_Port"_s, name, u"external_ids:tenant=globex"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    timer.restart();
    QTRY_VERIFY_WITH_TIMEOUT(!m_nb->portByName(name).enabled && m_nb->portByName(name).tenant() == u"globex", 1000);
    qInfo("modify seen after %lld ms", timer.elapsed());
    QCOMPARE(changed.size(), 1); // one transaction, one precise signal

    r = nbctl({u"lsp-del"_s, name});
    QVERIFY2(r.ok(), qPrintable(r.err));
    timer.restart();
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 1000);
    qInfo("delete seen after %lld ms", timer.elapsed());
    QCOMPARE(removed.at(0).at(0).value<OvnLogicalSwitchPort>().name, name);
    QVERIFY(!m_nb->switchByName(u"front"_s).portUuids.contains(port.uuid));
}

void tst_OvsdbLab::transactionConflicts_data()
{
    QTest::addColumn<QByteArray>("operations");
    QTest::addColumn<int>("errorIndex");
    QTest::addColumn<QString>("error");

    QTest::newRow("wait that fails") << QByteArray(R"([{"op":"wait","table":"Logical_Switch","where":[["name","==","front"]],
        "columns":["name"],"until":"==","rows":[{"name":"not-front"}],"timeout":0}])") << 0 << u"timed out"_s;
    QTest::newRow("duplicate port name (index)") << QByteArray(R"([
        {"op":"insert","table":"Logical_Switch_Port","row":{"name":"ln-front"},"uuid-name":"dup"},
        {"op":"mutate","table":"Logical_Switch","where":[["name","==","front"]],
         "mutations":[["ports","insert",["set",[["named-uuid","dup"]]]]]}])") << 2 << u"constraint violation"_s;
    QTest::newRow("wrong column type") << QByteArray(R"([{"op":"insert","table":"Logical_Switch","row":{"name":42}}])") << 0
                                       << u"syntax error"_s;
    QTest::newRow("unknown table") << QByteArray(R"([{"op":"select","table":"Nope","where":[]}])") << 0 << u"syntax error"_s;
}

void tst_OvsdbLab::transactionConflicts()
{
    QFETCH(QByteArray, operations);
    QFETCH(int, errorIndex);
    QFETCH(QString, error);
    const qsizetype switches = m_nb->switchCount();
    const qsizetype ports = m_nb->portCount();
    const OvsdbTransactResult result = transactAndWait(QJsonDocument::fromJson(operations).array());
    QVERIFY(!result.ok);
    QVERIFY(!result.errors.isEmpty());
    QCOMPARE(result.errors.first().index, errorIndex);
    QVERIFY2(result.firstError().contains(error), qPrintable(result.firstError() + u": "_s + result.errors.first().details));
    // Nothing was committed and the session is still up: the server answers requests in order,
    // so any update the transaction caused would have come before this answer.
    std::optional<QJsonValue> dbs;
    m_client->listDatabases([&dbs](const QJsonValue &names, const QJsonValue &) { dbs = names; });
    QTRY_VERIFY_WITH_TIMEOUT(dbs.has_value(), 10000);
    QCOMPARE(m_client->state(), OvsdbClient::State::Synced);
    QCOMPARE(m_nb->switchCount(), switches);
    QCOMPARE(m_nb->portCount(), ports);
}

void tst_OvsdbLab::eachRemoteWorks_data()
{
    QTest::addColumn<QString>("remote");
    for (const QString &remote : m_lab.controllerRemotes())
        QTest::newRow(qPrintable(remote)) << remote;
}

void tst_OvsdbLab::eachRemoteWorks()
{
    QFETCH(QString, remote);
    OvsdbClient client;
    OvnNorthbound nb;
    nb.attach(&client);
    client.setRemotes({remote});
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), OvsdbClient::State::Synced, 10000);
    QCOMPARE(nb.switchCount(), m_nb->switchCount());
    QCOMPARE(nb.portCount(), m_nb->portCount());
    std::optional<QJsonValue> dbs;
    client.listDatabases([&dbs](const QJsonValue &result, const QJsonValue &) { dbs = result; });
    QTRY_VERIFY(dbs.has_value());
    QVERIFY(dbs->toArray().contains(u"OVN_Northbound"_s));
}

void tst_OvsdbLab::serverRestartResyncsWithoutStaleRows()
{
    // A port that will vanish while the server is down, and a switch that will appear.
    const QString stale = u"vigie-stale-%1"_s.arg(QCoreApplication::applicationPid());
    const QString appeared = u"vigie-offline-%1"_s.arg(QCoreApplication::applicationPid());
    LabEnvironment::Result r = nbctl({u"lsp-add"_s, u"data"_s, stale});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QTRY_VERIFY_WITH_TIMEOUT(!m_nb->portByName(stale).uuid.isEmpty(), 1000);
    const QString staleUuid = m_nb->portByName(stale).uuid;

    QSignalSpy synchronised(m_client.get(), &OvsdbClient::synchronised);
    QSignalSpy removed(m_nb.get(), &OvnNorthbound::portRemoved);
    r = LabEnvironment::lab({u"daemon"_s, u"controller"_s, u"ovsdb-server"_s, u"kill"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QTRY_VERIFY_WITH_TIMEOUT(m_client->state() != OvsdbClient::State::Synced, 5000);

    // Offline edit of the database file: remove the port, add a switch.
    const QString transaction = QString::fromUtf8(QJsonDocument(QJsonArray{
        u"OVN_Northbound"_s,
        QJsonObject{{u"op"_s, u"delete"_s}, {u"table"_s, u"Logical_Switch_Port"_s}, {u"where"_s, QJsonArray{QJsonArray{u"name"_s, u"=="_s, stale}}}},
        QJsonObject{{u"op"_s, u"mutate"_s}, {u"table"_s, u"Logical_Switch"_s}, {u"where"_s, QJsonArray{QJsonArray{u"name"_s, u"=="_s, u"data"_s}}},
                    {u"mutations"_s, QJsonArray{QJsonArray{u"ports"_s, u"delete"_s, QJsonArray{u"uuid"_s, staleUuid}}}}},
        QJsonObject{{u"op"_s, u"insert"_s}, {u"table"_s, u"Logical_Switch"_s}, {u"row"_s, QJsonObject{{u"name"_s, appeared}}}},
    }).toJson(QJsonDocument::Compact));
    r = LabEnvironment::run(u"ovsdb-tool"_s, {u"transact"_s, m_lab.directory() + u"/nb/ovnnb.db"_s, transaction}, 20000);
    QVERIFY2(r.ok(), qPrintable(r.err + r.out));

    r = LabEnvironment::lab({u"daemon"_s, u"controller"_s, u"ovsdb-server"_s, u"start"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), OvsdbClient::State::Synced, 30000);
    QCOMPARE(synchronised.size(), 1);
    // A standalone server keeps no history: a full resync, not a resume.
    QCOMPARE(synchronised.at(0).at(0).toBool(), false);
    QCOMPARE(m_client->monitorMethod(), u"monitor_cond_since"_s);

    QVERIFY(m_nb->portByName(stale).uuid.isEmpty());
    QVERIFY(!m_client->cache().row(u"Logical_Switch_Port"_s, staleUuid));
    QCOMPARE(removed.size(), 1);
    QVERIFY(!m_nb->switchByName(u"data"_s).portUuids.contains(staleUuid));
    QVERIFY(!m_nb->switchByName(appeared).uuid.isEmpty());
    QVERIFY(m_nb->switchByName(appeared).isOverlay());
    QCOMPARE(m_nb->switchByName(u"data"_s).vlanId, 200);

    // No stale rows anywhere: the replica matches the server row for row.
    const LabEnvironment::Result list = nbctl({u"--bare"_s, u"--columns=_uuid"_s, u"list"_s, u"Logical_Switch_Port"_s});
    QVERIFY2(list.ok(), qPrintable(list.err));
    QStringList server = list.out.split(u'\n', Qt::SkipEmptyParts);
    QStringList cached = m_client->cache().table(u"Logical_Switch_Port"_s).keys();
    server.sort();
    cached.sort();
    QCOMPARE(cached, server);

    // Updates flow again after the resync.
    r = nbctl({u"ls-del"_s, appeared});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QTRY_VERIFY_WITH_TIMEOUT(m_nb->switchByName(appeared).uuid.isEmpty(), 1000);
}

void tst_OvsdbLab::cleanupTestCase()
{
    if (m_client)
        m_client->stop();
}

QTEST_GUILESS_MAIN(tst_OvsdbLab)
#include "tst_ovsdblab.moc"
