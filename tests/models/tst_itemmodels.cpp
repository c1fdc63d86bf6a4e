#include "itemmodels/eventlogmodel.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/nictablemodel.h"
#include "itemmodels/roles.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"

#include "inventory/inventory.h"
#include "metrics/metricsstore.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString HostA = u"qemu+ssh://par-hv01/system"_s;
const QString HostB = u"qemu+ssh://par-hv02/system"_s;

constexpr quint64 MiB = 1024;        // in KiB
constexpr quint64 GiB = 1024 * 1024; // in KiB

HostInfo makeHost(const QString &uri, const QString &name, bool demo = false)
{
    HostInfo host;
    host.uri = uri;
    host.displayName = name;
    host.hostname = name;
    host.hypervisorType = u"QEMU"_s;
    host.cpuModel = u"EPYC-Milan"_s;
    host.cpus = 64;
    host.memoryKiB = 512 * GiB;
    host.demo = demo;
    host.state = ConnectionState::Connected;
    return host;
}

VmInfo makeVm(const QString &host, const QString &name, VmState state, int vcpus, quint64 memoryKiB,
              const QString &tenant = {}, const QStringList &portgroups = {})
{
    VmInfo vm;
    vm.hostUri = host;
    vm.uuid = u"uuid-"_s + name;
    vm.name = name;
    vm.state = state;
    vm.vcpus = vcpus;
    vm.memoryKiB = memoryKiB;
    vm.maxMemoryKiB = memoryKiB;
    vm.tenant = tenant;
    int n = 0;
    for (const QString &group : portgroups) {
        NicInfo nic;
        nic.mac = u"52:54:00:00:%1:%2"_s.arg(name.size(), 2, 10, QLatin1Char('0')).arg(++n, 2, 10, QLatin1Char('0'));
        nic.sourceType = u"network"_s;
        nic.source = u"ovs-prod"_s;
        nic.portgroup = group;
        vm.nics.append(nic);
    }
    return vm;
}

NetworkInfo prodNetwork(const QString &host, int webTag = 100)
{
    NetworkInfo network;
    network.hostUri = host;
    network.name = u"ovs-prod"_s;
    network.virtualPortType = u"openvswitch"_s;
    network.active = true;
    network.portgroups = {{u"web"_s, {webTag}, true}, {u"db"_s, {200}, false}};
    return network;
}

// The fleet every model test starts from, in inventory order:
//   par-hv01: web-01 (running, 2 vCPUs, 4 GiB, acme, VLAN 100), db-01 (running, 16, 16 GiB, acme,
//             VLANs 100 and 200), build-01 (shut off, 4, 512 MiB, ci, no NIC)
//   par-hv02 (demo): web-02 (paused, 8, 8 GiB, globex, VLAN 100), bigmem-01 (running, 1, 1.5 TiB,
//             globex, titled "In-memory cache", no NIC)
const QStringList FleetOrder{u"web-01"_s, u"db-01"_s, u"build-01"_s, u"web-02"_s, u"bigmem-01"_s};

QList<VmInfo> hostAVms()
{
    return {makeVm(HostA, u"web-01"_s, VmState::Running, 2, 4 * GiB, u"acme"_s, {u"web"_s}),
            makeVm(HostA, u"db-01"_s, VmState::Running, 16, 16 * GiB, u"acme"_s, {u"db"_s, u"web"_s}),
            makeVm(HostA, u"build-01"_s, VmState::Shutoff, 4, 512 * MiB, u"ci"_s)};
}

QList<VmInfo> hostBVms()
{
    VmInfo bigmem = makeVm(HostB, u"bigmem-01"_s, VmState::Running, 1, 1536 * GiB, u"globex"_s);
    bigmem.title = u"In-memory cache"_s;
    return {makeVm(HostB, u"web-02"_s, VmState::Paused, 8, 8 * GiB, u"globex"_s, {u"web"_s}), bigmem};
}

HostSnapshot snapshotA(const QList<VmInfo> &vms = hostAVms())
{
    return {makeHost(HostA, u"par-hv01"_s), vms, {prodNetwork(HostA)}};
}

HostSnapshot snapshotB()
{
    return {makeHost(HostB, u"par-hv02"_s, true), hostBVms(), {prodNetwork(HostB)}};
}

void populate(Inventory &inventory)
{
    inventory.applySnapshot(snapshotA());
    inventory.applySnapshot(snapshotB());
}

VmInfo vmNamed(const Inventory &inventory, const QString &name)
{
    for (const VmKey &key : inventory.vmKeys()) {
        if (inventory.vm(key).name == name)
            return inventory.vm(key);
    }
    return {};
}

// Row signals of one model.
struct ModelSpies
{
    explicit ModelSpies(QAbstractItemModel *model)
        : inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
        , reset(model, &QAbstractItemModel::modelReset)
        , layout(model, &QAbstractItemModel::layoutChanged)
        , moved(model, &QAbstractItemModel::rowsMoved)
    {
    }

    void clear()
    {
        for (QSignalSpy *spy : {&inserted, &removed, &changed, &reset, &layout, &moved})
            spy->clear();
    }
    [[nodiscard]] qsizetype all() const
    {
        return inserted.count() + removed.count() + changed.count() + reset.count() + layout.count() + moved.count();
    }

    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
    QSignalSpy reset;
    QSignalSpy layout;
    QSignalSpy moved;
};

struct RowRange
{
    QModelIndex parent;
    int first = -1;
    int last = -1;
};

RowRange rangeAt(const QSignalSpy &spy, qsizetype i)
{
    const QList<QVariant> &arguments = spy.at(i);
    return {arguments.at(0).value<QModelIndex>(), arguments.at(1).toInt(), arguments.at(2).toInt()};
}

QPair<QModelIndex, QModelIndex> changedAt(const QSignalSpy &spy, qsizetype i)
{
    return {spy.at(i).at(0).value<QModelIndex>(), spy.at(i).at(1).value<QModelIndex>()};
}

QStringList column(const QAbstractItemModel &model, int col = 0, const QModelIndex &parent = {})
{
    QStringList values;
    for (int row = 0; row < model.rowCount(parent); ++row)
        values.append(model.index(row, col, parent).data().toString());
    return values;
}

// A tree (or a proxy of it) as "host(vm,vm) host(vm)", hosts by their lower-case name.
QString treeText(const QAbstractItemModel &model)
{
    QStringList hosts;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex host = model.index(row, 0);
        hosts.append(u"%1(%2)"_s.arg(host.data(SortRole).toString(), column(model, 0, host).join(u',')));
    }
    return hosts.join(u' ');
}

EventRecord makeEvent(int n, EventRecord::Severity severity = EventRecord::Severity::Info)
{
    EventRecord record;
    record.time = QDateTime(QDate(2025, 3, 14), QTime(9, 26, 53)).addSecs(n);
    record.host = u"par-hv01"_s;
    record.vm = u"vm-%1"_s.arg(n);
    record.action = u"Start"_s;
    record.result = u"#%1"_s.arg(n);
    record.severity = severity;
    return record;
}

NicInfo nic(const QString &mac, const QString &type, const QString &source, const QString &group = {},
            const QString &interfaceId = {})
{
    NicInfo info;
    info.mac = mac;
    info.sourceType = type;
    info.source = source;
    info.portgroup = group;
    info.interfaceId = interfaceId;
    info.model = u"virtio"_s;
    return info;
}

constexpr auto Tester = QAbstractItemModelTester::FailureReportingMode::QtTest;

} // namespace

class TestItemModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void formatMemory_data();
    void formatMemory();

    void hostTreeStructure();
    void hostTreeData_data();
    void hostTreeData();
    void hostTreeVmAddedChangedRemoved();
    void hostTreeHostAddedChanged();
    void hostTreeSnapshots();
    void hostTreeRemoveHost();
    void hostTreeVlansOncePerTurn();

    void vmTableData_data();
    void vmTableData();
    void vmTableVmAddedChangedRemoved();
    void vmTableSnapshots();
    void vmTableRemoveHost();
    void vmTableCpuOfAVmThatStopped();
    void vmTableHostAndVlanChanges();
    void changesOfATurnToldInRanges();

    void proxyFilter_data();
    void proxyFilter();
    void proxyLiveColumns();
    void proxyStateFilter_data();
    void proxyStateFilter();
    void proxySort_data();
    void proxySort();
    void proxyFollowsInventory();
    void proxyRefiltersOnVlanChange();
    void proxyTreeFilter_data();
    void proxyTreeFilter();
    void proxyTreeStateFilter_data();
    void proxyTreeStateFilter();
    void proxyTreeFollowsInventory();

    void eventLogData();
    void eventLogCapacity_data();
    void eventLogCapacity();

    void nicTableData_data();
    void nicTableData();
    void nicTableUpdates();
    void nicTableController_data();
    void nicTableController();
    void nicTableFromInventory();
};

