#pragma once

#include "inventory/hostinfo.h"

#include <QColor>
#include <QIcon>

namespace Vigie {

// State colours and icons, drawn rather than shipped so they follow the screen's pixel ratio.
// Shapes differ as well as colours (running ●, paused ❚❚, off ○, error ✕) for colour-blind eyes.
[[nodiscard]] QColor vmStateColor(VmState state);
[[nodiscard]] QIcon vmStateIcon(VmState state);
[[nodiscard]] QColor connectionStateColor(ConnectionState state);
[[nodiscard]] QIcon connectionStateIcon(ConnectionState state);
// A row another system owns (OwnerRole): shown, not written.
[[nodiscard]] QIcon ownedRowIcon();

} // namespace Vigie
