#include "logicalswitchmodel.h"

#include "itemmodels/roles.h"
#include "itemmodels/rowruns.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/subnetplan.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace Vigie {

namespace {

QString ownedBy(OvnOwner owner)
{
    return LogicalSwitchModel::tr("Owned by %1: read-only in Vigie. %2").arg(ovnOwnerName(owner), ovnOwnerAdvice(owner));
}

} // namespace

LogicalSwitchModel::LogicalSwitchModel(OvnNorthbound *northbound, NetworkCorrelation *correlation, QObject *parent)
    : QAbstractItemModel(parent)
    , m_northbound(northbound)
    , m_correlation(correlation)
{
    connect(northbound, &OvnNorthbound::switchAdded, this, &LogicalSwitchModel::noteSwitch);
    connect(northbound, &OvnNorthbound::switchChanged, this, &LogicalSwitchModel::noteSwitch);
    connect(northbound, &OvnNorthbound::switchRemoved, this, &LogicalSwitchModel::noteSwitch);
    connect(northbound, &OvnNorthbound::portAdded, this, &LogicalSwitchModel::notePort);
    connect(northbound, &OvnNorthbound::portChanged, this, &LogicalSwitchModel::notePort);
    connect(northbound, &OvnNorthbound::portRemoved, this, &LogicalSwitchModel::notePort);
    connect(northbound, &OvnNorthbound::changesApplied, this, &LogicalSwitchModel::sync);
    if (correlation)
        connect(correlation, &NetworkCorrelation::matchesUpdated, this,
                [this](const QList<NicPortMatch> &changed, const QList<NicPortMatch> &removed) {
                    QSet<QString> ports;
                    for (const QList<NicPortMatch> *list : {&changed, &removed}) {
                        for (const NicPortMatch &match : *list)
                            ports.insert(match.portUuid);
                    }
                    refreshPorts(ports);
                });
    for (const OvnLogicalSwitch &s : northbound->switches())
        m_touched.insert(s.uuid);
    sync();
    refreshCorrelated();
}

void LogicalSwitchModel::notePort(const OvnLogicalSwitchPort &port)
{
    if (!port.switchUuid.isEmpty())
        m_touched.insert(port.switchUuid);
    // A port that left its switch: the switch that listed it.
    if (const QString shown = m_shownIn.value(port.uuid); !shown.isEmpty())
        m_touched.insert(shown);
}

bool LogicalSwitchModel::switchLess(const QString &a, const QString &b) const
{
    const OvnLogicalSwitch sa = m_northbound->logicalSwitch(a);
    const OvnLogicalSwitch sb = m_northbound->logicalSwitch(b);
    return std::tuple(sa.isOverlay(), sa.vlanId, sa.name, sa.uuid) < std::tuple(sb.isOverlay(), sb.vlanId, sb.name, sb.uuid);
}

namespace {

// The localnet (uplink) port first, then the VM ports by name.
bool portRowLess(const OvnLogicalSwitchPort &a, const OvnLogicalSwitchPort &b)
{
    const bool aUplink = a.type == u"localnet";
    const bool bUplink = b.type == u"localnet";
    if (aUplink != bUplink)
        return aUplink;
    return a.name != b.name ? a.name < b.name : a.uuid < b.uuid;
}

} // namespace

bool LogicalSwitchModel::portLess(const QString &a, const QString &b) const
{
    // From the table itself: no port copied per comparison.
    const QHash<QString, OvnLogicalSwitchPort> &table = m_northbound->portTable();
    const auto pa = table.constFind(a);
    const auto pb = table.constFind(b);
    if (pa == table.cend() || pb == table.cend())
        return a < b; // not shown: the caller looks up only ports of the table
    return portRowLess(*pa, *pb);
}

void LogicalSwitchModel::sync()
{
    if (!m_northbound)
        return;
    const QSet<QString> touched = std::exchange(m_touched, {});
    for (const QString &uuid : touched) {
        syncSwitch(uuid);
        if (m_subnets.remove(uuid)) {
            if (const qsizetype row = m_switches.indexOf(uuid); row >= 0)
                Q_EMIT dataChanged(index(int(row), AddressesColumn), index(int(row), AddressesColumn));
        }
    }
}

