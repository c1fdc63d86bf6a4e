#include "ovnnorthbound.h"

#include "network/ovnpolicy.h"
#include "network/ovntext.h"
#include "network/ovsdbclient.h"

#include <QSet>

#include <algorithm>

namespace Vigie {

namespace {

const QString LogicalSwitch = QStringLiteral("Logical_Switch");
const QString LogicalSwitchPort = QStringLiteral("Logical_Switch_Port");
const QString DhcpOptions = QStringLiteral("DHCP_Options");

int portTag(const OvsdbRow &row)
{
    const OvsdbDatum tag = row.value(QStringLiteral("tag"));
    if (!tag.isEmpty())
        return int(tag.toInteger(-1));
    const OvsdbDatum request = row.value(QStringLiteral("tag_request"));
    return request.isEmpty() ? -1 : int(request.toInteger(-1));
}

} // namespace

OvnNorthbound::OvnNorthbound(QObject *parent)
    : QObject(parent)
{
}

QHash<QString, QStringList> OvnNorthbound::monitoredTables()
{
    // The security policy's tables (OvnPolicy) come with the same monitor, and the switches'
    // ACLs with the switch.
    QHash<QString, QStringList> tables = OvnPolicy::monitoredTables();
    tables.insert({
        {LogicalSwitch,
         {QStringLiteral("name"), QStringLiteral("ports"), QStringLiteral("external_ids"), QStringLiteral("other_config"), QStringLiteral("acls")}},
        {LogicalSwitchPort,
         {QStringLiteral("name"), QStringLiteral("addresses"), QStringLiteral("port_security"), QStringLiteral("dynamic_addresses"),
          QStringLiteral("type"), QStringLiteral("tag"), QStringLiteral("tag_request"), QStringLiteral("up"), QStringLiteral("enabled"),
          QStringLiteral("options"), QStringLiteral("external_ids"), QStringLiteral("dhcpv4_options")}},
        {DhcpOptions, {QStringLiteral("cidr"), QStringLiteral("options"), QStringLiteral("external_ids")}},
    });
    return tables;
}

void OvnNorthbound::attach(OvsdbClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    client->setDatabase(QStringLiteral("OVN_Northbound"));
    client->setMonitoredTables(monitoredTables());
    connect(client, &OvsdbClient::cacheChanged, this, [this](const OvsdbChangeSet &changes) {
        if (m_client)
            applyChanges(m_client->cache(), changes);
    });
}

OvnLogicalSwitch OvnNorthbound::switchByName(const QString &name) const
{
    for (const OvnLogicalSwitch &s : m_switches) {
        if (s.name == name)
            return s;
    }
    return {};
}

OvnLogicalSwitchPort OvnNorthbound::portByName(const QString &name) const
{
    for (const OvnLogicalSwitchPort &p : m_ports) {
        if (p.name == name)
            return p;
    }
    return {};
}

void OvnNorthbound::applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes)
{
    const QHash<QString, OvsdbChangeSet::Kind> switchChanges = changes.table(LogicalSwitch);
    const QHash<QString, OvsdbChangeSet::Kind> portChanges = changes.table(LogicalSwitchPort);
    const QHash<QString, OvsdbChangeSet::Kind> dhcpChanges = changes.table(DhcpOptions);
    for (auto it = dhcpChanges.cbegin(); it != dhcpChanges.cend(); ++it) {
        const OvsdbRow *row = cache.row(DhcpOptions, it.key());
        if (!row) {
            m_dhcpOptions.remove(it.key());
            continue;
        }
        m_dhcpOptions.insert(it.key(), OvnDhcpOptions{it.key(), OvnText::bounded(row->value(QStringLiteral("cidr")).toString()),
                                                      OvnText::boundedMap(row->value(QStringLiteral("options")).toStringMap()),
                                                      OvnText::boundedMap(row->value(QStringLiteral("external_ids")).toStringMap())});
    }
    if (!dhcpChanges.isEmpty()) {
        m_dhcpOfSwitch.clear();
        Q_EMIT dhcpOptionsChanged();
    }
    if (switchChanges.isEmpty() && portChanges.isEmpty()) {
        if (!dhcpChanges.isEmpty())
            Q_EMIT changesApplied();
        return;
    }

    QSet<QString> switches;
    QSet<QString> ports;
    // Membership: a changed switch may have gained or lost ports. Its ports carry its name: all
    // of them are derived again when it is new, gone or renamed, else only those that came or
    // went (a port moved between two switches of 200 ports is one port, not 400).
    for (auto it = switchChanges.cbegin(); it != switchChanges.cend(); ++it) {
        const QString &uuid = it.key();
        switches.insert(uuid);
        const auto old = m_switches.constFind(uuid);
        const OvsdbRow *row = cache.row(LogicalSwitch, uuid);
        const QStringList now = row ? row->value(QStringLiteral("ports")).toStringList() : QStringList{};
        const QStringList before = old == m_switches.cend() ? QStringList{} : old->portUuids;
        const bool whole = !row || old == m_switches.cend()
                           || old->name != OvnText::bounded(row->value(QStringLiteral("name")).toString());
        const QSet<QString> nowSet(now.cbegin(), now.cend());
        const QSet<QString> beforeSet(before.cbegin(), before.cend());
        for (const QString &port : before) {
            if (whole || !nowSet.contains(port))
                ports.insert(port);
            if (!nowSet.contains(port) && m_portSwitch.value(port) == uuid)
                m_portSwitch.remove(port);
        }
        for (const QString &port : now) {
            if (whole || !beforeSet.contains(port))
                ports.insert(port);
            m_portSwitch.insert(port, uuid);
        }
    }
    // A changed port may change its switch's localnet (VLAN id, network name), and its DHCP row.
    for (auto it = portChanges.cbegin(); it != portChanges.cend(); ++it) {
        ports.insert(it.key());
        const QString owner = m_portSwitch.value(it.key());
        if (!owner.isEmpty())
            switches.insert(owner);
        const QString previous = m_ports.value(it.key()).switchUuid;
        if (!previous.isEmpty())
            switches.insert(previous);
    }

    // A switch whose ports now vote for another DHCP row is changed too (its subnet may be).
    QHash<QString, QString> dhcpBefore;
    for (const QString &uuid : std::as_const(switches)) {
        if (const auto known = m_dhcpOfSwitch.constFind(uuid); known != m_dhcpOfSwitch.cend()) {
            dhcpBefore.insert(uuid, *known);
            m_dhcpOfSwitch.erase(known);
        }
    }
    QList<OvnLogicalSwitch> added, changed, removed;
    for (const QString &uuid : std::as_const(switches)) {
        const OvsdbRow *row = cache.row(LogicalSwitch, uuid);
        const auto old = m_switches.constFind(uuid);
        if (!row) {
            if (old != m_switches.cend()) {
                removed.append(*old);
                m_switches.erase(old);
            }
            continue;
        }
        OvnLogicalSwitch s;
        s.uuid = uuid;
        s.name = OvnText::bounded(row->value(QStringLiteral("name")).toString());
        s.portUuids = row->value(QStringLiteral("ports")).toStringList();
        s.externalIds = OvnText::boundedMap(row->value(QStringLiteral("external_ids")).toStringMap());
        s.otherConfig = OvnText::boundedMap(row->value(QStringLiteral("other_config")).toStringMap());
        // Several localnet ports are unusual; the tagged one with the smallest name wins, so the
        // result does not depend on hash order.
        for (const QString &portUuid : std::as_const(s.portUuids)) {
            const OvsdbRow *port = cache.row(LogicalSwitchPort, portUuid);
            if (!port || port->value(QStringLiteral("type")).toString() != u"localnet")
                continue;
            const int tag = portTag(*port);
            const QString name = OvnText::bounded(port->value(QStringLiteral("name")).toString());
            const bool better = s.localnetPort.isEmpty() || (tag > 0 && s.vlanId <= 0) || ((tag > 0) == (s.vlanId > 0) && name < s.localnetPort);
            if (better) {
                s.localnetPort = name;
                s.vlanId = std::max(tag, 0);
                s.networkName = OvnText::bounded(port->value(QStringLiteral("options")).value(QStringLiteral("network_name")));
            }
        }
        if (old == m_switches.cend())
            added.append(s);
        else if (!(*old == s))
            changed.append(s);
        m_switches.insert(uuid, s);
    }

    QList<OvnLogicalSwitchPort> portsAdded, portsChanged, portsRemoved;
    for (const QString &uuid : std::as_const(ports)) {
        const OvsdbRow *row = cache.row(LogicalSwitchPort, uuid);
        const auto old = m_ports.constFind(uuid);
        if (!row) {
            m_portSwitch.remove(uuid);
            if (old != m_ports.cend()) {
                portsRemoved.append(*old);
                m_ports.erase(old);
            }
            continue;
        }
        OvnLogicalSwitchPort p;
        p.uuid = uuid;
        p.name = OvnText::bounded(row->value(QStringLiteral("name")).toString());
        p.switchUuid = m_portSwitch.value(uuid);
        p.switchName = m_switches.value(p.switchUuid).name;
        p.addresses = OvnText::boundedList(row->value(QStringLiteral("addresses")).toStringList(), OvnText::MaxValue);
        p.portSecurity = OvnText::boundedList(row->value(QStringLiteral("port_security")).toStringList(), OvnText::MaxValue);
        p.dynamicAddresses = OvnText::bounded(row->value(QStringLiteral("dynamic_addresses")).toString(), OvnText::MaxValue);
        p.type = OvnText::bounded(row->value(QStringLiteral("type")).toString());
        p.dhcpv4Options = row->value(QStringLiteral("dhcpv4_options")).toString();
        p.tag = portTag(*row);
        const OvsdbDatum up = row->value(QStringLiteral("up"));
        if (!up.isEmpty())
            p.up = up.toBool();
        p.enabled = row->value(QStringLiteral("enabled")).toBool(true);
        p.options = OvnText::boundedMap(row->value(QStringLiteral("options")).toStringMap());
        p.externalIds = OvnText::boundedMap(row->value(QStringLiteral("external_ids")).toStringMap());
        if (old == m_ports.cend())
            portsAdded.append(p);
        else if (!(*old == p))
            portsChanged.append(p);
        m_ports.insert(uuid, p);
    }

    for (auto it = dhcpBefore.cbegin(); it != dhcpBefore.cend(); ++it) {
        const auto now = m_switches.constFind(it.key());
        const bool listed = std::any_of(changed.cbegin(), changed.cend(), [&](const OvnLogicalSwitch &s) { return s.uuid == it.key(); });
        if (now != m_switches.cend() && !listed && dhcpOptionsOf(it.key()) != it.value())
            changed.append(*now);
    }
    for (const OvnLogicalSwitch &s : std::as_const(added))
        Q_EMIT switchAdded(s);
    for (const OvnLogicalSwitch &s : std::as_const(changed))
        Q_EMIT switchChanged(s);
    for (const OvnLogicalSwitchPort &p : std::as_const(portsAdded))
        Q_EMIT portAdded(p);
    for (const OvnLogicalSwitchPort &p : std::as_const(portsChanged))
        Q_EMIT portChanged(p);
    for (const OvnLogicalSwitchPort &p : std::as_const(portsRemoved))
        Q_EMIT portRemoved(p);
    for (const OvnLogicalSwitch &s : std::as_const(removed))
        Q_EMIT switchRemoved(s);
    Q_EMIT changesApplied();
}

