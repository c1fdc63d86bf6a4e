#pragma once

#include <QString>

namespace Vigie {

// Why URI cannot be a libvirt connection URI (translated, for the operator), or empty if it can:
// a driver libvirt knows, an optional transport, "://" (or ":///"). Checked before connecting,
// so that a typo is refused at once rather than retried, saved and retried at every start.
[[nodiscard]] QString libvirtUriProblem(const QString &uri);

} // namespace Vigie
