// DomainOperations and InventoryReader against libvirt's test driver, without a worker or a
// thread: each operation's outcome, the domain it names to be read again, and what the driver
// holds afterwards. (tst_hypervisorsession drives the same operations through the session.)
#include "hypervisor/domainoperations.h"
#include "hypervisor/inventoryreader.h"
#include "hypervisor/libvirtutil.h"

#include <QTest>

#include <libvirt/libvirt.h>

using namespace Vigie;

namespace {

// A domain of this test alone, shut off, with one NIC on a bridge; METADATA goes in <metadata>.
QString domainXml(const QString &name, const QString &metadata = {})
{
    return QStringLiteral("<domain type='test'><name>%1</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                          "<os><type>hvm</type></os>%2"
                          "<devices><interface type='bridge'><mac address='52:54:00:aa:00:01'/>"
                          "<source bridge='br-data'/><vlan><tag id='100'/></vlan></interface></devices></domain>")
        .arg(name, metadata.isEmpty() ? QString() : QStringLiteral("<metadata>%1</metadata>").arg(metadata));
}

// Nova's metadata, as its libvirt driver writes it (nova/virt/libvirt/config.py, namespace 1.1).
const QString NovaMetadata = QStringLiteral(
    "<nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'><nova:name>web-1</nova:name>"
    "<nova:owner><nova:user uuid='7e1d'>alice</nova:user><nova:project uuid='5f2c'>acme</nova:project></nova:owner>"
    "</nova:instance>");

} // namespace

class TestDomainOperations : public QObject
{
    Q_OBJECT

private:
    virConnectPtr m_conn = nullptr;
    const QString m_uri = QStringLiteral("test:///default");

    [[nodiscard]] DomainOperations operations() const { return DomainOperations(m_conn, m_uri, false); }
    [[nodiscard]] std::optional<VmInfo> read(const QString &uuid) const
    {
        const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
        QString error;
        return domain ? InventoryReader(m_conn, m_uri).domain(domain.get(), &error) : std::nullopt;
    }
    [[nodiscard]] QString define(const QString &xml) const
    {
        const DomainOperations::Outcome outcome = operations().define(xml, false);
        return outcome.ok ? outcome.uuid : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_conn = virConnectOpen("test:///default");
        QVERIFY2(m_conn, qPrintable(Libvirt::lastError()));
    }
    void cleanupTestCase() { virConnectClose(m_conn); }

    void lifecycle()
    {
        const QString uuid = define(domainXml(QStringLiteral("ops-life")));
        QVERIFY(!uuid.isEmpty());
        QString name;
        DomainOperations::Outcome outcome = operations().run(uuid, VmAction::Start, &name);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.uuid, uuid); // read again by the worker
        QCOMPARE(name, QStringLiteral("ops-life"));
        QCOMPARE(read(uuid)->state, VmState::Running);
        outcome = operations().run(uuid, VmAction::Pause, &name);
        QVERIFY(outcome.ok);
        QCOMPARE(read(uuid)->state, VmState::Paused);
        // Pausing a paused VM: libvirt's refusal, and the VM is still read again.
        outcome = operations().run(uuid, VmAction::Pause, &name);
        QVERIFY(!outcome.ok);
        QVERIFY(!outcome.message.isEmpty());
        QCOMPARE(outcome.uuid, uuid);
        QVERIFY(operations().run(uuid, VmAction::ForceOff, &name).ok);
        QCOMPARE(read(uuid)->state, VmState::Shutoff);

