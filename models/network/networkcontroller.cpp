#include "networkcontroller.h"

#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "logging.h"
#include "network/isolationaudit.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "network/ovsdbops.h"
#include "network/ovnpolicy.h"
#include "network/portaddressing.h"
#include "network/subneteditor.h"
#include "network/portisolation.h"
#include "network/subnetplan.h"

#include <QJsonObject>

#include <algorithm>
#include <climits>
#include <optional>
#include <utility>

namespace Vigie {

using namespace OvsdbOps;

namespace {

const QString LogicalSwitch = QStringLiteral("Logical_Switch");
const QString LogicalSwitchPort = QStringLiteral("Logical_Switch_Port");

QJsonObject mutatePorts(const QString &switchUuid, const QString &mutator, const QString &portUuid)
{
    return {{QStringLiteral("op"), QStringLiteral("mutate")},
            {QStringLiteral("table"), LogicalSwitch},
            {QStringLiteral("where"), whereUuid(switchUuid)},
            {QStringLiteral("mutations"), QJsonArray{QJsonArray{QStringLiteral("ports"), mutator, uuidSet({portUuid})}}}};
}

std::optional<NicInfo> nicWithMac(const VmInfo *vm, const QString &mac)
{
    if (vm) {
        for (const NicInfo &nic : vm->nics) {
            if (nic.mac.compare(mac, Qt::CaseInsensitive) == 0)
                return nic;
        }
    }
    return std::nullopt;
}

} // namespace

NetworkController::NetworkController(Inventory *inventory, SessionManager *sessions, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_client(new OvsdbClient(this))
    , m_sbClient(new OvsdbClient(this))
    , m_northbound(new OvnNorthbound(this))
    , m_southbound(new OvnSouthbound(this))
    , m_correlation(new NetworkCorrelation(inventory, m_northbound, m_southbound, this))
    , m_addressing(new PortAddressing(this, this))
    , m_subnets(new SubnetEditor(this, this))
    , m_policy(new OvnPolicy(this))
    , m_isolation(new PortIsolation(this, this))
    , m_isolationAudit(new IsolationAudit(inventory, m_correlation, m_policy, this))
{
    m_northbound->attach(m_client);
    m_policy->attach(m_client);
    m_southbound->attach(m_sbClient);
    connect(m_client, &OvsdbClient::stateChanged, this, &NetworkController::onClientState);
    connect(m_client, &OvsdbClient::synchronised, this, [this] { m_correlation->setEnabled(true); });
    connect(m_sbClient, &OvsdbClient::stateChanged, this, &NetworkController::onSouthboundState);
    // The VLANs are published again after a change set that touched a switch, a DHCP row or a
    // chassis, not after every port's or binding's (20,000 ports: most change sets are theirs).
    const auto vlansTouched = [this] { m_vlansTouched = true; };
    connect(m_northbound, &OvnNorthbound::switchAdded, this, vlansTouched);
    // A switch whose ports alone changed (a port moved in or out) publishes the same VLAN: its
    // name, tag, network and subnet are the same, and so is the DHCP row its ports vote for.
    connect(m_northbound, &OvnNorthbound::switchChanged, this, [this](const OvnLogicalSwitch &s) {
        OvnLogicalSwitch facts = s;
        facts.portUuids.clear();
        const QString dhcp = m_northbound->dhcpOptionsOf(s.uuid);
        const auto seen = m_vlanFacts.constFind(s.uuid);
        if (seen == m_vlanFacts.cend() || seen->first != facts || seen->second != dhcp)
            m_vlansTouched = true;
    });
    connect(m_northbound, &OvnNorthbound::switchRemoved, this, vlansTouched);
    connect(m_northbound, &OvnNorthbound::dhcpOptionsChanged, this, vlansTouched);
    connect(m_southbound, &OvnSouthbound::chassisChanged, this, vlansTouched);
    const auto publishTouched = [this] {
        if (std::exchange(m_vlansTouched, false))
            publishVlans();
    };
    connect(m_northbound, &OvnNorthbound::changesApplied, this, publishTouched);
    connect(m_northbound, &OvnNorthbound::changesApplied, this, [this] { m_addressHolds.rowsUpdated(); });
    connect(m_southbound, &OvnSouthbound::changesApplied, this, publishTouched);
    connect(m_correlation, &NetworkCorrelation::matchesUpdated, this, &NetworkController::publishNicChanges);
    connect(m_policy, &OvnPolicy::changed, this, &NetworkController::publishNics);
    // A chassis is matched to a host by its name, which a host tells once connected.
    connect(inventory, &Inventory::hostChanged, this, [this] { m_publishVlansSoon.request(); });
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, [this] { m_publishVlansSoon.request(); });
    connect(sessions, &SessionManager::demoControllerStarted, this, &NetworkController::setDemoRemotes);
    connect(m_client, &OvsdbClient::certificateRejected, this, &NetworkController::certificateRejected);
    connect(m_sbClient, &OvsdbClient::certificateRejected, this, &NetworkController::certificateRejected);
}

NetworkController::~NetworkController()
{
    // Stopping runs the pending callbacks ("connection closed"): nobody is left to tell. Nor is
    // the state change to be acted on: a synced southbound going idle would re-correlate and
    // publish into an inventory whose views may already be gone.
    blockSignals(true);
    m_client->disconnect(this);
    m_sbClient->disconnect(this);
    m_client->stop();
    m_sbClient->stop();
}

void NetworkController::setRemotes(const QStringList &remotes)
{
    if (remotes == m_remotes)
        return;
    m_demo = false;
    m_client->stop();
    m_remotes = remotes;
    m_loggedState = -1;
    // The correlation, turned off, tells every match gone, a few hundred at a time: the
    // inventory's NICs lose their wiring with them (not 10,000 VMs changed in one turn).
    m_correlation->setEnabled(false);
    m_client->setRemotes(remotes);
    if (!remotes.isEmpty())
        m_client->start();
    publishVlans();
    Q_EMIT stateChanged();
}

void NetworkController::setDemoRemotes(const QStringList &northbound, const QStringList &southbound)
{
    if ((!m_remotes.isEmpty() && !m_demo) || northbound.isEmpty())
        return; // a real controller stays
    setSouthboundRemotes(southbound);
    setRemotes(northbound);
    m_demo = true;
    Q_EMIT stateChanged();
}

void NetworkController::setSouthboundRemotes(const QStringList &remotes)
{
    if (remotes == m_sbRemotes)
        return;
    m_sbClient->stop();
    m_sbRemotes = remotes;
    m_correlation->setSouthboundEnabled(false);
    m_southbound->clear();
    m_sbClient->setRemotes(remotes);
    if (!remotes.isEmpty())
        m_sbClient->start();
    Q_EMIT stateChanged();
}

void NetworkController::setSslSettings(const OvsdbSslSettings &ssl)
{
    if (ssl == m_ssl)
        return;
    m_ssl = ssl;
    for (OvsdbClient *client : {m_client, m_sbClient}) {
        client->setSslSettings(ssl);
        if (!client->remotes().isEmpty()) {
            client->stop();
            client->start();
        }
    }
}

void NetworkController::onSouthboundState(OvsdbClient::State state)
{
    // Bindings are judged only on a current replica: a southbound that went away says nothing
    // about where ports are now.
    m_correlation->setSouthboundEnabled(state == OvsdbClient::State::Synced);
    publishVlans();
    Q_EMIT stateChanged();
}

bool NetworkController::isSynced() const
{
    return m_client->state() == OvsdbClient::State::Synced;
}

bool NetworkController::isSouthboundSynced() const
{
    return m_sbClient->state() == OvsdbClient::State::Synced;
}

QString NetworkController::stateText() const
{
    if (m_remotes.isEmpty())
        return tr("No network controller");
    if (m_demo) {
        switch (m_client->state()) {
        case OvsdbClient::State::Idle: return tr("Demo controller: stopped");
        case OvsdbClient::State::Connecting: return tr("Demo controller: connecting");
        case OvsdbClient::State::Synchronising: return tr("Demo controller: reading");
        case OvsdbClient::State::Synced: return tr("Demo controller: simulated, in memory");
        case OvsdbClient::State::Waiting: return tr("Demo controller: unreachable");
        }
    }
    switch (m_client->state()) {
    case OvsdbClient::State::Idle: return tr("Controller: stopped");
    case OvsdbClient::State::Connecting: return tr("Controller: connecting");
    case OvsdbClient::State::Synchronising: return tr("Controller: reading");
    case OvsdbClient::State::Synced: return tr("Controller: connected");
    case OvsdbClient::State::Waiting: return tr("Controller: unreachable");
    }
    return {};
}

QString NetworkController::stateDetails() const
{
    if (m_remotes.isEmpty())
        return tr("Start with --controller REMOTE (tcp:, ssl: or unix:) or --lab.");
    QStringList lines;
    lines.append(tr("OVN northbound: %1").arg(m_remotes.join(QStringLiteral(", "))));
    if (!m_client->currentRemote().isEmpty())
        lines.append(tr("Current remote: %1").arg(m_client->currentRemote()));
    lines.append(stateText());
    if (isSynced())
        lines.append(tr("%n logical switch(es), ", nullptr, int(m_northbound->switchCount()))
                     + tr("%n port(s)", nullptr, int(m_northbound->portCount())));
    if (!m_client->lastError().isEmpty())
        lines.append(tr("Last error: %1").arg(m_client->lastError()));
    if (m_sbRemotes.isEmpty()) {
        lines.append(tr("No southbound database: port bindings and chassis are not shown."));
    } else {
        lines.append(tr("OVN southbound: %1").arg(m_sbRemotes.join(QStringLiteral(", "))));
        if (isSouthboundSynced())
            lines.append(tr("%n chassis", nullptr, int(m_southbound->chassis().size())));
        else
            lines.append(tr("Southbound not connected%1")
                             .arg(m_sbClient->lastError().isEmpty() ? QString() : QStringLiteral(": ") + m_sbClient->lastError()));
    }
    return lines.join(u'\n');
}

void NetworkController::onClientState(OvsdbClient::State state)
{
    Q_EMIT stateChanged();
    const QString remote = m_client->currentRemote();
    // One line per real transition: a controller that stays down is not logged at every retry.
    if (state == OvsdbClient::State::Synced && m_loggedState != int(state)) {
        m_loggedState = int(state);
        record(remote, {}, tr("Network controller"),
               tr("Connected: %n logical switch(es)", nullptr, int(m_northbound->switchCount())),
               EventRecord::Severity::Info);
    } else if (state == OvsdbClient::State::Waiting && m_loggedState != int(state)) {
        m_loggedState = int(state);
        record(remote.isEmpty() ? m_remotes.join(QStringLiteral(", ")) : remote, {}, tr("Network controller"),
               tr("Unreachable: %1").arg(m_client->lastError()), EventRecord::Severity::Error);
    }
}

void NetworkController::record(const QString &host, const QString &vm, const QString &action, const QString &result,
                               EventRecord::Severity severity)
{
    EventRecord entry;
    entry.time = QDateTime::currentDateTime();
    entry.host = host;
    entry.vm = vm;
    entry.action = action;
    entry.result = result;
    entry.severity = severity;
    Q_EMIT eventRecorded(entry);
}

void NetworkController::publishVlans()
{
    QMap<int, QString> switchOfVlan;
    QMap<int, ControllerVlan> vlans;
    QList<ControllerOverlay> overlays;
    if (!m_remotes.isEmpty()) {
        const bool chassisKnown = isSouthboundSynced();
        const QList<OvnChassis> chassis = chassisKnown ? m_southbound->chassis() : QList<OvnChassis>{};
        if (chassisKnown)
            m_correlation->mapChassisToHosts();
        // Where a NIC of a VLAN can run: hosts whose chassis map its physical network. Once per
        // network, not once per switch and chassis (100 VLANs on 100 hosts: 10,000 lookups on
        // every change set).
        QHash<QString, QStringList> hostsOfNetwork;
        for (const OvnChassis &c : chassis) {
            const QString host = m_correlation->hostOfChassis(c.uuid);
            if (host.isEmpty())
                continue;
            for (auto it = c.bridgeMappings.cbegin(); it != c.bridgeMappings.cend(); ++it) {
                QStringList &hosts = hostsOfNetwork[it.key()];
                if (!hosts.contains(host))
                    hosts.append(host);
            }
        }
        for (QStringList &hosts : hostsOfNetwork)
            std::sort(hosts.begin(), hosts.end());
        m_vlanFacts.clear();
        for (const OvnLogicalSwitch &s : m_northbound->switchTable()) {
            OvnLogicalSwitch facts = s;
            facts.portUuids.clear();
            m_vlanFacts.insert(s.uuid, {facts, m_northbound->dhcpOptionsOf(s.uuid)});
            if (s.isOverlay())
                overlays.append({s.name, s.displayName()});
            if (!s.isVlan() || (switchOfVlan.contains(s.vlanId) && switchOfVlan.value(s.vlanId) <= s.name))
                continue;
            switchOfVlan.insert(s.vlanId, s.name);
            ControllerVlan vlan{s.vlanId, s.displayName(), {}, {}};
            // The lane's tooltip: the subnet and what OVN's DHCP gives with it.
            const SubnetSettings addressing = SubnetSettings::ofSwitch(*m_northbound, s.uuid);
            if (const SubnetPlan plan(addressing.cidr); plan.isValid()) {
                QStringList parts{plan.cidr()};
                if (!addressing.gateway.isEmpty())
                    parts.append(tr("gateway %1").arg(addressing.gateway));
                if (!addressing.dnsServers.isEmpty())
                    parts.append(tr("DNS %1").arg(addressing.dnsServers.join(QStringLiteral(", "))));
                if (addressing.dhcp)
                    parts.append(tr("DHCP lease %n s", nullptr, int(std::clamp<qint64>(addressing.leaseSeconds, 0, INT_MAX))));
                vlan.subnet = parts.join(QStringLiteral(", "));
            }
            vlan.hostUris = hostsOfNetwork.value(s.networkName);
            vlans.insert(s.vlanId, vlan);
        }
    }
    m_vlanSwitches = switchOfVlan;
    std::sort(overlays.begin(), overlays.end(), [](const ControllerOverlay &a, const ControllerOverlay &b) {
        return std::tie(a.displayName, a.switchName) < std::tie(b.displayName, b.switchName);
    });
    m_inventory->setControllerVlans(vlans.values());
    m_inventory->setControllerOverlays(overlays);
}

namespace {

// Of the matches of one MAC (two while a VM migrates, both in the same port), the one published.
bool publishedBefore(const NicPortMatch &a, const NicPortMatch &b)
{
    return std::tie(a.vm.hostUri, a.vm.uuid) < std::tie(b.vm.hostUri, b.vm.uuid);
}

ControllerNic wiringOf(const NicPortMatch &match)
{
    return ControllerNic{match.controllerVlan, match.switchDisplayName, match.portName, match.chassis, match.chassisHostUri,
                         match.bindingKnown, match.addresses, ovnOwnerName(match.owner), match.switchName, {}};
}

} // namespace


QHash<QString, ControllerNic> NetworkController::controllerNics(const QList<NicPortMatch> &matches)
{
    QHash<QString, const NicPortMatch *> published;
    for (const NicPortMatch &match : matches) {
        const NicPortMatch *&first = published[match.mac.toLower()];
        if (!first || publishedBefore(match, *first))
            first = &match;
    }
    QHash<QString, ControllerNic> nics;
    for (auto it = published.cbegin(); it != published.cend(); ++it)
        nics.insert(it.key(), wiringOf(**it));
    return nics;
}

QStringList NetworkController::policyOf(const QString &portUuid) const
{
    QStringList names;
    for (const OvnPortGroup &group : m_policy->groupsOfPort(portUuid))
        names.append(group.displayName());
    return names;
}

void NetworkController::publishNicChanges(const QList<NicPortMatch> &changed, const QList<NicPortMatch> &removed)
{
    QSet<QString> macs;
    QList<VmKey> vms;
    for (const QList<NicPortMatch> *list : {&changed, &removed}) {
        for (const NicPortMatch &match : *list) {
            macs.insert(match.mac.toLower());
            vms.append(match.vm);
        }
    }
    QHash<QString, std::optional<ControllerNic>> changes;
    for (const QString &mac : std::as_const(macs)) {
        const QList<NicPortMatch> matches = m_correlation->matchesOfMac(mac);
        if (matches.isEmpty()) {
            changes.insert(mac, std::nullopt);
            continue;
        }
        const NicPortMatch &match = *std::min_element(matches.cbegin(), matches.cend(), publishedBefore);
        ControllerNic nic = wiringOf(match);
        nic.policy = policyOf(match.portUuid);
        changes.insert(mac, nic);
        for (const NicPortMatch &other : matches)
            vms.append(other.vm);
    }
    m_inventory->updateControllerNics(changes, vms);
}

void NetworkController::publishNics()
{
    if (m_remotes.isEmpty()) {
        m_inventory->setControllerNics({});
        return;
    }
    const QList<NicPortMatch> matches = m_correlation->matches();
    QHash<QString, ControllerNic> nics = controllerNics(matches);
    // The security policy of each port: the groups it is in.
    for (const NicPortMatch &match : matches) {
        if (QStringList policy = policyOf(match.portUuid); !policy.isEmpty())
            nics[match.mac.toLower()].policy = policy;
    }
    m_inventory->setControllerNics(nics);
}

OvnLogicalSwitch NetworkController::switchForVlan(int vlanId) const
{
    const QString name = m_vlanSwitches.value(vlanId);
    return name.isEmpty() ? OvnLogicalSwitch{} : m_northbound->switchByName(name);
}

QString NetworkController::moveKey(const VmKey &vm, const QString &mac)
{
    return vm.hostUri + u'|' + vm.uuid + u'|' + mac.toLower();
}

bool NetworkController::managesNic(const VmKey &vm, const QString &mac) const
{
    return isConfigured() && m_correlation->matchOf(vm, mac).has_value();
}

bool NetworkController::wiresNicAlone(const VmKey &vm, const QString &mac) const
{
    if (!isConfigured())
        return false;
    const std::optional<NicPortMatch> match = m_correlation->matchOf(vm, mac);
    return match && match->libvirtVlans.isEmpty();
}

QString NetworkController::ownerRefusal(const QString &what, OvnOwner owner)
{
    if (owner == OvnOwner::None)
        return {};
    return tr("%1 belongs to %2: Vigie does not change it behind its owner's back. %3")
        .arg(what, ovnOwnerName(owner), ovnOwnerAdvice(owner));
}

bool NetworkController::isMoving(const VmKey &vm, const QString &mac) const
{
    return m_moves.contains(moveKey(vm, mac));
}

QString NetworkController::moveRefusal(const VmKey &vm, const QString &mac, int vlanId) const
{
    if (!isSynced())
        return tr("The network controller is not connected (%1).").arg(stateText());
    const std::optional<NicPortMatch> match = m_correlation->matchOf(vm, mac);
    if (!match)
        return tr("The NIC %1 has no port in the network controller.").arg(mac);
    const OvnLogicalSwitch to = switchForVlan(vlanId);
    if (to.uuid.isEmpty())
        return tr("The network controller has no switch for VLAN %1.").arg(vlanId);
    if (match->switchUuid.isEmpty())
        return tr("The port %1 is in no logical switch.").arg(match->portName);
    if (isMoving(vm, mac))
        return tr("The NIC %1 is already being moved.").arg(mac);
    if (const QString refusal = ownerRefusal(tr("The port %1").arg(match->portName), match->owner); !refusal.isEmpty())
        return refusal;
    const OvnLogicalSwitch from = m_northbound->logicalSwitch(match->switchUuid);
    if (const QString refusal = ownerRefusal(tr("The switch %1").arg(from.displayName()), from.owner()); !refusal.isEmpty())
        return refusal;
    if (const QString refusal = ownerRefusal(tr("The switch %1").arg(to.displayName()), to.owner()); !refusal.isEmpty())
        return refusal;
    return {};
}

SubnetPlan NetworkController::addressPlan(const QString &switchUuid) const
{
    SubnetPlan plan = SubnetPlan::ofSwitch(*m_northbound, switchUuid);
    if (plan.isValid())
        m_addressHolds.applyTo(&plan, switchUuid);
    return plan;
}

quint64 NetworkController::holdAddress(const QString &switchUuid, const QString &address, const QString &port)
{
    return m_addressHolds.hold(switchUuid, address, port);
}

std::optional<NetworkController::Readdressing> NetworkController::readdressingFor(const OvnLogicalSwitchPort &port,
                                                                                  const OvnLogicalSwitch &to) const
{
    const QString mac = port.mac();
    const QString ip = addressPlan(to.uuid).suggestion();
    if (mac.isEmpty() || ip.isEmpty())
        return std::nullopt;
    Readdressing r;
    r.was = port.addresses;
    r.addresses = {mac + u' ' + ip};
    if (!port.portSecurity.isEmpty())
        r.portSecurity = r.addresses;
    r.dhcpOptions = m_northbound->dhcpOptionsOf(to.uuid);
    return r;
}

QJsonArray NetworkController::movePortOperations(const QString &portUuid, const OvnLogicalSwitch &from,
                                                 const OvnLogicalSwitch &to, const std::optional<Readdressing> &readdressing)
{
    // The port is still in FROM and TO still exists (by uuid and name): otherwise someone else
    // changed the network meanwhile and nothing is done.
    const QJsonArray inFrom{QJsonArray{QStringLiteral("_uuid"), QStringLiteral("=="), uuid(from.uuid)},
                            QJsonArray{QStringLiteral("ports"), QStringLiteral("includes"), uuidSet({portUuid})}};
    QJsonArray operations{
        waitFor(LogicalSwitch, inFrom, {QStringLiteral("name")}, {QJsonObject{{QStringLiteral("name"), from.name}}}),
        waitFor(LogicalSwitch, whereUuid(to.uuid), {QStringLiteral("name")}, {QJsonObject{{QStringLiteral("name"), to.name}}}),
        mutatePorts(from.uuid, QStringLiteral("delete"), portUuid),
        mutatePorts(to.uuid, QStringLiteral("insert"), portUuid),
    };
    if (readdressing) {
        // The port keeps its name and MAC; its address (and port security) follow the new
        // subnet, so the guest's next DHCP exchange gives it an address that works there. The
        // addresses are still the ones Vigie read, or nothing is done.
        const QString addresses = QStringLiteral("addresses");
        operations.insert(2, waitFor(LogicalSwitchPort, whereUuid(portUuid), {addresses},
                                     {QJsonObject{{addresses, QJsonArray{QStringLiteral("set"), QJsonArray::fromStringList(readdressing->was)}}}}));
        QJsonObject row{{addresses, QJsonArray{QStringLiteral("set"), QJsonArray::fromStringList(readdressing->addresses)}},
                        {QStringLiteral("port_security"),
                         QJsonArray{QStringLiteral("set"), QJsonArray::fromStringList(readdressing->portSecurity)}},
                        {QStringLiteral("dhcpv4_options"),
                         readdressing->dhcpOptions.isEmpty() ? QJsonValue(QJsonArray{QStringLiteral("set"), QJsonArray{}})
                                                             : QJsonValue(uuid(readdressing->dhcpOptions))}};
        operations.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("update")},
                                      {QStringLiteral("table"), LogicalSwitchPort},
                                      {QStringLiteral("where"), whereUuid(portUuid)},
                                      {QStringLiteral("row"), row}});
    }
    operations.append(comment(QStringLiteral("vigie: move port %1 from %2 to %3").arg(portUuid, from.name, to.name)));
    return operations;
}