const LogicalSwitchModel::SubnetSummary &LogicalSwitchModel::subnetSummary(const QString &switchUuid) const
{
    auto it = m_subnets.find(switchUuid);
    if (it != m_subnets.end())
        return *it;
    const SubnetPlan plan = SubnetPlan::ofSwitch(*m_northbound, switchUuid);
    SubnetSummary summary;
    if (plan.isValid()) {
        const quint64 free = plan.freeCount();
        summary.text = tr("%1 · %2 free").arg(plan.cidr()).arg(free);
        summary.toolTip = plan.gateway().isEmpty()
                              ? tr("Subnet %1: %2 address(es) used by ports, %3 free").arg(plan.cidr()).arg(plan.usedCount()).arg(free)
                              : tr("Subnet %1, gateway %2: %3 address(es) used by ports, %4 free")
                                    .arg(plan.cidr(), plan.gateway())
                                    .arg(plan.usedCount())
                                    .arg(free);
    } else {
        summary.toolTip = tr("No subnet known: neither other_config:subnet nor DHCP options.");
    }
    return *m_subnets.insert(switchUuid, summary);
}

void LogicalSwitchModel::syncSwitch(const QString &uuid)
{
    const OvnLogicalSwitch s = m_northbound->logicalSwitch(uuid);
    const qsizetype row = m_switches.indexOf(uuid);
    if (s.uuid.isEmpty()) {
        if (row < 0)
            return;
        beginRemoveRows({}, int(row), int(row));
        m_switches.removeAt(row);
        for (const QString &port : m_ports.take(uuid)) {
            if (m_shownIn.value(port) == uuid)
                m_shownIn.remove(port);
        }
        m_switchOfId.remove(m_ids.take(uuid));
        endRemoveRows();
        return;
    }
    // The same ports as shown (a port's own change): their rows change, nothing moves.
    const QStringList shown = m_ports.value(uuid);
    const bool sameMembers = row >= 0 && shown.size() == s.portUuids.size()
                             && QSet<QString>(shown.cbegin(), shown.cend()) == QSet<QString>(s.portUuids.cbegin(), s.portUuids.cend());
    QStringList wanted;
    if (!sameMembers) {
        const QHash<QString, OvnLogicalSwitchPort> &table = m_northbound->portTable();
        QList<const OvnLogicalSwitchPort *> known;
        known.reserve(s.portUuids.size());
        for (const QString &port : s.portUuids) {
            if (const auto it = table.constFind(port); it != table.cend())
                known.append(&it.value());
        }
        std::sort(known.begin(), known.end(), [](const OvnLogicalSwitchPort *a, const OvnLogicalSwitchPort *b) { return portRowLess(*a, *b); });
        wanted.reserve(known.size());
        for (const OvnLogicalSwitchPort *port : std::as_const(known))
            wanted.append(port->uuid);
    }
    if (row < 0) {
        const auto at = std::lower_bound(m_switches.cbegin(), m_switches.cend(), uuid,
                                         [this](const QString &a, const QString &b) { return switchLess(a, b); });
        const int position = int(at - m_switches.cbegin());
        beginInsertRows({}, position, position);
        m_switches.insert(position, uuid);
        m_ports.insert(uuid, wanted);
        for (const QString &port : std::as_const(wanted))
            m_shownIn.insert(port, uuid);
        m_ids.insert(uuid, m_nextId);
        m_switchOfId.insert(m_nextId++, uuid);
        endInsertRows();
        return;
    }
    const QModelIndex parent = index(int(row), 0);
    QStringList &ports = m_ports[uuid];
    if (!sameMembers) {
        const QSet<QString> wantedSet(wanted.cbegin(), wanted.cend());
        for (qsizetype i = ports.size() - 1; i >= 0; --i) {
            if (!wantedSet.contains(ports.at(i))) {
                beginRemoveRows(parent, int(i), int(i));
                if (m_shownIn.value(ports.at(i)) == uuid)
                    m_shownIn.remove(ports.at(i));
                ports.removeAt(i);
                endRemoveRows();
            }
        }
        const QSet<QString> have(ports.cbegin(), ports.cend());
        for (const QString &port : std::as_const(wanted)) {
            if (have.contains(port))
                continue;
            const auto at = std::lower_bound(ports.cbegin(), ports.cend(), port,
                                             [this](const QString &a, const QString &b) { return portLess(a, b); });
            const int position = int(at - ports.cbegin());
            beginInsertRows(parent, position, position);
            ports.insert(position, port);
            m_shownIn.insert(port, uuid);
            endInsertRows();
        }
    }
    Q_EMIT dataChanged(parent, parent.siblingAtColumn(ColumnCount - 1));
    if (!ports.isEmpty())
        Q_EMIT dataChanged(index(0, 0, parent), index(int(ports.size()) - 1, ColumnCount - 1, parent));
}