        // A domain that is not there: why, and nothing to read again.
        QString none;
        outcome = operations().run(QStringLiteral("00000000-0000-0000-0000-0000000000ff"), VmAction::Start, &none);
        QVERIFY(!outcome.ok);
        QVERIFY(!outcome.message.isEmpty());
        QVERIFY(outcome.uuid.isEmpty());
        QVERIFY(none.isEmpty());
        QVERIFY(operations().remove(uuid).ok);
    }

    void defineReadRemove()
    {
        const DomainOperations::Outcome defined = operations().define(domainXml(QStringLiteral("ops-define")), true);
        QVERIFY2(defined.ok, qPrintable(defined.message));
        QCOMPARE(read(defined.uuid)->state, VmState::Running);
        QString xml;
        QVERIFY(operations().readXml(defined.uuid, true, &xml).ok);
        QVERIFY(xml.contains(QLatin1String("<name>ops-define</name>")));
        QVERIFY(!operations().define(QStringLiteral("<domain type='test'><name>broken"), false).ok);

        const DomainOperations::Outcome removed = operations().remove(defined.uuid);
        QVERIFY2(removed.ok, qPrintable(removed.message));
        QCOMPARE(removed.uuid, defined.uuid);
        QVERIFY(!Libvirt::lookup(m_conn, defined.uuid));
        QVERIFY(!operations().readXml(defined.uuid, true, &xml).ok);
    }

    void tags()
    {
        const QString uuid = define(domainXml(QStringLiteral("ops-tags")));
        DomainOperations::Outcome outcome = operations().editTags(uuid, {QStringLiteral("Web"), QStringLiteral("prod")}, {});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.uuid, uuid);
        QCOMPARE(read(uuid)->tags, (QStringList{QStringLiteral("prod"), QStringLiteral("web")}));
        // Nothing to change: nothing written, nothing to read again.
        outcome = operations().editTags(uuid, {QStringLiteral("web")}, {});
        QVERIFY(outcome.ok);
        QVERIFY(outcome.uuid.isEmpty());
        QVERIFY(!operations().editTags(uuid, {QStringLiteral("not a tag!")}, {}).ok);
        QVERIFY(operations().editTags(uuid, {}, {QStringLiteral("web"), QStringLiteral("prod")}).ok);
        QVERIFY(read(uuid)->tags.isEmpty());

        // Nova owns its domains' definitions: refused, and the definition is untouched.
        const QString nova = define(domainXml(QStringLiteral("instance-0000002a"), NovaMetadata));
        QVERIFY(!nova.isEmpty());
        QCOMPARE(read(nova)->manager, QStringLiteral("nova"));
        outcome = operations().editTags(nova, {QStringLiteral("web")}, {});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(QLatin1String("Nova")), qPrintable(outcome.message));
        QVERIFY(outcome.uuid.isEmpty());
        QVERIFY(read(nova)->tags.isEmpty());
        QVERIFY(operations().remove(uuid).ok);
        QVERIFY(operations().remove(nova).ok);
    }

    void nicToVlan()
    {
        const QString uuid = define(domainXml(QStringLiteral("ops-nic")));
        // The test driver updates no device: the saved definition is written whole, NIC moved.
        const DomainOperations::Outcome outcome = operations().moveNic(uuid, QStringLiteral("52:54:00:aa:00:01"), 200, {});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.uuid, uuid);
        QString xml;
        QVERIFY(operations().readXml(uuid, true, &xml).ok);
        QVERIFY2(xml.contains(QLatin1String("<tag id='200'/>")), qPrintable(xml));
        QVERIFY(!xml.contains(QLatin1String("<tag id='100'/>")));

        const DomainOperations::Outcome missing = operations().moveNic(uuid, QStringLiteral("52:54:00:aa:00:99"), 300, {});
        QVERIFY(!missing.ok);
        QVERIFY(!missing.message.isEmpty());
        QVERIFY(operations().remove(uuid).ok);
    }

    void hostAndNetworks()
    {
        const HostInfo host = InventoryReader(m_conn, m_uri).host();
        QCOMPARE(host.uri, m_uri);
        QVERIFY(host.cpus > 0);
        QVERIFY(host.memoryKiB > 0);
        QCOMPARE(host.displayName, QStringLiteral("default")); // test:///default names no host: its path does
        const QList<NetworkInfo> networks = InventoryReader(m_conn, m_uri).networks();
        QVERIFY(std::any_of(networks.cbegin(), networks.cend(), [](const NetworkInfo &n) { return n.name == u"default"; }));
    }
};

QTEST_GUILESS_MAIN(TestDomainOperations)
#include "tst_domainoperations.moc"
