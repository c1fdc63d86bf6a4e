#include "inventory/clustersummary.h"
#include "inventory/inventory.h"
#include "inventory/nextboot.h"
#include "inventory/tenantscope.h"

#include "inventory/inventoryjson.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString HostA = u"qemu+ssh://par-hv01/system"_s;
const QString HostB = u"qemu+ssh://par-hv02/system"_s;
const QString HostC = u"qemu+ssh://lyo-hv01/system"_s;

constexpr quint64 GiB = 1024 * 1024; // in KiB

HostInfo makeHost(const QString &uri, const QString &name)
{
    HostInfo host;
    host.uri = uri;
    host.displayName = name;
    host.hostname = name + u".example.net"_s;
    host.hypervisorType = u"QEMU"_s;
    host.hypervisorVersion = u"9.2.0"_s;
    host.libvirtVersion = u"11.3.0"_s;
    host.cpuModel = u"EPYC-Milan"_s;
    host.cpus = 64;
    host.cpuMHz = 2450;
    host.memoryKiB = 512 * GiB;
    host.state = ConnectionState::Connected;
    return host;
}

VmInfo makeVm(const QString &host, const QString &uuid, const QString &name, VmState state = VmState::Running,
              int vcpus = 2, quint64 memoryKiB = 2 * GiB)
{
    VmInfo vm;
    vm.hostUri = host;
    vm.uuid = uuid;
    vm.name = name;
    vm.state = state;
    vm.vcpus = vcpus;
    vm.memoryKiB = memoryKiB;
    vm.maxMemoryKiB = memoryKiB;
    return vm;
}

NicInfo networkNic(const QString &mac, const QString &network, const QString &portgroup = {},
                   const QList<int> &ownTags = {})
{
    NicInfo nic;
    nic.mac = mac;
    nic.sourceType = u"network"_s;
    nic.source = network;
    nic.portgroup = portgroup;
    nic.vlanTags = ownTags;
    nic.model = u"virtio"_s;
    return nic;
}

NicInfo bridgeNic(const QString &mac, const QString &bridge, const QList<int> &ownTags = {})
{
    NicInfo nic;
    nic.mac = mac;
    nic.sourceType = u"bridge"_s;
    nic.source = bridge;
    nic.vlanTags = ownTags;
    return nic;
}

PortgroupInfo portgroup(const QString &name, const QList<int> &tags, bool isDefault = false)
{
    return {name, tags, isDefault};
}

NetworkInfo makeNetwork(const QString &host, const QString &name, const QList<int> &tags,
                        const QList<PortgroupInfo> &groups = {})
{
    NetworkInfo network;
    network.hostUri = host;
    network.uuid = name + u"-uuid"_s;
    network.name = name;
    network.bridge = u"br-"_s + name;
    network.forwardMode = u"bridge"_s;
    network.virtualPortType = u"openvswitch"_s;
    network.active = true;
    network.vlanTags = tags;
    network.portgroups = groups;
    return network;
}

HostSnapshot makeSnapshot(const HostInfo &host, const QList<VmInfo> &vms, const QList<NetworkInfo> &networks = {})
{
    return {host, vms, networks};
}

QStringList namesOf(const Inventory &inventory, const QString &uri)
{
    QStringList names;
    for (const VmKey &key : inventory.vmKeysOfHost(uri))
        names.append(inventory.vm(key).name);
    return names;
}

QList<VmKey> keysIn(const QSignalSpy &spy)
{
    QList<VmKey> keys;
    for (const QList<QVariant> &arguments : spy)
        keys.append(arguments.at(0).value<VmKey>());
    return keys;
}

// One spy per Inventory signal.
struct InventorySpies
{
    explicit InventorySpies(Inventory *inventory)
        : hostAdded(inventory, &Inventory::hostAdded)
        , hostChanged(inventory, &Inventory::hostChanged)
        , hostAboutToBeRemoved(inventory, &Inventory::hostAboutToBeRemoved)
        , vmsAdded(inventory, &Inventory::vmsAdded)
        , vmAdded(inventory, &Inventory::vmAdded)
        , vmChanged(inventory, &Inventory::vmChanged)
        , vmAboutToBeRemoved(inventory, &Inventory::vmAboutToBeRemoved)
        , vlansChanged(inventory, &Inventory::vlansChanged)
    {
    }

    void clear()
    {
        for (QSignalSpy *spy : {&hostAdded, &hostChanged, &hostAboutToBeRemoved, &vmsAdded, &vmAdded, &vmChanged,
                                &vmAboutToBeRemoved, &vlansChanged})
            spy->clear();
    }
    [[nodiscard]] qsizetype vmSignals() const
    {
        return vmsAdded.count() + vmAdded.count() + vmChanged.count() + vmAboutToBeRemoved.count();
    }
    [[nodiscard]] qsizetype all() const
    {
        return vmSignals() + hostAdded.count() + hostChanged.count() + hostAboutToBeRemoved.count()
            + vlansChanged.count();
    }

    QSignalSpy hostAdded;
    QSignalSpy hostChanged;
    QSignalSpy hostAboutToBeRemoved;
    QSignalSpy vmsAdded;
    QSignalSpy vmAdded;
    QSignalSpy vmChanged;
    QSignalSpy vmAboutToBeRemoved;
    QSignalSpy vlansChanged;
};

// Three hosts sharing VLANs under different portgroup names, for nicVlans(), vlans() and JSON.
//   VLAN 100: "web" on hv01 and hv02, "trunk" on hv01, "frontend" on lyo -> "web" wins 2 to 1.
//   VLAN 200: "db" and "trunk" on hv01, "data" on hv02 -> a three-way tie, "data" first by name.
//   VLAN 300: "trunk" only. VLAN 500: the "legacy" network's own tag. VLAN 42: only a NIC's own.
void populateFleet(Inventory &inventory)
{
    inventory.applySnapshot(makeSnapshot(
        makeHost(HostA, u"par-hv01"_s),
        {[] {
             VmInfo vm = makeVm(HostA, u"a-web1"_s, u"web1"_s, VmState::Running, 2, 2 * GiB);
             vm.tenant = u"acme"_s;
             vm.nics = {networkNic(u"52:54:00:00:01:01"_s, u"ovs-prod"_s),
                        networkNic(u"52:54:00:00:01:02"_s, u"ovs-prod"_s, u"web"_s)};
             return vm;
         }(),
         [] {
             VmInfo vm = makeVm(HostA, u"a-db1"_s, u"db1"_s, VmState::Running, 8, 16 * GiB);
             vm.tenant = u"acme"_s;
             vm.nics = {networkNic(u"52:54:00:00:02:01"_s, u"ovs-prod"_s, u"db"_s),
                        networkNic(u"52:54:00:00:02:02"_s, u"legacy"_s)};
             return vm;
         }(),
         [] {
             VmInfo vm = makeVm(HostA, u"a-router"_s, u"router"_s, VmState::Paused, 4, 4 * GiB);
             vm.nics = {networkNic(u"52:54:00:00:03:01"_s, u"ovs-prod"_s, u"trunk"_s)};
             return vm;
         }()},
        {makeNetwork(HostA, u"ovs-prod"_s, {},
                     {portgroup(u"web"_s, {100}, true), portgroup(u"db"_s, {200}),
                      portgroup(u"trunk"_s, {100, 200, 300})}),
         makeNetwork(HostA, u"legacy"_s, {500})}));
    inventory.applySnapshot(makeSnapshot(
        makeHost(HostB, u"par-hv02"_s),
        {[] {
             VmInfo vm = makeVm(HostB, u"b-web2"_s, u"web2"_s);
             vm.tenant = u"globex"_s;
             vm.nics = {networkNic(u"52:54:00:00:04:01"_s, u"ovs-prod"_s, u"web"_s)};
             return vm;
         }(),
         [] {
             VmInfo vm = makeVm(HostB, u"b-tagged"_s, u"tagged"_s);
             vm.nics = {bridgeNic(u"52:54:00:00:05:01"_s, u"br0"_s, {42}), bridgeNic(u"52:54:00:00:05:02"_s, u"br1"_s)};
             return vm;
         }()},
        {makeNetwork(HostB, u"ovs-prod"_s, {}, {portgroup(u"web"_s, {100}), portgroup(u"data"_s, {200})})}));
    inventory.applySnapshot(makeSnapshot(
        makeHost(HostC, u"lyo-hv01"_s),
        {[] {
            VmInfo vm = makeVm(HostC, u"c-front"_s, u"front"_s, VmState::Shutoff);
            vm.nics = {networkNic(u"52:54:00:00:06:01"_s, u"ovs-lyo"_s, u"frontend"_s)};
            return vm;
        }()},
        {makeNetwork(HostC, u"ovs-lyo"_s, {}, {portgroup(u"frontend"_s, {100})})}));
}

