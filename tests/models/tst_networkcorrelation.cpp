#include "inventory/inventory.h"
#include "itemmodels/logicalswitchmodel.h"
#include "itemmodels/networkmismatchmodel.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "hypervisor/domainxml.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "network/ovntext.h"
#include "network/ovsdbcache.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
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
        // On the integration bridge, where the controller plugs its ports.
        nic.sourceType = u"bridge"_s;
        nic.source = u"br-int"_s;
        nic.interfaceId = f.value(2);
        if (!f.value(3).isEmpty())
            nic.vlanTags = {f.at(3).toInt()};
        vms[f.at(0)].nics.append(nic);
    }
    for (const QString &name : std::as_const(order))
        snapshot.vms.append(vms.value(name));
    inventory.applySnapshot(snapshot);
}

// Every field of a match, for a failure's message.
QString describeMatch(const NicPortMatch &m)
{
    QStringList vlans;
    for (int vlan : m.libvirtVlans)
        vlans.append(QString::number(vlan));
    return u"{vm %1 name %2 iface %3 vlans %4 port %5/%6 switch %7/%8/%9 vlan %10 owner %11 addresses %12 chassis %13 host %14 known %15 requested %16}"_s
        .arg(m.vm.uuid, m.vmName, m.interfaceId, vlans.join(u','), m.portUuid, m.portName, m.switchUuid, m.switchName, m.switchDisplayName)
        .arg(m.controllerVlan)
        .arg(int(m.owner))
        .arg(m.addresses.join(u','), m.chassis, m.chassisHostUri)
        .arg(m.bindingKnown)
        .arg(m.requestedChassis.join(u','));
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
        case NetworkMismatch::Kind::BoundElsewhere: out.append(u"bound-elsewhere:%1/%2@%3"_s.arg(m.vmName, m.mac, m.chassis)); break;
        case NetworkMismatch::Kind::Unbound: out.append(u"unbound:%1/%2"_s.arg(m.vmName, m.mac)); break;
        case NetworkMismatch::Kind::DuplicateAddress:
            out.append(u"duplicate-address:%1=%2@%3"_s.arg(m.portName, m.otherPort, m.address));
            break;
        case NetworkMismatch::Kind::AddressOutsideSubnet:
            out.append(u"address-outside-subnet:%1:%2/%3"_s.arg(m.portName, m.address, m.subnet));
            break;
        case NetworkMismatch::Kind::NoPortSecurity: out.append(u"no-port-security:%1/%2"_s.arg(m.vmName, m.mac)); break;
        case NetworkMismatch::Kind::OutsideIsolation: out.append(u"outside-isolation:%1/%2:%3"_s.arg(m.vmName, m.mac, m.group)); break;
        }
    }
    out.sort();
    return out;
}


// A fleet shaped like an OpenStack cloud with ML2/OVN: the northbound and southbound rows in
// tests/models/data are what Neutron's OVN driver and ovn-controller write (switches
// "neutron-<network>", localnet "provnet-<segment>", ports named by their uuid with neutron:*
// external ids, a metadata localport, a router port, an unattached port, DHCP_Options), checked
// against OVN's real schemas; the domains are what Nova's libvirt driver writes.
QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

OvsdbSchema realSchema(const QString &file)
{
    QString error;
    return OvsdbSchema::fromJson(readJson(QStringLiteral(VIGIE_OVN_SCHEMA_DIR "/") + file), &error);
}

QByteArray novaDomain(const QString &name, const QString &uuid, const QString &novaName, const QString &interfaces)
{
    return uR"(<domain type='kvm'>
  <name>%1</name>
  <uuid>%2</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:package version="29.0.1"/>
      <nova:name>%3</nova:name>
      <nova:creationTime>2026-11-30 09:12:44</nova:creationTime>
      <nova:flavor name="m1.small"><nova:memory>2048</nova:memory><nova:disk>20</nova:disk><nova:swap>0</nova:swap><nova:ephemeral>0</nova:ephemeral><nova:vcpus>1</nova:vcpus></nova:flavor>
      <nova:owner><nova:user uuid="5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e">alice</nova:user><nova:project uuid="3f2e1d0c9b8a47f6a5e4d3c2b1a09f8e">webshop</nova:project></nova:owner>
      <nova:root type="image" uuid="6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f"/>
    </nova:instance>
  </metadata>
  <memory unit='KiB'>2097152</memory>
  <vcpu placement='static'>1</vcpu>
  <sysinfo type='smbios'><system><entry name='manufacturer'>OpenStack Foundation</entry><entry name='product'>OpenStack Nova</entry><entry name='uuid'>%2</entry></system></sysinfo>
  <os><type arch='x86_64' machine='pc-q35-8.2'>hvm</type><boot dev='hd'/><smbios mode='sysinfo'/></os>
  <devices>%4
  </devices>
</domain>)"_s.arg(name, uuid, novaName, interfaces).toUtf8();
}

QString ovnInterface(const QString &mac, const QString &portId)
{
    return uR"(
    <interface type='bridge'>
      <mac address='%1'/>
      <model type='virtio'/>
      <driver name='vhost' rx_queue_size='512'/>
      <source bridge='br-int'/>
      <mtu size='1500'/>
      <target dev='tap%2'/>
      <virtualport type='openvswitch'><parameters interfaceid='%3'/></virtualport>
    </interface>)"_s.arg(mac, portId.left(11), portId);
}

// os-vif plugged the tap itself: libvirt only knows the tap's name.
QString osVifInterface(const QString &mac, const QString &portId)
{
    return uR"(
    <interface type='ethernet'>
      <mac address='%1'/>
      <model type='virtio'/>
      <mtu size='1442'/>
      <target dev='tap%2'/>
    </interface>)"_s.arg(mac, portId.left(11));
}

VmInfo parsedVm(const QString &hostUri, const QByteArray &xml)
{
    const DomainXml::Result result = DomainXml::parse(xml);
    VmInfo vm = result.vm.value_or(VmInfo{});
    vm.hostUri = hostUri;
    vm.state = VmState::Running;
    return vm;
}

const QString Compute1 = u"test:///compute-1"_s;
const QString Compute2 = u"test:///compute-2"_s;

