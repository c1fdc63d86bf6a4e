#include "hypervisor/domainxml.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

// What `virsh dumpxml` gives for a running OVS-attached guest, trimmed of devices we ignore.
const QByteArray RealisticDomain = R"(<domain type='kvm' id='7' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>web01</name>
  <uuid>4DEA22B3-1D52-D8F3-2516-782E98AB3FA0</uuid>
  <title>[acme] Public web front end</title>
  <description>
    Public web server.
    Owner: ops team
  </description>
  <metadata>
    <vigie:tenant xmlns:vigie="urn:x-vigie:1">acme</vigie:tenant>
    <app1:foo xmlns:app1="http://app1.org/app1/">..</app1:foo>
  </metadata>
  <memory unit='GiB'>4</memory>
  <currentMemory unit='MiB'>3072</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <resource><partition>/machine</partition></resource>
  <os>
    <type arch='x86_64' machine='pc-q35-9.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode='host-passthrough' check='none' migratable='on'/>
  <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/var/lib/libvirt/images/web01.qcow2' index='2'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <disk type='volume' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source pool='isos' volume='debian-13.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <controller type='usb' index='0' model='qemu-xhci'/>
    <interface type='network'>
      <mac address='52:54:00:AB:CD:01'/>
      <source network='ovs-prod' portgroup='vlan-100' portid='9a1e4d8c-52a3-4a57-9e0e-0c6e3b9b2f11' bridge='br-prod'/>
      <vlan>
        <tag id='100'/>
      </vlan>
      <virtualport type='openvswitch'>
        <parameters interfaceid='0b5c1f2e-2f0a-4d8e-9a57-3c1f9d2e7a11'/>
      </virtualport>
      <target dev='vnet12'/>
      <model type='virtio'/>
      <alias name='net0'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:ab:cd:02'/>
      <source bridge='br-storage' portgroup='storage'/>
      <vlan trunk='yes'>
        <tag id='200'/>
        <tag id='100' nativeMode='untagged'/>
      </vlan>
      <virtualport type='openvswitch'>
        <parameters interfaceid='6f0c3c2a-8d0e-4b7a-b1a4-2b5e8e9c0d22'/>
      </virtualport>
      <target dev='vnet13'/>
      <model type='e1000e'/>
    </interface>
    <serial type='pty'><target type='isa-serial' port='0'><model name='isa-serial'/></target></serial>
  </devices>
  <seclabel type='dynamic' model='dac' relabel='yes'><label>+64055:+64055</label></seclabel>
  <qemu:commandline>
    <qemu:arg value='-name'/>
  </qemu:commandline>
</domain>
)";

constexpr char Uuid[] = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";

// A minimal valid domain with `before` ahead of its name, so that an impostor element placed
// there would win if the parser were confused, and `after` behind its uuid.
QByteArray domainXml(const QByteArray &before, const QByteArray &after = {})
{
    return "<domain type='kvm'>" + before + "<name>web01</name><uuid>" + Uuid + "</uuid>" + after
           + "</domain>";
}

QByteArray nics(int count)
{
    QByteArray devices = "<devices>";
    for (int i = 0; i < count; ++i) {
        devices += "<interface type='network'><mac address='52:54:00:00:"
                   + QByteArray::number(i / 256, 16).rightJustified(2, '0') + ':'
                   + QByteArray::number(i % 256, 16).rightJustified(2, '0')
                   + "'/><source network='default'/></interface>";
    }
    return devices + "</devices>";
}

QByteArray disks(int count)
{
    QByteArray devices = "<devices>";
    for (int i = 0; i < count; ++i) {
        devices += "<disk type='file' device='disk'><source file='/images/d" + QByteArray::number(i)
                   + ".qcow2'/><target dev='vd" + QByteArray::number(i) + "'/></disk>";
    }
    return devices + "</devices>";
}

QByteArray nested(int depth)
{
    return QByteArray("<a>").repeated(depth) + QByteArray("</a>").repeated(depth);
}

QString joined(const QList<int> &tags)
{
    QStringList parts;
    for (int tag : tags)
        parts.append(QString::number(tag));
    return parts.join(u',');
}

// One field of a VmInfo by a short key ("name", "nic1.portgroup", "disk0.source"), so that a
// table row can name what it checks.
QString fieldOf(const VmInfo &vm, const QString &key)
{
    if (key == u"name") return vm.name;
    if (key == u"uuid") return vm.uuid;
    if (key == u"title") return vm.title;
    if (key == u"description") return vm.description;
    if (key == u"tenant") return vm.tenant;
    if (key == u"osType") return vm.osType;
    if (key == u"vcpus") return QString::number(vm.vcpus);
    if (key == u"memoryKiB") return QString::number(vm.memoryKiB);
    if (key == u"maxMemoryKiB") return QString::number(vm.maxMemoryKiB);
    if (key == u"nics") return QString::number(vm.nics.size());
    if (key == u"disks") return QString::number(vm.disks.size());
    if (key == u"vlanTags") return joined(vm.vlanTags());

    const qsizetype dot = key.indexOf(u'.');
    const QString field = key.mid(dot + 1);
    if (key.startsWith(u"nic")) {
        const int index = key.mid(3, dot - 3).toInt();
        if (index >= vm.nics.size())
            return u"<no NIC %1>"_s.arg(index);
        const NicInfo &nic = vm.nics.at(index);
        if (field == u"mac") return nic.mac;
        if (field == u"sourceType") return nic.sourceType;
        if (field == u"source") return nic.source;
        if (field == u"portgroup") return nic.portgroup;
        if (field == u"vlanTags") return joined(nic.vlanTags);
        if (field == u"interfaceId") return nic.interfaceId;
        if (field == u"model") return nic.model;
        if (field == u"target") return nic.target;
    } else if (key.startsWith(u"disk")) {
        const int index = key.mid(4, dot - 4).toInt();
        if (index >= vm.disks.size())
            return u"<no disk %1>"_s.arg(index);
        const DiskInfo &disk = vm.disks.at(index);
        if (field == u"device") return disk.device;
        if (field == u"target") return disk.target;
        if (field == u"source") return disk.source;
        if (field == u"format") return disk.format;
    }
    return u"<unknown field %1>"_s.arg(key);
}

} // namespace

class TestDomainXml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realisticDomain_data();
    void realisticDomain();
    void memoryUnits_data();
    void memoryUnits();
    void currentMemory_data();
    void currentMemory();
    void vcpus_data();
    void vcpus();
    void tenant_data();
    void tenant();
    void tags_data();
    void tags();
    void os_data();
    void os();
    void osDisplayName_data();
    void osDisplayName();
    void cleanedText_data();
    void cleanedText();
    void deviceLimits_data();
    void deviceLimits();
    void depthLimit_data();
    void depthLimit();
    void rejected_data();
    void rejected();
    void externalEntityIsNeverRead();
    void warningsAreBounded();
    void states_data();
    void states();
};

