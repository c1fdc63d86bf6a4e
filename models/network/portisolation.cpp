#include "portisolation.h"

#include "inventory/inventory.h"
#include "network/acltext.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbclient.h"
#include "network/ovsdbops.h"

#include <QHostAddress>
#include <QPointer>
#include <QRegularExpression>

#include <algorithm>

namespace Vigie {

using namespace OvsdbOps;

namespace {

const QString PortGroup = QStringLiteral("Port_Group");
const QString Acl = QStringLiteral("ACL");
const QString LogicalSwitchPort = QStringLiteral("Logical_Switch_Port");
const QString Name = QStringLiteral("name");
const QString IsolationKey = QStringLiteral("vigie:isolation");
const QString TenantKey = QStringLiteral("vigie:tenant");

QJsonArray byName(const QString &name)
{
    return {QJsonArray{Name, QStringLiteral("=="), name}};
}

} // namespace

PortIsolation::PortIsolation(NetworkController *controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
}

QString PortIsolation::groupName(const QString &label)
{
    static const QRegularExpression other(QStringLiteral("[^a-z0-9_]+"));
    QString name = label.toLower().replace(other, QStringLiteral("_"));
    // OVN's port group names are limited only by the identifiers of matches; keep them readable.
    return QStringLiteral("vigie_iso_") + name.left(48);
}

IsolationPlan PortIsolation::plan(const QString &label, const QString &tenant, const QList<VmKey> &vms) const
{
    IsolationPlan plan;
    plan.label = label.trimmed();
    plan.tenant = tenant;
    plan.groupName = groupName(plan.label);
    const OvnNorthbound *nb = m_controller->northbound();
    QStringList switches;
    for (const VmKey &key : vms) {
        const VmInfo vm = m_controller->inventory()->vm(key);
        for (const NicInfo &nic : vm.nics) {
            const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(key, nic.mac);
            if (!match)
                continue; // libvirt-wired: the controller does not see its traffic
            const OvnLogicalSwitchPort port = nb->port(match->portUuid);
            if (port.uuid.isEmpty())
                continue;
            if (port.owner() != OvnOwner::None) {
                plan.skipped.append(tr("%1 (%2): its port is %3's; its security groups are set there.")
                                        .arg(vm.name, nic.mac, ovnOwnerName(port.owner())));
                continue;
            }
            if (port.ipAddresses().isEmpty())
                plan.skipped.append(tr("%1 (%2): its port has no IP address in the controller, so the group's members "
                                       "cannot reach it; assign one (VM › IP address).")
                                        .arg(vm.name, nic.mac));
            plan.ports.append(port);
            if (!switches.contains(port.switchUuid))
                switches.append(port.switchUuid);
        }
    }
    std::sort(plan.ports.begin(), plan.ports.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    for (const QString &s : std::as_const(switches)) {
        const QString router = nb->dhcpOptions(nb->dhcpOptionsOf(s)).options.value(QStringLiteral("router"));
        if (!router.isEmpty() && !plan.gateways.contains(router))
            plan.gateways.append(router);
        const QString subnet = nb->subnetOf(s);
        if (!subnet.isEmpty() && !subnet.contains(u':') && !plan.subnets.contains(subnet))
            plan.subnets.append(subnet);
    }
    plan.gateways.sort();
    plan.subnets.sort();
    return plan;
}

QString PortIsolation::refusal(const IsolationPlan &plan) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    if (plan.label.isEmpty())
        return tr("An isolation needs a name.");
    if (!plan.isValid())
        return tr("None of these VMs has a port in the network controller that Vigie may put in a group: "
                  "their NICs are wired by libvirt, or their ports are another system's.");
    const OvnPortGroup existing = m_controller->policy()->portGroupByName(plan.groupName);
    if (!existing.uuid.isEmpty())
        return tr("The port group %1 already exists: remove that isolation first, or choose another name.").arg(plan.groupName);
    return {};
}

QString PortIsolation::removeRefusal(const OvnPortGroup &group) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    if (group.uuid.isEmpty())
        return tr("This port group no longer exists.");
    if (const QString owned = NetworkController::ownerRefusal(tr("The port group %1").arg(group.name), group.owner()); !owned.isEmpty())
        return owned;
    if (group.isolationLabel().isEmpty())
        return tr("The port group %1 is not an isolation Vigie made: change it where it was made.").arg(group.name);
    return {};
}