QJsonObject vmJson(const QJsonObject &root, const QString &name)
{
    const QJsonArray vms = root.value(u"vms"_s).toArray();
    for (const QJsonValue &vm : vms) {
        if (vm.toObject().value(u"name"_s).toString() == name)
            return vm.toObject();
    }
    return {};
}

} // namespace

class TestInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addHost();
    void setHostState_data();
    void setHostState();
    void firstSnapshot();
    void snapshotDiff();
    void newVmsToldTogether();
    void identicalSnapshot();
    void snapshotDropsDuplicates_data();
    void snapshotDropsDuplicates();
    void resyncAfterReconnect();
    void migrationMakesTwoVms();
    void incomingCopyIsNotASecondVm();
    void updateVm_data();
    void updateVm();
    void removeVm();
    void setNetworks();
    void nicVlans_data();
    void nicVlans();
    void vmVlans();
    void vlans_data();
    void vlans();
    void vlanName();
    void vlanCountsFollowEveryChange();
    void cpuChecksApartFromTheHost();
    void committedResources_data();
    void committedResources();
    void clusterSummary();
    void maintenance();
    void nextBootChanges();
    void removeHost();
    void json();
    void jsonVmState_data();
    void jsonVmState();
};

void TestInventory::addHost()
{
    Inventory inventory;
    InventorySpies spies(&inventory);

    inventory.addHost(HostA);
    inventory.addHost(HostB, true);
    inventory.addHost(HostA, true); // already known: ignored, demo flag untouched

    QCOMPARE(spies.hostAdded.count(), 2);
    QCOMPARE(spies.hostAdded.at(0).at(0).toString(), HostA);
    QCOMPARE(spies.hostAdded.at(1).at(0).toString(), HostB);
    QCOMPARE(spies.all(), 2);
    QCOMPARE(inventory.hostUris(), (QStringList{HostA, HostB}));
    QVERIFY(inventory.hasHost(HostA));
    const HostInfo host = inventory.host(HostA);
    QCOMPARE(host.uri, HostA);
    QCOMPARE(host.displayName, HostA); // nothing known yet but the URI
    QCOMPARE(host.state, ConnectionState::Disconnected);
    QVERIFY(!host.demo);
    QVERIFY(host.stateSince.isValid());
    QVERIFY(inventory.host(HostB).demo);
    QCOMPARE(inventory.vmCount(), 0);
}

void TestInventory::setHostState_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<ConnectionState>("state");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("changes");
    QTest::addColumn<bool>("sinceMoves");

    // The host starts Unreachable with message "timeout".
    QTest::newRow("same state and message") << HostA << ConnectionState::Unreachable << u"timeout"_s << 0 << false;
    QTest::newRow("new message only") << HostA << ConnectionState::Unreachable << u"refused"_s << 1 << false;
    QTest::newRow("new state") << HostA << ConnectionState::Connected << QString() << 1 << true;
    QTest::newRow("gave up") << HostA << ConnectionState::Failed << u"authentication failed"_s << 1 << true;
    QTest::newRow("unknown host") << HostB << ConnectionState::Connected << QString() << 0 << false;
}

void TestInventory::setHostState()
{
    QFETCH(QString, uri);
    QFETCH(ConnectionState, state);
    QFETCH(QString, message);
    QFETCH(int, changes);
    QFETCH(bool, sinceMoves);

    // The inventory's clock is the test's: a moved stateSince is the later time, exactly.
    const QDateTime before(QDate(2026, 1, 5), QTime(8, 0), QTimeZone::UTC);
    const QDateTime later = before.addSecs(90);
    QDateTime now = before;
    Inventory inventory;
    inventory.setClock([&now] { return now; });
    inventory.addHost(HostA);
    inventory.setHostState(HostA, ConnectionState::Unreachable, u"timeout"_s);
    QCOMPARE(inventory.host(HostA).stateSince, before);
    now = later;
    InventorySpies spies(&inventory);

    inventory.setHostState(uri, state, message);

    QCOMPARE(spies.hostChanged.count(), changes);
    QCOMPARE(spies.all(), changes);
    QVERIFY(!inventory.hasHost(HostB));
    if (changes) {
        QCOMPARE(spies.hostChanged.at(0).at(0).toString(), uri);
        QCOMPARE(inventory.host(uri).state, state);
        QCOMPARE(inventory.host(uri).stateMessage, message);
    }
    QCOMPARE(inventory.host(HostA).stateSince, sinceMoves ? later : before);
}

void TestInventory::firstSnapshot()
{
    Inventory inventory;
    InventorySpies spies(&inventory);
    const HostInfo host = makeHost(HostA, u"par-hv01"_s);
    const QList<VmInfo> vms{makeVm(HostA, u"u1"_s, u"one"_s), makeVm(HostA, u"u2"_s, u"two"_s),
                            makeVm(HostA, u"u3"_s, u"three"_s, VmState::Shutoff)};

    inventory.applySnapshot(makeSnapshot(host, vms, {makeNetwork(HostA, u"ovs"_s, {10})}));

    QCOMPARE(spies.hostAdded.count(), 1);
    QCOMPARE(spies.hostChanged.count(), 1); // the URI-only placeholder got its details
    QCOMPARE(spies.vmAdded.count(), 3);
    QCOMPARE(keysIn(spies.vmAdded),
             (QList<VmKey>{{HostA, u"u1"_s}, {HostA, u"u2"_s}, {HostA, u"u3"_s}}));
    QCOMPARE(spies.vmChanged.count(), 0);
    QCOMPARE(spies.vmAboutToBeRemoved.count(), 0);
    QCOMPARE(spies.vlansChanged.count(), 1);
    QCOMPARE(namesOf(inventory, HostA), (QStringList{u"one"_s, u"two"_s, u"three"_s}));
    QCOMPARE(inventory.host(HostA).displayName, u"par-hv01"_s);
    QCOMPARE(inventory.host(HostA).cpus, 64);
    QCOMPARE(inventory.vm({HostA, u"u3"_s}), vms.at(2));
    QCOMPARE(inventory.networks(HostA).size(), 1);
}

void TestInventory::snapshotDiff()
{
    Inventory inventory;
    const HostInfo host = makeHost(HostA, u"par-hv01"_s);
    const QList<NetworkInfo> networks{makeNetwork(HostA, u"ovs"_s, {10})};
    const VmInfo kept = makeVm(HostA, u"kept"_s, u"kept"_s);
    const VmInfo dropped = makeVm(HostA, u"dropped"_s, u"dropped"_s);
    VmInfo changed = makeVm(HostA, u"changed"_s, u"changed"_s);
    inventory.applySnapshot(makeSnapshot(host, {kept, dropped, changed}, networks));
    InventorySpies spies(&inventory);

    changed.state = VmState::Paused;
    changed.memoryKiB = 8 * GiB;
    const VmInfo added = makeVm(HostA, u"added"_s, u"added"_s);
    inventory.applySnapshot(makeSnapshot(host, {kept, changed, added}, networks));

    QCOMPARE(spies.vmAboutToBeRemoved.count(), 1);
    QCOMPARE(spies.vmChanged.count(), 1);
    QCOMPARE(spies.vmAdded.count(), 1);
    QCOMPARE(keysIn(spies.vmAboutToBeRemoved), QList<VmKey>{dropped.key()});
    QCOMPARE(keysIn(spies.vmChanged), QList<VmKey>{changed.key()});
    QCOMPARE(keysIn(spies.vmAdded), QList<VmKey>{added.key()});
    QCOMPARE(spies.hostChanged.count(), 0);
    QCOMPARE(spies.vlansChanged.count(), 0);
    QCOMPARE(spies.hostAdded.count(), 0);
    QCOMPARE(namesOf(inventory, HostA), (QStringList{u"kept"_s, u"changed"_s, u"added"_s}));
    QCOMPARE(inventory.vm(changed.key()), changed);
    QVERIFY(!inventory.hasVm(dropped.key()));
    QCOMPARE(inventory.vmCount(), 3);
}

