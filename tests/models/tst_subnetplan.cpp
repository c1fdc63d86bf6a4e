// SubnetPlan: the free address suggested and the typed address checked, for IPv4 and IPv6
// subnets with a gateway, DHCP server, OVN's exclude_ips and ports' addresses; malformed rows.
#include "network/subnetplan.h"

#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

class tst_SubnetPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suggestion_data();
    void suggestion();
    void refusal_data();
    void refusal();
    void invalidSubnets_data();
    void invalidSubnets();
    void freeCount_data();
    void freeCount();
    void bigSubnetsStaySmall();
    void spans_data();
    void spans();
};

namespace {

// "cidr", gateway, "reserved", "exclude_ips", {"ip=port", ...}
SubnetPlan plan(const QString &cidr, const QString &gateway, const QString &reserved, const QString &excluded,
                const QStringList &used)
{
    SubnetPlan p(cidr);
    p.setGateway(gateway);
    p.reserve(reserved);
    p.exclude(excluded);
    for (const QString &entry : used)
        p.addUsed(entry.section(u'=', 0, 0), entry.section(u'=', 1));
    return p;
}

} // namespace

void tst_SubnetPlan::suggestion_data()
{
    QTest::addColumn<QString>("cidr");
    QTest::addColumn<QString>("gateway");
    QTest::addColumn<QString>("reserved");
    QTest::addColumn<QString>("excluded");
    QTest::addColumn<QStringList>("used");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty /24: .2 (.1 is the gateway's by convention)") << u"10.0.0.0/24"_s << QString() << QString() << QString()
                                                                         << QStringList{} << u"10.0.0.2"_s;
    QTest::newRow("not aligned cidr") << u"10.0.0.77/24"_s << QString() << QString() << QString() << QStringList{} << u"10.0.0.2"_s;
    QTest::newRow("gateway and DHCP server at .2 and .3") << u"10.0.0.0/24"_s << u"10.0.0.2"_s << u"10.0.0.3"_s << QString()
                                                          << QStringList{} << u"10.0.0.4"_s;
    QTest::newRow("used and excluded") << u"172.16.1.0/24"_s << u"172.16.1.1"_s << QString() << u"172.16.1.2..172.16.1.9 172.16.1.11"_s
                                       << QStringList{u"172.16.1.10=port-a"_s, u"172.16.1.12=port-b"_s} << u"172.16.1.13"_s;
    QTest::newRow("malformed exclusions are skipped") << u"10.0.0.0/24"_s << QString() << QString() << u"10.0.0.2..x garbage 10.0.0.9..10.0.0.3"_s
                                                      << QStringList{} << u"10.0.0.2"_s;
    QTest::newRow("all used") << u"192.168.5.0/30"_s << u"192.168.5.1"_s << QString() << QString()
                              << QStringList{u"192.168.5.2=p"_s} << QString();
    QTest::newRow("last before broadcast") << u"192.168.5.0/29"_s << u"192.168.5.1"_s << QString() << u"192.168.5.2..192.168.5.5"_s
                                           << QStringList{} << u"192.168.5.6"_s;
    QTest::newRow("IPv6 /64") << u"fd00:1::/64"_s << u"fd00:1::1"_s << QString() << QString() << QStringList{u"fd00:1::2=p"_s}
                              << u"fd00:1::3"_s;
    QTest::newRow("IPv6 written long") << u"fd00:0001:0000:0000:0000:0000:0000:0000/64"_s << QString() << QString()
                                       << u"fd00:1::2..fd00:1::4"_s << QStringList{u"FD00:1:0:0::5=p"_s} << u"fd00:1::6"_s;
    QTest::newRow("an IPv4 port address in an IPv6 subnet is ignored") << u"fd00:1::/64"_s << QString() << QString() << QString()
                                                                       << QStringList{u"10.0.0.2=p"_s} << u"fd00:1::2"_s;
}

void tst_SubnetPlan::suggestion()
{
    QFETCH(QString, cidr);
    QFETCH(QString, gateway);
    QFETCH(QString, reserved);
    QFETCH(QString, excluded);
    QFETCH(QStringList, used);
    QFETCH(QString, expected);
    const SubnetPlan p = plan(cidr, gateway, reserved, excluded, used);
    QVERIFY2(p.isValid(), qPrintable(p.problem()));
    QCOMPARE(p.suggestion(), expected);
    if (!expected.isEmpty())
        QCOMPARE(p.refusal(expected), QString());
}

void tst_SubnetPlan::refusal_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("self");
    QTest::addColumn<QString>("expected"); // a word of the reason; empty: accepted

    QTest::newRow("free") << u"10.0.0.50"_s << QString() << QString();
    QTest::newRow("free, with spaces") << u" 10.0.0.50 "_s << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << u"Type an address"_s;
    QTest::newRow("not an address") << u"10.0.0.500"_s << QString() << u"not an IPv4 address"_s;
    QTest::newRow("IPv6 in an IPv4 subnet") << u"fd00::5"_s << QString() << u"not an IPv4 address"_s;
    QTest::newRow("outside") << u"10.0.1.5"_s << QString() << u"outside the subnet 10.0.0.0/24"_s;
    QTest::newRow("network") << u"10.0.0.0"_s << QString() << u"subnet's own address"_s;
    QTest::newRow("broadcast") << u"10.0.0.255"_s << QString() << u"broadcast"_s;
    QTest::newRow("gateway") << u"10.0.0.1"_s << QString() << u"gateway"_s;
    QTest::newRow("DHCP server") << u"10.0.0.254"_s << QString() << u"reserved"_s;
    QTest::newRow("excluded") << u"10.0.0.15"_s << QString() << u"exclude_ips"_s;
    QTest::newRow("in use") << u"10.0.0.7"_s << QString() << u"in use by port web-eth0"_s;
    QTest::newRow("its own address") << u"10.0.0.7"_s << u"web-eth0"_s << QString();
    QTest::newRow("50 MB of text") << QString(50 * 1024 * 1024, u'9') << QString() << u"not an IPv4 address"_s;
}

