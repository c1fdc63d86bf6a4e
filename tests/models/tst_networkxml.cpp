#include "hypervisor/networkxml.h"

#include "hypervisor/domainxml.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

// An Open vSwitch network as `virsh net-dumpxml` prints it, with one portgroup per VLAN and a trunk.
const QByteArray OvsNetwork = R"(<network connections='3'>
  <name>ovs-prod</name>
  <uuid>9A1E4D8C-52A3-4A57-9E0E-0C6E3B9B2F11</uuid>
  <forward mode='bridge'/>
  <bridge name='br-prod'/>
  <virtualport type='openvswitch'/>
  <vlan trunk='yes'>
    <tag id='100'/>
    <tag id='200'/>
  </vlan>
  <portgroup name='vlan-100' default='yes'>
    <vlan>
      <tag id='100'/>
    </vlan>
  </portgroup>
  <portgroup name='vlan-200'>
    <vlan><tag id='200'/></vlan>
    <virtualport type='openvswitch'><parameters profileid='gold'/></virtualport>
  </portgroup>
  <portgroup name='trunk' default='no'>
    <vlan trunk='yes'><tag id='100'/><tag id='200'/><tag id='300' nativeMode='tagged'/></vlan>
  </portgroup>
</network>
)";

// libvirt's default NAT network.
const QByteArray DefaultNetwork = R"(<network>
  <name>default</name>
  <uuid>5f2e8a0c-1b3d-4e6f-8a9b-0c1d2e3f4a5b</uuid>
  <forward mode='nat'>
    <nat><port start='1024' end='65535'/></nat>
  </forward>
  <bridge name='virbr0' stp='on' delay='0'/>
  <mac address='52:54:00:0a:0b:0c'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
  </ip>
</network>
)";

constexpr char Uuid[] = "5f2e8a0c-1b3d-4e6f-8a9b-0c1d2e3f4a5b";

QByteArray networkXml(const QByteArray &before, const QByteArray &after = {})
{
    return "<network>" + before + "<name>lab</name><uuid>" + Uuid + "</uuid>" + after + "</network>";
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

QString fieldOf(const NetworkInfo &network, const QString &key)
{
    if (key == u"name") return network.name;
    if (key == u"uuid") return network.uuid;
    if (key == u"bridge") return network.bridge;
    if (key == u"forwardMode") return network.forwardMode;
    if (key == u"virtualPortType") return network.virtualPortType;
    if (key == u"vlanTags") return joined(network.vlanTags);
    if (key == u"portgroups") return QString::number(network.portgroups.size());
    if (key.startsWith(u"pg")) {
        const qsizetype dot = key.indexOf(u'.');
        const int index = key.mid(2, dot - 2).toInt();
        if (index >= network.portgroups.size())
            return u"<no portgroup %1>"_s.arg(index);
        const PortgroupInfo &portgroup = network.portgroups.at(index);
        const QString field = key.mid(dot + 1);
        if (field == u"name") return portgroup.name;
        if (field == u"default") return portgroup.isDefault ? u"yes"_s : u"no"_s;
        if (field == u"vlanTags") return joined(portgroup.vlanTags);
    }
    return u"<unknown field %1>"_s.arg(key);
}

} // namespace

class TestNetworkXml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fields_data();
    void fields();
    void rejected_data();
    void rejected();
    void portgroupLimit();
};

