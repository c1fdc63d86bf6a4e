#include "inventory/inventory.h"
#include "itemmodels/logicalswitchmodel.h"
#include "itemmodels/networkmismatchmodel.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbcache.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include "ovnnorthboundtestschema.h"

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QByteArray &Schema = OvnNorthboundTestSchema;

const QString Host = u"test:///hv1"_s;

QString uuidOf(const QString &name)
{
    // A stable uuid per name, so tests can refer to rows by name.
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5).toHex();
    return QString::fromLatin1(hash.left(8) + '-' + hash.mid(8, 4) + '-' + hash.mid(12, 4) + '-' + hash.mid(16, 4) + '-'
                               + hash.mid(20, 12));
}

// The controller: switches "name:vlan" (0: overlay) and ports "switch|name|iface-id|type|vm".
struct Northbound
{
    OvsdbCache cache;
    OvnNorthbound nb;

    Northbound()
    {
        QString error;
        cache.setSchema(OvsdbSchema::fromJson(QJsonDocument::fromJson(Schema).object(), &error));
    }

    static QJsonObject portRow(const QString &name, const QString &ifaceId, const QString &type, const QString &vm, int tag)
    {
        QJsonArray ids;
        if (!ifaceId.isEmpty())
            ids.append(QJsonArray{u"iface-id"_s, ifaceId});
        if (!vm.isEmpty())
            ids.append(QJsonArray{u"vm"_s, vm});
        QJsonObject row{{u"name"_s, name}, {u"type"_s, type}, {u"external_ids"_s, QJsonArray{u"map"_s, ids}}};
        if (tag > 0) {
            row.insert(u"tag_request"_s, tag);
            row.insert(u"options"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"network_name"_s, u"physnet"_s}}});
        }
        return row;
    }

    void load(const QStringList &switches, const QStringList &ports)
    {
        QJsonObject lsRows, lspRows;
        QHash<QString, QJsonArray> members;
        for (const QString &p : ports) {
            const QStringList f = p.split(u'|');
            lspRows.insert(uuidOf(f.at(1)), QJsonObject{{u"initial"_s, portRow(f.at(1), f.value(2), f.value(3), f.value(4), 0)}});
            members[f.at(0)].append(QJsonArray{u"uuid"_s, uuidOf(f.at(1))});
        }
        for (const QString &s : switches) {
            const QString name = s.section(u':', 0, 0);
            const int vlan = s.section(u':', 1).toInt();
            if (vlan > 0) {
                const QString ln = u"ln-"_s + name;
                lspRows.insert(uuidOf(ln), QJsonObject{{u"initial"_s, portRow(ln, {}, u"localnet"_s, {}, vlan)}});
                members[name].append(QJsonArray{u"uuid"_s, uuidOf(ln)});
            }
            lsRows.insert(uuidOf(name), QJsonObject{{u"initial"_s, QJsonObject{{u"name"_s, name},
                                                                               {u"ports"_s, QJsonArray{u"set"_s, members.value(name)}}}}});
        }
        apply(QJsonObject{{u"Logical_Switch"_s, lsRows}, {u"Logical_Switch_Port"_s, lspRows}});
    }

    void apply(const QJsonObject &update)
    {
        OvsdbChangeSet changes;
        QString error;
        QVERIFY2(cache.apply(update, OvsdbCache::Format::Update2, &changes, &error), qPrintable(error));
        nb.applyChanges(cache, changes);
    }

    // Moves a port between switches the way a transaction does: both switches' ports change.
    void movePort(const QString &port, const QString &from, const QString &to)
    {
        const auto toggle = [&] {
            return QJsonObject{{u"modify"_s, QJsonObject{{u"ports"_s, QJsonArray{u"set"_s, QJsonArray{QJsonArray{u"uuid"_s, uuidOf(port)}}}}}}};
        };
        // update2 "modify" of a set column toggles the listed elements.
        apply(QJsonObject{{u"Logical_Switch"_s, QJsonObject{{uuidOf(from), toggle()}, {uuidOf(to), toggle()}}}});
    }
};