void TestItemModels::initTestCase()
{
    // Display strings below use the C locale's digits and separators.
    QLocale::setDefault(QLocale::c());
}

void TestItemModels::formatMemory_data()
{
    QTest::addColumn<quint64>("kib");
    QTest::addColumn<QString>("text");

    QTest::newRow("zero") << quint64(0) << u"0 MiB"_s;
    QTest::newRow("512 MiB") << 512 * MiB << u"512 MiB"_s;
    QTest::newRow("1023 MiB") << 1023 * MiB << u"1023 MiB"_s;
    QTest::newRow("1 GiB") << GiB << u"1 GiB"_s;
    QTest::newRow("1.5 GiB") << 1536 * MiB << u"1.5 GiB"_s;
    QTest::newRow("2.5 GiB") << 2560 * MiB << u"2.5 GiB"_s;
    QTest::newRow("4 GiB") << 4 * GiB << u"4 GiB"_s;
    QTest::newRow("16 GiB") << 16 * GiB << u"16 GiB"_s;
    QTest::newRow("24 GiB") << 24 * GiB << u"24 GiB"_s;
    QTest::newRow("512 GiB") << 512 * GiB << u"512 GiB"_s;
    QTest::newRow("1.5 TiB") << 1536 * GiB << u"1.5 TiB"_s;
}

void TestItemModels::formatMemory()
{
    QFETCH(quint64, kib);
    QFETCH(QString, text);

    QCOMPARE(formatMemoryKiB(kib), text);
}

void TestItemModels::hostTreeStructure()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(HostTreeModel::ColumnCount));
    const QModelIndex hostA = model.index(0, 0);
    const QModelIndex hostB = model.index(1, 0);
    QCOMPARE(model.hostIndex(HostA), hostA);
    QCOMPARE(model.hostIndex(HostB, HostTreeModel::StateColumn), model.index(1, HostTreeModel::StateColumn));
    QVERIFY(!model.hostIndex(u"qemu:///nowhere"_s).isValid());
    QVERIFY(!hostA.parent().isValid());
    QCOMPARE(column(model, 0, hostA), (QStringList{u"web-01"_s, u"db-01"_s, u"build-01"_s}));
    QCOMPARE(column(model, 0, hostB), (QStringList{u"web-02"_s, u"bigmem-01"_s}));

    const QModelIndex db = model.index(1, HostTreeModel::StateColumn, hostA);
    QCOMPARE(db.parent(), hostA);
    QCOMPARE(model.vmIndex(HostA, u"uuid-db-01"_s, HostTreeModel::StateColumn), db);
    QVERIFY(!model.vmIndex(HostB, u"uuid-db-01"_s).isValid());
    QCOMPARE(model.rowCount(model.index(0, 0, hostA)), 0); // VMs are leaves
    QCOMPARE(model.rowCount(model.index(0, HostTreeModel::StateColumn)), 0);
    // The host row names the host and counts its VMs (the wording is the translators').
    QVERIFY2(hostA.data().toString().startsWith(u"par-hv01 (3 "_s), qPrintable(hostA.data().toString()));
    QVERIFY2(hostB.data().toString().startsWith(u"par-hv02 (2 "_s), qPrintable(hostB.data().toString()));
    QCOMPARE(model.headerData(HostTreeModel::NameColumn, Qt::Horizontal).toString(), u"Host / VM"_s);
    QCOMPARE(model.headerData(HostTreeModel::StateColumn, Qt::Horizontal).toString(), u"State"_s);
}

void TestItemModels::hostTreeData_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("vm"); // empty: the host row
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");

    constexpr int Name = HostTreeModel::NameColumn;
    constexpr int State = HostTreeModel::StateColumn;
    QTest::newRow("host state") << HostB << QString() << State << int(Qt::DisplayRole) << QVariant(u"Connected"_s);
    QTest::newRow("host kind") << HostA << QString() << Name << int(KindRole) << QVariant(int(NodeKind::Host));
    QTest::newRow("host URI") << HostB << QString() << State << int(HostUriRole) << QVariant(HostB);
    QTest::newRow("host connection state")
        << HostA << QString() << Name << int(ConnectionStateRole) << QVariant(int(ConnectionState::Connected));
    QTest::newRow("host sort key") << HostA << QString() << Name << int(SortRole) << QVariant(u"par-hv01"_s);
    QTest::newRow("host not demo") << HostA << QString() << Name << int(DemoRole) << QVariant(false);
    QTest::newRow("demo host") << HostB << QString() << Name << int(DemoRole) << QVariant(true);
    QTest::newRow("host has no UUID") << HostA << QString() << Name << int(UuidRole) << QVariant();
    QTest::newRow("VM name") << HostA << u"db-01"_s << Name << int(Qt::DisplayRole) << QVariant(u"db-01"_s);
    QTest::newRow("VM state") << HostB << u"web-02"_s << State << int(Qt::DisplayRole) << QVariant(u"Paused"_s);
    QTest::newRow("VM shut off") << HostA << u"build-01"_s << State << int(Qt::DisplayRole) << QVariant(u"Shut off"_s);
    QTest::newRow("VM kind") << HostA << u"web-01"_s << State << int(KindRole) << QVariant(int(NodeKind::Vm));
    QTest::newRow("VM host URI") << HostB << u"web-02"_s << Name << int(HostUriRole) << QVariant(HostB);
    QTest::newRow("VM UUID") << HostA << u"web-01"_s << Name << int(UuidRole) << QVariant(u"uuid-web-01"_s);
    QTest::newRow("VM state role") << HostB << u"web-02"_s << Name << int(VmStateRole) << QVariant(int(VmState::Paused));
    QTest::newRow("VM on demo host") << HostB << u"bigmem-01"_s << Name << int(DemoRole) << QVariant(true);
    QTest::newRow("VM has no connection state")
        << HostA << u"web-01"_s << Name << int(ConnectionStateRole) << QVariant();
    QTest::newRow("VM tooltip") << HostB << u"bigmem-01"_s << Name << int(Qt::ToolTipRole)
                                << QVariant(u"In-memory cache\n1 vCPU(s) · 1.5 TiB\nTenant: globex"_s); // untranslated: the English plural is in vigie_en.ts
}

void TestItemModels::hostTreeData()
{
    QFETCH(QString, host);
    QFETCH(QString, vm);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QVariant, expected);

    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);

    const QModelIndex index = vm.isEmpty() ? model.hostIndex(host, column)
                                           : model.vmIndex(host, vmNamed(inventory, vm).uuid, column);
    QVERIFY(index.isValid());
    const QVariant value = index.data(role);
    QCOMPARE(value, expected);
    QCOMPARE(value.typeId(), expected.typeId());
}

void TestItemModels::hostTreeVmAddedChangedRemoved()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    // Added: one row at the end of its host, and the host row refreshed (it shows the count).
    inventory.updateVm(makeVm(HostA, u"api-01"_s, VmState::Running, 2, 2 * GiB));
    QCOMPARE(spies.inserted.count(), 1);
    RowRange range = rangeAt(spies.inserted, 0);
    QCOMPARE(range.parent, model.hostIndex(HostA));
    QCOMPARE(range.first, 3);
    QCOMPARE(range.last, 3);
    QCOMPARE(model.index(3, 0, model.hostIndex(HostA)).data().toString(), u"api-01"_s);
    QVERIFY(model.hostIndex(HostA).data().toString().startsWith(u"par-hv01 (4 "_s));
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.hostIndex(HostA));
    QCOMPARE(changedAt(spies.changed, 0).second, model.hostIndex(HostA, HostTreeModel::StateColumn));
    QCOMPARE(spies.removed.count() + spies.reset.count() + spies.layout.count(), 0);

    // Changed: the VM's whole row and its host's, nothing inserted or removed, once the event
    // loop turns (a burst of changes is told in a few ranges).
    spies.clear();
    VmInfo web02 = vmNamed(inventory, u"web-02"_s);
    web02.state = VmState::Running;
    inventory.updateVm(web02);
    QCOMPARE(spies.all(), 0);
    QTRY_COMPARE(spies.changed.count(), 2);
    const QModelIndex web02Index = model.vmIndex(HostB, web02.uuid);
    QCOMPARE(changedAt(spies.changed, 0).first, web02Index);
    QCOMPARE(changedAt(spies.changed, 0).second, web02Index.siblingAtColumn(HostTreeModel::StateColumn));
    QCOMPARE(changedAt(spies.changed, 1).first, model.hostIndex(HostB));
    QCOMPARE(changedAt(spies.changed, 1).second, model.hostIndex(HostB, HostTreeModel::StateColumn));
    QCOMPARE(web02Index.siblingAtColumn(HostTreeModel::StateColumn).data().toString(), u"Running"_s);
    QCOMPARE(spies.all(), 2);

    // Removed from the middle: exactly that row, under its host.
    spies.clear();
    inventory.removeVm({HostA, u"uuid-db-01"_s});
    QCOMPARE(spies.removed.count(), 1);
    range = rangeAt(spies.removed, 0);
    QCOMPARE(range.parent, model.hostIndex(HostA));
    QCOMPARE(range.first, 1);
    QCOMPARE(range.last, 1);
    QCOMPARE(column(model, 0, model.hostIndex(HostA)), (QStringList{u"web-01"_s, u"build-01"_s, u"api-01"_s}));
    QCOMPARE(model.vmIndex(HostA, u"uuid-build-01"_s).row(), 1);
    QCOMPARE(spies.inserted.count() + spies.reset.count() + spies.layout.count(), 0);
}

