#pragma once

#include "network/networkmismatch.h"
#include "network/nicportmatch.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Vigie {

class Inventory;
class OvnNorthbound;

// Matches the inventory's VM NICs with the controller's logical switch ports and lists where the
// two disagree. Follows both: every change of either schedules one recomputation per event-loop
// pass, which is diffed into precise mismatch signals. Disabled (nothing matched, no mismatch)
// until the controller has been read once, so that an absent controller is not reported as
// every NIC lacking its port.
class NetworkCorrelation : public QObject
{
    Q_OBJECT

public:
    NetworkCorrelation(Inventory *inventory, OvnNorthbound *northbound, QObject *parent = nullptr);

    void setEnabled(bool enabled);
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
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

    Inventory *m_inventory;
    QPointer<OvnNorthbound> m_northbound;
    bool m_enabled = false;
    QHash<QString, NicPortMatch> m_matches;        // by "hostUri|uuid|mac"
    QHash<QString, NetworkMismatch> m_mismatches;  // by NetworkMismatch::key()
    QTimer m_timer;
};

} // namespace Vigie