QList<OvnAcl> PortIsolation::aclsFor(const IsolationPlan &plan)
{
    const QString in = QStringLiteral("outport == @%1").arg(plan.groupName);
    const QString out = QStringLiteral("inport == @%1").arg(plan.groupName);
    const QString members = QStringLiteral("$%1_ip4").arg(plan.groupName);
    const QString allow = QStringLiteral("allow-related");
    QList<OvnAcl> acls;
    auto add = [&](const QString &direction, int priority, const QString &match, const QString &action) {
        OvnAcl acl;
        acl.direction = direction;
        acl.priority = priority;
        acl.match = match;
        acl.action = action;
        acl.externalIds.insert(IsolationKey, plan.label);
        acls.append(acl);
    };
    const QString to = QStringLiteral("to-lport");
    const QString from = QStringLiteral("from-lport");
    // From the group's members in; to them, and to the gateways, out. Stateful: the answers pass.
    add(to, AllowPriority, QStringLiteral("%1 && ip4 && ip4.src == %2").arg(in, members), allow);
    add(from, AllowPriority, QStringLiteral("%1 && ip4 && ip4.dst == %2").arg(out, members), allow);
    if (!plan.gateways.isEmpty()) {
        const QString gateways = plan.gateways.size() == 1 ? plan.gateways.first() : u'{' + plan.gateways.join(QStringLiteral(", ")) + u'}';
        add(from, AllowPriority, QStringLiteral("%1 && ip4 && ip4.dst == %2").arg(out, gateways), allow);
    }
    // OVN's native DHCP answers before the egress ACLs; the requests need a rule (as Neutron's).
    const QString dhcpTargets = u'{' + (QStringList{QStringLiteral("255.255.255.255")} + plan.subnets).join(QStringLiteral(", ")) + u'}';
    add(from, AllowPriority, QStringLiteral("%1 && ip4 && ip4.dst == %2 && udp && udp.src == 68 && udp.dst == 67").arg(out, dhcpTargets),
        QStringLiteral("allow"));
    add(to, DropPriority, QStringLiteral("%1 && ip").arg(in), QStringLiteral("drop"));
    add(from, DropPriority, QStringLiteral("%1 && ip").arg(out), QStringLiteral("drop"));
    return acls;
}

QStringList PortIsolation::describe(const IsolationPlan &plan)
{
    QStringList lines;
    QStringList names;
    for (const OvnLogicalSwitchPort &port : plan.ports)
        names.append(port.name);
    lines.append(tr("+ port group %1 (%n port(s): %2)", nullptr, int(plan.ports.size())).arg(plan.groupName, names.join(QStringLiteral(", "))));
    for (const OvnAcl &acl : aclsFor(plan))
        lines.append(tr("+ ACL %1 · priority %2 · %3 · %4").arg(AclText::describe(acl)).arg(acl.priority).arg(acl.action, acl.match));
    if (!plan.tenant.isEmpty())
        lines.append(tr("  VMs of %1 placed later join the group.").arg(plan.tenant));
    for (const QString &skipped : plan.skipped)
        lines.append(tr("  Note: %1").arg(skipped));
    return lines;
}

QStringList PortIsolation::describeRemoval(const OvnPortGroup &group) const
{
    QStringList lines{tr("- port group %1 (%n port(s))", nullptr, int(group.portUuids.size())).arg(group.name)};
    for (const OvnAcl &acl : m_controller->policy()->aclsOfGroup(group.uuid))
        lines.append(tr("- ACL %1 · priority %2 · %3 · %4")
                         .arg(AclText::describe(acl, m_controller->policy()))
                         .arg(acl.priority)
                         .arg(acl.action, acl.match));
    return lines;
}