void TestItemModels::hostTreeHostAddedChanged()
{
    Inventory inventory;
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    inventory.addHost(HostA);
    inventory.addHost(HostB, true);
    QCOMPARE(spies.inserted.count(), 2);
    QVERIFY(!rangeAt(spies.inserted, 1).parent.isValid());
    QCOMPARE(rangeAt(spies.inserted, 1).first, 1);
    QCOMPARE(rangeAt(spies.inserted, 1).last, 1);
    QCOMPARE(model.hostIndex(HostB).data(ConnectionStateRole).toInt(), int(ConnectionState::Disconnected));

    spies.clear();
    inventory.setHostState(HostB, ConnectionState::Unreachable, u"No route to host"_s);
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.hostIndex(HostB));
    QCOMPARE(changedAt(spies.changed, 0).second, model.hostIndex(HostB, HostTreeModel::StateColumn));
    QCOMPARE(model.hostIndex(HostB, HostTreeModel::StateColumn).data().toString(), u"Unreachable"_s);
    QVERIFY(model.hostIndex(HostB).data(Qt::ToolTipRole).toString().contains(u"No route to host"_s));
    QCOMPARE(spies.all(), 1);
}

void TestItemModels::hostTreeSnapshots()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    // An identical resync is silent.
    inventory.applySnapshot(snapshotA());
    inventory.applySnapshot(snapshotB());
    QCOMPARE(spies.all(), 0);

    // Drop db-01, change web-01, add api-01 and api-02 (one range).
    QList<VmInfo> vms = hostAVms();
    vms.removeAt(1);
    vms[0].vcpus = 4;
    vms.append(makeVm(HostA, u"api-01"_s, VmState::Running, 2, 2 * GiB));
    vms.append(makeVm(HostA, u"api-02"_s, VmState::Running, 2, 2 * GiB));
    inventory.applySnapshot(snapshotA(vms));

    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).parent, model.hostIndex(HostA));
    QCOMPARE(rangeAt(spies.inserted, 0).first, 3);
    QCOMPARE(rangeAt(spies.inserted, 0).last, 4);
    QCOMPARE(spies.removed.count(), 1);
    QCOMPARE(rangeAt(spies.removed, 0).parent, model.hostIndex(HostA));
    QCOMPARE(rangeAt(spies.removed, 0).first, 1);
    QCOMPARE(rangeAt(spies.removed, 0).last, 1);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(spies.layout.count(), 0);
    QCOMPARE(spies.moved.count(), 0);
    QCOMPARE(treeText(model), u"par-hv01(web-01,build-01,api-01,api-02) par-hv02(web-02,bigmem-01)"_s);
    // Only rows of par-hv01 changed.
    QVERIFY(spies.changed.count() > 0);
    for (qsizetype i = 0; i < spies.changed.count(); ++i) {
        const QModelIndex changed = changedAt(spies.changed, i).first;
        QCOMPARE(changed.data(HostUriRole).toString(), HostA);
    }
}

void TestItemModels::hostTreeRemoveHost()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    inventory.removeHost(HostA);

    // Its three VMs first, under the host, then the host itself.
    QCOMPARE(spies.removed.count(), 4);
    for (int i = 0; i < 3; ++i) {
        const RowRange range = rangeAt(spies.removed, i);
        QVERIFY(range.parent.isValid());
        QCOMPARE(range.parent.row(), 0);
        QCOMPARE(range.first, 0);
        QCOMPARE(range.last, 0);
    }
    const RowRange host = rangeAt(spies.removed, 3);
    QVERIFY(!host.parent.isValid());
    QCOMPARE(host.first, 0);
    QCOMPARE(host.last, 0);
    QCOMPARE(spies.inserted.count() + spies.reset.count() + spies.layout.count(), 0);

    // The remaining host moved up with its children still reachable.
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(treeText(model), u"par-hv02(web-02,bigmem-01)"_s);
    const QModelIndex web02 = model.vmIndex(HostB, u"uuid-web-02"_s);
    QCOMPARE(web02.parent(), model.index(0, 0));
    QCOMPARE(web02.data(HostUriRole).toString(), HostB);

    // Adding a host back appends a fresh, empty row.
    spies.clear();
    inventory.addHost(HostA);
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).first, 1);
    QCOMPARE(model.rowCount(model.hostIndex(HostA)), 0);
    // Looked up where it now is, and its VMs under it.
    inventory.updateVm(makeVm(HostA, u"api-01"_s, VmState::Running, 2, 2 * GiB));
    const QModelIndex api01 = model.vmIndex(HostA, u"uuid-api-01"_s);
    QCOMPARE(api01.data().toString(), u"api-01"_s);
    QCOMPARE(api01.parent(), model.index(1, 0));
    QCOMPARE(model.hostIndex(HostA), model.index(1, 0));
}

void TestItemModels::hostTreeVlansOncePerTurn()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    // Three VLAN changes in one turn of the event loop (a fleet connecting: one per host)...
    inventory.setNetworks(HostA, {prodNetwork(HostA, 110)});
    inventory.setNetworks(HostB, {prodNetwork(HostB, 120)});
    inventory.setNetworks(HostA, {prodNetwork(HostA, 130)});
    QCOMPARE(spies.all(), 0);

    // ...tell every VM row once, after it: one range per host.
    QTRY_COMPARE(spies.changed.count(), 2);
    for (qsizetype i = 0; i < 2; ++i) {
        const auto [topLeft, bottomRight] = changedAt(spies.changed, i);
        const QModelIndex host = model.index(int(i), 0);
        QCOMPARE(topLeft, model.index(0, 0, host));
        QCOMPARE(bottomRight, model.index(model.rowCount(host) - 1, HostTreeModel::ColumnCount - 1, host));
    }
    QCOMPARE(spies.all(), 2);
    // One more change, the barrier: had the first turn been told twice, the count would pass 4.
    inventory.setNetworks(HostB, {prodNetwork(HostB, 140)});
    QTRY_COMPARE(spies.changed.count(), 4);
    QCOMPARE(spies.all(), 4);
}