void TestDomainXml::realisticDomain_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    QTest::newRow("name") << u"name"_s << u"web01"_s;
    QTest::newRow("uuid is lower-cased") << u"uuid"_s << QString::fromLatin1(Uuid);
    QTest::newRow("title") << u"title"_s << u"[acme] Public web front end"_s;
    QTest::newRow("description keeps its lines")
        << u"description"_s << u"Public web server.\n    Owner: ops team"_s;
    QTest::newRow("tenant from vigie metadata") << u"tenant"_s << u"acme"_s;
    QTest::newRow("os type") << u"osType"_s << u"hvm"_s;
    QTest::newRow("current vcpus win") << u"vcpus"_s << u"2"_s;
    QTest::newRow("max memory 4 GiB") << u"maxMemoryKiB"_s << u"4194304"_s;
    QTest::newRow("current memory 3072 MiB") << u"memoryKiB"_s << u"3145728"_s;
    QTest::newRow("two NICs") << u"nics"_s << u"2"_s;
    QTest::newRow("nic0 mac lower-cased") << u"nic0.mac"_s << u"52:54:00:ab:cd:01"_s;
    QTest::newRow("nic0 type") << u"nic0.sourceType"_s << u"network"_s;
    QTest::newRow("nic0 network wins over bridge") << u"nic0.source"_s << u"ovs-prod"_s;
    QTest::newRow("nic0 portgroup") << u"nic0.portgroup"_s << u"vlan-100"_s;
    QTest::newRow("nic0 vlan") << u"nic0.vlanTags"_s << u"100"_s;
    QTest::newRow("nic0 interfaceid")
        << u"nic0.interfaceId"_s << u"0b5c1f2e-2f0a-4d8e-9a57-3c1f9d2e7a11"_s;
    QTest::newRow("nic0 model") << u"nic0.model"_s << u"virtio"_s;
    QTest::newRow("nic0 target") << u"nic0.target"_s << u"vnet12"_s;
    QTest::newRow("nic1 type") << u"nic1.sourceType"_s << u"bridge"_s;
    QTest::newRow("nic1 bridge") << u"nic1.source"_s << u"br-storage"_s;
    QTest::newRow("nic1 portgroup") << u"nic1.portgroup"_s << u"storage"_s;
    QTest::newRow("nic1 trunk keeps tag order") << u"nic1.vlanTags"_s << u"200,100"_s;
    QTest::newRow("nic1 interfaceid")
        << u"nic1.interfaceId"_s << u"6f0c3c2a-8d0e-4b7a-b1a4-2b5e8e9c0d22"_s;
    QTest::newRow("nic1 model") << u"nic1.model"_s << u"e1000e"_s;
    QTest::newRow("vm vlans sorted and unique") << u"vlanTags"_s << u"100,200"_s;
    QTest::newRow("two disks") << u"disks"_s << u"2"_s;
    QTest::newRow("disk0 device") << u"disk0.device"_s << u"disk"_s;
    QTest::newRow("disk0 target") << u"disk0.target"_s << u"vda"_s;
    QTest::newRow("disk0 file") << u"disk0.source"_s << u"/var/lib/libvirt/images/web01.qcow2"_s;
    QTest::newRow("disk0 format") << u"disk0.format"_s << u"qcow2"_s;
    QTest::newRow("disk1 cdrom") << u"disk1.device"_s << u"cdrom"_s;
    QTest::newRow("disk1 pool/volume") << u"disk1.source"_s << u"isos/debian-13.iso"_s;
    QTest::newRow("disk1 format") << u"disk1.format"_s << u"raw"_s;
    QTest::newRow("disk1 target") << u"disk1.target"_s << u"sda"_s;
}

void TestDomainXml::realisticDomain()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);

    const DomainXml::Result result = DomainXml::parse(RealisticDomain);
    QVERIFY2(result.vm, qPrintable(result.error));
    QVERIFY(result.error.isEmpty());
    QCOMPARE(fieldOf(*result.vm, key), expected);
    // Nothing in a well-formed libvirt document deserves a warning; state is the caller's.
    QCOMPARE(result.vm->warnings, QStringList());
    QCOMPARE(result.vm->state, VmState::NoState);
    QVERIFY(result.vm->hostUri.isEmpty());
}

void TestDomainXml::memoryUnits_data()
{
    QTest::addColumn<QByteArray>("memory");
    QTest::addColumn<quint64>("expectedKiB");
    QTest::addColumn<QStringList>("warnings");

    const auto row = [](const char *name, const QByteArray &memory, quint64 kib,
                        const QStringList &warnings = {}) {
        QTest::newRow(name) << memory << kib << warnings;
    };
    row("no unit is KiB", "<memory>1024</memory>", 1024);
    row("b", "<memory unit='b'>1048576</memory>", 1024);
    row("bytes rounded up", "<memory unit='bytes'>1025</memory>", 2);
    row("k", "<memory unit='k'>8</memory>", 8);
    row("KiB", "<memory unit='KiB'>8</memory>", 8);
    row("KB is 1000 bytes", "<memory unit='KB'>1024</memory>", 1000);
    row("KB rounded up", "<memory unit='KB'>1</memory>", 1);
    row("M", "<memory unit='M'>2</memory>", 2048);
    row("MiB", "<memory unit='MiB'>2</memory>", 2048);
    row("MB", "<memory unit='MB'>1</memory>", 977); // 976.5625
    row("G", "<memory unit='G'>1</memory>", 1048576);
    row("GiB", "<memory unit='GiB'>4</memory>", 4194304);
    row("GB", "<memory unit='GB'>1</memory>", 976563); // 976562.5
    row("T", "<memory unit='T'>1</memory>", 1073741824);
    row("TiB", "<memory unit='TiB'>2</memory>", 2147483648);
    row("TB", "<memory unit='TB'>1</memory>", 976562500);
    row("PiB", "<memory unit='PiB'>1</memory>", 1099511627776);
    row("E", "<memory unit='E'>1</memory>", 1125899906842624);
    row("case-insensitive like libvirt", "<memory unit='gib'>1</memory>", 1048576);
    row("blanks around value", "<memory unit='MiB'>\n  512\n</memory>", 524288);
    row("zero", "<memory unit='GiB'>0</memory>", 0);
    row("16 EiB overflows", "<memory unit='EiB'>16</memory>", 0,
        {u"<memory> value 16 EiB is too large, shown as 0"_s});
    row("max KiB overflows in bytes", "<memory>18446744073709551615</memory>", 0,
        {u"<memory> value 18446744073709551615 KiB is too large, shown as 0"_s});
    row("unknown unit", "<memory unit='furlongs'>1</memory>", 0,
        {u"<memory> has an unknown unit \"furlongs\", shown as 0"_s});
    row("Mi is not a unit", "<memory unit='Mi'>1</memory>", 0,
        {u"<memory> has an unknown unit \"Mi\", shown as 0"_s});
    row("negative", "<memory unit='KiB'>-1</memory>", 0,
        {u"<memory> has an invalid value \"-1\", shown as 0"_s});
    row("plus sign", "<memory>+5</memory>", 0, {u"<memory> has an invalid value \"+5\", shown as 0"_s});
    row("not a number", "<memory>abc</memory>", 0,
        {u"<memory> has an invalid value \"abc\", shown as 0"_s});
    row("trailing junk", "<memory>12abc</memory>", 0,
        {u"<memory> has an invalid value \"12abc\", shown as 0"_s});
    row("hex", "<memory>0x10</memory>", 0, {u"<memory> has an invalid value \"0x10\", shown as 0"_s});
    row("more than 64 bits", "<memory>99999999999999999999999</memory>", 0,
        {u"<memory> has an invalid value \"99999999999999999999999\", shown as 0"_s});
    row("empty", "<memory unit='KiB'/>", 0, {u"<memory> has an invalid value \"\", shown as 0"_s});
}

