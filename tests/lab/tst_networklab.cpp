// Vigie's network controller against the lab: the correlation of the lab's guests with the OVN
// northbound database, a VM NIC moved to another VLAN through the controller and libvirt (judged
// by ovn-nbctl and virsh), the controller put back when libvirt fails, and VLANs created and
// deleted, with the transactions' "wait" guards checked against the real ovsdb-server.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "placement/newvm.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::LabTest;

class tst_NetworkLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyGuestNicHasItsPort();
    void moveNicThroughController();
    void libvirtFailurePutsTheControllerBack();
    void createAndDeleteVlan();
    void staleTransactionsChangeNothing();
    void placedVmGetsItsPort();
    void cleanupTestCase();

private:
    [[nodiscard]] LabEnvironment::Result nbctl(const QStringList &args) const
    {
        return LabEnvironment::run(u"ovn-nbctl"_s, QStringList{u"--db="_s + m_unixRemote, u"--timeout=10"_s} + args, 20000);
    }
    [[nodiscard]] QString switchOfPort(const QString &port) const
    {
        const QString out = nbctl({u"lsp-get-ls"_s, port}).out.trimmed();
        const qsizetype open = out.indexOf(u'(');
        return open < 0 ? out : out.mid(open + 1).chopped(1);
    }
    [[nodiscard]] LabHost labHost(const QString &uri) const
    {
        for (const LabHost &host : m_lab.hosts()) {
            if (host.uri == uri)
                return host;
        }
        return {};
    }
    // A running guest with one NIC that the controller manages.
    [[nodiscard]] std::optional<NicPortMatch> pickGuest(const QStringList &avoid) const
    {
        for (const NicPortMatch &match : m_controller->correlation()->matches()) {
            const VmInfo vm = m_inventory->vm(match.vm);
            if (vm.state == VmState::Running && vm.nics.size() == 1 && !avoid.contains(vm.name)
                && m_inventory->host(match.vm.hostUri).state == ConnectionState::Connected && match.controllerVlan > 0)
                return match;
        }
        return std::nullopt;
    }
    [[nodiscard]] int otherVlan(int current) const
    {
        for (const LabVlan &vlan : m_lab.vlans()) {
            if (vlan.id != current)
                return vlan.id;
        }
        return 0;
    }
    [[nodiscard]] OvsdbTransactResult transactAndWait(const QJsonArray &operations)
    {
        std::optional<OvsdbTransactResult> outcome;
        m_controller->client()->transact(operations, [&outcome](const OvsdbTransactResult &r) { outcome = r; });
        if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 10000))
            return {};
        return outcome.value_or(OvsdbTransactResult{});
    }

    LabEnvironment m_lab;
    QString m_unixRemote;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<NetworkController> m_controller;
};

void tst_NetworkLab::initTestCase()
{
    QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
    for (const QString &remote : m_lab.controllerRemotes()) {
        if (remote.startsWith(u"unix:"))
            m_unixRemote = remote;
    }
    QVERIFY(!m_unixRemote.isEmpty());
    m_inventory = std::make_unique<Inventory>();
    m_sessions = std::make_unique<SessionManager>(m_inventory.get());
    m_controller = std::make_unique<NetworkController>(m_inventory.get(), m_sessions.get());
    QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
    for (const LabHost &host : m_lab.hosts())
        QVERIFY(m_sessions->addConnection(host.uri));
    m_controller->setRemotes(m_lab.controllerRemotes());
    QVERIFY(settled.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->correlation()->matches().isEmpty(), 5000);
}

void tst_NetworkLab::everyGuestNicHasItsPort()
{
    // Every ML2/OVN lab guest's NIC is matched to its port by interface id, in the same VLAN
    // (once the correlation has run over the last host's inventory). The libvirt-wired guests
    // sit on a libvirt network that no controller manages.
    const auto unmatched = [this] {
        QStringList missing;
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (!m_lab.wiring(m_inventory->vm(key).name).isOvn())
                continue;
            for (const NicInfo &nic : m_inventory->vm(key).nics) {
                if (!m_controller->correlation()->matchOf(key, nic.mac))
                    missing.append(m_inventory->vm(key).name + u' ' + nic.mac);
            }
        }
        return missing;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(unmatched().isEmpty(), qPrintable(unmatched().join(u", ")), 5000);
    int nics = 0;
    for (const VmKey &key : m_inventory->vmKeys()) {
        if (!m_lab.wiring(m_inventory->vm(key).name).isOvn())
            continue;
        for (const NicInfo &nic : m_inventory->vm(key).nics) {
            ++nics;
            const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(key, nic.mac);
            QVERIFY2(match, qPrintable(m_inventory->vm(key).name + u' ' + nic.mac));
            QCOMPARE(match->portName, nic.interfaceId);
            QCOMPARE(match->libvirtVlans, QList<int>{match->controllerVlan});
        }
    }
    QVERIFY(nics >= 10);
    QStringList left;
    for (const NetworkMismatch &m : m_controller->correlation()->mismatches())
        left.append(NetworkCorrelation::describe(m));
    QVERIFY2(left.isEmpty(), qPrintable(left.join(u'\n')));
    // The inventory's VLANs carry the controller's names.
    for (const LabVlan &vlan : m_lab.vlans())
        QCOMPARE(m_inventory->vlanName(vlan.id), vlan.name);
}

