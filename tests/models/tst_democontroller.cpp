// The demo datacenter with its simulated network controller, end to end through the real
// sessions, OVSDB clients, OVN mappings and correlation: which NICs the controller wires, the
// demo's one real mismatch and nothing else, and actions applied in memory.
#include "demo/demodatacenter.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "network/bindingwatch.h"
#include "network/controllerjson.h"
#include "network/isolationaudit.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "itemmodels/addressmodel.h"
#include "itemmodels/networkmismatchmodel.h"
#include "itemmodels/policymodel.h"
#include "network/acltext.h"
#include "network/ovnpolicy.h"
#include "network/portaddressing.h"
#include "network/portisolation.h"
#include "network/subneteditor.h"
#include "network/subnetplan.h"
#include "placement/newvm.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

class TestDemoController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        m_controller = std::make_unique<NetworkController>(&m_inventory, m_sessions.get());
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        QVERIFY(m_controller->isDemo());
        QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced() && m_controller->isSouthboundSynced(), 10000);
        m_controller->correlation()->setBindingGrace(0);
        m_controller->correlation()->refresh();
        QCoreApplication::processEvents();
        m_controller->correlation()->refresh();
    }

    void cleanupTestCase()
    {
        m_controller.reset();
        m_sessions.reset();
    }

    void labelledDemo()
    {
        QVERIFY(m_controller->stateText().contains(u"Demo controller"_s));
        QCOMPARE(m_controller->remotes().size(), 1);
        QVERIFY(m_controller->remotes().first().startsWith(u"unix:"_s));
        // A real controller given afterwards replaces it; the demo's does not replace a real one.
        Inventory inventory;
        NetworkController other(&inventory, m_sessions.get());
        other.setRemotes({u"tcp:127.0.0.1:1"_s});
        other.setDemoRemotes(m_controller->remotes(), m_controller->southboundRemotes());
        QVERIFY(!other.isDemo());
        QCOMPARE(other.remotes(), QStringList{u"tcp:127.0.0.1:1"_s});
    }

    void controllerContent()
    {
        const OvnNorthbound &nb = *m_controller->northbound();
        // A VLAN switch per demo VLAN, two tenant overlays.
        for (int vlan : {10, 100, 200, 300, 400, 500})
            QVERIFY2(!m_controller->switchForVlan(vlan).uuid.isEmpty(), qPrintable(QString::number(vlan)));
        int overlays = 0, neutron = 0;
        for (const OvnLogicalSwitch &s : nb.switches()) {
            overlays += s.isOverlay() ? 1 : 0;
            neutron += s.owner() == OvnOwner::Neutron ? 1 : 0;
        }
        QCOMPARE(overlays, 2);
        QCOMPARE(neutron, 6);
        QCOMPARE(m_controller->switchForVlan(200).displayName(), u"app"_s);
        QCOMPARE(m_controller->switchForVlan(500).owner(), OvnOwner::None);
        // A chassis per demo host, each one matched to its host.
        QCOMPARE(m_controller->southbound()->chassisTable().size(), m_inventory.hostUris().size());
        for (auto it = m_controller->southbound()->chassisTable().cbegin(); it != m_controller->southbound()->chassisTable().cend(); ++it)
            QVERIFY2(!m_controller->correlation()->hostOfChassis(it.key()).isEmpty(), qPrintable(it->hostname));
    }

    // Nova's VMs are wired by the controller (no libvirt VLAN; their switch's), the banque-lumiere
    // ones on br-int have ports too, every other NIC is libvirt's alone.
    void wiring()
    {
        int novaVms = 0, controllerNics = 0, libvirtNics = 0;
        bool sawK8s = false;
        for (const VmKey &key : m_inventory.vmKeys()) {
            const VmInfo vm = m_inventory.vm(key);
            if (vm.manager == u"nova")
                ++novaVms;
            for (const NicInfo &nic : vm.nics) {
                const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(key, nic.mac);
                if (vm.manager == u"nova") {
                    QVERIFY2(match, qPrintable(vm.displayName + u' ' + nic.mac));
                    QVERIFY(m_inventory.libvirtNicVlans(key.hostUri, nic).isEmpty());
                    QCOMPARE(match->owner, OvnOwner::Neutron);
                    QVERIFY(nic.mac.startsWith(u"fa:16:3e:"_s));
                    QVERIFY(vm.name.startsWith(u"instance-"_s));
                }
                if (match) {
                    ++controllerNics;
                    QVERIFY2(m_inventory.controllerNic(nic), qPrintable(vm.name + u' ' + nic.mac));
                } else {
                    ++libvirtNics;
                }
            }
            if (vm.displayName == u"k8s-master-01") {
                sawK8s = true;
                QCOMPARE(vm.tenant, u"startup-nova"_s);
                QList<int> vlans = m_inventory.vmVlans(key);
                std::sort(vlans.begin(), vlans.end());
                QCOMPARE(vlans, (QList<int>{10, 200}));
            }
        }
        QVERIFY(sawK8s);
        QCOMPARE(novaVms, 15);
        QCOMPARE(controllerNics, 33);
        QVERIFY(libvirtNics > controllerNics);
    }

    // Exactly one real disagreement: lumiere-app-02's VLAN 500 NIC has its port in VLAN 400.
    void exactlyOneMismatch()
    {
        const QList<NetworkMismatch> mismatches = m_controller->correlation()->mismatches();
        QCOMPARE(mismatches.size(), 1);
        const NetworkMismatch &m = mismatches.first();
        QCOMPARE(m.kind, NetworkMismatch::Kind::VlanDiffers);
        QCOMPARE(m.vmName, u"lumiere-app-02"_s);
        QCOMPARE(m.libvirtVlan, 500);
        QCOMPARE(m.controllerVlan, 400);
    }

    // Neutron's rows are not Vigie's; the lab-style switches are, and a move there goes through
    // the in-memory transaction and libvirt; aligning the controller then clears the mismatch.
    void actionsInMemory()
    {
        // A VM that is shut off: the test driver changes a running NIC's VLAN only at next boot.
        const VmKey batch = vmNamed(u"lumiere-batch"_s);
        QVERIFY(batch.isValid());
        QString lumiereMac;
        for (const NicInfo &nic : m_inventory.vm(batch).nics) {
            if (m_inventory.libvirtNicVlans(batch.hostUri, nic) == QList<int>{500})
                lumiereMac = nic.mac;
        }
        QVERIFY(!lumiereMac.isEmpty());
        QVERIFY(m_controller->moveRefusal(batch, lumiereMac, 400).isEmpty());
        QSignalSpy moved(m_controller.get(), &NetworkController::nicMoveFinished);
        m_controller->moveNicToVlan(batch, lumiereMac, 400);
        QVERIFY(moved.wait(10000));
        QVERIFY2(moved.first().at(3).toBool(), qPrintable(moved.first().at(4).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(batch, lumiereMac)->controllerVlan, 400, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(batch, lumiereMac)->libvirtVlans, QList<int>{400}, 5000);
        QCOMPARE(m_controller->correlation()->mismatches().size(), 1);

        const VmKey master = vmNamed(u"k8s-master-01"_s);
        const QString novaMac = m_inventory.vm(master).nics.first().mac;
        QVERIFY(!m_controller->moveRefusal(master, novaMac, 500).isEmpty());

        moved.clear();
        m_controller->alignControllerWithLibvirt(m_controller->correlation()->mismatches().first());
        QVERIFY(moved.wait(10000));
        QVERIFY2(moved.first().at(3).toBool(), qPrintable(moved.first().at(4).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->mismatches().size(), 0, 5000);
    }

    // IPAM in the demo: a lab-style port gets a checked address of its switch's subnet (with port
    // security) through the in-memory transaction; a Neutron port is refused with the owner's
    // message; the transaction's JSON is exactly what ovn-nbctl would send.
    void addressesInMemory()
    {
        PortAddressing *addressing = m_controller->addressing();
        const VmKey sftp = vmNamed(u"lumiere-sftp"_s);
        QVERIFY(sftp.isValid());
        QString mac; // its NIC in VLAN 500, the lab-style switch lumiere
        for (const NicInfo &nic : m_inventory.vm(sftp).nics) {
            if (const auto match = m_controller->correlation()->matchOf(sftp, nic.mac); match && match->controllerVlan == 500)
                mac = nic.mac;
        }
        QVERIFY(!mac.isEmpty());
        QCOMPARE(addressing->refusal(sftp, mac), QString());
        const SubnetPlan plan = addressing->planFor(sftp, mac);
        QCOMPARE(plan.cidr(), u"10.50.0.0/24"_s);
        QCOMPARE(plan.suggestion(), u"10.50.0.10"_s); // .2-.9 excluded
        QVERIFY(addressing->addressRefusal(sftp, mac, u"10.50.0.5"_s).contains(u"exclude_ips"_s));
        QVERIFY(addressing->addressRefusal(sftp, mac, u"10.40.0.20"_s).contains(u"outside"_s));

        const OvnLogicalSwitchPort before = m_controller->northbound()->port(m_controller->correlation()->matchOf(sftp, mac)->portUuid);
        const QJsonArray operations = PortAddressing::assignOperations(before, u"10.50.0.10"_s);
        const QString expected =
            uR"([{"columns":["addresses","port_security"],"op":"wait","rows":[{"addresses":["set",["%1"]],"port_security":["set",[]]}],)"
            uR"("table":"Logical_Switch_Port","timeout":0,"until":"==","where":[["_uuid","==",["uuid","%2"]]]},)"
            uR"({"op":"update","row":{"addresses":["set",["%1 10.50.0.10"]],"port_security":["set",["%1 10.50.0.10"]]},)"
            uR"("table":"Logical_Switch_Port","where":[["_uuid","==",["uuid","%2"]]]},)"
            uR"({"comment":"vigie: port %3 gets the address 10.50.0.10","op":"comment"}])"_s.arg(mac, before.uuid, before.name);
        QCOMPARE(QString::fromUtf8(QJsonDocument(operations).toJson(QJsonDocument::Compact)), expected);

        QSignalSpy finished(addressing, &PortAddressing::finished);
        addressing->assign(sftp, mac, u"10.50.0.10"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(2).toBool(), qPrintable(finished.first().at(3).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(addressing->addressesOf(sftp, mac), QStringList{u"10.50.0.10"_s}, 5000);
        const OvnLogicalSwitchPort after = m_controller->northbound()->port(before.uuid);
        QCOMPARE(after.portSecurity, after.addresses);
        // Now taken: offered no more, refused to another port.
        QCOMPARE(addressing->planFor(sftp, mac).suggestion(), u"10.50.0.11"_s);
        const VmKey batch = vmNamed(u"lumiere-batch"_s);
        QString batchMac;
        for (const NicInfo &nic : m_inventory.vm(batch).nics) {
            if (const auto match = m_controller->correlation()->matchOf(batch, nic.mac); match && match->controllerVlan == 500)
                batchMac = nic.mac;
        }
        if (!batchMac.isEmpty())
            QVERIFY(addressing->addressRefusal(batch, batchMac, u"10.50.0.10"_s).contains(after.name));
        // A stale picture: the transaction's wait fails and nothing changes.
        QSignalSpy stale(addressing, &PortAddressing::finished);
        OvsdbTransactResult result;
        bool replied = false;
        m_controller->client()->transact(PortAddressing::assignOperations(before, u"10.50.0.12"_s), [&](const OvsdbTransactResult &r) {
            result = r;
            replied = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(replied, 5000);
        QVERIFY(!result.ok);
        QCOMPARE(m_controller->northbound()->port(before.uuid).addresses, after.addresses);

        // Neutron's port: refused, with its owner named.
        const VmKey nova = vmNamed(u"k8s-master-01"_s);
        const QString novaMac = m_inventory.vm(nova).nics.first().mac;
        QVERIFY(addressing->refusal(nova, novaMac).contains(u"OpenStack Neutron"_s));
        QSignalSpy refused(addressing, &PortAddressing::finished);
        addressing->assign(nova, novaMac, u"10.0.0.77"_s);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().at(2).toBool(), false);
        QCOMPARE(m_controller->correlation()->mismatches().size(), m_mismatchesNow);
    }

    // The Network panel's Addresses view of VLAN 500 (after addressesInMemory gave lumiere-sftp
    // 10.50.0.10): every address accounted for, the free ranges summarised; an address given to
    // another NIC splits its free range with precise row signals, not a reset.
    void addressesView()
    {
        const OvnLogicalSwitch lumiere = m_controller->northbound()->switchByName(u"lumiere"_s);
        QVERIFY(!lumiere.uuid.isEmpty());
        AddressModel model(m_controller.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy summary(&model, &AddressModel::summaryChanged);
        model.setSwitch(lumiere.uuid);
        QCOMPARE(summary.size(), 1);
        QVERIFY2(model.summary().startsWith(u"Subnet 10.50.0.0/24 · no gateway · excluded 10.50.0.2..10.50.0.9"_s), qPrintable(model.summary()));
        auto rows = [&model] {
            QStringList lines;
            for (int row = 0; row < model.rowCount(); ++row) {
                QStringList cells;
                for (int column = 0; column < AddressModel::ColumnCount; ++column)
                    cells.append(model.index(row, column).data().toString());
                lines.append(cells.join(u'|'));
            }
            return lines;
        };
        const VmKey sftp = vmNamed(u"lumiere-sftp"_s);
        QString sftpMac;
        for (const NicInfo &nic : m_inventory.vm(sftp).nics) {
            if (const auto match = m_controller->correlation()->matchOf(sftp, nic.mac); match && match->controllerVlan == 500)
                sftpMac = nic.mac;
        }
        const QString sftpPort = m_controller->correlation()->matchOf(sftp, sftpMac)->portName;
        // No gateway: .1 is free like any other (the excluded range starts at .2).
        const QStringList expected{u"10.50.0.0|network||||"_s, u"10.50.0.1|1 free||||"_s, u"10.50.0.2–10.50.0.9|excluded (8)||||"_s,
                                   u"10.50.0.10|used|lumiere-sftp|%1|%2|Vigie"_s.arg(sftpMac, sftpPort),
                                   u"10.50.0.11–10.50.0.254|244 free||||"_s, u"10.50.0.255|broadcast||||"_s};
        QVERIFY2(rows() == expected, qPrintable(rows().join(u'\n')));
        QCOMPARE(model.vmAt(3), sftp);
        QCOMPARE(model.macAt(3), sftpMac);
        QCOMPARE(model.vmAt(4), VmKey{});

        // Another NIC of VLAN 500 (lumiere-batch left it in actionsInMemory).
        VmKey batch;
        QString batchMac, batchName;
        for (const QString &uuid : lumiere.portUuids) {
            const auto match = m_controller->correlation()->matchOfPort(uuid);
            if (match && match->vm != sftp && batch.uuid.isEmpty()) {
                batch = match->vm;
                batchMac = match->mac;
                batchName = match->vmName;
            }
        }
        QVERIFY(!batchMac.isEmpty());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy finished(m_controller->addressing(), &PortAddressing::finished);
        m_controller->addressing()->assign(batch, batchMac, u"10.50.0.11"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(2).toBool(), qPrintable(finished.first().at(3).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 7, 5000);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 1); // the free range .11-.254
        QCOMPARE(removed.first().at(1).toInt(), 4);
        QCOMPARE(removed.first().at(2).toInt(), 4);
        QCOMPARE(inserted.size(), 1); // .11 used, .12-.254 free
        QCOMPARE(inserted.first().at(1).toInt(), 4);
        QCOMPARE(inserted.first().at(2).toInt(), 5);
        QCOMPARE(model.index(4, AddressModel::VmColumn).data().toString(), batchName);
        QCOMPARE(model.vmAt(4), batch);
        QCOMPARE(model.index(5, AddressModel::AddressColumn).data().toString(), u"10.50.0.12–10.50.0.254"_s);
        QCOMPARE(model.index(5, AddressModel::StatusColumn).data().toString(), u"243 free"_s);
        QVERIFY2(model.summary().endsWith(u"2 used · 244 free"_s), qPrintable(model.summary()));

        // Neutron's VLAN: its DHCP_Options give the subnet, gateway, DNS and lease; ports are Neutron's.
        const VmKey nova = vmNamed(u"k8s-master-01"_s);
        const auto novaMatch = m_controller->correlation()->matchOf(nova, m_inventory.vm(nova).nics.first().mac);
        QVERIFY(novaMatch);
        model.setSwitch(novaMatch->switchUuid);
        QVERIFY2(model.summary().contains(u"gateway "_s) && model.summary().contains(u"lease 43200 s"_s), qPrintable(model.summary()));
        bool sawNova = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.vmAt(row) == nova) {
                sawNova = true;
                QCOMPARE(model.index(row, AddressModel::OwnerColumn).data().toString(), u"OpenStack Neutron"_s);
                QCOMPARE(model.index(row, AddressModel::StatusColumn).data().toString(), u"used"_s);
            }
        }
        QVERIFY2(sawNova, qPrintable(rows().join(u'\n')));
        QCOMPARE(model.index(1, AddressModel::StatusColumn).data().toString(), u"gateway"_s);
        // A switch gone: nothing, and why.
        model.setSwitch(u"00000000-0000-0000-0000-000000000000"_s);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.summary(), u"This switch no longer exists."_s);
    }

    // The demo's security policy, as Neutron and Vigie wrote it: a port group per security group
    // (each Nova port in one), Neutron's drop group, and banque-lumiere isolated by Vigie. The
    // isolation is exactly what PortIsolation plans for that tenant (plus the operator's rule);
    // removed and made again in memory, the ACLs going with their group.
    void policyInMemory()
    {
        const OvnPolicy *policy = m_controller->policy();
        QTRY_COMPARE_WITH_TIMEOUT(policy->portGroups().size(), 4, 5000);
        const OvnPortGroup drop = policy->portGroupByName(u"neutron_pg_drop"_s);
        QCOMPARE(drop.owner(), OvnOwner::None); // Neutron writes no external_ids on it
        QCOMPARE(drop.portUuids.size(), 25);
        int securityGroups = 0;
        for (const OvnPortGroup &group : policy->portGroups())
            securityGroups += group.owner() == OvnOwner::Neutron ? 1 : 0;
        QCOMPARE(securityGroups, 2);

        // A Nova VM's NIC: its security group and the drop group, in words.
        const VmKey nova = vmNamed(u"k8s-master-01"_s);
        const auto novaMatch = m_controller->correlation()->matchOf(nova, m_inventory.vm(nova).nics.first().mac);
        QVERIFY(novaMatch);
        const QList<OvnPortGroup> novaGroups = policy->groupsOfPort(novaMatch->portUuid);
        QCOMPARE(novaGroups.size(), 2);
        QStringList words;
        for (const OvnPortGroup &group : novaGroups) {
            for (const OvnAcl &acl : policy->aclsOfGroup(group.uuid))
                words.append(AclText::describe(acl, policy));
        }
        QVERIFY2(words.contains(u"out: drop everything else"_s), qPrintable(words.join(u'\n')));
        QVERIFY2(words.contains(u"out: allow IPv4 to any"_s), qPrintable(words.join(u'\n')));
        QVERIFY2(std::any_of(words.cbegin(), words.cend(), [](const QString &w) { return w.startsWith(u"in: allow IPv4 from the members of security group"_s); }),
                 qPrintable(words.join(u'\n')));

        // Vigie's isolation of banque-lumiere.
        PortIsolation *isolation = m_controller->isolation();
        const OvnPortGroup lumiere = policy->isolationOfTenant(u"banque-lumiere"_s);
        QCOMPARE(lumiere.name, u"vigie_iso_banque_lumiere"_s);
        QCOMPARE(lumiere.portUuids.size(), 8);
        QList<VmKey> members;
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).tenant == u"banque-lumiere")
                members.append(key);
        }
        const IsolationPlan plan = isolation->plan(u"banque-lumiere"_s, u"banque-lumiere"_s, members);
        QCOMPARE(plan.ports.size(), 8);
        QVERIFY(isolation->refusal(plan).contains(u"already exists"_s));
        QStringList planned, demo;
        for (const OvnAcl &acl : PortIsolation::aclsFor(plan))
            planned.append(acl.direction + u' ' + acl.match + u' ' + acl.action);
        for (const OvnAcl &acl : policy->aclsOfGroup(lumiere.uuid)) {
            if (!acl.match.contains(u"lumiere_monitoring"_s)) // the operator's own rule
                demo.append(acl.direction + u' ' + acl.match + u' ' + acl.action);
        }
        planned.sort();
        demo.sort();
        QCOMPARE(demo, planned);
        QCOMPARE(isolation->removeRefusal(policy->portGroupByName(u"neutron_pg_drop"_s)).isEmpty(), false);

        // Removed: the group and its ACLs are gone. Made again: back, the same rules.
        const qsizetype aclsBefore = policy->acls().size();
        const qsizetype aclsOfLumiere = policy->aclsOfGroup(lumiere.uuid).size();
        QSignalSpy finished(isolation, &PortIsolation::finished);
        isolation->remove(lumiere);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(policy->isolationOfTenant(u"banque-lumiere"_s).uuid.isEmpty(), 5000);
        QCOMPARE(aclsOfLumiere, 6);
        QCOMPARE(policy->acls().size(), aclsBefore - aclsOfLumiere);
        QCOMPARE(isolation->refusal(plan), QString());
        isolation->isolate(plan);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(finished.last().at(2).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!policy->isolationOfTenant(u"banque-lumiere"_s).uuid.isEmpty(), 5000);
        const OvnPortGroup again = policy->isolationOfTenant(u"banque-lumiere"_s);
        QCOMPARE(again.portUuids.size(), 8);
        QCOMPARE(policy->aclsOfGroup(again.uuid).size(), PortIsolation::aclsFor(plan).size());
        // The same again is refused by the database too (the wait on the name), not only by Vigie.
        OvsdbTransactResult result;
        bool replied = false;
        m_controller->client()->transact(PortIsolation::isolateOperations(plan), [&](const OvsdbTransactResult &r) {
            result = r;
            replied = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(replied, 5000);
        QVERIFY(!result.ok);

        // A rule into an isolated VM: checked, then added to its group in memory.
        const VmKey sftp = vmNamed(u"lumiere-sftp"_s);
        QString sftpPort;
        for (const NicInfo &nic : m_inventory.vm(sftp).nics) {
            if (const auto match = m_controller->correlation()->matchOf(sftp, nic.mac); match && match->owner == OvnOwner::None)
                sftpPort = match->portUuid;
        }
        QVERIFY(!sftpPort.isEmpty());
        QCOMPARE(isolation->isolationOfPort(sftpPort).uuid, again.uuid);
        QCOMPARE(isolation->allowRefusal(sftpPort, AllowRule{u"tcp"_s, 22, u"$lumiere_monitoring"_s}), QString());
        QVERIFY(isolation->allowRefusal(sftpPort, AllowRule{u"tcp"_s, 22, u"$nope"_s}).contains(u"no address set"_s));
        QVERIFY(isolation->allowRefusal(sftpPort, AllowRule{u"tcp"_s, 22, u"10.0.0.0/33"_s}).contains(u"not an IPv4"_s));
        QVERIFY(isolation->allowRefusal(sftpPort, AllowRule{u"tcp"_s, 22, u"10.0.0.1 || 1"_s}).contains(u"not an IPv4"_s));
        QVERIFY(isolation->allowRefusal(sftpPort, AllowRule{u"tcp"_s, 0, u"any"_s}).contains(u"65535"_s));
        QVERIFY(isolation->allowRefusal(novaMatch->portUuid, AllowRule{u"tcp"_s, 22, u"any"_s}).contains(u"not in an isolation"_s));
        finished.clear();
        isolation->allow(sftpPort, AllowRule{u"tcp"_s, 22, u"10.40.0.0/24"_s});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(policy->aclsOfGroup(again.uuid).size(), PortIsolation::aclsFor(plan).size() + 1, 5000);
        QCOMPARE(AclText::describe(policy->aclsOfGroup(again.uuid).first(), policy), u"in: allow tcp 22 from 10.40.0.0/24"_s);

        // That rule removed again, alone: previewed, the isolation's own rules refused, Neutron's too.
        const OvnAcl rule = policy->aclsOfGroup(again.uuid).first();
        QCOMPARE(isolation->removeRuleRefusal(again, rule), QString());
        QCOMPARE(isolation->describeRuleRemoval(rule),
                 QStringList{u"- ACL in: allow tcp 22 from 10.40.0.0/24 · priority 2003 · allow-related · %1"_s.arg(rule.match)});
        const OvnAcl own = policy->aclsOfGroup(again.uuid).last();
        QVERIFY(isolation->removeRuleRefusal(again, own).contains(u"part of the isolation"_s));
        OvnPortGroup securityGroup;
        for (const OvnPortGroup &group : novaGroups) {
            if (group.owner() == OvnOwner::Neutron)
                securityGroup = group;
        }
        QVERIFY(!securityGroup.uuid.isEmpty());
        QVERIFY(isolation->removeRuleRefusal(securityGroup, policy->aclsOfGroup(securityGroup.uuid).first()).contains(u"OpenStack Neutron"_s));
        QVERIFY(isolation->removeRuleRefusal(drop, policy->aclsOfGroup(drop.uuid).first()).contains(u"not an isolation Vigie made"_s));
        QVERIFY(isolation->removeRuleRefusal(again, policy->aclsOfGroup(securityGroup.uuid).first()).contains(u"no longer one of"_s));
        const qsizetype aclRows = policy->acls().size();
        finished.clear();
        isolation->removeRule(again, rule);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(policy->aclsOfGroup(again.uuid).size(), PortIsolation::aclsFor(plan).size(), 5000);
        QCOMPARE(policy->acls().size(), aclRows - 1); // the row went with its reference
        QVERIFY(!policy->acls().contains(rule.uuid));
        QCOMPARE(policy->portGroup(again.uuid).portUuids.size(), 8); // the isolation stays
        // Twice: refused by Vigie, and by the database (the group no longer holds it).
        QVERIFY(isolation->removeRuleRefusal(policy->portGroup(again.uuid), rule).contains(u"no longer one of"_s));
        OvsdbTransactResult stale;
        bool staleReplied = false;
        m_controller->client()->transact(PortIsolation::removeRuleOperations(again, rule), [&](const OvsdbTransactResult &r) {
            stale = r;
            staleReplied = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(staleReplied, 5000);
        QVERIFY(!stale.ok);
        // Back, for the view below.
        finished.clear();
        isolation->allow(sftpPort, AllowRule{u"tcp"_s, 22, u"10.40.0.0/24"_s});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(policy->aclsOfGroup(again.uuid).size(), PortIsolation::aclsFor(plan).size() + 1, 5000);

        // The Network panel's view of it, under the model tester.
        PolicyModel model(m_controller.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 4);
        bool sawIsolation = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex group = model.index(row, 0);
            if (model.groupAt(group).uuid != again.uuid)
                continue;
            sawIsolation = true;
            QCOMPARE(model.index(row, PolicyModel::OwnerColumn).data().toString(), u"Vigie"_s);
            QCOMPARE(model.rowCount(group), int(PortIsolation::aclsFor(plan).size()) + 1);
            QCOMPARE(model.index(0, PolicyModel::NameColumn, group).data().toString(), u"in: allow tcp 22 from 10.40.0.0/24"_s);
            QCOMPARE(model.index(1, PolicyModel::NameColumn, group).data().toString(), u"in: allow IPv4 from the isolated group banque-lumiere"_s);
            QVERIFY(model.index(row, PolicyModel::MatchColumn).data().toString().contains(u"lumiere-sftp"_s));
        }
        QVERIFY(sawIsolation);
    }

    // Two VMs placed a moment apart in VLAN 500 (Vigie's switch, 10.50.0.0/24): their ports are
    // asked for before either transaction comes back, and still get two addresses.
    void placementsAMomentApart()
    {
        const OvnLogicalSwitch lumiere = m_controller->switchForVlan(500);
        QVERIFY(!lumiere.uuid.isEmpty());
        QString host;
        for (const QString &uri : m_inventory.hostUris()) {
            if (host.isEmpty() && vlanCarrier(m_inventory.networks(uri), 500))
                host = uri;
        }
        QVERIFY(!host.isEmpty());
        QSignalSpy created(m_sessions.get(), &SessionManager::vmCreationFinished);
        QList<VmKey> placed;
        for (const QString &name : {u"twin-a"_s, u"twin-b"_s}) {
            NewVm vm;
            vm.tmpl = {u"Tiny"_s, QString(), 1, 64, 1};
            vm.name = name;
            vm.tenant = u"banque-lumiere"_s;
            vm.vlanId = 500;
            vm.carrier = *vlanCarrier(m_inventory.networks(host), 500);
            vm.start = false;
            m_sessions->createVm(host, vm);
            QTRY_COMPARE_WITH_TIMEOUT(created.size(), int(placed.size()) + 1, 5000);
            QVERIFY2(created.last().at(2).toBool(), qPrintable(created.last().at(3).toString()));
            placed.append(created.last().at(0).value<VmKey>());
            QTRY_VERIFY_WITH_TIMEOUT(m_inventory.hasVm(placed.last()) && !m_inventory.vm(placed.last()).nics.isEmpty(), 5000);
        }
        const QString first = m_controller->addressPlan(lumiere.uuid).suggestion();
        QSignalSpy added(m_controller.get(), &NetworkController::portAdded);
        for (const VmKey &key : std::as_const(placed)) {
            const QString mac = m_inventory.vm(key).nics.first().mac;
            QCOMPARE(m_controller->addPortRefusal(key, mac), QString());
            m_controller->addPortForNic(key, mac);
        }
        QCOMPARE(added.size(), 0); // both asked before either is answered
        QTRY_COMPARE_WITH_TIMEOUT(added.size(), 2, 5000);
        QStringList addresses;
        for (const VmKey &key : std::as_const(placed)) {
            const NicInfo nic = m_inventory.vm(key).nics.first();
            QTRY_VERIFY_WITH_TIMEOUT(!m_controller->northbound()->portByName(nic.interfaceId).uuid.isEmpty(), 5000);
            addresses += m_controller->northbound()->portByName(nic.interfaceId).ipAddresses();
        }
        QCOMPARE(addresses.size(), 2);
        QCOMPARE(addresses.first(), first);
        QVERIFY2(addresses.first() != addresses.last(), qPrintable(addresses.join(u", "_s)));
        QCOMPARE(m_controller->correlation()->mismatches().size(), m_mismatchesNow);
        // The holds are gone once the rows came back: the plan alone offers the next address.
        QCOMPARE(m_controller->addressPlan(lumiere.uuid).suggestion(), SubnetPlan::ofSwitch(*m_controller->northbound(), lumiere.uuid).suggestion());
    }

    // A port of an isolated tenant's VM taken out of the group behind Vigie's back is a
    // mismatch (in the panel's model and the controller's dump); putting it back clears it.
    void portOutsideItsIsolation()
    {
        const OvnPolicy *policy = m_controller->policy();
        IsolationAudit *audit = m_controller->isolationAudit();
        QTRY_VERIFY_WITH_TIMEOUT(!policy->isolationOfTenant(u"banque-lumiere"_s).uuid.isEmpty(), 5000);
        QCOMPARE(audit->mismatches(), QList<NetworkMismatch>{});
        NetworkMismatchModel model(m_controller->correlation());
        model.watch(audit);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int before = model.rowCount();

        const VmKey batch = vmNamed(u"lumiere-batch"_s);
        std::optional<NicPortMatch> match;
        for (const NicInfo &nic : m_inventory.vm(batch).nics) {
            if (const auto m = m_controller->correlation()->matchOf(batch, nic.mac); m && m->owner == OvnOwner::None)
                match = m;
        }
        QVERIFY(match);
        const OvnPortGroup group = policy->isolationOfTenant(u"banque-lumiere"_s);
        QVERIFY(group.portUuids.contains(match->portUuid));
        QVERIFY(m_controller->isolation()->joinRefusal(match->portUuid, group).contains(u"already"_s));

        // Taken out by hand (as ovn-nbctl pg-set-ports would).
        bool replied = false;
        const QJsonArray out{QJsonObject{
            {u"op"_s, u"mutate"_s},
            {u"table"_s, u"Port_Group"_s},
            {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, group.uuid}}}},
            {u"mutations"_s, QJsonArray{QJsonArray{u"ports"_s, u"delete"_s, QJsonArray{u"set"_s, QJsonArray{QJsonArray{u"uuid"_s, match->portUuid}}}}}}}};
        m_controller->client()->transact(out, [&](const OvsdbTransactResult &r) { replied = r.ok; });
        QTRY_VERIFY_WITH_TIMEOUT(replied, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(audit->mismatches().size(), 1, 5000);
        const NetworkMismatch mismatch = audit->mismatches().first();
        QCOMPARE(mismatch.kind, NetworkMismatch::Kind::OutsideIsolation);
        QCOMPARE(mismatch.vm, batch);
        QCOMPARE(mismatch.portName, match->portName);
        QCOMPARE(mismatch.tenant, u"banque-lumiere"_s);
        QCOMPARE(mismatch.group, u"vigie_iso_banque_lumiere"_s);
        QVERIFY(NetworkCorrelation::describe(mismatch).contains(u"escapes"_s));
        QCOMPARE(model.rowCount(), before + 1);
        const QJsonArray dumped = controllerToJson(*m_controller).value(u"mismatches"_s).toArray();
        QVERIFY(std::any_of(dumped.cbegin(), dumped.cend(), [](const QJsonValue &m) { return m[u"kind"_s] == u"outside-isolation"_s; }));

        // The fix: back in the group, guarded; the mismatch goes.
        const OvnPortGroup now = policy->isolationOfTenant(u"banque-lumiere"_s);
        QCOMPARE(m_controller->isolation()->joinRefusal(match->portUuid, now), QString());
        QSignalSpy finished(m_controller->isolation(), &PortIsolation::finished);
        m_controller->isolation()->join(match->portUuid, now);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(audit->mismatches().isEmpty(), 5000);
        QCOMPARE(model.rowCount(), before);
        QVERIFY(policy->isolationOfTenant(u"banque-lumiere"_s).portUuids.contains(match->portUuid));

        // The exact transaction of the fix: the group and the port, both guarded.
        const QJsonArray ops = PortIsolation::joinOperations(now, m_controller->northbound()->port(match->portUuid));
        QCOMPARE(ops.size(), 4);
        QCOMPARE(ops.at(0)[u"op"_s].toString(), u"wait"_s);
        QCOMPARE(ops.at(1)[u"table"_s].toString(), u"Logical_Switch_Port"_s);
        QCOMPARE(QJsonDocument(ops.at(2).toObject()).toJson(QJsonDocument::Compact),
                 QJsonDocument(QJsonObject{{u"op"_s, u"mutate"_s},
                                           {u"table"_s, u"Port_Group"_s},
                                           {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, now.uuid}}}},
                                           {u"mutations"_s, QJsonArray{QJsonArray{u"ports"_s, u"insert"_s,
                                                                                  QJsonArray{u"set"_s, QJsonArray{QJsonArray{u"uuid"_s, match->portUuid}}}}}}})
                     .toJson(QJsonDocument::Compact));
    }

    // Starting, stopping and migrating a demo VM move its bindings like ovn-controller would: no
    // unbound or misbound port appears.
    // VLAN 500's addressing edited through SubnetEditor: refusals before anything is sent, the
    // exact transaction (a DHCP_Options row made for the switch, its ports pointed at it), the
    // rows as read back, a second edit changing the row in place, a stale transaction refused,
    // and DHCP removed again. Neutron's VLANs are read-only.
    void subnetEditedInMemory()
    {
        SubnetEditor *subnets = m_controller->subnets();
        const OvnNorthbound *nb = m_controller->northbound();
        const OvnLogicalSwitch lumiere = nb->switchByName(u"lumiere"_s);
        QVERIFY(!lumiere.uuid.isEmpty());
        QCOMPARE(subnets->refusal(lumiere.uuid), QString());
        const SubnetSettings was = SubnetSettings::ofSwitch(*nb, lumiere.uuid);
        QCOMPARE(was.cidr, u"10.50.0.0/24"_s);
        QCOMPARE(was.excludedIps, u"10.50.0.2..10.50.0.9"_s);
        QVERIFY(!was.dhcp);
        QCOMPARE(subnets->settingsRefusal(lumiere.uuid, was), u"Nothing to change."_s);

        // Refused before anything is sent, each saying why.
        SubnetSettings settings = was;
        settings.dhcp = true;
        settings.leaseSeconds = 3600;
        QVERIFY2(subnets->settingsRefusal(lumiere.uuid, settings).contains(u"give the gateway"_s),
                 qPrintable(subnets->settingsRefusal(lumiere.uuid, settings)));
        const auto refusedWith = [&](auto change, const QString &expected) {
            SubnetSettings tried = settings;
            tried.gateway = u"10.50.0.1"_s;
            change(tried);
            const QString refusal = subnets->settingsRefusal(lumiere.uuid, tried);
            return refusal.contains(expected) ? QString() : u"expected “%1”, got “%2”"_s.arg(expected, refusal);
        };
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.cidr = u"10.50.0.7/24"_s; }, u"did you mean 10.50.0.0/24"_s), QString());
        // lumiere-sftp has 10.50.0.10 (addressesInMemory): a subnet without it is refused.
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.cidr = u"10.60.0.0/24"_s; }, u"lumiere-sftp 10.50.0.10"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.cidr = u"fd00:50::/64"_s; }, u"IPv4"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.gateway = u"10.50.0.10"_s; }, u"in use"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.gateway = u"10.40.0.1"_s; }, u"outside"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.dnsServers = {u"10.10.0.53"_s, u"dns.example"_s}; }, u"DNS: “dns.example”"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.excludedIps = u"10.50.0.9..10.50.0.2"_s; }, u"neither"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.excludedIps = u"10.40.0.2"_s; }, u"outside"_s), QString());
        QCOMPARE(refusedWith([](SubnetSettings &s) { s.cidr.clear(); }, u"give one"_s), QString());
        // Neutron's VLAN: read-only, its owner named.
        const VmKey nova = vmNamed(u"k8s-master-01"_s);
        const auto novaMatch = m_controller->correlation()->matchOf(nova, m_inventory.vm(nova).nics.first().mac);
        QVERIFY(novaMatch);
        QVERIFY(subnets->refusal(novaMatch->switchUuid).contains(u"OpenStack Neutron"_s));

        // DHCP on: a row made for the switch, every VM port with an address of the subnet
        // pointed at it, the switch's exclusions rewritten; each guarded by a wait.
        settings.gateway = u"10.50.0.1"_s;
        settings.dnsServers = {u"10.10.0.53"_s, u"10.10.0.54"_s};
        settings.excludedIps = u"10.50.0.2..10.50.0.9  10.50.0.250"_s;
        QCOMPARE(subnets->settingsRefusal(lumiere.uuid, settings), QString());
        QStringList served; // the ports expected to be pointed at the row
        for (const QString &uuid : lumiere.portUuids) {
            const OvnLogicalSwitchPort port = nb->port(uuid);
            if (port.isVmPort() && !port.ipAddresses().isEmpty())
                served.append(port.uuid);
        }
        QVERIFY(served.size() >= 2);
        const QJsonArray ops = SubnetEditor::operations(*nb, lumiere.uuid, settings);
        const auto json = [](const QJsonValue &value) { return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)); };
        QCOMPARE(ops.size(), 3 + 2 * served.size() + 1);
        QCOMPARE(json(ops.at(0)),
                 uR"({"columns":["other_config"],"op":"wait","rows":[{"other_config":["map",[["exclude_ips","10.50.0.2..10.50.0.9"],["subnet","10.50.0.0/24"]]]}],)"
                 uR"("table":"Logical_Switch","timeout":0,"until":"==","where":[["_uuid","==",["uuid","%1"]]]})"_s.arg(lumiere.uuid));
        const QString mac = u"02:"_s + QString(lumiere.uuid).remove(u'-').left(10).replace(QRegularExpression(u"(..)(?!$)"_s), u"\\1:"_s);
        // (The options' JSON is built, not written raw: moc misreads a raw string holding "{...}".)
        const QJsonArray options{u"map"_s, QJsonArray{QJsonArray{u"dns_server"_s, u"{10.10.0.53, 10.10.0.54}"_s},
                                                      QJsonArray{u"lease_time"_s, u"3600"_s}, QJsonArray{u"router"_s, u"10.50.0.1"_s},
                                                      QJsonArray{u"server_id"_s, u"10.50.0.1"_s}, QJsonArray{u"server_mac"_s, mac}}};
        const QJsonObject insert{
            {u"op"_s, u"insert"_s},
            {u"table"_s, u"DHCP_Options"_s},
            {u"uuid-name"_s, u"dhcp"_s},
            {u"row"_s, QJsonObject{{u"cidr"_s, u"10.50.0.0/24"_s},
                                   {u"external_ids"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"vigie:switch"_s, lumiere.uuid}}}},
                                   {u"options"_s, options}}}};
        QCOMPARE(json(ops.at(1)), json(insert));
        QCOMPARE(json(ops.at(2)),
                 uR"({"op":"update","row":{"other_config":["map",[["exclude_ips","10.50.0.2..10.50.0.9 10.50.0.250"],["subnet","10.50.0.0/24"]]]},)"
                 uR"("table":"Logical_Switch","where":[["_uuid","==",["uuid","%1"]]]})"_s.arg(lumiere.uuid));
        QStringList pointed;
        for (qsizetype i = 3; i + 1 < ops.size(); i += 2) {
            const QJsonObject wait = ops.at(i).toObject();
            const QJsonObject update = ops.at(i + 1).toObject();
            QCOMPARE(wait.value(u"op"_s).toString(), u"wait"_s);
            QCOMPARE(wait.value(u"rows"_s).toArray().first().toObject().value(u"dhcpv4_options"_s).toArray(), (QJsonArray{u"set"_s, QJsonArray{}}));
            QCOMPARE(update.value(u"where"_s), wait.value(u"where"_s));
            QCOMPARE(update.value(u"row"_s).toObject().value(u"dhcpv4_options"_s).toArray(), (QJsonArray{u"named-uuid"_s, u"dhcp"_s}));
            pointed.append(update.value(u"where"_s).toArray().first().toArray().at(2).toArray().at(1).toString());
        }
        pointed.sort();
        served.sort();
        QCOMPARE(pointed, served);
        const QStringList preview = subnets->describe(lumiere.uuid, settings);
        QVERIFY2(preview.contains(u"+ DHCP options 10.50.0.0/24 · gateway 10.50.0.1 · DNS 10.10.0.53, 10.10.0.54 · lease 3600 s"_s),
                 qPrintable(preview.join(u'\n')));
        QVERIFY2(preview.first().startsWith(u"~ switch lumiere · excluded 10.50.0.2..10.50.0.9 → 10.50.0.2..10.50.0.9 10.50.0.250"_s),
                 qPrintable(preview.join(u'\n')));

        QSignalSpy finished(subnets, &SubnetEditor::finished);
        subnets->apply(lumiere.uuid, settings);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        settings.excludedIps = settings.excludedIps.simplified();
        QTRY_COMPARE_WITH_TIMEOUT(SubnetSettings::ofSwitch(*nb, lumiere.uuid), settings, 5000);
        const QString row = nb->dhcpOptionsOf(lumiere.uuid);
        QCOMPARE(nb->dhcpOptions(row).externalIds.value(OvnDhcpOptions::SwitchKey), lumiere.uuid);
        for (const QString &uuid : std::as_const(served))
            QCOMPARE(nb->port(uuid).dhcpv4Options, row);
        // The gateway is now taken: address suggestions and the Addresses view know it.
        QCOMPARE(m_controller->addressPlan(lumiere.uuid).gateway(), u"10.50.0.1"_s);
        AddressModel model(m_controller.get());
        model.setSwitch(lumiere.uuid);
        QVERIFY2(model.summary().contains(u"gateway 10.50.0.1"_s) && model.summary().contains(u"lease 3600 s"_s), qPrintable(model.summary()));
        // The dump states it too.
        const QJsonArray dumpedSwitches = controllerToJson(*m_controller).value(u"switches"_s).toArray();
        const auto dumped = std::find_if(dumpedSwitches.cbegin(), dumpedSwitches.cend(), [](const QJsonValue &v) { return v[u"name"_s] == u"lumiere"_s; });
        QVERIFY(dumped != dumpedSwitches.cend());
        QCOMPARE(QJsonDocument((*dumped)[u"dhcp"_s].toObject()).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"dnsServers":["10.10.0.53","10.10.0.54"],"gateway":"10.50.0.1","leaseSeconds":3600})"));

        // A second edit changes the row in place; its ports already point at it. The DHCP server
        // answered from the gateway's address: it follows the gateway.
        SubnetSettings second = settings;
        second.gateway = u"10.50.0.254"_s;
        second.dnsServers.clear();
        second.leaseSeconds = 7200;
        const QJsonArray inPlace = SubnetEditor::operations(*nb, lumiere.uuid, second);
        QCOMPARE(inPlace.size(), 5); // wait switch, wait row, update row, update switch, comment
        QCOMPARE(inPlace.at(2).toObject().value(u"op"_s).toString(), u"update"_s);
        QCOMPARE(inPlace.at(2).toObject().value(u"table"_s).toString(), u"DHCP_Options"_s);
        QVERIFY2(subnets->describe(lumiere.uuid, second).contains(u"~ DHCP options · gateway 10.50.0.1 → 10.50.0.254 · DNS 10.10.0.53, 10.10.0.54 → none · lease 3600 s → 7200 s"_s),
                 qPrintable(subnets->describe(lumiere.uuid, second).join(u'\n')));
        finished.clear();
        subnets->apply(lumiere.uuid, second);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(SubnetSettings::ofSwitch(*nb, lumiere.uuid), second, 5000);
        QCOMPARE(nb->dhcpOptionsOf(lumiere.uuid), row);
        QCOMPARE(nb->dhcpOptions(row).options.value(u"server_mac"_s), mac); // kept
        QCOMPARE(nb->dhcpOptions(row).options.value(u"server_id"_s), u"10.50.0.254"_s);
        QCOMPARE(nb->dhcpOptions(row).options.contains(u"dns_server"_s), false);

        // The second transaction was computed on the first edit's rows, which are gone: sent now,
        // its waits fail and nothing changes.
        OvsdbTransactResult result;
        bool replied = false;
        m_controller->client()->transact(inPlace, [&](const OvsdbTransactResult &r) {
            result = r;
            replied = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(replied, 5000);
        QVERIFY(!result.ok);
        QCOMPARE(SubnetSettings::ofSwitch(*nb, lumiere.uuid), second);

        // DHCP off: the row goes, the ports' weak references with it; the subnet stays.
        SubnetSettings off = second;
        off.dhcp = false;
        off.gateway.clear();
        off.dnsServers.clear();
        off.leaseSeconds = 0;
        QVERIFY2(subnets->describe(lumiere.uuid, off).join(u'\n').contains(u"- DHCP options 10.50.0.0/24"_s),
                 qPrintable(subnets->describe(lumiere.uuid, off).join(u'\n')));
        finished.clear();
        subnets->apply(lumiere.uuid, off);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(nb->dhcpOptionsOf(lumiere.uuid), QString(), 5000);
        QCOMPARE(SubnetSettings::ofSwitch(*nb, lumiere.uuid), off);
        for (const QString &uuid : std::as_const(served))
            QCOMPARE(nb->port(uuid).dhcpv4Options, QString());
        m_controller->correlation()->refresh();
        QCOMPARE(m_controller->correlation()->mismatches().size(), m_mismatchesNow);
    }

    void bindingsFollowTheVms()
    {
        const VmKey worker = vmNamed(u"k8s-worker-05"_s); // shut off
        QVERIFY(worker.isValid());
        QCOMPARE(m_inventory.vm(worker).state, VmState::Shutoff);
        const QString mac = m_inventory.vm(worker).nics.first().mac;
        QVERIFY(m_controller->correlation()->matchOf(worker, mac)->chassis.isEmpty());
        m_sessions->runAction({worker}, VmAction::Start);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory.vm(worker).state, VmState::Running, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(worker, mac)->chassisHostUri, worker.hostUri, 3000);
        m_controller->correlation()->refresh();
        QCOMPARE(m_controller->correlation()->mismatches().size(), m_mismatchesNow);
        m_sessions->runAction({worker}, VmAction::ForceOff);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory.vm(worker).state, VmState::Shutoff, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(m_controller->correlation()->matchOf(worker, mac)->chassis.isEmpty(), 3000);
        m_controller->correlation()->refresh();
        QCOMPARE(m_controller->correlation()->mismatches().size(), m_mismatchesNow);
    }

    // A migrated VM's ports are bound on the destination's chassis (the demo's agent plays
    // ovn-controller), and the watch tells so, with the delay, in the event log.
    void bindingFollowsAMigration()
    {
        MigrationController migrations(m_sessions.get(), &m_inventory);
        BindingWatch watch(m_controller.get(), &migrations);
        QSignalSpy followed(&watch, &BindingWatch::portFollowed);
        QSignalSpy stranded(&watch, &BindingWatch::portStranded);
        QSignalSpy events(&watch, &BindingWatch::eventRecorded);

        // A running VM with a controller-wired NIC bound on its host, and a host that takes it.
        QString jobId;
        QStringList names;
        QString port;
        QString dest;
        for (const VmKey &key : m_inventory.vmKeys()) {
            const VmInfo vm = m_inventory.vm(key);
            if (vm.state != VmState::Running || vm.nics.isEmpty())
                continue;
            const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(key, vm.nics.first().mac);
            if (!match || match->chassisHostUri != key.hostUri)
                continue;
            for (const QString &uri : m_sessions->uris()) {
                QString refusal;
                if (uri != key.hostUri && !(jobId = migrations.start(key, uri, {}, &refusal)).isEmpty()) {
                    dest = uri;
                    break;
                }
            }
            if (!jobId.isEmpty()) {
                names = {vm.name, vm.displayName};
                port = match->portName;
                break;
            }
        }
        QVERIFY2(!jobId.isEmpty(), "no demo VM could be migrated");

        QTRY_VERIFY_WITH_TIMEOUT(!followed.isEmpty(), 30000); // 17 s seen on a loaded machine
        QCOMPARE(stranded.count(), 0);
        const QList<QVariant> first = followed.first();
        QVERIFY2(names.contains(first.at(0).toString()), qPrintable(first.at(0).toString()));
        QCOMPARE(first.at(1).toString(), port);
        QCOMPARE(first.at(3).toString(), dest);
        QVERIFY(first.at(4).toLongLong() >= 0);
        // The chassis named is the destination's, as the correlation maps it.
        const OvnPortBinding *binding = m_controller->southbound()->bindingOf(port);
        QVERIFY(binding);
        QCOMPARE(m_controller->correlation()->hostOfChassis(binding->chassis), dest);
        QCOMPARE(m_controller->southbound()->chassisByUuid(binding->chassis).name, first.at(2).toString());
        QVERIFY(!events.isEmpty());
        const EventRecord record = events.first().first().value<EventRecord>();
        QCOMPARE(record.severity, EventRecord::Severity::Info);
        QVERIFY2(record.result.contains(port) && record.result.contains(first.at(2).toString()), qPrintable(record.result));
    }

    // Last: the controller taken away. Every NIC loses the controller's wiring (told by the
    // correlation, a few hundred matches a turn), nothing matched is left.
    void controllerTakenAway()
    {
        const auto wired = [this] {
            int count = 0;
            for (const VmKey &key : m_inventory.vmKeys()) {
                for (const NicInfo &nic : m_inventory.vm(key).nics)
                    count += m_inventory.controllerNic(nic) ? 1 : 0;
            }
            return count;
        };
        QVERIFY(wired() > 0);
        m_controller->setRemotes({});
        QTRY_COMPARE(m_controller->correlation()->matchCount(), 0);
        QTRY_COMPARE(wired(), 0);
        QVERIFY(!m_controller->correlation()->isPassing());
    }

private:
    VmKey vmNamed(const QString &name) const
    {
        for (const VmKey &key : m_inventory.vmKeys()) {
            const VmInfo vm = m_inventory.vm(key);
            if (vm.name == name || vm.displayName == name)
                return key;
        }
        return {};
    }

    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<NetworkController> m_controller;
    qsizetype m_mismatchesNow = 0; // after actionsInMemory aligned the demo's one mismatch
};

QTEST_GUILESS_MAIN(TestDemoController)
#include "tst_democontroller.moc"