void tst_SubnetPlan::refusal()
{
    QFETCH(QString, address);
    QFETCH(QString, self);
    QFETCH(QString, expected);
    const SubnetPlan p = plan(u"10.0.0.0/24"_s, u"10.0.0.1"_s, u"10.0.0.254"_s, u"10.0.0.10..10.0.0.20"_s, {u"10.0.0.7=web-eth0"_s});
    const QString reason = p.refusal(address, self);
    if (expected.isEmpty()) {
        QVERIFY2(reason.isEmpty(), qPrintable(reason));
    } else {
        QVERIFY2(reason.contains(expected), qPrintable(reason));
        QVERIFY(reason.size() < 200); // the message quotes at most a bounded part of the input
    }
}

void tst_SubnetPlan::invalidSubnets_data()
{
    QTest::addColumn<QString>("cidr");
    QTest::newRow("empty") << QString();
    QTest::newRow("no prefix length") << u"10.0.0.0"_s;
    QTest::newRow("garbage") << u"dhcp please"_s;
    QTest::newRow("/32") << u"10.0.0.5/32"_s;
    QTest::newRow("/31") << u"10.0.0.4/31"_s;
    QTest::newRow("/128") << u"fd00::1/128"_s;
    QTest::newRow("bad prefix") << u"10.0.0.0/33"_s;
}

void tst_SubnetPlan::invalidSubnets()
{
    QFETCH(QString, cidr);
    SubnetPlan p(cidr);
    QVERIFY(!p.isValid());
    QVERIFY(!p.problem().isEmpty());
    QCOMPARE(p.suggestion(), QString());
    QCOMPARE(p.refusal(u"10.0.0.2"_s), p.problem());
    QCOMPARE(p.freeCount(), quint64(0));
    p.addUsed(u"10.0.0.2"_s, u"x"_s); // ignored, no crash
    QCOMPARE(p.usedCount(), 0);
}

