#pragma once

#include "inventory/controllerwiring.h"
#include "inventory/eventrecord.h"
#include "inventory/vminfo.h"
#include "network/addressholds.h"
#include "network/networkmismatch.h"
#include "network/nicportmatch.h"
#include "network/ovnlogicalswitch.h"
#include "network/ovnlogicalswitchport.h"
#include "network/ovsdbclient.h"
#include "network/ovsdbsslsettings.h"
#include "onceperturn.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QStringList>

#include <optional>

namespace Vigie {

class Inventory;
class IsolationAudit;
class NetworkCorrelation;
class OvnNorthbound;
class OvnSouthbound;
class OvnPolicy;
class PortAddressing;
class SubnetEditor;
class PortIsolation;
class SessionManager;
class SubnetPlan;

// The network controller (an OVN northbound database, one or several clustered remotes, and its
// southbound database when Vigie is given one) as Vigie uses it: the OVSDB clients and their OVN
// mappings, the correlation with the inventory, the VLANs and NIC wiring it gives the inventory,
// and the actions that go through it (move a VM NIC to another VLAN, create and delete a VLAN).
// Rows another system owns (Neutron's) are never written: the actions say who owns them.
// Lives on the GUI thread; the clients are asynchronous.
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
    // The southbound database's remotes (chassis and port bindings); none: bindings unknown.
    void setSouthboundRemotes(const QStringList &remotes);
    [[nodiscard]] QStringList southboundRemotes() const { return m_sbRemotes; }
    [[nodiscard]] bool isSouthboundSynced() const;
    // Files for ssl: remotes of both databases, and the server certificates the operator
    // trusted. A change reconnects the clients that are connected.
    void setSslSettings(const OvsdbSslSettings &ssl);
    [[nodiscard]] OvsdbSslSettings sslSettings() const { return m_ssl; }
    // The demo datacenter's simulated controller (SessionManager::demoControllerStarted): used,
    // and labelled demo, while no real controller is configured. setRemotes() leaves it.
    void setDemoRemotes(const QStringList &northbound, const QStringList &southbound);
    [[nodiscard]] bool isDemo() const { return m_demo; }
    [[nodiscard]] OvsdbClient *client() const { return m_client; }
    [[nodiscard]] OvsdbClient *southboundClient() const { return m_sbClient; }
    [[nodiscard]] OvnNorthbound *northbound() const { return m_northbound; }
    [[nodiscard]] OvnSouthbound *southbound() const { return m_southbound; }
    [[nodiscard]] NetworkCorrelation *correlation() const { return m_correlation; }
    // The ports' IP addresses: assigned, checked, port security.
    [[nodiscard]] PortAddressing *addressing() const { return m_addressing; }
    // The VLANs' addressing: subnet, gateway, DNS, lease, excluded addresses.
    [[nodiscard]] SubnetEditor *subnets() const { return m_subnets; }
    // The security policy: port groups, ACLs, address sets; and tenant isolation through them.
    [[nodiscard]] OvnPolicy *policy() const { return m_policy; }
    [[nodiscard]] PortIsolation *isolation() const { return m_isolation; }
    // The NICs of isolated tenants whose ports are outside the tenant's group.
    [[nodiscard]] IsolationAudit *isolationAudit() const { return m_isolationAudit; }
    // What a switch's subnet holds (SubnetPlan::ofSwitch), with the addresses this console's
    // transactions still in flight are giving: two placements a moment apart get two addresses.
    [[nodiscard]] SubnetPlan addressPlan(const QString &switchUuid) const;
    // Holds an address while a transaction gives it (see AddressHolds); answer with the result.
    quint64 holdAddress(const QString &switchUuid, const QString &address, const QString &port);
    void addressAnswered(quint64 hold, bool ok) { m_addressHolds.answered(hold, ok); }
    [[nodiscard]] Inventory *inventory() const { return m_inventory; }
    // One line for the status bar, and the details for its tooltip.
    [[nodiscard]] QString stateText() const;
    [[nodiscard]] QString stateDetails() const;

    // The VLAN switch carrying VLAN_ID (the smallest name when several do), or an empty switch.
    [[nodiscard]] OvnLogicalSwitch switchForVlan(int vlanId) const;

    // Whether moving this NIC goes through the controller: its port is known there.
    [[nodiscard]] bool managesNic(const VmKey &vm, const QString &mac) const;
    // Whether the NIC is wired by the controller alone (libvirt gives it no VLAN): moving it moves
    // its port and leaves libvirt untouched.
    [[nodiscard]] bool wiresNicAlone(const VmKey &vm, const QString &mac) const;
    // Why Vigie leaves a row of OWNER alone, naming WHAT (a port, a switch), or empty for
    // rows nobody else owns.
    [[nodiscard]] static QString ownerRefusal(const QString &what, OvnOwner owner);
    // Why the controller cannot move the NIC into VLAN_ID, or empty.
    [[nodiscard]] QString moveRefusal(const VmKey &vm, const QString &mac, int vlanId) const;
    // One transaction moves the NIC's port to the VLAN's switch (with an address of the new
    // switch's subnet when it has one), then libvirt follows when it states a VLAN for the NIC;
    // if libvirt fails the port is moved back. Ends with nicMoveFinished.
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

