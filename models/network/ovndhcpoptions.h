#pragma once

#include <QMap>
#include <QString>

namespace Vigie {

// A DHCP_Options row of the northbound database: the subnet OVN's native DHCP serves, and its
// options (router, server_id, lease_time, dns_server, ...).
struct OvnDhcpOptions
{
    QString uuid;
    QString cidr;
    QMap<QString, QString> options;

    friend bool operator==(const OvnDhcpOptions &, const OvnDhcpOptions &) = default;
};

} // namespace Vigie