void TestItemModels::vmTableData_data()
{
    QTest::addColumn<QString>("vm");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");

    const int display = Qt::DisplayRole;
    QTest::newRow("name") << u"web-01"_s << int(VmTableModel::NameColumn) << display << QVariant(u"web-01"_s);
    QTest::newRow("host") << u"web-02"_s << int(VmTableModel::HostColumn) << display << QVariant(u"par-hv02"_s);
    QTest::newRow("state") << u"web-02"_s << int(VmTableModel::StateColumn) << display << QVariant(u"Paused"_s);
    QTest::newRow("vCPUs") << u"db-01"_s << int(VmTableModel::VcpuColumn) << display << QVariant(16);
    QTest::newRow("memory 512 MiB") << u"build-01"_s << int(VmTableModel::MemoryColumn) << display
                                    << QVariant(u"512 MiB"_s);
    QTest::newRow("memory 16 GiB") << u"db-01"_s << int(VmTableModel::MemoryColumn) << display << QVariant(u"16 GiB"_s);
    QTest::newRow("memory 1.5 TiB") << u"bigmem-01"_s << int(VmTableModel::MemoryColumn) << display
                                    << QVariant(u"1.5 TiB"_s);
    QTest::newRow("one VLAN") << u"web-01"_s << int(VmTableModel::VlanColumn) << display << QVariant(u"100"_s);
    QTest::newRow("VLANs sorted") << u"db-01"_s << int(VmTableModel::VlanColumn) << display << QVariant(u"100, 200"_s);
    QTest::newRow("no VLAN") << u"build-01"_s << int(VmTableModel::VlanColumn) << display << QVariant(QString());
    QTest::newRow("tenant") << u"web-02"_s << int(VmTableModel::TenantColumn) << display << QVariant(u"globex"_s);

    const int sort = SortRole;
    QTest::newRow("sort vCPUs as a number") << u"db-01"_s << int(VmTableModel::VcpuColumn) << sort << QVariant(16);
    QTest::newRow("sort memory as a number")
        << u"db-01"_s << int(VmTableModel::MemoryColumn) << sort << QVariant(quint64(16 * GiB));
    QTest::newRow("sort state by value")
        << u"web-02"_s << int(VmTableModel::StateColumn) << sort << QVariant(int(VmState::Paused));
    QTest::newRow("sort VLAN by first tag") << u"db-01"_s << int(VmTableModel::VlanColumn) << sort << QVariant(100);
    QTest::newRow("sort no VLAN first") << u"build-01"_s << int(VmTableModel::VlanColumn) << sort << QVariant(-1);
    QTest::newRow("sort host lower-case")
        << u"web-02"_s << int(VmTableModel::HostColumn) << sort << QVariant(u"par-hv02"_s);

    QTest::newRow("kind") << u"web-01"_s << int(VmTableModel::MemoryColumn) << int(KindRole) << QVariant(int(NodeKind::Vm));
    QTest::newRow("host URI") << u"web-02"_s << int(VmTableModel::NameColumn) << int(HostUriRole) << QVariant(HostB);
    QTest::newRow("UUID") << u"db-01"_s << int(VmTableModel::TenantColumn) << int(UuidRole) << QVariant(u"uuid-db-01"_s);
    QTest::newRow("state role")
        << u"build-01"_s << int(VmTableModel::NameColumn) << int(VmStateRole) << QVariant(int(VmState::Shutoff));
    QTest::newRow("not demo") << u"web-01"_s << int(VmTableModel::NameColumn) << int(DemoRole) << QVariant(false);
    QTest::newRow("demo") << u"web-02"_s << int(VmTableModel::NameColumn) << int(DemoRole) << QVariant(true);
    QTest::newRow("tooltip with title") << u"bigmem-01"_s << int(VmTableModel::NameColumn) << int(Qt::ToolTipRole)
                                        << QVariant(u"bigmem-01 — In-memory cache"_s);
    QTest::newRow("VLAN tooltip names the VLANs") << u"db-01"_s << int(VmTableModel::VlanColumn) << int(Qt::ToolTipRole)
                                                  << QVariant(u"web (VLAN 100)\ndb (VLAN 200)"_s);
}

void TestItemModels::vmTableData()
{
    QFETCH(QString, vm);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QVariant, expected);

    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);

    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(VmTableModel::ColumnCount));
    QCOMPARE(::column(model), FleetOrder);
    const int row = model.rowOf(vmNamed(inventory, vm).key());
    QVERIFY(row >= 0);
    QCOMPARE(model.keyAt(row), vmNamed(inventory, vm).key());
    const QVariant value = model.index(row, column).data(role);
    QCOMPARE(value, expected);
    QCOMPARE(value.typeId(), expected.typeId());
}

void TestItemModels::vmTableVmAddedChangedRemoved()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    // A new VM is appended, even on the first host: the table keeps arrival order, and
    // VmFilterProxyModel does the sorting.
    inventory.updateVm(makeVm(HostA, u"api-01"_s, VmState::Running, 2, 2 * GiB));
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).first, 5);
    QCOMPARE(rangeAt(spies.inserted, 0).last, 5);
    QVERIFY(!rangeAt(spies.inserted, 0).parent.isValid());
    QCOMPARE(model.index(5, VmTableModel::NameColumn).data().toString(), u"api-01"_s);
    QCOMPARE(spies.all(), 1);

    spies.clear();
    VmInfo web02 = vmNamed(inventory, u"web-02"_s);
    web02.memoryKiB = 12 * GiB;
    inventory.updateVm(web02);
    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(3, 0));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(3, VmTableModel::ColumnCount - 1));
    QCOMPARE(model.index(3, VmTableModel::MemoryColumn).data().toString(), u"12 GiB"_s);
    QCOMPARE(spies.all(), 1);

    spies.clear();
    inventory.removeVm({HostA, u"uuid-db-01"_s});
    QCOMPARE(spies.removed.count(), 1);
    QCOMPARE(rangeAt(spies.removed, 0).first, 1);
    QCOMPARE(rangeAt(spies.removed, 0).last, 1);
    QCOMPARE(spies.all(), 1);
    QCOMPARE(::column(model), (QStringList{u"web-01"_s, u"build-01"_s, u"web-02"_s, u"bigmem-01"_s, u"api-01"_s}));
    // Rows after the removed one are found at their new place.
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.rowOf(model.keyAt(row)), row);
        QCOMPARE(model.index(row, 0).data(UuidRole).toString(), model.keyAt(row).uuid);
    }
    QCOMPARE(model.rowOf({HostA, u"uuid-db-01"_s}), -1);
}

void TestItemModels::vmTableSnapshots()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    inventory.applySnapshot(snapshotA());
    inventory.applySnapshot(snapshotB());
    QCOMPARE(spies.all(), 0);

    QList<VmInfo> vms = hostAVms();
    vms.removeAt(1);
    vms[0].vcpus = 4;
    vms.append(makeVm(HostA, u"api-01"_s, VmState::Running, 2, 2 * GiB));
    vms.append(makeVm(HostA, u"api-02"_s, VmState::Running, 2, 2 * GiB));
    inventory.applySnapshot(snapshotA(vms));

    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(0, 0)); // web-01, told where it is after db-01 went
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(0, VmTableModel::ColumnCount - 1));
    // The new VMs in one range.
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).first, 5);
    QCOMPARE(rangeAt(spies.inserted, 0).last, 6);
    QCOMPARE(spies.removed.count(), 1);
    QCOMPARE(rangeAt(spies.removed, 0).first, 1);
    QCOMPARE(rangeAt(spies.removed, 0).last, 1);
    QCOMPARE(spies.reset.count() + spies.layout.count() + spies.moved.count(), 0);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(column(model, VmTableModel::NameColumn).mid(4), (QStringList{u"api-01"_s, u"api-02"_s}));
    QCOMPARE(model.rowOf(vms.last().key()), 5);
    QCOMPARE(model.index(0, VmTableModel::VcpuColumn).data().toInt(), 4);
}

// The CPU column shows the latest figure of a running VM; a VM that stopped shows none (not the
// last one before it stopped) and sorts as having none.
void TestItemModels::vmTableCpuOfAVmThatStopped()
{
    Inventory inventory;
    populate(inventory);
    MetricsStore store;
    VmTableModel model(&inventory);
    model.setMetricsStore(&store);
    QAbstractItemModelTester tester(&model, Tester);
    MetricsTick tick;
    tick.hostUri = HostA;
    tick.timeMs = QDateTime::currentMSecsSinceEpoch();
    tick.host.timeMs = tick.timeMs;
    VmSampleUpdate web;
    web.uuid = u"uuid-web-01"_s;
    web.running = true;
    web.sample.timeMs = tick.timeMs;
    web.sample.set(VmMetric::CpuPercent, 42.0);
    tick.vms.append(web);
    store.appendTick(tick);
    const int row = int(FleetOrder.indexOf(u"web-01"_s));
    const QModelIndex cpu = model.index(row, VmTableModel::CpuColumn);
    QCOMPARE(cpu.data(UuidRole).toString(), u"uuid-web-01"_s);
    QVERIFY2(cpu.data().toString().startsWith(u"42"_s), qPrintable(cpu.data().toString()));
    QCOMPARE(cpu.data(SortRole).toDouble(), 42.0);

    VmInfo stopped = inventory.vm({HostA, u"uuid-web-01"_s});
    stopped.state = VmState::Shutoff;
    inventory.updateVm(stopped);
    QCOMPARE(model.index(row, VmTableModel::CpuColumn).data().toString(), QString());
    QCOMPARE(model.index(row, VmTableModel::CpuColumn).data(SortRole).toDouble(), -1.0);
    QCOMPARE(store.latestValue({HostA, u"uuid-web-01"_s}, VmMetric::CpuPercent), std::optional<double>(42.0)); // history kept
}

void TestItemModels::vmTableRemoveHost()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    inventory.removeHost(HostA);

    QCOMPARE(spies.removed.count(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(rangeAt(spies.removed, i).first, 0);
        QCOMPARE(rangeAt(spies.removed, i).last, 0);
    }
    QCOMPARE(spies.inserted.count() + spies.reset.count() + spies.layout.count(), 0);
    QCOMPARE(::column(model), (QStringList{u"web-02"_s, u"bigmem-01"_s}));
    QCOMPARE(model.rowOf({HostB, u"uuid-bigmem-01"_s}), 1);
}