void loadNeutronFleet(Inventory &inventory)
{
    HostSnapshot one;
    one.host.uri = Compute1;
    one.host.displayName = u"compute-1"_s;
    one.host.hostname = u"compute-1.example.org"_s;
    one.host.state = ConnectionState::Connected;
    NetworkInfo legacyNet;
    legacyNet.hostUri = Compute1;
    legacyNet.name = u"vlan-net"_s;
    legacyNet.bridge = u"br-phys"_s;
    legacyNet.virtualPortType = u"openvswitch"_s;
    // A trunk portgroup (the default) and one per VLAN: the VLANs are named after the latter.
    legacyNet.portgroups = {{u"trunk"_s, {100, 200, 300}, true}, {u"vlan-100"_s, {100}, false},
                            {u"vlan-200"_s, {200}, false}, {u"vlan-300"_s, {300}, false}};
    one.networks = {legacyNet};
    one.vms.append(parsedVm(Compute1, novaDomain(u"instance-0000a1b2"_s, u"0b7c3e5a-1f2d-4c8e-9a6b-5d4e3f2a1b0c"_s, u"web-1"_s,
                                                 ovnInterface(u"fa:16:3e:5c:1a:01"_s, u"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"_s))));
    // Libvirt-wired: a portgroup VLAN on a plain Open vSwitch bridge; libvirt made up its
    // interface id.
    one.vms.append(parsedVm(Compute1, uR"(<domain type='qemu'><name>legacy-1</name><uuid>4a4a4a4a-0000-4000-8000-000000000001</uuid>
      <memory>65536</memory><os><type>hvm</type></os><devices>
      <interface type='network'><mac address='52:54:00:aa:00:01'/><source network='vlan-net' portgroup='vlan-100'/>
      <virtualport type='openvswitch'><parameters interfaceid='9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f'/></virtualport></interface>
      </devices></domain>)"_s.toUtf8()));
    // Made by an older lab: a port in front (100), a libvirt VLAN tag of 200.
    one.vms.append(parsedVm(Compute1, uR"(<domain type='qemu'><name>legacy-5</name><uuid>4a4a4a4a-0000-4000-8000-000000000005</uuid>
      <memory>65536</memory><os><type>hvm</type></os><devices>
      <interface type='bridge'><mac address='52:54:00:01:01:15'/><source bridge='br-int'/><vlan><tag id='200'/></vlan>
      <virtualport type='openvswitch'><parameters interfaceid='lab-0001'/></virtualport></interface>
      </devices></domain>)"_s.toUtf8()));
    inventory.applySnapshot(one);

    HostSnapshot two;
    two.host.uri = Compute2;
    two.host.displayName = u"compute-2"_s;
    two.host.hostname = u"compute-2"_s;
    two.host.state = ConnectionState::Connected;
    two.vms.append(parsedVm(Compute2, novaDomain(u"instance-0000a1b3"_s, u"1c8d4f6b-2a3e-4d9f-8b7c-6e5f4a3b2c1d"_s, u"db-1"_s,
                                                 ovnInterface(u"fa:16:3e:6d:2b:01"_s, u"b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"_s)
                                                     + osVifInterface(u"fa:16:3e:7e:3c:01"_s, u"c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f"_s))));
    two.vms.append(parsedVm(Compute2, novaDomain(u"instance-0000a1c0"_s, u"5f5f5f5f-0000-4000-8000-000000000001"_s, u"orphan-1"_s,
                                                 ovnInterface(u"fa:16:3e:99:99:99"_s, u"0f0f0f0f-1e1e-4d2d-8c3c-4b4b4b4b4b4b"_s))));
    inventory.applySnapshot(two);
}

struct Controller
{
    OvsdbCache nbCache;
    OvsdbCache sbCache;
    OvnNorthbound nb;
    OvnSouthbound sb;

    bool load(bool southbound)
    {
        nbCache.setSchema(realSchema(u"ovn-nb.ovsschema"_s));
        sbCache.setSchema(realSchema(u"ovn-sb.ovsschema"_s));
        if (!nbCache.schema().isValid() || !sbCache.schema().isValid())
            return false;
        OvsdbChangeSet changes;
        QString error;
        if (!nbCache.apply(readJson(QStringLiteral(VIGIE_TEST_DATA_DIR "/neutron-nb.json")), OvsdbCache::Format::Update2, &changes, &error)) {
            qWarning() << error;
            return false;
        }
        nb.applyChanges(nbCache, changes);
        if (southbound) {
            OvsdbChangeSet sbChanges;
            if (!sbCache.apply(readJson(QStringLiteral(VIGIE_TEST_DATA_DIR "/neutron-sb.json")), OvsdbCache::Format::Update2, &sbChanges, &error)) {
                qWarning() << error;
                return false;
            }
            sb.applyChanges(sbCache, sbChanges);
        }
        return true;
    }
};

// On, with the southbound (or not) and no grace for binding disagreements; back once its first
// pass is done (on a busy machine a slice of 8 ms may not hold it).
void turnOn(NetworkCorrelation &correlation, bool southbound = true)
{
    correlation.setBindingGrace(0);
    correlation.setEnabled(true);
    correlation.setSouthboundEnabled(southbound);
    QTRY_VERIFY(!correlation.isPassing());
}

// A reference to compare with, on and its first pass done in one go: no turn of the loop runs
// the correlation under test meanwhile.
void turnOnInOneGo(NetworkCorrelation &correlation)
{
    correlation.setSlice(-1);
    turnOn(correlation);
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
    void controllerWiringIsNotAVmChange();
    void incrementalEqualsWhole_data();
    void incrementalEqualsWhole();
    void wholePassInSlices();
    void matchesToldAFewAtATime();
    void hostChangesLookAtWhatTheyTouch();
    void manyChangedVmsOverSeveralTurns();
    void switchModelFollowsTheController();
    void controllerVlanNamesInTheInventory();
    void neutronShapedFleet_data();
    void neutronShapedFleet();
    void plainOvsBridgeIsNotTheControllers();
    void bindingMismatchesWaitForTheGrace();
    void addressMismatches();
    void hugeStringsAreBounded();
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
    // ML2/OVN: the NIC carries no libvirt VLAN, the switch's localnet port does. Not a mismatch.
    QTest::newRow("untagged NIC on a VLAN switch is wired by the controller")
        << vlans << QStringList{u"front|if-a||"_s} << QStringList{u"web|52:54:00:00:00:01|if-a|"_s} << 1 << QStringList{};
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
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
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
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
    QCOMPARE(correlation.mismatchCount(), 1);
    QSignalSpy removed(&correlation, &NetworkCorrelation::mismatchRemoved);
    correlation.setEnabled(false);
    QVERIFY(correlation.isPassing()); // told at the next turn
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(correlation.mismatchCount(), 0);
    QVERIFY(!correlation.isPassing());
}

namespace {

// Two VMs, web and db, each with its port, on the switches front (VLAN 100) and data (200).
struct WebAndDb
{
    Inventory inventory;
    Northbound controller;
    NetworkCorrelation correlation{&inventory, &controller.nb};

    WebAndDb()
    {
        loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s, u"db|52:54:00:00:00:02|if-b|200"_s});
        controller.load({u"front:100"_s, u"data:200"_s}, {u"front|if-a||"_s, u"data|if-b||"_s});
        correlation.setEnabled(true);
        QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
    }
};

} // namespace

