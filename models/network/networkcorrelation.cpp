#include "networkcorrelation.h"

#include "inventory/inventory.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "network/subnetplan.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace Vigie {

namespace {

QString matchKey(const VmKey &vm, const QString &mac)
{
    return vm.hostUri + u'|' + vm.uuid + u'|' + mac.toLower();
}

// Nova names the tap of a port "tap" + the port uuid's first 11 characters.
constexpr qsizetype NovaTapIdLength = 11;

bool isBindingKind(NetworkMismatch::Kind kind)
{
    return kind == NetworkMismatch::Kind::BoundElsewhere || kind == NetworkMismatch::Kind::Unbound;
}

QString shortHostName(const QString &name)
{
    return name.section(u'.', 0, 0).toLower();
}

} // namespace

NetworkCorrelation::NetworkCorrelation(Inventory *inventory, OvnNorthbound *northbound, OvnSouthbound *southbound,
                                       QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_northbound(northbound)
    , m_southbound(southbound)
{
    qRegisterMetaType<NetworkMismatch>();
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &NetworkCorrelation::refresh);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &NetworkCorrelation::refresh);
    connect(inventory, &Inventory::vmAdded, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vmChanged, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::hostChanged, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vlansChanged, this, &NetworkCorrelation::schedule);
    connect(northbound, &OvnNorthbound::changesApplied, this, &NetworkCorrelation::schedule);
    if (southbound)
        connect(southbound, &OvnSouthbound::changesApplied, this, &NetworkCorrelation::schedule);
}

void NetworkCorrelation::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    refresh();
}

void NetworkCorrelation::setSouthboundEnabled(bool enabled)
{
    if (m_southboundEnabled == enabled)
        return;
    m_southboundEnabled = enabled;
    refresh();
}

void NetworkCorrelation::schedule()
{
    if (m_enabled)
        m_timer.start();
}

std::optional<NicPortMatch> NetworkCorrelation::matchOf(const VmKey &vm, const QString &mac) const
{
    const auto it = m_matches.constFind(matchKey(vm, mac));
    if (it == m_matches.cend())
        return std::nullopt;
    return *it;
}

std::optional<NicPortMatch> NetworkCorrelation::matchOfPort(const QString &portUuid) const
{
    for (const NicPortMatch &match : m_matches) {
        if (match.portUuid == portUuid)
            return match;
    }
    return std::nullopt;
}

QList<NetworkMismatch> NetworkCorrelation::mismatches() const
{
    QList<NetworkMismatch> list = m_mismatches.values();
    std::sort(list.begin(), list.end(), [](const NetworkMismatch &a, const NetworkMismatch &b) {
        return std::tuple(int(a.kind), a.vmName, a.portName, a.mac) < std::tuple(int(b.kind), b.vmName, b.portName, b.mac);
    });
    return list;
}

void NetworkCorrelation::mapChassisToHosts()
{
    m_chassisHost.clear();
    if (!m_southbound || !m_southboundEnabled)
        return;
    // A chassis is a host when its hostname (full or short) is the host's, or its name is; the
    // host's display name counts too (test:/// hosts all report the machine's own hostname).
    QHash<QString, QString> byName; // lower-case name -> host URI; ambiguous names are dropped
    QSet<QString> ambiguous;
    const auto note = [&](const QString &name, const QString &uri) {
        if (name.isEmpty())
            return;
        for (const QString &key : {name.toLower(), shortHostName(name)}) {
            const auto it = byName.constFind(key);
            if (it != byName.cend() && *it != uri)
                ambiguous.insert(key);
            else
                byName.insert(key, uri);
        }
    };
    for (const QString &uri : m_inventory->hostUris())
        note(m_inventory->host(uri).hostname, uri);
    QHash<QString, QString> byDisplayName;
    for (const QString &uri : m_inventory->hostUris())
        byDisplayName.insert(m_inventory->host(uri).displayName.toLower(), uri);
    for (auto it = m_southbound->chassisTable().cbegin(); it != m_southbound->chassisTable().cend(); ++it) {
        QString host;
        for (const QString &name : {it->hostname, it->name}) {
            for (const QString &key : {name.toLower(), shortHostName(name)}) {
                if (host.isEmpty() && !key.isEmpty() && !ambiguous.contains(key))
                    host = byName.value(key);
            }
        }
        if (host.isEmpty())
            host = byDisplayName.value(it->hostname.toLower(), byDisplayName.value(it->name.toLower()));
        if (!host.isEmpty())
            m_chassisHost.insert(it.key(), host);
    }
}

