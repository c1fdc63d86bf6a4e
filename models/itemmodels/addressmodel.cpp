#include "addressmodel.h"

#include "itemmodels/roles.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"

#include <QLocale>

#include <bit>

namespace Vigie {

using Kind = SubnetPlan::Span::Kind;

AddressModel::AddressModel(NetworkController *controller, QObject *parent)
    : QAbstractTableModel(parent)
    , m_controller(controller)
{
    const OvnNorthbound *nb = controller->northbound();
    connect(nb, &OvnNorthbound::switchChanged, this, [this](const OvnLogicalSwitch &s) { noteSwitch(s.uuid); });
    connect(nb, &OvnNorthbound::switchRemoved, this, [this](const OvnLogicalSwitch &s) { noteSwitch(s.uuid); });
    connect(nb, &OvnNorthbound::switchAdded, this, [this](const OvnLogicalSwitch &s) { noteSwitch(s.uuid); });
    for (auto signal : {&OvnNorthbound::portAdded, &OvnNorthbound::portChanged, &OvnNorthbound::portRemoved})
        connect(nb, signal, this, [this](const OvnLogicalSwitchPort &p) { notePort(p.uuid, p.switchUuid); });
    // A switch's subnet, gateway and DHCP server may live in a DHCP_Options row.
    connect(nb, &OvnNorthbound::dhcpOptionsChanged, this, [this] { m_dirty = !m_switch.isEmpty(); });
    connect(nb, &OvnNorthbound::changesApplied, this, &AddressModel::applyIfDirty);
    // Which VM has a port: the VM, NIC columns.
    connect(controller->correlation(), &NetworkCorrelation::matchesChanged, this, &AddressModel::refresh);
}

void AddressModel::noteSwitch(const QString &switchUuid)
{
    if (!m_switch.isEmpty() && switchUuid == m_switch)
        m_dirty = true;
}

void AddressModel::notePort(const QString &portUuid, const QString &switchUuid)
{
    // A port that joined the switch, left it (it was listed), or changed in it.
    if (!m_switch.isEmpty() && (switchUuid == m_switch || m_ports.contains(portUuid)))
        m_dirty = true;
}

void AddressModel::applyIfDirty()
{
    if (m_dirty)
        refresh();
}

void AddressModel::setSwitch(const QString &switchUuid)
{
    if (switchUuid == m_switch && !m_dirty)
        return;
    beginResetModel();
    m_switch = switchUuid;
    m_rows = compute(&m_summary);
    m_dirty = false;
    endResetModel();
    Q_EMIT summaryChanged(m_summary);
}

QList<AddressModel::Row> AddressModel::compute(QString *summary)
{
    m_ports.clear();
    if (m_switch.isEmpty()) {
        *summary = tr("Choose a VLAN.");
        return {};
    }
    const OvnNorthbound *nb = m_controller->northbound();
    const OvnLogicalSwitch logicalSwitch = nb->logicalSwitch(m_switch);
    if (logicalSwitch.uuid.isEmpty()) {
        *summary = tr("This switch no longer exists.");
        return {};
    }
    QHash<QString, OvnLogicalSwitchPort> byName;
    for (const QString &uuid : logicalSwitch.portUuids) {
        m_ports.insert(uuid);
        const OvnLogicalSwitchPort port = nb->port(uuid);
        if (!port.uuid.isEmpty())
            byName.insert(port.name, port);
    }
    const SubnetPlan plan = SubnetPlan::ofSwitch(*nb, m_switch);
    m_ipv6 = plan.isIpv6();
    if (!plan.isValid()) {
        *summary = plan.problem().isEmpty() ? tr("The switch has no subnet.") : plan.problem();
        return {};
    }
    const OvnDhcpOptions dhcp = nb->dhcpOptions(nb->dhcpOptionsOf(m_switch));
    QStringList parts{tr("Subnet %1").arg(plan.cidr())};
    parts.append(plan.gateway().isEmpty() ? tr("no gateway") : tr("gateway %1").arg(plan.gateway()));
    if (const QString excluded = logicalSwitch.otherConfig.value(QStringLiteral("exclude_ips")); !excluded.isEmpty())
        parts.append(tr("excluded %1").arg(excluded.left(200)));
    if (dhcp.uuid.isEmpty()) {
        parts.append(tr("no DHCP options"));
    } else {
        if (const QString dns = dhcp.options.value(QStringLiteral("dns_server")); !dns.isEmpty())
            parts.append(tr("DNS %1").arg(dns.left(100)));
        if (const QString lease = dhcp.options.value(QStringLiteral("lease_time")); !lease.isEmpty())
            parts.append(tr("lease %1 s").arg(lease.left(20)));
    }
    parts.append(tr("%n used", nullptr, plan.usedCount()));
    parts.append(freeText(plan.freeCount(), plan.isIpv6()));
    *summary = parts.join(QStringLiteral(" · "));

    QList<Row> rows;
    const NetworkCorrelation *correlation = m_controller->correlation();
    for (const SubnetPlan::Span &span : plan.spans()) {
        Row row;
        row.span = span;
        if (span.kind == Kind::Used || span.kind == Kind::Outside) {
            const OvnLogicalSwitchPort port = byName.value(span.by);
            row.portUuid = port.uuid;
            row.portName = span.by;
            row.mac = port.mac();
            row.owner = port.owner() == OvnOwner::None ? tr("Vigie") : ovnOwnerName(port.owner());
            if (const std::optional<NicPortMatch> match = correlation->matchOfPort(port.uuid)) {
                row.vm = match->vm;
                row.vmName = match->vmName;
                row.mac = match->mac;
            } else if (!port.isVmPort()) {
                row.vmName = tr("(%1 port)").arg(port.type);
            } else {
                row.vmName = port.vm();
            }
        }
        rows.append(row);
    }
    return rows;
}

void AddressModel::refresh()
{
    if (m_switch.isEmpty())
        return;
    QString summary;
    const QList<Row> rows = compute(&summary);
    m_dirty = false;
    const QList<Row> old = m_rows;
    // Rows keep their identity by kind and first address: the common head and tail stay, the
    // middle is replaced (an address assigned: one free range becomes free, used, free).
    auto same = [](const Row &a, const Row &b) { return a.span.kind == b.span.kind && a.span.first == b.span.first; };
    const qsizetype common = std::min(old.size(), rows.size());
    qsizetype head = 0;
    while (head < common && same(old.at(head), rows.at(head)))
        ++head;
    qsizetype tail = 0;
    while (tail < common - head && same(old.at(old.size() - 1 - tail), rows.at(rows.size() - 1 - tail)))
        ++tail;
    const qsizetype removed = old.size() - head - tail;
    const qsizetype inserted = rows.size() - head - tail;
    if (removed > 0) {
        beginRemoveRows({}, int(head), int(head + removed - 1));
        m_rows.remove(head, removed);
        endRemoveRows();
    }
    if (inserted > 0) {
        beginInsertRows({}, int(head), int(head + inserted - 1));
        m_rows.insert(head, inserted, Row{});
        for (qsizetype i = 0; i < inserted; ++i)
            m_rows[head + i] = rows.at(head + i);
        endInsertRows();
    }
    m_rows = rows;
    auto changed = [this](qsizetype row) { Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1)); };
    for (qsizetype i = 0; i < head; ++i) {
        if (!(old.at(i) == rows.at(i)))
            changed(i);
    }
    for (qsizetype i = 0; i < tail; ++i) {
        if (!(old.at(old.size() - 1 - i) == rows.at(rows.size() - 1 - i)))
            changed(rows.size() - 1 - i);
    }
    if (summary != m_summary) {
        m_summary = summary;
        Q_EMIT summaryChanged(m_summary);
    }
}

int AddressModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AddressModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AddressModel::freeText(quint64 count, bool ipv6)
{
    if (count <= quint64(std::numeric_limits<int>::max()))
        return tr("%n free", nullptr, int(count));
    // An IPv6 range: its size as a power of two, the operator cares about the order only.
    Q_UNUSED(ipv6)
    return tr("about 2^%1 free").arg(std::bit_width(count) - 1);
}

QVariant AddressModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const SubnetPlan::Span &span = row.span;
    const QString range = span.first == span.last ? span.first : QStringLiteral("%1–%2").arg(span.first, span.last);
    auto status = [&]() -> QString {
        switch (span.kind) {
        case Kind::Network: return m_ipv6 ? tr("subnet (anycast)") : tr("network");
        case Kind::Broadcast: return tr("broadcast");
        case Kind::Gateway: return tr("gateway");
        case Kind::Reserved: return tr("DHCP server");
        case Kind::Excluded: return tr("excluded (%n)", nullptr, int(std::min<quint64>(span.count, std::numeric_limits<int>::max())));
        case Kind::Used: return tr("used");
        case Kind::Free: return freeText(span.count, m_ipv6);
        case Kind::Outside: return tr("outside the subnet");
        }
        return {};
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case AddressColumn: return range;
        case StatusColumn: return status();
        case VmColumn: return row.vmName;
        case NicColumn: return row.mac;
        case PortColumn: return row.portName;
        case OwnerColumn: return row.owner;
        }
        return {};
    case Qt::ToolTipRole:
        if (span.kind == Kind::Used || span.kind == Kind::Outside)
            return row.vmName.isEmpty() ? tr("%1: port %2 (%3)").arg(range, row.portName, row.owner)
                                        : tr("%1: %2, NIC %3, port %4 (%5)").arg(range, row.vmName, row.mac, row.portName, row.owner);
        if (span.kind == Kind::Excluded)
            return tr("%1: excluded from the switch's addresses (other_config:exclude_ips); OVN's IPAM and Vigie give none of them.").arg(range);
        if (span.kind == Kind::Free)
            return tr("%1: %2, none of them a port's, excluded or reserved.").arg(range, freeText(span.count, m_ipv6));
        return QStringLiteral("%1: %2").arg(range, status());
    case OwnerRole: // another system's port: read-only
        return row.owner == tr("Vigie") ? QString() : row.owner;
    case SearchTextRole:
        return QStringList{range, status(), row.vmName, row.mac, row.portName, row.owner}.join(u' ');
    }
    return {};
}

QVariant AddressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AddressColumn: return tr("Address");
    case StatusColumn: return tr("Status");
    case VmColumn: return tr("VM");
    case NicColumn: return tr("NIC (MAC)");
    case PortColumn: return tr("Port");
    case OwnerColumn: return tr("Owner");
    }
    return {};
}

SubnetPlan::Span AddressModel::spanAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).span : SubnetPlan::Span{};
}

VmKey AddressModel::vmAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).vm : VmKey{};
}

QString AddressModel::macAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).mac : QString();
}

} // namespace Vigie
