#include "evacuationplan.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "preflight.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::EvacuationPlan)
};

bool isNameSeparator(QChar c)
{
    return c == u'-' || c == u'_' || c == u'.' || c == u' ';
}

// Both sites known and different: a move between an unknown site and any other is not
// called cross-site (nothing says it is).
bool crossSite(const QString &from, const QString &to)
{
    return !from.isEmpty() && !to.isEmpty() && from != to;
}

int diskDevices(const VmInfo &vm)
{
    return int(std::count_if(vm.disks.cbegin(), vm.disks.cend(), [](const DiskInfo &disk) { return disk.device == QLatin1String("disk"); }));
}

} // namespace

QString EvacuationPlan::siteOf(const QString &hostName)
{
    const QString label = hostName.section(u'.', 0, 0);
    const qsizetype dash = label.indexOf(u'-');
    if (dash <= 0 || dash == label.size() - 1)
        return {};
    return label.left(dash).toLower();
}

QString EvacuationPlan::tierOf(const VmInfo &vm)
{
    for (const QString &tag : vm.tags) {
        if (tag.startsWith(GroupTagPrefix) && tag.size() > GroupTagPrefix.size())
            return tag.mid(GroupTagPrefix.size());
    }
    const QString name = vm.displayName.isEmpty() ? vm.name : vm.displayName;
    qsizetype end = name.size();
    while (end > 0 && name.at(end - 1).isDigit())
        --end;
    if (end == name.size())
        return {};
    while (end > 0 && isNameSeparator(name.at(end - 1)))
        --end;
    return name.left(end);
}

QString EvacuationPlan::tierKey(const QString &tenant, const QString &tier)
{
    if (tier.isEmpty())
        return {};
    return tenant.toLower() + QChar(0x1f) + tier.toLower();
}

const EvacuationPlan::Host *EvacuationPlan::host(const QString &uri) const
{
    const auto it = std::find_if(hosts.cbegin(), hosts.cend(), [&uri](const Host &h) { return h.uri == uri; });
    return it == hosts.cend() ? nullptr : &*it;
}

bool EvacuationPlan::fits() const
{
    return std::all_of(moves.cbegin(), moves.cend(), [](const Move &move) { return move.problem.isEmpty(); });
}

void EvacuationPlan::review()
{
    QHash<QString, quint64> needed;
    for (const Move &move : std::as_const(moves))
        needed[move.destUri] += move.neededMemoryKiB();
    for (Move &move : moves) {
        move.problem.clear();
        move.notes.clear();
        const Host *dest = host(move.destUri);
        if (!dest || !move.candidates.contains(move.destUri)) {
            move.problem = Tr::tr("The pre-flight does not accept this host for it.");
            continue;
        }
        const quint64 total = needed.value(move.destUri);
        if (move.neededMemoryKiB() > 0 && total > dest->freeMemoryKiB) {
            move.problem = Tr::tr("Not enough free memory on %1 for the VMs the plan sends there: %2 needed, %3 free.")
                               .arg(dest->name, formatMemoryKiB(total), formatMemoryKiB(dest->freeMemoryKiB));
        }
        if (crossSite(site, dest->site)) {
            QString note = move.active
                ? Tr::tr("%1 is on another site (%2) than %3 (%4): the VM's memory crosses the link between the sites, "
                         "and so do its disks, in full, if they are copied.")
                      .arg(dest->name, dest->site, hostName, site)
                : Tr::tr("%1 is on another site (%2) than %3 (%4): a VM that is off moves as its definition only, so "
                         "its disks must be reachable from %1.")
                      .arg(dest->name, dest->site, hostName, site);
            // The planner crosses only when it must.
            if (move.destUri == move.plannedDestUri)
                note += QLatin1Char(' ') + Tr::tr("No host of %1 can take it.").arg(site);
            move.notes.append(note);
        }
        const QString key = tierKey(move.tenant, move.tier);
        if (!key.isEmpty()) {
            QStringList mates = dest->tierMembers.value(key);
            for (const Move &other : std::as_const(moves)) {
                if (&other != &move && other.destUri == move.destUri && tierKey(other.tenant, other.tier) == key)
                    mates.append(other.vmName);
            }
            if (!mates.isEmpty()) {
                // %2: the VMs' names, %3: the tier's.
                QString note = Tr::tr("Shares %1 with %2, of the same tier (%3): that host down stops them together.")
                                   .arg(dest->name, mates.join(QStringLiteral(", ")), move.tier);
                if (move.destUri == move.plannedDestUri && !move.compromise.isEmpty())
                    note += QLatin1Char(' ') + move.compromise;
                move.notes.append(note);
            }
        }
    }
}