// A snapshot's new VMs are told once together (the tables insert them as one range), after the
// changes of the VMs known already: whoever hears of a change finds no VM it was not told of.
void TestInventory::newVmsToldTogether()
{
    Inventory inventory;
    const HostInfo host = makeHost(HostA, u"par-hv01"_s);
    const VmInfo kept = makeVm(HostA, u"kept"_s, u"kept"_s);
    VmInfo changed = makeVm(HostA, u"changed"_s, u"changed"_s);
    inventory.applySnapshot(makeSnapshot(host, {kept, changed}));

    QStringList told;
    const auto toldOf = [&inventory, &told](const QString &what, const QList<VmKey> &keys) {
        QStringList uuids;
        for (const VmKey &key : keys)
            uuids.append(key.uuid + (inventory.hasVm(key) ? QString() : u"(missing)"_s));
        told.append(what + u':' + uuids.join(u','));
    };
    connect(&inventory, &Inventory::vmChanged, this, [&](const VmKey &key) {
        toldOf(u"changed"_s, {key});
        told.append(u"listed:%1"_s.arg(inventory.vmKeysOfHost(HostA).size()));
    });
    connect(&inventory, &Inventory::vmsAdded, this, [&](const QList<VmKey> &keys) { toldOf(u"vmsAdded"_s, keys); });
    connect(&inventory, &Inventory::vmAdded, this, [&](const VmKey &key) { toldOf(u"vmAdded"_s, {key}); });

    changed.state = VmState::Paused;
    const VmInfo first = makeVm(HostA, u"new1"_s, u"new1"_s);
    const VmInfo second = makeVm(HostA, u"new2"_s, u"new2"_s);
    inventory.applySnapshot(makeSnapshot(host, {first, changed, second, kept}));

    QCOMPARE(told, (QStringList{u"changed:changed"_s, u"listed:2"_s, u"vmsAdded:new1,new2"_s, u"vmAdded:new1"_s,
                                u"vmAdded:new2"_s}));
    QCOMPARE(namesOf(inventory, HostA), (QStringList{u"kept"_s, u"changed"_s, u"new1"_s, u"new2"_s}));

    // One VM told alone, the same way.
    told.clear();
    inventory.updateVm(makeVm(HostA, u"new3"_s, u"new3"_s));
    QCOMPARE(told, (QStringList{u"vmsAdded:new3"_s, u"vmAdded:new3"_s}));
    // Nothing new: no vmsAdded.
    told.clear();
    inventory.applySnapshot(makeSnapshot(host, {kept, changed}));
    QVERIFY(std::none_of(told.cbegin(), told.cend(), [](const QString &line) { return line.startsWith(u"vm"); }));
}

void TestInventory::identicalSnapshot()
{
    Inventory inventory;
    VmInfo vm = makeVm(HostA, u"u1"_s, u"one"_s);
    vm.nics = {networkNic(u"52:54:00:aa:bb:cc"_s, u"ovs"_s)};
    const HostSnapshot snapshot = makeSnapshot(makeHost(HostA, u"par-hv01"_s),
                                               {vm, makeVm(HostA, u"u2"_s, u"two"_s)},
                                               {makeNetwork(HostA, u"ovs"_s, {10})});
    inventory.applySnapshot(snapshot);
    const QDateTime since = inventory.host(HostA).stateSince;
    InventorySpies spies(&inventory);

    inventory.applySnapshot(snapshot);
    inventory.applySnapshot(snapshot);

    QCOMPARE(spies.vmSignals(), 0);
    QCOMPARE(spies.all(), 0);
    QCOMPARE(inventory.vmCount(), 2);
    QCOMPARE(inventory.host(HostA).stateSince, since);
}

void TestInventory::snapshotDropsDuplicates_data()
{
    QTest::addColumn<QList<VmInfo>>("vms");
    QTest::addColumn<QStringList>("names");

    const VmInfo one = makeVm(HostA, u"u1"_s, u"one"_s);
    const VmInfo two = makeVm(HostA, u"u2"_s, u"two"_s);
    VmInfo renamed = one;
    renamed.name = u"impostor"_s;
    renamed.state = VmState::Shutoff;
    const VmInfo foreign = makeVm(HostB, u"u3"_s, u"foreign"_s);

    QTest::newRow("same VM twice") << QList<VmInfo>{one, two, one} << QStringList{u"one"_s, u"two"_s};
    QTest::newRow("same UUID, other details: first wins")
        << QList<VmInfo>{one, renamed, two} << QStringList{u"one"_s, u"two"_s};
    QTest::newRow("VM of another host") << QList<VmInfo>{one, foreign} << QStringList{u"one"_s};
}

void TestInventory::snapshotDropsDuplicates()
{
    QFETCH(QList<VmInfo>, vms);
    QFETCH(QStringList, names);

    Inventory inventory;
    inventory.addHost(HostB);
    InventorySpies spies(&inventory);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"duplicate or foreign VM"_s));

    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), vms));

    QCOMPARE(namesOf(inventory, HostA), names);
    QCOMPARE(spies.vmAdded.count(), names.size());
    QCOMPARE(spies.vmChanged.count(), 0);
    QCOMPARE(inventory.vmCount(), int(names.size()));
    QCOMPARE(inventory.vmKeys().size(), names.size());
    QVERIFY(inventory.vmKeysOfHost(HostB).isEmpty());
}

void TestInventory::resyncAfterReconnect()
{
    Inventory inventory;
    const HostInfo host = makeHost(HostA, u"par-hv01"_s);
    inventory.applySnapshot(makeSnapshot(host, {makeVm(HostA, u"u1"_s, u"one"_s), makeVm(HostA, u"u2"_s, u"two"_s),
                                                makeVm(HostA, u"u3"_s, u"three"_s)}));
    inventory.setHostState(HostA, ConnectionState::Unreachable, u"Connection reset by peer"_s);
    QCOMPARE(inventory.host(HostA).stateMessage, u"Connection reset by peer"_s);
    // A late event from the dying connection: the VM was undefined meanwhile.
    inventory.updateVm(makeVm(HostA, u"u4"_s, u"late"_s));
    InventorySpies spies(&inventory);

    // While Vigie was away, "one" and "three" were undefined, "late" too, "four" was created.
    const HostSnapshot resync = makeSnapshot(host, {makeVm(HostA, u"u2"_s, u"two"_s), makeVm(HostA, u"u5"_s, u"four"_s)});
    inventory.applySnapshot(resync);
    inventory.applySnapshot(resync);

    QCOMPARE(namesOf(inventory, HostA), (QStringList{u"two"_s, u"four"_s}));
    QCOMPARE(inventory.vmCount(), 2);
    for (const QString &ghost : {u"u1"_s, u"u3"_s, u"u4"_s})
        QVERIFY2(!inventory.hasVm({HostA, ghost}), qPrintable(ghost));
    QCOMPARE(spies.vmAboutToBeRemoved.count(), 3);
    QCOMPARE(spies.vmAdded.count(), 1);
    QCOMPARE(spies.vmChanged.count(), 0);
    QCOMPARE(spies.hostChanged.count(), 1);
    QCOMPARE(inventory.host(HostA).state, ConnectionState::Connected);
    QVERIFY(inventory.host(HostA).stateMessage.isEmpty());
}

