#pragma once

#include <QJsonObject>

namespace Vigie {

class Inventory;

// The inventory as JSON (vigie --dump-inventory): top-level "hosts", "vms" and "vlans".
// Keys and state names are stable keywords, never translated.
[[nodiscard]] QJsonObject inventoryToJson(const Inventory &inventory);

} // namespace Vigie