void TestItemModels::vmTableHostAndVlanChanges()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    // A host's state changes: only the Host cells of its VMs (rows 3 and 4: one range), once
    // the event loop turns.
    inventory.setHostState(HostB, ConnectionState::Unreachable, u"timeout"_s);
    QCOMPARE(spies.all(), 0);
    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(3, VmTableModel::HostColumn));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(4, VmTableModel::HostColumn));
    QCOMPARE(model.index(3, 0).data(HostUriRole).toString(), HostB);
    QCOMPARE(spies.all(), 1);

    // A portgroup is retagged, twice in one turn of the event loop: a VLAN is named anew (what a
    // search by VLAN name finds changes), so the VLAN column of every row, once, after that turn.
    spies.clear();
    inventory.setNetworks(HostA, {prodNetwork(HostA, 120)});
    inventory.setNetworks(HostA, {prodNetwork(HostA, 110)});
    QCOMPARE(spies.all(), 0);
    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(0, VmTableModel::VlanColumn));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(4, VmTableModel::VlanColumn));
    QCOMPARE(spies.all(), 1);
    QCOMPARE(model.index(0, VmTableModel::VlanColumn).data().toString(), u"110"_s);
    QCOMPARE(model.index(1, VmTableModel::VlanColumn).data().toString(), u"110, 200"_s);
    QCOMPARE(model.index(3, VmTableModel::VlanColumn).data().toString(), u"100"_s); // other host

    // A host's networks change and no VLAN's name does (another bridge): only that host's rows,
    // each once (a fleet connecting: not 10,000 rows for each host), in as few ranges as they
    // make (HostA's VMs are rows 0 to 2).
    spies.clear();
    NetworkInfo moved = prodNetwork(HostA, 110);
    moved.bridge = u"br-other"_s;
    inventory.setNetworks(HostA, {moved});
    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(0, VmTableModel::VlanColumn));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(2, VmTableModel::VlanColumn));
    for (int row = 0; row < 3; ++row)
        QCOMPARE(model.index(row, 0).data(HostUriRole).toString(), HostA);
    QCOMPARE(inventory.vmKeysOfHost(HostA).size(), 3);
    QCOMPARE(spies.all(), 1);

    // The controller's VLAN gains a host (a host that connected): names as they were, no row.
    // Told in the same turn as a host's networks change, the barrier: only that host's rows.
    spies.clear();
    inventory.setControllerVlans({{110, u"front"_s, {HostA}, {}}});
    QTRY_COMPARE(spies.changed.count(), 1); // a VLAN renamed: every row's VLAN column
    spies.clear();
    QSignalSpy names(&inventory, &Inventory::vlanNamesChanged);
    inventory.setControllerVlans({{110, u"front"_s, {HostA, HostB}, {}}});
    QCOMPARE(names.count(), 0);
    moved.bridge = u"br-third"_s;
    inventory.setNetworks(HostA, {moved});
    QTRY_COMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(0, VmTableModel::VlanColumn));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(2, VmTableModel::VlanColumn));
    QCOMPARE(spies.all(), 1);
}

// The VM changes of one event-loop turn (a controller's resynchronisation changes 10,000) are
// told after it, in as few ranges as the rows make, each row once; a VM removed meanwhile is not
// told.
void TestItemModels::changesOfATurnToldInRanges()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel table(&inventory);
    HostTreeModel tree(&inventory);
    QAbstractItemModelTester tableTester(&table, Tester);
    QAbstractItemModelTester treeTester(&tree, Tester);
    ModelSpies tableSpies(&table);
    ModelSpies treeSpies(&tree);

    const auto grow = [&](const QString &name) {
        VmInfo vm = vmNamed(inventory, name);
        vm.memoryKiB += GiB;
        inventory.updateVm(vm);
    };
    for (const QString &name : {u"web-01"_s, u"db-01"_s, u"web-02"_s, u"bigmem-01"_s, u"bigmem-01"_s})
        grow(name);
    inventory.removeVm({HostA, u"uuid-db-01"_s});
    QCOMPARE(tableSpies.removed.count(), 1);
    QCOMPARE(treeSpies.removed.count(), 1);
    QCOMPARE(tableSpies.changed.count(), 0);
    QCOMPARE(treeSpies.changed.count(), 1); // the host row's count, with the removal
    tableSpies.clear();
    treeSpies.clear();

    // The table's rows now: web-01, build-01, web-02, bigmem-01.
    QTRY_COMPARE(tableSpies.changed.count(), 2);
    QCOMPARE(changedAt(tableSpies.changed, 0), qMakePair(table.index(0, 0), table.index(0, VmTableModel::ColumnCount - 1)));
    QCOMPARE(changedAt(tableSpies.changed, 1), qMakePair(table.index(2, 0), table.index(3, VmTableModel::ColumnCount - 1)));
    QCOMPARE(tableSpies.all(), 2);
    QCOMPARE(table.index(3, VmTableModel::NameColumn).data().toString(), u"bigmem-01"_s);
    // The tree's: web-01 under HostA, then its host row; both of HostB's VMs, then its row.
    QTRY_COMPARE(treeSpies.changed.count(), 4);
    const QModelIndex hostA = tree.hostIndex(HostA);
    const QModelIndex hostB = tree.hostIndex(HostB);
    const int last = HostTreeModel::ColumnCount - 1;
    QCOMPARE(changedAt(treeSpies.changed, 0), qMakePair(tree.index(0, 0, hostA), tree.index(0, last, hostA)));
    QCOMPARE(changedAt(treeSpies.changed, 1), qMakePair(hostA, hostA.siblingAtColumn(last)));
    QCOMPARE(changedAt(treeSpies.changed, 2), qMakePair(tree.index(0, 0, hostB), tree.index(1, last, hostB)));
    QCOMPARE(changedAt(treeSpies.changed, 3), qMakePair(hostB, hostB.siblingAtColumn(last)));
    QCOMPARE(treeSpies.all(), 4);

    // One more change, the barrier: had the first turn been told twice, the counts would pass.
    grow(u"build-01"_s);
    QTRY_COMPARE(tableSpies.changed.count(), 3);
    QCOMPARE(changedAt(tableSpies.changed, 2), qMakePair(table.index(1, 0), table.index(1, VmTableModel::ColumnCount - 1)));
    QTRY_COMPARE(treeSpies.changed.count(), 6);
    QCOMPARE(tableSpies.all(), 3);
    QCOMPARE(treeSpies.all(), 6);
}

void TestItemModels::proxyFilter_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString() << FleetOrder;
    QTest::newRow("blanks only") << u"   "_s << FleetOrder;
    QTest::newRow("name") << u"name:web"_s << QStringList{u"web-01"_s, u"web-02"_s};
    QTest::newRow("case-insensitive") << u"NAME:WEB"_s << QStringList{u"web-01"_s, u"web-02"_s};
    // A free word matches VLAN names too, as the topology always did: db-01 has a NIC in VLAN "web".
    QTest::newRow("free word: name or VLAN name") << u"web"_s << QStringList{u"web-01"_s, u"db-01"_s, u"web-02"_s};
    QTest::newRow("title") << u"cache"_s << QStringList{u"bigmem-01"_s};
    QTest::newRow("host") << u"par-hv02"_s << QStringList{u"web-02"_s, u"bigmem-01"_s};
    QTest::newRow("tenant") << u"acme"_s << QStringList{u"web-01"_s, u"db-01"_s};
    QTest::newRow("state") << u"paused"_s << QStringList{u"web-02"_s};
    QTest::newRow("state keyword") << u"shutoff"_s << QStringList{u"build-01"_s};
    QTest::newRow("state display name") << u"Shut off"_s << QStringList{u"build-01"_s};
    QTest::newRow("VLAN") << u"200"_s << QStringList{u"db-01"_s};
    QTest::newRow("two words, both fields") << u"acme running"_s << QStringList{u"web-01"_s, u"db-01"_s};
    QTest::newRow("host and state") << u"hv02 running"_s << QStringList{u"bigmem-01"_s};
    QTest::newRow("word order does not matter") << u"running hv02"_s << QStringList{u"bigmem-01"_s};
    QTest::newRow("name and tenant") << u"web globex"_s << QStringList{u"web-02"_s};
    QTest::newRow("tenant and VLAN, extra blanks") << u"  acme   200 "_s << QStringList{u"db-01"_s};
    QTest::newRow("every word must match") << u"web nomatch"_s << QStringList();
    QTest::newRow("no match") << u"zzz"_s << QStringList();
}

void TestItemModels::proxyFilter()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);

    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);

    proxy.setFilterText(filter);

    QCOMPARE(column(proxy), expected);
    QCOMPARE(proxy.filterText(), filter);
    proxy.setFilterText(QString());
    QCOMPARE(column(proxy), FleetOrder);
}