void NetworkCorrelation::refresh()
{
    m_timer.stop();
    mapChassisToHosts();
    const bool southbound = m_southbound && m_southboundEnabled;
    QHash<QString, NicPortMatch> matches;
    QHash<QString, NetworkMismatch> mismatches;
    if (m_enabled && m_northbound) {
        // Ways to find a NIC's port. Pointers into the mapping's own table: no port is copied.
        const QHash<QString, OvnLogicalSwitchPort> &ports = m_northbound->portTable();
        const QHash<QString, OvnLogicalSwitch> &switches = m_northbound->switchTable();
        QHash<QString, const OvnLogicalSwitchPort *> byName;
        QHash<QString, const OvnLogicalSwitchPort *> byIfaceId;
        QHash<QString, const OvnLogicalSwitchPort *> byTap;       // "tap" + the name's first 11 characters
        QHash<QString, const OvnLogicalSwitchPort *> byDeviceMac; // "device id|mac"
        byName.reserve(ports.size());
        for (const OvnLogicalSwitchPort &port : ports) {
            byName.insert(port.name, &port);
            const auto ifaceId = port.externalIds.constFind(QStringLiteral("iface-id"));
            if (ifaceId != port.externalIds.cend() && !ifaceId->isEmpty())
                byIfaceId.insert(*ifaceId, &port);
            if (!port.isVmPort())
                continue;
            if (port.name.size() > NovaTapIdLength)
                byTap.insert(QStringLiteral("tap") + port.name.left(NovaTapIdLength), &port);
            if (const QString device = port.deviceId(); !device.isEmpty()) {
                if (const QString mac = port.mac(); !mac.isEmpty())
                    byDeviceMac.insert(device.toLower() + u'|' + mac, &port);
            }
        }
        const auto findPort = [&](const VmInfo &vm, const NicInfo &nic) -> const OvnLogicalSwitchPort * {
            if (!nic.interfaceId.isEmpty()) {
                if (const OvnLogicalSwitchPort *port = byName.value(nic.interfaceId))
                    return port;
                if (const OvnLogicalSwitchPort *port = byIfaceId.value(nic.interfaceId))
                    return port;
            }
            if (nic.target.startsWith(QLatin1String("tap"))) {
                if (const OvnLogicalSwitchPort *port = byTap.value(nic.target.left(3 + NovaTapIdLength)))
                    return port;
            }
            return byDeviceMac.value(vm.uuid.toLower() + u'|' + nic.mac.toLower());
        };
        const auto switchOf = [&switches](const QString &switchUuid) -> const OvnLogicalSwitch * {
            const auto it = switches.constFind(switchUuid);
            return it == switches.cend() ? nullptr : &*it;
        };
        const qint64 now = m_clock.elapsed();

        QHash<QString, const NicPortMatch *> pluggedBy; // port uuid -> the match of the NIC in it, after the loop
        QSet<QString> plugged; // port uuids with a NIC
        const QList<VmKey> keys = m_inventory->vmKeys();
        for (const VmKey &key : keys) {
            const VmInfo *vm = m_inventory->findVm(key);
            if (!vm)
                continue;
            for (const NicInfo &nic : vm->nics) {
                NetworkMismatch base;
                base.vm = key;
                base.vmName = vm->displayName.isEmpty() ? vm->name : vm->displayName;
                base.mac = nic.mac;
                base.interfaceId = nic.interfaceId;
                const OvnLogicalSwitchPort *port = findPort(*vm, nic);
                if (!port) {
                    // Only a NIC plugged where the controller plugs its ports lacks one; a NIC on
                    // any other bridge is libvirt's business.
                    if (!nic.interfaceId.isEmpty() && m_inventory->nicBridge(key.hostUri, nic) == IntegrationBridge) {
                        base.kind = NetworkMismatch::Kind::NicWithoutPort;
                        mismatches.insert(base.key(), base);
                    }
                    continue;
                }
                const OvnLogicalSwitch *logicalSwitch = switchOf(port->switchUuid);
                NicPortMatch match;
                match.vm = key;
                match.vmName = base.vmName;
                match.mac = nic.mac;
                match.interfaceId = nic.interfaceId;
                match.libvirtVlans = m_inventory->libvirtNicVlans(key.hostUri, nic);
                match.portUuid = port->uuid;
                match.portName = port->name;
                match.switchUuid = port->switchUuid;
                match.switchName = port->switchName;
                match.switchDisplayName = logicalSwitch ? logicalSwitch->displayName() : port->switchName;
                match.controllerVlan = logicalSwitch ? logicalSwitch->vlanId : 0;
                match.owner = port->owner();
                match.addresses = port->ipAddresses();
                match.requestedChassis = port->requestedChassis();
                if (southbound) {
                    if (const OvnPortBinding *binding = m_southbound->bindingOf(port->name)) {
                        match.bindingKnown = true;
                        match.chassis = m_southbound->chassisByUuid(binding->chassis).name;
                        match.chassisHostUri = m_chassisHost.value(binding->chassis);
                    }
                }
                matches.insert(matchKey(key, nic.mac), match);
                plugged.insert(port->uuid);
                base.portName = port->name;
                base.switchName = match.switchDisplayName;
                base.controllerVlan = match.controllerVlan;
                // Both sides state a VLAN and they differ. A NIC wired the ML2/OVN way has none
                // in libvirt: the switch's localnet port carries it.
                if (match.controllerVlan > 0 && !match.libvirtVlans.isEmpty()
                    && match.libvirtVlans != QList<int>{match.controllerVlan}) {
                    NetworkMismatch m = base;
                    m.kind = NetworkMismatch::Kind::VlanDiffers;
                    m.libvirtVlan = match.libvirtVlans.value(0);
                    mismatches.insert(m.key(), m);
                }
                if (southbound && vm->state == VmState::Running) {
                    NetworkMismatch m = base;
                    if (!match.bindingKnown || match.chassis.isEmpty()) {
                        m.kind = NetworkMismatch::Kind::Unbound;
                        mismatches.insert(m.key(), m);
                    } else if (match.chassisHostUri != key.hostUri) {
                        m.kind = NetworkMismatch::Kind::BoundElsewhere;
                        m.chassis = match.chassis;
                        mismatches.insert(m.key(), m);
                    }
                }
            }
        }

        // A port's host, as far as the controller tells: where it is bound, else where it is
        // to be bound (Neutron's requested-chassis, its neutron:host_id).
        QSet<QString> watchedHosts;
        for (const QString &uri : m_inventory->hostUris()) {
            const HostInfo host = m_inventory->host(uri);
            for (const QString &name : {host.hostname, host.displayName}) {
                if (!name.isEmpty()) {
                    watchedHosts.insert(name.toLower());
                    watchedHosts.insert(shortHostName(name));
                }
            }
        }
        const auto watched = [&](const OvnLogicalSwitchPort &port) {
            if (southbound) {
                if (const OvnPortBinding *binding = m_southbound->bindingOf(port.name); binding && binding->isBound())
                    return m_chassisHost.contains(binding->chassis);
            }
            QString host = port.requestedChassis().value(0);
            if (host.isEmpty())
                host = port.externalIds.value(QStringLiteral("neutron:host_id"));
            return host.isEmpty() || watchedHosts.contains(host.toLower()) || watchedHosts.contains(shortHostName(host));
        };
        const auto claimed = [&](const OvnLogicalSwitchPort &port) {
            if (southbound) {
                if (const OvnPortBinding *binding = m_southbound->bindingOf(port.name))
                    return binding->isBound();
            }
            return port.up.value_or(false);
        };
        QHash<QString, QString> vmNames; // domain uuid -> name, for Neutron's device ids
        for (const VmKey &key : keys) {
            if (const VmInfo *vm = m_inventory->findVm(key))
                vmNames.insert(key.uuid.toLower(), vm->displayName.isEmpty() ? vm->name : vm->displayName);
        }
        for (const OvnLogicalSwitchPort &port : ports) {
            if (!port.isVmPort() || plugged.contains(port.uuid))
                continue;
            const QString owner = port.deviceOwner();
            // Neutron's own ports (DHCP, router, metadata) and its unattached ports are not VMs'.
            if (port.owner() == OvnOwner::Neutron && (port.deviceId().isEmpty() || !owner.startsWith(QLatin1String("compute:"))))
                continue;
            // A VM on a host Vigie does not watch is not missing.
            if (!watched(port))
                continue;
            // A port that names no VM and that a chassis claimed has something plugged into it
            // that is not a VM (a monitoring probe, a container, an appliance): nothing is missing.
            if (port.vm().isEmpty() && port.deviceId().isEmpty() && claimed(port))
                continue;
            NetworkMismatch m;
            m.kind = NetworkMismatch::Kind::PortWithoutVm;
            m.vmName = port.vm();
            if (m.vmName.isEmpty() && !port.deviceId().isEmpty())
                m.vmName = vmNames.value(port.deviceId().toLower(), port.deviceId());
            m.portName = port.name;
            const OvnLogicalSwitch *logicalSwitch = switchOf(port.switchUuid);
            m.switchName = logicalSwitch ? logicalSwitch->displayName() : port.switchName;
            m.controllerVlan = logicalSwitch ? logicalSwitch->vlanId : 0;
            mismatches.insert(m.key(), m);
        }

        for (const NicPortMatch &match : std::as_const(matches))
            pluggedBy.insert(match.portUuid, &match);
        addressMismatches(pluggedBy, mismatches);

        // Binding disagreements count once they last: a migrated VM runs on its new host a
        // moment before ovn-controller there claims its port.
        QHash<QString, qint64> since;
        qint64 nextExpiry = -1;
        for (auto it = mismatches.begin(); it != mismatches.end();) {
            if (!isBindingKind(it->kind)) {
                ++it;
                continue;
            }
            const qint64 first = m_bindingSince.value(it.key(), now);
            since.insert(it.key(), first);
            const qint64 due = first + m_bindingGraceMs;
            if (due > now) {
                nextExpiry = nextExpiry < 0 ? due : std::min(nextExpiry, due);
                it = mismatches.erase(it);
            } else {
                ++it;
            }
        }
        m_bindingSince = since;
        if (nextExpiry >= 0)
            m_graceTimer.start(int(nextExpiry - now) + 1);
        else
            m_graceTimer.stop();
    } else {
        m_bindingSince.clear();
        m_graceTimer.stop();
    }

    QList<NetworkMismatch> removed;
    for (auto it = m_mismatches.cbegin(); it != m_mismatches.cend(); ++it) {
        if (!mismatches.contains(it.key()))
            removed.append(it.value());
    }
    QList<NetworkMismatch> added, changed;
    for (auto it = mismatches.cbegin(); it != mismatches.cend(); ++it) {
        const auto old = m_mismatches.constFind(it.key());
        if (old == m_mismatches.cend())
            added.append(it.value());
        else if (!(*old == it.value()))
            changed.append(it.value());
    }
    const bool matchesDiffer = matches != m_matches;
    m_mismatches = mismatches;
    m_matches = matches;
    for (const NetworkMismatch &m : std::as_const(removed))
        Q_EMIT mismatchRemoved(m);
    for (const NetworkMismatch &m : std::as_const(changed))
        Q_EMIT mismatchChanged(m);
    for (const NetworkMismatch &m : std::as_const(added))
        Q_EMIT mismatchAdded(m);
    if (matchesDiffer)
        Q_EMIT matchesChanged();
}

