#pragma once

#include "network/ovndhcpoptions.h"
#include "network/ovnlogicalswitch.h"
#include "network/ovnlogicalswitchport.h"
#include "network/ovsdbcache.h"
#include "network/ovsdbchangeset.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace Vigie {

class OvsdbClient;

// The OVN northbound database seen as VLANs and ports: value snapshots derived from an
// OvsdbClient's cache, updated from each change set with precise added/changed/removed signals.
// Only switches and ports touched by a change are recomputed.
class OvnNorthbound : public QObject
{
    Q_OBJECT

public:
    explicit OvnNorthbound(QObject *parent = nullptr);

    // The tables and columns to monitor (OvsdbClient::setMonitoredTables).
    [[nodiscard]] static QHash<QString, QStringList> monitoredTables();
    // Sets the client's database and monitored tables and follows its cache.
    void attach(OvsdbClient *client);

    // Derives the effect of changes on an already updated cache.
    void applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes);

    [[nodiscard]] QList<OvnLogicalSwitch> switches() const { return m_switches.values(); }
    [[nodiscard]] QList<OvnLogicalSwitchPort> ports() const { return m_ports.values(); }
    [[nodiscard]] OvnLogicalSwitch logicalSwitch(const QString &uuid) const { return m_switches.value(uuid); }
    [[nodiscard]] OvnLogicalSwitch switchByName(const QString &name) const;
    [[nodiscard]] OvnLogicalSwitchPort port(const QString &uuid) const { return m_ports.value(uuid); }
    [[nodiscard]] OvnLogicalSwitchPort portByName(const QString &name) const;
    // No copy, for whoever walks every port: valid until the next change set.
    [[nodiscard]] const QHash<QString, OvnLogicalSwitchPort> &portTable() const { return m_ports; }
    [[nodiscard]] const QHash<QString, OvnLogicalSwitch> &switchTable() const { return m_switches; }
    [[nodiscard]] OvnDhcpOptions dhcpOptions(const QString &uuid) const { return m_dhcpOptions.value(uuid); }
    // The IPv4 subnet of a switch: its other_config:subnet (OVN's IPAM), else the cidr of the
    // DHCP_Options row most of its ports use; empty when neither says.
    [[nodiscard]] QString subnetOf(const QString &switchUuid) const;
    // The DHCP_Options row most of a switch's ports use, else the one Vigie made for the switch
    // (external_ids vigie:switch), or empty.
    [[nodiscard]] QString dhcpOptionsOf(const QString &switchUuid) const;
    [[nodiscard]] qsizetype switchCount() const { return m_switches.size(); }
    [[nodiscard]] qsizetype portCount() const { return m_ports.size(); }

Q_SIGNALS:
    void switchAdded(const Vigie::OvnLogicalSwitch &logicalSwitch);
    // Its row, its localnet port, or the DHCP row its ports use changed.
    void switchChanged(const Vigie::OvnLogicalSwitch &logicalSwitch);
    void switchRemoved(const Vigie::OvnLogicalSwitch &logicalSwitch);
    void portAdded(const Vigie::OvnLogicalSwitchPort &port);
    void portChanged(const Vigie::OvnLogicalSwitchPort &port);
    void portRemoved(const Vigie::OvnLogicalSwitchPort &port);
    // A DHCP_Options row came, changed or went (a switch's subnet may be there).
    void dhcpOptionsChanged();
    // After the signals of one change set.
    void changesApplied();

private:
    QHash<QString, OvnLogicalSwitch> m_switches;
    QHash<QString, OvnLogicalSwitchPort> m_ports;
    QHash<QString, QString> m_portSwitch; // port uuid -> switch uuid
    QHash<QString, OvnDhcpOptions> m_dhcpOptions;
    // dhcpOptionsOf() of each switch asked since its ports or the DHCP rows last changed: the
    // VLANs are published on every change set, and a vote walks every port of the switch.
    mutable QHash<QString, QString> m_dhcpOfSwitch;
    QPointer<OvsdbClient> m_client;
};

} // namespace Vigie