void TestNetworkXml::fields_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    const auto ovs = [](const char *name, const QString &key, const QString &expected) {
        QTest::newRow(name) << OvsNetwork << key << expected;
    };
    ovs("ovs name", u"name"_s, u"ovs-prod"_s);
    ovs("ovs uuid lower-cased", u"uuid"_s, u"9a1e4d8c-52a3-4a57-9e0e-0c6e3b9b2f11"_s);
    ovs("ovs bridge", u"bridge"_s, u"br-prod"_s);
    ovs("ovs forward mode", u"forwardMode"_s, u"bridge"_s);
    ovs("ovs virtualport", u"virtualPortType"_s, u"openvswitch"_s);
    ovs("ovs network vlans", u"vlanTags"_s, u"100,200"_s);
    ovs("ovs portgroups", u"portgroups"_s, u"3"_s);
    ovs("pg0 name", u"pg0.name"_s, u"vlan-100"_s);
    ovs("pg0 default", u"pg0.default"_s, u"yes"_s);
    ovs("pg0 vlans", u"pg0.vlanTags"_s, u"100"_s);
    ovs("pg1 name", u"pg1.name"_s, u"vlan-200"_s);
    ovs("pg1 not default", u"pg1.default"_s, u"no"_s);
    ovs("pg1 vlans", u"pg1.vlanTags"_s, u"200"_s);
    ovs("pg2 default='no'", u"pg2.default"_s, u"no"_s);
    ovs("pg2 trunk", u"pg2.vlanTags"_s, u"100,200,300"_s);

    const auto nat = [](const char *name, const QString &key, const QString &expected) {
        QTest::newRow(name) << DefaultNetwork << key << expected;
    };
    nat("nat name", u"name"_s, u"default"_s);
    nat("nat bridge", u"bridge"_s, u"virbr0"_s);
    nat("nat forward mode", u"forwardMode"_s, u"nat"_s);
    nat("nat no virtualport", u"virtualPortType"_s, QString());
    nat("nat no vlans", u"vlanTags"_s, QString());
    nat("nat no portgroups", u"portgroups"_s, u"0"_s);

    QTest::newRow("isolated: no forward") << networkXml({}, "<bridge name='virbr9'/>") << u"forwardMode"_s
                                          << QString();
    QTest::newRow("forward without mode is nat") << networkXml({}, "<forward/>") << u"forwardMode"_s
                                                 << u"nat"_s;
    QTest::newRow("name cleaned") << QByteArray("<network><name>\n la\xc2\x85" "b\t</name><uuid>") + Uuid
                                         + "</uuid></network>"
                                  << u"name"_s << u"lab"_s;
    QTest::newRow("huge name truncated")
        << "<network><name>" + QByteArray(100 * 1024, 'n') + "</name><uuid>" + Uuid + "</uuid></network>"
        << u"name"_s << QString(DomainXml::MaxTextLength, u'n');
    QTest::newRow("bridge cleaned") << networkXml({}, "<bridge name='br&#x9b;0'/>") << u"bridge"_s << u"br0"_s;
    QTest::newRow("invalid tags dropped")
        << networkXml({}, "<vlan trunk='yes'><tag id='4096'/><tag id='-1'/><tag id='abc'/><tag id='7'/></vlan>")
        << u"vlanTags"_s << u"7"_s;
    QTest::newRow("portgroup invalid tag dropped")
        << networkXml({}, "<portgroup name='pg'><vlan><tag id='99999'/><tag id='0'/></vlan></portgroup>")
        << u"pg0.vlanTags"_s << u"0"_s;
    QTest::newRow("portgroup name cleaned") << networkXml({}, "<portgroup name='p&#x85;g'/>") << u"pg0.name"_s
                                            << u"pg"_s;
    QTest::newRow("default must be 'yes'") << networkXml({}, "<portgroup name='pg' default='true'/>")
                                           << u"pg0.default"_s << u"no"_s;
    QTest::newRow("foreign elements ignored")
        << networkXml("<x:name xmlns:x='urn:x'>impostor</x:name><vlan xmlns='urn:x'><tag id='5'/></vlan>",
                      "<metadata><name>impostor</name></metadata>")
        << u"name"_s << u"lab"_s;
    QTest::newRow("foreign vlan ignored")
        << networkXml("<vlan xmlns='urn:x'><tag id='5'/></vlan>") << u"vlanTags"_s << QString();
    QTest::newRow("duplicate name: first wins") << networkXml({}, "<name>impostor</name>") << u"name"_s
                                                << u"lab"_s;
}

void TestNetworkXml::fields()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, key);
    QFETCH(QString, expected);

    const NetworkXml::Result result = NetworkXml::parse(xml);
    QVERIFY2(result.network, qPrintable(result.error));
    QVERIFY(result.error.isEmpty());
    QCOMPARE(fieldOf(*result.network, key), expected);
    QVERIFY(!result.network->active); // left to the caller
}