void NetworkController::moveNicToVlan(const VmKey &vm, const QString &mac, int vlanId)
{
    const QString vmName = m_inventory->vm(vm).name;
    const QString host = m_inventory->host(vm.hostUri).displayName;
    const QString action = tr("Move NIC %1").arg(mac);
    if (const QString refusal = moveRefusal(vm, mac, vlanId); !refusal.isEmpty()) {
        record(host, vmName, action, refusal, EventRecord::Severity::Error);
        Q_EMIT nicMoveFinished(vm, mac, vlanId, false, refusal);
        return;
    }
    const NicPortMatch match = *m_correlation->matchOf(vm, mac);
    const OvnLogicalSwitch from = m_northbound->logicalSwitch(match.switchUuid);
    const OvnLogicalSwitch to = switchForVlan(vlanId);
    Move move{vm, vmName, mac, vlanId, match.portUuid, match.portName, {}, to.uuid};
    const QString key = moveKey(vm, mac);
    if (from.uuid == to.uuid) {
        // The controller already has the port there: only libvirt has to follow.
        m_moves.insert(key, move);
        moveInLibvirt(vm, mac, vlanId);
        return;
    }
    move.fromUuid = from.uuid;
    m_moves.insert(key, move);
    // A NIC wired by the controller alone (ML2/OVN: no libvirt VLAN) moves with its port; libvirt
    // has nothing to change. Its address follows the new switch's subnet.
    const bool alone = match.libvirtVlans.isEmpty();
    const std::optional<Readdressing> readdressing = alone ? readdressingFor(m_northbound->port(match.portUuid), to) : std::nullopt;
    const quint64 hold = readdressing ? holdAddress(to.uuid, readdressing->addresses.value(0).section(u' ', 1), match.portName) : 0;
    m_client->transact(movePortOperations(match.portUuid, from, to, readdressing),
                       [this, key, from, to, host, alone, readdressing, hold](const OvsdbTransactResult &result) {
        m_addressHolds.answered(hold, result.ok);
        const auto it = m_moves.constFind(key);
        if (it == m_moves.cend())
            return;
        const Move pending = *it;
        if (!result.ok) {
            m_moves.remove(key);
            const QString message = tr("The controller refused to move port %1 from %2 to %3: %4. Nothing was changed.")
                                        .arg(pending.portName, from.name, to.name, transactError(result));
            record(host, pending.vmName, tr("Move NIC %1").arg(pending.mac), message, EventRecord::Severity::Error);
            Q_EMIT nicMoveFinished(pending.vm, pending.mac, pending.vlanId, false, message);
            return;
        }
        if (alone) {
            m_moves.remove(key);
            const QString address = readdressing ? readdressing->addresses.value(0).section(u' ', 1) : QString();
            record(host, pending.vmName, tr("Move NIC %1").arg(pending.mac),
                   address.isEmpty()
                       ? tr("Controller: port %1 moved from %2 to %3 (libvirt has nothing to change)")
                             .arg(pending.portName, from.displayName(), to.displayName())
                       : tr("Controller: port %1 moved from %2 to %3 with the address %4; the guest takes it at its next "
                            "DHCP renewal (libvirt has nothing to change)")
                             .arg(pending.portName, from.displayName(), to.displayName(), address),
                   EventRecord::Severity::Info);
            Q_EMIT nicMoveFinished(pending.vm, pending.mac, pending.vlanId, true, QString());
            return;
        }
        record(host, pending.vmName, tr("Move NIC %1").arg(pending.mac),
               tr("Controller: port %1 moved from %2 to %3; libvirt follows").arg(pending.portName, from.displayName(), to.displayName()),
               EventRecord::Severity::Info);
        moveInLibvirt(pending.vm, pending.mac, pending.vlanId);
    });
}