LogicalSwitchModel::PortVm LogicalSwitchModel::portVmOf(const NicPortMatch &match)
{
    return {match.vmName, match.chassis, match.bindingKnown, !match.chassisHostUri.isEmpty() && match.chassisHostUri != match.vm.hostUri};
}

void LogicalSwitchModel::refreshPorts(const QSet<QString> &portUuids)
{
    QHash<QString, QSet<QString>> changed; // switch uuid -> its ports whose VM changed
    for (const QString &port : portUuids) {
        const std::optional<NicPortMatch> match = m_correlation ? m_correlation->matchOfPort(port) : std::nullopt;
        const auto old = m_portVm.constFind(port);
        if (match) {
            const PortVm vm = portVmOf(*match);
            if (old != m_portVm.cend() && *old == vm)
                continue;
            m_portVm.insert(port, vm);
        } else if (old != m_portVm.cend()) {
            m_portVm.erase(old);
        } else {
            continue;
        }
        if (const QString sw = m_shownIn.value(port); !sw.isEmpty())
            changed[sw].insert(port);
    }
    // A switch's rows read once for all its ports that changed (a controller read again: 500
    // ports each), told in as few ranges as they make.
    for (auto it = changed.cbegin(); it != changed.cend(); ++it) {
        const qsizetype parentRow = m_switches.indexOf(it.key());
        if (parentRow < 0)
            continue;
        const QStringList ports = m_ports.value(it.key());
        QList<int> rows;
        for (qsizetype row = 0; row < ports.size(); ++row) {
            if (it->contains(ports.at(row)))
                rows.append(int(row));
        }
        const QModelIndex parent = index(int(parentRow), 0);
        forEachRowRun(rows, [&](int first, int last) { Q_EMIT dataChanged(index(first, VmColumn, parent), index(last, ChassisColumn, parent)); });
    }
}

void LogicalSwitchModel::refreshCorrelated()
{
    QHash<QString, PortVm> ports;
    if (m_correlation) {
        for (const NicPortMatch &match : m_correlation->matches()) {
            if (!ports.contains(match.portUuid))
                ports.insert(match.portUuid, portVmOf(*m_correlation->matchOfPort(match.portUuid)));
        }
    }
    if (ports == m_portVm)
        return;
    m_portVm = ports;
    for (int row = 0; row < m_switches.size(); ++row) {
        const qsizetype children = m_ports.value(m_switches.at(row)).size();
        const QModelIndex parent = index(row, 0);
        if (children > 0)
            Q_EMIT dataChanged(index(0, VmColumn, parent), index(int(children) - 1, ChassisColumn, parent));
    }
}

QModelIndex LogicalSwitchModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_switches.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_switches.size())
        return {};
    const QString uuid = m_switches.at(parent.row());
    if (row >= m_ports.value(uuid).size())
        return {};
    return createIndex(row, column, m_ids.value(uuid));
}

QModelIndex LogicalSwitchModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const qsizetype row = m_switches.indexOf(m_switchOfId.value(child.internalId()));
    return row < 0 ? QModelIndex() : createIndex(int(row), 0, quintptr(0));
}

int LogicalSwitchModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_switches.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= m_switches.size())
        return 0;
    return int(m_ports.value(m_switches.at(parent.row())).size());
}

int LogicalSwitchModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QModelIndex LogicalSwitchModel::switchIndex(const QString &switchUuid) const
{
    const qsizetype row = m_switches.indexOf(switchUuid);
    return row < 0 ? QModelIndex() : index(int(row), 0);
}

QVariant LogicalSwitchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_northbound)
        return {};
    if (index.internalId() == 0)
        return switchData(m_switches.at(index.row()), index.column(), role);
    const QString switchUuid = m_switchOfId.value(index.internalId());
    return portData(switchUuid, m_ports.value(switchUuid).value(index.row()), index.column(), role);
}

