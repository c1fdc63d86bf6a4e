#pragma once

#include "inventory/vminfo.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

class Inventory;
class Preflight;

// Where each VM of a host goes so the host can be emptied: a plan for the operator to review,
// change and approve, then run as migrations. Built from the inventory alone (no libvirt call),
// and self-contained afterwards: the evacuation dialog changes destinations and calls review()
// without the inventory.
//
// Sites. libvirt has no notion of a site (nor does a domain's Nova metadata carry an
// availability zone), so Vigie reads it from the host's displayed name, the usual convention of
// the fleets it meets: the first label of the name (before any '.') in the form "site-host" gives
// the site before the first '-' (par-hv01 and par-hv01.example.org: "par"); any other name has no
// known site, and a move between hosts of which either site is unknown is not cross-site.
// A live migration across sites sends the VM's memory over the link between them, and its disks
// too, in full, when they are copied (libvirt's VIR_MIGRATE_NON_SHARED_DISK); a VM that is off
// moves as its definition only, so its disks must be reachable from the other site.
//
// Tiers (anti-affinity). VMs of one tenant that are copies of one service should not share a
// host: one host down would take several. A VM's tier is given by a tag "group.NAME" (the first
// one; a tag cannot hold '='), else by its name (Nova's name for a Nova instance) numbered at its
// end, without the number and the separators before it: web-front-01 and web-front-03 are of
// tier "web-front", ad-dc01 of "ad-dc". A name without a trailing number has no tier. Tiers are
// compared without case, within a tenant.
struct EvacuationPlan
{
    // A host that can take at least one VM of the plan.
    struct Host
    {
        QString uri;
        QString name;
        QString site;                            // empty: unknown
        quint64 freeMemoryKiB = 0;               // before the plan
        QHash<QString, QStringList> tierMembers; // tierKey() -> names of its VMs of that tier
    };
    struct Move
    {
        VmKey vm;
        QString vmName; // as shown (VmInfo::shownName)
        QString tenant;
        QString tier; // empty: none
        bool active = true;
        quint64 memoryKiB = 0;
        int vcpus = 0;
        int disks = 0; // disk devices (not CD-ROMs)
        QString destUri;
        // Host URIs the pre-flight accepts for it (each alone; the plan's other moves are not
        // counted there), in the inventory's order. destUri is one of them.
        QStringList candidates;
        QString plannedDestUri; // the planner's choice
        QString compromise;     // why the planner's choice shares a tier (translated), or empty
        // Set by review(): why the destination cannot take it as the plan stands (translated),
        // empty when it can; and what the operator should know (another site, a tier shared).
        QString problem;
        QStringList notes;

        // What it takes at the destination: a VM that is off takes no memory there.
        [[nodiscard]] quint64 neededMemoryKiB() const { return active ? memoryKiB : 0; }
    };
    struct Unplaced
    {
        VmKey vm;
        QString vmName;
        QString reason; // why no host can take it (translated)
    };

    QString hostUri;
    QString hostName;
    QString site; // of the host emptied; empty: unknown
    QList<Move> moves;
    QList<Unplaced> unplaced;
    QList<Host> hosts; // every candidate of every move

    [[nodiscard]] bool isComplete() const { return unplaced.isEmpty(); }
    // Every move fits where it goes (no problem after review()).
    [[nodiscard]] bool fits() const;
    [[nodiscard]] const Host *host(const QString &uri) const;
    // Sets each move's problem and notes from the destinations as they now are: memory counted
    // against every move to the same host, sites, tiers.
    void review();

    // Largest VMs first (they have the fewest places to go), each to a host the pre-flight
    // accepts (connected, same hypervisor, the VM's VLANs carried, CPU, not in maintenance) with
    // the memory left once the earlier moves are counted. Among those: a host of the source's
    // site before one of another site; then the host with the fewest VMs of the VM's tier
    // (running there or sent there by the plan), none at best; then the one left with the most
    // headroom (free memory and free vCPUs, as fractions of the host). The site comes before the
    // tier: a move across sites loads the link between them (memory, disks), and the VM's
    // traffic afterwards; a tier that cannot be spread on its site says so, and the operator may
    // still choose a host of the other site.
    [[nodiscard]] static EvacuationPlan make(const Inventory &inventory, const Preflight &preflight, const QString &hostUri);

    // The site in a host's displayed name, lower case; empty: unknown.
    [[nodiscard]] static QString siteOf(const QString &hostName);
    // The VM's tier as named (the tag's or the name's case); empty: none.
    [[nodiscard]] static QString tierOf(const VmInfo &vm);
    // What two VMs of one tier share: the tenant and the tier, without case. Empty for no tier.
    [[nodiscard]] static QString tierKey(const QString &tenant, const QString &tier);
    // The tag prefix that names a VM's tier explicitly.
    static constexpr QStringView GroupTagPrefix = u"group.";
};

} // namespace Vigie