void tst_NetworkCorrelation::incrementalUpdates()
{
    WebAndDb f;
    Inventory &inventory = f.inventory;
    Northbound &controller = f.controller;
    NetworkCorrelation &correlation = f.correlation;
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

void tst_NetworkCorrelation::controllerWiringIsNotAVmChange()
{
    WebAndDb f;
    Inventory &inventory = f.inventory;
    NetworkCorrelation &correlation = f.correlation;
    const qint64 before = correlation.correlatedVmCount();
    QCOMPARE(before, 2);

    // The controller's wiring of web's NIC is published (as NetworkController does with the
    // correlation's matches): the inventory tells web changed, though nothing of it did...
    const VmKey web{Host, uuidOf(u"web"_s)};
    QSignalSpy vmChanged(&inventory, &Inventory::vmChanged);
    ControllerNic wiring;
    wiring.vlanId = 100;
    wiring.network = u"front"_s;
    wiring.portName = u"if-a"_s;
    inventory.updateControllerNics({{u"52:54:00:00:00:01"_s, wiring}}, {web});
    QCOMPARE(vmChanged.size(), 1);
    // ...and in the same turn db's title changes: the next pass looks at db alone.
    VmInfo db = inventory.vm({Host, uuidOf(u"db"_s)});
    db.title = u"the database"_s;
    inventory.updateVm(db);
    QTRY_VERIFY(correlation.correlatedVmCount() > before);
    QCOMPARE(correlation.correlatedVmCount(), before + 1);

    // A change of web itself is still looked at.
    VmInfo webInfo = inventory.vm(web);
    webInfo.displayName = u"web-front"_s;
    inventory.updateVm(webInfo);
    QTRY_COMPARE(correlation.matchOf(web, u"52:54:00:00:00:01"_s).value_or(NicPortMatch{}).vmName, u"web-front"_s);
    QCOMPARE(correlation.correlatedVmCount(), before + 2);
}

namespace {

// The controller's rows as the test keeps them, to change one and send it whole (update "new").
struct Rows
{
    QHash<QString, QHash<QString, QJsonObject>> tables; // table -> uuid -> row

    static Rows fromUpdate2(const QJsonObject &update)
    {
        Rows rows;
        for (auto t = update.begin(); t != update.end(); ++t) {
            const QJsonObject table = t.value().toObject();
            for (auto r = table.begin(); r != table.end(); ++r)
                rows.tables[t.key()].insert(r.key(), r.value().toObject().value(u"initial"_s).toObject());
        }
        return rows;
    }
};

QJsonArray uuidRefs(const QStringList &uuids)
{
    QJsonArray refs;
    for (const QString &uuid : uuids)
        refs.append(QJsonArray{u"uuid"_s, uuid});
    return QJsonArray{u"set"_s, refs};
}

QStringList refsOf(const QJsonValue &value)
{
    const QJsonArray a = value.toArray();
    QStringList uuids;
    if (a.at(0).toString() == u"uuid")
        return {a.at(1).toString()};
    for (const QJsonValue &ref : a.at(1).toArray())
        uuids.append(ref.toArray().at(1).toString());
    return uuids;
}

// The host URI as it is, under other names: the snapshot its session would send.
HostSnapshot renamedHost(const Inventory &inventory, const QString &uri, const QString &hostname, const QString &displayName)
{
    HostSnapshot snapshot;
    snapshot.host = inventory.host(uri);
    snapshot.host.hostname = hostname;
    snapshot.host.displayName = displayName;
    snapshot.networks = inventory.networks(uri);
    for (const VmKey &key : inventory.vmKeysOfHost(uri))
        snapshot.vms.append(inventory.vm(key));
    return snapshot;
}

QMap<QString, NicPortMatch> matchesByKey(const NetworkCorrelation &correlation)
{
    QMap<QString, NicPortMatch> matches;
    for (const NicPortMatch &m : correlation.matches())
        matches.insert(m.vm.hostUri + u'|' + m.vm.uuid + u'|' + m.mac.toLower(), m);
    return matches;
}

QMap<QString, NetworkMismatch> mismatchesByKey(const NetworkCorrelation &correlation)
{
    QMap<QString, NetworkMismatch> mismatches;
    for (const NetworkMismatch &m : correlation.mismatches())
        mismatches.insert(m.key(), m);
    return mismatches;
}

} // namespace

// The correlation follows changes one VM, port, binding or switch at a time. After each of a few
// hundred random changes of every kind (ports renamed, re-addressed, moved, added and removed;
// bindings moved; VMs renamed, re-plugged, stopped, added and removed; a host's networks; a switch
// renamed or given another subnet; the southbound read again), what it holds is exactly what a
// correlation made from scratch finds. In slices: a pass that looks at everything lasts several
// event-loop turns, and the changes that come meanwhile are looked at once it is done; what it
// holds is compared whenever no such pass is under way, and at the end.
void tst_NetworkCorrelation::incrementalEqualsWhole_data()
{
    QTest::addColumn<bool>("slices");
    QTest::newRow("in one go") << false;
    QTest::newRow("in slices, changes meanwhile") << true;
}

void tst_NetworkCorrelation::incrementalEqualsWhole()
{
    QFETCH(bool, slices);
    Inventory inventory;
    loadNeutronFleet(inventory);
    Controller controller;
    QVERIFY(controller.load(true));
    Rows nb = Rows::fromUpdate2(readJson(QStringLiteral(VIGIE_TEST_DATA_DIR "/neutron-nb.json")));
    Rows sb = Rows::fromUpdate2(readJson(QStringLiteral(VIGIE_TEST_DATA_DIR "/neutron-sb.json")));

    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    turnOn(correlation);
    QVERIFY(correlation.matchCount() > 0);
    if (slices)
        correlation.setSlice(0, 4); // a slice of 4 ports, VMs or switches per turn

    const auto send = [](OvsdbCache &cache, auto &mapping, const QJsonObject &update) {
        OvsdbChangeSet changes;
        QString error;
        QVERIFY2(cache.apply(update, OvsdbCache::Format::Update, &changes, &error), qPrintable(error));
        mapping.applyChanges(cache, changes);
    };
    // A row's new version, in the update "new" (and "old", for a row that was there) form.
    const auto version = [](Rows &rows, const QString &table, const QString &uuid, const QJsonObject &row) {
        QJsonObject change{{u"new"_s, row}};
        if (rows.tables.value(table).contains(uuid))
            change.insert(u"old"_s, rows.tables.value(table).value(uuid));
        rows.tables[table].insert(uuid, row);
        return change;
    };
    const auto putRow = [&](Rows &rows, const QString &table, const QString &uuid, const QJsonObject &row) {
        return QJsonObject{{table, QJsonObject{{uuid, version(rows, table, uuid, row)}}}};
    };

    QRandomGenerator random(20261206);
    const auto pick = [&](const QStringList &list) { return list.at(random.bounded(int(list.size()))); };
    const auto portNames = [&] {
        QSet<QString> names;
        for (const QJsonObject &port : nb.tables.value(u"Logical_Switch_Port"_s))
            names.insert(port.value(u"name"_s).toString());
        return names;
    };
    const QString Lsp = u"Logical_Switch_Port"_s, Ls = u"Logical_Switch"_s, Pb = u"Port_Binding"_s;
    int kinds[12] = {};
    qsizetype mostMismatches = 0;
    int compared = 0;
    int passing = 0;
    for (int step = 0; step <= 400; ++step) {
        const QStringList ports = nb.tables.value(Lsp).keys();
        const QStringList switches = nb.tables.value(Ls).keys();
        const QList<VmKey> vms = inventory.vmKeys();
        const int kind = random.bounded(12);
        ++kinds[kind];
        switch (kind) {
        case 0: { // a port's addresses change (some duplicate another's, some leave the subnet)
            const QString uuid = pick(ports);
            QJsonObject row = nb.tables[Lsp].value(uuid);
            const QString mac = row.value(u"addresses"_s).toArray().at(1).toArray().at(0).toString().section(u' ', 0, 0);
            row.insert(u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{u"%1 10.10.%2.%3"_s.arg(mac.isEmpty() ? u"fa:16:3e:00:00:99"_s : mac)
                                                                           .arg(random.bounded(2))
                                                                           .arg(random.bounded(2, 6))}});
            if (random.bounded(2))
                row.insert(u"port_security"_s, QJsonArray{u"set"_s, QJsonArray{}});
            send(controller.nbCache, controller.nb, putRow(nb, Lsp, uuid, row));
            break;
        }
        case 1: { // a port is renamed (a NIC's interface id finds it, or no longer does); names stay
                  // unique, as the schema's index keeps them
            const QString uuid = pick(ports);
            QJsonObject row = nb.tables[Lsp].value(uuid);
            QString name = u"renamed-%1"_s.arg(step);
            if (random.bounded(2)) {
                const VmInfo vm = inventory.vm(vms.at(random.bounded(int(vms.size()))));
                if (!vm.nics.isEmpty() && !vm.nics.first().interfaceId.isEmpty() && !portNames().contains(vm.nics.first().interfaceId))
                    name = vm.nics.first().interfaceId;
            }
            row.insert(u"name"_s, name);
            send(controller.nbCache, controller.nb, putRow(nb, Lsp, uuid, row));
            break;
        }
        case 2: { // a port moves to another switch
            const QString port = pick(ports);
            const QString to = pick(switches);
            QJsonObject update;
            for (const QString &sw : switches) {
                QJsonObject row = nb.tables[Ls].value(sw);
                QStringList members = refsOf(row.value(u"ports"_s));
                const bool had = members.removeAll(port) > 0;
                if (sw == to)
                    members.append(port);
                if (!had && sw != to)
                    continue;
                row.insert(u"ports"_s, uuidRefs(members));
                update.insert(sw, version(nb, Ls, sw, row));
            }
            send(controller.nbCache, controller.nb, QJsonObject{{Ls, update}});
            break;
        }
        case 3: { // a port comes (for a VM's NIC, or for nobody) or goes
            if (random.bounded(2) && ports.size() > 4) {
                const QString port = pick(ports);
                QJsonObject lsUpdate;
                for (const QString &sw : switches) {
                    QJsonObject row = nb.tables[Ls].value(sw);
                    QStringList members = refsOf(row.value(u"ports"_s));
                    if (members.removeAll(port) == 0)
                        continue;
                    row.insert(u"ports"_s, uuidRefs(members));
                    lsUpdate.insert(sw, version(nb, Ls, sw, row));
                }
                const QJsonObject gone{{u"old"_s, nb.tables[Lsp].take(port)}};
                send(controller.nbCache, controller.nb, QJsonObject{{Ls, lsUpdate}, {Lsp, QJsonObject{{port, gone}}}});
            } else {
                const QString uuid = uuidOf(u"port-%1"_s.arg(step));
                QString name = uuidOf(u"name-%1"_s.arg(step));
                QString device;
                if (!vms.isEmpty() && random.bounded(2)) {
                    const VmInfo vm = inventory.vm(vms.at(random.bounded(int(vms.size()))));
                    if (!vm.nics.isEmpty() && !vm.nics.first().interfaceId.isEmpty() && !portNames().contains(vm.nics.first().interfaceId))
                        name = vm.nics.first().interfaceId;
                    device = vm.uuid;
                }
                const QJsonObject port{{u"name"_s, name},
                                       {u"type"_s, u""_s},
                                       {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{u"fa:16:3e:00:%1:01 10.10.0.%2"_s.arg(step % 100, 2, 10, QLatin1Char('0')).arg(random.bounded(2, 6))}}},
                                       {u"external_ids"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"neutron:device_id"_s, device},
                                                                                          QJsonArray{u"neutron:device_owner"_s, u"compute:nova"_s}}}}};
                const QJsonObject added = version(nb, Lsp, uuid, port);
                const QString sw = pick(switches);
                QJsonObject row = nb.tables[Ls].value(sw);
                row.insert(u"ports"_s, uuidRefs(refsOf(row.value(u"ports"_s)) + QStringList{uuid}));
                send(controller.nbCache, controller.nb,
                     QJsonObject{{Lsp, QJsonObject{{uuid, added}}}, {Ls, QJsonObject{{sw, version(nb, Ls, sw, row)}}}});
            }
            break;
        }
        case 4: { // a binding moves to the other chassis, or is released
            const QString uuid = pick(sb.tables.value(Pb).keys());
            QJsonObject row = sb.tables[Pb].value(uuid);
            const QStringList chassis = sb.tables.value(u"Chassis"_s).keys();
            row.insert(u"chassis"_s, random.bounded(3) == 0 ? QJsonValue(QJsonArray{u"set"_s, QJsonArray{}})
                                                            : QJsonValue(QJsonArray{u"uuid"_s, pick(chassis)}));
            send(controller.sbCache, controller.sb, putRow(sb, Pb, uuid, row));
            break;
        }
        case 5: { // a VM is renamed, stopped or started
            VmInfo vm = inventory.vm(vms.at(random.bounded(int(vms.size()))));
            if (random.bounded(2))
                vm.displayName = u"vm-%1"_s.arg(step);
            else
                vm.state = vm.state == VmState::Running ? VmState::Shutoff : VmState::Running;
            inventory.updateVm(vm);
            break;
        }
        case 6: { // a VM's NIC is plugged into another port (by its interface id), or loses it
            VmInfo vm = inventory.vm(vms.at(random.bounded(int(vms.size()))));
            if (vm.nics.isEmpty())
                break;
            QStringList names;
            for (const QJsonObject &port : nb.tables.value(Lsp))
                names.append(port.value(u"name"_s).toString());
            vm.nics.first().interfaceId = random.bounded(4) == 0 ? QString() : pick(names);
            vm.nics.first().target = random.bounded(2) ? u"tap"_s + pick(names).left(11) : QString();
            inventory.updateVm(vm);
            break;
        }
        case 7: { // a VM comes (a copy of another on the other host: a migration) or goes
            const VmKey key = vms.at(random.bounded(int(vms.size())));
            if (random.bounded(2) && vms.size() > 3) {
                inventory.removeVm(key);
            } else {
                VmInfo vm = inventory.vm(key);
                vm.hostUri = vm.hostUri == Compute1 ? Compute2 : Compute1;
                if (random.bounded(2))
                    vm.uuid = uuidOf(u"vm-%1"_s.arg(step));
                inventory.updateVm(vm);
            }
            break;
        }
        case 8: { // a host's networks change (every NIC's bridge may)
            NetworkInfo net;
            net.hostUri = Compute2;
            net.name = u"net-%1"_s.arg(step);
            net.bridge = random.bounded(2) ? u"br-int"_s : u"br-other"_s;
            inventory.setNetworks(Compute2, {net});
            break;
        }
        case 9: { // a switch's own facts change: its name, or its subnet (other_config:subnet)
            const QString sw = pick(switches);
            QJsonObject row = nb.tables[Ls].value(sw);
            if (random.bounded(2))
                row.insert(u"name"_s, u"renamed-%1"_s.arg(step));
            else
                row.insert(u"other_config"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"subnet"_s, random.bounded(2) ? u"10.10.0.0/24"_s : u"10.99.0.0/24"_s}}});
            send(controller.nbCache, controller.nb, putRow(nb, Ls, sw, row));
            break;
        }
        case 10: { // a host's names change: its chassis becomes another's or no host's, the
                   // ports requested on it are watched or not
            static const QList<std::pair<QString, QString>> names{
                {u"compute-2"_s, u"compute-2"_s}, {u"compute-1.example.org"_s, u"compute-2"_s}, {u"other"_s, u"other"_s}};
            const auto [hostname, displayName] = names.at(random.bounded(int(names.size())));
            inventory.applySnapshot(renamedHost(inventory, Compute2, hostname, displayName));
            break;
        }
        case 11: // the southbound is lost and read again: a pass that looks at everything
            correlation.setSouthboundEnabled(false);
            correlation.setSouthboundEnabled(true);
            break;
        }
        QCoreApplication::processEvents();
        if (step == 400)
            QTRY_VERIFY(!correlation.isPassing()); // the last pass done, compared below
        if (correlation.isPassing()) {
            ++passing;
            continue;
        }
        ++compared;

        // The northbound mapping itself, followed change by change, is what a fresh one reads.
        OvnNorthbound fresh;
        OvsdbChangeSet everything;
        for (const QString &table : {Ls, Lsp, u"DHCP_Options"_s}) {
            for (const QString &uuid : controller.nbCache.table(table).keys())
                everything.tables[table].insert(uuid, OvsdbChangeSet::Kind::Insert);
        }
        fresh.applyChanges(controller.nbCache, everything);
        const auto byUuid = [](const auto &list) {
            QMap<QString, std::decay_t<decltype(list.first())>> map;
            for (const auto &item : list)
                map.insert(item.uuid, item);
            return map;
        };
        QVERIFY2(byUuid(fresh.switches()) == byUuid(controller.nb.switches()), qPrintable(u"step %1 (kind %2): switches"_s.arg(step).arg(kind)));
        QVERIFY2(byUuid(fresh.ports()) == byUuid(controller.nb.ports()), qPrintable(u"step %1 (kind %2): ports"_s.arg(step).arg(kind)));
        for (const QString &sw : nb.tables.value(Ls).keys())
            QVERIFY2(fresh.dhcpOptionsOf(sw) == controller.nb.dhcpOptionsOf(sw), qPrintable(u"step %1 (kind %2): DHCP of %3"_s.arg(step).arg(kind).arg(sw)));

        NetworkCorrelation whole(&inventory, &controller.nb, &controller.sb);
        turnOnInOneGo(whole);
        const QMap<QString, NicPortMatch> expectedMatches = matchesByKey(whole);
        const QMap<QString, NicPortMatch> actualMatches = matchesByKey(correlation);
        QVERIFY2(actualMatches.keys() == expectedMatches.keys(), qPrintable(u"step %1 (kind %2): %3 vs %4"_s.arg(step).arg(kind)
                                                                               .arg(actualMatches.keys().join(u", "_s), expectedMatches.keys().join(u", "_s))));
        for (auto it = expectedMatches.cbegin(); it != expectedMatches.cend(); ++it)
            QVERIFY2(actualMatches.value(it.key()) == it.value(), qPrintable(u"step %1 (kind %2): match %3: %4 vs %5"_s.arg(step).arg(kind).arg(it.key(), describeMatch(actualMatches.value(it.key())), describeMatch(it.value()))));
        const QMap<QString, NetworkMismatch> expected = mismatchesByKey(whole);
        const QMap<QString, NetworkMismatch> actual = mismatchesByKey(correlation);
        QVERIFY2(actual.keys() == expected.keys(), qPrintable(u"step %1 (kind %2): %3 vs %4"_s.arg(step).arg(kind)
                                                                 .arg(describe(correlation.mismatches()).join(u", "_s),
                                                                      describe(whole.mismatches()).join(u", "_s))));
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(actual.value(it.key()) == it.value(), qPrintable(u"step %1 (kind %2): mismatch %3"_s.arg(step).arg(kind).arg(it.key())));
        mostMismatches = std::max(mostMismatches, actual.size());
        if (QTest::currentTestFailed())
            return;
    }
    // Every kind of change was made, and mismatches of several kinds came and went; in slices,
    // changes came during passes that looked at everything, and were compared after.
    for (int n : kinds)
        QVERIFY(n > 15);
    QVERIFY2(mostMismatches >= 5, qPrintable(QString::number(mostMismatches)));
    QVERIFY2(compared > 100, qPrintable(QString::number(compared)));
    if (slices)
        QVERIFY2(passing > 20, qPrintable(QString::number(passing)));
    else
        QCOMPARE(passing, 0);
}