// The CPU column, told for every row at each tick, is live: its change alone leaves the rows as
// the filter last judged them (a VM whose tenant changed unseen stays), still sorts by it, and
// any other column's change judges the row again.
void TestItemModels::proxyLiveColumns()
{
    Inventory inventory;
    populate(inventory);
    MetricsStore store;
    VmTableModel model(&inventory);
    model.setMetricsStore(&store);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    proxy.setLiveColumns({VmTableModel::CpuColumn});
    QAbstractItemModelTester tester(&proxy, Tester);
    proxy.setFilterText(u"acme"_s);
    const QStringList acme = column(proxy);
    QVERIFY(acme.contains(u"web-01"_s));
    const int row = int(FleetOrder.indexOf(u"web-01"_s));
    const auto tellColumn = [&model, row](int col) { Q_EMIT model.dataChanged(model.index(row, col), model.index(row, col)); };

    // web-01 leaves acme without the model saying so (its signals held back).
    VmInfo moved = inventory.vm({HostA, u"uuid-web-01"_s});
    QVERIFY(moved.tenant == u"acme"_s);
    moved.tenant = u"globex"_s;
    model.blockSignals(true);
    inventory.updateVm(moved);
    model.blockSignals(false);
    tellColumn(VmTableModel::CpuColumn);
    QCOMPARE(column(proxy), acme); // not matched again
    tellColumn(VmTableModel::NameColumn);
    QVERIFY(!column(proxy).contains(u"web-01"_s)); // matched again: gone

    // Sorted by CPU, a tick still reorders the rows.
    proxy.setFilterText(QString());
    proxy.sort(VmTableModel::CpuColumn, Qt::DescendingOrder);
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    int ticks = 0;
    const auto tickWith = [&store, start, &ticks](const QList<std::pair<QString, double>> &cpus) {
        MetricsTick tick;
        tick.hostUri = HostA;
        tick.timeMs = start + 1000 * ++ticks;
        tick.host.timeMs = tick.timeMs;
        for (const auto &[uuid, cpu] : cpus) {
            VmSampleUpdate update;
            update.uuid = uuid;
            update.running = true;
            update.sample.timeMs = tick.timeMs;
            update.sample.set(VmMetric::CpuPercent, cpu);
            tick.vms.append(update);
        }
        store.appendTick(tick);
    };
    tickWith({{u"uuid-db-01"_s, 10.0}, {u"uuid-web-01"_s, 5.0}});
    QTRY_COMPARE(column(proxy).mid(0, 2), (QStringList{u"db-01"_s, u"web-01"_s})); // told at the store's flush
    tickWith({{u"uuid-db-01"_s, 10.0}, {u"uuid-web-01"_s, 90.0}});
    QTRY_COMPARE(column(proxy).mid(0, 2), (QStringList{u"web-01"_s, u"db-01"_s}));
    QCOMPARE(column(proxy).size(), FleetOrder.size());
}

void TestItemModels::proxyStateFilter_data()
{
    QTest::addColumn<int>("state"); // -1: no state filter
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("all") << -1 << QString() << FleetOrder;
    QTest::newRow("running") << int(VmState::Running) << QString()
                             << QStringList{u"web-01"_s, u"db-01"_s, u"bigmem-01"_s};
    QTest::newRow("paused") << int(VmState::Paused) << QString() << QStringList{u"web-02"_s};
    QTest::newRow("shut off") << int(VmState::Shutoff) << QString() << QStringList{u"build-01"_s};
    QTest::newRow("crashed: none") << int(VmState::Crashed) << QString() << QStringList();
    QTest::newRow("running and text") << int(VmState::Running) << u"acme"_s << QStringList{u"web-01"_s, u"db-01"_s};
    QTest::newRow("paused and text") << int(VmState::Paused) << u"acme"_s << QStringList();
}

void TestItemModels::proxyStateFilter()
{
    QFETCH(int, state);
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);

    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);

    proxy.setStateFilter(state < 0 ? std::nullopt : std::optional<int>(state));
    proxy.setFilterText(filter);
    QCOMPARE(column(proxy), expected);

    proxy.setStateFilter(std::nullopt);
    proxy.setFilterText(QString());
    QCOMPARE(column(proxy), FleetOrder);
}

void TestItemModels::proxySort_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<QStringList>("expected");

    // As text these would sort "1.5 TiB" < "16 GiB" < "4 GiB" < "512 MiB" and "1" < "16" < "2".
    QTest::newRow("memory ascending") << int(VmTableModel::MemoryColumn) << Qt::AscendingOrder
                                      << QStringList{u"build-01"_s, u"web-01"_s, u"web-02"_s, u"db-01"_s, u"bigmem-01"_s};
    QTest::newRow("memory descending") << int(VmTableModel::MemoryColumn) << Qt::DescendingOrder
                                       << QStringList{u"bigmem-01"_s, u"db-01"_s, u"web-02"_s, u"web-01"_s, u"build-01"_s};
    QTest::newRow("vCPUs ascending") << int(VmTableModel::VcpuColumn) << Qt::AscendingOrder
                                     << QStringList{u"bigmem-01"_s, u"web-01"_s, u"build-01"_s, u"web-02"_s, u"db-01"_s};
    QTest::newRow("name ascending") << int(VmTableModel::NameColumn) << Qt::AscendingOrder
                                    << QStringList{u"bigmem-01"_s, u"build-01"_s, u"db-01"_s, u"web-01"_s, u"web-02"_s};
    QTest::newRow("state ascending, stable") << int(VmTableModel::StateColumn) << Qt::AscendingOrder
                                             << QStringList{u"web-01"_s, u"db-01"_s, u"bigmem-01"_s, u"web-02"_s,
                                                            u"build-01"_s};
    QTest::newRow("VLAN ascending, none first")
        << int(VmTableModel::VlanColumn) << Qt::AscendingOrder
        << QStringList{u"build-01"_s, u"bigmem-01"_s, u"web-01"_s, u"db-01"_s, u"web-02"_s};
}

void TestItemModels::proxySort()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QStringList, expected);

    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);

    proxy.sort(column, order);

    QCOMPARE(::column(proxy), expected);
}

void TestItemModels::proxyFollowsInventory()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    QAbstractItemModelTester sourceTester(&model, Tester);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);
    proxy.sort(VmTableModel::MemoryColumn);
    proxy.setFilterText(u"running"_s);
    QCOMPARE(column(proxy), (QStringList{u"web-01"_s, u"db-01"_s, u"bigmem-01"_s}));
    ModelSpies spies(&proxy);

    // A running VM stops: it leaves the filtered view.
    VmInfo web01 = vmNamed(inventory, u"web-01"_s);
    web01.state = VmState::Shutoff;
    inventory.updateVm(web01);
    QTRY_COMPARE(spies.removed.count(), 1);
    QCOMPARE(rangeAt(spies.removed, 0).first, 0);
    QCOMPARE(spies.inserted.count(), 0);
    QCOMPARE(column(proxy), (QStringList{u"db-01"_s, u"bigmem-01"_s}));

    // A running VM appears: inserted at its sorted place.
    spies.clear();
    inventory.updateVm(makeVm(HostB, u"api-01"_s, VmState::Running, 2, 6 * GiB));
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).first, 0);
    QCOMPARE(column(proxy), (QStringList{u"api-01"_s, u"db-01"_s, u"bigmem-01"_s}));

    // Filtered-out VMs come and go unseen.
    spies.clear();
    inventory.updateVm(makeVm(HostB, u"old-01"_s, VmState::Shutoff, 2, 6 * GiB));
    inventory.removeVm({HostA, u"uuid-build-01"_s});
    QCOMPARE(spies.inserted.count() + spies.removed.count(), 0);

    // A VM grows past another: it moves, nothing is inserted or removed.
    spies.clear();
    VmInfo api = vmNamed(inventory, u"api-01"_s);
    api.memoryKiB = 32 * GiB;
    inventory.updateVm(api);
    QTRY_COMPARE(column(proxy), (QStringList{u"db-01"_s, u"api-01"_s, u"bigmem-01"_s}));
    QCOMPARE(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);

    // The host goes: its VMs leave the view, one by one.
    spies.clear();
    inventory.removeHost(HostB);
    QCOMPARE(column(proxy), QStringList{u"db-01"_s});
    QCOMPARE(spies.removed.count(), 2);
    QCOMPARE(spies.reset.count(), 0);
}

void TestItemModels::proxyRefiltersOnVlanChange()
{
    Inventory inventory;
    populate(inventory);
    VmTableModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);
    proxy.setFilterText(u"700"_s);
    QCOMPARE(proxy.rowCount(), 0);
    ModelSpies spies(&proxy);

    inventory.setNetworks(HostA, {prodNetwork(HostA, 700)});

    // At the end of the event loop's turn (the model tells VLAN changes once per turn).
    QTRY_COMPARE(column(proxy), (QStringList{u"web-01"_s, u"db-01"_s}));
    QVERIFY(spies.inserted.count() >= 1);
    QCOMPARE(spies.reset.count(), 0);
}