void NetworkController::moveInLibvirt(const VmKey &vm, const QString &mac, int vlanId)
{
    m_sessions->moveNicToVlan(vm, mac, vlanId, {this, [this, vm, mac, vlanId](bool ok, const QString &message) {
                                                   libvirtMoveFinished(vm, mac, vlanId, ok, message);
                                               }});
}

void NetworkController::libvirtMoveFinished(const VmKey &vm, const QString &mac, int vlanId, bool ok,
                                              const QString &message)
{
    const QString key = moveKey(vm, mac);
    const auto it = m_moves.constFind(key);
    if (it == m_moves.cend() || it->vlanId != vlanId)
        return;
    const Move move = *it;
    if (ok || move.fromUuid.isEmpty()) {
        finishMove(move, ok, message);
        return;
    }
    // libvirt refused: put the port back where it was so both agree again.
    const OvnLogicalSwitch from = m_northbound->logicalSwitch(move.toUuid);
    const OvnLogicalSwitch back = m_northbound->logicalSwitch(move.fromUuid);
    const QString libvirtError = message;
    m_client->transact(movePortOperations(move.portUuid, from, back), [this, move, from, back, libvirtError](const OvsdbTransactResult &result) {
        if (result.ok) {
            finishMove(move, false,
                       tr("libvirt refused: %1. The controller's port %2 was moved back to %3: nothing changed.")
                           .arg(libvirtError, move.portName, back.name));
            return;
        }
        finishMove(move, false,
                   tr("libvirt refused: %1. Moving the controller's port %2 back to %3 failed too (%4): the controller "
                      "has the NIC in %5 (VLAN %6) while libvirt keeps its old VLAN. Fix it from the Network panel's "
                      "mismatch list.")
                       .arg(libvirtError, move.portName, back.name, transactError(result), from.name)
                       .arg(from.vlanId));
    });
}