void TestInventory::migrationMakesTwoVms()
{
    Inventory inventory;
    VmInfo source = makeVm(HostA, u"same-uuid"_s, u"mover"_s);
    VmInfo target = makeVm(HostB, u"same-uuid"_s, u"mover"_s, VmState::Paused);
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {source}));
    InventorySpies spies(&inventory);

    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {target}));

    QCOMPARE(spies.vmAdded.count(), 1);
    QCOMPARE(keysIn(spies.vmAdded), QList<VmKey>{target.key()});
    QCOMPARE(spies.vmChanged.count(), 0);
    QCOMPARE(inventory.vmCount(), 2);
    QCOMPARE(inventory.vmKeys(), (QList<VmKey>{source.key(), target.key()}));
    QCOMPARE(inventory.vm(source.key()).state, VmState::Running);
    QCOMPARE(inventory.vm(target.key()).state, VmState::Paused);

    // The migration ends: the source drops its copy, the target's stays.
    spies.clear();
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {}));
    target.state = VmState::Running;
    inventory.updateVm(target);
    QCOMPARE(keysIn(spies.vmAboutToBeRemoved), QList<VmKey>{source.key()});
    QCOMPARE(keysIn(spies.vmChanged), QList<VmKey>{target.key()});
    QCOMPARE(inventory.vmKeys(), QList<VmKey>{target.key()});
}

// libvirt's view of a live migration (see InventoryReader): the source's domain has the job,
// the destination's paused copy only receives memory. One VM, on its source, until the job ends.
void TestInventory::incomingCopyIsNotASecondVm()
{
    Inventory inventory;
    VmInfo source = makeVm(HostA, u"same-uuid"_s, u"mover"_s);
    source.migration = VmMigration::Outgoing;
    VmInfo incoming = makeVm(HostB, u"same-uuid"_s, u"mover"_s, VmState::Paused);
    incoming.migration = VmMigration::Incoming;
    const VmInfo other = makeVm(HostB, u"other"_s, u"other"_s);
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {source}));
    InventorySpies spies(&inventory);
    QSignalSpy incomingSeen(&inventory, &Inventory::incomingMigrationSeen);

    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {incoming, other}));
    QCOMPARE(keysIn(spies.vmAdded), QList<VmKey>{other.key()});
    QCOMPARE(inventory.vmKeys(), (QList<VmKey>{source.key(), other.key()}));
    QVERIFY(!inventory.hasVm(incoming.key()));
    QCOMPARE(inventory.incomingHostOf(source.uuid), HostB);
    QCOMPARE(incomingSeen.count(), 1);
    QCOMPARE(incomingSeen.first().first().value<VmKey>(), incoming.key());
    QCOMPARE(inventory.committedMemoryKiB(HostB), other.memoryKiB);

    // Read again (a resync): nothing to tell.
    spies.clear();
    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {incoming, other}));
    inventory.updateVm(incoming);
    QCOMPARE(spies.vmSignals(), 0);
    QCOMPARE(incomingSeen.count(), 1);

    // Completed: the destination resumes its copy, the source drops its own.
    VmInfo arrived = incoming;
    arrived.migration = VmMigration::None;
    arrived.state = VmState::Running;
    inventory.updateVm(arrived);
    inventory.removeVm(source.key());
    QCOMPARE(keysIn(spies.vmAdded), QList<VmKey>{arrived.key()});
    QCOMPARE(inventory.vmKeys(), (QList<VmKey>{other.key(), arrived.key()}));
    QVERIFY(inventory.incomingHostOf(source.uuid).isEmpty());

    // A copy listed before it was known as incoming goes when it is; a failed migration drops
    // the destination's copy (its snapshot no longer has it).
    inventory.updateVm(source);
    spies.clear();
    VmInfo again = arrived;
    again.migration = VmMigration::Incoming;
    again.state = VmState::Paused;
    inventory.updateVm(again);
    QCOMPARE(keysIn(spies.vmAboutToBeRemoved), QList<VmKey>{arrived.key()});
    QCOMPARE(inventory.incomingHostOf(source.uuid), HostB);
    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {other}));
    QVERIFY(inventory.incomingHostOf(source.uuid).isEmpty());
    QCOMPARE(inventory.vmKeys(), (QList<VmKey>{source.key(), other.key()}));
}

void TestInventory::updateVm_data()
{
    QTest::addColumn<VmInfo>("vm");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("changed");

    const VmInfo known = makeVm(HostA, u"u1"_s, u"one"_s);
    VmInfo paused = known;
    paused.state = VmState::Paused;
    VmInfo renicked = known;
    renicked.nics = {networkNic(u"52:54:00:00:00:01"_s, u"ovs"_s)};

    QTest::newRow("new VM") << makeVm(HostA, u"u2"_s, u"two"_s) << 1 << 0;
    QTest::newRow("identical") << known << 0 << 0;
    QTest::newRow("state changed") << paused << 0 << 1;
    QTest::newRow("NIC hot-plugged") << renicked << 0 << 1;
    QTest::newRow("unknown host") << makeVm(HostC, u"u3"_s, u"three"_s) << 0 << 0;
    QTest::newRow("empty UUID") << makeVm(HostA, QString(), u"nameless"_s) << 0 << 0;
}

void TestInventory::updateVm()
{
    QFETCH(VmInfo, vm);
    QFETCH(int, added);
    QFETCH(int, changed);

    Inventory inventory;
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {makeVm(HostA, u"u1"_s, u"one"_s)}));
    InventorySpies spies(&inventory);

    inventory.updateVm(vm);

    QCOMPARE(spies.vmAdded.count(), added);
    QCOMPARE(spies.vmsAdded.count(), added); // one VM added: told alone too
    QCOMPARE(spies.vmChanged.count(), changed);
    QCOMPARE(spies.all(), 2 * added + changed);
    QCOMPARE(inventory.vmCount(), 1 + added);
    if (added || changed) {
        QCOMPARE(inventory.vm(vm.key()), vm);
        QVERIFY(inventory.vmKeysOfHost(HostA).contains(vm.key()));
    }
    QVERIFY(!inventory.hasHost(HostC));
}

void TestInventory::removeVm()
{
    Inventory inventory;
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s),
                                         {makeVm(HostA, u"u1"_s, u"one"_s), makeVm(HostA, u"u2"_s, u"two"_s),
                                          makeVm(HostA, u"u3"_s, u"three"_s)}));
    InventorySpies spies(&inventory);
    // "About to be removed": listeners can still read the VM when told.
    QStringList seen;
    connect(&inventory, &Inventory::vmAboutToBeRemoved, this, [&](const VmKey &key) {
        seen.append(inventory.hasVm(key) ? inventory.vm(key).name : u"<gone>"_s);
    });

    inventory.removeVm({HostA, u"u2"_s});
    inventory.removeVm({HostA, u"u2"_s});      // already gone
    inventory.removeVm({HostB, u"u1"_s});      // right UUID, wrong host
    inventory.removeVm({HostA, u"unknown"_s}); // never existed

    QCOMPARE(spies.vmAboutToBeRemoved.count(), 1);
    QCOMPARE(spies.all(), 1);
    QCOMPARE(seen, QStringList{u"two"_s});
    QCOMPARE(namesOf(inventory, HostA), (QStringList{u"one"_s, u"three"_s}));
    QCOMPARE(inventory.vmCount(), 2);
}

