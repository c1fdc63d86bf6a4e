#include "subneteditor.h"

#include "network/networkcontroller.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbops.h"
#include "network/subnetplan.h"

#include <QHostAddress>
#include <QPointer>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace Vigie {

using namespace OvsdbOps;

namespace {

const QString LogicalSwitch = QStringLiteral("Logical_Switch");
const QString LogicalSwitchPort = QStringLiteral("Logical_Switch_Port");
const QString DhcpOptions = QStringLiteral("DHCP_Options");
const QString OtherConfig = QStringLiteral("other_config");
const QString Options = QStringLiteral("options");
const QString Cidr = QStringLiteral("cidr");
const QString Dhcpv4Options = QStringLiteral("dhcpv4_options");
const QString SubnetKey = QStringLiteral("subnet");
const QString ExcludeKey = QStringLiteral("exclude_ips");
const QString Router = QStringLiteral("router");
const QString ServerId = QStringLiteral("server_id");
const QString ServerMac = QStringLiteral("server_mac");
const QString LeaseTime = QStringLiteral("lease_time");
const QString DnsServer = QStringLiteral("dns_server");

QJsonArray mapOf(const QMap<QString, QString> &map)
{
    QList<std::pair<QString, QString>> pairs;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        pairs.append({it.key(), it.value()});
    return OvsdbOps::stringMap(pairs);
}

bool isIpv4(const QString &text, quint32 *value = nullptr)
{
    QHostAddress address;
    if (!address.setAddress(text) || address.protocol() != QAbstractSocket::IPv4Protocol || text.contains(u':'))
        return false;
    if (value)
        *value = address.toIPv4Address();
    return true;
}

// The switch's other_config with the settings' subnet and excluded addresses. A switch whose
// subnet only its DHCP row states (as Neutron and the lab write them) keeps it that way.
QMap<QString, QString> otherConfigFor(const OvnLogicalSwitch &logicalSwitch, const SubnetSettings &settings)
{
    QMap<QString, QString> config = logicalSwitch.otherConfig;
    const bool stated = config.contains(SubnetKey) || !settings.dhcp;
    config.remove(SubnetKey);
    config.remove(ExcludeKey);
    if (!settings.cidr.isEmpty() && stated)
        config.insert(SubnetKey, settings.cidr);
    if (const QString excluded = settings.excludedIps.simplified(); !excluded.isEmpty() && !settings.cidr.isEmpty())
        config.insert(ExcludeKey, excluded);
    return config;
}

// The DHCP row's options: what it had (mtu, domain_name, ... stay), with the settings'. The
// server answers from the gateway's address when it did (Neutron's and the lab's way) or when its
// own leaves the subnet, else from its own; its MAC is kept, or made (locally administered) from
// the switch's uuid.
QMap<QString, QString> optionsFor(const OvnDhcpOptions &row, const QString &switchUuid, const SubnetSettings &settings)
{
    QMap<QString, QString> options = row.options;
    const SubnetPlan plan(settings.cidr);
    const QString server = options.value(ServerId);
    if (!settings.gateway.isEmpty() && (!plan.contains(server) || server == options.value(Router)))
        options.insert(ServerId, settings.gateway);
    if (settings.gateway.isEmpty())
        options.remove(Router);
    else
        options.insert(Router, settings.gateway);
    if (options.value(ServerMac).isEmpty()) {
        const QString hex = QString(switchUuid).remove(u'-').left(10).leftJustified(10, u'0');
        QString mac = QStringLiteral("02");
        for (int i = 0; i < 10; i += 2)
            mac += u':' + hex.mid(i, 2).toLower();
        options.insert(ServerMac, mac);
    }
    options.insert(LeaseTime, QString::number(settings.leaseSeconds));
    if (settings.dnsServers.isEmpty())
        options.remove(DnsServer);
    else
        options.insert(DnsServer, SubnetSettings::dnsServerValue(settings.dnsServers));
    return options;
}

// The switch's VM ports the row is to serve: not Neutron's, with an IPv4 address in the subnet,
// and served by another row or none.
QList<OvnLogicalSwitchPort> portsToServe(const OvnNorthbound &northbound, const OvnLogicalSwitch &logicalSwitch,
                                         const SubnetSettings &settings, const QString &rowUuid)
{
    QList<OvnLogicalSwitchPort> ports;
    if (!settings.dhcp)
        return ports;
    const SubnetPlan plan(settings.cidr);
    for (const QString &uuid : logicalSwitch.portUuids) {
        const OvnLogicalSwitchPort port = northbound.port(uuid);
        if (!port.isVmPort() || port.owner() != OvnOwner::None || (!rowUuid.isEmpty() && port.dhcpv4Options == rowUuid))
            continue;
        const QStringList ips = port.ipAddresses();
        if (std::any_of(ips.cbegin(), ips.cend(), [&plan](const QString &ip) { return isIpv4(ip) && plan.contains(ip); }))
            ports.append(port);
    }
    return ports;
}

// Why the excluded ranges are malformed or leave the subnet, or empty.
QString excludedRefusal(const QString &ranges, const SubnetPlan &plan)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    for (const QString &word : ranges.split(space, Qt::SkipEmptyParts)) {
        const QStringList ends = word.split(QStringLiteral(".."));
        quint32 first = 0;
        quint32 last = 0;
        if (ends.size() > 2 || !isIpv4(ends.first(), &first) || !isIpv4(ends.last(), &last) || first > last)
            return SubnetEditor::tr("“%1” is neither an address nor a range (10.0.0.2..10.0.0.9).").arg(word.left(64));
        if (!plan.contains(ends.first()) || !plan.contains(ends.last()))
            return SubnetEditor::tr("The excluded %1 is outside the subnet %2.").arg(word.left(64), plan.cidr());
    }
    return {};
}