void tst_NetworkLab::moveNicThroughController()
{
    const std::optional<NicPortMatch> match = pickGuest({u"web-1"_s, u"web-2"_s});
    QVERIFY2(match, "no running single-NIC guest managed by the controller");
    const LabHost host = labHost(match->vm.hostUri);
    const int from = match->controllerVlan;
    const QString fromSwitch = match->switchName;
    qInfo("moving %s's NIC %s (port %s) out of VLAN %d", qPrintable(match->vmName), qPrintable(match->mac),
          qPrintable(match->portName), from);
    QCOMPARE(switchOfPort(match->portName), fromSwitch);

    for (int vlan : {otherVlan(from), from}) {
        QSignalSpy finished(m_controller.get(), &NetworkController::nicMoveFinished);
        QElapsedTimer timer;
        timer.start();
        m_controller->moveNicToVlan(match->vm, match->mac, vlan);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY2(finished.first().at(3).toBool(), qPrintable(finished.first().at(4).toString()));
        QVERIFY2(finished.first().at(4).toString().isEmpty(), qPrintable(finished.first().at(4).toString()));
        qInfo("VLAN %d -> %d through the controller and libvirt: %lld ms", from, vlan, timer.elapsed());
        // The controller and libvirt agree, as their own tools see it.
        const QString target = m_controller->switchForVlan(vlan).name;
        QCOMPARE(switchOfPort(match->portName), target);
        const QString tag = u"<tag id='%1'/>"_s.arg(vlan);
        QVERIFY(LabEnvironment::virsh(host, {u"dumpxml"_s, match->vmName}).out.contains(tag));
        QVERIFY(LabEnvironment::virsh(host, {u"dumpxml"_s, u"--inactive"_s, match->vmName}).out.contains(tag));
        // And so does Vigie, with nothing left to warn about.
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).controllerVlan, vlan, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).libvirtVlans, QList<int>{vlan}, 5000);
        QCOMPARE(m_controller->correlation()->mismatchCount(), 0);
    }
}