void TestInventory::setNetworks()
{
    Inventory inventory;
    inventory.addHost(HostA);
    InventorySpies spies(&inventory);
    const QList<NetworkInfo> networks{makeNetwork(HostA, u"ovs"_s, {10}, {portgroup(u"pg"_s, {20})})};

    inventory.setNetworks(HostA, networks);
    QCOMPARE(spies.vlansChanged.count(), 1);
    inventory.setNetworks(HostA, networks);
    QCOMPARE(spies.vlansChanged.count(), 1);
    inventory.setNetworks(HostB, networks); // unknown host
    QCOMPARE(spies.vlansChanged.count(), 1);
    QVERIFY(inventory.networks(HostB).isEmpty());

    QList<NetworkInfo> retagged = networks;
    retagged[0].portgroups[0].vlanTags = {21};
    inventory.setNetworks(HostA, retagged);
    QCOMPARE(spies.vlansChanged.count(), 2);
    QCOMPARE(inventory.networks(HostA), retagged);
    QCOMPARE(spies.all(), 2);
}

void TestInventory::nicVlans_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("sourceType");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("portgroupName");
    QTest::addColumn<QList<int>>("ownTags");
    QTest::addColumn<QList<int>>("expected");

    const QString network = u"network"_s;
    QTest::newRow("NIC's own tag wins over its portgroup")
        << HostA << network << u"ovs-prod"_s << u"db"_s << QList<int>{42} << QList<int>{42};
    QTest::newRow("NIC's own tags, no portgroup")
        << HostA << network << u"ovs-prod"_s << QString() << QList<int>{7, 8} << QList<int>{7, 8};
    QTest::newRow("named portgroup") << HostA << network << u"ovs-prod"_s << u"db"_s << QList<int>() << QList<int>{200};
    QTest::newRow("trunk portgroup")
        << HostA << network << u"ovs-prod"_s << u"trunk"_s << QList<int>() << QList<int>{100, 200, 300};
    QTest::newRow("default portgroup") << HostA << network << u"ovs-prod"_s << QString() << QList<int>() << QList<int>{100};
    QTest::newRow("untagged portgroup falls back to the network's tags")
        << HostA << network << u"ovs-tagged"_s << u"plain"_s << QList<int>() << QList<int>{900};
    QTest::newRow("unknown portgroup falls back to the network's tags")
        << HostA << network << u"ovs-tagged"_s << u"nope"_s << QList<int>() << QList<int>{900};
    QTest::newRow("network-level tags") << HostA << network << u"legacy"_s << QString() << QList<int>() << QList<int>{500};
    QTest::newRow("network with no VLAN") << HostA << network << u"default"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("no default portgroup, untagged network")
        << HostA << network << u"nodefault"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("unknown network") << HostA << network << u"ghost"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("network known on another host only")
        << HostB << network << u"legacy"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("unknown host") << HostC << network << u"ovs-prod"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("bridge NIC named like a network")
        << HostA << u"bridge"_s << u"legacy"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("bridge NIC with its own tag")
        << HostA << u"bridge"_s << u"br0"_s << QString() << QList<int>{42} << QList<int>{42};
    QTest::newRow("direct NIC") << HostA << u"direct"_s << u"eth0"_s << QString() << QList<int>() << QList<int>();
    QTest::newRow("user NIC") << HostA << u"user"_s << QString() << QString() << QList<int>() << QList<int>();
}

void TestInventory::nicVlans()
{
    QFETCH(QString, host);
    QFETCH(QString, sourceType);
    QFETCH(QString, source);
    QFETCH(QString, portgroupName);
    QFETCH(QList<int>, ownTags);
    QFETCH(QList<int>, expected);

    Inventory inventory;
    inventory.addHost(HostA);
    inventory.addHost(HostB);
    inventory.setNetworks(
        HostA, {makeNetwork(HostA, u"ovs-prod"_s, {100, 200},
                            {portgroup(u"web"_s, {100}, true), portgroup(u"db"_s, {200}),
                             portgroup(u"trunk"_s, {100, 200, 300})}),
                makeNetwork(HostA, u"ovs-tagged"_s, {900}, {portgroup(u"plain"_s, {}, true)}),
                makeNetwork(HostA, u"legacy"_s, {500}), makeNetwork(HostA, u"default"_s, {}),
                makeNetwork(HostA, u"nodefault"_s, {}, {portgroup(u"only"_s, {600})})});
    inventory.setNetworks(HostB, {makeNetwork(HostB, u"ovs-b"_s, {700})});

    NicInfo nic;
    nic.mac = u"52:54:00:12:34:56"_s;
    nic.sourceType = sourceType;
    nic.source = source;
    nic.portgroup = portgroupName;
    nic.vlanTags = ownTags;

    QCOMPARE(inventory.nicVlans(host, nic), expected);
}

void TestInventory::vmVlans()
{
    Inventory inventory;
    populateFleet(inventory);

    QCOMPARE(inventory.vmVlans({HostA, u"a-web1"_s}), QList<int>{100}); // two NICs in 100: once
    QCOMPARE(inventory.vmVlans({HostA, u"a-db1"_s}), (QList<int>{200, 500}));
    QCOMPARE(inventory.vmVlans({HostA, u"a-router"_s}), (QList<int>{100, 200, 300}));
    QCOMPARE(inventory.vmVlans({HostB, u"b-tagged"_s}), QList<int>{42});
    QCOMPARE(inventory.vmVlans({HostB, u"nope"_s}), QList<int>());
}

void TestInventory::vlans_data()
{
    QTest::addColumn<int>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("hosts");
    QTest::addColumn<QStringList>("networks");
    QTest::addColumn<int>("vmCount");

    QTest::newRow("most common portgroup name")
        << 100 << u"web"_s << QStringList{HostA, HostB, HostC} << QStringList{u"ovs-prod"_s, u"ovs-lyo"_s} << 4;
    QTest::newRow("tie: first name in order") << 200 << u"data"_s << QStringList{HostA, HostB}
                                              << QStringList{u"ovs-prod"_s} << 2;
    QTest::newRow("trunk only") << 300 << u"trunk"_s << QStringList{HostA} << QStringList{u"ovs-prod"_s} << 1;
    QTest::newRow("network-level tag") << 500 << u"legacy"_s << QStringList{HostA} << QStringList{u"legacy"_s} << 1;
    QTest::newRow("only a NIC's own tag") << 42 << u"VLAN 42"_s << QStringList() << QStringList() << 1;
}

void TestInventory::vlans()
{
    QFETCH(int, id);
    QFETCH(QString, name);
    QFETCH(QStringList, hosts);
    QFETCH(QStringList, networks);
    QFETCH(int, vmCount);

    Inventory inventory;
    populateFleet(inventory);
    const QList<VlanInfo> all = inventory.vlans();

    QList<int> ids;
    for (const VlanInfo &vlan : all)
        ids.append(vlan.id);
    QCOMPARE(ids, (QList<int>{42, 100, 200, 300, 500}));
    const auto it = std::find_if(all.cbegin(), all.cend(), [id](const VlanInfo &vlan) { return vlan.id == id; });
    QVERIFY(it != all.cend());
    QCOMPARE(it->name, name);
    QCOMPARE(it->hosts, hosts);
    QCOMPARE(it->networks, networks);
    QCOMPARE(it->vmCount, vmCount);
}

void TestInventory::vlanName()
{
    Inventory inventory;
    QCOMPARE(inventory.vlanName(100), u"VLAN 100"_s);
    QVERIFY(inventory.vlans().isEmpty());
    populateFleet(inventory);
    QCOMPARE(inventory.vlanName(100), u"web"_s);
    QCOMPARE(inventory.vlanName(500), u"legacy"_s);
    QCOMPARE(inventory.vlanName(4094), u"VLAN 4094"_s);
}