// A pass that looks at everything (the controller read again: 10,000 VMs and ports at fleet
// size) is cut in slices, one per event-loop turn. Meanwhile the queries answer what was last
// signalled and nothing is signalled (no port is judged before the VM that names it is
// correlated: no "port without VM" comes and goes); once done, the result is a whole pass's, and
// a change that came meanwhile is in it.
void tst_NetworkCorrelation::wholePassInSlices()
{
    Inventory inventory;
    loadNeutronFleet(inventory);
    Controller controller;
    QVERIFY(controller.load(true));
    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    correlation.setBindingGrace(0);
    correlation.setSlice(0, 1); // one port, VM or switch per turn
    QSignalSpy added(&correlation, &NetworkCorrelation::mismatchAdded);
    QSignalSpy removed(&correlation, &NetworkCorrelation::mismatchRemoved);
    QSignalSpy updated(&correlation, &NetworkCorrelation::matchesUpdated);

    // The first read: nothing matched until the pass is done.
    correlation.setEnabled(true);
    QVERIFY(correlation.isPassing());
    QCOMPARE(correlation.matchCount(), 0);
    int turns = 1;
    while (correlation.isPassing() && turns < 1000) {
        QCOMPARE(correlation.matchCount(), 0);
        QCOMPARE(updated.size(), 0);
        QCOMPARE(added.size() + removed.size(), 0);
        QCoreApplication::processEvents();
        ++turns;
    }
    QVERIFY(!correlation.isPassing());
    QVERIFY2(turns > 10, qPrintable(QString::number(turns)));
    QCOMPARE(updated.size(), 1);
    const qsizetype matched = correlation.matchCount();
    QVERIFY(matched > 0);
    const QMap<QString, NicPortMatch> firstMatches = matchesByKey(correlation);
    const QMap<QString, NetworkMismatch> firstMismatches = mismatchesByKey(correlation);
    QCOMPARE(added.size(), firstMismatches.size());
    QCOMPARE(removed.size(), 0);

    // The southbound is read again (lost, then back) while a VM is renamed: the queries answer the
    // matches as signalled, the renamed VM's included, until the pass is done.
    added.clear();
    updated.clear();
    const VmKey renamed = firstMatches.first().vm;
    const QString mac = firstMatches.first().mac;
    correlation.setSouthboundEnabled(false);
    correlation.setSouthboundEnabled(true);
    QVERIFY(correlation.isPassing());
    VmInfo vm = inventory.vm(renamed);
    vm.displayName = u"renamed-meanwhile"_s;
    inventory.updateVm(vm);
    turns = 0;
    while (correlation.isPassing() && turns < 1000) {
        QCOMPARE(correlation.matchCount(), matched);
        QCOMPARE(correlation.matchOf(renamed, mac)->vmName, firstMatches.first().vmName);
        QCOMPARE(updated.size(), 0);
        QCOMPARE(added.size() + removed.size(), 0);
        QCoreApplication::processEvents();
        ++turns;
    }
    QVERIFY(!correlation.isPassing());
    QTRY_COMPARE(correlation.matchOf(renamed, mac)->vmName, u"renamed-meanwhile"_s);
    NetworkCorrelation whole(&inventory, &controller.nb, &controller.sb);
    turnOnInOneGo(whole);
    whole.refresh();
    QCOMPARE(matchesByKey(correlation).keys(), matchesByKey(whole).keys());
    QVERIFY(matchesByKey(correlation) == matchesByKey(whole));
    QCOMPARE(mismatchesByKey(correlation).keys(), mismatchesByKey(whole).keys());
    QVERIFY(mismatchesByKey(correlation) == mismatchesByKey(whole));

    // Turned off during a pass: everything signalled goes, nothing is left half done.
    correlation.setSouthboundEnabled(false);
    QCoreApplication::processEvents(); // the pass begins (at the next turn, turned off)
    QVERIFY(correlation.isPassing());
    removed.clear();
    correlation.setEnabled(false);
    QTRY_VERIFY(!correlation.isPassing());
    QCOMPARE(correlation.matchCount(), 0);
    QCOMPARE(correlation.mismatchCount(), 0);
    QCOMPARE(removed.size(), mismatchesByKey(whole).size());
}