QJsonArray PortIsolation::isolateOperations(const IsolationPlan &plan)
{
    QJsonArray ops{waitFor(PortGroup, byName(plan.groupName), {Name}, {})};
    QStringList ports;
    for (const OvnLogicalSwitchPort &port : plan.ports) {
        ops.append(waitFor(LogicalSwitchPort, whereUuid(port.uuid), {Name}, {QJsonObject{{Name, port.name}}}));
        ports.append(port.uuid);
    }
    QJsonArray aclRefs;
    const QList<OvnAcl> acls = aclsFor(plan);
    for (qsizetype i = 0; i < acls.size(); ++i) {
        const OvnAcl &acl = acls.at(i);
        const QString named = QStringLiteral("acl%1").arg(i);
        ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                               {QStringLiteral("table"), Acl},
                               {QStringLiteral("uuid-name"), named},
                               {QStringLiteral("row"),
                                QJsonObject{{QStringLiteral("direction"), acl.direction},
                                            {QStringLiteral("priority"), acl.priority},
                                            {QStringLiteral("match"), acl.match},
                                            {QStringLiteral("action"), acl.action},
                                            {QStringLiteral("external_ids"), stringMap({{IsolationKey, plan.label}})}}}});
        aclRefs.append(QJsonArray{QStringLiteral("named-uuid"), named});
    }
    QList<std::pair<QString, QString>> ids{{IsolationKey, plan.label}};
    if (!plan.tenant.isEmpty())
        ids.append({TenantKey, plan.tenant});
    ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                           {QStringLiteral("table"), PortGroup},
                           {QStringLiteral("row"),
                            QJsonObject{{Name, plan.groupName},
                                        {QStringLiteral("ports"), uuidSet(ports)},
                                        {QStringLiteral("acls"), QJsonArray{QStringLiteral("set"), aclRefs}},
                                        {QStringLiteral("external_ids"), stringMap(ids)}}}});
    ops.append(comment(QStringLiteral("vigie: isolate %1 (%2 ports)").arg(plan.label).arg(plan.ports.size())));
    return ops;
}

QJsonArray PortIsolation::removeOperations(const OvnPortGroup &group)
{
    // The ACLs are referenced by the group only: the database deletes them with it.
    return {waitFor(PortGroup, whereUuid(group.uuid), {Name}, {QJsonObject{{Name, group.name}}}),
            QJsonObject{{QStringLiteral("op"), QStringLiteral("delete")}, {QStringLiteral("table"), PortGroup}, {QStringLiteral("where"), whereUuid(group.uuid)}},
            comment(QStringLiteral("vigie: remove isolation %1").arg(group.isolationLabel()))};
}

QJsonObject PortIsolation::joinOperation(const OvnPortGroup &group, const QString &namedUuid)
{
    return {{QStringLiteral("op"), QStringLiteral("mutate")},
            {QStringLiteral("table"), PortGroup},
            {QStringLiteral("where"), whereUuid(group.uuid)},
            {QStringLiteral("mutations"),
             QJsonArray{QJsonArray{QStringLiteral("ports"), QStringLiteral("insert"),
                                   QJsonArray{QStringLiteral("set"), QJsonArray{QJsonArray{QStringLiteral("named-uuid"), namedUuid}}}}}}};
}

QJsonArray PortIsolation::joinOperations(const OvnPortGroup &group, const OvnLogicalSwitchPort &port)
{
    return {waitFor(PortGroup, whereUuid(group.uuid), {Name}, {QJsonObject{{Name, group.name}}}),
            waitFor(LogicalSwitchPort, whereUuid(port.uuid), {Name}, {QJsonObject{{Name, port.name}}}),
            QJsonObject{{QStringLiteral("op"), QStringLiteral("mutate")},
                        {QStringLiteral("table"), PortGroup},
                        {QStringLiteral("where"), whereUuid(group.uuid)},
                        {QStringLiteral("mutations"),
                         QJsonArray{QJsonArray{QStringLiteral("ports"), QStringLiteral("insert"),
                                               QJsonArray{QStringLiteral("set"), QJsonArray{QJsonArray{QStringLiteral("uuid"), port.uuid}}}}}}},
            comment(QStringLiteral("vigie: port %1 joins %2").arg(port.name, group.name))};
}

