#pragma once

#include <QJsonObject>

namespace Vigie {

class NetworkController;

// The network controller as --dump-inventory prints it: its remotes and state, switches (name,
// display name, VLAN, physical network, owner), VM ports (VM, NIC, chassis, addresses), chassis
// and mismatches. Every list is sorted, so the output is the same from run to run.
[[nodiscard]] QJsonObject controllerToJson(const NetworkController &controller);

} // namespace Vigie