void TestDomainXml::memoryUnits()
{
    QFETCH(QByteArray, memory);
    QFETCH(quint64, expectedKiB);
    QFETCH(QStringList, warnings);

    const DomainXml::Result result = DomainXml::parse(domainXml({}, memory));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->maxMemoryKiB, expectedKiB);
    QCOMPARE(result.vm->memoryKiB, expectedKiB); // no <currentMemory>: falls back to <memory>
    QCOMPARE(result.vm->warnings, warnings);
}

void TestDomainXml::currentMemory_data()
{
    QTest::addColumn<QByteArray>("elements");
    QTest::addColumn<quint64>("memoryKiB");
    QTest::addColumn<quint64>("maxMemoryKiB");

    QTest::newRow("neither") << QByteArray() << quint64(0) << quint64(0);
    QTest::newRow("memory only") << QByteArray("<memory unit='MiB'>1024</memory>")
                                 << quint64(1048576) << quint64(1048576);
    QTest::newRow("both, ballooned down")
        << QByteArray("<memory unit='GiB'>8</memory><currentMemory unit='GiB'>2</currentMemory>")
        << quint64(2097152) << quint64(8388608);
    QTest::newRow("both, units differ")
        << QByteArray("<currentMemory unit='KB'>2048000</currentMemory><memory unit='MB'>4096</memory>")
        << quint64(2000000) << quint64(4000000);
    QTest::newRow("current memory only")
        << QByteArray("<currentMemory>512</currentMemory>") << quint64(512) << quint64(0);
}

void TestDomainXml::currentMemory()
{
    QFETCH(QByteArray, elements);
    QFETCH(quint64, memoryKiB);
    QFETCH(quint64, maxMemoryKiB);

    const DomainXml::Result result = DomainXml::parse(domainXml({}, elements));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->memoryKiB, memoryKiB);
    QCOMPARE(result.vm->maxMemoryKiB, maxMemoryKiB);
    QCOMPARE(result.vm->warnings, QStringList());
}

void TestDomainXml::vcpus_data()
{
    QTest::addColumn<QByteArray>("vcpu");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QStringList>("warnings");

    QTest::newRow("missing") << QByteArray() << 0 << QStringList();
    QTest::newRow("plain") << QByteArray("<vcpu>4</vcpu>") << 4 << QStringList();
    QTest::newRow("blanks") << QByteArray("<vcpu> 16 </vcpu>") << 16 << QStringList();
    QTest::newRow("current wins") << QByteArray("<vcpu placement='static' current='2'>4</vcpu>") << 2
                                  << QStringList();
    QTest::newRow("current with blanks") << QByteArray("<vcpu current=' 3 '>8</vcpu>") << 3
                                         << QStringList();
    QTest::newRow("not a number") << QByteArray("<vcpu>abc</vcpu>") << 0
                                  << QStringList{u"invalid vCPU count \"abc\", shown as 0"_s};
    QTest::newRow("negative") << QByteArray("<vcpu>-3</vcpu>") << 0
                              << QStringList{u"invalid vCPU count \"-3\", shown as 0"_s};
    QTest::newRow("beyond int") << QByteArray("<vcpu>99999999999</vcpu>") << 0
                                << QStringList{u"invalid vCPU count \"99999999999\", shown as 0"_s};
    QTest::newRow("empty") << QByteArray("<vcpu/>") << 0
                           << QStringList{u"invalid vCPU count \"\", shown as 0"_s};
    QTest::newRow("bad current falls back") << QByteArray("<vcpu current='x'>8</vcpu>") << 8
                                            << QStringList{u"invalid current vCPU count \"x\" ignored"_s};
    QTest::newRow("negative current falls back")
        << QByteArray("<vcpu current='-1'>8</vcpu>") << 8
        << QStringList{u"invalid current vCPU count \"-1\" ignored"_s};
    QTest::newRow("both bad")
        << QByteArray("<vcpu current='x'>y</vcpu>") << 0
        << QStringList{u"invalid current vCPU count \"x\" ignored"_s, u"invalid vCPU count \"y\", shown as 0"_s};
}

void TestDomainXml::vcpus()
{
    QFETCH(QByteArray, vcpu);
    QFETCH(int, expected);
    QFETCH(QStringList, warnings);

    const DomainXml::Result result = DomainXml::parse(domainXml({}, vcpu));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->vcpus, expected);
    QCOMPARE(result.vm->warnings, warnings);
}

