#pragma once

#include "inventory/networkinfo.h"
#include "network/networkmismatch.h"
#include "network/nicportindex.h"
#include "network/nicportmatch.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <optional>

namespace Vigie {

class Inventory;
class OvnNorthbound;
class OvnSouthbound;
struct OvnChassis;
struct OvnLogicalSwitch;
struct OvnLogicalSwitchPort;

// Matches the inventory's VM NICs with the controller's logical switch ports (see NicPortMatch)
// and lists where the two disagree. Follows both, one VM, one port and one switch at a time: a
// change of either marks what it touches, and one pass per event-loop turn looks at those again
// and signals the precise differences. A host that comes, changes its name or networks, or
// becomes another chassis's host marks its own VMs, the VMs bound on the chassis that moved and
// the ports left without a VM whose watching it decides; a change of the chassis table, or a
// host that goes, makes the next pass look at everything. A pass that looks at everything
// (10,000 VMs and ports: a controller read again) is cut in slices of a few milliseconds, one per
// event-loop turn; meanwhile the queries answer what was last signalled, and what changes is
// looked at once it is done. Disabled (nothing matched, no
// mismatch) until the controller has been read once, so that an absent controller is not
// reported as every NIC lacking its port. Bindings are judged only once the southbound database
// has been read, and a binding disagreement is reported only when it lasts (a live migration
// moves the binding a moment after the VM).
class NetworkCorrelation : public QObject
{
    Q_OBJECT

public:
    // The bridge ovn-controller plugs VM ports into, unless configured otherwise (ovn-bridge).
    static constexpr QStringView IntegrationBridge = u"br-int";

    NetworkCorrelation(Inventory *inventory, OvnNorthbound *northbound, OvnSouthbound *southbound = nullptr,
                       QObject *parent = nullptr);

    // Turned on, it starts looking at everything again at once; turned off, it tells what it
    // found gone from the next event-loop turn.
    void setEnabled(bool enabled);
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    void setSouthboundEnabled(bool enabled);
    [[nodiscard]] bool isSouthboundEnabled() const { return m_southboundEnabled; }
    // How long a binding disagreement must last to be reported (default 5 s).
    void setBindingGrace(int milliseconds) { m_bindingGraceMs = milliseconds; }
    // Looks at everything again, now, in one go (the matches it changed are still told a few
    // hundred per turn).
    void refresh();
    // How long a slice of a pass that looks at everything lasts (default SliceMs), checked every
    // ITEMS VMs or ports (default 64); and how many changed matches one matchesUpdated tells at
    // most (default MatchesPerSignal: the rest at the next turns, a fleet's listeners take
    // tens of microseconds for each).
    void setSlice(int milliseconds, int items = 64, int matchesPerSignal = MatchesPerSignal);
    static constexpr int SliceMs = 8;
    static constexpr int MatchesPerSignal = 200;
    // Whether a pass that looks at everything is under way, changed VMs are left for the next
    // turns, or matches are left to tell.
    [[nodiscard]] bool isPassing() const
    {
        return m_whole.has_value() || m_vmsLeft || !m_matchesBefore.isEmpty() || (m_all && m_timer.isActive());
    }

    [[nodiscard]] QList<NicPortMatch> matches() const { return shownMatches().values(); }
    [[nodiscard]] qsizetype matchCount() const { return shownMatches().size(); }
    // The matches of the NICs with this MAC (case-insensitive): one, or two while a VM migrates.
    [[nodiscard]] QList<NicPortMatch> matchesOfMac(const QString &mac) const;
    // The match of one NIC (by MAC, case-insensitive), or nothing.
    [[nodiscard]] std::optional<NicPortMatch> matchOf(const VmKey &vm, const QString &mac) const;
    // The NIC plugged into a port (by port uuid), or nothing.
    [[nodiscard]] std::optional<NicPortMatch> matchOfPort(const QString &portUuid) const;
    // Sorted by kind, then VM name, then port.
    [[nodiscard]] QList<NetworkMismatch> mismatches() const;
    [[nodiscard]] qsizetype mismatchCount() const { return m_mismatches.size(); }
    // The inventory host a chassis is (its hostname, short or full, or its name is the host's
    // name), or empty.
    [[nodiscard]] QString hostOfChassis(const QString &chassisUuid) const { return m_chassisHost.value(chassisUuid); }
    // Recomputes which host each chassis is (refresh() does too).
    void mapChassisToHosts();
    // How many VMs the passes so far looked at again: what changes cost (tests, benchmarks).
    [[nodiscard]] qint64 correlatedVmCount() const { return m_correlatedVms; }