// The inventory: NICs "vm|mac|interfaceid|vlan" (vlan empty: no tag) on one host.
void loadInventory(Inventory &inventory, const QStringList &nics)
{
    HostSnapshot snapshot;
    snapshot.host.uri = Host;
    snapshot.host.displayName = u"hv1"_s;
    snapshot.host.state = ConnectionState::Connected;
    QHash<QString, VmInfo> vms;
    QStringList order;
    for (const QString &n : nics) {
        const QStringList f = n.split(u'|');
        if (!vms.contains(f.at(0))) {
            order.append(f.at(0));
            VmInfo &vm = vms[f.at(0)];
            vm.hostUri = Host;
            vm.uuid = uuidOf(f.at(0));
            vm.name = f.at(0);
            vm.state = VmState::Running;
        }
        NicInfo nic;
        nic.mac = f.at(1);
        nic.sourceType = u"network"_s;
        nic.source = u"ovs"_s;
        nic.interfaceId = f.value(2);
        if (!f.value(3).isEmpty())
            nic.vlanTags = {f.at(3).toInt()};
        vms[f.at(0)].nics.append(nic);
    }
    for (const QString &name : std::as_const(order))
        snapshot.vms.append(vms.value(name));
    inventory.applySnapshot(snapshot);
}

QStringList describe(const QList<NetworkMismatch> &mismatches)
{
    QStringList out;
    for (const NetworkMismatch &m : mismatches) {
        switch (m.kind) {
        case NetworkMismatch::Kind::PortWithoutVm: out.append(u"port-without-vm:"_s + m.portName); break;
        case NetworkMismatch::Kind::NicWithoutPort: out.append(u"nic-without-port:%1/%2"_s.arg(m.vmName, m.mac)); break;
        case NetworkMismatch::Kind::VlanDiffers:
            out.append(u"vlan-differs:%1/%2:%3->%4"_s.arg(m.vmName, m.mac).arg(m.libvirtVlan).arg(m.controllerVlan));
            break;
        }
    }
    out.sort();
    return out;
}

} // namespace

class tst_NetworkCorrelation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void correlate_data();
    void correlate();
    void disabledReportsNothing();
    void incrementalUpdates();
    void switchModelFollowsTheController();
    void controllerVlanNamesInTheInventory();
    void moveOperationsRelyOnWhatTheyChange();
    void addPortOperations();
    void createAndDeleteOperations();
};