void TestDomainXml::tenant_data()
{
    QTest::addColumn<QByteArray>("before"); // placed ahead of the domain's own <name>
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QStringList>("warnings");

    const QByteArray vigie = "<vigie:tenant xmlns:vigie='urn:x-vigie:1'>acme</vigie:tenant>";
    const QByteArray nova10 = "<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.0'>"
                              "<nova:name>web01</nova:name><nova:owner>"
                              "<nova:user uuid='u-1'>alice</nova:user>"
                              "<nova:project uuid='3f2a9c1e'>globex</nova:project>"
                              "</nova:owner></nova:instance>";
    const auto metadata = [](const QByteArray &inside) { return "<metadata>" + inside + "</metadata>"; };

    QTest::newRow("vigie metadata") << metadata(vigie) << u"acme"_s << QStringList();
    QTest::newRow("vigie, default namespace")
        << metadata("<tenant xmlns='urn:x-vigie:1'> initech </tenant>") << u"initech"_s << QStringList();
    QTest::newRow("vigie wins over nova and title")
        << metadata(nova10 + vigie) + "<title>[hooli] x</title>" << u"acme"_s << QStringList();
    QTest::newRow("empty vigie falls back to nova")
        << metadata("<vigie:tenant xmlns:vigie='urn:x-vigie:1'> </vigie:tenant>" + nova10)
        << u"globex"_s << QStringList();
    QTest::newRow("other vigie version ignored")
        << metadata("<v:tenant xmlns:v='urn:x-vigie:2'>acme</v:tenant>") << QString() << QStringList();
    QTest::newRow("tenant without namespace ignored")
        << metadata("<tenant>acme</tenant>") << QString() << QStringList();
    QTest::newRow("nova 1.0 project name") << metadata(nova10) << u"globex"_s << QStringList();
    QTest::newRow("nova 1.1 project name")
        << metadata("<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'><nova:owner>"
                    "<nova:project uuid='9d0c'>umbrella</nova:project></nova:owner></nova:instance>")
        << u"umbrella"_s << QStringList();
    QTest::newRow("nova project uuid when name empty")
        << metadata("<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.0'><nova:owner>"
                    "<nova:project uuid='3f2a9c1e'/></nova:owner></nova:instance>")
        << u"3f2a9c1e"_s << QStringList();
    QTest::newRow("nova project outside owner ignored")
        << metadata("<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.0'>"
                    "<nova:project>globex</nova:project></nova:instance>")
        << QString() << QStringList();
    QTest::newRow("nova wins over title") << metadata(nova10) + "<title>[hooli] x</title>" << u"globex"_s
                                          << QStringList();
    QTest::newRow("title prefix") << QByteArray("<title>[hooli] Search box</title>") << u"hooli"_s
                                  << QStringList();
    QTest::newRow("title prefix trimmed") << QByteArray("<title>[ hooli ] x</title>") << u"hooli"_s
                                          << QStringList();
    QTest::newRow("title without prefix") << QByteArray("<title>hooli search</title>") << QString()
                                          << QStringList();
    QTest::newRow("title with empty brackets") << QByteArray("<title>[] x</title>") << QString()
                                               << QStringList();
    QTest::newRow("title bracket not closed") << QByteArray("<title>[hooli x</title>") << QString()
                                              << QStringList();
    QTest::newRow("title bracket not first") << QByteArray("<title>web [hooli]</title>") << QString()
                                             << QStringList();
    QTest::newRow("none") << QByteArray() << QString() << QStringList();
    QTest::newRow("vigie tenant cleaned")
        << metadata(QByteArray("<vigie:tenant xmlns:vigie='urn:x-vigie:1'>ac\xc2\x85me</vigie:tenant>")) << u"acme"_s
        << QStringList{u"tenant: control characters removed"_s};
    QTest::newRow("vigie tenant truncated")
        << metadata("<vigie:tenant xmlns:vigie='urn:x-vigie:1'>" + QByteArray(5000, 't') + "</vigie:tenant>")
        << QString(1024, u't') << QStringList{u"tenant truncated to 1024 characters"_s};
    // Elements of other applications must never be taken for the domain's own.
    QTest::newRow("foreign prefixed <name> in metadata")
        << metadata("<evil:name xmlns:evil='urn:evil'>impostor</evil:name>") << QString() << QStringList();
    QTest::newRow("foreign default-namespace <name> in metadata")
        << metadata("<name xmlns='urn:evil'>impostor</name><uuid xmlns='urn:evil'>0</uuid>") << QString()
        << QStringList();
    QTest::newRow("un-namespaced <name> nested in metadata")
        << metadata("<x:app xmlns:x='urn:x'><name>impostor</name><title>[evil] t</title></x:app>")
        << QString() << QStringList();
    QTest::newRow("foreign <name> beside the domain's")
        << QByteArray("<name xmlns='urn:evil'>impostor</name><e:uuid xmlns:e='urn:e'>x</e:uuid>")
        << QString() << QStringList();
}

void TestDomainXml::tags_data()
{
    QTest::addColumn<QByteArray>("metadata"); // inside <metadata>
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<int>("warnings");

    const auto tags = [](const QByteArray &inside) {
        return "<vigietags:tags xmlns:vigietags='urn:x-vigie:tags:1'>" + inside + "</vigietags:tags>";
    };
    QTest::newRow("none") << QByteArray() << QStringList() << 0;
    QTest::newRow("two, sorted") << tags("<vigietags:tag>web</vigietags:tag><vigietags:tag>db</vigietags:tag>")
                                 << QStringList{u"db"_s, u"web"_s} << 0;
    QTest::newRow("default namespace, as libvirt may write it")
        << QByteArray("<tags xmlns='urn:x-vigie:tags:1'><tag>prod</tag></tags>") << QStringList{u"prod"_s} << 0;
    QTest::newRow("beside the tenant")
        << "<vigie:tenant xmlns:vigie='urn:x-vigie:1'>acme</vigie:tenant>" + tags("<vigietags:tag>web</vigietags:tag>")
        << QStringList{u"web"_s} << 0;
    QTest::newRow("lower case, trimmed, unique")
        << tags("<vigietags:tag> Web </vigietags:tag><vigietags:tag>WEB</vigietags:tag>") << QStringList{u"web"_s} << 0;
    QTest::newRow("unicode letters") << tags("<vigietags:tag>sécurité</vigietags:tag>") << QStringList{u"sécurité"_s} << 0;
    QTest::newRow("bad characters dropped, reported")
        << tags("<vigietags:tag>a b</vigietags:tag><vigietags:tag>&lt;b&gt;</vigietags:tag><vigietags:tag>ok</vigietags:tag>")
        << QStringList{u"ok"_s} << 2;
    QTest::newRow("too long dropped") << tags("<vigietags:tag>" + QByteArray(5000, 'x') + "</vigietags:tag>")
                                      << QStringList() << 1;
    QTest::newRow("empty dropped") << tags("<vigietags:tag/>") << QStringList() << 1;
    QByteArray many;
    for (int i = 0; i < 40; ++i)
        many += "<vigietags:tag>t" + QByteArray::number(100 + i) + "</vigietags:tag>";
    QStringList first32;
    for (int i = 0; i < 32; ++i)
        first32.append(u"t%1"_s.arg(100 + i));
    QTest::newRow("at most 32") << tags(many) << first32 << 8;
    QTest::newRow("another namespace's tags ignored")
        << QByteArray("<x:tags xmlns:x='urn:other'><x:tag>web</x:tag></x:tags>") << QStringList() << 0;
    QTest::newRow("tag outside the tags element ignored")
        << QByteArray("<vigietags:tag xmlns:vigietags='urn:x-vigie:tags:1'>web</vigietags:tag>") << QStringList() << 0;
}

void TestDomainXml::tags()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QStringList, tags);
    QFETCH(int, warnings);

    const DomainXml::Result result = DomainXml::parse(domainXml("<metadata>" + metadata + "</metadata>"));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->tags, tags);
    QCOMPARE(result.vm->warnings.size(), warnings);
}

void TestDomainXml::os_data()
{
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QString>("osId");
    QTest::addColumn<int>("warnings");

    // As virt-install and virt-manager write it.
    const auto libosinfo = [](const QByteArray &inside) {
        return "<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>" + inside
            + "</libosinfo:libosinfo>";
    };
    QTest::newRow("virt-install") << libosinfo("<libosinfo:os id='http://debian.org/debian/12'/>")
                                  << u"http://debian.org/debian/12"_s << 0;
    QTest::newRow("beside nova's") << "<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>"
                                      "<nova:name>web01</nova:name></nova:instance>"
                                          + libosinfo("<libosinfo:os id='http://ubuntu.com/ubuntu/24.04'/>")
                                   << u"http://ubuntu.com/ubuntu/24.04"_s << 0;
    QTest::newRow("first of two") << libosinfo("<libosinfo:os id='http://a.org/a/1'/><libosinfo:os id='http://b.org/b/2'/>")
                                  << u"http://a.org/a/1"_s << 0;
    QTest::newRow("none") << QByteArray("<other xmlns='urn:x'/>") << QString() << 0;
    QTest::newRow("os without its libosinfo parent ignored")
        << QByteArray("<libosinfo:os xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0' id='http://x.org/x/1'/>")
        << QString() << 0;
    QTest::newRow("other namespace ignored") << QByteArray("<l:libosinfo xmlns:l='urn:x'><l:os id='http://debian.org/debian/12'/></l:libosinfo>")
                                             << QString() << 0;
    QTest::newRow("control characters cleaned") << libosinfo("<libosinfo:os id='http://debian.org/debian/12&#x9b;31m'/>")
                                                << u"http://debian.org/debian/1231m"_s << 1;
}

