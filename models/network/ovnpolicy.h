#pragma once

#include "network/ovnowner.h"

#include <QHash>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

namespace Vigie {

class OvsdbCache;
class OvsdbClient;
struct OvsdbChangeSet;

// An ACL of the OVN northbound database: a rule on a logical switch or a port group.
// "to-lport" rules see traffic on its way to a port (into the VM), "from-lport" traffic a port sent.
struct OvnAcl
{
    QString uuid;
    QString direction; // "to-lport" | "from-lport"
    int priority = 0;
    QString match;
    QString action; // allow, allow-related, allow-stateless, drop, reject, pass
    QString name;
    QMap<QString, QString> externalIds;

    [[nodiscard]] bool isIngress() const { return direction == u"to-lport"; }
    friend bool operator==(const OvnAcl &, const OvnAcl &) = default;
};

// A port group: a set of ports the ACLs of the group apply to, and, in matches, "@name" (its
// ports) and "$name_ip4" / "$name_ip6" (their addresses, an address set northd makes).
struct OvnPortGroup
{
    QString uuid;
    QString name;
    QStringList portUuids;
    QStringList aclUuids;
    QMap<QString, QString> externalIds;

    [[nodiscard]] OvnOwner owner() const { return ovnOwner(externalIds); }
    // Vigie's isolation groups: the tenant (or the operator's label) they isolate.
    [[nodiscard]] QString isolationLabel() const { return externalIds.value(QStringLiteral("vigie:isolation")); }
    [[nodiscard]] QString isolatedTenant() const { return externalIds.value(QStringLiteral("vigie:tenant")); }
    // Neutron names a security group's port group pg_<id with underscores>; the drop-all group
    // of ports with port security is neutron_pg_drop.
    [[nodiscard]] QString displayName() const;
    friend bool operator==(const OvnPortGroup &, const OvnPortGroup &) = default;
};

struct OvnAddressSet
{
    QString uuid;
    QString name;
    QStringList addresses;
    QMap<QString, QString> externalIds;

    friend bool operator==(const OvnAddressSet &, const OvnAddressSet &) = default;
};

// The security policy of the northbound database: port groups, ACLs (of groups and switches)
// and address sets, as value snapshots updated from each change set of the client's cache.
// The tables are monitored with OvnNorthbound's (OvnNorthbound::monitoredTables).
// Lives on the GUI thread.
class OvnPolicy : public QObject
{
    Q_OBJECT

public:
    explicit OvnPolicy(QObject *parent = nullptr);

    [[nodiscard]] static QHash<QString, QStringList> monitoredTables();
    void attach(OvsdbClient *client);
    // Derives the effect of changes on an already updated cache.
    void applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes);

    [[nodiscard]] const QHash<QString, OvnPortGroup> &portGroups() const { return m_groups; }
    [[nodiscard]] const QHash<QString, OvnAcl> &acls() const { return m_acls; }
    [[nodiscard]] const QHash<QString, OvnAddressSet> &addressSets() const { return m_addressSets; }
    [[nodiscard]] OvnPortGroup portGroup(const QString &uuid) const { return m_groups.value(uuid); }
    [[nodiscard]] OvnPortGroup portGroupByName(const QString &name) const;
    // The groups a port is in, by name.
    [[nodiscard]] QList<OvnPortGroup> groupsOfPort(const QString &portUuid) const;
    // The ACLs of a group, or of a switch: highest priority first, then to-lport first.
    [[nodiscard]] QList<OvnAcl> aclsOfGroup(const QString &groupUuid) const;
    [[nodiscard]] QList<OvnAcl> aclsOfSwitch(const QString &switchUuid) const;
    // Vigie's isolation group of TENANT, if there is one.
    [[nodiscard]] OvnPortGroup isolationOfTenant(const QString &tenant) const;

Q_SIGNALS:
    void changed();

private:
    [[nodiscard]] QList<OvnAcl> sortedAcls(const QStringList &uuids) const;

    QHash<QString, OvnPortGroup> m_groups;
    QHash<QString, OvnAcl> m_acls;
    QHash<QString, OvnAddressSet> m_addressSets;
    QHash<QString, QStringList> m_switchAcls;        // switch uuid -> its ACL uuids
    QHash<QString, QStringList> m_groupsOfPort;      // port uuid -> group uuids
    QPointer<OvsdbClient> m_client;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnAcl)