// The matches a pass changed are told a few at a time, one signal per event-loop turn (10,000
// told at once kept their listeners busy for a few hundred milliseconds): each once, all of them.
void tst_NetworkCorrelation::matchesToldAFewAtATime()
{
    Inventory inventory;
    loadNeutronFleet(inventory);
    Controller controller;
    QVERIFY(controller.load(true));
    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    correlation.setBindingGrace(0);
    correlation.setSlice(-1, 64, 2); // the pass in one go however busy the machine, its matches told 2 at a time
    QSignalSpy updated(&correlation, &NetworkCorrelation::matchesUpdated);
    correlation.setEnabled(true);
    const qsizetype matches = correlation.matchCount();
    QVERIFY2(matches > 2, qPrintable(QString::number(matches)));
    QCOMPARE(updated.size(), 1);
    QVERIFY(correlation.isPassing()); // matches left to tell
    QTRY_VERIFY(!correlation.isPassing());
    const auto told = [&](int argument) {
        QStringList keys;
        for (const QList<QVariant> &signal : std::as_const(updated)) {
            const auto list = signal.at(argument).value<QList<NicPortMatch>>();
            if (list.size() > 2)
                return QStringList{u"more than 2 at once"_s};
            for (const NicPortMatch &match : list)
                keys.append(match.vm.uuid + u'|' + match.mac);
        }
        std::sort(keys.begin(), keys.end());
        return keys;
    };
    QStringList all;
    for (const NicPortMatch &match : correlation.matches())
        all.append(match.vm.uuid + u'|' + match.mac);
    std::sort(all.begin(), all.end());
    QCOMPARE(told(0), all);
    QCOMPARE(updated.size(), (matches + 1) / 2);

    // Turned off: every match removed, a few at a time too.
    updated.clear();
    correlation.setEnabled(false);
    QTRY_VERIFY(!correlation.isPassing());
    QCOMPARE(correlation.matchCount(), 0);
    QCOMPARE(told(1), all);
    QCOMPARE(told(0), QStringList{});
}

