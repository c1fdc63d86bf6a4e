#include "network/ovnnorthbound.h"
#include "network/ovsdbcache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include "ovnnorthboundtestschema.h"

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QByteArray &Schema = OvnNorthboundTestSchema;

OvsdbSchema schema()
{
    QString error;
    const OvsdbSchema s = OvsdbSchema::fromJson(QJsonDocument::fromJson(Schema).object(), &error);
    Q_ASSERT_X(s.isValid(), "schema", qPrintable(error));
    return s;
}

// Short names in test data: "@3" is uuid 00000000-0000-0000-0000-000000000003.
QByteArray expand(const QByteArray &text)
{
    static const QRegularExpression at(u"@([0-9]+)"_s);
    const QString s = QString::fromUtf8(text);
    QString out;
    qsizetype last = 0;
    for (auto it = at.globalMatch(s); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += s.mid(last, m.capturedStart() - last);
        out += u"00000000-0000-0000-0000-%1"_s.arg(m.captured(1).toInt(), 12, 10, QLatin1Char('0'));
        last = m.capturedEnd();
    }
    out += s.mid(last);
    return out.toUtf8();
}

// One line per row, sorted: "Table @N col=value col=value", values in wire form, uuids short.
QString dump(const OvsdbCache &cache)
{
    QStringList lines;
    for (const QString &table : cache.schema().tableNames()) {
        const QHash<QString, OvsdbRow> rows = cache.table(table);
        for (auto r = rows.cbegin(); r != rows.cend(); ++r) {
            QStringList columns;
            for (const auto &[name, datum] : r->columns()) {
                const QJsonValue json = datum.toJson(*cache.schema().column(table, name));
                QString text = QString::fromUtf8(QJsonDocument(QJsonArray{json}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
                columns.append(name + u'=' + text);
            }
            columns.sort();
            lines.append((table + u" @"_s + QString::number(r.key().right(12).toInt()) + u' ' + columns.join(u' ')).trimmed());
        }
    }
    lines.sort();
    QString text = lines.join(u'\n');
    static const QRegularExpression uuid(u"\\[\"uuid\",\"00000000-0000-0000-0000-0*([0-9]+)\"\\]"_s);
    return text.replace(uuid, u"@\\1"_s);
}

// Applies "1:json" (update), "2:json" (update2) or "R:json" (update2 full resync) in turn.
bool applyAll(OvsdbCache &cache, const QStringList &updates, QString *error, OvsdbChangeSet *changes = nullptr)
{
    for (const QString &u : updates) {
        const QJsonValue json = QJsonDocument::fromJson(expand(("{\"u\":" + u.mid(2) + "}").toUtf8())).object().value("u"_L1);
        const OvsdbCache::Format format = u.startsWith(u'1') ? OvsdbCache::Format::Update : OvsdbCache::Format::Update2;
        OvsdbChangeSet local;
        const bool ok = u.startsWith(u'R') ? cache.replace(json, format, changes ? changes : &local, error)
                                            : cache.apply(json, format, changes ? changes : &local, error);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

class tst_OvsdbUpdate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void datum_data();
    void datum();
    void updates_data();
    void updates();
    void resyncReportsStaleRowsDeleted();
    void northbound();
    void northboundIncremental();
};

void tst_OvsdbUpdate::datum_data()
{
    QTest::addColumn<QString>("column"); // Table.column in the schema above
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // the datum back in wire form, or "!error substring"

    QTest::newRow("scalar string") << u"Logical_Switch.name"_s << QByteArray(R"("front")") << uR"("front")"_s;
    QTest::newRow("scalar as 1-set") << u"Logical_Switch.name"_s << QByteArray(R"(["set",["front"]])") << uR"("front")"_s;
    QTest::newRow("scalar empty set") << u"Logical_Switch.name"_s << QByteArray(R"(["set",[]])") << u"!0 elements"_s;
    QTest::newRow("integer for string") << u"Logical_Switch.name"_s << QByteArray("12") << u"!expected string"_s;
    QTest::newRow("optional integer") << u"Logical_Switch_Port.tag"_s << QByteArray("100") << u"100"_s;
    QTest::newRow("optional empty") << u"Logical_Switch_Port.tag"_s << QByteArray(R"(["set",[]])") << uR"(["set",[]])"_s;
    QTest::newRow("optional with two") << u"Logical_Switch_Port.tag"_s << QByteArray(R"(["set",[1,2]])") << u"!2 elements"_s;
    QTest::newRow("real for integer") << u"Logical_Switch_Port.tag"_s << QByteArray("1.5") << u"!expected integer"_s;
    QTest::newRow("string for integer") << u"Logical_Switch_Port.tag"_s << QByteArray(R"("100")") << u"!expected integer"_s;
    QTest::newRow("boolean") << u"Logical_Switch_Port.up"_s << QByteArray("true") << u"true"_s;
    QTest::newRow("boolean as string") << u"Logical_Switch_Port.up"_s << QByteArray(R"("true")") << u"!expected boolean"_s;
    QTest::newRow("uuid set") << u"Logical_Switch.ports"_s << QByteArray(R"(["set",[["uuid","@1"],["uuid","@2"]]])")
                              << uR"(["set",[["uuid","@1"],["uuid","@2"]]])"_s;
    QTest::newRow("uuid single") << u"Logical_Switch.ports"_s << QByteArray(R"(["uuid","@1"])") << uR"(["uuid","@1"])"_s;
    QTest::newRow("named-uuid refused") << u"Logical_Switch.ports"_s << QByteArray(R"(["named-uuid","x"])") << u"!expected uuid"_s;
    QTest::newRow("bad uuid text") << u"Logical_Switch.ports"_s << QByteArray(R"(["uuid","not-a-uuid"])") << u"!expected uuid"_s;
    QTest::newRow("plain string for uuid") << u"Logical_Switch.ports"_s << QByteArray(R"("@1")") << u"!expected uuid"_s;
    QTest::newRow("map") << u"Logical_Switch.external_ids"_s << QByteArray(R"(["map",[["vlan","100"],["tenant","acme"]]])")
                         << uR"(["map",[["vlan","100"],["tenant","acme"]]])"_s;
    QTest::newRow("map empty") << u"Logical_Switch.external_ids"_s << QByteArray(R"(["map",[]])") << uR"(["map",[]])"_s;
    QTest::newRow("set for map") << u"Logical_Switch.external_ids"_s << QByteArray(R"(["set",[]])") << u"!expected [\"map\""_s;
    QTest::newRow("map pair too short") << u"Logical_Switch.external_ids"_s << QByteArray(R"(["map",[["vlan"]]])") << u"!pair"_s;
    QTest::newRow("map value wrong type") << u"Logical_Switch.external_ids"_s << QByteArray(R"(["map",[["vlan",100]]])")
                                          << u"!expected string"_s;
    QTest::newRow("object for set") << u"Logical_Switch_Port.addresses"_s << QByteArray(R"({"set":[]})") << u"!expected string"_s;
    QTest::newRow("null") << u"Logical_Switch_Port.addresses"_s << QByteArray("null") << u"!expected string"_s;
}

void tst_OvsdbUpdate::datum()
{
    QFETCH(QString, column);
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const OvsdbSchema s = schema();
    const QStringList parts = column.split(u'.');
    const OvsdbColumnType *type = s.column(parts.at(0), parts.at(1));
    QVERIFY(type);
    const QJsonValue value = QJsonDocument::fromJson(expand("[" + json + "]")).array().at(0);
    QString error;
    const std::optional<OvsdbDatum> datum = OvsdbDatum::fromJson(value, *type, &error);
    if (expected.startsWith(u'!')) {
        QVERIFY(!datum);
        QVERIFY2(error.contains(expected.mid(1)), qPrintable(error));
        return;
    }
    QVERIFY2(datum, qPrintable(error));
    QCOMPARE(QString::fromUtf8(QJsonDocument(QJsonArray{datum->toJson(*type)}).toJson(QJsonDocument::Compact)).mid(1).chopped(1),
             QString::fromUtf8(expand(expected.toUtf8())));
}

void tst_OvsdbUpdate::updates_data()
{
    QTest::addColumn<QStringList>("updates");
    QTest::addColumn<QString>("error"); // of the last update; empty: all succeed
    QTest::addColumn<QString>("expected"); // dump of the cache afterwards

    const QString ls1 = uR"(2:{"Logical_Switch":{"@1":{"initial":{"name":"front","external_ids":["map",[["vlan","100"]]]}}}})"_s;
    const QString lsp2 = uR"(2:{"Logical_Switch_Port":{"@2":{"insert":{"name":"p2","addresses":"52:54:00:00:00:02 10.0.0.2","tag_request":100}}}})"_s;
    const QString ls1Dump = uR"(Logical_Switch @1 external_ids=["map",[["vlan","100"]]] name="front")"_s;
    const QString lsp2Dump = uR"(Logical_Switch_Port @2 addresses="52:54:00:00:00:02 10.0.0.2" name="p2" tag_request=100)"_s;

    QTest::newRow("initial") << QStringList{ls1} << QString() << ls1Dump;
    QTest::newRow("initial and insert") << QStringList{ls1, lsp2} << QString() << ls1Dump + u'\n' + lsp2Dump;
    QTest::newRow("modify scalar") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@1":{"modify":{"name":"front2"}}}})"_s} << QString()
                                   << uR"(Logical_Switch @1 external_ids=["map",[["vlan","100"]]] name="front2")"_s;
    QTest::newRow("modify set: symmetric difference")
        << QStringList{uR"(2:{"Logical_Switch":{"@1":{"insert":{"ports":["set",[["uuid","@2"],["uuid","@3"]]]}}}})"_s,
                       uR"(2:{"Logical_Switch":{"@1":{"modify":{"ports":["set",[["uuid","@3"],["uuid","@4"]]]}}}})"_s}
        << QString() << uR"(Logical_Switch @1 ports=["set",[@2,@4]])"_s;
    QTest::newRow("modify set: single atom diff")
        << QStringList{uR"(2:{"Logical_Switch":{"@1":{"insert":{"ports":["uuid","@2"]}}}})"_s,
                       uR"(2:{"Logical_Switch":{"@1":{"modify":{"ports":["uuid","@2"]}}}})"_s}
        << QString() << uR"(Logical_Switch @1)"_s;
    // ovsdb-server sends a column of at most one element whole (ovsdb_datum_diff): northd setting
    // a port's "up" from false to true sends true.
    QTest::newRow("modify optional: the new value whole")
        << QStringList{lsp2, uR"(2:{"Logical_Switch_Port":{"@2":{"modify":{"tag_request":100}}}})"_s,
                       uR"(2:{"Logical_Switch_Port":{"@2":{"modify":{"tag_request":200}}}})"_s}
        << QString() << uR"(Logical_Switch_Port @2 addresses="52:54:00:00:00:02 10.0.0.2" name="p2" tag_request=200)"_s;
    QTest::newRow("modify optional: cleared")
        << QStringList{lsp2, uR"(2:{"Logical_Switch_Port":{"@2":{"modify":{"tag_request":100}}}})"_s,
                       uR"(2:{"Logical_Switch_Port":{"@2":{"modify":{"tag_request":["set",[]]}}}})"_s}
        << QString() << uR"(Logical_Switch_Port @2 addresses="52:54:00:00:00:02 10.0.0.2" name="p2")"_s;
    QTest::newRow("modify map: add, remove same value, replace other value")
        << QStringList{uR"(2:{"Logical_Switch":{"@1":{"insert":{"external_ids":["map",[["a","1"],["b","2"]]]}}}})"_s,
                       uR"(2:{"Logical_Switch":{"@1":{"modify":{"external_ids":["map",[["a","1"],["b","3"],["c","4"]]]}}}})"_s}
        << QString() << uR"(Logical_Switch @1 external_ids=["map",[["b","3"],["c","4"]]])"_s;
    QTest::newRow("delete") << QStringList{ls1, lsp2, uR"(2:{"Logical_Switch":{"@1":{"delete":null}}})"_s} << QString() << lsp2Dump;
    QTest::newRow("update1 insert, modify, delete")
        << QStringList{uR"(1:{"Logical_Switch":{"@1":{"new":{"name":"a","ports":["set",[]]}},"@2":{"new":{"name":"b"}}}})"_s,
                       uR"(1:{"Logical_Switch":{"@1":{"old":{"name":"a"},"new":{"name":"c","ports":["uuid","@5"]}}}})"_s,
                       uR"(1:{"Logical_Switch":{"@2":{"old":{"name":"b"}}}})"_s}
        << QString() << uR"(Logical_Switch @1 name="c" ports=@5)"_s;

    // Hostile or broken updates: refused whole, cache as before.
    QTest::newRow("unknown table") << QStringList{ls1, uR"(2:{"Nope":{"@2":{"insert":{}}}})"_s} << u"unknown table Nope"_s << ls1Dump;
    QTest::newRow("unknown column") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@2":{"insert":{"colour":"red"}}}})"_s}
                                    << u"unknown column colour"_s << ls1Dump;
    QTest::newRow("wrong type against schema")
        << QStringList{ls1, uR"(2:{"Logical_Switch_Port":{"@2":{"insert":{"name":"p","tag_request":"100"}}}})"_s}
        << u"column tag_request: expected integer"_s << ls1Dump;
    QTest::newRow("duplicate uuid insert") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@1":{"insert":{"name":"again"}}}})"_s}
                                           << u"duplicate uuid"_s << ls1Dump;
    QTest::newRow("duplicate uuid initial (update1)") << QStringList{ls1, uR"(1:{"Logical_Switch":{"@1":{"new":{"name":"again"}}}})"_s}
                                                      << u"duplicate uuid"_s << ls1Dump;
    QTest::newRow("modify of unknown row") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@9":{"modify":{"name":"x"}}}})"_s}
                                           << u"modify of an unknown row"_s << ls1Dump;
    QTest::newRow("delete of unknown row") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@9":{"delete":null}}})"_s}
                                           << u"delete of an unknown row"_s << ls1Dump;
    QTest::newRow("good rows before a bad one are not applied")
        << QStringList{ls1, uR"(2:{"Logical_Switch":{"@2":{"insert":{"name":"ok"}},"@3":{"modify":{"name":"x"}}}})"_s}
        << u"modify of an unknown row"_s << ls1Dump;
    QTest::newRow("two operations") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@1":{"modify":{},"delete":null}}})"_s}
                                    << u"exactly one"_s << ls1Dump;
    QTest::newRow("unknown operation") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@1":{"rename":{}}}})"_s}
                                       << u"unknown row update2 operation"_s << ls1Dump;
    QTest::newRow("row key not a uuid") << QStringList{ls1, uR"(2:{"Logical_Switch":{"front":{"insert":{}}}})"_s}
                                        << u"not a uuid"_s << ls1Dump;
    QTest::newRow("table update not an object") << QStringList{ls1, uR"(2:{"Logical_Switch":[]})"_s} << u"not a JSON object"_s
                                                << ls1Dump;
    QTest::newRow("updates not an object") << QStringList{ls1, uR"(2:[1,2])"_s} << u"not a JSON object"_s << ls1Dump;
    QTest::newRow("row not an object") << QStringList{ls1, uR"(2:{"Logical_Switch":{"@2":{"insert":"x"}}})"_s}
                                       << u"row is not a JSON object"_s << ls1Dump;
    QTest::newRow("modify breaks max") << QStringList{lsp2, uR"(2:{"Logical_Switch_Port":{"@2":{"modify":{"tag_request":["set",[300,400]]}}}})"_s}
                                       << u"after modify, 2 elements"_s << lsp2Dump;
    QTest::newRow("update1 with neither old nor new") << QStringList{ls1, uR"(1:{"Logical_Switch":{"@1":{}}})"_s}
                                                      << u"neither old nor new"_s << ls1Dump;
}

