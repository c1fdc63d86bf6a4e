#pragma once

#include "inventory/eventrecord.h"
#include "inventory/vminfo.h"
#include "network/networkmismatch.h"
#include "network/ovnlogicalswitch.h"
#include "network/ovsdbclient.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QStringList>

namespace Vigie {

class Inventory;
class NetworkCorrelation;
class OvnNorthbound;
class SessionManager;

// The network controller (an OVN northbound database, one or several clustered remotes) as
// Vigie uses it: the OVSDB client and its OVN mapping, the correlation with the inventory, the
// VLAN names it gives the inventory, and the actions that go through it (move a VM NIC to another
// VLAN, create and delete a VLAN). Lives on the GUI thread; the client is asynchronous.
class NetworkController : public QObject
{
    Q_OBJECT

public:
    NetworkController(Inventory *inventory, SessionManager *sessions, QObject *parent = nullptr);
    ~NetworkController() override;

    // Connects to these remotes of one (clustered) database; none: disconnected.
    void setRemotes(const QStringList &remotes);
    [[nodiscard]] QStringList remotes() const { return m_remotes; }
    [[nodiscard]] bool isConfigured() const { return !m_remotes.isEmpty(); }
    [[nodiscard]] bool isSynced() const;
    [[nodiscard]] OvsdbClient *client() const { return m_client; }
    [[nodiscard]] OvnNorthbound *northbound() const { return m_northbound; }
    [[nodiscard]] NetworkCorrelation *correlation() const { return m_correlation; }
    // One line for the status bar, and the details for its tooltip.
    [[nodiscard]] QString stateText() const;
    [[nodiscard]] QString stateDetails() const;

    // The VLAN switch carrying VLAN_ID (the smallest name when several do), or an empty switch.
    [[nodiscard]] OvnLogicalSwitch switchForVlan(int vlanId) const;

    // Whether moving this NIC goes through the controller: its port is known there.
    [[nodiscard]] bool managesNic(const VmKey &vm, const QString &mac) const;
    // Why the controller cannot move the NIC into VLAN_ID, or empty.
    [[nodiscard]] QString moveRefusal(const VmKey &vm, const QString &mac, int vlanId) const;
    // One transaction moves the NIC's port to the VLAN's switch, then libvirt follows; if libvirt
    // fails the port is moved back. Ends with nicMoveFinished.
    void moveNicToVlan(const VmKey &vm, const QString &mac, int vlanId);
    [[nodiscard]] bool isMoving(const VmKey &vm, const QString &mac) const;

    // Fixes of a VLAN mismatch: libvirt takes the controller's VLAN, or the controller takes
    // libvirt's (its port moves to that VLAN's switch). End with nicMoveFinished.
    void alignLibvirtWithController(const NetworkMismatch &mismatch);
    void alignControllerWithLibvirt(const NetworkMismatch &mismatch);

    // A NIC libvirt has and the controller lacks (a VM just placed): why its port cannot be
    // created, or empty. It needs an Open vSwitch interfaceid, a VLAN with a switch, no port yet.
    [[nodiscard]] QString addPortRefusal(const VmKey &vm, const QString &mac) const;
    // Creates the port (named by the interfaceid, the NIC's MAC, the VM and tenant in
    // external_ids) in the switch of the NIC's VLAN, in one transaction. Ends with portAdded.
    void addPortForNic(const VmKey &vm, const QString &mac);

    // Why a VLAN cannot be created (name or id taken, id out of 1..4094), or empty.
    [[nodiscard]] QString createVlanRefusal(const QString &name, int vlanId) const;
    // A logical switch with a localnet port tagged VLAN_ID on NETWORK_NAME, the tenant in
    // external_ids. Ends with vlanOperationFinished.
    void createVlan(const QString &name, int vlanId, const QString &tenant, const QString &networkName);
    // Why the switch cannot be deleted (it still has VM ports), or empty.
    [[nodiscard]] QString deleteVlanRefusal(const QString &switchUuid) const;
    void deleteVlan(const QString &switchUuid);

    // The transactions, for tests: each relies on what it changes with "wait" operations, so a
    // concurrent change makes it fail instead of acting on a stale picture.
    [[nodiscard]] static QJsonArray movePortOperations(const QString &portUuid, const OvnLogicalSwitch &from,
                                                       const OvnLogicalSwitch &to);
    [[nodiscard]] static QJsonArray addPortOperations(const OvnLogicalSwitch &into, const QString &portName, const QString &mac,
                                                      const QString &vmName, const QString &tenant);
    [[nodiscard]] static QJsonArray createVlanOperations(const QString &name, int vlanId, const QString &tenant,
                                                         const QString &networkName);
    [[nodiscard]] static QJsonArray deleteVlanOperations(const OvnLogicalSwitch &logicalSwitch);

Q_SIGNALS:
    // State, remote or error changed.
    void stateChanged();
    void eventRecorded(const Vigie::EventRecord &record);
    void nicMoveFinished(const Vigie::VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message);
    void vlanOperationFinished(const QString &name, bool ok, const QString &message);
    void portAdded(const Vigie::VmKey &vm, const QString &mac, bool ok, const QString &message);

private:
    struct Move
    {
        VmKey vm;
        QString vmName;
        QString mac;
        int vlanId = 0;
        QString portUuid;
        QString portName;
        QString fromUuid; // the switch the port was moved out of (empty: libvirt only)
        QString toUuid;
    };

    void onClientState(OvsdbClient::State state);
    void onLibvirtMoveFinished(const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message);
    void finishMove(const Move &move, bool ok, const QString &message);
    void record(const QString &host, const QString &vm, const QString &action, const QString &result,
                EventRecord::Severity severity);
    void publishVlans();
    [[nodiscard]] static QString transactError(const OvsdbTransactResult &result);
    [[nodiscard]] static QString moveKey(const VmKey &vm, const QString &mac);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    OvsdbClient *m_client;
    OvnNorthbound *m_northbound;
    NetworkCorrelation *m_correlation;
    QStringList m_remotes;
    QHash<QString, Move> m_moves; // by moveKey
    int m_loggedState = -1;        // the last connection state written to the event log
    QMap<int, QString> m_publishedVlans;
};

} // namespace Vigie