QString leaseText(qint64 seconds)
{
    return SubnetEditor::tr("%n s", nullptr, int(std::min<qint64>(seconds, std::numeric_limits<int>::max())));
}

} // namespace

SubnetSettings SubnetSettings::ofSwitch(const OvnNorthbound &northbound, const QString &switchUuid)
{
    const OvnLogicalSwitch logicalSwitch = northbound.logicalSwitch(switchUuid);
    const QString rowUuid = northbound.dhcpOptionsOf(switchUuid);
    const OvnDhcpOptions row = northbound.dhcpOptions(rowUuid);
    SubnetSettings settings;
    settings.cidr = northbound.subnetOf(switchUuid);
    settings.excludedIps = logicalSwitch.otherConfig.value(ExcludeKey);
    settings.dhcp = !rowUuid.isEmpty();
    settings.gateway = row.options.value(Router);
    settings.dnsServers = parseDnsServers(row.options.value(DnsServer));
    settings.leaseSeconds = row.options.value(LeaseTime).toLongLong();
    return settings;
}

QStringList SubnetSettings::parseDnsServers(const QString &value)
{
    QString text = value.trimmed();
    if (text.startsWith(u'{') && text.endsWith(u'}'))
        text = text.mid(1, text.size() - 2);
    static const QRegularExpression separator(QStringLiteral("[,\\s]+"));
    return text.split(separator, Qt::SkipEmptyParts);
}

QString SubnetSettings::dnsServerValue(const QStringList &servers)
{
    return u'{' + servers.join(QStringLiteral(", ")) + u'}';
}

SubnetEditor::SubnetEditor(NetworkController *controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
}

