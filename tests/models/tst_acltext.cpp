// ACLs in words: the shapes Neutron's ML2/OVN driver writes for security group rules (its acl.py:
// direction, ethertype, remote prefix or remote group, protocol and port range), its default
// drop group, Vigie's isolation, and matches nobody anticipated (quoted, never dropped).
#include "network/acltext.h"

#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

class TestAclText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describe_data()
    {
        QTest::addColumn<QString>("direction");
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("expected");
        const QString pg = u"pg_2c8ff245_8a83_5288_81e9_e3d933c61cd2"_s;
        QTest::newRow("neutron https from anywhere")
            << u"to-lport"_s << u"outport == @%1 && ip4 && ip4.src == 0.0.0.0/0 && tcp && tcp.dst == 443"_s.arg(pg)
            << u"allow-related"_s << u"in: allow tcp 443 from any"_s;
        QTest::newRow("neutron ssh from a prefix")
            << u"to-lport"_s << u"outport == @%1 && ip4 && ip4.src == 10.10.0.0/24 && tcp && tcp.dst == 22"_s.arg(pg)
            << u"allow-related"_s << u"in: allow tcp 22 from 10.10.0.0/24"_s;
        QTest::newRow("neutron port range")
            << u"to-lport"_s << u"outport == @%1 && ip4 && udp && udp.dst >= 5000 && udp.dst <= 5100"_s.arg(pg)
            << u"allow-related"_s << u"in: allow udp 5000-5100 from any"_s;
        QTest::newRow("neutron ping")
            << u"to-lport"_s << u"outport == @%1 && ip4 && ip4.src == 0.0.0.0/0 && icmp4 && icmp4.type == 8"_s.arg(pg)
            << u"allow-related"_s << u"in: allow ping (ICMP echo) from any"_s;
        QTest::newRow("neutron other protocol")
            << u"to-lport"_s << u"outport == @%1 && ip4 && ip.proto == 112"_s.arg(pg) << u"allow-related"_s
            << u"in: allow IP protocol 112 from any"_s;
        QTest::newRow("neutron egress default")
            << u"from-lport"_s << u"inport == @%1 && ip4"_s.arg(pg) << u"allow-related"_s << u"out: allow IPv4 to any"_s;
        QTest::newRow("neutron egress ipv6 to a prefix")
            << u"from-lport"_s << u"inport == @%1 && ip6 && ip6.dst == 2001:db8::/64"_s.arg(pg) << u"allow-related"_s
            << u"out: allow IPv6 to 2001:db8::/64"_s;
        QTest::newRow("neutron remote group (no policy to name it)")
            << u"to-lport"_s << u"outport == @%1 && ip4 && ip4.src == $%1_ip4"_s.arg(pg) << u"allow-related"_s
            << u"in: allow IPv4 from address set %1_ip4"_s.arg(pg);
        QTest::newRow("neutron drop group in")
            << u"to-lport"_s << u"outport == @neutron_pg_drop && ip"_s << u"drop"_s << u"in: drop everything else"_s;
        QTest::newRow("neutron drop group out")
            << u"from-lport"_s << u"inport == @neutron_pg_drop && ip"_s << u"drop"_s << u"out: drop everything else"_s;
        QTest::newRow("neutron dhcp per port")
            << u"from-lport"_s
            << u"inport == \"9b935da2-fa1c-59ea-ad39-d5f851ae94aa\" && ip4 && ip4.dst == {255.255.255.255, 10.10.0.0/24} && udp && udp.src == 68 && udp.dst == 67"_s
            << u"allow"_s << u"out: allow DHCP requests to 255.255.255.255, 10.10.0.0/24"_s;
        QTest::newRow("a set of ports")
            << u"to-lport"_s << u"outport == @web && tcp.dst == {80, 443}"_s << u"allow-related"_s << u"in: allow tcp 80, 443 from any"_s;
        QTest::newRow("reject")
            << u"to-lport"_s << u"outport == @web && tcp"_s << u"reject"_s << u"in: reject all tcp from any"_s;
        QTest::newRow("not understood is quoted")
            << u"to-lport"_s << u"outport == @web && ip4 && (tcp.dst == 80 || udp.dst == 53) && eth.src == 00:11:22:33:44:55"_s
            << u"allow-stateless"_s
            << u"in: allow (stateless) IPv4 from any where (tcp.dst == 80 || udp.dst == 53) && eth.src == 00:11:22:33:44:55"_s;
        QTest::newRow("an address set")
            << u"to-lport"_s << u"outport == @vigie_iso_x && ip4 && ip4.src == $lumiere_monitoring && tcp && tcp.dst == 9100"_s
            << u"allow-related"_s << u"in: allow tcp 9100 from address set lumiere_monitoring"_s;
        QTest::newRow("a drop with a peer is not everything else")
            << u"to-lport"_s << u"outport == @web && ip4 && ip4.src == 192.0.2.0/24"_s << u"drop"_s
            << u"in: drop IPv4 from 192.0.2.0/24"_s;
        QTest::newRow("everything")
            << u"from-lport"_s << u"inport == @web"_s << u"allow"_s << u"out: allow everything to any"_s;
        QTest::newRow("empty match") << u"from-lport"_s << u""_s << u"pass"_s << u"out: pass on everything to any"_s;
    }

    void describe()
    {
        QFETCH(QString, direction);
        QFETCH(QString, match);
        QFETCH(QString, action);
        QFETCH(QString, expected);
        OvnAcl acl;
        acl.direction = direction;
        acl.match = match;
        acl.action = action;
        acl.priority = 1002;
        QCOMPARE(AclText::describe(acl), expected);
    }

    // With the policy at hand, a group's address set is named by the group.
    void groupsNamedByThePolicy()
    {
        OvnPolicy policy;
        OvnAcl acl;
        acl.direction = u"to-lport"_s;
        acl.action = u"allow-related"_s;
        acl.match = u"outport == @vigie_iso_acme && ip4 && ip4.src == $vigie_iso_acme_ip4"_s;
        // Not in the policy yet: the address set's own name.
        QCOMPARE(AclText::describe(acl, &policy), u"in: allow IPv4 from address set vigie_iso_acme_ip4"_s);
    }

    // A hostile match: long, unbalanced, full of operators. Bounded work, no crash, quoted.
    void hostileMatch()
    {
        OvnAcl acl;
        acl.direction = u"to-lport"_s;
        acl.action = u"drop"_s;
        acl.match = u"((((("_s + u"&&"_s.repeated(500) + u"}}}} ip4.src == "_s;
        const QString text = AclText::describe(acl);
        QVERIFY(text.startsWith(u"in: drop"_s));
        QVERIFY(text.contains(u"where"_s));
    }
};

QTEST_GUILESS_MAIN(TestAclText)
#include "tst_acltext.moc"