void tst_NetworkCorrelation::correlate_data()
{
    QTest::addColumn<QStringList>("switches");
    QTest::addColumn<QStringList>("ports");
    QTest::addColumn<QStringList>("nics");
    QTest::addColumn<int>("matches");
    QTest::addColumn<QStringList>("mismatches");

    const QStringList vlans{u"front:100"_s, u"data:200"_s};
    QTest::newRow("all agree by port name")
        << vlans << QStringList{u"front|if-a||"_s, u"data|if-b||"_s}
        << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s, u"db|52:54:00:00:00:02|if-b|200"_s} << 2 << QStringList{};
    QTest::newRow("matched by external_ids:iface-id")
        << vlans << QStringList{u"front|lsp-web|if-a|"_s} << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s} << 1
        << QStringList{};
    QTest::newRow("port without VM, with and without vm id")
        << vlans << QStringList{u"front|if-a||"_s, u"front|if-orphan|||ghost"_s, u"data|if-lost||"_s}
        << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s} << 1
        << QStringList{u"port-without-vm:if-lost"_s, u"port-without-vm:if-orphan"_s};
    QTest::newRow("NIC without port")
        << vlans << QStringList{} << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s} << 0
        << QStringList{u"nic-without-port:web/52:54:00:00:00:01"_s};
    QTest::newRow("NIC without interface id is not the controller's")
        << vlans << QStringList{} << QStringList{u"web|52:54:00:00:00:01||100"_s} << 0 << QStringList{};
    QTest::newRow("VLAN differs")
        << vlans << QStringList{u"data|if-a||"_s} << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s} << 1
        << QStringList{u"vlan-differs:web/52:54:00:00:00:01:100->200"_s};
    QTest::newRow("untagged NIC on a VLAN switch")
        << vlans << QStringList{u"front|if-a||"_s} << QStringList{u"web|52:54:00:00:00:01|if-a|"_s} << 1
        << QStringList{u"vlan-differs:web/52:54:00:00:00:01:0->100"_s};
    QTest::newRow("overlay switch has no VLAN to differ")
        << QStringList{u"overlay:0"_s} << QStringList{u"overlay|if-a||"_s} << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s}
        << 1 << QStringList{};
    QTest::newRow("router and localnet ports are not VM ports")
        << vlans << QStringList{u"front|rp-1||router"_s} << QStringList{} << 0 << QStringList{};
    QTest::newRow("two NICs of one VM, one astray")
        << vlans << QStringList{u"front|if-a||"_s, u"front|if-b||"_s}
        << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s, u"web|52:54:00:00:00:02|if-b|200"_s} << 2
        << QStringList{u"vlan-differs:web/52:54:00:00:00:02:200->100"_s};
    QTest::newRow("hostile: empty names and duplicate interface ids")
        << vlans << QStringList{u"front|||"_s, u"front|if-a||"_s}
        << QStringList{u"web|52:54:00:00:00:01|if-a|100"_s, u"twin|52:54:00:00:00:09|if-a|100"_s} << 2
        << QStringList{u"port-without-vm:"_s};
}

void tst_NetworkCorrelation::correlate()
{
    QFETCH(QStringList, switches);
    QFETCH(QStringList, ports);
    QFETCH(QStringList, nics);
    QFETCH(int, matches);
    QFETCH(QStringList, mismatches);

    Inventory inventory;
    loadInventory(inventory, nics);
    Northbound controller;
    controller.load(switches, ports);
    NetworkCorrelation correlation(&inventory, &controller.nb);
    QSignalSpy added(&correlation, &NetworkCorrelation::mismatchAdded);
    correlation.setEnabled(true);
    QCOMPARE(correlation.matches().size(), matches);
    QCOMPARE(describe(correlation.mismatches()), mismatches);
    QCOMPARE(added.size(), mismatches.size());
    for (const NetworkMismatch &m : correlation.mismatches())
        QVERIFY(!NetworkCorrelation::describe(m).isEmpty());

    NetworkMismatchModel model(&correlation);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), mismatches.size());
}

void tst_NetworkCorrelation::disabledReportsNothing()
{
    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s});
    Northbound controller;
    NetworkCorrelation correlation(&inventory, &controller.nb);
    correlation.refresh();
    QCOMPARE(correlation.mismatchCount(), 0); // no controller read yet: no "NIC without port"
    correlation.setEnabled(true);
    QCOMPARE(correlation.mismatchCount(), 1);
    QSignalSpy removed(&correlation, &NetworkCorrelation::mismatchRemoved);
    correlation.setEnabled(false);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(correlation.mismatchCount(), 0);
}