void TestDomainXml::os()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QString, osId);
    QFETCH(int, warnings);

    const DomainXml::Result result = DomainXml::parse(domainXml("<metadata>" + metadata + "</metadata>"));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->osId, osId);
    QCOMPARE(result.vm->warnings.size(), warnings);
}

void TestDomainXml::osDisplayName_data()
{
    QTest::addColumn<QString>("osId");
    QTest::addColumn<QString>("shown");

    QTest::newRow("debian") << u"http://debian.org/debian/12"_s << u"Debian 12"_s;
    QTest::newRow("rocky") << u"http://rockylinux.org/rocky/9"_s << u"Rocky Linux 9"_s;
    QTest::newRow("rhel") << u"http://redhat.com/rhel/9.4"_s << u"RHEL 9.4"_s;
    QTest::newRow("windows server") << u"http://microsoft.com/win/2k22"_s << u"Windows 2k22"_s;
    QTest::newRow("centos stream, not centos") << u"http://centos.org/centos-stream/9"_s << u"CentOS Stream 9"_s;
    QTest::newRow("https") << u"https://ubuntu.com/ubuntu/24.04"_s << u"Ubuntu 24.04"_s;
    QTest::newRow("unknown vendor") << u"http://example.org/examplix/3.1"_s << u"examplix 3.1"_s;
    QTest::newRow("family without version") << u"http://debian.org/debian/"_s << u"Debian"_s;
    QTest::newRow("not a url") << u"debian12"_s << u"debian12"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestDomainXml::osDisplayName()
{
    QFETCH(QString, osId);
    QFETCH(QString, shown);
    QCOMPARE(Vigie::osDisplayName(osId), shown);
}

void TestDomainXml::tenant()
{
    QFETCH(QByteArray, before);
    QFETCH(QString, tenant);
    QFETCH(QStringList, warnings);

    const DomainXml::Result result = DomainXml::parse(domainXml(before));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->tenant, tenant);
    QCOMPARE(result.vm->name, u"web01"_s);
    QCOMPARE(result.vm->uuid, QString::fromLatin1(Uuid));
    QCOMPARE(result.vm->warnings, warnings);
}

void TestDomainXml::cleanedText_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("warnings");

    const QByteArray uuid = QByteArray("<uuid>") + Uuid + "</uuid>";
    const auto named = [&uuid](const QByteArray &nameElement, const QByteArray &rest = {}) {
        return "<domain type='kvm'>" + nameElement + uuid + rest + "</domain>";
    };
    const auto nic = [](const QByteArray &inside) {
        return domainXml({}, "<devices><interface type='network'>" + inside + "</interface></devices>");
    };
    const auto disk = [](const QByteArray &inside) {
        return domainXml({}, "<devices><disk type='file' device='disk'>" + inside + "</disk></devices>");
    };
    const QStringList none;

    QTest::newRow("tab in name") << named("<name>web\t01</name>") << u"name"_s << u"web01"_s
                                 << QStringList{u"name: control characters removed"_s};
    QTest::newRow("newline in title") << domainXml({}, "<title>line1\nline2</title>") << u"title"_s
                                      << u"line1line2"_s
                                      << QStringList{u"title: control characters removed"_s};
    QTest::newRow("C1 NEL in name") << named("<name>web\xc2\x85" "01</name>") << u"name"_s << u"web01"_s
                                    << QStringList{u"name: control characters removed"_s};
    QTest::newRow("C1 CSI escape by reference")
        << named("<name>web&#x9b;31m01</name>") << u"name"_s << u"web31m01"_s
        << QStringList{u"name: control characters removed"_s};
    QTest::newRow("DEL in name") << named("<name>web\x7f" "01</name>") << u"name"_s << u"web01"_s
                                 << QStringList{u"name: control characters removed"_s};
    QTest::newRow("carriage return by reference")
        << named("<name>web&#13;01</name>") << u"name"_s << u"web01"_s
        << QStringList{u"name: control characters removed"_s};
    QTest::newRow("control characters and truncation both reported")
        << named("<name>\tn\t" + QByteArray(2000, 'n') + "\t</name>") << u"name"_s << QString(1024, u'n')
        << QStringList{u"name: control characters removed"_s, u"name truncated to 1024 characters"_s};
    QTest::newRow("U+FFFD stays") << named("<name>web\xef\xbf\xbd" "01</name>") << u"name"_s
                                  << u"web\uFFFD01"_s << none;
    QTest::newRow("pretty-printing trimmed silently") << named("<name>\n    web01\n  </name>") << u"name"_s
                                                      << u"web01"_s << none;
    QTest::newRow("non-ASCII kept") << named("<name>serveur-\xc3\xa9t\xc3\xa9-\xe4\xb8\xad</name>")
                                    << u"name"_s << u"serveur-\u00e9t\u00e9-\u4e2d"_s << none;
    QTest::newRow("predefined entities") << named("<name>a&amp;b&lt;c&gt;&quot;&apos;</name>")
                                         << u"name"_s << u"a&b<c>\"'"_s << none;
    QTest::newRow("character references") << named("<name>&#x77;&#101;b01</name>") << u"name"_s
                                          << u"web01"_s << none;
    QTest::newRow("CDATA") << named("<name><![CDATA[<web01>]]></name>") << u"name"_s << u"<web01>"_s
                           << none;
    QTest::newRow("child elements in name skipped") << named("<name>web<b>evil</b>01</name>") << u"name"_s
                                                    << u"web01"_s << none;
    QTest::newRow("huge name (100 KiB)") << named("<name>" + QByteArray(100 * 1024, 'x') + "</name>")
                                         << u"name"_s << QString(1024, u'x')
                                         << QStringList{u"name truncated to 1024 characters"_s};
    QTest::newRow("truncation keeps surrogate pairs whole")
        << named("<name>" + QByteArray(1023, 'a') + "\xf0\x9f\x98\x80" "b</name>") << u"name"_s
        << QString(1023, u'a') << QStringList{u"name truncated to 1024 characters"_s};
    QTest::newRow("description keeps lines and tabs")
        << domainXml({}, "<description>\n  first\n\tsecond\n</description>") << u"description"_s
        << u"first\n\tsecond"_s << none;
    QTest::newRow("description loses C1") << domainXml({}, "<description>a\xc2\x9b" "b</description>")
                                          << u"description"_s << u"ab"_s
                                          << QStringList{u"description: control characters removed"_s};
    QTest::newRow("description of 4000 kept") << domainXml({}, "<description>" + QByteArray(4000, 'd') + "</description>")
                                              << u"description"_s << QString(4000, u'd') << none;
    QTest::newRow("description of 5000 truncated")
        << domainXml({}, "<description>" + QByteArray(5000, 'd') + "</description>") << u"description"_s
        << QString(4096, u'd') << QStringList{u"description truncated to 4096 characters"_s};
    QTest::newRow("title of 2000 truncated") << domainXml({}, "<title>" + QByteArray(2000, 't') + "</title>")
                                             << u"title"_s << QString(1024, u't')
                                             << QStringList{u"title truncated to 1024 characters"_s};
    QTest::newRow("uuid upper-case without dashes")
        << QByteArray("<domain><name>web01</name><uuid> 4DEA22B31D52D8F32516782E98AB3FA0 </uuid></domain>")
        << u"uuid"_s << QString::fromLatin1(Uuid) << none;
    QTest::newRow("duplicate name: first wins")
        << named("<name>web01</name>", "<name>impostor</name>") << u"name"_s << u"web01"_s
        << QStringList{u"duplicate <name> ignored"_s};
    QTest::newRow("duplicate uuid: first wins")
        << domainXml({}, "<uuid>00000000-0000-0000-0000-000000000000</uuid>") << u"uuid"_s
        << QString::fromLatin1(Uuid) << QStringList{u"duplicate <uuid> ignored"_s};
    QTest::newRow("os type cleaned") << domainXml({}, "<os><type>h\xc2\x85vm</type></os>") << u"osType"_s
                                     << u"hvm"_s << QStringList{u"OS type: control characters removed"_s};
    QTest::newRow("MAC lower-cased and cleaned")
        << nic("<mac address='52:54:00:AB:\xc2\x85" "CD:EF'/>") << u"nic0.mac"_s << u"52:54:00:ab:cd:ef"_s
        << QStringList{u"NIC 1 MAC address: control characters removed"_s};
    QTest::newRow("NIC source cleaned") << nic("<source network='de&#x9;fault'/>") << u"nic0.source"_s
                                        << u"default"_s
                                        << QStringList{u"NIC 1 source: control characters removed"_s};
    QTest::newRow("direct NIC uses dev") << nic("<source dev='eth0' mode='vepa'/>") << u"nic0.source"_s
                                         << u"eth0"_s << none;
    QTest::newRow("NIC without source") << nic("<mac address='52:54:00:00:00:01'/>") << u"nic0.source"_s
                                        << QString() << none;
    QTest::newRow("VLAN tag out of range dropped")
        << nic("<vlan trunk='yes'><tag id='5000'/><tag id='10'/><tag id='-1'/><tag id='x'/></vlan>")
        << u"nic0.vlanTags"_s << u"10"_s
        << QStringList{u"NIC 1 VLAN: invalid tag \"5000\" ignored"_s, u"NIC 1 VLAN: invalid tag \"-1\" ignored"_s,
                       u"NIC 1 VLAN: invalid tag \"x\" ignored"_s};
    QTest::newRow("VLAN tag 0 and 4095 kept") << nic("<vlan trunk='yes'><tag id='0'/><tag id='4095'/></vlan>")
                                              << u"nic0.vlanTags"_s << u"0,4095"_s << none;
    QTest::newRow("huge disk path truncated")
        << disk("<source file='/" + QByteArray(3000, 'p') + "'/>") << u"disk0.source"_s
        << u"/"_s + QString(1023, u'p') << QStringList{u"disk 1 source truncated to 1024 characters"_s};
    QTest::newRow("block disk uses dev") << disk("<source dev='/dev/vg0/web01'/>") << u"disk0.source"_s
                                         << u"/dev/vg0/web01"_s << none;
    QTest::newRow("network disk uses name")
        << disk("<source protocol='rbd' name='rbd-pool/web01'><host name='ceph1' port='6789'/></source>")
        << u"disk0.source"_s << u"rbd-pool/web01"_s << none;
    QTest::newRow("disk device defaults to disk") << domainXml({}, "<devices><disk type='file'/></devices>")
                                                  << u"disk0.device"_s << u"disk"_s << none;
    QTest::newRow("unknown and foreign elements skipped")
        << domainXml("<x:foo xmlns:x='urn:x'><x:name>impostor</x:name></x:foo><blkiotune><weight>1</weight></blkiotune>",
                     "<devices><x:interface xmlns:x='urn:x'/><hostdev><source><address/></source></hostdev></devices>")
        << u"nics"_s << u"0"_s << none;
}