void tst_SubnetPlan::freeCount_data()
{
    QTest::addColumn<QString>("cidr");
    QTest::addColumn<QString>("excluded");
    QTest::addColumn<QStringList>("used");
    QTest::addColumn<quint64>("expected");
    // 254 hosts, less the gateway .1 and the DHCP server .254.
    QTest::newRow("/24") << u"10.0.0.0/24"_s << QString() << QStringList{} << quint64(252);
    QTest::newRow("/24, 3 used, 10 excluded") << u"10.0.0.0/24"_s << u"10.0.0.100..10.0.0.109"_s
                                              << QStringList{u"10.0.0.2=a"_s, u"10.0.0.3=b"_s, u"10.0.0.4=c"_s} << quint64(239);
    QTest::newRow("used twice counts once") << u"10.0.0.0/24"_s << QString() << QStringList{u"10.0.0.2=a"_s, u"10.0.0.2=b"_s}
                                            << quint64(251);
}

void tst_SubnetPlan::freeCount()
{
    QFETCH(QString, cidr);
    QFETCH(QString, excluded);
    QFETCH(QStringList, used);
    QFETCH(quint64, expected);
    const SubnetPlan p = plan(cidr, u"10.0.0.1"_s, u"10.0.0.254"_s, excluded, used);
    QCOMPARE(p.freeCount(), expected);
}

void tst_SubnetPlan::bigSubnetsStaySmall()
{
    // A /8 and an IPv6 /64: nothing walks the whole range.
    SubnetPlan v4(u"10.0.0.0/8"_s);
    for (int i = 2; i < 70000; ++i)
        v4.addUsed(QStringLiteral("10.%1.%2.%3").arg(i >> 16).arg((i >> 8) & 0xff).arg(i & 0xff), u"p"_s);
    QCOMPARE(v4.suggestion(), QString()); // the first 65,536 are taken: none suggested, none wrongly
    QCOMPARE(v4.freeCount(), quint64((1 << 24) - 2 - 69998));
    const SubnetPlan v6(u"fd00::/64"_s);
    QCOMPARE(v6.freeCount(), quint64(1) << 32);
    QCOMPARE(v6.suggestion(), u"fd00::2"_s);
    QCOMPARE(v6.cidr(), u"fd00::/64"_s);
    // The last /120 of the IPv6 space: nothing wraps around.
    const SubnetPlan last(u"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120"_s);
    QVERIFY(last.isValid());
    QCOMPARE(last.freeCount(), quint64(255));
    QCOMPARE(last.suggestion(), u"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff02"_s);
    QVERIFY(last.refusal(u"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"_s).isEmpty());
}

namespace {

QString spanText(const SubnetPlan::Span &span)
{
    static const char *const kinds[] = {"network", "broadcast", "gateway", "reserved", "excluded", "used", "free", "outside"};
    QString text = QString::fromLatin1(kinds[int(span.kind)]) + u' ' + span.first;
    if (span.last != span.first)
        text += QStringLiteral("..") + span.last;
    if (span.count != 1)
        text += QStringLiteral(" #") + QString::number(span.count);
    if (!span.by.isEmpty())
        text += QStringLiteral(" by ") + span.by;
    return text;
}

} // namespace