    // What a mismatch means, for the operator.
    [[nodiscard]] static QString describe(const NetworkMismatch &mismatch);
    [[nodiscard]] static QString kindName(NetworkMismatch::Kind kind);

Q_SIGNALS:
    void mismatchAdded(const Vigie::NetworkMismatch &mismatch);
    void mismatchChanged(const Vigie::NetworkMismatch &mismatch);
    void mismatchRemoved(const Vigie::NetworkMismatch &mismatch);
    // The NIC-to-port matches changed (after the mismatch signals of the same pass): CHANGED
    // are new or different, REMOVED are gone (as they were).
    void matchesUpdated(const QList<Vigie::NicPortMatch> &changed, const QList<Vigie::NicPortMatch> &removed);
    // The same, for whom the details do not matter.
    void matchesChanged();

private:
    // What a host contributes to every port's and NIC's verdict.
    struct HostFacts
    {
        QString hostname;
        QString displayName;
        QList<NetworkInfo> networks;
        friend bool operator==(const HostFacts &, const HostFacts &) = default;
    };

    // A pass that looks at everything, in slices: its steps, where it is, and what the queries
    // answer meanwhile (the matches as last signalled).
    struct WholePass
    {
        enum class Step { IndexPorts, IndexVms, CorrelateVms, JudgePorts, Switches };
        Step step = Step::IndexPorts;
        QStringList ports;
        QList<VmKey> vms;
        QStringList switches;
        qsizetype next = 0;
        QSet<QString> touched;
        QHash<QString, NicPortMatch> matches;
        QHash<QString, QStringList> macMatches;
        QHash<QString, QStringList> pluggedBy;
    };

    [[nodiscard]] const QHash<QString, NicPortMatch> &shownMatches() const { return m_whole ? m_whole->matches : m_matches; }
    void schedule();
    void scheduleAll();
    void passSoonWhenOff(bool on);
    // A pass: the slice of a pass that looks at everything due, or the changes marked. BUDGET_MS
    // < 0: to the end.
    void pass(qint64 budgetMs);
    void startWholePass();
    // True when the pass that looks at everything is done (what it touched is left to signal).
    bool continueWholePass(qint64 budgetMs);
    void noteHost(const QString &uri);
    // The hosts marked, or the chassis mapping changed since the verdicts: marks what they touch;
    // the ports whose watching alone may have changed go to REJUDGE.
    void applyHostChanges(QSet<QString> &rejudge);
    // The keys of what decides whether PORT is watched (see isWatched): "c:" and its bound
    // chassis, or "h:" and the host names it is requested on. Filed by judgePort.
    [[nodiscard]] QStringList watchKeys(const OvnLogicalSwitchPort &port) const;
    void fileWatchKeys(const QString &portUuid, const QStringList &keys);
    // The hosts' names (m_hosts), lower-case, full and short: m_watchedHosts.
    [[nodiscard]] QSet<QString> watchedNames() const;
    void noteVm(const VmKey &key);
    void noteVmChanged(const VmKey &key);
    void notePort(const OvnLogicalSwitchPort &port);
    void noteSwitch(const OvnLogicalSwitch &logicalSwitch);
    void noteBindings(const QStringList &logicalPorts);
    bool mapChassis(); // true when the mapping changed
    // One pass: everything marked is looked at again, and the differences are signalled.
    void update();
    void clearFound(QSet<QString> &touched);
    void reindexPort(const QString &portUuid, QSet<VmKey> &vms, QSet<QString> &switches);
    // Drops what VM KEY's NICs gave and finds it again; the ports it was or is plugged into are
    // added to PORTS.
    void correlateVm(const VmKey &key, QSet<QString> &ports, QSet<QString> &touched);
    void judgePort(const QString &portUuid, QSet<QString> &touched);
    // What a switch's address checks find among its VM ports, whatever is plugged into them:
    // duplicate addresses, addresses outside its subnet, ports without port security.
    struct SwitchFinding
    {
        NetworkMismatch::Kind kind;
        QString portUuid;
        QString address;
        QString otherPort; // of a duplicate address: the first port (by name) holding it
        QString subnet;
    };
    // Reads the switch's ports again: its findings.
    // The changed VMs this pass correlates: all of them, or, with a BUDGET_MS, as many as the
    // last passes' pace says fit in it (hosts arriving by the dozen in one turn mark thousands);
    // the others stay marked, for the next turns.
    [[nodiscard]] QSet<VmKey> takeDirtyVms(qint64 budgetMs);
    // The tables that grow with the fleet, sized for it ahead: by the controller's ports, known
    // before the hosts connect. A hash that doubles rehashes all it holds, tens of milliseconds at
    // 10,000 VMs in whichever pass crosses the line.
    void reserveForFleet();
    // VMS read into the index and correlated; the ports they reach are added to PORTS.
    void correlateVms(const QSet<VmKey> &vms, QSet<QString> &ports, QSet<QString> &touched);
    // How many VMs the next pass takes, after this one took ELAPSED_NS for VMS.
    void pace(qsizetype vms, qint64 budgetMs, qint64 elapsedNs);
    void scanSwitch(const QString &switchUuid);
    // Its findings as mismatches, with the VMs plugged in now (a port without port security
    // counts only with a VM in it); what it found before is forgotten by then.
    void judgeSwitch(const QString &switchUuid, QSet<QString> &touched);
    // What a switch's address checks say of the NIC plugged into PORT (VM, name, MAC, interface
    // id of its first match), empty when nothing is; and its value before this pass changed it.
    [[nodiscard]] QString pluggedIdentity(const QString &portUuid) const;
    void notePluggedBefore(const QString &portUuid);
    void found(const NetworkMismatch &mismatch, QStringList &owned, QSet<QString> &touched);
    void forget(QStringList &owned, QSet<QString> &touched);
    // Signals the mismatches whose keys are TOUCHED or whose grace ended, and the matches.
    void publish(const QSet<QString> &touched);
    [[nodiscard]] bool isWatched(const QStringList &watchKeys) const;