void TestItemModels::proxyTreeFilter_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QString() << u"par-hv01(web-01,db-01,build-01) par-hv02(web-02,bigmem-01)"_s;
    QTest::newRow("name") << u"name:web"_s << u"par-hv01(web-01) par-hv02(web-02)"_s;
    QTest::newRow("case-insensitive") << u"BUILD"_s << u"par-hv01(build-01)"_s;
    QTest::newRow("tenant") << u"acme"_s << u"par-hv01(web-01,db-01)"_s;
    QTest::newRow("title") << u"cache"_s << u"par-hv02(bigmem-01)"_s;
    QTest::newRow("two words") << u"web globex"_s << u"par-hv02(web-02)"_s;
    QTest::newRow("no match") << u"zzz"_s << QString();
    // The VmFilterProxyModel contract: words match the VM's host, state and VLANs too.
    QTest::newRow("host name shows its VMs") << u"par-hv02"_s << u"par-hv02(web-02,bigmem-01)"_s;
    QTest::newRow("host and VM words") << u"hv01 name:web"_s << u"par-hv01(web-01)"_s;
    QTest::newRow("host field") << u"host:hv02 -state:paused"_s << u"par-hv02(bigmem-01)"_s;
    QTest::newRow("a host by its name alone") << u"hv01"_s << u"par-hv01(web-01,db-01,build-01)"_s;
    QTest::newRow("fields a host cannot answer") << u"tenant:nobody"_s << QString();
    QTest::newRow("state") << u"paused"_s << u"par-hv02(web-02)"_s;
    QTest::newRow("VLAN") << u"200"_s << u"par-hv01(db-01)"_s;
}

void TestItemModels::proxyTreeFilter()
{
    QFETCH(QString, filter);
    QFETCH(QString, expected);

    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);

    proxy.setFilterText(filter);

    QCOMPARE(treeText(proxy), expected);
}

void TestItemModels::proxyTreeStateFilter_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("expected");

    QTest::newRow("running") << int(VmState::Running) << u"par-hv01(web-01,db-01) par-hv02(bigmem-01)"_s;
    QTest::newRow("paused") << int(VmState::Paused) << u"par-hv02(web-02)"_s;
    QTest::newRow("shut off") << int(VmState::Shutoff) << u"par-hv01(build-01)"_s;
    QTest::newRow("crashed: no host either") << int(VmState::Crashed) << QString();
}

void TestItemModels::proxyTreeStateFilter()
{
    QFETCH(int, state);
    QFETCH(QString, expected);

    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);

    proxy.setStateFilter(state);

    QCOMPARE(treeText(proxy), expected);
}

void TestItemModels::proxyTreeFollowsInventory()
{
    Inventory inventory;
    populate(inventory);
    HostTreeModel model(&inventory);
    QAbstractItemModelTester sourceTester(&model, Tester);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Tester);
    proxy.sort(HostTreeModel::NameColumn);
    QCOMPARE(treeText(proxy), u"par-hv01(build-01,db-01,web-01) par-hv02(bigmem-01,web-02)"_s);
    proxy.setFilterText(u"name:web"_s);
    QCOMPARE(treeText(proxy), u"par-hv01(web-01) par-hv02(web-02)"_s);
    ModelSpies spies(&proxy);

    // A matching VM arrives: one row under its host, in name order.
    inventory.updateVm(makeVm(HostA, u"web-00"_s, VmState::Running, 2, 2 * GiB));
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(rangeAt(spies.inserted, 0).parent.data(HostUriRole).toString(), HostA);
    QCOMPARE(rangeAt(spies.inserted, 0).first, 0);
    QCOMPARE(treeText(proxy), u"par-hv01(web-00,web-01) par-hv02(web-02)"_s);

    // A non-matching one does not show.
    spies.clear();
    inventory.updateVm(makeVm(HostA, u"db-02"_s, VmState::Running, 2, 2 * GiB));
    QCOMPARE(spies.inserted.count(), 0);

    // The only match of a host goes: the host goes with it.
    spies.clear();
    inventory.removeVm({HostB, u"uuid-web-02"_s});
    QCOMPARE(treeText(proxy), u"par-hv01(web-00,web-01)"_s);
    QVERIFY(spies.removed.count() >= 1);
    const RowRange last = rangeAt(spies.removed, spies.removed.count() - 1);
    QVERIFY(!last.parent.isValid());
    QCOMPARE(last.first, 1);

    // A matching VM on a host with none brings the host back.
    spies.clear();
    inventory.updateVm(makeVm(HostB, u"web-03"_s, VmState::Running, 2, 2 * GiB));
    QCOMPARE(treeText(proxy), u"par-hv01(web-00,web-01) par-hv02(web-03)"_s);
    QVERIFY(spies.inserted.count() >= 1);

    // Removing a host removes it from the proxy without a reset.
    spies.clear();
    inventory.removeHost(HostA);
    QCOMPARE(treeText(proxy), u"par-hv02(web-03)"_s);
    QCOMPARE(spies.reset.count(), 0);
}

void TestItemModels::eventLogData()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    model.append(makeEvent(0));
    model.append(makeEvent(1, EventRecord::Severity::Error));

    QCOMPARE(spies.inserted.count(), 2);
    QCOMPARE(rangeAt(spies.inserted, 1).first, 1);
    QCOMPARE(rangeAt(spies.inserted, 1).last, 1);
    QCOMPARE(spies.all(), 2);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(EventLogModel::ColumnCount));
    const auto cell = [&](int row, int col, int role = Qt::DisplayRole) { return model.index(row, col).data(role); };
    // A record of another day than today shows its date; today's only the time.
    QCOMPARE(cell(1, EventLogModel::TimeColumn).toString(), u"2025-03-14 09:26:54"_s);
    EventRecord today = makeEvent(2);
    today.time = QDateTime(QDate::currentDate(), QTime(9, 26, 55));
    model.append(today);
    QCOMPARE(cell(2, EventLogModel::TimeColumn).toString(), u"09:26:55"_s);
    model.setShowDates(true);
    QCOMPARE(cell(2, EventLogModel::TimeColumn).toString(), QDate::currentDate().toString(Qt::ISODate) + u" 09:26:55"_s);
    QCOMPARE(cell(1, EventLogModel::HostColumn).toString(), u"par-hv01"_s);
    QCOMPARE(cell(1, EventLogModel::VmColumn).toString(), u"vm-1"_s);
    QCOMPARE(cell(1, EventLogModel::ActionColumn).toString(), u"Start"_s);
    QCOMPARE(cell(1, EventLogModel::ResultColumn).toString(), u"#1"_s);
    QCOMPARE(cell(1, EventLogModel::ResultColumn, Qt::ToolTipRole).toString(), u"#1"_s);
    QCOMPARE(cell(0, EventLogModel::VmColumn, SeverityRole).toInt(), int(EventRecord::Severity::Info));
    QCOMPARE(cell(1, EventLogModel::HostColumn, SeverityRole).toInt(), int(EventRecord::Severity::Error));
    QCOMPARE(cell(1, EventLogModel::TimeColumn, SortRole).toDateTime(), makeEvent(1).time);
    QCOMPARE(cell(1, EventLogModel::TimeColumn, SortRole).typeId(), QMetaType::QDateTime);
    QCOMPARE(model.record(1).vm, u"vm-1"_s);
    QCOMPARE(model.headerData(EventLogModel::ActionColumn, Qt::Horizontal).toString(), u"Action"_s);
}

void TestItemModels::eventLogCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::addColumn<QStringList>("kept");

    QTest::newRow("below capacity") << 3 << 2 << QStringList{u"#0"_s, u"#1"_s};
    QTest::newRow("at capacity") << 3 << 3 << QStringList{u"#0"_s, u"#1"_s, u"#2"_s};
    QTest::newRow("past capacity") << 3 << 5 << QStringList{u"#2"_s, u"#3"_s, u"#4"_s};
    QTest::newRow("capacity one") << 1 << 4 << QStringList{u"#3"_s};
    QTest::newRow("capacity zero keeps one") << 0 << 2 << QStringList{u"#1"_s};
    QTest::newRow("negative capacity keeps one") << -5 << 2 << QStringList{u"#1"_s};
}

