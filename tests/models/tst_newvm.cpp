// Templates and new VMs: the template's JSON (settings, drag data) refuses what is malformed or
// out of range; names; the network carrying a VLAN; the guest type read from capabilities; the
// domain XML a new VM is defined from, read back by Vigie's own parser.
#include "hypervisor/domainxml.h"
#include "placement/newvm.h"
#include "placement/vmtemplate.h"

#include <QMimeData>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Vigie;

namespace {

NetworkInfo network(const QString &name, bool active, const QString &virtualPort, const QList<QPair<QString, QList<int>>> &groups,
                    const QList<int> &tags = {})
{
    NetworkInfo net;
    net.name = name;
    net.active = active;
    net.virtualPortType = virtualPort;
    net.vlanTags = tags;
    for (const auto &[group, groupTags] : groups)
        net.portgroups.append({group, groupTags, false});
    return net;
}

const QString Ovs = QStringLiteral("openvswitch");

} // namespace

class TestNewVm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mimeRoundTrip()
    {
        const VmTemplate tmpl{QStringLiteral("Medium <db>"), QStringLiteral("Debian 12"), 2, 4096, 40};
        const std::unique_ptr<QMimeData> data(tmpl.toMimeData());
        const std::optional<VmTemplate> back = VmTemplate::fromMimeData(data.get());
        QVERIFY(back);
        QCOMPARE(*back, tmpl);
        QVERIFY(!VmTemplate::fromMimeData(nullptr));
        QMimeData text;
        text.setText(QStringLiteral("Medium"));
        QVERIFY(!VmTemplate::fromMimeData(&text));
    }

    void hostileMimeRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{\"name\":");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("no name") << QByteArray(R"({"vcpus":1,"memoryMiB":512,"diskGiB":0})");
        QTest::newRow("zero vcpus") << QByteArray(R"({"name":"a","vcpus":0,"memoryMiB":512,"diskGiB":0})");
        QTest::newRow("huge vcpus") << QByteArray(R"({"name":"a","vcpus":100000,"memoryMiB":512,"diskGiB":0})");
        QTest::newRow("negative disk") << QByteArray(R"({"name":"a","vcpus":1,"memoryMiB":512,"diskGiB":-1})");
        QTest::newRow("memory as text") << QByteArray(R"({"name":"a","vcpus":1,"memoryMiB":"512","diskGiB":0})");
        QTest::newRow("too big") << QByteArray(R"({"name":")" + QByteArray(5000, 'a') + R"(","vcpus":1,"memoryMiB":1,"diskGiB":0})");
    }

    void hostileMimeRefused()
    {
        QFETCH(QByteArray, json);
        QMimeData data;
        data.setData(VmTemplate::mimeType(), json);
        QVERIFY(!VmTemplate::fromMimeData(&data));
    }

    void settingsPersistTemplates()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("t.ini")), QSettings::IniFormat);
        // Never saved: the defaults, every one of them valid.
        const QList<VmTemplate> defaults = VmTemplate::load(settings);
        QCOMPARE(defaults, VmTemplate::defaults());
        QVERIFY(defaults.size() >= 3);
        for (const VmTemplate &tmpl : defaults)
            QVERIFY(tmpl.isValid());
        const QList<VmTemplate> mine{{QStringLiteral("Router"), QStringLiteral("OpenWrt"), 1, 128, 0},
                                     {QStringLiteral("DB"), QString(), 8, 65536, 500}};
        VmTemplate::save(settings, mine);
        settings.sync();
        QSettings reread(dir.filePath(QStringLiteral("t.ini")), QSettings::IniFormat);
        QCOMPARE(VmTemplate::load(reread), mine);
        // Saved empty stays empty (the operator removed them all), not the defaults again.
        VmTemplate::save(settings, {});
        QVERIFY(VmTemplate::load(settings).isEmpty());
    }

    void summary()
    {
        QCOMPARE(VmTemplate({QStringLiteral("x"), QStringLiteral("Debian 12"), 2, 4096, 40}).summary(),
                 QStringLiteral("2 vCPU(s) · 4 GiB · 40 GiB disk · Debian 12"));
        QCOMPARE(VmTemplate({QStringLiteral("x"), QString(), 1, 256, 0}).summary(), QStringLiteral("1 vCPU(s) · 256 MiB · no disk"));
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << QStringLiteral("web-01") << true;
        QTest::newRow("dots and underscores") << QStringLiteral("db.prod_2") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("leading dash") << QStringLiteral("-web") << false;
        QTest::newRow("space") << QStringLiteral("web 1") << false;
        QTest::newRow("slash") << QStringLiteral("../etc") << false;
        QTest::newRow("quote") << QStringLiteral("a'b") << false;
        QTest::newRow("64 long") << QString(64, u'a') << true;
        QTest::newRow("65 long") << QString(65, u'a') << false;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(NewVm::isValidName(name), valid);
    }

    void suggestedNames()
    {
        QCOMPARE(NewVm::suggestName(QStringLiteral("Small"), {}), QStringLiteral("small-01"));
        QCOMPARE(NewVm::suggestName(QStringLiteral("Small"), {QStringLiteral("small-01"), QStringLiteral("SMALL-02")}),
                 QStringLiteral("small-03"));
        QCOMPARE(NewVm::suggestName(QStringLiteral("Base de données (prod)"), {}), QStringLiteral("base-de-donn-es-prod-01"));
        QCOMPARE(NewVm::suggestName(QStringLiteral("***"), {}), QStringLiteral("vm-01"));
        QVERIFY(NewVm::isValidName(NewVm::suggestName(QString(200, u'x'), {})));
    }

    void carrier_data()
    {
        QTest::addColumn<QList<NetworkInfo>>("networks");
        QTest::addColumn<int>("vlan");
        QTest::addColumn<QString>("network");
        QTest::addColumn<QString>("portgroup");
        QTest::addColumn<bool>("openvswitch");
        const NetworkInfo ovs = network(QStringLiteral("prod-ovs"), true, Ovs,
                                        {{QStringLiteral("trunk"), {100, 200}}, {QStringLiteral("vlan-100"), {100}},
                                         {QStringLiteral("vlan-200"), {200}}});
        QTest::newRow("portgroup of that VLAN alone, not the trunk")
            << QList<NetworkInfo>{ovs} << 100 << QStringLiteral("prod-ovs") << QStringLiteral("vlan-100") << true;
        QTest::newRow("absent") << QList<NetworkInfo>{ovs} << 300 << QString() << QString() << false;
        const NetworkInfo idle = network(QStringLiteral("old-ovs"), false, Ovs, {{QStringLiteral("v300"), {300}}});
        const NetworkInfo live = network(QStringLiteral("new-ovs"), true, Ovs, {{QStringLiteral("v300b"), {300}}});
        QTest::newRow("active network first")
            << QList<NetworkInfo>{idle, live} << 300 << QStringLiteral("new-ovs") << QStringLiteral("v300b") << true;
        QTest::newRow("inactive when alone") << QList<NetworkInfo>{idle} << 300 << QStringLiteral("old-ovs") << QStringLiteral("v300") << true;
        const NetworkInfo tagged = network(QStringLiteral("br-400"), true, QString(), {}, {400});
        QTest::newRow("network-level tag, Linux bridge")
            << QList<NetworkInfo>{ovs, tagged} << 400 << QStringLiteral("br-400") << QString() << false;
    }

    void carrier()
    {
        QFETCH(QList<NetworkInfo>, networks);
        QFETCH(int, vlan);
        QFETCH(QString, network);
        QFETCH(QString, portgroup);
        QFETCH(bool, openvswitch);
        const std::optional<VlanCarrier> found = vlanCarrier(networks, vlan);
        QCOMPARE(found.has_value(), !network.isEmpty());
        if (!found)
            return;
        QCOMPARE(found->network, network);
        QCOMPARE(found->portgroup, portgroup);
        QCOMPARE(found->openvswitch, openvswitch);
    }

    void capabilities_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("arch");
        const QByteArray host = "<capabilities><host><cpu><arch>x86_64</arch></cpu></host>";
        QTest::newRow("kvm preferred")
            << host + "<guest><os_type>hvm</os_type><arch name='i686'><domain type='qemu'/><domain type='kvm'/></arch></guest>"
                      "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest>"
                      "</capabilities>"
            << QStringLiteral("kvm") << QStringLiteral("x86_64");
        QTest::newRow("no kvm: TCG on the host's arch")
            << host + "<guest><os_type>hvm</os_type><arch name='aarch64'><domain type='qemu'/></arch></guest>"
                      "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/></arch></guest></capabilities>"
            << QStringLiteral("qemu") << QStringLiteral("x86_64");
        QTest::newRow("test driver")
            << QByteArray("<capabilities><host><cpu><arch>i686</arch></cpu></host><guest><os_type>hvm</os_type>"
                          "<arch name='i686'><domain type='test'/></arch></guest></capabilities>")
            << QStringLiteral("test") << QStringLiteral("i686");
        QTest::newRow("only xen pv") << host + "<guest><os_type>xen</os_type><arch name='x86_64'><domain type='xen'/></arch></guest></capabilities>"
                                     << QString() << QString();
        QTest::newRow("malformed") << QByteArray("<capabilities><guest><os_type>hvm</os_type><arch name='x86_64'><domain type='kvm'/>")
                                   << QString() << QString();
        QTest::newRow("entities refused")
            << QByteArray("<!DOCTYPE c [<!ENTITY e 'kvm'>]><capabilities><guest><os_type>hvm</os_type><arch name='x86_64'>"
                          "<domain type='&e;'/></arch></guest></capabilities>")
            << QString() << QString();
    }

    void capabilities()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, type);
        QFETCH(QString, arch);
        const std::optional<GuestCapabilities> guest = guestCapabilities(xml);
        QCOMPARE(guest.has_value(), !type.isEmpty());
        if (!guest)
            return;
        QCOMPARE(guest->domainType, type);
        QCOMPARE(guest->arch, arch);
    }

    void domainXmlReadsBack_data()
    {
        QTest::addColumn<bool>("openvswitch");
        QTest::addColumn<QString>("diskPath");
        QTest::newRow("OVS portgroup, disk") << true << QStringLiteral("/var/lib/libvirt/images/web-07-system.qcow2");
        QTest::newRow("bridge, no disk") << false << QString();
    }

    void domainXmlReadsBack()
    {
        QFETCH(bool, openvswitch);
        QFETCH(QString, diskPath);
        NewVm vm;
        vm.tmpl = {QStringLiteral("Medium"), QStringLiteral("Debian 12"), 2, 4096, diskPath.isEmpty() ? 0u : 40u};
        vm.name = QStringLiteral("web-07");
        vm.uuid = QStringLiteral("0b7d5f2e-6c1a-4e43-9d0e-3f6a2b1c9d07");
        vm.tenant = QStringLiteral("acme & <co>"); // escaped, not injected
        vm.vlanId = 200;
        vm.carrier = {QStringLiteral("prod-ovs"), QStringLiteral("vlan-200-app"), openvswitch};
        const QString xml = vm.domainXml({QStringLiteral("qemu"), QStringLiteral("x86_64")}, diskPath);
        QVERIFY(xml.contains(QLatin1String("<domain type=\"qemu\">")));
        const DomainXml::Result parsed = DomainXml::parse(xml.toUtf8());
        QVERIFY2(parsed.vm, qPrintable(parsed.error));
        const VmInfo &info = *parsed.vm;
        QCOMPARE(info.name, vm.name);
        QCOMPARE(info.uuid, vm.uuid);
        QCOMPARE(info.tenant, vm.tenant);
        // The template's OS recorded as virt-install does, and read back.
        QCOMPARE(info.osId, QStringLiteral("http://debian.org/debian/12"));
        QCOMPARE(osDisplayName(info.osId), vm.tmpl.osLabel);
        QCOMPARE(info.vcpus, 2);
        QCOMPARE(info.memoryKiB, quint64(4096) * 1024);
        QCOMPARE(info.nics.size(), 1);
        const NicInfo &nic = info.nics.first();
        QCOMPARE(nic.sourceType, QStringLiteral("network"));
        QCOMPARE(nic.source, QStringLiteral("prod-ovs"));
        QCOMPARE(nic.portgroup, QStringLiteral("vlan-200-app"));
        QCOMPARE(nic.vlanTags, openvswitch ? QList<int>{200} : QList<int>{});
        QCOMPARE(xml.contains(QLatin1String("virtualport")), openvswitch);
        QCOMPARE(info.disks.size(), diskPath.isEmpty() ? 0 : 1);
        if (!diskPath.isEmpty()) {
            QCOMPARE(info.disks.first().source, diskPath);
            QCOMPARE(info.disks.first().format, QStringLiteral("qcow2"));
        }
    }

    // A template's free label (no libosinfo family) records no OS rather than a made-up one.
    void osOfAFreeLabel()
    {
        NewVm vm;
        vm.tmpl = {QStringLiteral("Appliance"), QStringLiteral("Vendor appliance 3"), 2, 2048, 0u};
        vm.name = QStringLiteral("appliance-01");
        vm.carrier = {QStringLiteral("prod-ovs"), QStringLiteral("vlan-200-app"), true};
        const QString xml = vm.domainXml({QStringLiteral("qemu"), QStringLiteral("x86_64")}, {});
        QVERIFY(!xml.contains(QLatin1String("libosinfo")));
        QCOMPARE(osIdForName(QStringLiteral("Debian 12; rm -rf")), QString());
        QCOMPARE(osIdForName(QStringLiteral("windows 2K22")), QStringLiteral("http://microsoft.com/win/2k22"));
    }

    void volumeXml()
    {
        NewVm vm;
        vm.name = QStringLiteral("db-03");
        vm.tmpl.diskGiB = 40;
        QCOMPARE(vm.volumeName(), QStringLiteral("db-03-system.qcow2"));
        const QString xml = vm.volumeXml();
        QVERIFY(xml.contains(QLatin1String("<name>db-03-system.qcow2</name>")));
        QVERIFY(xml.contains(QLatin1String("<capacity unit=\"GiB\">40</capacity>")));
        QVERIFY(xml.contains(QLatin1String("<format type=\"qcow2\"/>")));
    }
};

QTEST_GUILESS_MAIN(TestNewVm)
#include "tst_newvm.moc"