QString SubnetEditor::refusal(const QString &switchUuid) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    const OvnNorthbound *northbound = m_controller->northbound();
    const OvnLogicalSwitch logicalSwitch = northbound->logicalSwitch(switchUuid);
    if (logicalSwitch.uuid.isEmpty())
        return tr("The logical switch no longer exists.");
    if (const QString owned = NetworkController::ownerRefusal(tr("The switch %1").arg(logicalSwitch.displayName()), logicalSwitch.owner());
        !owned.isEmpty())
        return owned;
    const OvnDhcpOptions row = northbound->dhcpOptions(northbound->dhcpOptionsOf(switchUuid));
    if (const QString owned = NetworkController::ownerRefusal(tr("The DHCP options of %1").arg(logicalSwitch.displayName()), row.owner());
        !owned.isEmpty())
        return owned;
    if (northbound->subnetOf(switchUuid).contains(u':'))
        return tr("%1 has an IPv6 subnet: Vigie shows it and edits IPv4 subnets only.").arg(logicalSwitch.displayName());
    return {};
}

QString SubnetEditor::settingsRefusal(const QString &switchUuid, const SubnetSettings &settings) const
{
    if (const QString refused = refusal(switchUuid); !refused.isEmpty())
        return refused;
    const OvnNorthbound *northbound = m_controller->northbound();
    const OvnLogicalSwitch logicalSwitch = northbound->logicalSwitch(switchUuid);
    if (settings == SubnetSettings::ofSwitch(*northbound, switchUuid))
        return tr("Nothing to change.");
    if (settings.cidr.isEmpty()) {
        if (settings.dhcp)
            return tr("OVN's DHCP serves a subnet: give one.");
        return {};
    }
    SubnetPlan plan(settings.cidr);
    if (!plan.isValid())
        return plan.problem();
    if (plan.isIpv6())
        return tr("Vigie edits IPv4 subnets only.");
    if (plan.cidr() != settings.cidr)
        return tr("%1 is not a network address: did you mean %2?").arg(settings.cidr.left(64), plan.cidr());
    // The VM ports keep their addresses: the subnet has to hold them.
    QStringList outside;
    for (const QString &uuid : logicalSwitch.portUuids) {
        const OvnLogicalSwitchPort port = northbound->port(uuid);
        for (const QString &ip : port.ipAddresses()) {
            if (port.isVmPort() && isIpv4(ip) && !plan.contains(ip))
                outside.append(QStringLiteral("%1 %2").arg(port.vm().isEmpty() ? port.name : port.vm(), ip));
            else if (port.isVmPort())
                plan.addUsed(ip, port.vm().isEmpty() ? port.name : port.vm());
        }
    }
    if (!outside.isEmpty()) {
        const QString shown = QStringList(outside.mid(0, 3)).join(QStringLiteral(", ")) + (outside.size() > 3 ? QStringLiteral(", …") : QString());
        return tr("%n port(s) have addresses outside %1: %2. Give them addresses in the new subnet first, or choose a subnet that "
                  "holds them.",
                  nullptr, int(outside.size()))
            .arg(settings.cidr, shown);
    }
    if (!settings.gateway.isEmpty()) {
        if (const QString refused = plan.refusal(settings.gateway); !refused.isEmpty())
            return tr("Gateway: %1").arg(refused);
    }
    for (const QString &server : settings.dnsServers) {
        if (!isIpv4(server))
            return tr("DNS: “%1” is not an IPv4 address.").arg(server.left(64));
    }
    if (const QString refused = excludedRefusal(settings.excludedIps, plan); !refused.isEmpty())
        return refused;
    const QString rowUuid = northbound->dhcpOptionsOf(switchUuid);
    if (settings.dhcp) {
        const OvnDhcpOptions row = northbound->dhcpOptions(rowUuid);
        if (settings.gateway.isEmpty() && !plan.contains(row.options.value(ServerId)))
            return tr("OVN's DHCP answers from an address of the subnet: give the gateway (the DHCP server uses its address).");
        if (settings.leaseSeconds < 1 || settings.leaseSeconds > std::numeric_limits<quint32>::max())
            return tr("The lease lasts from 1 s to %1 s.").arg(std::numeric_limits<quint32>::max());
    } else if (!rowUuid.isEmpty()) {
        // The row goes: it must serve this switch alone.
        for (const OvnLogicalSwitchPort &port : northbound->portTable()) {
            if (port.dhcpv4Options == rowUuid && port.switchUuid != switchUuid)
                return tr("These DHCP options also serve %1: change them there, or keep them.")
                    .arg(northbound->logicalSwitch(port.switchUuid).displayName());
        }
    }
    return {};
}