OvnPortGroup PortIsolation::isolationOfPort(const QString &portUuid) const
{
    for (const OvnPortGroup &group : m_controller->policy()->groupsOfPort(portUuid)) {
        if (!group.isolationLabel().isEmpty() && group.owner() == OvnOwner::None)
            return group;
    }
    return {};
}

QString PortIsolation::allowRefusal(const QString &portUuid, const AllowRule &rule) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    if (isolationOfPort(portUuid).uuid.isEmpty())
        return tr("This NIC is not in an isolation Vigie made: nothing stops traffic to it, there is nothing to allow.");
    if (rule.protocol != u"tcp" && rule.protocol != u"udp" && rule.protocol != u"icmp")
        return tr("The protocol is tcp, udp or icmp.");
    if (rule.protocol != u"icmp" && (rule.port < 1 || rule.port > 65535))
        return tr("A port is between 1 and 65535.");
    const QString source = rule.source.trimmed();
    if (source.isEmpty() || source == u"any")
        return {};
    if (source.startsWith(u'$')) {
        static const QRegularExpression identifier(QStringLiteral("^\\$[A-Za-z_][A-Za-z0-9_.]*$"));
        if (!identifier.match(source).hasMatch())
            return tr("An address set is written $name (letters, digits, underscores).");
        for (const OvnAddressSet &set : m_controller->policy()->addressSets()) {
            if (set.name == source.mid(1))
                return {};
        }
        return tr("The controller has no address set %1.").arg(source.mid(1));
    }
    const QHostAddress address(source.section(u'/', 0, 0));
    bool prefixOk = true;
    const int prefix = source.contains(u'/') ? source.section(u'/', 1).toInt(&prefixOk) : 32;
    if (address.protocol() != QAbstractSocket::IPv4Protocol || !prefixOk || prefix < 0 || prefix > 32)
        return tr("“%1” is not an IPv4 address or subnet (10.0.0.0/24), “any” or an address set ($name).").arg(source);
    return {};
}

OvnAcl PortIsolation::allowAcl(const OvnPortGroup &group, const OvnLogicalSwitchPort &port, const AllowRule &rule)
{
    const QString source = rule.source.trimmed();
    QString match = QStringLiteral("outport == \"%1\" && ip4").arg(port.name);
    if (!source.isEmpty() && source != u"any")
        match += QStringLiteral(" && ip4.src == %1").arg(source);
    if (rule.protocol == u"icmp")
        match += QStringLiteral(" && icmp4 && icmp4.type == 8");
    else
        match += QStringLiteral(" && %1 && %1.dst == %2").arg(rule.protocol).arg(rule.port);
    OvnAcl acl;
    acl.direction = QStringLiteral("to-lport");
    acl.priority = RulePriority;
    acl.match = match;
    acl.action = QStringLiteral("allow-related");
    acl.externalIds = {{IsolationKey, group.isolationLabel()}, {QStringLiteral("vigie:port"), port.name}};
    return acl;
}

QJsonArray PortIsolation::allowOperations(const OvnPortGroup &group, const OvnAcl &acl)
{
    QList<std::pair<QString, QString>> ids;
    for (auto it = acl.externalIds.cbegin(); it != acl.externalIds.cend(); ++it)
        ids.append({it.key(), it.value()});
    return {waitFor(PortGroup, whereUuid(group.uuid), {Name}, {QJsonObject{{Name, group.name}}}),
            QJsonObject{{QStringLiteral("op"), QStringLiteral("insert")},
                        {QStringLiteral("table"), Acl},
                        {QStringLiteral("uuid-name"), QStringLiteral("rule")},
                        {QStringLiteral("row"),
                         QJsonObject{{QStringLiteral("direction"), acl.direction},
                                     {QStringLiteral("priority"), acl.priority},
                                     {QStringLiteral("match"), acl.match},
                                     {QStringLiteral("action"), acl.action},
                                     {QStringLiteral("external_ids"), stringMap(ids)}}}},
            QJsonObject{{QStringLiteral("op"), QStringLiteral("mutate")},
                        {QStringLiteral("table"), PortGroup},
                        {QStringLiteral("where"), whereUuid(group.uuid)},
                        {QStringLiteral("mutations"),
                         QJsonArray{QJsonArray{QStringLiteral("acls"), QStringLiteral("insert"),
                                               QJsonArray{QStringLiteral("set"), QJsonArray{QJsonArray{QStringLiteral("named-uuid"), QStringLiteral("rule")}}}}}}},
            comment(QStringLiteral("vigie: %1").arg(acl.match))};
}

