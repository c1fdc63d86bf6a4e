// The filter language of the VM table, the host tree and the topology: VmQuery parses,
// VmMatcher matches a VM of the inventory. VmTags' rules for tags are here too.
#include "inventory/inventory.h"
#include "inventory/vmmatcher.h"
#include "inventory/vmquery.h"
#include "inventory/vmtags.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString HostA = u"qemu+ssh://par-hv01/system"_s;
const QString HostB = u"qemu+ssh://lyo-hv02/system"_s;
constexpr quint64 MiB = 1024;
constexpr quint64 GiB = 1024 * 1024;

HostInfo makeHost(const QString &uri, const QString &name)
{
    HostInfo host;
    host.uri = uri;
    host.displayName = name;
    host.state = ConnectionState::Connected;
    return host;
}

VmInfo makeVm(const QString &host, const QString &name, VmState state, int vcpus, quint64 memoryKiB,
              const QString &tenant, const QString &portgroup, const QStringList &tags = {})
{
    VmInfo vm;
    vm.hostUri = host;
    vm.uuid = u"uuid-"_s + name;
    vm.name = name;
    vm.state = state;
    vm.vcpus = vcpus;
    vm.memoryKiB = memoryKiB;
    vm.tenant = tenant;
    vm.tags = tags;
    if (!portgroup.isEmpty()) {
        NicInfo nic;
        nic.mac = u"52:54:00:00:00:%1"_s.arg(qHash(name) % 100, 2, 10, QLatin1Char('0'));
        nic.sourceType = u"network"_s;
        nic.source = u"ovs-prod"_s;
        nic.portgroup = portgroup;
        vm.nics.append(nic);
    }
    return vm;
}

NetworkInfo prodNetwork(const QString &host)
{
    NetworkInfo network;
    network.hostUri = host;
    network.name = u"ovs-prod"_s;
    network.virtualPortType = u"openvswitch"_s;
    network.active = true;
    network.portgroups = {{u"front"_s, {100}, true}, {u"data"_s, {200}, false}};
    return network;
}

// par-hv01: web-01 (running, 2 vCPUs, 4 GiB, acme, VLAN 100 "front", tags web prod)
//           db-01 (running, 16, 32 GiB, acme, VLAN 200 "data", tag prod)
//           build-01 (shut off, 4, 512 MiB, banque lumière, no NIC, tag ci)
// lyo-hv02: web-02 (paused, 8, 8 GiB, globex, VLAN 100, tag webhooks), titled "Public web"
//           cache-01 (running, 1, 1.5 TiB, globex, VLAN 200)
void populate(Inventory &inventory)
{
    inventory.applySnapshot({makeHost(HostA, u"par-hv01"_s),
                             {makeVm(HostA, u"web-01"_s, VmState::Running, 2, 4 * GiB, u"acme"_s, u"front"_s,
                                     {u"prod"_s, u"web"_s}),
                              makeVm(HostA, u"db-01"_s, VmState::Running, 16, 32 * GiB, u"acme"_s, u"data"_s, {u"prod"_s}),
                              makeVm(HostA, u"build-01"_s, VmState::Shutoff, 4, 512 * MiB, u"banque lumière"_s, {},
                                     {u"ci"_s})},
                             {prodNetwork(HostA)}});
    VmInfo web02 = makeVm(HostB, u"web-02"_s, VmState::Paused, 8, 8 * GiB, u"globex"_s, u"front"_s, {u"webhooks"_s});
    web02.title = u"Public web"_s;
    inventory.applySnapshot({makeHost(HostB, u"lyo-hv02"_s),
                             {web02, makeVm(HostB, u"cache-01"_s, VmState::Running, 1, 1536 * GiB, u"globex"_s, u"data"_s)},
                             {prodNetwork(HostB)}});
}

QStringList matching(const Inventory &inventory, const VmMatcher &matcher)
{
    QStringList names;
    for (const VmKey &key : inventory.vmKeys()) {
        if (matcher.matches(inventory.vm(key)))
            names.append(inventory.vm(key).name);
    }
    return names;
}

const QStringList All{u"web-01"_s, u"db-01"_s, u"build-01"_s, u"web-02"_s, u"cache-01"_s};

} // namespace

class TestVmQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("terms");
        QTest::addColumn<QStringList>("errorsContain"); // one fragment per expected error

        QTest::newRow("empty") << QString() << 0 << QStringList();
        QTest::newRow("blanks") << u"  \t "_s << 0 << QStringList();
        QTest::newRow("words") << u"web  acme"_s << 2 << QStringList();
        QTest::newRow("fields") << u"host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0"_s << 6 << QStringList();
        QTest::newRow("comparisons") << u"mem>8G mem<=512M vcpus>=4 vcpus<2 vcpus=2 mem:1.5T"_s << 6 << QStringList();
        QTest::newRow("regex") << u"name~^web-[0-9]+$"_s << 1 << QStringList();
        QTest::newRow("quoted value") << u"tenant:\"banque lumière\""_s << 1 << QStringList();
        QTest::newRow("quoted phrase") << u"\"banque lumière\""_s << 1 << QStringList();
        QTest::newRow("unterminated quote") << u"tenant:\"banque"_s << 1 << QStringList();
        QTest::newRow("negations") << u"-state:running !tag:web -web"_s << 3 << QStringList();
        QTest::newRow("field being typed") << u"host:"_s << 0 << QStringList();
        QTest::newRow("field names are case-insensitive") << u"HOST:x Tenant:y"_s << 2 << QStringList();
        QTest::newRow("unknown field") << u"hots:par-hv01 web"_s << 1
                                       << QStringList{u"unknown field “hots” — fields: name, title, host, tenant"_s};
        QTest::newRow("bad regex") << u"name~(web"_s << 0 << QStringList{u"bad regular expression"_s};
        QTest::newRow("bad size") << u"mem>lots"_s << 0 << QStringList{u"is not a size"_s};
        QTest::newRow("size unit unknown") << u"mem>8Q"_s << 0 << QStringList{u"is not a size"_s};
        QTest::newRow("bad vcpus") << u"vcpus>four"_s << 0 << QStringList{u"is not a number of vCPUs"_s};
        QTest::newRow("unknown state") << u"state:sleepy"_s << 0 << QStringList{u"unknown state — states: running"_s};
        QTest::newRow("comparison on text") << u"name>web"_s << 0 << QStringList{u"only mem and vcpus compare"_s};
        QTest::newRow("regex on a number") << u"mem~8"_s << 0 << QStringList{u"~ (regular expression) applies"_s};
        QTest::newRow("one bad term among good ones") << u"acme hots:x mem>1G name~["_s << 2
                                                      << QStringList{u"unknown field"_s, u"bad regular expression"_s};
        QTest::newRow("address with colons is a word") << u"52:54:00"_s << 1 << QStringList();
        QTest::newRow("a URI is a word") << u"qemu+ssh://x"_s << 1 << QStringList();
        QTest::newRow("lone dash is a word") << u"- web"_s << 2 << QStringList();
        QTest::newRow("too long") << QString(VmQuery::MaxLength + 1, u'a') << 0 << QStringList{u"at most 1000"_s};
        QTest::newRow("50 MB paste") << QString(50 * 1024 * 1024, u'x') << 0 << QStringList{u"Nothing is filtered"_s};
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(int, terms);
        QFETCH(QStringList, errorsContain);

        const VmQuery query = VmQuery::parse(text);
        QCOMPARE(query.terms().size(), terms);
        QCOMPARE(query.errors().size(), errorsContain.size());
        for (int i = 0; i < errorsContain.size(); ++i)
            QVERIFY2(query.errors().at(i).contains(errorsContain.at(i)), qPrintable(query.errors().at(i)));
    }

    void sizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("kib");

        QTest::newRow("G") << u"mem>8G"_s << 8 * GiB;
        QTest::newRow("GiB") << u"mem>8GiB"_s << 8 * GiB;
        QTest::newRow("gb, binary") << u"mem>8gb"_s << 8 * GiB;
        QTest::newRow("M") << u"mem<=512M"_s << 512 * MiB;
        QTest::newRow("K") << u"mem<=64k"_s << quint64(64);
        QTest::newRow("T fraction") << u"mem>=1.5T"_s << 1536 * GiB;
        QTest::newRow("decimal comma") << u"mem>=1,5T"_s << 1536 * GiB;
        QTest::newRow("bare number is GiB") << u"mem>16"_s << 16 * GiB;
    }

    void sizes()
    {
        QFETCH(QString, text);
        QFETCH(quint64, kib);
        const VmQuery query = VmQuery::parse(text);
        QVERIFY2(!query.hasErrors(), qPrintable(query.errors().join(u'\n')));
        QCOMPARE(query.terms().size(), 1);
        QCOMPARE(query.terms().first().number, kib);
    }

    void match_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("empty") << QString() << All;
        QTest::newRow("free word: name") << u"build"_s << QStringList{u"build-01"_s};
        QTest::newRow("free word: title") << u"public"_s << QStringList{u"web-02"_s};
        QTest::newRow("free word: host") << u"lyo"_s << QStringList{u"web-02"_s, u"cache-01"_s};
        QTest::newRow("free word: tenant") << u"globex"_s << QStringList{u"web-02"_s, u"cache-01"_s};
        QTest::newRow("free word: state") << u"paused"_s << QStringList{u"web-02"_s};
        QTest::newRow("free word: VLAN id") << u"200"_s << QStringList{u"db-01"_s, u"cache-01"_s};
        QTest::newRow("free word: VLAN name") << u"front"_s << QStringList{u"web-01"_s, u"web-02"_s};
        QTest::newRow("free word: tag") << u"ci"_s << QStringList{u"build-01"_s};
        QTest::newRow("free words are ANDed") << u"acme running"_s << QStringList{u"web-01"_s, u"db-01"_s};
        QTest::newRow("case-insensitive") << u"ACME"_s << QStringList{u"web-01"_s, u"db-01"_s};
        QTest::newRow("quoted phrase") << u"\"banque lumière\""_s << QStringList{u"build-01"_s};
        QTest::newRow("negated word") << u"-acme"_s << QStringList{u"build-01"_s, u"web-02"_s, u"cache-01"_s};
        QTest::newRow("name:") << u"name:web"_s << QStringList{u"web-01"_s, u"web-02"_s};
        QTest::newRow("name= exact") << u"name=web-01"_s << QStringList{u"web-01"_s};
        QTest::newRow("name~ regex") << u"name~^(web|db)-0[1]$"_s << QStringList{u"web-01"_s, u"db-01"_s};
        QTest::newRow("title:") << u"title:web"_s << QStringList{u"web-02"_s};
        QTest::newRow("host:") << u"host:par-hv01"_s << QStringList{u"web-01"_s, u"db-01"_s, u"build-01"_s};
        QTest::newRow("host~") << u"host~^lyo-"_s << QStringList{u"web-02"_s, u"cache-01"_s};
        QTest::newRow("tenant: quoted") << u"tenant:\"banque lumière\""_s << QStringList{u"build-01"_s};
        QTest::newRow("tenant: part") << u"tenant:lumi"_s << QStringList{u"build-01"_s};
        QTest::newRow("state:running") << u"state:running"_s << QStringList{u"web-01"_s, u"db-01"_s, u"cache-01"_s};
        QTest::newRow("state: prefix") << u"state:shut"_s << QStringList{u"build-01"_s};
        QTest::newRow("state: display name") << u"state:\"shut off\""_s << QStringList{u"build-01"_s};
        QTest::newRow("-state:running") << u"-state:running"_s << QStringList{u"build-01"_s, u"web-02"_s};
        QTest::newRow("!state:running") << u"!state:running"_s << QStringList{u"build-01"_s, u"web-02"_s};
        QTest::newRow("vlan: id") << u"vlan:100"_s << QStringList{u"web-01"_s, u"web-02"_s};
        QTest::newRow("vlan: id is exact") << u"vlan:10"_s << QStringList();
        QTest::newRow("vlan: name") << u"vlan:data"_s << QStringList{u"db-01"_s, u"cache-01"_s};
        QTest::newRow("-vlan:") << u"-vlan:100"_s << QStringList{u"db-01"_s, u"build-01"_s, u"cache-01"_s};
        QTest::newRow("tag: whole tag") << u"tag:web"_s << QStringList{u"web-01"_s};
        QTest::newRow("tag~ part") << u"tag~web"_s << QStringList{u"web-01"_s, u"web-02"_s};
        QTest::newRow("tag: case") << u"tag:PROD"_s << QStringList{u"web-01"_s, u"db-01"_s};
        QTest::newRow("-tag:") << u"-tag:prod"_s << QStringList{u"build-01"_s, u"web-02"_s, u"cache-01"_s};
        QTest::newRow("mem>8G") << u"mem>8G"_s << QStringList{u"db-01"_s, u"cache-01"_s};
        QTest::newRow("mem>=8G") << u"mem>=8G"_s << QStringList{u"db-01"_s, u"web-02"_s, u"cache-01"_s};
        QTest::newRow("mem<=512M") << u"mem<=512M"_s << QStringList{u"build-01"_s};
        QTest::newRow("mem:4G exact") << u"mem:4G"_s << QStringList{u"web-01"_s};
        QTest::newRow("mem>1T") << u"mem>1T"_s << QStringList{u"cache-01"_s};
        QTest::newRow("vcpus>=4") << u"vcpus>=4"_s << QStringList{u"db-01"_s, u"build-01"_s, u"web-02"_s};
        QTest::newRow("vcpus<2") << u"vcpus<2"_s << QStringList{u"cache-01"_s};
        QTest::newRow("vcpus=2") << u"vcpus=2"_s << QStringList{u"web-01"_s};
        QTest::newRow("the brief's example")
            << u"host:par-hv01 tenant:acme state:running vlan:200 mem>8G vcpus>=4 name~db tag:prod"_s
            << QStringList{u"db-01"_s};
        QTest::newRow("every term must hold") << u"tenant:acme vcpus>100"_s << QStringList();
        QTest::newRow("negated and plain") << u"tenant:globex -state:paused"_s << QStringList{u"cache-01"_s};
        // A term that cannot be understood is left out; the others still filter.
        QTest::newRow("unknown field ignored") << u"hots:par acme"_s << QStringList{u"web-01"_s, u"db-01"_s};
        QTest::newRow("bad regex ignored") << u"name~( tag:ci"_s << QStringList{u"build-01"_s};
        QTest::newRow("only bad terms: everything") << u"mem>lots"_s << All;
        QTest::newRow("too long: everything") << QString(VmQuery::MaxLength + 1, u'z') << All;
        QTest::newRow("no match") << u"zzz"_s << QStringList();
    }

    void match()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);

        Inventory inventory;
        populate(inventory);
        VmMatcher matcher(&inventory);
        matcher.setText(text);
        QCOMPARE(matching(inventory, matcher), expected);
    }

    void matcherFollowsText()
    {
        Inventory inventory;
        populate(inventory);
        VmMatcher matcher(&inventory);
        QVERIFY(matcher.setText(u"acme"_s));
        QVERIFY(!matcher.setText(u"acme"_s)); // unchanged: nothing to refilter
        QCOMPARE(matcher.text(), u"acme"_s);
        QVERIFY(matcher.setText({}));
        QVERIFY(matcher.isEmpty());
    }

    void matchesHost_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("hostA");

        QTest::newRow("empty") << QString() << true;
        QTest::newRow("its name") << u"hv01"_s << true;
        QTest::newRow("another name") << u"hv02"_s << false;
        QTest::newRow("host:") << u"host:par"_s << true;
        QTest::newRow("-host:") << u"-host:par"_s << false;
        QTest::newRow("a VM field") << u"tenant:acme"_s << false;
    }

    void matchesHost()
    {
        QFETCH(QString, text);
        QFETCH(bool, hostA);
        Inventory inventory;
        populate(inventory);
        VmMatcher matcher(&inventory);
        matcher.setText(text);
        QCOMPARE(matcher.matchesHost(HostA), hostA);
    }

    void tagRules_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("tag"); // null: refused

        QTest::newRow("plain") << u"web"_s << u"web"_s;
        QTest::newRow("lower-cased, trimmed") << u" Web "_s << u"web"_s;
        QTest::newRow("punctuation allowed") << u"pci-dss_v4.0"_s << u"pci-dss_v4.0"_s;
        QTest::newRow("unicode letters") << u"Sécurité"_s << u"sécurité"_s;
        QTest::newRow("32 characters") << QString(32, u'a') << QString(32, u'a');
        QTest::newRow("33 characters") << QString(33, u'a') << QString();
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("space") << u"a b"_s << QString();
        QTest::newRow("markup") << u"<b>"_s << QString();
        QTest::newRow("quote") << u"a\"b"_s << QString();
        QTest::newRow("colon") << u"a:b"_s << QString();
        QTest::newRow("control character") << u"a\ab"_s << QString();
    }

    void tagRules()
    {
        QFETCH(QString, typed);
        QFETCH(QString, tag);
        QString error;
        const std::optional<QString> normalized = VmTags::normalize(typed, &error);
        QCOMPARE(normalized.has_value(), !tag.isNull());
        if (normalized)
            QCOMPARE(*normalized, tag);
        else
            QVERIFY(!error.isEmpty());
    }

    void tagEdits()
    {
        QStringList rejected;
        QCOMPARE(VmTags::split(u"web, Prod  web,,db"_s, &rejected), (QStringList{u"web"_s, u"prod"_s, u"db"_s}));
        QVERIFY(rejected.isEmpty());
        QCOMPARE(VmTags::split(u"ok <b>"_s, &rejected), QStringList{u"ok"_s});
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(VmTags::edited({u"web"_s, u"prod"_s}, {u"db"_s, u"web"_s}, {u"prod"_s}), (QStringList{u"db"_s, u"web"_s}));
        QCOMPARE(VmTags::metadataXml({u"a&b"_s}), u"<tags><tag>a&amp;b</tag></tags>"_s);
        QCOMPARE(VmTags::metadataXml({}), u"<tags/>"_s);
    }
};

QTEST_GUILESS_MAIN(TestVmQuery)
#include "tst_vmquery.moc"