EvacuationPlan EvacuationPlan::make(const Inventory &inventory, const Preflight &preflight, const QString &hostUri)
{
    const Preflight::FreeMemoryMemo memo(preflight); // the inventory stands still until the plan is made
    EvacuationPlan plan;
    plan.hostUri = hostUri;
    plan.hostName = inventory.host(hostUri).displayName;
    plan.site = siteOf(plan.hostName);
    QList<VmInfo> vms;
    for (const VmKey &key : inventory.vmKeysOfHost(hostUri))
        vms.append(inventory.vm(key));
    // Biggest first: they have the fewest places to go. Then by name: the same fleet gives the
    // same plan (the order in which a host lists its VMs changes between runs).
    std::sort(vms.begin(), vms.end(), [](const VmInfo &a, const VmInfo &b) {
        const quint64 am = a.isActive() ? a.memoryKiB : 0;
        const quint64 bm = b.isActive() ? b.memoryKiB : 0;
        if (am != bm)
            return am > bm;
        if (a.vcpus != b.vcpus)
            return a.vcpus > b.vcpus;
        return a.name != b.name ? a.name < b.name : a.uuid < b.uuid;
    });
    // What the plan needs of each destination, read once (200 hosts for each of 50 VMs: reading
    // them per VM and host took 360 ms of the GUI thread at 10,000 VMs).
    struct Capacity
    {
        quint64 memoryKiB = 0;
        int cpus = 0;
        int committedVcpus = 0;
    };
    QHash<QString, qsizetype> hostIndex; // plan.hosts by URI
    QHash<QString, Capacity> capacities;
    const auto hostEntry = [&plan, &inventory, &preflight, &hostIndex, &capacities](const QString &uri) -> const Host & {
        if (const auto known = hostIndex.constFind(uri); known != hostIndex.cend())
            return plan.hosts.at(*known);
        const HostInfo info = inventory.host(uri);
        capacities.insert(uri, {info.memoryKiB, info.cpus, inventory.committedVcpus(uri)});
        Host host;
        host.uri = uri;
        host.name = inventory.host(uri).displayName;
        host.site = siteOf(host.name);
        host.freeMemoryKiB = preflight.freeMemoryKiB(uri);
        for (const VmKey &key : inventory.vmKeysOfHost(uri)) {
            const VmInfo &vm = inventory.vm(key);
            if (const QString tier = tierKey(vm.tenant, tierOf(vm)); !tier.isEmpty())
                host.tierMembers[tier].append(vm.shownName());
        }
        hostIndex.insert(uri, plan.hosts.size());
        plan.hosts.append(host);
        return plan.hosts.last();
    };
    QHash<QString, quint64> promisedMemory;
    QHash<QString, int> promisedVcpus;
    QHash<QString, QHash<QString, int>> promisedTiers; // host -> tier key -> VMs the plan sends there
    const QStringList hostUris = inventory.hostUris();
    for (const VmInfo &vm : std::as_const(vms)) {
        Move move;
        move.vm = vm.key();
        move.vmName = vm.shownName();
        move.tenant = vm.tenant;
        move.tier = tierOf(vm);
        move.active = vm.isActive();
        move.memoryKiB = vm.memoryKiB;
        move.vcpus = vm.vcpus;
        move.disks = diskDevices(vm);
        const QString tier = tierKey(move.tenant, move.tier);
        const quint64 memory = move.neededMemoryKiB();
        const int vcpus = move.active ? vm.vcpus : 0;

        // Compared in this order: on another site, VMs of its tier there, then the headroom.
        struct Choice
        {
            QString uri;
            bool otherSite = false;
            qsizetype tierMates = 0;
            double score = 0;
            [[nodiscard]] bool betterThan(const Choice &o) const
            {
                if (otherSite != o.otherSite)
                    return !otherSite;
                if (tierMates != o.tierMates)
                    return tierMates < o.tierMates;
                return score > o.score;
            }
        };
        std::optional<Choice> best;
        bool freeOfTierElsewhere = false; // a host without the tier fits, on another site
        QString firstRefusal;
        for (const QString &dest : hostUris) {
            if (dest == hostUri)
                continue;
            const PlacementCheck check = preflight.checkMigration(vm.key(), dest);
            if (!check.allowed) {
                if (firstRefusal.isEmpty())
                    firstRefusal = check.reason;
                continue;
            }
            move.candidates.append(dest);
            const Host &host = hostEntry(dest);
            const quint64 promised = promisedMemory.value(dest);
            if (promised + memory > host.freeMemoryKiB) {
                if (firstRefusal.isEmpty()) {
                    firstRefusal = Tr::tr("Not enough free memory left on %1 once the plan's other VMs are there.").arg(host.name);
                }
                continue;
            }
            const Capacity capacity = capacities.value(dest);
            const double memoryLeft = capacity.memoryKiB > 0 ? double(host.freeMemoryKiB - promised - memory) / double(capacity.memoryKiB) : 0.0;
            const int vcpusLeft = capacity.cpus - capacity.committedVcpus - promisedVcpus.value(dest) - vcpus;
            const double cpuLeft = capacity.cpus > 0 ? double(vcpusLeft) / capacity.cpus : 0.0;
            const qsizetype mates = tier.isEmpty() ? 0 : host.tierMembers.value(tier).size() + promisedTiers.value(dest).value(tier);
            const Choice choice{dest, crossSite(plan.site, host.site), mates, memoryLeft + cpuLeft};
            if (choice.otherSite && choice.tierMates == 0)
                freeOfTierElsewhere = true;
            if (!best || choice.betterThan(*best))
                best = choice;
        }
        if (!best) {
            plan.unplaced.append({vm.key(), move.vmName, firstRefusal.isEmpty() ? Tr::tr("No other host.") : firstRefusal});
            continue;
        }
        if (best->tierMates > 0) {
            move.compromise = !best->otherSite && freeOfTierElsewhere
                ? Tr::tr("The hosts that can take it without one of its tier are on another site.")
                : Tr::tr("Every other host that can take it already holds one of its tier.");
        }
        promisedMemory[best->uri] += memory;
        promisedVcpus[best->uri] += vcpus;
        if (!tier.isEmpty())
            ++promisedTiers[best->uri][tier];
        move.destUri = best->uri;
        move.plannedDestUri = best->uri;
        plan.moves.append(move);
    }
    plan.review();
    return plan;
}

} // namespace Vigie