void PortIsolation::allow(const QString &portUuid, const AllowRule &rule)
{
    const OvnPortGroup group = isolationOfPort(portUuid);
    const OvnLogicalSwitchPort port = m_controller->northbound()->port(portUuid);
    const QString label = group.isolationLabel();
    const QString action = tr("Allow into port %1").arg(port.name);
    if (const QString refused = allowRefusal(portUuid, rule); !refused.isEmpty()) {
        m_controller->record(QString(), port.vm(), action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(label, false, refused);
        return;
    }
    const OvnAcl acl = allowAcl(group, port, rule);
    transact(label, action, allowOperations(group, acl),
             tr("Controller: %1 (rule of %2, port %3)").arg(AclText::describe(acl), group.name, port.name));
}

void PortIsolation::isolate(const IsolationPlan &plan)
{
    const QString action = tr("Isolate %1").arg(plan.label);
    if (const QString refused = refusal(plan); !refused.isEmpty()) {
        m_controller->record(QString(), QString(), action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(plan.label, false, refused);
        return;
    }
    transact(plan.label, action, isolateOperations(plan),
             tr("Controller: port group %1 isolates %n port(s); traffic from outside the group is dropped.", nullptr,
                int(plan.ports.size()))
                 .arg(plan.groupName));
}

void PortIsolation::remove(const OvnPortGroup &group)
{
    const QString label = group.isolationLabel().isEmpty() ? group.name : group.isolationLabel();
    const QString action = tr("Remove isolation of %1").arg(label);
    if (const QString refused = removeRefusal(group); !refused.isEmpty()) {
        m_controller->record(QString(), QString(), action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(label, false, refused);
        return;
    }
    transact(label, action, removeOperations(group), tr("Controller: port group %1 and its rules removed.").arg(group.name));
}

QString PortIsolation::joinRefusal(const QString &portUuid, const OvnPortGroup &group) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    const OvnLogicalSwitchPort port = m_controller->northbound()->port(portUuid);
    if (port.uuid.isEmpty())
        return tr("This port no longer exists.");
    if (const QString owned = NetworkController::ownerRefusal(tr("The port %1").arg(port.name), port.owner()); !owned.isEmpty())
        return owned;
    if (group.uuid.isEmpty() || m_controller->policy()->portGroup(group.uuid).uuid.isEmpty())
        return tr("This port group no longer exists.");
    if (group.isolationLabel().isEmpty())
        return tr("The port group %1 is not an isolation Vigie made: change it where it was made.").arg(group.name);
    if (group.portUuids.contains(portUuid))
        return tr("The port %1 is in %2 already.").arg(port.name, group.name);
    return {};
}

void PortIsolation::join(const QString &portUuid, const OvnPortGroup &group)
{
    const OvnLogicalSwitchPort port = m_controller->northbound()->port(portUuid);
    const QString label = group.isolationLabel();
    const QString action = tr("Put port %1 into isolation %2").arg(port.name.isEmpty() ? portUuid : port.name, group.name);
    if (const QString refused = joinRefusal(portUuid, group); !refused.isEmpty()) {
        m_controller->record(QString(), port.vm(), action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(label, false, refused);
        return;
    }
    transact(label, action, joinOperations(group, port),
             tr("Controller: port %1 is in %2; the tenant's rules apply to it.").arg(port.name, group.name));
}

void PortIsolation::transact(const QString &label, const QString &action, const QJsonArray &operations, const QString &success)
{
    const QPointer<PortIsolation> self(this);
    m_controller->client()->transact(operations, [self, label, action, success](const OvsdbTransactResult &result) {
        if (!self)
            return;
        if (!result.ok) {
            const QString message = tr("The controller refused: %1. Nothing was changed.").arg(NetworkController::transactError(result));
            self->m_controller->record(QString(), QString(), action, message, EventRecord::Severity::Error);
            Q_EMIT self->finished(label, false, message);
            return;
        }
        self->m_controller->record(QString(), QString(), action, success, EventRecord::Severity::Info);
        Q_EMIT self->finished(label, true, QString());
    });
}

QString PortIsolation::removeRuleRefusal(const OvnPortGroup &group, const OvnAcl &acl) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    const OvnPortGroup current = m_controller->policy()->portGroup(group.uuid);
    if (current.uuid.isEmpty())
        return tr("This port group no longer exists.");
    if (acl.uuid.isEmpty() || !current.aclUuids.contains(acl.uuid))
        return tr("This rule is no longer one of the group %1's.").arg(current.name);
    if (const QString owned = NetworkController::ownerRefusal(tr("The port group %1").arg(current.name), current.owner()); !owned.isEmpty())
        return owned;
    if (const QString owned = NetworkController::ownerRefusal(tr("This rule"), ovnOwner(acl.externalIds)); !owned.isEmpty())
        return owned;
    if (current.isolationLabel().isEmpty())
        return tr("The port group %1 is not an isolation Vigie made: change its rules where it was made.").arg(current.name);
    if (acl.priority == AllowPriority || acl.priority == DropPriority)
        return tr("This rule is part of the isolation itself: without it the group would not be isolated, or its members "
                  "could not talk to each other. Remove the whole isolation instead.");
    return {};
}

QStringList PortIsolation::describeRuleRemoval(const OvnAcl &acl) const
{
    return {tr("- ACL %1 · priority %2 · %3 · %4")
                .arg(AclText::describe(acl, m_controller->policy()))
                .arg(acl.priority)
                .arg(acl.action, acl.match)};
}

QJsonArray PortIsolation::removeRuleOperations(const OvnPortGroup &group, const OvnAcl &acl)
{
    const QJsonArray groupHoldsRule{QJsonArray{QStringLiteral("_uuid"), QStringLiteral("=="), uuid(group.uuid)},
                                    QJsonArray{QStringLiteral("acls"), QStringLiteral("includes"), uuid(acl.uuid)}};
    const QStringList ruleColumns{QStringLiteral("action"), QStringLiteral("direction"), QStringLiteral("match"), QStringLiteral("priority")};
    const QJsonObject rule{{QStringLiteral("action"), acl.action},
                           {QStringLiteral("direction"), acl.direction},
                           {QStringLiteral("match"), acl.match},
                           {QStringLiteral("priority"), acl.priority}};
    return {waitFor(PortGroup, groupHoldsRule, {Name}, {QJsonObject{{Name, group.name}}}),
            waitFor(Acl, whereUuid(acl.uuid), ruleColumns, {rule}),
            QJsonObject{{QStringLiteral("op"), QStringLiteral("mutate")},
                        {QStringLiteral("table"), PortGroup},
                        {QStringLiteral("where"), whereUuid(group.uuid)},
                        {QStringLiteral("mutations"),
                         QJsonArray{QJsonArray{QStringLiteral("acls"), QStringLiteral("delete"), QJsonArray{QStringLiteral("set"), QJsonArray{uuid(acl.uuid)}}}}}},
            comment(QStringLiteral("vigie: remove rule %1 of %2").arg(acl.match, group.name))};
}

void PortIsolation::removeRule(const OvnPortGroup &group, const OvnAcl &acl)
{
    const QString label = group.isolationLabel().isEmpty() ? group.name : group.isolationLabel();
    const QString action = tr("Remove a rule of %1").arg(label);
    if (const QString refused = removeRuleRefusal(group, acl); !refused.isEmpty()) {
        m_controller->record(QString(), QString(), action, refused, EventRecord::Severity::Error);
        Q_EMIT finished(label, false, refused);
        return;
    }
    transact(label, action, removeRuleOperations(group, acl),
             tr("Controller: rule removed from %1: %2").arg(group.name, AclText::describe(acl, m_controller->policy())));
}

} // namespace Vigie