QStringList SubnetEditor::describe(const QString &switchUuid, const SubnetSettings &settings) const
{
    const OvnNorthbound *northbound = m_controller->northbound();
    const OvnLogicalSwitch logicalSwitch = northbound->logicalSwitch(switchUuid);
    const SubnetSettings was = SubnetSettings::ofSwitch(*northbound, switchUuid);
    const auto shown = [](const QString &value) { return value.isEmpty() ? tr("none") : value; };
    QStringList lines;
    QStringList changes;
    if (settings.cidr != was.cidr)
        changes.append(tr("subnet %1 → %2").arg(shown(was.cidr), shown(settings.cidr)));
    if (settings.excludedIps.simplified() != was.excludedIps)
        changes.append(tr("excluded %1 → %2").arg(shown(was.excludedIps), shown(settings.excludedIps.simplified())));
    if (!changes.isEmpty())
        lines.append(tr("~ switch %1 · %2").arg(logicalSwitch.displayName(), changes.join(QStringLiteral(" · "))));
    const QString dns = settings.dnsServers.join(QStringLiteral(", "));
    if (settings.dhcp && !was.dhcp) {
        lines.append(tr("+ DHCP options %1 · gateway %2 · DNS %3 · lease %4")
                         .arg(settings.cidr, shown(settings.gateway), shown(dns), leaseText(settings.leaseSeconds)));
    } else if (settings.dhcp) {
        changes.clear();
        if (settings.cidr != was.cidr)
            changes.append(tr("subnet %1 → %2").arg(shown(was.cidr), settings.cidr));
        if (settings.gateway != was.gateway)
            changes.append(tr("gateway %1 → %2").arg(shown(was.gateway), shown(settings.gateway)));
        if (settings.dnsServers != was.dnsServers)
            changes.append(tr("DNS %1 → %2").arg(shown(was.dnsServers.join(QStringLiteral(", "))), shown(dns)));
        if (settings.leaseSeconds != was.leaseSeconds)
            changes.append(tr("lease %1 → %2").arg(leaseText(was.leaseSeconds), leaseText(settings.leaseSeconds)));
        if (!changes.isEmpty())
            lines.append(tr("~ DHCP options · %1").arg(changes.join(QStringLiteral(" · "))));
    } else if (was.dhcp) {
        lines.append(tr("- DHCP options %1: the VMs of this VLAN get no DHCP answer any more; each keeps its address until its "
                        "lease ends.")
                         .arg(was.cidr));
    }
    for (const OvnLogicalSwitchPort &port : portsToServe(*northbound, logicalSwitch, settings, northbound->dhcpOptionsOf(switchUuid)))
        lines.append(tr("~ port %1 (%2) · served by these DHCP options").arg(port.name, shown(port.vm())));
    if (settings.dhcp && was.dhcp)
        lines.append(tr("  The guests take the new options at their next renewal: within half their lease (%1).").arg(leaseText(was.leaseSeconds)));
    return lines;
}

