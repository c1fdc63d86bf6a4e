// Vigie's network controller against the lab: the correlation of the lab's guests with the OVN
// northbound database, a VM NIC moved to another VLAN through the controller and libvirt (judged
// by ovn-nbctl and virsh), the controller put back when libvirt fails, a Neutron-owned port or
// switch left alone with the owner's message, and VLANs created and deleted, with the
// transactions' "wait" guards checked against the real ovsdb-server.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "network/networkcontroller.h"
#include "network/ovnowner.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/portaddressing.h"
#include "network/subneteditor.h"
#include "placement/newvm.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QScopeGuard>

#include <algorithm>
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
    void neutronRowsLeftAlone();
    void moveNicThroughController();
    void assignedAddressTakenByDhcp();
    void vlanDhcpOptionsReachTheGuest();
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
            // tiny-N boots no kernel: it takes no address and answers no ping.
            if (vm.state == VmState::Running && vm.nics.size() == 1 && !avoid.contains(vm.name) && !vm.name.startsWith(u"tiny")
                && m_inventory->host(match.vm.hostUri).state == ConnectionState::Connected && match.controllerVlan > 0
                && match.owner == OvnOwner::None)
                return match;
        }
        return std::nullopt;
    }
    // Another VLAN whose switch the lab owns (Neutron's is not Vigie's to change).
    [[nodiscard]] int otherVlan(int current) const
    {
        for (const LabVlan &vlan : m_lab.vlans()) {
            if (vlan.id != current && m_controller->switchForVlan(vlan.id).owner() == OvnOwner::None)
                return vlan.id;
        }
        return 0;
    }
    // The mismatches a healthy lab should not have. (Its probe ports, network namespaces bound
    // to a chassis that name no VM, are not ports without VM.) Its Neutron-shaped ports are
    // pinned to their first host by requested-chassis as Neutron pins them, but nobody plays
    // Neutron's part when the migration tests move their VMs: their binding disagreements are real.
    [[nodiscard]] QStringList unexpectedMismatches() const
    {
        QStringList left;
        for (const NetworkMismatch &m : m_controller->correlation()->mismatches()) {
            const bool binding = m.kind == NetworkMismatch::Kind::BoundElsewhere || m.kind == NetworkMismatch::Kind::Unbound;
            if (binding && m_controller->northbound()->portByName(m.portName).owner() == OvnOwner::Neutron)
                continue;
            left.append(NetworkCorrelation::describe(m));
        }
        return left;
    }
    [[nodiscard]] QString vlanName(int id) const
    {
        for (const LabVlan &vlan : m_lab.vlans()) {
            if (vlan.id == id)
                return vlan.name;
        }
        return {};
    }
    // Whether the probe port of VLAN (a neighbour on its switch) gets an answer from IP.
    [[nodiscard]] static bool answers(const QString &vlan, const QString &ip)
    {
        return LabEnvironment::probe(vlan, {u"ping"_s, u"-c1"_s, u"-W1"_s, ip}, 10000).ok();
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
    m_controller->setSouthboundRemotes(m_lab.southboundRemotes());
    QVERIFY(settled.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSouthboundSynced(), 15000);
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
            // Wired the ML2/OVN way: no VLAN in libvirt, the switch's in Vigie's inventory.
            QVERIFY(match->libvirtVlans.isEmpty());
            QVERIFY(match->controllerVlan > 0);
            QCOMPARE(m_inventory->nicVlans(key.hostUri, nic), QList<int>{match->controllerVlan});
            // Bound where the VM runs (see unexpectedMismatches() for the Neutron-shaped ports).
            if (m_inventory->vm(key).state == VmState::Running && match->owner == OvnOwner::None)
                QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(key, nic.mac).value_or(NicPortMatch{}).chassisHostUri,
                                          key.hostUri, 10000);
        }
    }
    QVERIFY(nics >= 10);
    QVERIFY2(unexpectedMismatches().isEmpty(), qPrintable(unexpectedMismatches().join(u'\n')));
    // The inventory's VLANs carry the controller's names.
    for (const LabVlan &vlan : m_lab.vlans())
        QCOMPARE(m_inventory->vlanName(vlan.id), vlan.name);
    // The overlay network (no localnet port) is known as one, and its probes, one per chassis,
    // reach each other through a Geneve tunnel.
    const QList<ControllerOverlay> overlays = m_inventory->overlays();
    QVERIFY(std::any_of(overlays.cbegin(), overlays.cend(), [](const ControllerOverlay &o) { return o.switchName == u"overlay"_s; }));
    QVERIFY(LabEnvironment::probe(u"overlay-1"_s, {u"ping"_s, u"-c1"_s, u"-W2"_s, u"172.16.9.252"_s}, 10000).ok());
}