    Inventory *m_inventory;
    QPointer<OvnNorthbound> m_northbound;
    QPointer<OvnSouthbound> m_southbound;
    bool m_enabled = false;
    bool m_southboundEnabled = false;
    int m_bindingGraceMs = 5000;
    // What the next pass looks at.
    bool m_all = true;
    QSet<VmKey> m_dirtyVms;
    QSet<QString> m_dirtyPorts;    // port uuids
    QSet<QString> m_dirtySwitches; // switch uuids, for their address checks
    QSet<QString> m_dirtyHosts;    // host URIs whose facts changed
    QHash<QString, HostFacts> m_hosts;
    QSet<QString> m_watchedHosts;                  // watchedNames() as the verdicts were made with
    NicPortIndex m_index;
    qint64 m_correlatedVms = 0;
    QHash<VmKey, VmInfo> m_vmsSeen;                // the VMs as the last pass read them
    QHash<QString, QString> m_portSwitch;          // port uuid -> switch uuid, as last indexed
    QHash<QString, QSet<QString>> m_switchPorts;   // switch uuid -> its VM ports
    QHash<QString, OvnLogicalSwitch> m_switchFacts; // switch uuid -> the switch as last seen, without its ports
    QHash<QString, NicPortMatch> m_matches;        // by "hostUri|uuid|mac"
    QHash<QString, QStringList> m_macMatches;      // lower-case MAC -> match keys
    QHash<QString, QStringList> m_pluggedBy;       // port uuid -> keys of the matches of the NICs in it, sorted
    QHash<VmKey, QStringList> m_vmMatches;         // VM -> its match keys
    QHash<VmKey, QStringList> m_vmFound;           // VM -> keys of the mismatches of its NICs
    QHash<QString, QStringList> m_portFound;       // port uuid -> key of its port-without-VM mismatch
    QHash<QString, QStringList> m_switchFound;     // switch uuid -> keys of its address mismatches
    QHash<QString, QList<SwitchFinding>> m_switchFindings; // switch uuid -> what its last scan found
    QHash<QString, NetworkMismatch> m_found;       // every mismatch found, binding ones in their grace too
    QHash<QString, NetworkMismatch> m_mismatches;  // the ones reported, by NetworkMismatch::key()
    QHash<QString, qint64> m_bindingSince;         // binding disagreements found -> since when
    QSet<QString> m_inGrace;                       // of those, the ones not reported yet
    qint64 m_nextGraceEnd = -1;                    // when the first of those is due
    // The matches changed and not told yet -> as last told (a pass's, and those left to tell).
    QHash<QString, std::optional<NicPortMatch>> m_matchesBefore;
    QHash<QString, QString> m_pluggedBefore; // this pass's re-plugged ports -> pluggedIdentity() as it was
    QHash<QString, QString> m_chassisHost;         // chassis uuid -> host URI
    QHash<QString, QString> m_judgedChassisHost;   // the same, as the verdicts were made with (differs: a pass is due)
    QHash<QString, QSet<QString>> m_portsByWatchKey; // watchKeys() -> ports judged without a VM
    QHash<QString, QStringList> m_watchKeysOfPort;   // the reverse
    std::optional<WholePass> m_whole;
    int m_sliceMs = SliceMs;
    int m_sliceItems = 64;
    qsizetype m_vmsPerPass = 4 * 64; // changed VMs one pass takes at most (takeDirtyVms), after its pace
    bool m_vmsLeft = false;       // the last pass left some of them
    QSet<QString> m_portsLater;   // meanwhile, the ports those it took reach: judged after the last
    QSet<QString> m_rejudgeLater; // and the ports whose watching changed
    int m_matchesPerSignal = MatchesPerSignal;
    QElapsedTimer m_clock;
    QTimer m_timer;
    QTimer m_graceTimer;
};

} // namespace Vigie
