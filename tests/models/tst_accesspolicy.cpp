// Read-only connections: the URI opened (the daemon's read-only socket), the policy the window
// asks, the pre-flight's refusals, and libvirt's test driver opened read-only through a real
// session, which refuses a write (the check is libvirt's client library's: the test driver has
// no daemon; tests/lab/tst_readonlylab shows a daemon refusing one).
#include "hypervisor/accesspolicy.h"
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "placement/preflight.h"

#include "replyrecorder.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("qemu+unix:///system?socket=/run/hv1/libvirt-sock");
const QString Hv2 = QStringLiteral("qemu+unix:///system?socket=/run/hv2/libvirt-sock");
const QString WebUuid = QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427");

QString writeNode(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("ro.xml"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"(<node>
  <domain type='test'>
    <name>web-1</name>
    <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
    <metadata><vigie:tenant xmlns:vigie='urn:x-vigie:1'>acme</vigie:tenant></metadata>
    <memory unit='MiB'>512</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
  </domain>
  <cpu><mhz>2400</mhz><model>TestCPU</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>16777216</memory>
</node>
)");
    return QStringLiteral("test://") + path;
}

HostSnapshot host(const QString &uri, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -2, -2);
    s.host.hypervisorType = QStringLiteral("QEMU");
    s.host.memoryKiB = 8 * 1024 * 1024;
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    return s;
}

VmInfo vm(const QString &hostUri, const QString &uuid)
{
    VmInfo v;
    v.hostUri = hostUri;
    v.uuid = uuid;
    v.name = uuid;
    v.state = VmState::Running;
    v.vcpus = 1;
    v.memoryKiB = v.maxMemoryKiB = 512 * 1024;
    return v;
}

} // namespace