void tst_NetworkCorrelation::incrementalUpdates()
{
    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s, u"db|52:54:00:00:00:02|if-b|200"_s});
    Northbound controller;
    controller.load({u"front:100"_s, u"data:200"_s}, {u"front|if-a||"_s, u"data|if-b||"_s});
    NetworkCorrelation correlation(&inventory, &controller.nb);
    correlation.setEnabled(true);
    QCOMPARE(correlation.mismatchCount(), 0);
    NetworkMismatchModel model(&correlation);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    QSignalSpy added(&correlation, &NetworkCorrelation::mismatchAdded);
    QSignalSpy removed(&correlation, &NetworkCorrelation::mismatchRemoved);
    QSignalSpy matchesChanged(&correlation, &NetworkCorrelation::matchesChanged);
    // The controller moves web's port to data: one mismatch, once the event loop runs.
    controller.movePort(u"if-a"_s, u"front"_s, u"data"_s);
    QCOMPARE(added.size(), 0);
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(describe(correlation.mismatches()), QStringList{u"vlan-differs:web/52:54:00:00:00:01:100->200"_s});
    QCOMPARE(matchesChanged.size(), 1);
    QCOMPARE(correlation.matchOf({Host, uuidOf(u"web"_s)}, u"52:54:00:00:00:01"_s).value_or(NicPortMatch{}).switchName, u"data"_s);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, NetworkMismatchModel::VmColumn).data().toString(), u"web"_s);

    // libvirt follows: the mismatch goes.
    VmInfo web = inventory.vm({Host, uuidOf(u"web"_s)});
    web.nics[0].vlanTags = {200};
    inventory.updateVm(web);
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(correlation.mismatchCount(), 0);
    QCOMPARE(model.rowCount(), 0);

    // The VM goes away: its port is left without VM.
    inventory.removeVm({Host, uuidOf(u"db"_s)});
    QTRY_COMPARE(added.size(), 2);
    QCOMPARE(describe(correlation.mismatches()), QStringList{u"port-without-vm:if-b"_s});
    QCOMPARE(model.rowCount(), 1);
}

void tst_NetworkCorrelation::switchModelFollowsTheController()
{
    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s});
    Northbound controller;
    controller.load({u"data:200"_s, u"front:100"_s, u"overlay:0"_s}, {u"front|if-a||"_s, u"data|if-b||"_s});
    NetworkCorrelation correlation(&inventory, &controller.nb);
    correlation.setEnabled(true);
    LogicalSwitchModel model(&controller.nb, &correlation);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // VLANs by id, overlay switches last; the localnet port first in each.
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, LogicalSwitchModel::NameColumn).data().toString(), u"front"_s);
    QCOMPARE(model.index(0, LogicalSwitchModel::VlanColumn).data().toInt(), 100);
    QCOMPARE(model.index(1, LogicalSwitchModel::NameColumn).data().toString(), u"data"_s);
    QCOMPARE(model.index(2, LogicalSwitchModel::NameColumn).data().toString(), u"overlay"_s);
    const QModelIndex front = model.index(0, 0);
    QCOMPARE(model.rowCount(front), 2);
    QCOMPARE(model.index(0, 0, front).data().toString(), u"ln-front"_s);
    QCOMPARE(model.index(1, 0, front).data().toString(), u"if-a"_s);
    QCOMPARE(model.index(1, LogicalSwitchModel::VmColumn, front).data().toString(), u"web"_s);
    QCOMPARE(model.index(1, LogicalSwitchModel::VmColumn, model.index(1, 0)).data().toString(), u"no VM"_s);

    // A port moves: one removal under front, one insertion under data, nothing else.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removedRows(&model, &QAbstractItemModel::rowsRemoved);
    controller.movePort(u"if-a"_s, u"front"_s, u"data"_s);
    QCOMPARE(removedRows.size(), 1);
    QCOMPARE(removedRows.first().at(0).value<QModelIndex>(), model.index(0, 0));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(0).value<QModelIndex>(), model.index(1, 0));
    QCOMPARE(model.rowCount(model.index(0, 0)), 1);
    QCOMPARE(model.rowCount(model.index(1, 0)), 3);

    // A new VLAN switch lands at its place; a deleted one goes.
    controller.apply(QJsonObject{{u"Logical_Switch"_s, QJsonObject{{uuidOf(u"mid"_s), QJsonObject{{u"insert"_s, QJsonObject{{u"name"_s, u"mid"_s}}}}}}}});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(2, 0).data().toString(), u"mid"_s); // no localnet: an overlay switch, by name
    controller.apply(QJsonObject{{u"Logical_Switch"_s, QJsonObject{{uuidOf(u"overlay"_s), QJsonObject{{u"delete"_s, QJsonValue()}}}}}});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.switchIndex(uuidOf(u"overlay"_s)), QModelIndex());
}