    // What a failed transaction says, for the operator.
    [[nodiscard]] static QString transactError(const OvsdbTransactResult &result);
    // Records an event of the controller's (the event log listens to eventRecorded).
    void record(const QString &host, const QString &vm, const QString &action, const QString &result,
                EventRecord::Severity severity);

    // The inventory's view of the controller's NICs (by lower-case MAC), from the correlation's
    // matches.
    [[nodiscard]] static QHash<QString, ControllerNic> controllerNics(const QList<NicPortMatch> &matches);

    // The transactions, for tests: each relies on what it changes with "wait" operations, so a
    // concurrent change makes it fail instead of acting on a stale picture.
    // A port's new addressing in the switch it moves to: ADDRESSES and PORT_SECURITY replace
    // the ones it had (WAS), DHCP the DHCP_Options row (empty: none).
    struct Readdressing
    {
        QStringList was;
        QStringList addresses;
        QStringList portSecurity;
        QString dhcpOptions;
    };
    [[nodiscard]] static QJsonArray movePortOperations(const QString &portUuid, const OvnLogicalSwitch &from,
                                                       const OvnLogicalSwitch &to,
                                                       const std::optional<Readdressing> &readdressing = std::nullopt);
    // The addressing PORT gets in TO: "MAC IP" with a free address of TO's subnet, port security
    // following when the port had it. Nothing when TO's subnet is not known.
    [[nodiscard]] std::optional<Readdressing> readdressingFor(const OvnLogicalSwitchPort &port, const OvnLogicalSwitch &to) const;
    // IP: the address the port is given, with port security stating the same (a placed VM's
    // first free address of the switch's subnet); empty for a port with its MAC alone. DHCP: the
    // switch's DHCP_Options row, which then answers the port's DHCP requests with IP (IPv4).
    [[nodiscard]] static QJsonArray addPortOperations(const OvnLogicalSwitch &into, const QString &portName, const QString &mac,
                                                      const QString &vmName, const QString &tenant, const QString &ip = {},
                                                      const QString &dhcpOptions = {});
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
    // A server certificate of either database failed verification: the operator may trust it.
    void certificateRejected(const Vigie::OvsdbCertificateProblem &problem);

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
    // Asks libvirt to move the NIC (the last step of a move); its reply finishes the move.
    void moveInLibvirt(const VmKey &vm, const QString &mac, int vlanId);
    void libvirtMoveFinished(const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message);
    void finishMove(const Move &move, bool ok, const QString &message);
    void publishVlans();
    void publishNics();
    // Only the NICs of these matches (the correlation's changes of one pass).
    void publishNicChanges(const QList<NicPortMatch> &changed, const QList<NicPortMatch> &removed);
    // The port groups whose rules apply to the port (display names).
    [[nodiscard]] QStringList policyOf(const QString &portUuid) const;
    void onSouthboundState(OvsdbClient::State state);
    [[nodiscard]] static QString moveKey(const VmKey &vm, const QString &mac);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    OvsdbClient *m_client;
    OvsdbClient *m_sbClient;
    OvnNorthbound *m_northbound;
    OvnSouthbound *m_southbound;
    NetworkCorrelation *m_correlation;
    PortAddressing *m_addressing;
    SubnetEditor *m_subnets;
    OvnPolicy *m_policy;
    PortIsolation *m_isolation;
    IsolationAudit *m_isolationAudit;
    AddressHolds m_addressHolds;
    QStringList m_remotes;
    QStringList m_sbRemotes;
    OvsdbSslSettings m_ssl;
    bool m_demo = false;
    bool m_vlansTouched = false;   // a switch, DHCP row or chassis changed: publish the VLANs
    // Each switch as last published (without its ports) and the DHCP row its ports vote for.
    QHash<QString, std::pair<OvnLogicalSwitch, QString>> m_vlanFacts;
    QHash<QString, Move> m_moves; // by moveKey
    int m_loggedState = -1;        // the last connection state written to the event log
    QMap<int, QString> m_vlanSwitches; // VLAN id -> the name of the switch carrying it
    // The VLANs published again once per turn for the hosts that changed or went (a fleet
    // connecting changes 200 hosts in a few turns; each publication maps every chassis).
    OncePerTurn m_publishVlansSoon{this, [this] { publishVlans(); }};
};

} // namespace Vigie