void NetworkController::finishMove(const Move &move, bool ok, const QString &message)
{
    m_moves.remove(moveKey(move.vm, move.mac));
    const QString vlan = tr("VLAN %1 (%2)").arg(move.vlanId).arg(m_inventory->vlanName(move.vlanId));
    record(m_inventory->host(move.vm.hostUri).displayName, move.vmName, tr("Move NIC %1").arg(move.mac),
           ok ? (message.isEmpty() ? tr("Now in %1, controller and libvirt").arg(vlan) : tr("%1: %2").arg(vlan, message))
              : message,
           ok ? (message.isEmpty() ? EventRecord::Severity::Info : EventRecord::Severity::Warning)
              : EventRecord::Severity::Error);
    Q_EMIT nicMoveFinished(move.vm, move.mac, move.vlanId, ok, message);
}

void NetworkController::alignLibvirtWithController(const NetworkMismatch &mismatch)
{
    if (mismatch.kind != NetworkMismatch::Kind::VlanDiffers || mismatch.controllerVlan <= 0)
        return;
    const QString key = moveKey(mismatch.vm, mismatch.mac);
    const std::optional<NicPortMatch> match = m_correlation->matchOf(mismatch.vm, mismatch.mac);
    if (!match || m_moves.contains(key))
        return;
    if (const QString refusal = m_inventory->vm(mismatch.vm).managerRefusal(); !refusal.isEmpty()) {
        record(m_inventory->host(mismatch.vm.hostUri).displayName, mismatch.vmName, tr("Move NIC %1").arg(mismatch.mac), refusal,
               EventRecord::Severity::Error);
        Q_EMIT nicMoveFinished(mismatch.vm, mismatch.mac, mismatch.controllerVlan, false, refusal);
        return;
    }
    m_moves.insert(key, {mismatch.vm, mismatch.vmName, mismatch.mac, mismatch.controllerVlan, match->portUuid,
                         match->portName, {}, match->switchUuid});
    moveInLibvirt(mismatch.vm, mismatch.mac, mismatch.controllerVlan);
}