// A VLAN's VM count is kept as VMs, networks and the controller's wiring change (not counted
// again over the fleet each time a VLAN is read: 10,000 VMs at each host that connects): after
// every change of a random walk, the counts are what counting every VM gives.
void TestInventory::vlanCountsFollowEveryChange()
{
    Inventory inventory;
    const QStringList hosts{HostA, HostB, HostC};
    for (const QString &uri : hosts)
        inventory.applySnapshot(makeSnapshot(makeHost(uri, uri.section(u'/', 2, 2)), {}));
    QRandomGenerator random(20261207);
    const auto macOf = [](int n) { return u"52:54:00:00:00:%1"_s.arg(n, 2, 16, QLatin1Char('0')); };
    QHash<QString, std::optional<ControllerNic>> wired;
    int kinds[5] = {};
    for (int step = 0; step < 600; ++step) {
        const QString host = hosts.at(random.bounded(3));
        const int kind = random.bounded(5);
        ++kinds[kind];
        switch (kind) {
        case 0: { // a VM comes or changes its NICs
            VmInfo vm = makeVm(host, u"vm-%1"_s.arg(random.bounded(12)), u"vm"_s);
            for (int n = random.bounded(3); n > 0; --n) {
                const int mac = random.bounded(30);
                vm.nics.append(random.bounded(2) ? networkNic(macOf(mac), u"prod"_s, random.bounded(2) ? u"web"_s : QString())
                                                 : bridgeNic(macOf(mac), u"br0"_s, {random.bounded(1, 4) * 100}));
            }
            inventory.updateVm(vm);
            break;
        }
        case 1: { // a VM goes
            const QList<VmKey> keys = inventory.vmKeysOfHost(host);
            if (!keys.isEmpty())
                inventory.removeVm(keys.at(random.bounded(int(keys.size()))));
            break;
        }
        case 2: // the host's networks change
            inventory.setNetworks(host, {makeNetwork(host, u"prod"_s, {random.bounded(1, 4) * 100},
                                                     {portgroup(u"web"_s, {random.bounded(1, 4) * 100}, random.bounded(2))})});
            break;
        case 3: { // the controller wires a NIC into a VLAN, or no longer
            const QString mac = macOf(random.bounded(30));
            std::optional<ControllerNic> nic;
            if (random.bounded(3)) {
                nic = ControllerNic{};
                nic->vlanId = random.bounded(4) * 100;
                nic->switchName = u"ls-%1"_s.arg(nic->vlanId);
            }
            QList<VmKey> vms = inventory.vmKeys();
            inventory.updateControllerNics({{mac, nic}}, vms);
            wired.insert(mac, nic);
            break;
        }
        case 4: { // the controller's whole wiring at once
            QHash<QString, ControllerNic> all;
            for (auto it = wired.cbegin(); it != wired.cend(); ++it) {
                if (it->has_value() && random.bounded(2))
                    all.insert(it.key(), **it);
            }
            inventory.setControllerNics(all);
            wired.clear();
            for (auto it = all.cbegin(); it != all.cend(); ++it)
                wired.insert(it.key(), *it);
            break;
        }
        }
        QHash<int, int> expected;
        for (const VmKey &key : inventory.vmKeys()) {
            for (int id : inventory.vmVlans(key))
                ++expected[id];
        }
        QHash<int, int> counted;
        for (const VlanInfo &vlan : inventory.vlans()) {
            if (vlan.vmCount > 0)
                counted.insert(vlan.id, vlan.vmCount);
        }
        QVERIFY2(counted == expected, qPrintable(u"step %1 (kind %2)"_s.arg(step).arg(kind)));
    }
    for (int n : kinds)
        QVERIFY(n > 50);
}

void TestInventory::committedResources_data()
{
    QTest::addColumn<VmState>("state");
    QTest::addColumn<bool>("counts");

    QTest::newRow("running") << VmState::Running << true;
    QTest::newRow("blocked") << VmState::Blocked << true;
    QTest::newRow("paused") << VmState::Paused << true;
    QTest::newRow("shutting down") << VmState::ShuttingDown << true;
    QTest::newRow("pmsuspended") << VmState::Suspended << true;
    QTest::newRow("shut off") << VmState::Shutoff << false;
    QTest::newRow("crashed") << VmState::Crashed << false;
    QTest::newRow("no state") << VmState::NoState << false;
}

void TestInventory::committedResources()
{
    QFETCH(VmState, state);
    QFETCH(bool, counts);

    Inventory inventory;
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s),
                                         {makeVm(HostA, u"base"_s, u"base"_s, VmState::Running, 2, 4 * GiB),
                                          makeVm(HostA, u"probe"_s, u"probe"_s, state, 8, 16 * GiB)}));
    // Another host's VMs never count, even with the same UUID.
    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s),
                                         {makeVm(HostB, u"probe"_s, u"probe"_s, VmState::Running, 32, 64 * GiB)}));

    QCOMPARE(inventory.committedVcpus(HostA), counts ? 10 : 2);
    QCOMPARE(inventory.committedMemoryKiB(HostA), counts ? 20 * GiB : 4 * GiB);
    QCOMPARE(inventory.committedVcpus(HostB), 32);
    QCOMPARE(inventory.committedVcpus(HostC), 0);
    QCOMPARE(inventory.committedMemoryKiB(HostC), quint64(0));
}

void TestInventory::clusterSummary()
{
    Inventory inventory;
    populateFleet(inventory);
    ClusterSummary summary = ClusterSummary::make(inventory);
    QCOMPARE(summary.hosts, 3);
    QCOMPARE(summary.connectedHosts, 3);
    QCOMPARE(summary.troubledHosts, 0);
    QCOMPARE(summary.maintenanceHosts, 0);
    QCOMPARE(summary.vms, 6);
    QCOMPARE(summary.runningVms, 4);
    QCOMPARE(summary.pausedVms, 1); // the router, whose vCPUs and memory still count as given
    QCOMPARE(summary.stoppedVms, 1);
    QCOMPARE(summary.cpus, 3 * 64);
    QCOMPARE(summary.committedVcpus, 2 + 8 + 4 + 2 + 2);
    QCOMPARE(summary.memoryKiB, 3 * 512 * GiB);
    QCOMPARE(summary.committedMemoryKiB, (2 + 16 + 4 + 2 + 2) * GiB);
    QCOMPARE(summary.cpuOvercommit(), 18.0 / 192.0);

    // A host that stops answering leaves the capacity (its VMs are still counted, not placed on).
    inventory.setHostState(HostB, ConnectionState::Unreachable, u"keepalive timeout"_s);
    inventory.setMaintenance(HostC, true);
    summary = ClusterSummary::make(inventory);
    QCOMPARE(summary.connectedHosts, 2);
    QCOMPARE(summary.troubledHosts, 1);
    QCOMPARE(summary.maintenanceHosts, 1);
    QCOMPARE(summary.vms, 6);
    QCOMPARE(summary.cpus, 2 * 64);
    QCOMPARE(summary.committedVcpus, 2 + 8 + 4);
    QCOMPARE(summary.committedMemoryKiB, (2 + 16 + 4) * GiB);

    // A tenant's share: its VMs, and only the hosts holding one.
    TenantScope scope(&inventory);
    scope.setTenant(u"acme"_s);
    summary = ClusterSummary::make(inventory, &scope);
    QCOMPARE(summary.hosts, 1);
    QCOMPARE(summary.vms, 2);
    QCOMPARE(summary.runningVms, 2);
    QCOMPARE(summary.committedVcpus, 10);
    QCOMPARE(summary.committedMemoryKiB, 18 * GiB);
    QCOMPARE(summary.memoryPercent(), 100.0 * 18.0 / 512.0);

    // Nothing connected: no division by zero.
    QCOMPARE(ClusterSummary::make(Inventory()).cpuOvercommit(), 0.0);
    QCOMPARE(ClusterSummary::make(Inventory()).memoryPercent(), 0.0);
}

