#pragma once

#include "inventory/vminfo.h"
#include "network/ovnlogicalswitchport.h"
#include "network/ovnpolicy.h"

#include <QJsonArray>
#include <QObject>

namespace Vigie {

class NetworkController;

// What isolating a set of VMs (a tenant's, or the operator's choice) writes: one port group with
// their ports, and ACLs that let them talk to each other (stateful), reach their switches'
// gateways and OVN's DHCP, and drop every other IP packet to or from them. The ACLs follow the
// ports, so the policy holds wherever the VMs run: a live migration moves the port's binding, not
// its group.
struct IsolationPlan
{
    QString label;     // the tenant, or the operator's name for the set
    QString tenant;    // set when a tenant is isolated: its ports added later join the group
    QString groupName; // vigie_iso_<label>, a valid OVN match identifier
    QList<OvnLogicalSwitchPort> ports;
    QStringList gateways; // the switches' routers (their DHCP options), reachable from the group
    QStringList subnets;  // where DHCP requests may go, with the broadcast address
    QStringList skipped;  // NICs left out, and why

    [[nodiscard]] bool isValid() const { return !ports.isEmpty(); }
};

// One more way into an isolated VM's port: PROTOCOL ("tcp", "udp", "icmp": ping) on PORT (none
// for ping) from SOURCE ("any", an IPv4 address or subnet, or "$address_set").
struct AllowRule
{
    QString protocol;
    int port = 0;
    QString source;
};

// Tenant isolation through the controller's port groups and ACLs. Rows another system owns are
// left alone: Neutron's ports keep their security groups (set in OpenStack). Every change is one
// guarded transaction; its effect in words is shown to the operator before it is applied.
// Lives on the GUI thread, beside the NetworkController it writes through.
class PortIsolation : public QObject
{
    Q_OBJECT

public:
    // The priorities of the isolation's ACLs: above Neutron's (1001 drop, 1002 allow) is not
    // needed, the group's ports are not Neutron's.
    static constexpr int AllowPriority = 2002;
    static constexpr int DropPriority = 2001;
    static constexpr int RulePriority = 2003;

    explicit PortIsolation(NetworkController *controller, QObject *parent = nullptr);

    // The group's name for LABEL: lower case letters, digits and underscores.
    [[nodiscard]] static QString groupName(const QString &label);
    // The ports of VMS (every NIC the controller wires), the gateways and subnets of their switches.
    [[nodiscard]] IsolationPlan plan(const QString &label, const QString &tenant, const QList<VmKey> &vms) const;
    // Why PLAN cannot be applied (no controller, no port, the group exists), or empty.
    [[nodiscard]] QString refusal(const IsolationPlan &plan) const;
    // Why GROUP cannot be removed by Vigie (not an isolation Vigie made), or empty.
    [[nodiscard]] QString removeRefusal(const OvnPortGroup &group) const;

    // The ACLs PLAN creates (uuid empty), in the order of isolateOperations.
    [[nodiscard]] static QList<OvnAcl> aclsFor(const IsolationPlan &plan);
    // What applying PLAN changes, one line per row: "+ port group ...", "+ ACL in: allow ...".
    [[nodiscard]] static QStringList describe(const IsolationPlan &plan);
    [[nodiscard]] QStringList describeRemoval(const OvnPortGroup &group) const;

    // The isolation group the NIC's port is in (one Vigie made), or an empty group.
    [[nodiscard]] OvnPortGroup isolationOfPort(const QString &portUuid) const;
    // Why RULE cannot be added for the port (not isolated, a bad port or source), or empty.
    [[nodiscard]] QString allowRefusal(const QString &portUuid, const AllowRule &rule) const;
    // The ACL RULE adds to the port's group: to-lport, above the group's own rules.
    [[nodiscard]] static OvnAcl allowAcl(const OvnPortGroup &group, const OvnLogicalSwitchPort &port, const AllowRule &rule);
    // Adds RULE (an ACL of the port's isolation group); ends with finished.
    void allow(const QString &portUuid, const AllowRule &rule);

    // Applies PLAN; ends with finished.
    void isolate(const IsolationPlan &plan);
    // Deletes the group (its ACLs go with it); ends with finished.
    void remove(const OvnPortGroup &group);
    // Why the port cannot join GROUP (another system's port, not Vigie's isolation), or empty.
    [[nodiscard]] QString joinRefusal(const QString &portUuid, const OvnPortGroup &group) const;
    // Puts an existing port into GROUP (the fix of a port outside its tenant's isolation); ends
    // with finished.
    void join(const QString &portUuid, const OvnPortGroup &group);

    // The transactions, for tests. Isolation waits for no group of that name and for each port
    // to exist still; removal for the group to be the one read.
    [[nodiscard]] static QJsonArray isolateOperations(const IsolationPlan &plan);
    [[nodiscard]] static QJsonArray removeOperations(const OvnPortGroup &group);
    // Inserts ACL into GROUP's rules, the group still the one read.
    [[nodiscard]] static QJsonArray allowOperations(const OvnPortGroup &group, const OvnAcl &acl);
    // Adds the port inserted as NAMED_UUID in the same transaction to GROUP.
    [[nodiscard]] static QJsonObject joinOperation(const OvnPortGroup &group, const QString &namedUuid);
    // Adds the existing PORT to GROUP, both still the ones read.
    [[nodiscard]] static QJsonArray joinOperations(const OvnPortGroup &group, const OvnLogicalSwitchPort &port);

    // One rule of an isolation group removed (one Allow into… added, or the operator's own),
    // the isolation kept. Why ACL cannot be removed from GROUP (gone, not the group's, another
    // system's, the isolation's own rules), or empty.
    [[nodiscard]] QString removeRuleRefusal(const OvnPortGroup &group, const OvnAcl &acl) const;
    // What removing it changes: "- ACL in: allow tcp 22 from any · priority 2003 · ...".
    [[nodiscard]] QStringList describeRuleRemoval(const OvnAcl &acl) const;
    // Takes ACL out of GROUP's rules (the database deletes the unreferenced row); ends with finished.
    void removeRule(const OvnPortGroup &group, const OvnAcl &acl);
    // The transaction: waits for the group to hold the rule still and the rule to be the one read.
    [[nodiscard]] static QJsonArray removeRuleOperations(const OvnPortGroup &group, const OvnAcl &acl);

Q_SIGNALS:
    void finished(const QString &label, bool ok, const QString &message);

private:
    void transact(const QString &label, const QString &action, const QJsonArray &operations, const QString &success);

    NetworkController *m_controller;
};

} // namespace Vigie
