#include "ovnpolicy.h"

#include "network/ovntext.h"
#include "network/ovsdbcache.h"
#include "network/ovsdbchangeset.h"
#include "network/ovsdbclient.h"

#include <algorithm>

namespace Vigie {

namespace {

const QString Acl = QStringLiteral("ACL");
const QString PortGroup = QStringLiteral("Port_Group");
const QString AddressSet = QStringLiteral("Address_Set");
const QString LogicalSwitch = QStringLiteral("Logical_Switch");
const QString Name = QStringLiteral("name");
const QString ExternalIds = QStringLiteral("external_ids");

} // namespace

QString OvnPortGroup::displayName() const
{
    const QString group = externalIds.value(QStringLiteral("neutron:security_group_id"));
    if (!group.isEmpty())
        return QCoreApplication::translate("Vigie::OvnPolicy", "security group %1").arg(group);
    if (name == u"neutron_pg_drop")
        return QCoreApplication::translate("Vigie::OvnPolicy", "Neutron's default drop");
    const QString label = isolationLabel();
    if (!label.isEmpty())
        return QCoreApplication::translate("Vigie::OvnPolicy", "isolation of %1").arg(label);
    return name;
}

OvnPolicy::OvnPolicy(QObject *parent)
    : QObject(parent)
{
}

QHash<QString, QStringList> OvnPolicy::monitoredTables()
{
    return {
        {PortGroup, {Name, QStringLiteral("ports"), QStringLiteral("acls"), ExternalIds}},
        {Acl, {Name, QStringLiteral("direction"), QStringLiteral("priority"), QStringLiteral("match"), QStringLiteral("action"), ExternalIds}},
        {AddressSet, {Name, QStringLiteral("addresses"), ExternalIds}},
    };
}

void OvnPolicy::attach(OvsdbClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    connect(client, &OvsdbClient::cacheChanged, this, [this](const OvsdbChangeSet &changes) {
        if (m_client)
            applyChanges(m_client->cache(), changes);
    });
}

void OvnPolicy::applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes)
{
    bool any = false;
    const QHash<QString, OvsdbChangeSet::Kind> acls = changes.table(Acl);
    for (auto it = acls.cbegin(); it != acls.cend(); ++it) {
        any = true;
        const OvsdbRow *row = cache.row(Acl, it.key());
        if (!row) {
            m_acls.remove(it.key());
            continue;
        }
        OvnAcl acl;
        acl.uuid = it.key();
        acl.direction = OvnText::bounded(row->value(QStringLiteral("direction")).toString());
        acl.priority = int(row->value(QStringLiteral("priority")).toInteger());
        acl.match = OvnText::bounded(row->value(QStringLiteral("match")).toString(), OvnText::MaxValue);
        acl.action = OvnText::bounded(row->value(QStringLiteral("action")).toString());
        acl.name = OvnText::bounded(row->value(Name).toString());
        acl.externalIds = OvnText::boundedMap(row->value(ExternalIds).toStringMap());
        m_acls.insert(acl.uuid, acl);
    }

    const QHash<QString, OvsdbChangeSet::Kind> groups = changes.table(PortGroup);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        any = true;
        for (const QString &port : m_groups.value(it.key()).portUuids)
            m_groupsOfPort[port].removeAll(it.key());
        const OvsdbRow *row = cache.row(PortGroup, it.key());
        if (!row) {
            m_groups.remove(it.key());
            continue;
        }
        OvnPortGroup group;
        group.uuid = it.key();
        group.name = OvnText::bounded(row->value(Name).toString());
        // A port group of a big security group has one entry per port: not bounded like a set.
        group.portUuids = row->value(QStringLiteral("ports")).toStringList();
        group.aclUuids = row->value(QStringLiteral("acls")).toStringList();
        group.externalIds = OvnText::boundedMap(row->value(ExternalIds).toStringMap());
        for (const QString &port : std::as_const(group.portUuids))
            m_groupsOfPort[port].append(group.uuid);
        m_groups.insert(group.uuid, group);
    }
    // Only after a group changed: with Neutron every VM port is in its drop group, and this walk
    // is one step per port.
    if (!groups.isEmpty()) {
        for (auto it = m_groupsOfPort.begin(); it != m_groupsOfPort.end();)
            it = it->isEmpty() ? m_groupsOfPort.erase(it) : std::next(it);
    }

    const QHash<QString, OvsdbChangeSet::Kind> sets = changes.table(AddressSet);
    for (auto it = sets.cbegin(); it != sets.cend(); ++it) {
        any = true;
        const OvsdbRow *row = cache.row(AddressSet, it.key());
        if (!row) {
            m_addressSets.remove(it.key());
            continue;
        }
        m_addressSets.insert(it.key(), OvnAddressSet{it.key(), OvnText::bounded(row->value(Name).toString()),
                                                     OvnText::boundedList(row->value(QStringLiteral("addresses")).toStringList()),
                                                     OvnText::boundedMap(row->value(ExternalIds).toStringMap())});
    }

    const QHash<QString, OvsdbChangeSet::Kind> switches = changes.table(LogicalSwitch);
    for (auto it = switches.cbegin(); it != switches.cend(); ++it) {
        const OvsdbRow *row = cache.row(LogicalSwitch, it.key());
        const QStringList switchAcls = row ? row->value(QStringLiteral("acls")).toStringList() : QStringList();
        if (switchAcls == m_switchAcls.value(it.key()))
            continue;
        any = true;
        if (switchAcls.isEmpty())
            m_switchAcls.remove(it.key());
        else
            m_switchAcls.insert(it.key(), switchAcls);
    }
    if (any)
        Q_EMIT changed();
}

OvnPortGroup OvnPolicy::portGroupByName(const QString &name) const
{
    for (const OvnPortGroup &group : m_groups) {
        if (group.name == name)
            return group;
    }
    return {};
}

QList<OvnPortGroup> OvnPolicy::groupsOfPort(const QString &portUuid) const
{
    QList<OvnPortGroup> result;
    for (const QString &uuid : m_groupsOfPort.value(portUuid))
        result.append(m_groups.value(uuid));
    std::sort(result.begin(), result.end(), [](const OvnPortGroup &a, const OvnPortGroup &b) { return a.name < b.name; });
    return result;
}

QList<OvnAcl> OvnPolicy::sortedAcls(const QStringList &uuids) const
{
    QList<OvnAcl> result;
    for (const QString &uuid : uuids) {
        const auto it = m_acls.constFind(uuid);
        if (it != m_acls.cend())
            result.append(*it);
    }
    std::sort(result.begin(), result.end(), [](const OvnAcl &a, const OvnAcl &b) {
        if (a.isIngress() != b.isIngress())
            return a.isIngress();
        if (a.priority != b.priority)
            return a.priority > b.priority;
        return a.match < b.match;
    });
    return result;
}

QList<OvnAcl> OvnPolicy::aclsOfGroup(const QString &groupUuid) const
{
    return sortedAcls(m_groups.value(groupUuid).aclUuids);
}

QList<OvnAcl> OvnPolicy::aclsOfSwitch(const QString &switchUuid) const
{
    return sortedAcls(m_switchAcls.value(switchUuid));
}

OvnPortGroup OvnPolicy::isolationOfTenant(const QString &tenant) const
{
    if (tenant.isEmpty())
        return {};
    for (const OvnPortGroup &group : m_groups) {
        if (group.isolatedTenant() == tenant)
            return group;
    }
    return {};
}

} // namespace Vigie