QString OvnNorthbound::dhcpOptionsOf(const QString &switchUuid) const
{
    if (const auto known = m_dhcpOfSwitch.constFind(switchUuid); known != m_dhcpOfSwitch.cend())
        return *known;
    QHash<QString, int> votes;
    const auto logicalSwitch = m_switches.constFind(switchUuid);
    if (logicalSwitch == m_switches.cend())
        return {};
    // Walked on every change set (the VLANs' subnets are published from it): no port is copied.
    for (const QString &port : logicalSwitch->portUuids) {
        const auto it = m_ports.constFind(port);
        if (it != m_ports.cend() && !it->dhcpv4Options.isEmpty() && m_dhcpOptions.contains(it->dhcpv4Options))
            ++votes[it->dhcpv4Options];
    }
    QString best;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        if (best.isEmpty() || it.value() > votes.value(best) || (it.value() == votes.value(best) && it.key() < best))
            best = it.key();
    }
    // No port served yet: the row Vigie made for the switch, if any.
    for (auto it = m_dhcpOptions.cbegin(); best.isEmpty() && it != m_dhcpOptions.cend(); ++it) {
        if (it->externalIds.value(OvnDhcpOptions::SwitchKey) == switchUuid)
            best = it.key();
    }
    if (logicalSwitch != m_switches.cend())
        m_dhcpOfSwitch.insert(switchUuid, best);
    return best;
}

QString OvnNorthbound::subnetOf(const QString &switchUuid) const
{
    const QString subnet = m_switches.value(switchUuid).otherConfig.value(QStringLiteral("subnet"));
    if (!subnet.isEmpty())
        return subnet;
    return m_dhcpOptions.value(dhcpOptionsOf(switchUuid)).cidr;
}

} // namespace Vigie
