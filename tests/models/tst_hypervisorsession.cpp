// Sessions against libvirt's test driver: no daemon, but the same client code paths as a real
// host (virConnectOpenAuth, listing, XML parsing, events, actions, errors).
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/hypervisorworker.h"
#include "hypervisor/sessionmanager.h"
#include "hypervisor/domainxml.h"
#include "inventory/inventory.h"
#include "inventory/vmtags.h"
#include "placement/newvm.h"

#include "replyrecorder.h"

#include <QSignalSpy>
#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <QTemporaryDir>
#include <QTest>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

using namespace Vigie;

namespace {

// test:///default is one shared in-process host: a second connection to it is "another client".
const QString DefaultUri = QStringLiteral("test:///default");

const char *const ExtraDomain = R"(<domain type='test'>
  <name>tst-extra</name>
  <uuid>6f1b0c4e-3a51-4c1e-9f60-0b8f3c2d1a99</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:cc'/>
      <source network='default'/>
      <vlan><tag id='42'/></vlan>
    </interface>
  </devices>
</domain>)";

QString writeNode(const QTemporaryDir &dir, const QString &name, const QByteArray &extra = {})
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("<node>\n" + extra + R"(
  <network>
    <name>prod</name>
    <uuid>0d7c6d35-6a4a-4d1c-8a52-7e2d5b6c9e01</uuid>
    <forward mode='bridge'/>
    <bridge name='br-prod'/>
    <virtualport type='openvswitch'/>
    <portgroup name='web'><vlan><tag id='100'/></vlan></portgroup>
    <portgroup name='db'><vlan><tag id='300'/></vlan></portgroup>
  </network>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>web-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
    <metadata><vigie:tenant xmlns:vigie='urn:x-vigie:1'>acme</vigie:tenant></metadata>
    <memory unit='MiB'>512</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <interface type='network'>
        <mac address='52:54:00:00:00:01'/>
        <source network='prod' portgroup='web'/>
        <virtualport type='openvswitch'><parameters interfaceid='8a3e0d3c-1111-4a4a-9b9b-000000000001'/></virtualport>
      </interface>
    </devices>
  </domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>db-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca428</uuid>
    <memory unit='GiB'>4</memory>
    <vcpu>4</vcpu>
    <os><type>hvm</type></os>
    <test:runstate>5</test:runstate>
  </domain>
  <cpu><mhz>2400</mhz><model>TestCPU</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>16777216</memory>
</node>
)");
    return QStringLiteral("test://") + path;
}

// Waits for the session's first snapshot and returns it.
std::optional<HostSnapshot> firstSnapshot(HypervisorSession &session)
{
    QSignalSpy spy(&session, &HypervisorSession::snapshotReady);
    session.open();
    if (!spy.wait(5000))
        return std::nullopt;
    return spy.first().first().value<HostSnapshot>();
}

} // namespace

class TestHypervisorSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_nodeUri = writeNode(m_dir, QStringLiteral("hv-a.xml"));
        QVERIFY(!m_nodeUri.isEmpty());
    }

    void snapshotOfNodeFile()
    {
        HypervisorSession session(m_nodeUri);
        QSignalSpy states(&session, &HypervisorSession::stateChanged);
        const std::optional<HostSnapshot> snapshot = firstSnapshot(session);
        QVERIFY(snapshot);
        QCOMPARE(snapshot->host.displayName, QStringLiteral("hv-a"));
        QCOMPARE(snapshot->host.cpus, 8);
        QCOMPARE(snapshot->host.memoryKiB, quint64(16777216));
        QCOMPARE(snapshot->vms.size(), 2);
        QTRY_COMPARE(session.state(), ConnectionState::Connected);

        const auto web = std::find_if(snapshot->vms.cbegin(), snapshot->vms.cend(),
                                      [](const VmInfo &vm) { return vm.name == QLatin1String("web-1"); });
        QVERIFY(web != snapshot->vms.cend());
        QCOMPARE(web->state, VmState::Running);
        QCOMPARE(web->tenant, QStringLiteral("acme"));
        QCOMPARE(web->hostUri, m_nodeUri);
        QCOMPARE(web->nics.size(), 1);
        QCOMPARE(web->nics.first().portgroup, QStringLiteral("web"));
        QCOMPARE(web->nics.first().interfaceId, QStringLiteral("8a3e0d3c-1111-4a4a-9b9b-000000000001"));
        const auto db = std::find_if(snapshot->vms.cbegin(), snapshot->vms.cend(),
                                     [](const VmInfo &vm) { return vm.name == QLatin1String("db-1"); });
        QVERIFY(db != snapshot->vms.cend());
        QCOMPARE(db->state, VmState::Shutoff);
        QCOMPARE(db->memoryKiB, quint64(4 * 1024 * 1024));

        QCOMPARE(snapshot->networks.size(), 1);
        QCOMPARE(snapshot->networks.first().portgroups.size(), 2);
        QCOMPARE(snapshot->networks.first().virtualPortType, QStringLiteral("openvswitch"));
    }

    // Another client defines, starts, stops and undefines a VM: each step reaches the session
    // through libvirt's events, well within the 2 s the operator is promised.
    void eventsFromAnotherClient()
    {
        HypervisorSession session(DefaultUri);
        QVERIFY(firstSnapshot(session));
        QSignalSpy changed(&session, &HypervisorSession::vmChanged);
        QSignalSpy removed(&session, &HypervisorSession::vmRemoved);

        virConnectPtr other = virConnectOpen(DefaultUri.toUtf8().constData());
        QVERIFY(other);
        virDomainPtr domain = virDomainDefineXML(other, ExtraDomain);
        QVERIFY2(domain, virGetLastErrorMessage());

        const auto waitForState = [&](VmState state) {
            QElapsedTimer timer;
            timer.start();
            while (timer.elapsed() < 2000) {
                for (const QList<QVariant> &args : std::as_const(changed)) {
                    const VmInfo vm = args.first().value<VmInfo>();
                    if (vm.name == QLatin1String("tst-extra") && vm.state == state)
                        return true;
                }
                changed.wait(100);
            }
            return false;
        };
        QVERIFY(waitForState(VmState::Shutoff));
        const VmInfo defined = changed.last().first().value<VmInfo>();
        QCOMPARE(defined.vcpus, 2);
        QCOMPARE(defined.nics.first().vlanTags, QList<int>{42});

        changed.clear();
        QCOMPARE(virDomainCreate(domain), 0);
        QVERIFY(waitForState(VmState::Running));
        changed.clear();
        QCOMPARE(virDomainDestroy(domain), 0);
        QVERIFY(waitForState(VmState::Shutoff));
        QCOMPARE(virDomainUndefine(domain), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 2000);
        QCOMPARE(removed.last().first().toString(), QStringLiteral("6f1b0c4e-3a51-4c1e-9f60-0b8f3c2d1a99"));
        virDomainFree(domain);
        virConnectClose(other);
    }

    // A demo guest takes its time to shut down, shown shutting down meanwhile; forced off in the
    // meantime, the shutdown still ends well (there is nothing left for it to do).
    void demoShutdownTakesItsTime()
    {
        HypervisorSession session(m_nodeUri, true);
        QVERIFY(firstSnapshot(session));
        QSignalSpy finished(&session, &HypervisorSession::actionFinished);
        QSignalSpy changed(&session, &HypervisorSession::vmChanged);
        const QString web = QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        const auto lastState = [&changed] { return changed.isEmpty() ? VmState::NoState : changed.last().first().value<VmInfo>().state; };

        session.runAction(web, VmAction::Shutdown);
        QTRY_COMPARE_WITH_TIMEOUT(lastState(), VmState::ShuttingDown, 2000);
        QVERIFY(finished.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.last().first().value<VmActionResult>().ok, qPrintable(finished.last().first().value<VmActionResult>().message));
        QTRY_COMPARE_WITH_TIMEOUT(lastState(), VmState::Shutoff, 2000);

        session.runAction(web, VmAction::Start);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(lastState(), VmState::Running, 2000);
        session.runAction(web, VmAction::Shutdown);
        QTRY_COMPARE_WITH_TIMEOUT(lastState(), VmState::ShuttingDown, 2000);
        session.runAction(web, VmAction::ForceOff);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 10000);
        for (const QList<QVariant> &reply : std::as_const(finished)) {
            const auto result = reply.first().value<VmActionResult>();
            QVERIFY2(result.ok, qPrintable(vmActionName(result.action) + QStringLiteral(": ") + result.message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(lastState(), VmState::Shutoff, 2000);
    }

    void actions()
    {
        HypervisorSession session(m_nodeUri);
        QVERIFY(firstSnapshot(session));
        QSignalSpy finished(&session, &HypervisorSession::actionFinished);
        QSignalSpy changed(&session, &HypervisorSession::vmChanged);

        session.runAction(QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), VmAction::Pause);
        QVERIFY(finished.wait(2000));
        VmActionResult result = finished.last().first().value<VmActionResult>();
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.vmName, QStringLiteral("web-1"));
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty()
                                     && changed.last().first().value<VmInfo>().state == VmState::Paused,
                                 2000);

        // Starting a running VM fails: the operator gets libvirt's own words.
        session.runAction(QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), VmAction::Start);
        QVERIFY(finished.wait(2000));
        result = finished.last().first().value<VmActionResult>();
        QVERIFY(!result.ok);
        QVERIFY2(result.message.contains(QLatin1String("already running"), Qt::CaseInsensitive), qPrintable(result.message));

        session.runAction(QStringLiteral("00000000-0000-0000-0000-000000000000"), VmAction::Start);
        QVERIFY(finished.wait(2000));
        result = finished.last().first().value<VmActionResult>();
        QVERIFY(!result.ok);
        QVERIFY(!result.message.isEmpty());
    }

    void domainXml()
    {
        HypervisorSession session(m_nodeUri);
        QVERIFY(firstSnapshot(session));
        XmlRecorder xml;
        session.requestDomainXml(QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca428"), false, xml.reply());
        QTRY_VERIFY_WITH_TIMEOUT(xml.answered, 2000);
        QVERIFY(xml.xml.contains(QLatin1String("<name>db-1</name>")));
        QVERIFY(xml.error.isEmpty());
        XmlRecorder missing;
        session.requestDomainXml(QStringLiteral("00000000-0000-0000-0000-00000000dead"), true, missing.reply());
        QTRY_VERIFY_WITH_TIMEOUT(missing.answered, 2000);
        QVERIFY(missing.xml.isEmpty());
        QVERIFY(!missing.error.isEmpty());
    }

    // A reply reaches its own caller only, once, and never a caller that is gone: the worker
    // answers in order, so when the last request's reply has come, the others' would have.
    void repliesGoToTheirCallerOnly()
    {
        HypervisorSession session(m_nodeUri);
        QVERIFY(firstSnapshot(session));
        int goneCalls = 0;
        auto gone = std::make_unique<QObject>();
        session.requestDomainXml(QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca428"), false,
                                 {gone.get(), [&goneCalls](const QString &, const QString &) { ++goneCalls; }});
        gone.reset();
        OperationRecorder removedUnknown;
        session.removeDomain(QStringLiteral("00000000-0000-0000-0000-00000000dead"), removedUnknown.reply());
        XmlRecorder last;
        session.requestDomainXml(QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca428"), false, last.reply());
        QTRY_VERIFY_WITH_TIMEOUT(last.answered, 2000);
        QVERIFY(removedUnknown.answered);
        QCOMPARE(removedUnknown.calls, 1);
        QVERIFY(!removedUnknown.ok);
        QVERIFY(!removedUnknown.message.isEmpty());
        QCOMPARE(goneCalls, 0);

        // A session that goes with a request in flight tells its caller no answer will come.
        auto closing = std::make_unique<HypervisorSession>(m_nodeUri);
        QVERIFY(firstSnapshot(*closing));
        OperationRecorder cut;
        closing->removeDomain(QStringLiteral("00000000-0000-0000-0000-00000000dead"), cut.reply());
        closing.reset(); // before the event loop could deliver the worker's answer
        QTRY_VERIFY(cut.answered);
        QVERIFY(!cut.ok);
        QVERIFY2(cut.message.contains(QLatin1String("closed before libvirt answered")), qPrintable(cut.message));

        // A refusal known at once is answered on the next pass, never inside the call.
        Inventory inventory;
        SessionManager sessions(&inventory);
        OperationRecorder refused;
        sessions.defineDomain(QStringLiteral("test:///nowhere"), QStringLiteral("<domain/>"), false, refused.reply());
        QVERIFY(!refused.answered);
        QTRY_VERIFY(refused.answered);
        QVERIFY(!refused.ok);
        QVERIFY2(refused.message.contains(QLatin1String("test:///nowhere")), qPrintable(refused.message));
    }

    // A VM placed from a template, through the session manager as the window does: its disk
    // is a new volume of the host's pool, its NIC in the portgroup carrying the VLAN; each
    // refusal says why and leaves nothing behind (a failed definition takes its volume back).
    void createVmFromTemplate()
    {
        const QString uri = writeNode(m_dir, QStringLiteral("hv-pool.xml"), R"(
  <pool type='dir'><name>default</name><capacity unit='GiB'>100</capacity><allocation>0</allocation>
    <available unit='GiB'>100</available><target><path>/var/lib/libvirt/images</path></target></pool>)");
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(uri));
        QVERIFY(settled.wait(5000));
        QSignalSpy created(&sessions, &SessionManager::vmCreationFinished);
        const auto place = [&](const QString &name, quint64 diskGiB, int vlan, bool start) {
            NewVm vm;
            vm.tmpl = {QStringLiteral("Small"), QStringLiteral("Debian 12"), 2, 1024, diskGiB};
            vm.name = name;
            vm.tenant = QStringLiteral("acme");
            vm.vlanId = vlan;
            vm.start = start;
            const qsizetype before = created.size();
            OperationRecorder reply;
            const VmKey key = sessions.createVm(uri, vm, reply.reply());
            if (!QTest::qWaitFor([&] { return reply.answered; }, 5000))
                return std::pair<bool, QString>{false, QStringLiteral("no answer")};
            // The views hear it too, with the same outcome.
            if (created.size() != before + 1 || created.last().at(0).value<VmKey>() != key
                || created.last().at(2).toBool() != reply.ok || created.last().at(3).toString() != reply.message)
                return std::pair<bool, QString>{false, QStringLiteral("vmCreationFinished differs from the reply")};
            return std::pair<bool, QString>{reply.ok, reply.message};
        };
        const auto named = [&](const QString &name) -> std::optional<VmInfo> {
            for (const VmKey &key : inventory.vmKeysOfHost(uri)) {
                if (inventory.vm(key).name == name)
                    return inventory.vm(key);
            }
            return std::nullopt;
        };

        auto [ok, message] = place(QStringLiteral("web-07"), 10, 300, true);
        QVERIFY2(ok, qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(named(QStringLiteral("web-07")), 3000);
        const VmInfo web = *named(QStringLiteral("web-07"));
        QCOMPARE(web.state, VmState::Running);
        QCOMPARE(web.tenant, QStringLiteral("acme"));
        QCOMPARE(web.vcpus, 2);
        QCOMPARE(web.memoryKiB, quint64(1024 * 1024));
        QCOMPARE(web.nics.size(), 1);
        QCOMPARE(web.nics.first().source, QStringLiteral("prod"));
        QCOMPARE(web.nics.first().portgroup, QStringLiteral("db"));
        QCOMPARE(web.nics.first().vlanTags, QList<int>{300});
        QCOMPARE(inventory.vmVlans(web.key()), QList<int>{300});
        QCOMPARE(web.disks.size(), 1);
        QCOMPARE(web.disks.first().source, QStringLiteral("/var/lib/libvirt/images/web-07-system.qcow2"));

        // Not started when not asked; no disk when the template has none.
        std::tie(ok, message) = place(QStringLiteral("router-01"), 0, 100, false);
        QVERIFY2(ok, qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(named(QStringLiteral("router-01")), 3000);
        QCOMPARE(named(QStringLiteral("router-01"))->state, VmState::Shutoff);
        QVERIFY(named(QStringLiteral("router-01"))->disks.isEmpty());

        // A VLAN the host does not carry.
        std::tie(ok, message) = place(QStringLiteral("lost-01"), 10, 999, true);
        QVERIFY(!ok);
        QVERIFY2(message.contains(QLatin1String("VLAN 999")), qPrintable(message));
        // The name of an existing VM: the volume made first is taken back, so once db-1 is gone
        // the same placement succeeds (its volume name is free again).
        std::tie(ok, message) = place(QStringLiteral("db-1"), 10, 100, false);
        QVERIFY(!ok);
        QVERIFY2(message.contains(QLatin1String("db-1")), qPrintable(message));
        const qsizetype vms = inventory.vmKeysOfHost(uri).size();
        OperationRecorder removed;
        sessions.removeDomain(named(QStringLiteral("db-1"))->key(), removed.reply());
        QTRY_VERIFY_WITH_TIMEOUT(removed.answered, 3000);
        QVERIFY2(removed.ok, qPrintable(removed.message));
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vmKeysOfHost(uri).size(), vms - 1, 3000);
        std::tie(ok, message) = place(QStringLiteral("db-1"), 10, 100, false);
        QVERIFY2(ok, qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(named(QStringLiteral("db-1")) && named(QStringLiteral("db-1"))->disks.size() == 1, 3000);
        // The same name twice: refused (the volume exists), the first one untouched.
        std::tie(ok, message) = place(QStringLiteral("web-07"), 10, 300, true);
        QVERIFY(!ok);
        QVERIFY(!message.isEmpty());
        QCOMPARE(named(QStringLiteral("web-07"))->uuid, web.uuid);
        QCOMPARE(named(QStringLiteral("web-07"))->state, VmState::Running);
    }

    // VM › Tags… through the real path: session manager, the host's worker, virDomainSetMetadata
    // on the test driver, the domain read back into the inventory.
    void tags()
    {
        const QString uri = writeNode(m_dir, QStringLiteral("hv-tags.xml"), R"(
  <domain type='test'>
    <name>nova-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca430</uuid>
    <metadata><nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'><nova:name>shop</nova:name></nova:instance></metadata>
    <memory unit='MiB'>256</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
  </domain>)");
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(uri));
        QVERIFY(settled.wait(5000));
        const auto key = [&](const QString &name) {
            for (const VmKey &k : inventory.vmKeysOfHost(uri)) {
                if (inventory.vm(k).name == name)
                    return k;
            }
            return VmKey{};
        };
        const VmKey web = key(QStringLiteral("web-1")); // running
        const VmKey db = key(QStringLiteral("db-1"));   // shut off: the saved definition only
        const VmKey nova = key(QStringLiteral("nova-1"));
        QVERIFY(web.isValid() && db.isValid() && nova.isValid());
        QCOMPARE(inventory.vm(nova).manager, QStringLiteral("nova"));
        QSignalSpy edited(&sessions, &SessionManager::tagsEdited);
        QSignalSpy records(&sessions, &SessionManager::eventRecorded);
        const auto edit = [&](const QList<VmKey> &vms, const QStringList &add, const QStringList &remove) {
            const qsizetype before = edited.size();
            sessions.editTags(vms, add, remove);
            return QTest::qWaitFor([&] { return edited.size() == before + vms.size(); }, 5000);
        };

        QVERIFY(edit({web, db}, {QStringLiteral("web"), QStringLiteral("Prod")}, {}));
        for (const QList<QVariant> &result : std::as_const(edited))
            QVERIFY2(result.at(1).toBool(), qPrintable(result.at(2).toString()));
        const QStringList both{QStringLiteral("prod"), QStringLiteral("web")};
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vm(web).tags, both, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vm(db).tags, both, 3000);
        QCOMPARE(inventory.vm(web).state, VmState::Running); // tagging leaves the guest alone

        QVERIFY(edit({web}, {}, {QStringLiteral("prod")}));
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vm(web).tags, QStringList{QStringLiteral("web")}, 3000);
        QCOMPARE(inventory.vm(db).tags, both);
        // The last tag removed: no element left, no tags read back.
        QVERIFY(edit({web, db}, {}, both));
        QTRY_VERIFY_WITH_TIMEOUT(inventory.vm(web).tags.isEmpty() && inventory.vm(db).tags.isEmpty(), 3000);

        // Nova's domain: refused, with Nova named, and nothing written.
        QVERIFY(edit({nova}, {QStringLiteral("web")}, {}));
        QVERIFY(!edited.last().at(1).toBool());
        QVERIFY2(edited.last().at(2).toString().contains(QLatin1String("Nova")), qPrintable(edited.last().at(2).toString()));
        QVERIFY(inventory.vm(nova).tags.isEmpty());
        // A tag the rules refuse, sent past the dialog: the worker refuses it too.
        QVERIFY(edit({web}, {QStringLiteral("<b>x</b>")}, {}));
        QVERIFY(!edited.last().at(1).toBool());
        QVERIFY(inventory.vm(web).tags.isEmpty());
        QVERIFY(!records.isEmpty());
    }

    // Another client of the same host reads the tags from the domain's metadata.
    void tagsSeenByAnotherClient()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(DefaultUri));
        QVERIFY(settled.wait(5000));
        VmKey test;
        for (const VmKey &k : inventory.vmKeysOfHost(DefaultUri)) {
            if (inventory.vm(k).name == QLatin1String("test"))
                test = k;
        }
        QVERIFY(test.isValid());
        QSignalSpy edited(&sessions, &SessionManager::tagsEdited);
        sessions.editTags({test}, {QStringLiteral("backup.nightly")}, {});
        QVERIFY(edited.wait(5000));
        QVERIFY2(edited.last().at(1).toBool(), qPrintable(edited.last().at(2).toString()));

        virConnectPtr other = virConnectOpen("test:///default");
        QVERIFY(other);
        virDomainPtr domain = virDomainLookupByName(other, "test");
        QVERIFY(domain);
        char *metadata = virDomainGetMetadata(domain, VIR_DOMAIN_METADATA_ELEMENT,
                                              VmTags::Namespace.toLatin1().constData(), 0);
        const QString element = QString::fromUtf8(metadata ? metadata : "");
        std::free(metadata);
        char *xml = virDomainGetXMLDesc(domain, 0);
        const DomainXml::Result parsed = DomainXml::parse(QByteArray(xml ? xml : ""));
        std::free(xml);
        virDomainFree(domain);
        virConnectClose(other);
        QCOMPARE(element, QStringLiteral("<tags>\n  <tag>backup.nightly</tag>\n</tags>"));
        QVERIFY(parsed.vm);
        QCOMPARE(parsed.vm->tags, QStringList{QStringLiteral("backup.nightly")});

        // Shared state of the process: leave the domain as it was.
        sessions.editTags({test}, {}, {QStringLiteral("backup.nightly")});
        QVERIFY(edited.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(inventory.vm(test).tags.isEmpty(), 3000);
    }

    // A host without a storage pool cannot take a template's disk: the operator is told what to do.
    void createVmWithoutPool()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(m_nodeUri));
        QVERIFY(settled.wait(5000));
        QSignalSpy created(&sessions, &SessionManager::vmCreationFinished);
        NewVm vm;
        vm.tmpl = {QStringLiteral("Small"), QString(), 1, 512, 10};
        vm.name = QStringLiteral("nopool-01");
        vm.vlanId = 100;
        sessions.createVm(m_nodeUri, vm);
        QVERIFY(created.wait(5000));
        QVERIFY(!created.last().at(2).toBool());
        QVERIFY2(created.last().at(3).toString().contains(QLatin1String("storage pool")), qPrintable(created.last().at(3).toString()));
        QCOMPARE(inventory.vmKeysOfHost(m_nodeUri).size(), 2);
    }

    void wrongUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<ConnectionState>("state");
        QTest::addColumn<QString>("expected"); // part of libvirt's message
        // A file that is not there will not appear by waiting: failed for good.
        QTest::newRow("missing node file") << QStringLiteral("test:///nonexistent/vigie/node.xml")
                                           << ConnectionState::Failed << QStringLiteral("/nonexistent/vigie/node.xml");
        // A daemon that does not answer may come back: unreachable, retried with backoff.
        QTest::newRow("no daemon") << QStringLiteral("qemu+unix:///system?socket=/nonexistent/vigie/libvirt-sock")
                                   << ConnectionState::Unreachable << QStringLiteral("/nonexistent/vigie/libvirt-sock");
    }

    // A wrong URI fails clearly and at once, while another connection keeps working.
    void wrongUri()
    {
        QFETCH(QString, uri);
        QFETCH(ConnectionState, state);
        QFETCH(QString, expected);
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy errors(&sessions, &SessionManager::errorOccurred);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(m_nodeUri);
        sessions.addConnection(uri);
        QVERIFY(settled.wait(5000));
        QCOMPARE(inventory.host(uri).state, state);
        QVERIFY2(inventory.host(uri).stateMessage.contains(expected), qPrintable(inventory.host(uri).stateMessage));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(inventory.host(m_nodeUri).state, ConnectionState::Connected);
        QCOMPARE(inventory.vmKeysOfHost(m_nodeUri).size(), 2);
        QVERIFY(inventory.vmKeysOfHost(uri).isEmpty());

        // The good host still acts.
        QSignalSpy records(&sessions, &SessionManager::eventRecorded);
        sessions.runAction({{m_nodeUri, QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427")}}, VmAction::Pause);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.vm({m_nodeUri, QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427")}).state,
                                  VmState::Paused, 2000);
    }

    void credentials_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<ConnectionState>("expected");
        QTest::newRow("right password") << QStringLiteral("s3cret") << false << ConnectionState::Connected;
        QTest::newRow("wrong password") << QStringLiteral("guess") << false << ConnectionState::Failed;
        QTest::newRow("cancelled") << QString() << true << ConnectionState::Failed;
    }

    // The test driver asks for credentials when its node file has an <auth> block.
    void credentials()
    {
        QFETCH(QString, password);
        QFETCH(bool, cancel);
        QFETCH(ConnectionState, expected);
        const QString secured = writeNode(m_dir, QStringLiteral("secured.xml"),
                                          "<auth><user password='s3cret'>admin</user></auth>");
        Inventory inventory;
        SessionManager sessions(&inventory);
        QList<CredentialRequest::Kind> asked;
        connect(&sessions, &SessionManager::credentialsRequested, this,
                [&](const QString &uri, const QList<CredentialRequest> &requests) {
                    CredentialReply reply;
                    reply.cancelled = cancel;
                    for (const CredentialRequest &request : requests) {
                        asked.append(request.kind);
                        reply.values.append(request.kind == CredentialRequest::Kind::Username ? QByteArray("admin")
                                                                                              : password.toUtf8());
                    }
                    sessions.provideCredentials(uri, std::move(reply));
                });
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(secured);
        sessions.addConnection(m_nodeUri);
        QVERIFY(settled.wait(5000));
        QVERIFY(asked.contains(CredentialRequest::Kind::Username) || cancel);
        QCOMPARE(inventory.host(secured).state, expected);
        if (expected == ConnectionState::Failed) {
            QVERIFY(!inventory.host(secured).stateMessage.isEmpty());
            // The secret never shows up in what the operator or the log sees.
            QVERIFY(password.isEmpty() || !inventory.host(secured).stateMessage.contains(password));
        } else {
            QCOMPARE(inventory.vmKeysOfHost(secured).size(), 2);
        }
        QCOMPARE(inventory.host(m_nodeUri).state, ConnectionState::Connected);
    }

    // A password travels from the dialog to libvirt's callback without a copy: the channel hands
    // the worker the very bytes the GUI gave (no other copy is left to keep it), and a reply
    // wipes what it holds.
    void credentialsMovedNotCopied()
    {
        CredentialReply given;
        given.cancelled = false;
        given.values.append(QByteArray("admin"));
        given.values.append(QByteArray("s3cret"));
        const char *bytes = given.values.at(1).constData();
        CredentialChannel channel;
        channel.reset();
        channel.answer(std::move(given));
        QVERIFY(given.values.isEmpty()); // moved from: nothing left here
        CredentialReply received = channel.wait();
        QVERIFY(!received.cancelled);
        QCOMPARE(received.values.at(1), QByteArray("s3cret"));
        QCOMPARE(received.values.at(1).constData(), bytes); // the same buffer, not a copy
        received.wipe();
        QCOMPARE(received.values.at(1), QByteArray(6, '\0'));
        QCOMPARE(received.values.at(1).constData(), bytes); // wiped in place

        // A secret shared by several copies (a queued call's capture, a worker's member) is wiped
        // in all of them; static bytes are not written to.
        QByteArray secret("s3cret");
        const QByteArray captured = secret;
        wipeSecret(secret);
        QCOMPARE(captured, QByteArray(6, '\0'));
        static const char text[] = "abc";
        const QByteArray raw = QByteArray::fromRawData(text, 3);
        wipeSecret(raw);
        QCOMPARE(raw, QByteArray("abc"));
    }

    // Without anyone to ask (no window), a host that needs credentials fails instead of hanging.
    void credentialsWithoutHandler()
    {
        const QString secured = writeNode(m_dir, QStringLiteral("secured2.xml"),
                                          "<auth><user password='s3cret'>admin</user></auth>");
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        sessions.addConnection(secured);
        QVERIFY(settled.wait(5000));
        QCOMPARE(inventory.host(secured).state, ConnectionState::Failed);
    }

    // Destroying a session while its worker waits for credentials does not hang.
    void destroyWhileAskingCredentials()
    {
        const QString secured = writeNode(m_dir, QStringLiteral("secured3.xml"),
                                          "<auth><user password='s3cret'>admin</user></auth>");
        auto session = std::make_unique<HypervisorSession>(secured);
        QSignalSpy asked(session.get(), &HypervisorSession::credentialsRequested);
        session->open();
        QVERIFY(asked.wait(5000));
        session.reset(); // must return: the pending question is aborted
        QVERIFY(!session);
    }

    // Hosts start connecting a batch at a time: the first StartBatch at once, the next ones
    // waiting, shown as connecting, without a session or a thread, until the next batch. A batch
    // does not wait for the previous one to connect (here its hosts wait for a password that
    // comes later); the operator's reconnect skips the queue; a waiting host can be removed.
    void connectionsStartAFewAtATime()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        QStringList asking; // hosts whose credentials are asked, unanswered
        connect(&sessions, &SessionManager::credentialsRequested, this,
                [&](const QString &uri, const QList<CredentialRequest> &) { asking.append(uri); });
        QStringList secured;
        for (int i = 0; i < SessionManager::StartBatch; ++i) {
            secured.append(writeNode(m_dir, QStringLiteral("turn-secured-%1.xml").arg(i),
                                     "<auth><user password='s3cret'>admin</user></auth>"));
            QVERIFY(sessions.addConnection(secured.last()));
            QVERIFY(sessions.session(secured.last()));
        }
        const QStringList plain{writeNode(m_dir, QStringLiteral("turn-a.xml")), writeNode(m_dir, QStringLiteral("turn-b.xml")),
                                writeNode(m_dir, QStringLiteral("turn-c.xml"))};
        for (const QString &uri : plain)
            QVERIFY(sessions.addConnection(uri));
        QVERIFY(!sessions.addConnection(plain.first())); // already there, waiting
        QCOMPARE(sessions.uris(), secured + plain);
        for (const QString &uri : plain) {
            QVERIFY(!sessions.session(uri));
            QCOMPARE(inventory.host(uri).state, ConnectionState::Connecting);
            QVERIFY2(inventory.host(uri).stateMessage.startsWith(QLatin1String("Waiting")), qPrintable(inventory.host(uri).stateMessage));
        }
        // The operator asks for the second one: it goes now.
        sessions.reconnect(plain.at(1));
        QVERIFY(sessions.session(plain.at(1)));
        QVERIFY(!sessions.session(plain.first()));
        // The third is removed while it waits.
        sessions.removeConnection(plain.at(2));
        QVERIFY(!sessions.uris().contains(plain.at(2)));
        QVERIFY(!inventory.hasHost(plain.at(2)));

        // The next batch starts although the first is still connecting (asking for passwords).
        QTRY_COMPARE_WITH_TIMEOUT(inventory.host(plain.first()).state, ConnectionState::Connected, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(inventory.host(plain.at(1)).state, ConnectionState::Connected, 5000);
        QCOMPARE(inventory.vmKeysOfHost(plain.first()).size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(asking.size(), SessionManager::StartBatch, 5000);
        for (const QString &uri : std::as_const(secured))
            QCOMPARE(inventory.host(uri).state, ConnectionState::Connecting);
        QVERIFY(!sessions.isSettled());
    }

    // Every connected host's CPU is compared on every other host, once each way, and each host is
    // asked for all its sources in one call per turn: hosts that connect together are not
    // compared pair by pair (N x (N - 1) calls to the workers and as many answers).
    void cpusComparedOnceEachWayInFewCalls()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        QStringList uris;
        for (int i = 0; i < 5; ++i) { // within one start batch: each has its session at once
            uris.append(writeNode(m_dir, QStringLiteral("cpu-%1.xml").arg(i)));
            QVERIFY(sessions.addConnection(uris.last()));
        }
        QHash<QString, QStringList> sources; // destination -> the sources it was asked about
        int calls = 0;
        for (const QString &uri : std::as_const(uris)) {
            QVERIFY(sessions.session(uri));
            connect(sessions.session(uri), &HypervisorSession::cpusCompared, this,
                    [&sources, &calls, uri](const QList<CpuVerdict> &verdicts) {
                        ++calls;
                        for (const CpuVerdict &verdict : verdicts)
                            sources[uri].append(verdict.sourceUri);
                    });
        }
        const auto asked = [&] {
            return std::accumulate(sources.cbegin(), sources.cend(), qsizetype(0),
                                   [](qsizetype sum, const QStringList &list) { return sum + list.size(); });
        };
        const qsizetype pairs = uris.size() * (uris.size() - 1);
        QTRY_COMPARE_WITH_TIMEOUT(asked(), pairs, 5000);
        for (const QString &uri : std::as_const(uris)) {
            QStringList others = uris;
            others.removeOne(uri);
            QStringList got = sources.value(uri);
            std::sort(others.begin(), others.end());
            std::sort(got.begin(), got.end());
            QCOMPARE(got, others);
        }
        // Arriving one by one makes 2 + 3 + 4 + 5 = 14 calls at most; pair by pair made 20.
        QVERIFY2(calls < pairs, qPrintable(QString::number(calls)));
    }

private:
    QTemporaryDir m_dir;
    QString m_nodeUri;
};

QTEST_GUILESS_MAIN(TestHypervisorSession)
#include "tst_hypervisorsession.moc"
