// The isolation's transactions, exactly as sent: the guards (no group of that name yet, every
// port still there), the ACLs (stateful allow inside the group and to the gateway, DHCP requests,
// drop the rest) and the group, in one transaction; its removal; a new port joining.
#include "network/acltext.h"
#include "network/portisolation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

namespace {

OvnLogicalSwitchPort port(const QString &uuid, const QString &name, const QString &address)
{
    OvnLogicalSwitchPort p;
    p.uuid = uuid;
    p.name = name;
    p.addresses = {u"fa:16:3e:02:01:12 "_s + address};
    return p;
}

IsolationPlan acmePlan()
{
    IsolationPlan plan;
    plan.label = u"acme"_s;
    plan.tenant = u"acme"_s;
    plan.groupName = PortIsolation::groupName(plan.label);
    plan.ports = {port(u"11111111-0000-4000-8000-000000000001"_s, u"db-1"_s, u"172.16.2.12"_s),
                  port(u"11111111-0000-4000-8000-000000000002"_s, u"db-2"_s, u"172.16.2.22"_s)};
    plan.gateways = {u"172.16.2.1"_s};
    plan.subnets = {u"172.16.2.0/24"_s};
    return plan;
}

QString compact(const QJsonArray &operations)
{
    return QString::fromUtf8(QJsonDocument(operations).toJson(QJsonDocument::Compact));
}

} // namespace

