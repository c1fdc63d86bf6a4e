#pragma once

#include <QMetaType>
#include <QString>

namespace Vigie {

enum class VmAction { Start, Shutdown, Reboot, ForceOff, Pause, Resume };

[[nodiscard]] QString vmActionName(VmAction action);        // stable keyword for logs and JSON
[[nodiscard]] QString vmActionDisplayName(VmAction action); // translated
// Destructive actions lose guest state and ask for confirmation first.
[[nodiscard]] bool vmActionIsDestructive(VmAction action);

// The outcome of one action on one VM, as the session's worker reports it.
struct VmActionResult
{
    QString hostUri;
    QString uuid;
    QString vmName;
    VmAction action = VmAction::Start;
    bool ok = false;
    QString message; // libvirt's message on failure
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VmActionResult)
