#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

// A VLAN as seen across the fleet: a tag id, with the portgroups and networks that carry it on
// each host. Derived from the hosts' networks by Inventory; never sent by a session.
struct VlanInfo
{
    int id = 0;
    QString name;      // the most common portgroup name carrying the tag, else "VLAN <id>"
    QStringList hosts; // host URIs where a network carries the tag
    QStringList networks;
    int vmCount = 0; // VMs with a NIC in the VLAN
    QString subnet;  // the controller's subnet of the VLAN, in words; empty: unknown

    friend bool operator==(const VlanInfo &, const VlanInfo &) = default;
};

} // namespace Vigie