// Maintenance is the inventory's (Vigie's own state about a host): told by hostChanged, kept
// across the host's snapshots, gone with the host.
void TestInventory::maintenance()
{
    Inventory inventory;
    populateFleet(inventory);
    QSignalSpy changed(&inventory, &Inventory::hostChanged);
    QVERIFY(!inventory.isInMaintenance(HostB));
    inventory.setMaintenance(HostB, true);
    QVERIFY(inventory.isInMaintenance(HostB));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().first().toString(), HostB);
    inventory.setMaintenance(HostB, true); // already: nothing told
    inventory.setMaintenance(u"qemu+ssh://nowhere/system"_s, true); // unknown host: ignored
    QCOMPARE(changed.size(), 1);
    QCOMPARE(inventory.hostsInMaintenance(), QSet<QString>{HostB});

    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {}));
    QVERIFY(inventory.isInMaintenance(HostB));

    inventory.setMaintenance(HostB, false);
    QVERIFY(!inventory.isInMaintenance(HostB));
    QCOMPARE(changed.last().first().toString(), HostB);
    inventory.setMaintenance(HostC, true);
    inventory.removeHost(HostC);
    QVERIFY(inventory.hostsInMaintenance().isEmpty());
}

void TestInventory::nextBootChanges()
{
    Inventory inventory;
    populateFleet(inventory);
    const VmInfo live = inventory.vm({HostA, u"a-web1"_s}); // NICs :01:01 (VLAN 100, default) and :01:02 (web, 100)
    QCOMPARE(Vigie::nextBootChanges(inventory, live, live), QStringList());

    // The demo's case: the running NIC could not move, the saved one did (portgroup db, VLAN 200).
    VmInfo saved = live;
    saved.nics[1].portgroup = u"db"_s;
    QCOMPARE(Vigie::nextBootChanges(inventory, live, saved),
             QStringList{u"NIC 52:54:00:00:01:02 in VLAN 200 (now VLAN 100)"_s});
    // MACs compare without case (virsh edit may write them upper-case).
    saved.nics[1].mac = saved.nics[1].mac.toUpper();
    QCOMPARE(Vigie::nextBootChanges(inventory, live, saved).size(), 1);

    // Same VLANs through another portgroup: the place is named.
    saved = live;
    saved.nics[0].portgroup = u"web"_s;
    QCOMPARE(Vigie::nextBootChanges(inventory, live, saved),
             QStringList{u"NIC 52:54:00:00:01:01 on ovs-prod/web (now ovs-prod)"_s});
    saved.nics[0].source = u"legacy"_s; // the legacy network's own VLAN 500
    saved.nics[0].portgroup.clear();
    QCOMPARE(Vigie::nextBootChanges(inventory, live, saved),
             QStringList{u"NIC 52:54:00:00:01:01 in VLAN 500 (now VLAN 100)"_s});

    // A NIC added and one removed, vCPUs and memory resized.
    saved = live;
    saved.nics.removeFirst();
    saved.nics.append(networkNic(u"52:54:00:00:01:09"_s, u"ovs-prod"_s, u"trunk"_s));
    saved.vcpus = 4;
    saved.maxMemoryKiB = 4 * GiB;
    QCOMPARE(Vigie::nextBootChanges(inventory, live, saved),
             (QStringList{u"NIC 52:54:00:00:01:09 added, in VLANs 100, 200, 300"_s, u"NIC 52:54:00:00:01:01 removed"_s,
                          u"4 vCPUs (now 2)"_s, u"4 GiB of memory (now 2 GiB)"_s}));
}

void TestInventory::removeHost()
{
    Inventory inventory;
    populateFleet(inventory);
    InventorySpies spies(&inventory);
    QStringList log;
    connect(&inventory, &Inventory::vmAboutToBeRemoved, this, [&](const VmKey &key) {
        log.append(u"vm "_s + inventory.vm(key).name);
    });
    connect(&inventory, &Inventory::hostAboutToBeRemoved, this, [&](const QString &uri) {
        // When the host goes, its VMs are already gone but the host can still be read.
        log.append(u"host %1, %2 VMs left"_s.arg(inventory.host(uri).displayName)
                       .arg(inventory.vmKeysOfHost(uri).size()));
    });
    connect(&inventory, &Inventory::vlansChanged, this, [&] { log.append(u"vlans"_s); });

    inventory.removeHost(HostA);
    inventory.removeHost(HostA);
    inventory.removeHost(u"qemu:///nowhere"_s);

    QCOMPARE(log, (QStringList{u"vm web1"_s, u"vm db1"_s, u"vm router"_s, u"host par-hv01, 0 VMs left"_s, u"vlans"_s}));
    QCOMPARE(spies.vmAboutToBeRemoved.count(), 3);
    QCOMPARE(spies.hostAboutToBeRemoved.count(), 1);
    QCOMPARE(spies.vlansChanged.count(), 1);
    QCOMPARE(spies.all(), 5);
    QVERIFY(!inventory.hasHost(HostA));
    QCOMPARE(inventory.hostUris(), (QStringList{HostB, HostC}));
    QVERIFY(inventory.networks(HostA).isEmpty());
    QVERIFY(inventory.vmKeysOfHost(HostA).isEmpty());
    QCOMPARE(inventory.vmCount(), 3);
    QCOMPARE(inventory.committedVcpus(HostA), 0);
    QCOMPARE(namesOf(inventory, HostB), (QStringList{u"web2"_s, u"tagged"_s}));
    // VLANs carried only by the removed host are gone.
    QCOMPARE(inventory.vlanName(500), u"VLAN 500"_s);
    QCOMPARE(inventory.vlans().size(), 3); // 42, 100, 200

    // The host comes back empty: nothing of its old VMs resurfaces.
    inventory.addHost(HostA);
    QVERIFY(inventory.vmKeysOfHost(HostA).isEmpty());
    QCOMPARE(inventory.vmCount(), 3);
}