void TestDomainXml::cleanedText()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QFETCH(QStringList, warnings);

    const DomainXml::Result result = DomainXml::parse(xml);
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(fieldOf(*result.vm, key), expected);
    QCOMPARE(result.vm->warnings, warnings);
}

void TestDomainXml::deviceLimits_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<int>("nicCount");
    QTest::addColumn<int>("diskCount");
    QTest::addColumn<QString>("lastMac");
    QTest::addColumn<QStringList>("warnings");

    QTest::newRow("256 NICs all kept") << domainXml({}, nics(256)) << 256 << 0 << u"52:54:00:00:00:ff"_s
                                       << QStringList();
    QTest::newRow("257 NICs") << domainXml({}, nics(257)) << 256 << 0 << u"52:54:00:00:00:ff"_s
                              << QStringList{u"257 NICs, only the first 256 kept"_s};
    QTest::newRow("1000 NICs") << domainXml({}, nics(1000)) << 256 << 0 << u"52:54:00:00:00:ff"_s
                               << QStringList{u"1000 NICs, only the first 256 kept"_s};
    QTest::newRow("1000 disks") << domainXml({}, disks(1000)) << 0 << 256 << QString()
                                << QStringList{u"1000 disks, only the first 256 kept"_s};
    QTest::newRow("NICs spread over several <devices>")
        << domainXml({}, nics(200) + nics(200)) << 256 << 0 << u"52:54:00:00:00:37"_s
        << QStringList{u"400 NICs, only the first 256 kept"_s};
}

void TestDomainXml::deviceLimits()
{
    QFETCH(QByteArray, xml);
    QFETCH(int, nicCount);
    QFETCH(int, diskCount);
    QFETCH(QString, lastMac);
    QFETCH(QStringList, warnings);

    const DomainXml::Result result = DomainXml::parse(xml);
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->nics.size(), nicCount);
    QCOMPARE(result.vm->disks.size(), diskCount);
    if (nicCount > 0) {
        QCOMPARE(result.vm->nics.first().mac, u"52:54:00:00:00:00"_s);
        QCOMPARE(result.vm->nics.last().mac, lastMac); // the first ones are kept, in order
    }
    if (diskCount > 0)
        QCOMPARE(result.vm->disks.last().source, u"/images/d%1.qcow2"_s.arg(diskCount - 1));
    QCOMPARE(result.vm->warnings, warnings);
}

void TestDomainXml::depthLimit_data()
{
    QTest::addColumn<int>("depth"); // of the deepest element, <domain> being 1
    QTest::addColumn<bool>("accepted");

    QTest::newRow("64 levels") << 64 << true;
    QTest::newRow("65 levels") << 65 << false;
}

void TestDomainXml::depthLimit()
{
    QFETCH(int, depth);
    QFETCH(bool, accepted);
    QCOMPARE(DomainXml::MaxDepth, 64);

    // <domain><devices> then depth - 2 levels of an unknown element.
    const DomainXml::Result result = DomainXml::parse(domainXml({}, "<devices>" + nested(depth - 2) + "</devices>"));
    QCOMPARE(bool(result.vm), accepted);
    if (!accepted)
        QVERIFY2(result.error.contains(u"elements are nested deeper than 64 levels"), qPrintable(result.error));
}