void NetworkController::alignControllerWithLibvirt(const NetworkMismatch &mismatch)
{
    if (mismatch.kind != NetworkMismatch::Kind::VlanDiffers || mismatch.libvirtVlan <= 0)
        return;
    const QString host = m_inventory->host(mismatch.vm.hostUri).displayName;
    const QString action = tr("Move NIC %1").arg(mismatch.mac);
    const std::optional<NicPortMatch> match = m_correlation->matchOf(mismatch.vm, mismatch.mac);
    const OvnLogicalSwitch to = switchForVlan(mismatch.libvirtVlan);
    if (!match || to.uuid.isEmpty() || !isSynced()) {
        const QString message = tr("The network controller has no switch for VLAN %1.").arg(mismatch.libvirtVlan);
        record(host, mismatch.vmName, action, message, EventRecord::Severity::Error);
        Q_EMIT nicMoveFinished(mismatch.vm, mismatch.mac, mismatch.libvirtVlan, false, message);
        return;
    }
    const OvnLogicalSwitch from = m_northbound->logicalSwitch(match->switchUuid);
    QString refusal = ownerRefusal(tr("The port %1").arg(match->portName), match->owner);
    if (refusal.isEmpty())
        refusal = ownerRefusal(tr("The switch %1").arg(from.displayName()), from.owner());
    if (refusal.isEmpty())
        refusal = ownerRefusal(tr("The switch %1").arg(to.displayName()), to.owner());
    if (!refusal.isEmpty()) {
        record(host, mismatch.vmName, action, refusal, EventRecord::Severity::Error);
        Q_EMIT nicMoveFinished(mismatch.vm, mismatch.mac, mismatch.libvirtVlan, false, refusal);
        return;
    }
    m_client->transact(movePortOperations(match->portUuid, from, to),
                       [this, mismatch, from, to, host, action](const OvsdbTransactResult &result) {
                           const QString message = result.ok ? QString()
                                                             : tr("The controller refused to move port %1 from %2 to %3: %4.")
                                                                   .arg(mismatch.portName, from.name, to.name, transactError(result));
                           record(host, mismatch.vmName, action,
                                  result.ok ? tr("Controller: port %1 moved from %2 to %3").arg(mismatch.portName, from.name, to.name)
                                            : message,
                                  result.ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
                           Q_EMIT nicMoveFinished(mismatch.vm, mismatch.mac, mismatch.libvirtVlan, result.ok, message);
                       });
}

QString NetworkController::addPortRefusal(const VmKey &vm, const QString &mac) const
{
    if (!isSynced())
        return tr("The network controller is not connected (%1).").arg(stateText());
    const std::optional<NicInfo> nic = nicWithMac(m_inventory->findVm(vm), mac);
    if (!nic)
        return tr("The VM has no NIC with MAC address %1.").arg(mac);
    if (nic->interfaceId.isEmpty())
        return tr("NIC %1 has no Open vSwitch interface id: the controller cannot know it.").arg(mac);
    if (m_correlation->matchOf(vm, mac))
        return tr("NIC %1 already has its port in the controller.").arg(mac);
    if (!m_northbound->portByName(nic->interfaceId).uuid.isEmpty())
        return tr("A port named %1 already exists.").arg(nic->interfaceId);
    const QList<int> vlans = m_inventory->libvirtNicVlans(vm.hostUri, *nic);
    const OvnLogicalSwitch into = vlans.size() == 1 ? switchForVlan(vlans.first()) : OvnLogicalSwitch{};
    if (into.uuid.isEmpty())
        return tr("The network controller has no switch for the VLAN of NIC %1.").arg(mac);
    return ownerRefusal(tr("The switch %1").arg(into.displayName()), into.owner());
}

QJsonArray NetworkController::addPortOperations(const OvnLogicalSwitch &into, const QString &portName, const QString &mac,
                                                const QString &vmName, const QString &tenant, const QString &ip,
                                                const QString &dhcpOptions)
{
    const QString nameColumn = QStringLiteral("name");
    QList<std::pair<QString, QString>> ids{{QStringLiteral("vm"), vmName}};
    if (!tenant.isEmpty())
        ids.append({QStringLiteral("tenant"), tenant});
    const QJsonArray addresses{QStringLiteral("set"), QJsonArray{ip.isEmpty() ? mac : mac + u' ' + ip}};
    QJsonObject row{{nameColumn, portName}, {QStringLiteral("addresses"), addresses}, {QStringLiteral("external_ids"), stringMap(ids)}};
    if (!ip.isEmpty())
        row.insert(QStringLiteral("port_security"), addresses); // only what the port was given gets through
    // As Neutron does for a port in a subnet: OVN's DHCP then offers the guest exactly that address.
    if (!ip.isEmpty() && !ip.contains(u':') && !dhcpOptions.isEmpty())
        row.insert(QStringLiteral("dhcpv4_options"), uuid(dhcpOptions));
    return {
        // No port of that name yet, and the switch is still the one we read.
        waitFor(LogicalSwitchPort, QJsonArray{QJsonArray{nameColumn, QStringLiteral("=="), portName}}, {nameColumn}, {}),
        waitFor(LogicalSwitch, whereUuid(into.uuid), {nameColumn}, {QJsonObject{{nameColumn, into.name}}}),
        QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                    {QStringLiteral("table"), LogicalSwitchPort},
                    {QStringLiteral("uuid-name"), QStringLiteral("port")},
                    {QStringLiteral("row"), row}},
        QJsonObject{{QStringLiteral("op"), QStringLiteral("mutate")},
                    {QStringLiteral("table"), LogicalSwitch},
                    {QStringLiteral("where"), whereUuid(into.uuid)},
                    {QStringLiteral("mutations"),
                     QJsonArray{QJsonArray{QStringLiteral("ports"), QStringLiteral("insert"),
                                           QJsonArray{QStringLiteral("set"), QJsonArray{QJsonArray{QStringLiteral("named-uuid"), QStringLiteral("port")}}}}}}},
        comment(ip.isEmpty() ? QStringLiteral("vigie: port %1 of %2 in %3").arg(portName, vmName, into.name)
                             : QStringLiteral("vigie: port %1 of %2 in %3 at %4").arg(portName, vmName, into.name, ip)),
    };
}