// The backoffice VLAN is Neutron's (neutron:* external ids on its switch and ports): a drag of one
// of its ports onto another VLAN, or of a lab port into it, is refused with the owner's message,
// in the event log too, and ovn-nbctl finds the rows exactly as they were.
void tst_NetworkLab::neutronRowsLeftAlone()
{
    std::optional<NicPortMatch> neutron;
    for (const NicPortMatch &match : m_controller->correlation()->matches()) {
        if (match.owner == OvnOwner::Neutron && match.controllerVlan > 0 && m_inventory->vm(match.vm).state == VmState::Running)
            neutron = match;
    }
    QVERIFY2(neutron, "no running guest with a Neutron-owned port");
    const std::optional<NicPortMatch> lab = pickGuest({});
    QVERIFY(lab);
    const OvnLogicalSwitch neutronSwitch = m_controller->northbound()->logicalSwitch(neutron->switchUuid);
    QCOMPARE(neutronSwitch.owner(), OvnOwner::Neutron);
    const int labVlan = otherVlan(neutron->controllerVlan);
    const OvnLogicalSwitch labSwitch = m_controller->switchForVlan(labVlan);
    QCOMPARE(labSwitch.owner(), OvnOwner::None);
    const OvnLogicalSwitch labGuestSwitch = m_controller->northbound()->logicalSwitch(lab->switchUuid);

    // What ovn-nbctl sees of every row a move would touch: the two ports, their switches and the
    // switch each would go to.
    const auto rows = [&] {
        QStringList out;
        for (const QString &port : {neutron->portName, lab->portName})
            out.append(nbctl({u"list"_s, u"Logical_Switch_Port"_s, port}).out);
        for (const QString &sw : {neutronSwitch.name, labSwitch.name, labGuestSwitch.name})
            out.append(nbctl({u"list"_s, u"Logical_Switch"_s, sw}).out);
        return out;
    };
    const QStringList before = rows();
    for (const QString &row : before)
        QVERIFY(!row.isEmpty());

    struct Case
    {
        NicPortMatch match;
        int vlan;
        QString owned; // what the message names as Neutron's
    };
    const QList<Case> cases{{*neutron, labVlan, u"The port %1"_s.arg(neutron->portName)},
                            {*lab, neutron->controllerVlan, u"The switch %1"_s.arg(neutronSwitch.displayName())}};
    for (const Case &c : cases) {
        const QString expected = NetworkController::ownerRefusal(c.owned, OvnOwner::Neutron);
        QVERIFY(expected.contains(u"OpenStack Neutron"_s));
        QCOMPARE(m_controller->moveRefusal(c.match.vm, c.match.mac, c.vlan), expected);
        QSignalSpy finished(m_controller.get(), &NetworkController::nicMoveFinished);
        QSignalSpy logged(m_controller.get(), &NetworkController::eventRecorded);
        m_controller->moveNicToVlan(c.match.vm, c.match.mac, c.vlan);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QCOMPARE(finished.first().at(3).toBool(), false);
        QCOMPARE(finished.first().at(4).toString(), expected);
        QVERIFY(std::any_of(logged.cbegin(), logged.cend(), [&](const QList<QVariant> &e) {
            const EventRecord record = e.first().value<EventRecord>();
            return record.result == expected && record.severity == EventRecord::Severity::Error;
        }));
        qInfo("%s -> VLAN %d refused: %s", qPrintable(c.match.portName), c.vlan, qPrintable(expected));
    }
    // Nothing was sent: the rows are as they were.
    QCOMPARE(rows(), before);
    QCOMPARE(switchOfPort(neutron->portName), neutronSwitch.name);
    QCOMPARE(switchOfPort(lab->portName), labGuestSwitch.name);
}