void TestDomainXml::rejected_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("error"); // a fragment of the expected message

    const QByteArray dtdPrefix = "<?xml version='1.0'?>\n";
    const QByteArray passwd = dtdPrefix
                              + "<!DOCTYPE domain [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>\n"
                                "<domain><name>&xxe;</name><uuid>"
                              + Uuid + "</uuid><title>&xxe;</title></domain>";
    QByteArray laughs = dtdPrefix + "<!DOCTYPE domain [\n <!ENTITY lol 'lol'>\n";
    laughs += " <!ENTITY lol1 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n";
    for (int i = 2; i <= 9; ++i) {
        const QByteArray previous = "&lol" + QByteArray::number(i - 1) + ';';
        laughs += " <!ENTITY lol" + QByteArray::number(i) + " '" + previous.repeated(10) + "'>\n";
    }
    laughs += "]>\n<domain><name>&lol9;</name><uuid>" + QByteArray(Uuid) + "</uuid></domain>";

    QTest::newRow("empty") << QByteArray() << u"domain XML is empty"_s;
    QTest::newRow("blanks only") << QByteArray(" \n\t ") << u"domain XML is empty"_s;
    QTest::newRow("not XML") << QByteArray("hello world") << u"malformed domain XML at line 1, column 1: "_s;
    QTest::newRow("JSON") << QByteArray(R"({"name": "web01"})") << u"malformed domain XML at line 1"_s;
    QTest::newRow("truncated document") << RealisticDomain.left(RealisticDomain.size() / 2)
                                        << u"Premature end of document"_s;
    QTest::newRow("mismatched tags") << QByteArray("<domain>\n<name>web01</uuid>\n</domain>")
                                     << u"malformed domain XML at line 2, column "_s;
    // QXmlStreamReader names a letter or digit it did not expect by its class ("[a-zA-Z]",
    // "[0-9]"): the message says which character it was.
    QTest::newRow("attribute glued to the previous one")
        << QByteArray("<domain type='kvm'x='1'>\n</domain>") << u"at line 1, column 19: Expected '>' or '/', but got 'x'."_s;
    QTest::newRow("digit after an attribute") << QByteArray("<domain>\n  <name a='1' 2>web01</name>\n</domain>")
                                              << u"at line 2, column 15: Expected '>' or '/', but got '2'."_s;
    QTest::newRow("unquoted attribute value") << QByteArray("<domain>\n  <name a=1>web01</name>\n</domain>")
                                              << u"but got '1'."_s;
    QTest::newRow("letter after a closing tag's name, CRLF")
        << QByteArray("<domain>\r\n  <name>web01</name x>\r\n</domain>") << u"Expected '>', but got 'x'."_s;
    QTest::newRow("non-ASCII letter") << QByteArray("<domain>\n  <name a='1'\xc3\xa9>web01</name>\n</domain>")
                                      << u"but got '\u00e9'."_s;
    QTest::newRow("letter beyond the BMP")
        << QByteArray("<domain>\n  <name a='1'\xf0\x9d\x90\x80>web01</name>\n</domain>") << u"but got '\U0001d400'."_s;
    QTest::newRow("zero-width space") << QByteArray("<domain>\n  <name a='1'\xe2\x80\x8b>web01</name>\n</domain>")
                                      << u"but got 'U+200B'."_s;
    QTest::newRow("network document") << QByteArray("<network><name>default</name></network>")
                                      << u"not a libvirt domain: the root element is <network>"_s;
    QTest::newRow("namespaced root") << QByteArray("<x:domain xmlns:x='urn:x'/>")
                                     << u"not a libvirt domain: the root element is <x:domain>"_s;
    QTest::newRow("trailing element") << domainXml({}) + "<domain/>" << u"Extra content at end of document"_s;
    QTest::newRow("missing name") << QByteArray("<domain><uuid>") + Uuid + "</uuid></domain>"
                                  << u"domain XML has no name"_s;
    QTest::newRow("blank name") << QByteArray("<domain><name> \n </name><uuid>") + Uuid + "</uuid></domain>"
                                << u"domain XML has no name"_s;
    QTest::newRow("name of control characters only")
        << QByteArray("<domain><name>&#x85;&#x9b;\x7f</name><uuid>") + Uuid + "</uuid></domain>"
        << u"domain XML has no name"_s;
    QTest::newRow("missing uuid") << QByteArray("<domain><name>web01</name></domain>")
                                  << u"domain XML has no UUID"_s;
    QTest::newRow("blank uuid") << QByteArray("<domain><name>web01</name><uuid> </uuid></domain>")
                                << u"domain XML has no UUID"_s;
    QTest::newRow("invalid uuid") << QByteArray("<domain><name>web01</name><uuid>not-a-uuid</uuid></domain>")
                                  << u"domain XML has an invalid UUID \"not-a-uuid\""_s;
    QTest::newRow("path in uuid")
        << QByteArray("<domain><name>web01</name><uuid>../../../../etc/passwd/0000000000</uuid></domain>")
        << u"domain XML has an invalid UUID"_s;
    QTest::newRow("uuid with misplaced dashes")
        << QByteArray("<domain><name>web01</name><uuid>4dea22b31-d52-d8f3-2516-782e98ab3fa0</uuid></domain>")
        << u"domain XML has an invalid UUID"_s;
    QTest::newRow("huge uuid is elided in the message")
        << "<domain><name>web01</name><uuid>" + QByteArray(100 * 1024, 'f') + "</uuid></domain>"
        << u"domain XML has an invalid UUID \""_s + QString(64, u'f') + QChar(0x2026) + u'"';
    QTest::newRow("invalid UTF-8") << domainXml("<title>web\xff\xfe" "01</title>")
                                   << u"Encountered incorrectly encoded content"_s;
    QTest::newRow("overlong UTF-8") << domainXml("<title>\xc0\xaf</title>")
                                    << u"Encountered incorrectly encoded content"_s;
    QTest::newRow("UTF-8 encoded surrogate") << domainXml("<title>\xed\xa0\x80</title>")
                                             << u"Encountered incorrectly encoded content"_s;
    QTest::newRow("UTF-8 cut at the end") << QByteArray("<domain><name>web\xe2\x82")
                                          << u"malformed domain XML at line 1"_s;
    QTest::newRow("raw C0 control") << domainXml("<title>a\x01z</title>") << u"malformed domain XML at line 1"_s;
    QTest::newRow("C0 control by reference") << domainXml("<title>a&#1;z</title>")
                                             << u"Invalid character reference"_s;
    QTest::newRow("NUL by reference") << domainXml("<title>a&#0;z</title>") << u"Invalid character reference"_s;
    QTest::newRow("undeclared entity") << domainXml("<title>&evil;</title>") << u"evil"_s;
    QTest::newRow("undeclared entity in attribute")
        << domainXml({}, "<devices><interface type='&evil;'/></devices>") << u"malformed domain XML"_s;
    QTest::newRow("unknown encoding") << "<?xml version='1.0' encoding='x-evil'?>" + domainXml({})
                                      << u"malformed domain XML at line 1"_s;
    QTest::newRow("UTF-16 declared, UTF-8 given") << "<?xml version='1.0' encoding='UTF-16'?>" + domainXml({})
                                                  << u"malformed domain XML"_s;
    QTest::newRow("plain DOCTYPE") << dtdPrefix + "<!DOCTYPE domain>\n" + domainXml({})
                                   << u"domain XML rejected at line 2, column 17: document type declarations are not allowed"_s;
    QTest::newRow("billion laughs") << laughs << u"document type declarations are not allowed"_s;
    QTest::newRow("external SYSTEM entity") << passwd << u"document type declarations are not allowed"_s;
    QTest::newRow("external parameter entity")
        << dtdPrefix + "<!DOCTYPE domain [<!ENTITY % ext SYSTEM 'file:///etc/passwd'> %ext;]>\n" + domainXml({})
        << u"domain XML rejected at line 2"_s;
    QTest::newRow("default attributes from a DTD")
        << dtdPrefix + "<!DOCTYPE domain [<!ATTLIST interface type CDATA 'evil'>]>\n" + domainXml({})
        << u"document type declarations are not allowed"_s;
    QTest::newRow("10,000-deep nesting in devices") << domainXml({}, "<devices>" + nested(10000) + "</devices>")
                                                    << u"elements are nested deeper than 64 levels"_s;
    QTest::newRow("10,000-deep nesting in metadata") << domainXml("<metadata>" + nested(10000) + "</metadata>")
                                                     << u"elements are nested deeper than 64 levels"_s;
    QTest::newRow("10,000-deep nesting in a name") << QByteArray("<domain><name>") + nested(10000)
                                                   << u"elements are nested deeper than 64 levels"_s;
    QTest::newRow("10,000 unclosed elements") << QByteArray("<domain>") + QByteArray("<a>").repeated(10000)
                                              << u"domain XML rejected at line 1"_s;
    QByteArray huge = domainXml("<!--" + QByteArray(DomainXml::MaxXmlBytes, '-') + "-->");
    QTest::newRow("larger than 8 MiB") << huge << u"domain XML is too large: %1 bytes, the limit is 8388608"_s.arg(huge.size());
}