// A host that comes, or whose name changes, makes the next pass look at its own VMs and at the
// VMs bound on a chassis whose host changed, not at the fleet (at 10,000 NICs a whole pass takes
// hundreds of milliseconds, and 200 hosts connecting made one each). What the passes find is
// what a whole pass finds (incrementalEqualsWhole walks such changes at random).
void tst_NetworkCorrelation::hostChangesLookAtWhatTheyTouch()
{
    Inventory inventory;
    loadNeutronFleet(inventory);
    Controller controller;
    QVERIFY(controller.load(true));
    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    turnOn(correlation);
    const qsizetype fleet = inventory.vmCount();
    QVERIFY(fleet > 4);
    const QList<NetworkMismatch> before = correlation.mismatches();

    // A third host connects with two VMs; no chassis is its.
    qint64 looked = correlation.correlatedVmCount();
    inventory.addHost(u"test:///compute-3"_s);
    QCoreApplication::processEvents();
    HostSnapshot three;
    three.host = inventory.host(u"test:///compute-3"_s);
    three.host.hostname = u"compute-3"_s;
    three.host.displayName = u"compute-3"_s;
    three.host.state = ConnectionState::Connected;
    three.vms.append(parsedVm(three.host.uri, novaDomain(u"instance-0000c301"_s, u"3c3c3c3c-0000-4000-8000-000000000001"_s, u"app-1"_s,
                                                          ovnInterface(u"fa:16:3e:c3:00:01"_s, u"3c3c3c3c-0000-4000-8000-0000000000a1"_s))));
    three.vms.append(parsedVm(three.host.uri, novaDomain(u"instance-0000c302"_s, u"3c3c3c3c-0000-4000-8000-000000000002"_s, u"app-2"_s,
                                                          ovnInterface(u"fa:16:3e:c3:00:02"_s, u"3c3c3c3c-0000-4000-8000-0000000000a2"_s))));
    inventory.applySnapshot(three);
    QCoreApplication::processEvents();
    QCOMPARE(correlation.correlatedVmCount() - looked, 2);
    QCOMPARE(correlation.matchCount(), matchesByKey(correlation).size());
    // Their NICs have no port; the port requested on compute-3 for a VM it does not have is
    // missing its VM now that compute-3 is watched (before, it was another system's host).
    QStringList found = describe(correlation.mismatches());
    for (const QString &mismatch : describe(before))
        QVERIFY(found.removeOne(mismatch));
    found.sort();
    QCOMPARE(found, QStringList({u"nic-without-port:app-1/fa:16:3e:c3:00:01"_s, u"nic-without-port:app-2/fa:16:3e:c3:00:02"_s,
                                                     u"port-without-vm:e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8a9b"_s}));

    // compute-1's names change: its chassis is no host's now. Its VMs and those bound there are
    // looked at again, the others are not, and the verdicts are a whole pass's.
    looked = correlation.correlatedVmCount();
    const QMap<QString, NetworkMismatch> beforeRename = mismatchesByKey(correlation);
    inventory.applySnapshot(renamedHost(inventory, Compute1, u"elsewhere"_s, u"elsewhere"_s));
    QCoreApplication::processEvents();
    qsizetype boundThere = 0;
    for (const NicPortMatch &match : correlation.matches()) {
        if (match.chassis == u"9b4e2f1a-compute-1-system-id"_s && match.vm.hostUri != Compute1)
            ++boundThere;
    }
    const qint64 lookedAgain = correlation.correlatedVmCount() - looked;
    QVERIFY2(lookedAgain >= inventory.vmKeysOfHost(Compute1).size() && lookedAgain <= inventory.vmKeysOfHost(Compute1).size() + boundThere,
             qPrintable(QString::number(lookedAgain)));
    QVERIFY2(lookedAgain < inventory.vmCount(), qPrintable(QString::number(lookedAgain)));
    NetworkCorrelation whole(&inventory, &controller.nb, &controller.sb);
    turnOnInOneGo(whole);
    QCOMPARE(mismatchesByKey(correlation), mismatchesByKey(whole));
    QCOMPARE(matchesByKey(correlation), matchesByKey(whole));
    // The rename was news: compute-1's VMs are bound on a chassis that is no longer theirs.
    QVERIFY(mismatchesByKey(correlation) != beforeRename);
}

// Hosts arriving by the dozen in one turn mark thousands of VMs: a pass takes as many as its
// slice holds at the last passes' pace and leaves the others for the next turns (isPassing()
// meanwhile). Each VM is correlated once; no mismatch comes and goes (a port is judged after the
// VM plugged into it, though its host is watched from the first slice); the result is a whole
// pass's.
void tst_NetworkCorrelation::manyChangedVmsOverSeveralTurns()
{
    Inventory inventory;
    loadNeutronFleet(inventory);
    HostSnapshot one{inventory.host(Compute1), {}, inventory.networks(Compute1)};
    for (const VmKey &key : inventory.vmKeysOfHost(Compute1))
        one.vms.append(inventory.vm(key));
    inventory.removeHost(Compute1); // its chassis is no host's: the ports bound there are not missing
    Controller controller;
    QVERIFY(controller.load(true));
    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    turnOn(correlation);
    QTRY_VERIFY(!correlation.isPassing());
    correlation.setSlice(0, 1); // a slice is spent at once: a few VMs, then the fewest the pace allows
    const qint64 looked = correlation.correlatedVmCount();
    QSignalSpy added(&correlation, &NetworkCorrelation::mismatchAdded);
    QSignalSpy removed(&correlation, &NetworkCorrelation::mismatchRemoved);
    NetworkMismatchModel model(&correlation);
    const auto rowKeys = [&model] {
        QStringList keys;
        for (int row = 0; row < model.rowCount(); ++row)
            keys.append(model.mismatch(row).key());
        keys.sort();
        return keys;
    };

    // compute-1 comes back with 300 more VMs, whose NICs have no port.
    constexpr int More = 300;
    for (int i = 0; i < More; ++i) {
        const QString n = u"%1"_s.arg(i, 4, 10, QChar(u'0'));
        one.vms.append(parsedVm(Compute1, novaDomain(u"instance-0000%1"_s.arg(n), u"3c3c3c3c-0000-4000-8000-00000000%1"_s.arg(n),
                                                     u"app-%1"_s.arg(n),
                                                     ovnInterface(u"fa:16:3e:c3:%1:%2"_s.arg(n.left(2), n.mid(2)),
                                                                  u"3c3c3c3c-0000-4000-8000-0000000a%1"_s.arg(n)))));
    }
    inventory.addHost(Compute1);
    inventory.applySnapshot(one);
    const qsizetype arriving = inventory.vmKeysOfHost(Compute1).size();
    QCOMPARE(arriving, one.vms.size());
    QCoreApplication::processEvents();
    const qint64 first = correlation.correlatedVmCount() - looked;
    QVERIFY2(first > 0 && first < arriving, qPrintable(QString::number(first)));
    QVERIFY(correlation.isPassing());
    QTRY_VERIFY(!correlation.isPassing());
    // And once each the VMs of other hosts bound on compute-1's chassis, whose host it is again.
    QSet<VmKey> boundThere;
    for (const NicPortMatch &match : correlation.matches()) {
        if (match.chassis == u"9b4e2f1a-compute-1-system-id"_s && match.vm.hostUri != Compute1)
            boundThere.insert(match.vm);
    }
    QCOMPARE(correlation.correlatedVmCount() - looked, arriving + boundThere.size());

    NetworkCorrelation whole(&inventory, &controller.nb, &controller.sb);
    turnOnInOneGo(whole);
    QTRY_VERIFY(!whole.isPassing());
    const QMap<QString, NetworkMismatch> found = mismatchesByKey(correlation);
    QCOMPARE(found, mismatchesByKey(whole));
    QCOMPARE(matchesByKey(correlation), matchesByKey(whole));
    QVERIFY(describe(correlation.mismatches()).contains(u"nic-without-port:app-0299/fa:16:3e:c3:02:99"_s));
    QCOMPARE(removed.size(), 0);
    for (const QList<QVariant> &signal : std::as_const(added))
        QVERIFY2(found.contains(signal.at(0).value<NetworkMismatch>().key()), qPrintable(signal.at(0).value<NetworkMismatch>().key()));
    QCOMPARE(rowKeys(), QStringList(found.keys()));

    // A hundred of them go, from the middle of the model's rows; one after them is renamed: the
    // model finds its rows by key (a scan per mismatch froze the window at fleet size).
    const auto vmKey = [](int i) { return VmKey{Compute1, u"3c3c3c3c-0000-4000-8000-00000000%1"_s.arg(i, 4, 10, QChar(u'0'))}; };
    for (int i = 100; i < 200; ++i)
        inventory.removeVm(vmKey(i));
    VmInfo renamed = inventory.vm(vmKey(250));
    renamed.displayName = u"renamed-250"_s;
    inventory.updateVm(renamed);
    QTRY_COMPARE(removed.size(), 100);
    QTRY_VERIFY(!correlation.isPassing());
    QCOMPARE(rowKeys(), QStringList(mismatchesByKey(correlation).keys()));
    QCOMPARE(model.rowCount(), found.size() - 100);
    int renamedRows = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        renamedRows += model.index(row, NetworkMismatchModel::VmColumn).data().toString() == u"renamed-250"_s ? 1 : 0;
    QCOMPARE(renamedRows, 1);
}

