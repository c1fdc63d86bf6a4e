#include "vminfo.h"

#include <QCoreApplication>

#include <algorithm>

namespace Vigie {

QString vmStateName(VmState state)
{
    switch (state) {
    case VmState::NoState: return QStringLiteral("nostate");
    case VmState::Running: return QStringLiteral("running");
    case VmState::Blocked: return QStringLiteral("blocked");
    case VmState::Paused: return QStringLiteral("paused");
    case VmState::ShuttingDown: return QStringLiteral("shutdown");
    case VmState::Shutoff: return QStringLiteral("shutoff");
    case VmState::Crashed: return QStringLiteral("crashed");
    case VmState::Suspended: return QStringLiteral("pmsuspended");
    }
    return QStringLiteral("nostate");
}

QString vmStateDisplayName(VmState state)
{
    switch (state) {
    case VmState::NoState:
        //: Virtual machine state: libvirt reports no state
        return QCoreApplication::translate("Vigie::VmState", "No state");
    case VmState::Running:
        //: Virtual machine state
        return QCoreApplication::translate("Vigie::VmState", "Running");
    case VmState::Blocked:
        //: Virtual machine state: blocked on a resource
        return QCoreApplication::translate("Vigie::VmState", "Blocked");
    case VmState::Paused:
        //: Virtual machine state: paused by the user or libvirt
        return QCoreApplication::translate("Vigie::VmState", "Paused");
    case VmState::ShuttingDown:
        //: Virtual machine state: the guest is shutting down
        return QCoreApplication::translate("Vigie::VmState", "Shutting down");
    case VmState::Shutoff:
        //: Virtual machine state: not running
        return QCoreApplication::translate("Vigie::VmState", "Shut off");
    case VmState::Crashed:
        //: Virtual machine state
        return QCoreApplication::translate("Vigie::VmState", "Crashed");
    case VmState::Suspended:
        //: Virtual machine state: suspended by guest power management (pmsuspended)
        return QCoreApplication::translate("Vigie::VmState", "Suspended");
    }
    return vmStateDisplayName(VmState::NoState);
}

VmState vmStateFromInt(int value)
{
    if (value < int(VmState::NoState) || value > int(VmState::Suspended))
        return VmState::NoState;
    return VmState(value);
}

QList<int> VmInfo::vlanTags() const
{
    QList<int> tags;
    for (const NicInfo &nic : nics)
        tags += nic.vlanTags;
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return tags;
}

std::optional<quint64> VmInfo::diskCapacityBytes() const
{
    std::optional<quint64> total;
    for (const DiskInfo &disk : disks) {
        if (disk.device == u"disk" && disk.capacityBytes)
            total = total.value_or(0) + *disk.capacityBytes;
    }
    return total;
}

QString VmInfo::shownName() const
{
    if (displayName.isEmpty() || displayName == name)
        return name;
    return QCoreApplication::translate("Vigie::VmInfo", "%1 (%2)").arg(displayName, name);
}

QString VmInfo::managerRefusal() const
{
    if (manager == QLatin1String("nova"))
        return QCoreApplication::translate("Vigie::VmInfo",
                                           "%1 is managed by OpenStack Nova: Vigie does not rewrite its definition behind "
                                           "Nova's back (Nova would undo it, or lose track of the VM). Change it through "
                                           "OpenStack.")
            .arg(displayName.isEmpty() ? name : displayName);
    return {};
}

} // namespace Vigie
