#pragma once

#include "network/networkmismatch.h"
#include "network/nicportmatch.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace Vigie {

class Inventory;
class NetworkCorrelation;
class OvnPolicy;

// Keeps a tenant's isolation whole: a NIC of a VM of an isolated tenant (a Vigie isolation group
// names the tenant) whose port is outside that group is a mismatch. Its traffic escapes the
// tenant's rules: a port created behind Vigie's back, or removed from the group by hand. Ports
// another system owns (Neutron's) are never in an isolation (their security groups are set in
// OpenStack) and are not judged; nor are NICs without a port (libvirt-wired). Follows the
// correlation's matches one NIC at a time, and looks at every NIC again only when the port groups
// change. Lives on the GUI thread.
class IsolationAudit : public QObject
{
    Q_OBJECT

public:
    IsolationAudit(Inventory *inventory, NetworkCorrelation *correlation, OvnPolicy *policy, QObject *parent = nullptr);

    // Sorted by VM name, then MAC.
    [[nodiscard]] QList<NetworkMismatch> mismatches() const;

Q_SIGNALS:
    void mismatchAdded(const Vigie::NetworkMismatch &mismatch);
    void mismatchChanged(const Vigie::NetworkMismatch &mismatch);
    void mismatchRemoved(const Vigie::NetworkMismatch &mismatch);

private:
    [[nodiscard]] static QString keyOf(const VmKey &vm, const QString &mac);
    void groupsChanged();
    void matchesUpdated(const QList<NicPortMatch> &changed, const QList<NicPortMatch> &removed);
    void vmChanged(const VmKey &vm);
    // Judges one NIC again and signals the difference.
    void judge(const QString &key);

    QPointer<Inventory> m_inventory;
    QPointer<NetworkCorrelation> m_correlation;
    QPointer<OvnPolicy> m_policy;
    QHash<QString, NicPortMatch> m_matches;          // by keyOf(vm, mac)
    QHash<VmKey, QSet<QString>> m_keysOfVm;          // the matches of a VM
    QHash<QString, QString> m_groupOfTenant;         // isolated tenant -> its group's uuid
    QHash<QString, QSet<QString>> m_groupPorts;      // group uuid -> its ports
    QHash<QString, QString> m_groupNames;            // group uuid -> name
    QHash<QString, NetworkMismatch> m_mismatches;    // by keyOf(vm, mac)
};

} // namespace Vigie
