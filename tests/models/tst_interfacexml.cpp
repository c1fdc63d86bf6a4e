// Rewriting one NIC of a domain's XML into another VLAN, data-driven, hostile input included.
#include "hypervisor/interfacexml.h"

#include <QTest>

using namespace Vigie;

namespace {
const QByteArray Domain = R"(<domain type='qemu' id='3'>
  <name>web-1</name>
  <devices>
    <disk type='file' device='disk'><source file='/x.qcow2'/><target dev='vda'/></disk>
    <interface type='network'>
      <mac address='52:54:00:01:01:01'/>
      <source network='lab-ovs' portgroup='front' bridge='br-int'/>
      <vlan><tag id='100'/></vlan>
      <virtualport type='openvswitch'><parameters interfaceid='5a1ab001-0001-4000-8000-000000000000'/></virtualport>
      <target dev='vnet0'/>
      <model type='virtio'/>
      <alias name='net0'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:02:02:02'/>
      <source bridge='br-int'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>)";
} // namespace

class tst_InterfaceXml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rewrite_data()
    {
        QTest::addColumn<QString>("mac");
        QTest::addColumn<int>("vlan");
        QTest::addColumn<QString>("portgroup");
        QTest::addColumn<QStringList>("contains");
        QTest::addColumn<QStringList>("lacks");

        QTest::newRow("tag and portgroup replaced")
            << "52:54:00:01:01:01" << 300 << "backoffice"
            << QStringList{"<tag id=\"300\"/>", "portgroup=\"backoffice\"", "network=\"lab-ovs\"", "interfaceid=\"5a1ab001",
                           "<target dev=\"vnet0\"/>", "<alias name=\"net0\"/>"}
            << QStringList{"id=\"100\"", "front", "vda"};
        QTest::newRow("MAC in another case, no portgroup known")
            << "52:54:00:01:01:01" << 200 << ""
            << QStringList{"<tag id=\"200\"/>", "portgroup=\"front\""} << QStringList{"id=\"100\""};
        QTest::newRow("bridge NIC gets a vlan, no portgroup attribute")
            << "52:54:00:02:02:02" << 100 << "front" << QStringList{"<tag id=\"100\"/>", "bridge=\"br-int\""}
            << QStringList{"portgroup", "lab-ovs"};
    }

    void rewrite()
    {
        QFETCH(QString, mac);
        QFETCH(int, vlan);
        QFETCH(QString, portgroup);
        QFETCH(QStringList, contains);
        QFETCH(QStringList, lacks);
        QString error;
        const std::optional<QString> xml = interfaceXmlInVlan(Domain, mac.toUpper(), vlan, portgroup, &error);
        QVERIFY2(xml, qPrintable(error));
        QVERIFY(xml->startsWith(QLatin1String("<interface")));
        QCOMPARE(xml->count(QLatin1String("<vlan>")), 1);
        for (const QString &part : contains)
            QVERIFY2(xml->contains(part), qPrintable(part + QStringLiteral(" not in ") + *xml));
        for (const QString &part : lacks)
            QVERIFY2(!xml->contains(part), qPrintable(part + QStringLiteral(" in ") + *xml));
    }

    // The whole definition with one NIC changed and everything else as it was.
    void wholeDomain()
    {
        QString error;
        const std::optional<QString> xml = domainXmlWithNicInVlan(Domain, QStringLiteral("52:54:00:02:02:02"), 300, {}, &error);
        QVERIFY2(xml, qPrintable(error));
        QVERIFY(xml->startsWith(QLatin1String("<domain type='qemu' id='3'>")));
        QVERIFY(xml->contains(QLatin1String("<tag id='100'/>")));  // the first NIC, untouched
        QVERIFY(xml->contains(QLatin1String("<tag id=\"300\"/>"))); // the second, moved
        QCOMPARE(xml->count(QLatin1String("<interface")), 2);
        QVERIFY(xml->contains(QLatin1String("<target dev='vda'/>")));
        QVERIFY(xml->endsWith(QLatin1String("</domain>")));
        QVERIFY(!domainXmlWithNicInVlan(Domain, QStringLiteral("52:54:00:99:99:99"), 300, {}, &error));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("mac");
        QTest::addColumn<int>("vlan");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown MAC") << Domain << "52:54:00:99:99:99" << 100 << "no NIC";
        QTest::newRow("VLAN out of range") << Domain << "52:54:00:01:01:01" << 4096 << "not a VLAN";
        QTest::newRow("truncated") << Domain.left(Domain.size() / 2) << "52:54:00:02:02:02" << 100 << "malformed";
        QTest::newRow("entity") << QByteArray("<!DOCTYPE d [<!ENTITY x 'y'>]><domain><devices/></domain>")
                                << "52:54:00:01:01:01" << 100 << "DTD";
        QByteArray deep = "<domain><devices><interface>";
        for (int i = 0; i < 10000; ++i)
            deep += "<a>";
        QTest::newRow("10,000 levels") << deep << "52:54:00:01:01:01" << 100 << "deeply";
    }

    void refusals()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, mac);
        QFETCH(int, vlan);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!interfaceXmlInVlan(xml, mac, vlan, QString(), &message));
        QVERIFY2(message.contains(error), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(tst_InterfaceXml)
#include "tst_interfacexml.moc"