QVariant LogicalSwitchModel::switchData(const QString &uuid, int column, int role) const
{
    const OvnLogicalSwitch s = m_northbound->logicalSwitch(uuid);
    if (role == SwitchUuidRole)
        return uuid;
    if (role == IsSwitchRole)
        return true;
    const int vmPorts = int(std::count_if(m_ports.value(uuid).cbegin(), m_ports.value(uuid).cend(), [this](const QString &p) {
        return m_northbound->port(p).type.isEmpty();
    }));
    if (role == Qt::ToolTipRole) {
        QString tip = s.isVlan() ? tr("Logical switch %1: VLAN %2 on physical network %3 (localnet port %4), %n VM port(s)", nullptr, vmPorts)
                                       .arg(s.name)
                                       .arg(s.vlanId)
                                       .arg(s.networkName, s.localnetPort)
                                 : tr("Logical switch %1: overlay network (no VLAN), %n VM port(s)", nullptr, vmPorts).arg(s.name);
        tip += u'\n' + subnetSummary(uuid).toolTip;
        if (s.owner() != OvnOwner::None)
            tip += u'\n' + ownedBy(s.owner());
        return tip;
    }
    if (role == OwnerRole)
        return ovnOwnerName(s.owner());
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    // Neutron's switches by their network's name ("neutron-<uuid>" stays in the tooltip), as
    // Vigie names VLANs elsewhere; the owner's project or tenant.
    case NameColumn: return s.displayName();
    case VlanColumn: return s.isVlan() ? QVariant(s.vlanId) : QVariant(tr("overlay"));
    case TenantColumn: return s.tenant();
    case VmColumn: return tr("%n VM port(s)", nullptr, vmPorts);
    case AddressesColumn: return subnetSummary(uuid).text;
    default: return {};
    }
}

QVariant LogicalSwitchModel::portData(const QString &switchUuid, const QString &portUuid, int column, int role) const
{
    const OvnLogicalSwitchPort p = m_northbound->port(portUuid);
    if (role == SwitchUuidRole)
        return switchUuid;
    if (role == PortUuidRole)
        return portUuid;
    if (role == IsSwitchRole)
        return false;
    const PortVm plugged = m_portVm.value(portUuid);
    const QString &vm = plugged.vmName;
    if (role == Qt::ToolTipRole && column == ChassisColumn && p.type.isEmpty())
        return chassisToolTip(plugged);
    if (role == OwnerRole)
        return ovnOwnerName(p.owner());
    if (role == Qt::ToolTipRole) {
        QStringList lines{tr("Port %1 (%2)").arg(p.name, p.type.isEmpty() ? tr("VM port") : p.type)};
        if (p.owner() != OvnOwner::None)
            lines.append(ownedBy(p.owner()));
        for (auto it = p.externalIds.cbegin(); it != p.externalIds.cend(); ++it)
            lines.append(QStringLiteral("external_ids:%1=%2").arg(it.key(), it.value()));
        if (p.type.isEmpty() && vm.isEmpty())
            lines.append(tr("No known VM NIC has this interface id."));
        return lines.join(u'\n');
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case NameColumn: return p.name;
    case VlanColumn: return p.tag >= 0 ? QVariant(p.tag) : QVariant();
    case TenantColumn: return p.tenant();
    case VmColumn:
        if (!p.type.isEmpty())
            return p.type;
        return vm.isEmpty() ? (p.vm().isEmpty() ? tr("no VM") : tr("%1 (not found)").arg(p.vm())) : vm;
    case AddressesColumn: return p.addresses.join(QStringLiteral(", "));
    case ChassisColumn:
        if (!plugged.bindingKnown)
            return {};
        if (plugged.chassis.isEmpty())
            return tr("unbound");
        return plugged.elsewhere ? tr("%1 (elsewhere)").arg(plugged.chassis) : plugged.chassis;
    case StatusColumn:
        if (!p.enabled)
            return tr("disabled");
        if (!p.up.has_value())
            return tr("unclaimed");
        return *p.up ? tr("up") : tr("down");
    default: return {};
    }
}

QString LogicalSwitchModel::chassisToolTip(const PortVm &port)
{
    if (port.vmName.isEmpty())
        return tr("No known VM NIC has this port");
    if (!port.bindingKnown)
        return tr("Binding unknown: Vigie does not read the controller's southbound database");
    if (port.chassis.isEmpty())
        return tr("No chassis has claimed the port: %1's NIC has no network").arg(port.vmName);
    return port.elsewhere ? tr("Bound to chassis %1, not the host %2 runs on: its traffic goes there").arg(port.chassis, port.vmName)
                          : tr("Bound to chassis %1, the host %2 runs on").arg(port.chassis, port.vmName);
}

QVariant LogicalSwitchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Switch / port");
    case VlanColumn: return tr("VLAN");
    case TenantColumn: return tr("Tenant");
    case VmColumn: return tr("VM");
    case AddressesColumn: return tr("Addresses");
    case StatusColumn: return tr("Status");
    case ChassisColumn: return tr("Bound to");
    default: return {};
    }
}

} // namespace Vigie