void TestDomainXml::rejected()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, error);

    const DomainXml::Result result = DomainXml::parse(xml);
    QVERIFY(!result.vm);
    QVERIFY2(result.error.contains(error), qPrintable(u"got: "_s + result.error));
    QVERIFY2(result.error.size() < 300, "errors quote hostile input only elided");
    QVERIFY(!result.error.contains(u"root:"));
    // Never the reader's name for a class of characters.
    QVERIFY2(!result.error.contains(u"[a-zA-Z]") && !result.error.contains(u"[0-9]"), qPrintable(result.error));
}

// QXmlStreamReader cannot fetch anything, but a later change of parser could: this pins down that
// what lies behind a SYSTEM identifier never reaches the result, whichever way it is referenced.
void TestDomainXml::externalEntityIsNeverRead()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile secret(dir.filePath(u"secret.txt"_s));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("VIGIE-SECRET-MARKER");
    secret.close();

    const QByteArray url = QUrl::fromLocalFile(secret.fileName()).toEncoded();
    const QByteArray uuid = QByteArray("<uuid>") + Uuid + "</uuid>";
    const QList<QByteArray> documents = {
        "<!DOCTYPE domain [<!ENTITY s SYSTEM '" + url + "'>]><domain><name>&s;</name>" + uuid + "</domain>",
        "<!DOCTYPE domain [<!ENTITY s SYSTEM '" + url + "'>]><domain><name>x</name>" + uuid
            + "<devices><interface type='&s;'/></devices></domain>",
        "<!DOCTYPE domain SYSTEM '" + url + "'><domain><name>x</name>" + uuid + "</domain>",
        "<!DOCTYPE domain [<!ENTITY % s SYSTEM '" + url + "'>%s;]><domain><name>x</name>" + uuid + "</domain>",
    };
    for (const QByteArray &xml : documents) {
        const DomainXml::Result result = DomainXml::parse(xml);
        QVERIFY(!result.vm);
        QVERIFY2(result.error.contains(u"document type declarations are not allowed"), qPrintable(result.error));
        QVERIFY(!result.error.contains(u"VIGIE-SECRET-MARKER"));
    }
}

void TestDomainXml::warningsAreBounded()
{
    // 300 NICs with a dirty MAC each: one warning per NIC would be 300 lines.
    QByteArray devices = "<devices>";
    for (int i = 0; i < 300; ++i)
        devices += "<interface type='network'><mac address='52:54:00:00:00:\x7f" "01'/></interface>";
    devices += "</devices>";

    const DomainXml::Result result = DomainXml::parse(domainXml({}, devices));
    QVERIFY2(result.vm, qPrintable(result.error));
    QCOMPARE(result.vm->nics.size(), 256);
    QCOMPARE(result.vm->warnings.size(), 101);
    QCOMPARE(result.vm->warnings.first(), u"NIC 1 MAC address: control characters removed"_s);
    // 256 cleaned MACs and the NIC limit: 157 not shown.
    QCOMPARE(result.vm->warnings.last(), u"157 more warning(s) not shown"_s);
}

void TestDomainXml::states_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<VmState>("state");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("displayName");

    QTest::newRow("nostate") << 0 << VmState::NoState << u"nostate"_s << u"No state"_s;
    QTest::newRow("running") << 1 << VmState::Running << u"running"_s << u"Running"_s;
    QTest::newRow("blocked") << 2 << VmState::Blocked << u"blocked"_s << u"Blocked"_s;
    QTest::newRow("paused") << 3 << VmState::Paused << u"paused"_s << u"Paused"_s;
    QTest::newRow("shutdown") << 4 << VmState::ShuttingDown << u"shutdown"_s << u"Shutting down"_s;
    QTest::newRow("shutoff") << 5 << VmState::Shutoff << u"shutoff"_s << u"Shut off"_s;
    QTest::newRow("crashed") << 6 << VmState::Crashed << u"crashed"_s << u"Crashed"_s;
    QTest::newRow("pmsuspended") << 7 << VmState::Suspended << u"pmsuspended"_s << u"Suspended"_s;
    QTest::newRow("from a newer libvirt") << 8 << VmState::NoState << u"nostate"_s << u"No state"_s;
    QTest::newRow("negative") << -1 << VmState::NoState << u"nostate"_s << u"No state"_s;
    QTest::newRow("int max") << std::numeric_limits<int>::max() << VmState::NoState << u"nostate"_s
                             << u"No state"_s;
}

void TestDomainXml::states()
{
    QFETCH(int, value);
    QFETCH(VmState, state);
    QFETCH(QString, name);
    QFETCH(QString, displayName);

    QCOMPARE(vmStateFromInt(value), state);
    QCOMPARE(vmStateName(state), name);
    QCOMPARE(vmStateDisplayName(state), displayName);
}

QTEST_GUILESS_MAIN(TestDomainXml)

#include "tst_domainxml.moc"