void NetworkCorrelation::addressMismatches(const QHash<QString, const NicPortMatch *> &pluggedBy,
                                           QHash<QString, NetworkMismatch> &mismatches) const
{
    QHash<QString, SubnetPlan> subnets; // by switch uuid, read once
    QHash<QString, const OvnLogicalSwitchPort *> firstWithAddress; // "switch uuid|address"
    const auto mismatchOf = [&](NetworkMismatch::Kind kind, const OvnLogicalSwitchPort &port, const QString &address) {
        NetworkMismatch m;
        m.kind = kind;
        m.portName = port.name;
        m.address = address;
        const OvnLogicalSwitch logicalSwitch = m_northbound->logicalSwitch(port.switchUuid);
        m.switchName = logicalSwitch.uuid.isEmpty() ? port.switchName : logicalSwitch.displayName();
        m.controllerVlan = logicalSwitch.vlanId;
        if (const NicPortMatch *match = pluggedBy.value(port.uuid)) {
            m.vm = match->vm;
            m.vmName = match->vmName;
            m.mac = match->mac;
            m.interfaceId = match->interfaceId;
        } else {
            m.vmName = port.vm();
        }
        return m;
    };
    // Sorted by name: which of two ports holding one address is "the other" stays the same.
    QList<const OvnLogicalSwitchPort *> ports;
    for (const OvnLogicalSwitchPort &port : m_northbound->portTable()) {
        if (port.isVmPort() && !port.switchUuid.isEmpty())
            ports.append(&port);
    }
    std::sort(ports.begin(), ports.end(), [](const OvnLogicalSwitchPort *a, const OvnLogicalSwitchPort *b) { return a->name < b->name; });
    for (const OvnLogicalSwitchPort *port : std::as_const(ports)) {
        const QStringList addresses = port->ipAddresses();
        if (addresses.isEmpty())
            continue;
        auto subnet = subnets.constFind(port->switchUuid);
        if (subnet == subnets.cend())
            subnet = subnets.insert(port->switchUuid, SubnetPlan(m_northbound->subnetOf(port->switchUuid)));
        for (const QString &address : addresses) {
            const QString key = port->switchUuid + u'|' + address.toLower();
            if (const OvnLogicalSwitchPort *first = firstWithAddress.value(key)) {
                NetworkMismatch m = mismatchOf(NetworkMismatch::Kind::DuplicateAddress, *port, address);
                m.otherPort = first->name;
                mismatches.insert(m.key(), m);
            } else {
                firstWithAddress.insert(key, port);
            }
            if (subnet->isValid() && address.contains(u':') == subnet->isIpv6() && !subnet->contains(address)) {
                NetworkMismatch m = mismatchOf(NetworkMismatch::Kind::AddressOutsideSubnet, *port, address);
                m.subnet = subnet->cidr();
                mismatches.insert(m.key(), m);
            }
        }
        // A VM's port without port security lets the VM use any MAC and address. Where another
        // system owns the port (Neutron's port_security_enabled=False), that was its decision.
        if (port->portSecurity.isEmpty() && pluggedBy.contains(port->uuid) && port->owner() == OvnOwner::None) {
            const NetworkMismatch m = mismatchOf(NetworkMismatch::Kind::NoPortSecurity, *port, addresses.first());
            mismatches.insert(m.key(), m);
        }
    }
}