void tst_OvsdbUpdate::updates()
{
    QFETCH(QStringList, updates);
    QFETCH(QString, error);
    QFETCH(QString, expected);
    OvsdbCache cache;
    cache.setSchema(schema());
    QString why;
    const bool ok = applyAll(cache, updates.mid(0, updates.size() - 1), &why);
    QVERIFY2(ok, qPrintable(why));
    const QString before = dump(cache);
    const bool lastOk = applyAll(cache, updates.mid(updates.size() - 1), &why);
    if (error.isEmpty()) {
        QVERIFY2(lastOk, qPrintable(why));
    } else {
        QVERIFY(!lastOk);
        QVERIFY2(why.contains(error), qPrintable(why));
        QCOMPARE(dump(cache), before);
    }
    QCOMPARE(dump(cache), expected);
}

void tst_OvsdbUpdate::resyncReportsStaleRowsDeleted()
{
    OvsdbCache cache;
    cache.setSchema(schema());
    QString why;
    QVERIFY(applyAll(cache,
                     {uR"(2:{"Logical_Switch":{"@1":{"initial":{"name":"a"}},"@2":{"initial":{"name":"b"}},"@3":{"initial":{"name":"c"}}}})"_s},
                     &why));
    OvsdbChangeSet changes;
    // After a reconnect the server no longer has @2, renamed @3 and added @4.
    QVERIFY(applyAll(cache,
                     {uR"(R:{"Logical_Switch":{"@1":{"initial":{"name":"a"}},"@3":{"initial":{"name":"c2"}},"@4":{"initial":{"name":"d"}}}})"_s},
                     &why, &changes));
    QCOMPARE(dump(cache), uR"(Logical_Switch @1 name="a"
Logical_Switch @3 name="c2"
Logical_Switch @4 name="d")"_s);
    const QHash<QString, OvsdbChangeSet::Kind> kinds = changes.table(u"Logical_Switch"_s);
    QCOMPARE(kinds.size(), 3);
    QCOMPARE(kinds.value(QString::fromUtf8(expand("@2"))), OvsdbChangeSet::Kind::Delete);
    QCOMPARE(kinds.value(QString::fromUtf8(expand("@3"))), OvsdbChangeSet::Kind::Modify);
    QCOMPARE(kinds.value(QString::fromUtf8(expand("@4"))), OvsdbChangeSet::Kind::Insert);
    // A broken resync leaves the old replica in place.
    QVERIFY(!applyAll(cache, {uR"(R:{"Logical_Switch":{"@1":{"initial":{"name":1}}}})"_s}, &why));
    QCOMPARE(cache.rowCount(), 3);
}