void NetworkController::addPortForNic(const VmKey &vm, const QString &mac)
{
    const QString host = m_inventory->host(vm.hostUri).displayName;
    const VmInfo info = m_inventory->vm(vm);
    const QString action = tr("Add port of NIC %1").arg(mac);
    if (const QString refusal = addPortRefusal(vm, mac); !refusal.isEmpty()) {
        record(host, info.name, action, refusal, EventRecord::Severity::Error);
        Q_EMIT portAdded(vm, mac, false, refusal);
        return;
    }
    const NicInfo nic = *nicWithMac(&info, mac);
    const OvnLogicalSwitch into = switchForVlan(m_inventory->libvirtNicVlans(vm.hostUri, nic).first());
    // The first free address of the switch's subnet, as a cloud's portal assigns one; none when
    // the switch has no subnet (or no address is left): the port then has its MAC alone.
    const QString ip = addressPlan(into.uuid).suggestion();
    const quint64 hold = holdAddress(into.uuid, ip, nic.interfaceId);
    QJsonArray operations = addPortOperations(into, nic.interfaceId, nic.mac, info.name, info.tenant, ip,
                                              m_northbound->dhcpOptionsOf(into.uuid));
    // A VM of an isolated tenant joins its tenant's group in the same transaction: never a moment
    // outside the policy.
    const OvnPortGroup isolation = m_policy->isolationOfTenant(info.tenant);
    if (!isolation.uuid.isEmpty())
        operations.insert(operations.size() - 1, PortIsolation::joinOperation(isolation, QStringLiteral("port")));
    m_client->transact(operations,
                       [this, vm, mac, host, action, name = info.name, into, port = nic.interfaceId,
                        group = isolation.name, ip, hold](const OvsdbTransactResult &result) {
                           m_addressHolds.answered(hold, result.ok);
                           const QString message = result.ok ? QString() : transactError(result);
                           QString added = group.isEmpty() ? tr("Controller: port %1 added to %2").arg(port, into.name)
                                                           : tr("Controller: port %1 added to %2, in the isolation group %3")
                                                                 .arg(port, into.name, group);
                           if (!ip.isEmpty())
                               added += u' ' + tr("with the address %1").arg(ip);
                           record(host, name, action, result.ok ? added : tr("Not added: %1").arg(message),
                                  result.ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
                           Q_EMIT portAdded(vm, mac, result.ok, message);
                       });
}

QString NetworkController::createVlanRefusal(const QString &name, int vlanId) const
{
    if (!isSynced())
        return tr("The network controller is not connected (%1).").arg(stateText());
    if (name.trimmed().isEmpty())
        return tr("A VLAN needs a name.");
    if (vlanId < 1 || vlanId > 4094)
        return tr("A VLAN id is between 1 and 4094.");
    if (!m_northbound->switchByName(name).uuid.isEmpty())
        return tr("A logical switch named %1 already exists.").arg(name);
    if (!switchForVlan(vlanId).uuid.isEmpty())
        return tr("VLAN %1 already exists: %2.").arg(vlanId).arg(switchForVlan(vlanId).name);
    return {};
}

QJsonArray NetworkController::createVlanOperations(const QString &name, int vlanId, const QString &tenant,
                                                   const QString &networkName)
{
    const QString localnet = QStringLiteral("ln-") + name;
    const QString nameColumn = QStringLiteral("name");
    QList<std::pair<QString, QString>> ids{{QStringLiteral("vlan"), QString::number(vlanId)}};
    if (!tenant.isEmpty())
        ids.append({QStringLiteral("tenant"), tenant});
    const QJsonArray byName{QJsonArray{nameColumn, QStringLiteral("=="), name}};
    const QJsonArray byLocalnetName{QJsonArray{nameColumn, QStringLiteral("=="), localnet}};
    return {
        // Neither the switch nor its localnet port exists yet.
        waitFor(LogicalSwitch, byName, {nameColumn}, {}),
        waitFor(LogicalSwitchPort, byLocalnetName, {nameColumn}, {}),
        QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                    {QStringLiteral("table"), LogicalSwitchPort},
                    {QStringLiteral("uuid-name"), QStringLiteral("localnet")},
                    {QStringLiteral("row"),
                     QJsonObject{{nameColumn, localnet},
                                 {QStringLiteral("type"), QStringLiteral("localnet")},
                                 {QStringLiteral("addresses"), QJsonArray{QStringLiteral("set"), QJsonArray{QStringLiteral("unknown")}}},
                                 {QStringLiteral("tag_request"), vlanId},
                                 {QStringLiteral("options"), stringMap({{QStringLiteral("network_name"), networkName}})}}}},
        QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                    {QStringLiteral("table"), LogicalSwitch},
                    {QStringLiteral("row"),
                     QJsonObject{{nameColumn, name},
                                 {QStringLiteral("ports"),
                                  QJsonArray{QStringLiteral("set"), QJsonArray{QJsonArray{QStringLiteral("named-uuid"), QStringLiteral("localnet")}}}},
                                 {QStringLiteral("external_ids"), stringMap(ids)}}}},
        comment(QStringLiteral("vigie: create VLAN %1 (%2)").arg(vlanId).arg(name)),
    };
}