QString NetworkCorrelation::kindName(NetworkMismatch::Kind kind)
{
    switch (kind) {
    case NetworkMismatch::Kind::PortWithoutVm: return tr("Port without VM");
    case NetworkMismatch::Kind::NicWithoutPort: return tr("NIC without port");
    case NetworkMismatch::Kind::VlanDiffers: return tr("VLAN differs");
    case NetworkMismatch::Kind::BoundElsewhere: return tr("Bound elsewhere");
    case NetworkMismatch::Kind::Unbound: return tr("Port unbound");
    case NetworkMismatch::Kind::DuplicateAddress: return tr("Duplicate address");
    case NetworkMismatch::Kind::AddressOutsideSubnet: return tr("Address outside subnet");
    case NetworkMismatch::Kind::NoPortSecurity: return tr("No port security");
    }
    return {};
}

QString NetworkCorrelation::describe(const NetworkMismatch &m)
{
    switch (m.kind) {
    case NetworkMismatch::Kind::PortWithoutVm:
        return m.vmName.isEmpty()
                   ? tr("Port %1 on switch %2 has no VM NIC plugged into it.").arg(m.portName, m.switchName)
                   : tr("Port %1 on switch %2 is for VM %3, which has no NIC with that interface id.")
                         .arg(m.portName, m.switchName, m.vmName);
    case NetworkMismatch::Kind::NicWithoutPort:
        return tr("NIC %1 of %2 (interface id %3) has no port in the controller.").arg(m.mac, m.vmName, m.interfaceId);
    case NetworkMismatch::Kind::VlanDiffers:
        return m.libvirtVlan > 0
                   ? tr("NIC %1 of %2 is in VLAN %3 in libvirt but in VLAN %4 (switch %5) in the controller.")
                         .arg(m.mac, m.vmName)
                         .arg(m.libvirtVlan)
                         .arg(m.controllerVlan)
                         .arg(m.switchName)
                   : tr("NIC %1 of %2 has no VLAN in libvirt but is in VLAN %3 (switch %4) in the controller.")
                         .arg(m.mac, m.vmName)
                         .arg(m.controllerVlan)
                         .arg(m.switchName);
    case NetworkMismatch::Kind::BoundElsewhere:
        return tr("%1 runs on its host, but its port %2 is bound to chassis %3: its traffic goes there.")
            .arg(m.vmName, m.portName, m.chassis);
    case NetworkMismatch::Kind::Unbound:
        return tr("%1 is running, but no chassis has claimed its port %2: the NIC has no network. Is ovn-controller "
                  "running on its host?")
            .arg(m.vmName, m.portName);
    case NetworkMismatch::Kind::DuplicateAddress:
        return tr("Port %1 (%2) on switch %3 has %4, which port %5 has too: one of them gets no traffic.")
            .arg(m.portName, m.vmName.isEmpty() ? tr("no VM") : m.vmName, m.switchName, m.address, m.otherPort);
    case NetworkMismatch::Kind::AddressOutsideSubnet:
        return tr("Port %1 (%2) has %3, outside the subnet %4 of switch %5: DHCP does not give it and its traffic is not routed.")
            .arg(m.portName, m.vmName.isEmpty() ? tr("no VM") : m.vmName, m.address, m.subnet, m.switchName);
    case NetworkMismatch::Kind::NoPortSecurity:
        return tr("Port %1 of %2 has no port security: the VM can send from any MAC and IP address on switch %3.")
            .arg(m.portName, m.vmName, m.switchName);
    }
    return {};
}

} // namespace Vigie
