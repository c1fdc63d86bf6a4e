#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Vigie {

class NetworkController;
class OvnNorthbound;

// A VLAN's addressing as the controller keeps it: the switch's other_config (subnet, exclude_ips:
// OVN's own IPAM) and the DHCP_Options row that OVN's native DHCP answers the ports with (router,
// dns_server, lease_time). IPv4. A value: read from the rows, edited, compared.
struct SubnetSettings
{
    QString cidr;           // "10.50.0.0/24"; empty: no subnet
    QString gateway;        // options:router; empty: none
    QStringList dnsServers; // options:dns_server, "{10.10.0.53, 10.10.0.54}" as Neutron writes it
    qint64 leaseSeconds = 0;
    QString excludedIps;    // OVN's syntax: "10.50.0.2..10.50.0.9 10.50.0.20"
    bool dhcp = false;      // a DHCP_Options row serves the switch's ports

    // Neutron's default lease (dhcp_lease_duration), for a row Vigie makes.
    static constexpr qint64 DefaultLease = 86400;

    [[nodiscard]] static SubnetSettings ofSwitch(const OvnNorthbound &northbound, const QString &switchUuid);
    // "{a, b}", "a", "{a,b}" -> the addresses; and back, as Neutron writes it.
    [[nodiscard]] static QStringList parseDnsServers(const QString &value);
    [[nodiscard]] static QString dnsServerValue(const QStringList &servers);

    friend bool operator==(const SubnetSettings &, const SubnetSettings &) = default;
};

// Edits the addressing of a switch Vigie may change (not Neutron's: its subnets are OpenStack's):
// the values checked against the switch's ports before anything is sent, then one guarded
// transaction writes the switch's other_config, the DHCP_Options row (made, changed or deleted)
// and points the switch's ports at it. Guests take the new options at their next DHCP renewal.
// Lives on the GUI thread, beside the NetworkController it writes through.
class SubnetEditor : public QObject
{
    Q_OBJECT

public:
    explicit SubnetEditor(NetworkController *controller, QObject *parent = nullptr);

    // Why the switch's addressing cannot be edited at all (no controller, no switch, another
    // system's switch or DHCP row), or empty.
    [[nodiscard]] QString refusal(const QString &switchUuid) const;
    // Why these settings cannot be written (the refusal above, then the values against the
    // switch's ports), or empty.
    [[nodiscard]] QString settingsRefusal(const QString &switchUuid, const SubnetSettings &settings) const;
    // What the transaction changes, one line per row, for the preview.
    [[nodiscard]] QStringList describe(const QString &switchUuid, const SubnetSettings &settings) const;

    // Writes the settings. Ends with finished.
    void apply(const QString &switchUuid, const SubnetSettings &settings);

    // The transaction, for tests. It waits for the switch's other_config, the DHCP row and each
    // port it points at the row to be what Vigie read: a concurrent change makes it fail.
    [[nodiscard]] static QJsonArray operations(const OvnNorthbound &northbound, const QString &switchUuid,
                                               const SubnetSettings &settings);

Q_SIGNALS:
    void finished(const QString &switchUuid, bool ok, const QString &message);

private:
    NetworkController *m_controller;
};

} // namespace Vigie