void tst_NetworkCorrelation::controllerVlanNamesInTheInventory()
{
    Inventory inventory;
    NetworkInfo network;
    network.hostUri = Host;
    network.name = u"ovs"_s;
    network.portgroups = {{u"vlan-100"_s, {100}, false}};
    inventory.addHost(Host);
    inventory.setNetworks(Host, {network});
    QCOMPARE(inventory.vlanName(100), u"vlan-100"_s);
    QSignalSpy changed(&inventory, &Inventory::vlansChanged);
    inventory.setControllerVlans({{100, u"front"_s}, {300, u"backoffice"_s}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(inventory.vlanName(100), u"front"_s);
    const QList<VlanInfo> vlans = inventory.vlans();
    QCOMPARE(vlans.size(), 2);
    QCOMPARE(vlans.at(1).id, 300); // only the controller has it
    QCOMPARE(vlans.at(1).name, u"backoffice"_s);
    QVERIFY(vlans.at(1).hosts.isEmpty());
    inventory.setControllerVlans({});
    QCOMPARE(inventory.vlanName(100), u"vlan-100"_s);
    QCOMPARE(inventory.vlans().size(), 1);
}

void tst_NetworkCorrelation::moveOperationsRelyOnWhatTheyChange()
{
    OvnLogicalSwitch from;
    from.uuid = uuidOf(u"front"_s);
    from.name = u"front"_s;
    OvnLogicalSwitch to;
    to.uuid = uuidOf(u"data"_s);
    to.name = u"data"_s;
    const QString port = uuidOf(u"if-a"_s);
    const QJsonArray ops = NetworkController::movePortOperations(port, from, to);
    QCOMPARE(ops.size(), 5);
    // Both waits come first, fail at once, and pin the port in FROM and TO by uuid and name.
    for (int i : {0, 1}) {
        const QJsonObject wait = ops.at(i).toObject();
        QCOMPARE(wait.value(u"op"_s).toString(), u"wait"_s);
        QCOMPARE(wait.value(u"timeout"_s).toInt(-1), 0);
        QCOMPARE(wait.value(u"until"_s).toString(), u"=="_s);
        QCOMPARE(wait.value(u"rows"_s).toArray().size(), 1);
    }
    const QJsonArray where = ops.at(0).toObject().value(u"where"_s).toArray();
    QCOMPARE(where.size(), 2);
    QCOMPARE(QJsonDocument(where.at(1).toArray()).toJson(QJsonDocument::Compact),
             u"[\"ports\",\"includes\",[\"set\",[[\"uuid\",\"%1\"]]]]"_s.arg(port).toUtf8());
    QCOMPARE(ops.at(0).toObject().value(u"rows"_s).toArray().first().toObject().value(u"name"_s).toString(), u"front"_s);
    QCOMPARE(ops.at(1).toObject().value(u"rows"_s).toArray().first().toObject().value(u"name"_s).toString(), u"data"_s);
    const QJsonObject out = ops.at(2).toObject();
    QCOMPARE(out.value(u"op"_s).toString(), u"mutate"_s);
    QCOMPARE(out.value(u"where"_s).toArray().first().toArray().at(2).toArray().at(1).toString(), from.uuid);
    QCOMPARE(out.value(u"mutations"_s).toArray().first().toArray().at(1).toString(), u"delete"_s);
    const QJsonObject in = ops.at(3).toObject();
    QCOMPARE(in.value(u"where"_s).toArray().first().toArray().at(2).toArray().at(1).toString(), to.uuid);
    QCOMPARE(in.value(u"mutations"_s).toArray().first().toArray().at(1).toString(), u"insert"_s);
    QCOMPARE(ops.at(4).toObject().value(u"op"_s).toString(), u"comment"_s);
}

void tst_NetworkCorrelation::addPortOperations()
{
    OvnLogicalSwitch s;
    s.uuid = uuidOf(u"front"_s);
    s.name = u"front"_s;
    s.vlanId = 100;
    const QJsonArray ops = NetworkController::addPortOperations(s, u"6b1f-port"_s, u"52:54:00:aa:bb:cc"_s, u"web-9"_s, u"acme"_s);
    QCOMPARE(ops.size(), 5);
    // No port of that name yet; the switch is still the one read.
    QCOMPARE(ops.at(0).toObject().value(u"table"_s).toString(), u"Logical_Switch_Port"_s);
    QCOMPARE(ops.at(0).toObject().value(u"rows"_s).toArray().size(), 0);
    QCOMPARE(QJsonDocument(ops.at(1).toObject().value(u"rows"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"([{"name":"front"}])"));
    const QJsonObject row = ops.at(2).toObject().value(u"row"_s).toObject();
    QCOMPARE(row.value(u"name"_s).toString(), u"6b1f-port"_s);
    QCOMPARE(QJsonDocument(row.value(u"addresses"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["set",["52:54:00:aa:bb:cc"]])"));
    QCOMPARE(QJsonDocument(row.value(u"external_ids"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["map",[["vm","web-9"],["tenant","acme"]]])"));
    QCOMPARE(QJsonDocument(ops.at(3).toObject().value(u"mutations"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"([["ports","insert",["set",[["named-uuid","port"]]]]])"));
    QCOMPARE(ops.at(4).toObject().value(u"op"_s).toString(), u"comment"_s);
}

void tst_NetworkCorrelation::createAndDeleteOperations()
{
    const QJsonArray create = NetworkController::createVlanOperations(u"lab-42"_s, 42, u"acme"_s, u"physnet"_s);
    QCOMPARE(create.size(), 5);
    QCOMPARE(create.at(0).toObject().value(u"rows"_s).toArray().size(), 0); // no switch of that name yet
    QCOMPARE(create.at(1).toObject().value(u"table"_s).toString(), u"Logical_Switch_Port"_s);
    const QJsonObject localnet = create.at(2).toObject().value(u"row"_s).toObject();
    QCOMPARE(localnet.value(u"type"_s).toString(), u"localnet"_s);
    QCOMPARE(localnet.value(u"tag_request"_s).toInt(), 42);
    QCOMPARE(localnet.value(u"name"_s).toString(), u"ln-lab-42"_s);
    const QJsonObject ls = create.at(3).toObject().value(u"row"_s).toObject();
    QCOMPARE(ls.value(u"name"_s).toString(), u"lab-42"_s);
    QCOMPARE(QJsonDocument(ls.value(u"external_ids"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["map",[["vlan","42"],["tenant","acme"]]])"));
    QCOMPARE(QJsonDocument(ls.value(u"ports"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["set",[["named-uuid","localnet"]]])"));

    OvnLogicalSwitch s;
    s.uuid = uuidOf(u"lab-42"_s);
    s.name = u"lab-42"_s;
    s.vlanId = 42;
    s.portUuids = {uuidOf(u"ln-lab-42"_s)};
    const QJsonArray remove = NetworkController::deleteVlanOperations(s);
    QCOMPARE(remove.size(), 3);
    // Deleting relies on the switch still having exactly the ports seen (no VM port added since).
    QCOMPARE(QJsonDocument(remove.at(0).toObject().value(u"rows"_s).toArray()).toJson(QJsonDocument::Compact),
             u"[{\"ports\":[\"set\",[[\"uuid\",\"%1\"]]]}]"_s.arg(s.portUuids.first()).toUtf8());
    QCOMPARE(remove.at(1).toObject().value(u"op"_s).toString(), u"delete"_s);
}

QTEST_GUILESS_MAIN(tst_NetworkCorrelation)
#include "tst_networkcorrelation.moc"