namespace {

const QString NbSnapshot = uR"(2:{
  "Logical_Switch": {
    "@1": {"initial": {"name": "front", "ports": ["set", [["uuid", "@11"], ["uuid", "@12"]]], "external_ids": ["map", [["vlan", "100"]]]}},
    "@2": {"initial": {"name": "data", "ports": ["set", [["uuid", "@21"], ["uuid", "@22"]]]}},
    "@3": {"initial": {"name": "overlay", "ports": ["uuid", "@31"]}}},
  "Logical_Switch_Port": {
    "@11": {"initial": {"name": "ln-front", "type": "localnet", "addresses": "unknown", "tag_request": 100,
                        "options": ["map", [["network_name", "physnet"]]]}},
    "@12": {"initial": {"name": "vm1-nic0", "addresses": "52:54:00:01:01:01 10.0.100.11", "up": true,
                        "external_ids": ["map", [["tenant", "acme"], ["vm", "web-1"]]]}},
    "@21": {"initial": {"name": "ln-data", "type": "localnet", "tag": 200, "options": ["map", [["network_name", "physnet2"]]]}},
    "@22": {"initial": {"name": "vm2-nic0", "enabled": false, "external_ids": ["map", [["tenant", "globex"]]]}},
    "@31": {"initial": {"name": "vm3-nic0"}}}})"_s;

} // namespace

