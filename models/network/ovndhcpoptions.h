#pragma once

#include "network/ovnowner.h"

#include <QMap>
#include <QString>

namespace Vigie {

// A DHCP_Options row of the northbound database: the subnet OVN's native DHCP serves, and its
// options (router, server_id, lease_time, dns_server, ...). Neutron writes one per subnet
// (external_ids subnet_id, neutron:revision_number); Vigie tags its own with the switch they serve.
struct OvnDhcpOptions
{
    QString uuid;
    QString cidr;
    QMap<QString, QString> options;
    QMap<QString, QString> externalIds;

    // The key of external_ids naming the switch (its uuid) a row Vigie made serves.
    static inline const QString SwitchKey = QStringLiteral("vigie:switch");
    [[nodiscard]] OvnOwner owner() const { return ovnOwner(externalIds); }

    friend bool operator==(const OvnDhcpOptions &, const OvnDhcpOptions &) = default;
};

} // namespace Vigie