void TestItemModels::eventLogCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    QFETCH(QStringList, kept);

    EventLogModel model(capacity);
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);

    for (int n = 0; n < appended; ++n)
        model.append(makeEvent(n));

    QCOMPARE(column(model, EventLogModel::ResultColumn), kept);
    const int dropped = appended - int(kept.size());
    QCOMPARE(spies.removed.count(), dropped);
    for (qsizetype i = 0; i < spies.removed.count(); ++i) {
        QCOMPARE(rangeAt(spies.removed, i).first, 0); // always the oldest
        QCOMPARE(rangeAt(spies.removed, i).last, 0);
    }
    QCOMPARE(spies.inserted.count(), appended);
    const RowRange last = rangeAt(spies.inserted, appended - 1);
    QCOMPARE(last.first, int(kept.size()) - 1); // newest last
    QCOMPARE(last.last, int(kept.size()) - 1);
    QCOMPARE(spies.reset.count(), 0);
}

void TestItemModels::nicTableData_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QString>("expected");

    const int display = Qt::DisplayRole;
    QTest::newRow("MAC") << 0 << int(NicTableModel::MacColumn) << display << u"52:54:00:aa:00:01"_s;
    QTest::newRow("MAC tooltip names the model")
        << 0 << int(NicTableModel::MacColumn) << int(Qt::ToolTipRole) << u"52:54:00:aa:00:01, model virtio"_s;
    QTest::newRow("network") << 0 << int(NicTableModel::NetworkColumn) << display << u"ovs-prod"_s;
    QTest::newRow("no source: the type") << 2 << int(NicTableModel::NetworkColumn) << display << u"user"_s;
    QTest::newRow("portgroup") << 0 << int(NicTableModel::PortgroupColumn) << display << u"trunk"_s;
    QTest::newRow("VLANs") << 0 << int(NicTableModel::VlanColumn) << display << u"100, 200, 300"_s;
    QTest::newRow("one VLAN") << 1 << int(NicTableModel::VlanColumn) << display << u"42"_s;
    QTest::newRow("no VLAN given") << 2 << int(NicTableModel::VlanColumn) << display << QString();
    QTest::newRow("interface id")
        << 0 << int(NicTableModel::InterfaceIdColumn) << display << u"8f1c1d1e-6ad2-4c67-9d3b-2f8a0e0b7c11"_s;
    QTest::newRow("no custom role") << 0 << int(NicTableModel::MacColumn) << int(SortRole) << QString();
}

void TestItemModels::nicTableData()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QString, expected);

    NicTableModel model;
    QAbstractItemModelTester tester(&model, Tester);
    // Fewer VLAN lists than NICs: the third NIC has none.
    model.setNics({nic(u"52:54:00:aa:00:01"_s, u"network"_s, u"ovs-prod"_s, u"trunk"_s,
                       u"8f1c1d1e-6ad2-4c67-9d3b-2f8a0e0b7c11"_s),
                   nic(u"52:54:00:aa:00:02"_s, u"bridge"_s, u"br0"_s), nic(u"52:54:00:aa:00:03"_s, u"user"_s, {})},
                  {{100, 200, 300}, {42}});

    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(NicTableModel::ColumnCount));
    QCOMPARE(model.index(row, column).data(role).toString(), expected);
}

void TestItemModels::nicTableUpdates()
{
    NicTableModel model;
    QAbstractItemModelTester tester(&model, Tester);
    ModelSpies spies(&model);
    const QList<NicInfo> two{nic(u"52:54:00:aa:00:01"_s, u"network"_s, u"ovs-prod"_s, u"web"_s),
                             nic(u"52:54:00:aa:00:02"_s, u"network"_s, u"ovs-prod"_s, u"db"_s)};

    // Another VM selected with another NIC count: the table is replaced whole (by design).
    model.setNics(two, {{100}, {200}});
    QCOMPARE(spies.reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);

    // Same NICs again: nothing.
    spies.clear();
    model.setNics(two, {{100}, {200}});
    QCOMPARE(spies.all(), 0);

    // Same count, new VLANs (a portgroup retagged): one dataChanged over the table, no reset.
    model.setNics(two, {{110}, {200}});
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(changedAt(spies.changed, 0).first, model.index(0, 0));
    QCOMPARE(changedAt(spies.changed, 0).second, model.index(1, NicTableModel::ColumnCount - 1));
    QCOMPARE(spies.all(), 1);
    QCOMPARE(model.index(0, NicTableModel::VlanColumn).data().toString(), u"110"_s);

    // No VM selected.
    spies.clear();
    model.setNics({}, {});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(spies.reset.count(), 1);
    spies.clear();
    model.setNics({}, {});
    QCOMPARE(spies.all(), 0);
}

void TestItemModels::nicTableController_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QString>("expected");

    const int display = Qt::DisplayRole;
    const int tip = Qt::ToolTipRole;
    QTest::newRow("network: the port's switch") << 0 << int(NicTableModel::NetworkColumn) << display << u"prod-net (OVN)"_s;
    QTest::newRow("network tooltip: switch, port, owner")
        << 0 << int(NicTableModel::NetworkColumn) << tip
        << u"Logical switch prod-net, port 5c1e0a94-7d0e-4a5e-9a52-1f3b27c1a001 (network controller)\nOwned by OpenStack "
           u"Neutron: read-only in Vigie."_s;
    QTest::newRow("addresses") << 0 << int(NicTableModel::AddressesColumn) << display << u"10.0.0.12, fd00::12"_s;
    QTest::newRow("no address") << 1 << int(NicTableModel::AddressesColumn) << display << u"none"_s;
    QTest::newRow("bound on its host") << 0 << int(NicTableModel::ChassisColumn) << display << u"hv1"_s;
    QTest::newRow("bound elsewhere") << 1 << int(NicTableModel::ChassisColumn) << display << u"hv2 (elsewhere)"_s;
    QTest::newRow("bound elsewhere, said") << 1 << int(NicTableModel::ChassisColumn) << tip
                                           << u"Bound to chassis hv2, not the VM's host: its traffic goes there"_s;
    QTest::newRow("unbound") << 2 << int(NicTableModel::ChassisColumn) << display << u"unbound"_s;
    QTest::newRow("no southbound: nothing claimed") << 3 << int(NicTableModel::ChassisColumn) << display << QString();
    QTest::newRow("libvirt-wired: libvirt's network") << 4 << int(NicTableModel::NetworkColumn) << display << u"br0"_s;
    QTest::newRow("libvirt-wired: no binding") << 4 << int(NicTableModel::ChassisColumn) << display << QString();
    QTest::newRow("libvirt-wired, said") << 4 << int(NicTableModel::AddressesColumn) << tip
                                         << u"Wired by libvirt: no network controller port"_s;
}

void TestItemModels::nicTableController()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QString, expected);

    const QString hv1 = u"qemu+ssh://root@hv1/system"_s;
    const QString hv2 = u"qemu+ssh://root@hv2/system"_s;
    const auto port = [](const QString &name, const QString &chassis, const QString &chassisHost, bool known) {
        ControllerNic nic;
        nic.vlanId = 100;
        nic.network = u"prod-net"_s;
        nic.portName = name;
        nic.chassis = chassis;
        nic.chassisHostUri = chassisHost;
        nic.bindingKnown = known;
        return nic;
    };
    ControllerNic neutron = port(u"5c1e0a94-7d0e-4a5e-9a52-1f3b27c1a001"_s, u"hv1"_s, hv1, true);
    neutron.addresses = {u"10.0.0.12"_s, u"fd00::12"_s};
    neutron.owner = u"OpenStack Neutron"_s;
    QList<NicInfo> nics;
    for (int i = 1; i <= 5; ++i)
        nics.append(nic(u"fa:16:3e:00:00:0%1"_s.arg(i), u"bridge"_s, i == 5 ? u"br0"_s : u"br-int"_s));
    NicTableModel model;
    QAbstractItemModelTester tester(&model, Tester);
    model.setNics(nics, {{100}, {100}, {100}, {100}, {}},
                  {neutron, port(u"p2"_s, u"hv2"_s, hv2, true), port(u"p3"_s, {}, {}, true), port(u"p4"_s, {}, {}, false), {}},
                  hv1);

    QCOMPARE(model.index(row, column).data(role).toString(), expected);
}

void TestItemModels::nicTableFromInventory()
{
    Inventory inventory;
    populate(inventory);
    const VmInfo db = vmNamed(inventory, u"db-01"_s);
    QList<QList<int>> vlans;
    for (const NicInfo &info : db.nics)
        vlans.append(inventory.nicVlans(db.hostUri, info));
    NicTableModel model;
    QAbstractItemModelTester tester(&model, Tester);

    model.setNics(db.nics, vlans);

    QCOMPARE(column(model, NicTableModel::PortgroupColumn), (QStringList{u"db"_s, u"web"_s}));
    QCOMPARE(column(model, NicTableModel::VlanColumn), (QStringList{u"200"_s, u"100"_s}));
}

QTEST_GUILESS_MAIN(TestItemModels)

#include "tst_itemmodels.moc"