void tst_OvsdbUpdate::northbound()
{
    OvsdbCache cache;
    cache.setSchema(schema());
    OvsdbChangeSet changes;
    QString why;
    QVERIFY2(applyAll(cache, {NbSnapshot}, &why, &changes), qPrintable(why));
    OvnNorthbound nb;
    QSignalSpy switchAdded(&nb, &OvnNorthbound::switchAdded);
    QSignalSpy portAdded(&nb, &OvnNorthbound::portAdded);
    nb.applyChanges(cache, changes);
    QCOMPARE(switchAdded.size(), 3);
    QCOMPARE(portAdded.size(), 5);

    const OvnLogicalSwitch front = nb.switchByName(u"front"_s);
    QCOMPARE(front.vlanId, 100);
    QCOMPARE(front.networkName, u"physnet"_s);
    QCOMPARE(front.localnetPort, u"ln-front"_s);
    QVERIFY(front.isVlan());
    QCOMPARE(front.externalIds.value(u"vlan"_s), u"100"_s);
    const OvnLogicalSwitch data = nb.switchByName(u"data"_s);
    QCOMPARE(data.vlanId, 200);
    QCOMPARE(data.networkName, u"physnet2"_s);
    const OvnLogicalSwitch overlay = nb.switchByName(u"overlay"_s);
    QVERIFY(overlay.isOverlay());
    QCOMPARE(overlay.vlanId, 0);

    const OvnLogicalSwitchPort vm1 = nb.portByName(u"vm1-nic0"_s);
    QCOMPARE(vm1.switchName, u"front"_s);
    QCOMPARE(vm1.addresses, QStringList{u"52:54:00:01:01:01 10.0.100.11"_s});
    QCOMPARE(vm1.type, QString());
    QCOMPARE(vm1.tag, -1);
    QCOMPARE(vm1.up, std::optional<bool>(true));
    QVERIFY(vm1.enabled);
    QCOMPARE(vm1.tenant(), u"acme"_s);
    QCOMPARE(vm1.vm(), u"web-1"_s);
    const OvnLogicalSwitchPort vm2 = nb.portByName(u"vm2-nic0"_s);
    QCOMPARE(vm2.switchName, u"data"_s);
    QVERIFY(!vm2.enabled);
    QVERIFY(!vm2.up.has_value());
    QCOMPARE(nb.portByName(u"ln-front"_s).tag, 100);
    QCOMPARE(nb.portByName(u"ln-front"_s).type, u"localnet"_s);
}