void tst_NetworkCorrelation::switchModelFollowsTheController()
{
    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s});
    Northbound controller;
    controller.load({u"data:200"_s, u"front:100"_s, u"overlay:0"_s}, {u"front|if-a||"_s, u"data|if-b||"_s});
    NetworkCorrelation correlation(&inventory, &controller.nb);
    correlation.setEnabled(true);
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
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
    inventory.setControllerVlans({{100, u"front"_s, {}, {}}, {300, u"backoffice"_s, {}, {}}});
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

void tst_NetworkCorrelation::neutronShapedFleet_data()
{
    QTest::addColumn<bool>("southbound");
    QTest::addColumn<QStringList>("mismatches");

    const QStringList real{
        u"nic-without-port:orphan-1/fa:16:3e:99:99:99"_s,
        u"port-without-vm:d4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f8a"_s,
        u"vlan-differs:legacy-5/52:54:00:01:01:15:200->100"_s,
    };
    QTest::newRow("northbound only") << false << real;
    QTest::newRow("with the southbound")
        << true
        << (QStringList{u"bound-elsewhere:db-1/fa:16:3e:6d:2b:01@9b4e2f1a-compute-1-system-id"_s, u"unbound:db-1/fa:16:3e:7e:3c:01"_s}
            + real);
}

void tst_NetworkCorrelation::neutronShapedFleet()
{
    QFETCH(bool, southbound);
    QFETCH(QStringList, mismatches);
    mismatches.sort();

    Inventory inventory;
    loadNeutronFleet(inventory);
    QCOMPARE(inventory.vmCount(), 5);
    // Without a controller: the trunk portgroup does not name the VLANs it carries.
    QCOMPARE(inventory.vlanName(100), u"vlan-100"_s);
    QCOMPARE(inventory.vlanName(300), u"vlan-300"_s);
    const VmKey web{Compute1, u"0b7c3e5a-1f2d-4c8e-9a6b-5d4e3f2a1b0c"_s};
    QCOMPARE(inventory.vm(web).displayName, u"web-1"_s);
    QCOMPARE(inventory.vm(web).manager, u"nova"_s);
    QCOMPARE(inventory.vm(web).tenant, u"webshop"_s);
    QVERIFY(inventory.vmVlans(web).isEmpty()); // libvirt alone knows no VLAN of an ML2/OVN NIC

    Controller controller;
    QVERIFY2(controller.load(southbound), "the fixtures must load against OVN's real schemas (/usr/share/ovn)");
    QCOMPARE(controller.nb.switchCount(), 3);
    const OvnLogicalSwitch front = controller.nb.switchByName(u"neutron-4f0a2c1e-5b7d-4e8a-9c3f-1a2b3c4d5e6f"_s);
    QCOMPARE(front.displayName(), u"front-prod"_s);
    QCOMPARE(front.vlanId, 100);
    QCOMPARE(front.networkName, u"physnet1"_s);
    QCOMPARE(front.owner(), OvnOwner::Neutron);
    const OvnLogicalSwitch tenant = controller.nb.switchByName(u"neutron-c2b1a0f9-8e7d-4c6b-a594-837261504f3e"_s);
    QVERIFY(tenant.isOverlay());
    QCOMPARE(controller.nb.subnetOf(front.uuid), u"10.10.0.0/24"_s);

    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    turnOn(correlation, southbound);
    QCOMPARE(describe(correlation.mismatches()), mismatches);

    // Every Neutron NIC is matched: by interface id, by Nova's tap name when os-vif plugged it.
    const std::optional<NicPortMatch> webNic = correlation.matchOf(web, u"fa:16:3e:5c:1a:01"_s);
    QVERIFY(webNic);
    QCOMPARE(webNic->switchDisplayName, u"front-prod"_s);
    QCOMPARE(webNic->controllerVlan, 100);
    QCOMPARE(webNic->owner, OvnOwner::Neutron);
    QCOMPARE(webNic->addresses, QStringList{u"10.10.0.11"_s});
    QCOMPARE(webNic->chassis, southbound ? u"9b4e2f1a-compute-1-system-id"_s : QString());
    QCOMPARE(webNic->chassisHostUri, southbound ? Compute1 : QString());
    const VmKey db{Compute2, u"1c8d4f6b-2a3e-4d9f-8b7c-6e5f4a3b2c1d"_s};
    const std::optional<NicPortMatch> dbTenant = correlation.matchOf(db, u"fa:16:3e:7e:3c:01"_s);
    QVERIFY(dbTenant);
    QCOMPARE(dbTenant->switchDisplayName, u"tenant-net"_s);
    QCOMPARE(dbTenant->controllerVlan, 0);
    const VmKey legacy{Compute1, u"4a4a4a4a-0000-4000-8000-000000000001"_s};
    QVERIFY(!correlation.matchOf(legacy, u"52:54:00:aa:00:01"_s)); // libvirt-wired

    // The controller's wiring published into the inventory: the effective VLANs.
    inventory.setControllerNics(NetworkController::controllerNics(correlation.matches()));
    QCOMPARE(inventory.vmVlans(web), QList<int>{100});
    QCOMPARE(inventory.vmVlans(db), QList<int>{200}); // the tenant NIC is on an overlay: no VLAN
    QCOMPARE(inventory.vmVlans(legacy), QList<int>{100});
    const VmKey legacy5{Compute1, u"4a4a4a4a-0000-4000-8000-000000000005"_s};
    QCOMPARE(inventory.vmVlans(legacy5), QList<int>{100}); // the controller's, where they differ
    QCOMPARE(inventory.findVlan(100)->vmCount, 3);

    // Neutron's rows are not Vigie's to change.
    QVERIFY(NetworkController::ownerRefusal(u"The port x"_s, webNic->owner).contains(u"OpenStack Neutron"_s));
    QVERIFY(!inventory.vm(web).managerRefusal().isEmpty());
    QVERIFY(inventory.vm(legacy).managerRefusal().isEmpty());
}

void tst_NetworkCorrelation::plainOvsBridgeIsNotTheControllers()
{
    // A NIC on an Open vSwitch bridge no controller manages has an interface id (libvirt makes
    // one up) and no port: that is normal, not a mismatch.
    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|if-a|100"_s});
    VmInfo vm = inventory.vm({Host, uuidOf(u"web"_s)});
    vm.nics[0].source = u"br-vlan"_s;
    inventory.updateVm(vm);
    Northbound controller;
    controller.load({u"front:100"_s}, {});
    NetworkCorrelation correlation(&inventory, &controller.nb);
    correlation.setEnabled(true);
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
    QCOMPARE(correlation.mismatchCount(), 0);
    vm.nics[0].source = u"br-int"_s;
    inventory.updateVm(vm);
    correlation.refresh();
    QCOMPARE(describe(correlation.mismatches()), QStringList{u"nic-without-port:web/52:54:00:00:00:01"_s});
}