void TestNetworkXml::rejected_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("error");

    QByteArray laughs = "<!DOCTYPE network [<!ENTITY lol 'lol'>";
    for (int i = 1; i <= 9; ++i) {
        const QByteArray previous = i == 1 ? "&lol;" : "&lol" + QByteArray::number(i - 1) + ';';
        laughs += "<!ENTITY lol" + QByteArray::number(i) + " '" + previous.repeated(10) + "'>";
    }
    laughs += "]><network><name>&lol9;</name><uuid>" + QByteArray(Uuid) + "</uuid></network>";

    QTest::newRow("empty") << QByteArray() << u"network XML is empty"_s;
    QTest::newRow("not XML") << QByteArray("not xml at all") << u"malformed network XML at line 1, column 1"_s;
    QTest::newRow("truncated") << OvsNetwork.left(OvsNetwork.size() / 2) << u"Premature end of document"_s;
    QTest::newRow("domain document") << QByteArray("<domain><name>web01</name></domain>")
                                     << u"not a libvirt network: the root element is <domain>"_s;
    QTest::newRow("missing name") << QByteArray("<network><uuid>") + Uuid + "</uuid></network>"
                                  << u"network XML has no name"_s;
    QTest::newRow("missing uuid") << QByteArray("<network><name>lab</name></network>")
                                  << u"network XML has no UUID"_s;
    QTest::newRow("invalid uuid") << QByteArray("<network><name>lab</name><uuid>xyz</uuid></network>")
                                  << u"network XML has an invalid UUID \"xyz\""_s;
    QTest::newRow("invalid UTF-8") << networkXml("<bridge name='br\xff'/>")
                                   << u"Encountered incorrectly encoded content"_s;
    QTest::newRow("DOCTYPE") << "<!DOCTYPE network>" + networkXml({})
                             << u"network XML rejected at line 1"_s;
    QTest::newRow("billion laughs") << laughs << u"document type declarations are not allowed"_s;
    QTest::newRow("external SYSTEM entity")
        << QByteArray("<!DOCTYPE network [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
                      "<network><name>&xxe;</name><uuid>")
               + Uuid + "</uuid></network>"
        << u"document type declarations are not allowed"_s;
    QTest::newRow("undeclared entity") << networkXml("<bridge name='&xxe;'/>") << u"xxe"_s;
    QTest::newRow("10,000-deep nesting") << networkXml({}, nested(10000))
                                         << u"elements are nested deeper than 64 levels"_s;
    QTest::newRow("10,000-deep in a portgroup")
        << networkXml({}, "<portgroup name='p'>" + nested(10000) + "</portgroup>")
        << u"elements are nested deeper than 64 levels"_s;
    const QByteArray huge = networkXml("<!--" + QByteArray(DomainXml::MaxXmlBytes, '-') + "-->");
    QTest::newRow("larger than 8 MiB") << huge
                                       << u"network XML is too large: %1 bytes, the limit is 8388608"_s.arg(huge.size());
}

void TestNetworkXml::rejected()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, error);

    const NetworkXml::Result result = NetworkXml::parse(xml);
    QVERIFY(!result.network);
    QVERIFY2(result.error.contains(error), qPrintable(u"got: "_s + result.error));
    QVERIFY(!result.error.contains(u"root:"));
}

void TestNetworkXml::portgroupLimit()
{
    QByteArray portgroups;
    for (int i = 0; i < 5000; ++i)
        portgroups += "<portgroup name='pg" + QByteArray::number(i) + "'/>";

    const NetworkXml::Result result = NetworkXml::parse(networkXml({}, portgroups));
    QVERIFY2(result.network, qPrintable(result.error));
    QCOMPARE(result.network->portgroups.size(), NetworkXml::MaxPortgroups);
    QCOMPARE(result.network->portgroups.last().name, u"pg%1"_s.arg(NetworkXml::MaxPortgroups - 1));
}

QTEST_GUILESS_MAIN(TestNetworkXml)

#include "tst_networkxml.moc"