class TestPortIsolation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupNames_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"acme"_s << u"vigie_iso_acme"_s;
        QTest::newRow("dash and case") << u"Banque-Lumière"_s << u"vigie_iso_banque_lumi_re"_s;
        QTest::newRow("match syntax") << u"a && ip4 || @x"_s << u"vigie_iso_a_ip4_x"_s;
        QTest::newRow("long") << u"x"_s.repeated(200) << u"vigie_iso_"_s + u"x"_s.repeated(48);
    }

    void groupNames()
    {
        QFETCH(QString, label);
        QFETCH(QString, expected);
        QCOMPARE(PortIsolation::groupName(label), expected);
    }

    void acls()
    {
        const QList<OvnAcl> acls = PortIsolation::aclsFor(acmePlan());
        QStringList words;
        for (const OvnAcl &acl : acls)
            words.append(AclText::describe(acl));
        QCOMPARE(words, (QStringList{u"in: allow IPv4 from address set vigie_iso_acme_ip4"_s,
                                     u"out: allow IPv4 to address set vigie_iso_acme_ip4"_s,
                                     u"out: allow IPv4 to 172.16.2.1"_s,
                                     u"out: allow DHCP requests to 255.255.255.255, 172.16.2.0/24"_s,
                                     u"in: drop everything else"_s,
                                     u"out: drop everything else"_s}));
        // No gateway known: no gateway rule.
        IsolationPlan plan = acmePlan();
        plan.gateways.clear();
        QCOMPARE(PortIsolation::aclsFor(plan).size(), 5);
    }

    void isolateTransaction()
    {
        const QString expected =
            uR"J([{"columns":["name"],"op":"wait","rows":[],"table":"Port_Group","timeout":0,"until":"==","where":[["name","==","vigie_iso_acme"]]},)J"
            uR"J({"columns":["name"],"op":"wait","rows":[{"name":"db-1"}],"table":"Logical_Switch_Port","timeout":0,"until":"==","where":[["_uuid","==",["uuid","11111111-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"columns":["name"],"op":"wait","rows":[{"name":"db-2"}],"table":"Logical_Switch_Port","timeout":0,"until":"==","where":[["_uuid","==",["uuid","11111111-0000-4000-8000-000000000002"]]]},)J"
            uR"J({"op":"insert","row":{"action":"allow-related","direction":"to-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"outport == @vigie_iso_acme && ip4 && ip4.src == $vigie_iso_acme_ip4","priority":2002},"table":"ACL","uuid-name":"acl0"},)J"
            uR"J({"op":"insert","row":{"action":"allow-related","direction":"from-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"inport == @vigie_iso_acme && ip4 && ip4.dst == $vigie_iso_acme_ip4","priority":2002},"table":"ACL","uuid-name":"acl1"},)J"
            uR"J({"op":"insert","row":{"action":"allow-related","direction":"from-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"inport == @vigie_iso_acme && ip4 && ip4.dst == 172.16.2.1","priority":2002},"table":"ACL","uuid-name":"acl2"},)J"
            uR"J({"op":"insert","row":{"action":"allow","direction":"from-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"inport == @vigie_iso_acme && ip4 && ip4.dst == {255.255.255.255, 172.16.2.0/24} && udp && udp.src == 68 && udp.dst == 67","priority":2002},"table":"ACL","uuid-name":"acl3"},)J"
            uR"J({"op":"insert","row":{"action":"drop","direction":"to-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"outport == @vigie_iso_acme && ip","priority":2001},"table":"ACL","uuid-name":"acl4"},)J"
            uR"J({"op":"insert","row":{"action":"drop","direction":"from-lport","external_ids":["map",[["vigie:isolation","acme"]]],"match":"inport == @vigie_iso_acme && ip","priority":2001},"table":"ACL","uuid-name":"acl5"},)J"
            uR"J({"op":"insert","row":{"acls":["set",[["named-uuid","acl0"],["named-uuid","acl1"],["named-uuid","acl2"],["named-uuid","acl3"],["named-uuid","acl4"],["named-uuid","acl5"]]],)J"
            uR"J("external_ids":["map",[["vigie:isolation","acme"],["vigie:tenant","acme"]]],"name":"vigie_iso_acme",)J"
            uR"J("ports":["set",[["uuid","11111111-0000-4000-8000-000000000001"],["uuid","11111111-0000-4000-8000-000000000002"]]]},"table":"Port_Group"},)J"
            uR"J({"comment":"vigie: isolate acme (2 ports)","op":"comment"}])J"_s;
        QCOMPARE(compact(PortIsolation::isolateOperations(acmePlan())), expected);
    }

    void removeTransaction()
    {
        OvnPortGroup group;
        group.uuid = u"22222222-0000-4000-8000-000000000001"_s;
        group.name = u"vigie_iso_acme"_s;
        group.externalIds = {{u"vigie:isolation"_s, u"acme"_s}};
        const QString expected =
            uR"J([{"columns":["name"],"op":"wait","rows":[{"name":"vigie_iso_acme"}],"table":"Port_Group","timeout":0,"until":"==","where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"op":"delete","table":"Port_Group","where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"comment":"vigie: remove isolation acme","op":"comment"}])J"_s;
        QCOMPARE(compact(PortIsolation::removeOperations(group)), expected);
        QCOMPARE(compact({PortIsolation::joinOperation(group, u"port"_s)}),
                 uR"J([{"mutations":[["ports","insert",["set",[["named-uuid","port"]]]]],"op":"mutate","table":"Port_Group","where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]}])J"_s);
    }

    void allowTransaction()
    {
        OvnPortGroup group;
        group.uuid = u"22222222-0000-4000-8000-000000000001"_s;
        group.name = u"vigie_iso_acme"_s;
        group.externalIds = {{u"vigie:isolation"_s, u"acme"_s}};
        const OvnLogicalSwitchPort db1 = port(u"11111111-0000-4000-8000-000000000001"_s, u"db-1"_s, u"172.16.2.12"_s);
        const OvnAcl acl = PortIsolation::allowAcl(group, db1, AllowRule{u"tcp"_s, 5432, u"172.16.1.0/24"_s});
        QCOMPARE(AclText::describe(acl), u"in: allow tcp 5432 from 172.16.1.0/24"_s);
        QCOMPARE(AclText::describe(PortIsolation::allowAcl(group, db1, AllowRule{u"icmp"_s, 0, u"any"_s})), u"in: allow ping (ICMP echo) from any"_s);
        QCOMPARE(AclText::describe(PortIsolation::allowAcl(group, db1, AllowRule{u"udp"_s, 53, u"$dns_servers"_s})),
                 u"in: allow udp 53 from address set dns_servers"_s);
        const QString expected =
            uR"J([{"columns":["name"],"op":"wait","rows":[{"name":"vigie_iso_acme"}],"table":"Port_Group","timeout":0,"until":"==","where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"op":"insert","row":{"action":"allow-related","direction":"to-lport","external_ids":["map",[["vigie:isolation","acme"],["vigie:port","db-1"]]],)J"
            uR"J("match":"outport == QdbQ && ip4 && ip4.src == 172.16.1.0/24 && tcp && tcp.dst == 5432","priority":2003},"table":"ACL","uuid-name":"rule"},)J"
            uR"J({"mutations":[["acls","insert",["set",[["named-uuid","rule"]]]]],"op":"mutate","table":"Port_Group","where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"comment":"vigie: outport == QdbQ && ip4 && ip4.src == 172.16.1.0/24 && tcp && tcp.dst == 5432","op":"comment"}])J"_s;
        // (moc cannot read an escaped quote in a raw string: QdbQ stands for the quoted port name.)
        QCOMPARE(compact(PortIsolation::allowOperations(group, acl)), QString(expected).replace(u"QdbQ"_s, u"\\\"db-1\\\""_s));
    }

    // One rule out of the group: only while the group still holds it and it is the rule read;
    // the ACL row is not deleted by name, the database drops it once no group refers to it.
    void removeRuleTransaction()
    {
        OvnPortGroup group;
        group.uuid = u"22222222-0000-4000-8000-000000000001"_s;
        group.name = u"vigie_iso_acme"_s;
        group.externalIds = {{u"vigie:isolation"_s, u"acme"_s}};
        OvnAcl acl = PortIsolation::allowAcl(group, port(u"11111111-0000-4000-8000-000000000001"_s, u"db-1"_s, u"172.16.2.12"_s),
                                             AllowRule{u"tcp"_s, 22, u"any"_s});
        acl.uuid = u"33333333-0000-4000-8000-000000000001"_s;
        const QString expected =
            uR"J([{"columns":["name"],"op":"wait","rows":[{"name":"vigie_iso_acme"}],"table":"Port_Group","timeout":0,"until":"==",)J"
            uR"J("where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]],["acls","includes",["uuid","33333333-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"columns":["action","direction","match","priority"],"op":"wait",)J"
            uR"J("rows":[{"action":"allow-related","direction":"to-lport","match":"outport == QdbQ && ip4 && tcp && tcp.dst == 22","priority":2003}],)J"
            uR"J("table":"ACL","timeout":0,"until":"==","where":[["_uuid","==",["uuid","33333333-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"mutations":[["acls","delete",["set",[["uuid","33333333-0000-4000-8000-000000000001"]]]]],"op":"mutate","table":"Port_Group",)J"
            uR"J("where":[["_uuid","==",["uuid","22222222-0000-4000-8000-000000000001"]]]},)J"
            uR"J({"comment":"vigie: remove rule outport == QdbQ && ip4 && tcp && tcp.dst == 22 of vigie_iso_acme","op":"comment"}])J"_s;
        QCOMPARE(compact(PortIsolation::removeRuleOperations(group, acl)), QString(expected).replace(u"QdbQ"_s, u"\\\"db-1\\\""_s));
    }

    // The diff shown before applying: a line per row, the notes after.
    void describedBeforeApplied()
    {
        IsolationPlan plan = acmePlan();
        plan.skipped = {u"app-2 (fa:16:3e:..): its port is OpenStack Neutron's"_s};
        const QStringList lines = PortIsolation::describe(plan);
        QCOMPARE(lines.size(), 1 + 6 + 2);
        // (The plural comes from the translation, not loaded here.)
        QVERIFY2(lines.first().startsWith(u"+ port group vigie_iso_acme (2 port"_s), qPrintable(lines.first()));
        QVERIFY2(lines.first().endsWith(u": db-1, db-2)"_s), qPrintable(lines.first()));
        QVERIFY(lines.at(1).startsWith(u"+ ACL in: allow IPv4 from"_s));
        QVERIFY(lines.at(1).contains(u"priority 2002"_s));
        QVERIFY(lines.last().contains(u"Neutron"_s));
    }
};

QTEST_GUILESS_MAIN(TestPortIsolation)
#include "tst_portisolation.moc"