// Addresses against the real northbound schema: a duplicate, one outside the subnet, a VM port
// without port security; an IPv6 address beside the IPv4 subnet, a Neutron port whose owner
// turned port security off, a probe's port: not mismatches.
void tst_NetworkCorrelation::addressMismatches()
{
    OvsdbCache cache;
    cache.setSchema(realSchema(u"ovn-nb.ovsschema"_s));
    QVERIFY(cache.schema().isValid());
    // name, addresses, port security, external ids
    const QList<std::tuple<QString, QString, bool, QJsonArray>> ports{
        {u"db-eth0"_s, u"52:54:00:00:00:02 10.0.0.5"_s, true, {}},
        {u"web-eth0"_s, u"52:54:00:00:00:01 10.0.0.5"_s, true, {}},
        {u"app-eth0"_s, u"52:54:00:00:00:03 10.9.0.7"_s, true, {}},
        {u"open-eth0"_s, u"52:54:00:00:00:04 10.0.0.9"_s, false, {}},
        {u"neu-eth0"_s, u"fa:16:3e:00:00:05 10.0.0.11"_s, false,
         QJsonArray{QJsonArray{u"neutron:device_owner"_s, u"compute:nova"_s}, QJsonArray{u"neutron:device_id"_s, uuidOf(u"neu"_s)}}},
        {u"dual-eth0"_s, u"52:54:00:00:00:06 10.0.0.12 fd00::12"_s, true, {}},
        {u"probe-front"_s, u"52:54:00:00:00:fa 10.0.0.250"_s, false, {}},
    };
    QJsonObject portRows;
    QJsonArray members;
    for (const auto &[name, addresses, security, ids] : ports) {
        // Every port is claimed by a chassis (up): the probe is not a port without VM.
        QJsonObject row{{u"name"_s, name}, {u"addresses"_s, addresses}, {u"external_ids"_s, QJsonArray{u"map"_s, ids}}, {u"up"_s, true}};
        if (security)
            row.insert(u"port_security"_s, addresses);
        portRows.insert(uuidOf(name), QJsonObject{{u"initial"_s, row}});
        members.append(QJsonArray{u"uuid"_s, uuidOf(name)});
    }
    const QJsonObject switchRow{{u"name"_s, u"front"_s},
                                {u"other_config"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"subnet"_s, u"10.0.0.0/24"_s}}}},
                                {u"ports"_s, QJsonArray{u"set"_s, members}}};
    OvsdbChangeSet changes;
    QString error;
    QVERIFY2(cache.apply(QJsonObject{{u"Logical_Switch"_s, QJsonObject{{uuidOf(u"front"_s), QJsonObject{{u"initial"_s, switchRow}}}}},
                                     {u"Logical_Switch_Port"_s, portRows}},
                         OvsdbCache::Format::Update2, &changes, &error),
             qPrintable(error));
    OvnNorthbound nb;
    nb.applyChanges(cache, changes);
    QCOMPARE(nb.portCount(), 7);

    Inventory inventory;
    loadInventory(inventory, {u"web|52:54:00:00:00:01|web-eth0|"_s, u"db|52:54:00:00:00:02|db-eth0|"_s, u"app|52:54:00:00:00:03|app-eth0|"_s,
                              u"open|52:54:00:00:00:04|open-eth0|"_s, u"neu|fa:16:3e:00:00:05|neu-eth0|"_s,
                              u"dual|52:54:00:00:00:06|dual-eth0|"_s});
    NetworkCorrelation correlation(&inventory, &nb);
    correlation.setEnabled(true);
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
    QCOMPARE(describe(correlation.mismatches()),
             (QStringList{u"address-outside-subnet:app-eth0:10.9.0.7/10.0.0.0/24"_s, u"duplicate-address:web-eth0=db-eth0@10.0.0.5"_s,
                          u"no-port-security:open/52:54:00:00:00:04"_s}));
    for (const NetworkMismatch &m : correlation.mismatches()) {
        QVERIFY(!NetworkCorrelation::describe(m).isEmpty());
        QVERIFY(!NetworkCorrelation::kindName(m.kind).isEmpty());
    }
    const auto withKind = [&](NetworkMismatch::Kind kind) {
        const QList<NetworkMismatch> all = correlation.mismatches();
        return *std::find_if(all.cbegin(), all.cend(), [kind](const NetworkMismatch &m) { return m.kind == kind; });
    };
    // Each names the VM and NIC it is about, for the panel's fixes.
    QCOMPARE(withKind(NetworkMismatch::Kind::DuplicateAddress).vm, (VmKey{Host, uuidOf(u"web"_s)}));
    QCOMPARE(withKind(NetworkMismatch::Kind::AddressOutsideSubnet).mac, u"52:54:00:00:00:03"_s);
}

void tst_NetworkCorrelation::bindingMismatchesWaitForTheGrace()
{
    Inventory inventory;
    loadNeutronFleet(inventory);
    Controller controller;
    QVERIFY(controller.load(true));
    NetworkCorrelation correlation(&inventory, &controller.nb, &controller.sb);
    correlation.setBindingGrace(300);
    correlation.setEnabled(true);
    correlation.setSouthboundEnabled(true);
    QTRY_VERIFY(!correlation.isPassing()); // a busy machine may slice even a small first pass
    // A migration moves the binding a moment after the VM: not reported at once...
    QCOMPARE(correlation.mismatchCount(), 3);
    // ...but once it lasts, without anything else changing.
    QSignalSpy added(&correlation, &NetworkCorrelation::mismatchAdded);
    QTRY_COMPARE(added.size(), 2);
    QCOMPARE(correlation.mismatchCount(), 5);
}

void tst_NetworkCorrelation::hugeStringsAreBounded()
{
    // A 50 MB switch name and external id cost what short ones do once mapped.
    Northbound controller;
    const QString huge(50 * 1024 * 1024, u'x');
    controller.apply(QJsonObject{{u"Logical_Switch"_s,
                                  QJsonObject{{uuidOf(u"big"_s),
                                               QJsonObject{{u"initial"_s,
                                                            QJsonObject{{u"name"_s, huge},
                                                                        {u"external_ids"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"neutron:network_name"_s, huge + u"\n<b>"_s}}}}}}}}}}});
    const OvnLogicalSwitch s = controller.nb.logicalSwitch(uuidOf(u"big"_s));
    QCOMPARE(s.name.size(), OvnText::MaxName);
    QVERIFY(s.name.endsWith(QChar(0x2026)));
    QVERIFY(s.displayName().size() <= OvnText::MaxValue);
    QVERIFY(!s.displayName().contains(u'\n'));
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
    QVERIFY(!row.contains(u"port_security"_s)); // a MAC-only port is not locked to an address

    // Given an address: the port states it, and port security lets only it through.
    const QJsonArray addressed = NetworkController::addPortOperations(s, u"6b1f-port"_s, u"52:54:00:aa:bb:cc"_s, u"web-9"_s,
                                                                      u"acme"_s, u"172.16.1.20"_s);
    const QJsonObject addressedRow = addressed.at(2).toObject().value(u"row"_s).toObject();
    QCOMPARE(QJsonDocument(addressedRow.value(u"addresses"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["set",["52:54:00:aa:bb:cc 172.16.1.20"]])"));
    QCOMPARE(QJsonDocument(addressedRow.value(u"port_security"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["set",["52:54:00:aa:bb:cc 172.16.1.20"]])"));
    QVERIFY(addressed.at(4).toObject().value(u"comment"_s).toString().contains(u"172.16.1.20"_s));
    QVERIFY(!addressedRow.contains(u"dhcpv4_options"_s)); // no DHCP_Options row given
    // With the switch's DHCP_Options row, OVN's DHCP answers the port with that address.
    const QString dhcp = uuidOf(u"front-dhcp"_s);
    const QJsonObject served = NetworkController::addPortOperations(s, u"6b1f-port"_s, u"52:54:00:aa:bb:cc"_s, u"web-9"_s,
                                                                    u"acme"_s, u"172.16.1.20"_s, dhcp)
                                   .at(2).toObject().value(u"row"_s).toObject();
    QCOMPARE(QJsonDocument(served.value(u"dhcpv4_options"_s).toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["uuid",")") + dhcp.toLatin1() + QByteArray(R"("])"));
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