// The Addresses view's rows: every address accounted for, in order, free ranges summarised.
void tst_SubnetPlan::spans_data()
{
    QTest::addColumn<QString>("cidr");
    QTest::addColumn<QString>("gateway");
    QTest::addColumn<QString>("reserved");
    QTest::addColumn<QString>("excluded");
    QTest::addColumn<QStringList>("used");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty /24") << u"10.0.0.0/24"_s << QString() << QString() << QString() << QStringList{}
                               << QStringList{u"network 10.0.0.0"_s, u"free 10.0.0.1..10.0.0.254 #254"_s, u"broadcast 10.0.0.255"_s};
    QTest::newRow("the demo's VLAN 500")
        << u"10.50.0.0/24"_s << u"10.50.0.1"_s << u"10.50.0.1"_s << u"10.50.0.2..10.50.0.9"_s
        << QStringList{u"10.50.0.10=sftp"_s, u"10.50.0.12=batch"_s}
        << QStringList{u"network 10.50.0.0"_s, u"gateway 10.50.0.1"_s, u"excluded 10.50.0.2..10.50.0.9 #8"_s,
                       u"used 10.50.0.10 by sftp"_s, u"free 10.50.0.11"_s, u"used 10.50.0.12 by batch"_s,
                       u"free 10.50.0.13..10.50.0.254 #242"_s, u"broadcast 10.50.0.255"_s};
    QTest::newRow("all used: no free row") << u"10.0.0.0/30"_s << u"10.0.0.1"_s << QString() << QString() << QStringList{u"10.0.0.2=a"_s}
                                           << QStringList{u"network 10.0.0.0"_s, u"gateway 10.0.0.1"_s, u"used 10.0.0.2 by a"_s,
                                                          u"broadcast 10.0.0.3"_s};
    QTest::newRow("a /16 is a handful of rows")
        << u"10.60.0.0/16"_s << u"10.60.0.1"_s << QString() << QString() << QStringList{u"10.60.200.7=p"_s}
        << QStringList{u"network 10.60.0.0"_s, u"gateway 10.60.0.1"_s, u"free 10.60.0.2..10.60.200.6 #51205"_s, u"used 10.60.200.7 by p"_s,
                       u"free 10.60.200.8..10.60.255.254 #14327"_s, u"broadcast 10.60.255.255"_s};
    QTest::newRow("overlapping exclusions, a port inside one, one outside the subnet")
        << u"10.0.0.0/29"_s << QString() << QString() << u"10.0.0.1..10.0.0.3 10.0.0.2..10.0.0.4 10.0.0.40"_s
        << QStringList{u"10.0.0.3=squatter"_s, u"192.168.1.1=lost"_s, u"bogus=x"_s}
        << QStringList{u"network 10.0.0.0"_s, u"excluded 10.0.0.1..10.0.0.3 #3"_s, u"excluded 10.0.0.2..10.0.0.4 #3"_s,
                       u"used 10.0.0.3 by squatter"_s, u"free 10.0.0.5..10.0.0.6 #2"_s, u"broadcast 10.0.0.7"_s,
                       u"outside 192.168.1.1 by lost"_s};
    QTest::newRow("IPv6 /64: two rows around a port")
        << u"fd00:50::/64"_s << u"fd00:50::1"_s << QString() << QString() << QStringList{u"fd00:50::2=v6"_s}
        << QStringList{u"network fd00:50::"_s, u"gateway fd00:50::1"_s, u"used fd00:50::2 by v6"_s,
                       u"free fd00:50::3..fd00:50::ffff:ffff:ffff:ffff #18446744073709551613"_s};
    QTest::newRow("IPv6 /32: the count saturates")
        << u"fd00::/32"_s << QString() << QString() << QString() << QStringList{}
        << QStringList{u"network fd00::"_s, u"free fd00::1..fd00:0:ffff:ffff:ffff:ffff:ffff:ffff #18446744073709551615"_s};
    QTest::newRow("the last IPv6 subnet does not wrap")
        << u"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"_s << QString() << QString() << QString()
        << QStringList{u"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff=end"_s}
        << QStringList{u"network ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc"_s, u"free ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd..ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe #2"_s,
                       u"used ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff by end"_s};
    QTest::newRow("not a subnet: nothing") << u"10.0.0.0/33"_s << QString() << QString() << QString() << QStringList{} << QStringList{};
}

void tst_SubnetPlan::spans()
{
    QFETCH(QString, cidr);
    QFETCH(QString, gateway);
    QFETCH(QString, reserved);
    QFETCH(QString, excluded);
    QFETCH(QStringList, used);
    QFETCH(QStringList, expected);
    const SubnetPlan p = plan(cidr, gateway, reserved, excluded, used);
    QStringList actual;
    quint64 free = 0;
    for (const SubnetPlan::Span &span : p.spans()) {
        actual.append(spanText(span));
        if (span.kind == SubnetPlan::Span::Kind::Free && free < (quint64(1) << 32))
            free += span.count;
    }
    QCOMPARE(actual, expected);
    // The free rows add up to what freeCount() says, for subnets it counts exactly.
    if (p.isValid() && !p.isIpv6())
        QCOMPARE(free, p.freeCount());
}

QTEST_GUILESS_MAIN(tst_SubnetPlan)
#include "tst_subnetplan.moc"