void tst_NetworkLab::moveNicThroughController()
{
    // An ML2/OVN guest moves to another VLAN by its port alone (libvirt untouched), takes an
    // address of the new switch's subnet from OVN's DHCP, and is then reachable from a neighbour
    // on the new VLAN and no longer from one on the old.
    const std::optional<NicPortMatch> match = pickGuest({});
    QVERIFY2(match, "no running single-NIC ML2/OVN guest on a lab-owned switch");
    const LabHost host = labHost(match->vm.hostUri);
    const int from = match->controllerVlan;
    const QString oldIp = match->addresses.value(0);
    QVERIFY(!oldIp.isEmpty());
    qInfo("moving %s's NIC %s (port %s, %s) out of VLAN %d", qPrintable(match->vmName), qPrintable(match->mac),
          qPrintable(match->portName), qPrintable(oldIp), from);
    QTRY_VERIFY_WITH_TIMEOUT(answers(vlanName(from), oldIp), 60000);
    const QString xmlBefore = LabEnvironment::virsh(host, {u"dumpxml"_s, match->vmName}).out;
    QVERIFY(!xmlBefore.contains(u"<vlan"_s));

    for (int vlan : {otherVlan(from), from}) {
        const QString previousIp = m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).addresses.value(0);
        const int previousVlan = m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).controllerVlan;
        QSignalSpy finished(m_controller.get(), &NetworkController::nicMoveFinished);
        QElapsedTimer timer;
        timer.start();
        m_controller->moveNicToVlan(match->vm, match->mac, vlan);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY2(finished.first().at(3).toBool(), qPrintable(finished.first().at(4).toString()));
        qInfo("VLAN %d -> %d through the controller: %lld ms", previousVlan, vlan, timer.elapsed());
        QCOMPARE(switchOfPort(match->portName), m_controller->switchForVlan(vlan).name);
        // libvirt was not touched.
        QVERIFY(!LabEnvironment::virsh(host, {u"dumpxml"_s, match->vmName}).out.contains(u"<vlan"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).controllerVlan, vlan, 5000);
        QCOMPARE(m_inventory->vmVlans(match->vm), QList<int>{vlan});
        const QString newIp = m_controller->correlation()->matchOf(match->vm, match->mac).value_or(NicPortMatch{}).addresses.value(0);
        QVERIFY(!newIp.isEmpty() && newIp != previousIp);
        // The data plane: the guest renews its lease (20 s in the lab) into the new subnet.
        timer.restart();
        QTRY_VERIFY_WITH_TIMEOUT(answers(vlanName(vlan), newIp), 90000);
        qInfo("%s answers on VLAN %d at %s %lld ms after the move", qPrintable(match->vmName), vlan, qPrintable(newIp), timer.elapsed());
        QVERIFY(!answers(vlanName(previousVlan), previousIp));
        QVERIFY2(unexpectedMismatches().isEmpty(), qPrintable(unexpectedMismatches().join(u'\n')));
    }
}

