#pragma once

#include "network/networkmismatch.h"
#include "network/nicportmatch.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Vigie {

class Inventory;
class OvnNorthbound;
class OvnSouthbound;
struct OvnChassis;

// Matches the inventory's VM NICs with the controller's logical switch ports (see NicPortMatch)
// and lists where the two disagree. Follows both: every change of either schedules one
// recomputation per event-loop pass, which is diffed into precise mismatch signals. Disabled
// (nothing matched, no mismatch) until the controller has been read once, so that an absent
// controller is not reported as every NIC lacking its port. Bindings are judged only once the
// southbound database has been read, and a binding disagreement is reported only when it lasts
// (a live migration moves the binding a moment after the VM).
class NetworkCorrelation : public QObject
{
    Q_OBJECT

public:
    // The bridge ovn-controller plugs VM ports into, unless configured otherwise (ovn-bridge).
    static constexpr QStringView IntegrationBridge = u"br-int";

    NetworkCorrelation(Inventory *inventory, OvnNorthbound *northbound, OvnSouthbound *southbound = nullptr,
                       QObject *parent = nullptr);

    void setEnabled(bool enabled);
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    void setSouthboundEnabled(bool enabled);
    [[nodiscard]] bool isSouthboundEnabled() const { return m_southboundEnabled; }
    // How long a binding disagreement must last to be reported (default 5 s).
    void setBindingGrace(int milliseconds) { m_bindingGraceMs = milliseconds; }
    // Recomputes now (the scheduled pass does the same).
    void refresh();

    [[nodiscard]] QList<NicPortMatch> matches() const { return m_matches.values(); }
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

    // What a mismatch means, for the operator.
    [[nodiscard]] static QString describe(const NetworkMismatch &mismatch);
    [[nodiscard]] static QString kindName(NetworkMismatch::Kind kind);

Q_SIGNALS:
    void mismatchAdded(const Vigie::NetworkMismatch &mismatch);
    void mismatchChanged(const Vigie::NetworkMismatch &mismatch);
    void mismatchRemoved(const Vigie::NetworkMismatch &mismatch);
    // The NIC-to-port matches changed (after the mismatch signals of the same pass).
    void matchesChanged();

private:
    void schedule();
    // Duplicate addresses and addresses outside their switch's subnet among the VM ports, and
    // VM ports without port security. PLUGGED_BY: the match of the NIC in each port.
    void addressMismatches(const QHash<QString, const NicPortMatch *> &pluggedBy, QHash<QString, NetworkMismatch> &mismatches) const;

    Inventory *m_inventory;
    QPointer<OvnNorthbound> m_northbound;
    QPointer<OvnSouthbound> m_southbound;
    bool m_enabled = false;
    bool m_southboundEnabled = false;
    int m_bindingGraceMs = 5000;
    QHash<QString, NicPortMatch> m_matches;        // by "hostUri|uuid|mac"
    QHash<QString, NetworkMismatch> m_mismatches;  // by NetworkMismatch::key()
    QHash<QString, qint64> m_bindingSince;         // binding disagreements seen, not yet reported
    QHash<QString, QString> m_chassisHost;         // chassis uuid -> host URI
    QElapsedTimer m_clock;
    QTimer m_timer;
    QTimer m_graceTimer;
};

} // namespace Vigie
