#pragma once

#include <QStringList>

namespace Vigie {

class Inventory;
struct VmInfo;

// What a running VM's saved definition changes at its next boot: a NIC moved to another VLAN
// on a host that could not move the running one (Vigie's own fallback, or a `virsh edit` of a
// running domain), NICs added or removed, vCPUs or memory resized. One translated line per
// change, empty when the saved definition matches LIVE. NICs are matched by MAC; their VLANs
// are read as the inventory reads them (a controller-wired NIC's is its switch's, the same in
// both definitions).
[[nodiscard]] QStringList nextBootChanges(const Inventory &inventory, const VmInfo &live, const VmInfo &saved);

} // namespace Vigie