void tst_NetworkLab::assignedAddressTakenByDhcp()
{
    // The operator gives an ML2/OVN guest another address of its subnet: the port's addresses
    // and port security change in one transaction, the guest takes the address from OVN's DHCP
    // at its next renewal and answers pings there, and no longer at the old one. Then back.
    const std::optional<NicPortMatch> match = pickGuest({});
    QVERIFY2(match, "no running single-NIC ML2/OVN guest on a lab-owned switch");
    PortAddressing *addressing = m_controller->addressing();
    QCOMPARE(addressing->refusal(match->vm, match->mac), QString());
    const QString vlan = vlanName(match->controllerVlan);
    const QString oldIp = addressing->addressesOf(match->vm, match->mac).value(0);
    QVERIFY(!oldIp.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(answers(vlan, oldIp), 60000);
    const SubnetPlan plan = addressing->planFor(match->vm, match->mac);
    QVERIFY2(plan.isValid(), qPrintable(plan.problem()));
    // Refused before anything is sent: the gateway, another port's address, outside the subnet.
    QVERIFY(addressing->addressRefusal(match->vm, match->mac, plan.gateway()).contains(u"gateway"_s));
    QVERIFY(addressing->addressRefusal(match->vm, match->mac, u"10.255.255.7"_s).contains(u"outside"_s));
    const QString newIp = plan.suggestion();
    QVERIFY(!newIp.isEmpty());
    QCOMPARE(addressing->addressRefusal(match->vm, match->mac, newIp), QString());
    QVERIFY(!answers(vlan, newIp));

    for (const auto &[from, to] : {std::pair{oldIp, newIp}, std::pair{newIp, oldIp}}) {
        QSignalSpy finished(addressing, &PortAddressing::finished);
        QElapsedTimer timer;
        timer.start();
        addressing->assign(match->vm, match->mac, to);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.first().at(2).toBool(), qPrintable(finished.first().at(3).toString()));
        // ovn-nbctl sees the new addressing, port security with it.
        const QString expected = u"%1 %2"_s.arg(match->mac, to);
        QCOMPARE(nbctl({u"lsp-get-addresses"_s, match->portName}).out.trimmed(), expected);
        QCOMPARE(nbctl({u"lsp-get-port-security"_s, match->portName}).out.trimmed(), expected);
        QTRY_COMPARE_WITH_TIMEOUT(addressing->addressesOf(match->vm, match->mac), QStringList{to}, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(answers(vlan, to), 90000);
        qInfo("%s: %s -> %s, answers at the new address %lld ms after the transaction", qPrintable(match->vmName), qPrintable(from),
              qPrintable(to), timer.elapsed());
        QVERIFY(!answers(vlan, from));
        QVERIFY2(unexpectedMismatches().isEmpty(), qPrintable(unexpectedMismatches().join(u'\n')));
    }
}

void tst_NetworkLab::vlanDhcpOptionsReachTheGuest()
{
    // The operator edits a lab VLAN's DHCP options (DNS servers, lease) through Vigie: one
    // transaction, ovn-nbctl reads them back, and the guest's next renewal brings them from OVN's
    // DHCP (its udhcpc hook says so on the serial console, whose log the test reads). Then back.
    const std::optional<NicPortMatch> match = pickGuest({});
    QVERIFY2(match, "no running single-NIC ML2/OVN guest on a lab-owned switch");
    SubnetEditor *subnets = m_controller->subnets();
    const QString switchUuid = match->switchUuid;
    QCOMPARE(subnets->refusal(switchUuid), QString());
    const SubnetSettings was = SubnetSettings::ofSwitch(*m_controller->northbound(), switchUuid);
    QVERIFY2(was.dhcp && was.leaseSeconds > 0 && !was.gateway.isEmpty(), qPrintable(was.cidr));
    const QString ip = match->addresses.value(0);
    const QString vlan = vlanName(match->controllerVlan);
    QTRY_VERIFY_WITH_TIMEOUT(answers(vlan, ip), 60000);
    // What the guest's console says after OFFSET.
    QFile console(m_lab.directory() + u"/hosts/%1/log/libvirt/qemu/%2-console.log"_s.arg(labHost(match->vm.hostUri).name, match->vmName));
    const auto saidSince = [&console](qint64 offset, const QString &line) {
        if (!console.open(QIODevice::ReadOnly))
            return false;
        console.seek(offset);
        const bool said = QString::fromUtf8(console.readAll()).contains(line);
        console.close();
        return said;
    };
    const auto optionsLine = [&](const SubnetSettings &s) {
        return u"vigie-guest: %1 dhcp options eth0 lease %2 dns %3 router %4"_s.arg(match->vmName)
            .arg(s.leaseSeconds)
            .arg(s.dnsServers.isEmpty() ? u"none"_s : s.dnsServers.join(u' '), s.gateway);
    };
    QVERIFY2(console.exists(), qPrintable(console.fileName()));

    SubnetSettings edited = was;
    edited.dnsServers = {u"192.0.2.53"_s, u"192.0.2.54"_s};
    edited.leaseSeconds = was.leaseSeconds + 10;
    auto restore = qScopeGuard([&] {
        QSignalSpy back(subnets, &SubnetEditor::finished);
        subnets->apply(switchUuid, was);
        QTRY_COMPARE_WITH_TIMEOUT(back.size(), 1, 10000);
    });
    for (const SubnetSettings &settings : {edited, was}) {
        const qint64 offset = console.size();
        QSignalSpy finished(subnets, &SubnetEditor::finished);
        QElapsedTimer timer;
        timer.start();
        subnets->apply(switchUuid, settings);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        // ovn-nbctl reads the row back.
        const QString row = m_controller->northbound()->dhcpOptionsOf(switchUuid);
        const QString options = nbctl({u"dhcp-options-get-options"_s, row}).out;
        QVERIFY2(options.contains(u"lease_time=%1"_s.arg(settings.leaseSeconds)), qPrintable(options));
        QCOMPARE(options.contains(u"dns_server={192.0.2.53, 192.0.2.54}"_s), !settings.dnsServers.isEmpty());
        // The guest's next renewal (at half its lease) brings them.
        QTRY_VERIFY2_WITH_TIMEOUT(saidSince(offset, optionsLine(settings)), qPrintable(optionsLine(settings)), 3000 * int(was.leaseSeconds + 10));
        qInfo("%s: lease %lld s, DNS %s: the guest took them %lld ms after the transaction", qPrintable(match->vmName),
              settings.leaseSeconds, qPrintable(settings.dnsServers.join(u", "_s)), timer.elapsed());
        QVERIFY(answers(vlan, ip));
        QVERIFY2(unexpectedMismatches().isEmpty(), qPrintable(unexpectedMismatches().join(u'\n')));
    }
    restore.dismiss();
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
    const auto cleanup = qScopeGuard([&] {
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
    // Placed into the lab's libvirt VLAN network (lab-vlan on br-phys, a portgroup tag): a
    // libvirt-wired NIC, in VLAN 200 by libvirt, that no controller manages and nothing flags.
    QTRY_COMPARE_WITH_TIMEOUT(m_inventory->nicVlans(key.hostUri, nic), QList<int>{200}, 5000);
    QVERIFY(!m_inventory->controllerNic(nic));
    m_controller->correlation()->refresh();
    const QList<NetworkMismatch> mismatches = m_controller->correlation()->mismatches();
    QVERIFY(std::none_of(mismatches.cbegin(), mismatches.cend(), [&](const NetworkMismatch &m) { return m.vm == key; }));
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