void TestInventory::json()
{
    Inventory inventory;
    populateFleet(inventory);
    inventory.setHostState(HostC, ConnectionState::Unreachable, u"No route to host"_s);

    const QJsonObject root = inventoryToJson(inventory);

    QCOMPARE(root.keys(), (QStringList{u"hosts"_s, u"vlans"_s, u"vms"_s}));

    const QJsonArray hosts = root.value(u"hosts"_s).toArray();
    QCOMPARE(hosts.size(), 3);
    const QJsonObject hv01 = hosts.at(0).toObject();
    QCOMPARE(hv01.value(u"uri"_s).toString(), HostA);
    QCOMPARE(hv01.value(u"name"_s).toString(), u"par-hv01"_s);
    QCOMPARE(hv01.value(u"state"_s).toString(), u"connected"_s);
    QVERIFY(hv01.value(u"message"_s).isNull());
    QCOMPARE(hv01.value(u"vmCount"_s).toInt(), 3);
    QCOMPARE(hv01.value(u"committedVcpus"_s).toInt(), 14);
    QCOMPARE(hv01.value(u"committedMemoryMiB"_s).toInteger(), qint64(22 * 1024));
    QCOMPARE(hv01.value(u"memoryMiB"_s).toInteger(), qint64(512 * 1024));
    const QJsonObject lyo = hosts.at(2).toObject();
    QCOMPARE(lyo.value(u"state"_s).toString(), u"unreachable"_s);
    QCOMPARE(lyo.value(u"message"_s).toString(), u"No route to host"_s);
    QCOMPARE(lyo.value(u"committedVcpus"_s).toInt(), 0); // its only VM is shut off

    const QJsonArray vms = root.value(u"vms"_s).toArray();
    QCOMPARE(vms.size(), 6);
    for (const QJsonValue &value : vms) {
        const QJsonObject vm = value.toObject();
        for (const QString &key : {u"host"_s, u"name"_s, u"uuid"_s, u"state"_s, u"vcpus"_s, u"memoryMiB"_s,
                                   u"tenant"_s, u"nics"_s})
            QVERIFY2(vm.contains(key), qPrintable(vm.value(u"name"_s).toString() + u": no "_s + key));
        for (const QJsonValue &nic : vm.value(u"nics"_s).toArray()) {
            QVERIFY(nic.toObject().contains(u"mac"_s));
            QVERIFY(nic.toObject().contains(u"vlan"_s));
        }
    }

    const QJsonObject web1 = vmJson(root, u"web1"_s);
    QCOMPARE(web1.value(u"host"_s).toString(), u"par-hv01"_s);
    QCOMPARE(web1.value(u"hostUri"_s).toString(), HostA);
    QCOMPARE(web1.value(u"uuid"_s).toString(), u"a-web1"_s);
    QCOMPARE(web1.value(u"state"_s).toString(), u"running"_s);
    QCOMPARE(web1.value(u"vcpus"_s).toInt(), 2);
    QCOMPARE(web1.value(u"memoryMiB"_s).toInteger(), qint64(2048));
    QCOMPARE(web1.value(u"tenant"_s).toString(), u"acme"_s);
    const QJsonArray web1Nics = web1.value(u"nics"_s).toArray();
    QCOMPARE(web1Nics.size(), 2);
    QCOMPARE(web1Nics.at(0).toObject().value(u"mac"_s).toString(), u"52:54:00:00:01:01"_s);
    QCOMPARE(web1Nics.at(0).toObject().value(u"vlan"_s).toInt(), 100); // by the default portgroup
    QCOMPARE(web1Nics.at(1).toObject().value(u"vlan"_s).toInt(), 100);

    const QJsonObject router = vmJson(root, u"router"_s);
    QCOMPARE(router.value(u"state"_s).toString(), u"paused"_s);
    QVERIFY(router.value(u"tenant"_s).isNull());
    const QJsonObject trunk = router.value(u"nics"_s).toArray().at(0).toObject();
    QCOMPARE(trunk.value(u"vlan"_s).toInt(), 100);
    QCOMPARE(trunk.value(u"vlans"_s).toArray(), (QJsonArray{100, 200, 300}));
    QCOMPARE(trunk.value(u"portgroup"_s).toString(), u"trunk"_s);

    const QJsonArray taggedNics = vmJson(root, u"tagged"_s).value(u"nics"_s).toArray();
    QCOMPARE(taggedNics.at(0).toObject().value(u"vlan"_s).toInt(), 42);
    QVERIFY(taggedNics.at(1).toObject().value(u"vlan"_s).isNull()); // untagged bridge
    QCOMPARE(taggedNics.at(1).toObject().value(u"vlans"_s).toArray(), QJsonArray());
    QCOMPARE(vmJson(root, u"front"_s).value(u"state"_s).toString(), u"shutoff"_s);

    const QJsonArray vlans = root.value(u"vlans"_s).toArray();
    QCOMPARE(vlans.size(), 5);
    const QJsonObject vlan100 = vlans.at(1).toObject();
    QCOMPARE(vlan100.value(u"id"_s).toInt(), 100);
    QCOMPARE(vlan100.value(u"name"_s).toString(), u"web"_s);
    QCOMPARE(vlan100.value(u"hosts"_s).toArray(), (QJsonArray{u"par-hv01"_s, u"par-hv02"_s, u"lyo-hv01"_s}));
    QCOMPARE(vlan100.value(u"vmCount"_s).toInt(), 4);
}

void TestInventory::jsonVmState_data()
{
    QTest::addColumn<VmState>("state");
    QTest::addColumn<QString>("keyword");

    QTest::newRow("running") << VmState::Running << u"running"_s;
    QTest::newRow("blocked") << VmState::Blocked << u"blocked"_s;
    QTest::newRow("paused") << VmState::Paused << u"paused"_s;
    QTest::newRow("shutting down") << VmState::ShuttingDown << u"shutdown"_s;
    QTest::newRow("shut off") << VmState::Shutoff << u"shutoff"_s;
    QTest::newRow("crashed") << VmState::Crashed << u"crashed"_s;
    QTest::newRow("pmsuspended") << VmState::Suspended << u"pmsuspended"_s;
    QTest::newRow("no state") << VmState::NoState << u"nostate"_s;
    QTest::newRow("out of range") << vmStateFromInt(99) << u"nostate"_s;
}

void TestInventory::jsonVmState()
{
    QFETCH(VmState, state);
    QFETCH(QString, keyword);

    Inventory inventory;
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {makeVm(HostA, u"u1"_s, u"one"_s, state)}));

    const QJsonArray vms = inventoryToJson(inventory).value(u"vms"_s).toArray();
    QCOMPARE(vms.size(), 1);
    QCOMPARE(vms.at(0).toObject().value(u"state"_s).toString(), keyword);
}

// What a host's libvirt said of another host's CPU is kept apart from the host: a fleet of N hosts
// makes N x (N - 1) of them, and as a change of the host each refreshed its rows and chips. Kept
// across both hosts' snapshots, told once per change, gone with either host.
void TestInventory::cpuChecksApartFromTheHost()
{
    Inventory inventory;
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {}));
    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {}));
    QSignalSpy hostChanged(&inventory, &Inventory::hostChanged);
    QSignalSpy checks(&inventory, &Inventory::cpuChecksChanged);

    inventory.setCpuCheck(HostB, HostA, CpuCheck{false, u"missing avx512f"_s});
    QCOMPARE(checks.count(), 1);
    QCOMPARE(checks.at(0).at(0).toString(), HostB);
    QCOMPARE(hostChanged.count(), 0);
    QCOMPARE(inventory.cpuCheck(HostB, HostA), std::optional<CpuCheck>(CpuCheck{false, u"missing avx512f"_s}));
    QVERIFY(!inventory.cpuCheck(HostA, HostB)); // each way its own
    inventory.setCpuCheck(HostB, HostA, CpuCheck{false, u"missing avx512f"_s}); // the same again
    QCOMPARE(checks.count(), 1);
    inventory.setCpuCheck(HostB, u"qemu+ssh://gone/system"_s, CpuCheck{}); // no such host
    QCOMPARE(checks.count(), 1);

    // Both hosts' next snapshots keep it.
    inventory.applySnapshot(makeSnapshot(makeHost(HostA, u"par-hv01"_s), {}));
    inventory.applySnapshot(makeSnapshot(makeHost(HostB, u"par-hv02"_s), {}));
    QVERIFY(inventory.cpuCheck(HostB, HostA));
    inventory.setCpuCheck(HostA, HostB, CpuCheck{});
    QCOMPARE(checks.count(), 2);

    // A destination's answers for many sources are told once, and only when one changed.
    inventory.applySnapshot(makeSnapshot(makeHost(HostC, u"lyo-hv01"_s), {}));
    checks.clear();
    inventory.setCpuChecks(HostB, {{HostA, CpuCheck{}}, {HostC, CpuCheck{false, u"missing pku"_s}}});
    QCOMPARE(checks.count(), 1);
    QCOMPARE(checks.at(0).at(0).toString(), HostB);
    QCOMPARE(inventory.cpuCheck(HostB, HostA), std::optional<CpuCheck>(CpuCheck{}));
    QCOMPARE(inventory.cpuCheck(HostB, HostC), std::optional<CpuCheck>(CpuCheck{false, u"missing pku"_s}));
    inventory.setCpuChecks(HostB, {{HostA, CpuCheck{}}, {HostC, CpuCheck{false, u"missing pku"_s}}});
    QCOMPARE(checks.count(), 1);
    inventory.setCpuChecks(HostB, {{HostA, CpuCheck{}}, {HostC, std::nullopt}}); // no longer known
    QCOMPARE(checks.count(), 2);
    QVERIFY(!inventory.cpuCheck(HostB, HostC));
    inventory.removeHost(HostC);

    // The source goes: the destination's check of it goes, told; so does its own.
    checks.clear();
    inventory.removeHost(HostA);
    QVERIFY(!inventory.cpuCheck(HostB, HostA));
    QVERIFY(!inventory.cpuCheck(HostA, HostB));
    QCOMPARE(checks.count(), 1);
    QCOMPARE(checks.at(0).at(0).toString(), HostB);
    inventory.setCpuCheck(HostB, HostA, std::nullopt); // nothing left to remove
    QCOMPARE(checks.count(), 1);
}

QTEST_GUILESS_MAIN(TestInventory)

#include "tst_inventory.moc"