class tst_AccessPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readOnlyUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("expected");
        QTest::newRow("lab socket") << QStringLiteral("qemu+unix:///system?socket=/tmp/lab/hosts/hv1/run/libvirt/libvirt-sock")
                                    << QStringLiteral("qemu+unix:///system?socket=/tmp/lab/hosts/hv1/run/libvirt/libvirt-sock-ro");
        QTest::newRow("other parameters kept in order")
            << QStringLiteral("qemu+unix:///system?mode=legacy&socket=/run/libvirt/libvirt-sock&no_verify=1")
            << QStringLiteral("qemu+unix:///system?mode=legacy&socket=/run/libvirt/libvirt-sock-ro&no_verify=1");
        // libvirt picks libvirt-sock-ro itself when no socket is named.
        QTest::newRow("no socket") << QStringLiteral("qemu:///system") << QStringLiteral("qemu:///system");
        QTest::newRow("ssh") << QStringLiteral("qemu+ssh://root@hv1/system") << QStringLiteral("qemu+ssh://root@hv1/system");
        QTest::newRow("already read-only") << QStringLiteral("qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro")
                                           << QStringLiteral("qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro");
        // A socket of another name (virtqemud-sock, a proxy's): Vigie cannot guess its twin; the
        // connection is still opened with VIR_CONNECT_RO.
        QTest::newRow("modular daemon") << QStringLiteral("qemu+unix:///system?socket=/run/libvirt/virtqemud-sock")
                                        << QStringLiteral("qemu+unix:///system?socket=/run/libvirt/virtqemud-sock");
        QTest::newRow("test driver") << QStringLiteral("test:///default") << QStringLiteral("test:///default");
        QTest::newRow("not a URI") << QStringLiteral("::: ?socket=libvirt-sock%") << QStringLiteral("::: ?socket=libvirt-sock%");
    }

    void readOnlyUri()
    {
        QFETCH(QString, uri);
        QFETCH(QString, expected);
        QCOMPARE(AccessPolicy::readOnlyUri(uri), expected);
    }

    void policy()
    {
        AccessPolicy policy;
        QSignalSpy changed(&policy, &AccessPolicy::changed);
        QVERIFY(!policy.isReadOnly(Hv1));
        QVERIFY(policy.writeRefusal(QStringList{Hv1, Hv2}).isEmpty());
        policy.setReadOnly(Hv1, true);
        policy.setReadOnly(Hv1, true); // no news
        QCOMPARE(changed.size(), 1);
        QVERIFY(policy.isReadOnly(Hv1));
        QVERIFY(!policy.isReadOnly(Hv2));
        QVERIFY(policy.writeRefusal(Hv1).contains(QLatin1String("read-only connection")));
        QVERIFY(policy.writeRefusal(Hv2).isEmpty());
        QCOMPARE(policy.writeRefusal(QStringList{Hv2, Hv1}), policy.writeRefusal(Hv1));
        policy.setAllReadOnly(true);
        QCOMPARE(changed.size(), 2);
        QVERIFY(policy.isReadOnly(Hv2));
        QVERIFY(policy.isReadOnly(QStringLiteral("qemu:///system")));
        policy.setAllReadOnly(false);
        policy.setReadOnly(Hv1, false);
        QCOMPARE(changed.size(), 4);
        QVERIFY(!policy.isReadOnly(Hv1));
    }

    void preflightRefuses()
    {
        Inventory inventory;
        inventory.addHost(Hv1);
        inventory.addHost(Hv2);
        inventory.applySnapshot(host(Hv1, {vm(Hv1, QStringLiteral("a"))}));
        inventory.applySnapshot(host(Hv2, {vm(Hv2, QStringLiteral("b"))}));
        AccessPolicy policy;
        Preflight preflight(&inventory);
        preflight.setAccessPolicy(&policy);
        QVERIFY(preflight.checkMigration({Hv1, QStringLiteral("a")}, Hv2).allowed);
        QVERIFY(preflight.checkPlacement(Hv1, 1024, {}).allowed);

        policy.setReadOnly(Hv1, true);
        // Out of a read-only host, into one, or placed on one: refused, with the reason.
        const PlacementCheck out = preflight.checkMigration({Hv1, QStringLiteral("a")}, Hv2);
        QVERIFY(!out.allowed);
        QVERIFY2(out.reason.contains(QLatin1String("read-only connection")), qPrintable(out.reason));
        QVERIFY2(out.reason.startsWith(QLatin1String("hv1")), qPrintable(out.reason));
        const PlacementCheck in = preflight.checkMigration({Hv2, QStringLiteral("b")}, Hv1);
        QVERIFY(!in.allowed);
        QVERIFY(in.reason.contains(QLatin1String("read-only connection")));
        QVERIFY(!preflight.checkPlacement(Hv1, 1024, {}).allowed);
        QVERIFY(preflight.checkPlacement(Hv2, 1024, {}).allowed);
        QVERIFY(!preflight.writeRefusal(Hv1).isEmpty());
        QVERIFY(preflight.writeRefusal(Hv2).isEmpty());
    }

    // libvirt's test driver opened read-only: reading works, a write is refused with libvirt's
    // "read only access" error (checked by the client library's public API, which the test driver
    // shares with every driver; a daemon checks again on its side).
    void testDriverRefusesWrites()
    {
        QTemporaryDir dir;
        const QString uri = writeNode(dir);
        QVERIFY(!uri.isEmpty());
        Inventory inventory;
        SessionManager sessions(&inventory);
        QVERIFY(sessions.addConnection(uri, false, true));
        QVERIFY(sessions.accessPolicy()->isReadOnly(uri));
        QTRY_VERIFY_WITH_TIMEOUT(inventory.hasVm({uri, WebUuid}), 5000);
        QCOMPARE(inventory.vm({uri, WebUuid}).tenant, QStringLiteral("acme"));

        HypervisorSession *session = sessions.session(uri);
        QVERIFY(session);
        QSignalSpy finished(session, &HypervisorSession::actionFinished);
        session->runAction(WebUuid, VmAction::Pause);
        QVERIFY(finished.wait(5000));
        const VmActionResult result = finished.last().first().value<VmActionResult>();
        QVERIFY(!result.ok);
        QVERIFY2(result.message.contains(QLatin1String("read only"), Qt::CaseInsensitive), qPrintable(result.message));
        QCOMPARE(inventory.vm({uri, WebUuid}).state, VmState::Running);

        // The saved definition is still readable (without its secrets).
        XmlRecorder xml;
        sessions.requestDomainXml({uri, WebUuid}, true, xml.reply());
        QTRY_VERIFY_WITH_TIMEOUT(xml.answered, 5000);
        QVERIFY2(xml.error.isEmpty(), qPrintable(xml.error));
        QVERIFY(xml.xml.contains(QLatin1String("<name>web-1</name>")));

        // Defining is a write too.
        OperationRecorder defined;
        sessions.defineDomain(uri, xml.xml, false, defined.reply());
        QTRY_VERIFY_WITH_TIMEOUT(defined.answered, 5000);
        QCOMPARE(defined.ok, false);
        QVERIFY2(defined.message.contains(QLatin1String("read only"), Qt::CaseInsensitive), qPrintable(defined.message));

        // The same host opened read-write (after the read-only session goes) takes the write.
        sessions.removeConnection(uri);
        QVERIFY(!sessions.accessPolicy()->isReadOnly(uri));
        QVERIFY(sessions.addConnection(uri));
        QTRY_VERIFY_WITH_TIMEOUT(inventory.hasVm({uri, WebUuid}), 5000);
        QSignalSpy finished2(sessions.session(uri), &HypervisorSession::actionFinished);
        sessions.session(uri)->runAction(WebUuid, VmAction::Pause);
        QVERIFY(finished2.wait(5000));
        QVERIFY2(finished2.last().first().value<VmActionResult>().ok, qPrintable(finished2.last().first().value<VmActionResult>().message));
    }
};

QTEST_GUILESS_MAIN(tst_AccessPolicy)
#include "tst_accesspolicy.moc"