void tst_OvsdbUpdate::northboundIncremental()
{
    OvsdbCache cache;
    cache.setSchema(schema());
    OvsdbChangeSet changes;
    QString why;
    QVERIFY(applyAll(cache, {NbSnapshot}, &why, &changes));
    OvnNorthbound nb;
    nb.applyChanges(cache, changes);
    QSignalSpy switchChanged(&nb, &OvnNorthbound::switchChanged);
    QSignalSpy switchRemoved(&nb, &OvnNorthbound::switchRemoved);
    QSignalSpy portAdded(&nb, &OvnNorthbound::portAdded);
    QSignalSpy portChanged(&nb, &OvnNorthbound::portChanged);
    QSignalSpy portRemoved(&nb, &OvnNorthbound::portRemoved);

    // The localnet tag changes: the switch's VLAN follows, only that switch and port change.
    changes = {};
    QVERIFY(applyAll(cache, {uR"(2:{"Logical_Switch_Port":{"@11":{"modify":{"tag_request":150}}}})"_s}, &why, &changes));
    nb.applyChanges(cache, changes);
    QCOMPARE(switchChanged.size(), 1);
    QCOMPARE(switchChanged.at(0).at(0).value<OvnLogicalSwitch>().vlanId, 150);
    QCOMPARE(portChanged.size(), 1);
    QCOMPARE(portAdded.size(), 0);

    // A port moves from front to data (one transaction touching both switches).
    changes = {};
    QVERIFY(applyAll(cache, {uR"(2:{"Logical_Switch":{"@1":{"modify":{"ports":["uuid","@12"]}},"@2":{"modify":{"ports":["uuid","@12"]}}}})"_s},
                     &why, &changes));
    switchChanged.clear();
    portChanged.clear();
    nb.applyChanges(cache, changes);
    QCOMPARE(switchChanged.size(), 2);
    QCOMPARE(portChanged.size(), 1);
    QCOMPARE(nb.portByName(u"vm1-nic0"_s).switchName, u"data"_s);
    QCOMPARE(nb.switchByName(u"data"_s).vlanId, 200);

    // The overlay switch and its port are deleted.
    changes = {};
    QVERIFY(applyAll(cache, {uR"(2:{"Logical_Switch":{"@3":{"delete":null}},"Logical_Switch_Port":{"@31":{"delete":null}}})"_s}, &why,
                     &changes));
    nb.applyChanges(cache, changes);
    QCOMPARE(switchRemoved.size(), 1);
    QCOMPARE(switchRemoved.at(0).at(0).value<OvnLogicalSwitch>().name, u"overlay"_s);
    QCOMPARE(portRemoved.size(), 1);
    QCOMPARE(nb.switchCount(), 2);
    QCOMPARE(nb.portCount(), 4);
}

QTEST_GUILESS_MAIN(tst_OvsdbUpdate)
#include "tst_ovsdbupdate.moc"