void NetworkController::createVlan(const QString &name, int vlanId, const QString &tenant, const QString &networkName)
{
    const QString remote = m_client->currentRemote();
    const QString action = tr("Create VLAN %1 (%2)").arg(vlanId).arg(name);
    if (const QString refusal = createVlanRefusal(name, vlanId); !refusal.isEmpty()) {
        record(remote, {}, action, refusal, EventRecord::Severity::Error);
        Q_EMIT vlanOperationFinished(name, false, refusal);
        return;
    }
    m_client->transact(createVlanOperations(name, vlanId, tenant, networkName),
                       [this, name, remote, action](const OvsdbTransactResult &result) {
                           const QString message = result.ok ? QString() : transactError(result);
                           record(remote, {}, action, result.ok ? tr("Created") : tr("Not created: %1").arg(message),
                                  result.ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
                           Q_EMIT vlanOperationFinished(name, result.ok, message);
                       });
}

QString NetworkController::deleteVlanRefusal(const QString &switchUuid) const
{
    if (!isSynced())
        return tr("The network controller is not connected (%1).").arg(stateText());
    const OvnLogicalSwitch s = m_northbound->logicalSwitch(switchUuid);
    if (s.uuid.isEmpty())
        return tr("The logical switch no longer exists.");
    if (const QString refusal = ownerRefusal(tr("The switch %1").arg(s.displayName()), s.owner()); !refusal.isEmpty())
        return refusal;
    int vmPorts = 0;
    for (const QString &portUuid : s.portUuids) {
        if (m_northbound->port(portUuid).type != QLatin1String("localnet"))
            ++vmPorts;
    }
    if (vmPorts > 0)
        return tr("%1 still has %n VM port(s): move or remove them first.", nullptr, vmPorts).arg(s.name);
    return {};
}

QJsonArray NetworkController::deleteVlanOperations(const OvnLogicalSwitch &logicalSwitch)
{
    // The switch still has exactly the ports the operator saw (its localnet ports), so a VM port
    // added meanwhile makes the deletion fail. Its localnet ports go with it (they are not root
    // rows: nothing refers to them any more).
    QJsonArray ports;
    for (const QString &port : logicalSwitch.portUuids)
        ports.append(uuid(port));
    return {
        waitFor(LogicalSwitch, whereUuid(logicalSwitch.uuid), {QStringLiteral("ports")},
                {QJsonObject{{QStringLiteral("ports"), QJsonArray{QStringLiteral("set"), ports}}}}),
        QJsonObject{{QStringLiteral("op"), QStringLiteral("delete")},
                    {QStringLiteral("table"), LogicalSwitch},
                    {QStringLiteral("where"), whereUuid(logicalSwitch.uuid)}},
        comment(QStringLiteral("vigie: delete VLAN %1 (%2)").arg(logicalSwitch.vlanId).arg(logicalSwitch.name)),
    };
}

void NetworkController::deleteVlan(const QString &switchUuid)
{
    const OvnLogicalSwitch s = m_northbound->logicalSwitch(switchUuid);
    const QString remote = m_client->currentRemote();
    const QString action = tr("Delete VLAN %1 (%2)").arg(s.vlanId).arg(s.name);
    if (const QString refusal = deleteVlanRefusal(switchUuid); !refusal.isEmpty()) {
        record(remote, {}, action, refusal, EventRecord::Severity::Error);
        Q_EMIT vlanOperationFinished(s.name, false, refusal);
        return;
    }
    m_client->transact(deleteVlanOperations(s), [this, s, remote, action](const OvsdbTransactResult &result) {
        const QString message = result.ok ? QString() : transactError(result);
        record(remote, {}, action, result.ok ? tr("Deleted") : tr("Not deleted: %1").arg(message),
               result.ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
        Q_EMIT vlanOperationFinished(s.name, result.ok, message);
    });
}

QString NetworkController::transactError(const OvsdbTransactResult &result)
{
    if (result.errors.isEmpty())
        return tr("unknown error");
    const OvsdbTransactResult::OperationError &e = result.errors.first();
    // A failed "wait" means the network changed since Vigie last saw it.
    if (e.error == QLatin1String("timed out"))
        return tr("the network changed meanwhile (%1)").arg(e.error);
    return e.details.isEmpty() ? e.error : QStringLiteral("%1: %2").arg(e.error, e.details);
}

} // namespace Vigie