QJsonArray SubnetEditor::operations(const OvnNorthbound &northbound, const QString &switchUuid, const SubnetSettings &settings)
{
    const OvnLogicalSwitch logicalSwitch = northbound.logicalSwitch(switchUuid);
    const QString rowUuid = northbound.dhcpOptionsOf(switchUuid);
    const OvnDhcpOptions row = northbound.dhcpOptions(rowUuid);
    QJsonArray ops{waitFor(LogicalSwitch, whereUuid(switchUuid), {OtherConfig}, {QJsonObject{{OtherConfig, mapOf(logicalSwitch.otherConfig)}}})};
    QJsonArray reference;
    if (!rowUuid.isEmpty()) {
        ops.append(waitFor(DhcpOptions, whereUuid(rowUuid), {Cidr, Options}, {QJsonObject{{Cidr, row.cidr}, {Options, mapOf(row.options)}}}));
        if (settings.dhcp) {
            ops.append(update(DhcpOptions, whereUuid(rowUuid),
                              {{Cidr, settings.cidr}, {Options, mapOf(optionsFor(row, switchUuid, settings))}}));
            reference = uuid(rowUuid);
        } else {
            // The ports' references are weak: the database clears them with the row.
            ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("delete")}, {QStringLiteral("table"), DhcpOptions}, {QStringLiteral("where"), whereUuid(rowUuid)}});
        }
    } else if (settings.dhcp) {
        ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                               {QStringLiteral("table"), DhcpOptions},
                               {QStringLiteral("uuid-name"), QStringLiteral("dhcp")},
                               {QStringLiteral("row"),
                                QJsonObject{{Cidr, settings.cidr},
                                            {Options, mapOf(optionsFor({}, switchUuid, settings))},
                                            {QStringLiteral("external_ids"), stringMap({{OvnDhcpOptions::SwitchKey, switchUuid}})}}}});
        reference = QJsonArray{QStringLiteral("named-uuid"), QStringLiteral("dhcp")};
    }
    ops.append(update(LogicalSwitch, whereUuid(switchUuid), {{OtherConfig, mapOf(otherConfigFor(logicalSwitch, settings))}}));
    for (const OvnLogicalSwitchPort &port : portsToServe(northbound, logicalSwitch, settings, rowUuid)) {
        const QJsonArray current = port.dhcpv4Options.isEmpty() ? QJsonArray{QStringLiteral("set"), QJsonArray{}} : uuid(port.dhcpv4Options);
        ops.append(waitFor(LogicalSwitchPort, whereUuid(port.uuid), {Dhcpv4Options}, {QJsonObject{{Dhcpv4Options, current}}}));
        ops.append(update(LogicalSwitchPort, whereUuid(port.uuid), {{Dhcpv4Options, reference}}));
    }
    ops.append(comment(QStringLiteral("vigie: addressing of %1: %2").arg(logicalSwitch.name, settings.cidr.isEmpty() ? QStringLiteral("no subnet") : settings.cidr)));
    return ops;
}

void SubnetEditor::apply(const QString &switchUuid, const SubnetSettings &settings)
{
    const OvnLogicalSwitch logicalSwitch = m_controller->northbound()->logicalSwitch(switchUuid);
    const QString remote = m_controller->client()->currentRemote();
    const QString action = tr("Addressing of %1").arg(logicalSwitch.displayName());
    if (const QString refused = settingsRefusal(switchUuid, settings); !refused.isEmpty()) {
        m_controller->record(remote, {}, action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(switchUuid, false, refused);
        return;
    }
    const QString summary = settings.cidr.isEmpty() ? tr("no subnet")
                            : settings.dhcp         ? tr("%1, gateway %2, DHCP lease %3").arg(settings.cidr, settings.gateway.isEmpty() ? tr("none") : settings.gateway, leaseText(settings.leaseSeconds))
                                                    : tr("%1, no DHCP").arg(settings.cidr);
    const QPointer<SubnetEditor> self(this);
    m_controller->client()->transact(operations(*m_controller->northbound(), switchUuid, settings),
                                     [self, switchUuid, remote, action, summary](const OvsdbTransactResult &result) {
                                         if (!self)
                                             return;
                                         const QString message = result.ok ? QString()
                                                                           : tr("The controller refused: %1. Nothing was changed.")
                                                                                 .arg(NetworkController::transactError(result));
                                         self->m_controller->record(remote, {}, action, result.ok ? tr("Now %1").arg(summary) : message,
                                                                    result.ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
                                         Q_EMIT self->finished(switchUuid, result.ok, message);
                                     });
}

} // namespace Vigie