void tst_NetworkLab::libvirtFailurePutsTheControllerBack()
{
    const std::optional<NicPortMatch> match = pickGuest({u"web-1"_s, u"web-2"_s});
    QVERIFY(match);
    const LabHost host = labHost(match->vm.hostUri);
    const QString fromSwitch = match->switchName;
    const int target = otherVlan(match->controllerVlan);

    // libvirt cannot act: the host's daemon is dead.
    LabEnvironment::Result r = LabEnvironment::lab({u"daemon"_s, host.name, u"libvirtd"_s, u"kill"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    auto recover = qScopeGuard([&] { (void)LabEnvironment::lab({u"daemon"_s, host.name, u"libvirtd"_s, u"start"_s}); });
    QTRY_COMPARE_WITH_TIMEOUT(m_inventory->host(host.uri).state, ConnectionState::Unreachable, 15000);

    QSignalSpy finished(m_controller.get(), &NetworkController::nicMoveFinished);
    QSignalSpy portChanged(m_controller->northbound(), &OvnNorthbound::switchChanged);
    m_controller->moveNicToVlan(match->vm, match->mac, target);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QVERIFY(!finished.first().at(3).toBool());
    const QString message = finished.first().at(4).toString();
    qInfo("%s", qPrintable(message));
    QVERIFY2(message.contains(u"moved back"_s), qPrintable(message));
    // The port did move in the controller (both switches changed twice) and is back.
    QTRY_VERIFY2_WITH_TIMEOUT(portChanged.size() >= 4, qPrintable(QString::number(portChanged.size())), 2000);
    QCOMPARE(switchOfPort(match->portName), fromSwitch);

    recover.dismiss();
    r = LabEnvironment::lab({u"daemon"_s, host.name, u"libvirtd"_s, u"start"_s});
    QVERIFY2(r.ok(), qPrintable(r.err));
    QTRY_COMPARE_WITH_TIMEOUT(m_inventory->host(host.uri).state, ConnectionState::Connected, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->mismatchCount(), 0, 10000);
}

void tst_NetworkLab::createAndDeleteVlan()
{
    const QString name = u"vigie-vlan-%1"_s.arg(QCoreApplication::applicationPid());
    const int id = 3000 + int(QCoreApplication::applicationPid() % 900);
    QVERIFY(!m_controller->createVlanRefusal(u"front"_s, id).isEmpty()); // name taken
    QVERIFY(!m_controller->createVlanRefusal(name, 100).isEmpty());      // id taken
    QVERIFY(!m_controller->createVlanRefusal(name, 5000).isEmpty());     // out of range

    QSignalSpy done(m_controller.get(), &NetworkController::vlanOperationFinished);
    m_controller->createVlan(name, id, u"acme"_s, u"physnet"_s);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
    auto cleanup = qScopeGuard([&] { (void)nbctl({u"--if-exists"_s, u"ls-del"_s, name}); });
    // ovn-nbctl sees a switch with the localnet port tagged, the tenant in external_ids.
    QCOMPARE(nbctl({u"get"_s, u"Logical_Switch_Port"_s, u"ln-"_s + name, u"tag_request"_s}).out.trimmed(), QString::number(id));
    QCOMPARE(nbctl({u"get"_s, u"Logical_Switch_Port"_s, u"ln-"_s + name, u"type"_s}).out.trimmed(), u"localnet"_s);
    QCOMPARE(nbctl({u"get"_s, u"Logical_Switch"_s, name, u"external_ids:tenant"_s}).out.trimmed(), u"acme"_s);
    QCOMPARE(nbctl({u"lsp-get-ls"_s, u"ln-"_s + name}).out.contains(name), true);
    // Vigie sees it as a VLAN, in the inventory's list too.
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->switchForVlan(id).name, name, 2000);
    QCOMPARE(m_inventory->vlanName(id), name);
    QVERIFY(!m_controller->createVlanRefusal(name, id + 1).isEmpty()); // now taken

    // A VM port in it: deletion refused, by Vigie and by the transaction itself.
    const QString probe = name + u"-port"_s;
    QVERIFY(nbctl({u"lsp-add"_s, name, probe}).ok());
    const QString uuid = m_controller->switchForVlan(id).uuid;
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->deleteVlanRefusal(uuid).isEmpty(), 2000);
    done.clear();
    m_controller->deleteVlan(uuid);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    QVERIFY(!done.first().at(1).toBool());
    QVERIFY(nbctl({u"get"_s, u"Logical_Switch"_s, name, u"name"_s}).ok());

    // Without it, deleted, with its localnet port.
    QVERIFY(nbctl({u"lsp-del"_s, probe}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->deleteVlanRefusal(uuid).isEmpty(), 2000);
    done.clear();
    m_controller->deleteVlan(uuid);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
    QVERIFY(!nbctl({u"get"_s, u"Logical_Switch"_s, name, u"name"_s}).ok());
    QVERIFY(!nbctl({u"get"_s, u"Logical_Switch_Port"_s, u"ln-"_s + name, u"name"_s}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->switchForVlan(id).uuid.isEmpty(), 2000);
    cleanup.dismiss();
}

void tst_NetworkLab::staleTransactionsChangeNothing()
{
    // Vigie's picture is stale: the port is no longer where Vigie thinks. The move's "wait"
    // fails and nothing changes.
    const std::optional<NicPortMatch> match = pickGuest({});
    QVERIFY(match);
    const OvnLogicalSwitch actual = m_controller->northbound()->logicalSwitch(match->switchUuid);
    const OvnLogicalSwitch other = m_controller->switchForVlan(otherVlan(actual.vlanId));
    OvnLogicalSwitch third;
    for (const LabVlan &vlan : m_lab.vlans()) {
        if (vlan.id != actual.vlanId && vlan.id != other.vlanId)
            third = m_controller->switchForVlan(vlan.id);
    }
    QVERIFY(third.uuid != actual.uuid && third.uuid != other.uuid);
    OvsdbTransactResult result = transactAndWait(NetworkController::movePortOperations(match->portUuid, other, third));
    QVERIFY(!result.ok);
    QCOMPARE(result.errors.first().index, 0);
    QCOMPARE(result.firstError(), u"timed out"_s);
    QCOMPARE(switchOfPort(match->portName), actual.name);

    // A create racing another: the second one fails on its "wait", not with a duplicate.
    const QString name = u"vigie-race-%1"_s.arg(QCoreApplication::applicationPid());
    auto cleanup = qScopeGuard([&] { (void)nbctl({u"--if-exists"_s, u"ls-del"_s, name}); });
    QVERIFY(transactAndWait(NetworkController::createVlanOperations(name, 3999, {}, u"physnet"_s)).ok);
    result = transactAndWait(NetworkController::createVlanOperations(name, 3999, {}, u"physnet"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.firstError(), u"timed out"_s);
    QCOMPARE(nbctl({u"--bare"_s, u"--columns=_uuid"_s, u"find"_s, u"Logical_Switch"_s, u"name="_s + name}).out.split(u'\n', Qt::SkipEmptyParts).size(), 1);
}

// A VM placed from a template on a lab host, in VLAN 200: libvirt gives its NIC an Open vSwitch
// interface id, the controller lacks a port for it until Vigie adds one, named by that id, in
// the VLAN's switch (ovn-nbctl judges); then the correlation matches it.
void tst_NetworkLab::placedVmGetsItsPort()
{
    const LabHost host = m_lab.hosts().last();
    const QString name = u"placed-net-1"_s;
    QString port;
    const auto cleanup = qScopeGuard([&] {
        if (!port.isEmpty())
            (void)nbctl({u"--if-exists"_s, u"lsp-del"_s, port});
        (void)LabEnvironment::virsh(host, {u"destroy"_s, name});
        (void)LabEnvironment::virsh(host, {u"undefine"_s, name});
    });
    NewVm vm;
    vm.tmpl = {u"Lab tiny"_s, QString(), 1, 64, 0};
    vm.name = name;
    vm.tenant = u"acme"_s;
    vm.vlanId = 200;
    QSignalSpy created(m_sessions.get(), &SessionManager::vmCreationFinished);
    m_sessions->createVm(host.uri, vm);
    QVERIFY(created.wait(60000));
    QVERIFY2(created.first().at(2).toBool(), qPrintable(created.first().at(3).toString()));
    const VmKey key = created.first().at(0).value<VmKey>();
    QTRY_VERIFY_WITH_TIMEOUT(m_inventory->hasVm(key) && m_inventory->vm(key).nics.size() == 1
                                 && !m_inventory->vm(key).nics.first().interfaceId.isEmpty(),
                             10000);
    const NicInfo nic = m_inventory->vm(key).nics.first();
    port = nic.interfaceId;
    // Until Vigie adds it, the controller does not know the NIC.
    const auto nicWithoutPort = [&] {
        const QList<NetworkMismatch> mismatches = m_controller->correlation()->mismatches(); // one list, not two temporaries
        return std::any_of(mismatches.cbegin(), mismatches.cend(), [&](const NetworkMismatch &m) {
            return m.kind == NetworkMismatch::Kind::NicWithoutPort && m.vm == key;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(nicWithoutPort(), 5000);
    QVERIFY2(m_controller->addPortRefusal(key, nic.mac).isEmpty(), qPrintable(m_controller->addPortRefusal(key, nic.mac)));
    QSignalSpy added(m_controller.get(), &NetworkController::portAdded);
    m_controller->addPortForNic(key, nic.mac);
    QVERIFY(added.wait(10000));
    QVERIFY2(added.first().at(2).toBool(), qPrintable(added.first().at(3).toString()));
    QCOMPARE(switchOfPort(port), m_controller->switchForVlan(200).name);
    QVERIFY(nbctl({u"lsp-get-addresses"_s, port}).out.contains(nic.mac));
    QVERIFY(nbctl({u"get"_s, u"Logical_Switch_Port"_s, port, u"external_ids:vm"_s}).out.contains(name));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->correlation()->matchOf(key, nic.mac).has_value(), 5000);
    QCOMPARE(m_controller->correlation()->matchOf(key, nic.mac)->controllerVlan, 200);
    // Twice is refused before any transaction: the port is there.
    QVERIFY(!m_controller->addPortRefusal(key, nic.mac).isEmpty());
}

void tst_NetworkLab::cleanupTestCase()
{
    m_controller.reset();
    m_sessions.reset();
    m_inventory.reset();
}

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    tst_NetworkLab test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_networklab.moc"
