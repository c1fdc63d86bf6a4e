#include "vmaction.h"

#include <QCoreApplication>

namespace Vigie {

QString vmActionName(VmAction action)
{
    switch (action) {
    case VmAction::Start: return QStringLiteral("start");
    case VmAction::Shutdown: return QStringLiteral("shutdown");
    case VmAction::Reboot: return QStringLiteral("reboot");
    case VmAction::ForceOff: return QStringLiteral("force-off");
    case VmAction::Pause: return QStringLiteral("pause");
    case VmAction::Resume: return QStringLiteral("resume");
    }
    return {};
}

QString vmActionDisplayName(VmAction action)
{
    switch (action) {
    case VmAction::Start: return QCoreApplication::translate("Vigie::VmAction", "Start");
    case VmAction::Shutdown: return QCoreApplication::translate("Vigie::VmAction", "Shut down");
    case VmAction::Reboot: return QCoreApplication::translate("Vigie::VmAction", "Reboot");
    case VmAction::ForceOff: return QCoreApplication::translate("Vigie::VmAction", "Force off");
    case VmAction::Pause: return QCoreApplication::translate("Vigie::VmAction", "Pause");
    case VmAction::Resume: return QCoreApplication::translate("Vigie::VmAction", "Resume");
    }
    return {};
}

bool vmActionIsDestructive(VmAction action)
{
    return action == VmAction::ForceOff || action == VmAction::Reboot || action == VmAction::Shutdown;
}

} // namespace Vigie
