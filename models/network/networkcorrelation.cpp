#include "networkcorrelation.h"

#include "inventory/inventory.h"
#include "network/ovnnorthbound.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace Vigie {

namespace {

QString matchKey(const VmKey &vm, const QString &mac)
{
    return vm.hostUri + u'|' + vm.uuid + u'|' + mac.toLower();
}

} // namespace

NetworkCorrelation::NetworkCorrelation(Inventory *inventory, OvnNorthbound *northbound, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_northbound(northbound)
{
    qRegisterMetaType<NetworkMismatch>();
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &NetworkCorrelation::refresh);
    connect(inventory, &Inventory::vmAdded, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vmChanged, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, &NetworkCorrelation::schedule);
    connect(inventory, &Inventory::vlansChanged, this, &NetworkCorrelation::schedule);
    connect(northbound, &OvnNorthbound::changesApplied, this, &NetworkCorrelation::schedule);
}

void NetworkCorrelation::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
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

void NetworkCorrelation::refresh()
{
    m_timer.stop();
    QHash<QString, NicPortMatch> matches;
    QHash<QString, NetworkMismatch> mismatches;
    if (m_enabled && m_northbound) {
        // Ports by name and by iface-id: a NIC's interfaceid is either. Pointers into the
        // mapping's own table: no port is copied.
        const QHash<QString, OvnLogicalSwitchPort> &ports = m_northbound->portTable();
        const QHash<QString, OvnLogicalSwitch> &switches = m_northbound->switchTable();
        QHash<QString, const OvnLogicalSwitchPort *> byName;
        QHash<QString, const OvnLogicalSwitchPort *> byIfaceId;
        byName.reserve(ports.size());
        for (const OvnLogicalSwitchPort &port : ports) {
            byName.insert(port.name, &port);
            const auto ifaceId = port.externalIds.constFind(QStringLiteral("iface-id"));
            if (ifaceId != port.externalIds.cend() && !ifaceId->isEmpty())
                byIfaceId.insert(*ifaceId, &port);
        }
        const auto vlanOf = [&switches](const QString &switchUuid) {
            const auto it = switches.constFind(switchUuid);
            return it == switches.cend() ? 0 : it->vlanId;
        };
        QSet<QString> plugged; // port uuids with a NIC
        const QList<VmKey> keys = m_inventory->vmKeys();
        for (const VmKey &key : keys) {
            const VmInfo *vm = m_inventory->findVm(key);
            if (!vm)
                continue;
            for (const NicInfo &nic : vm->nics) {
                if (nic.interfaceId.isEmpty())
                    continue; // not an Open vSwitch port: the controller does not see it
                NetworkMismatch base;
                base.vm = key;
                base.vmName = vm->name;
                base.mac = nic.mac;
                base.interfaceId = nic.interfaceId;
                const OvnLogicalSwitchPort *port = byName.value(nic.interfaceId);
                if (!port)
                    port = byIfaceId.value(nic.interfaceId);
                if (!port) {
                    base.kind = NetworkMismatch::Kind::NicWithoutPort;
                    mismatches.insert(base.key(), base);
                    continue;
                }
                NicPortMatch match;
                match.vm = key;
                match.vmName = vm->name;
                match.mac = nic.mac;
                match.interfaceId = nic.interfaceId;
                match.libvirtVlans = m_inventory->nicVlans(key.hostUri, nic);
                match.portUuid = port->uuid;
                match.portName = port->name;
                match.switchUuid = port->switchUuid;
                match.switchName = port->switchName;
                match.controllerVlan = vlanOf(port->switchUuid);
                matches.insert(matchKey(key, nic.mac), match);
                plugged.insert(port->uuid);
                if (match.controllerVlan > 0 && match.libvirtVlans != QList<int>{match.controllerVlan}) {
                    base.kind = NetworkMismatch::Kind::VlanDiffers;
                    base.portName = port->name;
                    base.switchName = port->switchName;
                    base.libvirtVlan = match.libvirtVlans.value(0);
                    base.controllerVlan = match.controllerVlan;
                    mismatches.insert(base.key(), base);
                }
            }
        }
        for (const OvnLogicalSwitchPort &port : ports) {
            if (!port.type.isEmpty() || plugged.contains(port.uuid))
                continue;
            NetworkMismatch m;
            m.kind = NetworkMismatch::Kind::PortWithoutVm;
            m.vmName = port.vm();
            m.portName = port.name;
            m.switchName = port.switchName;
            m.controllerVlan = vlanOf(port.switchUuid);
            mismatches.insert(m.key(), m);
        }
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

QString NetworkCorrelation::kindName(NetworkMismatch::Kind kind)
{
    switch (kind) {
    case NetworkMismatch::Kind::PortWithoutVm: return tr("Port without VM");
    case NetworkMismatch::Kind::NicWithoutPort: return tr("NIC without port");
    case NetworkMismatch::Kind::VlanDiffers: return tr("VLAN differs");
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
    }
    return {};
}

} // namespace Vigie
