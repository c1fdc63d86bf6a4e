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

namespace {

// The families of libosinfo's database a console meets most, by their id's path.
const std::pair<QLatin1StringView, QLatin1StringView> Families[] = {
    {QLatin1StringView("debian.org/debian/"), QLatin1StringView("Debian")},
    {QLatin1StringView("ubuntu.com/ubuntu/"), QLatin1StringView("Ubuntu")},
    {QLatin1StringView("redhat.com/rhel/"), QLatin1StringView("RHEL")},
    {QLatin1StringView("rockylinux.org/rocky/"), QLatin1StringView("Rocky Linux")},
    {QLatin1StringView("almalinux.org/almalinux/"), QLatin1StringView("AlmaLinux")},
    {QLatin1StringView("centos.org/centos-stream/"), QLatin1StringView("CentOS Stream")},
    {QLatin1StringView("centos.org/centos/"), QLatin1StringView("CentOS")},
    {QLatin1StringView("fedoraproject.org/fedora/"), QLatin1StringView("Fedora")},
    {QLatin1StringView("suse.com/sles/"), QLatin1StringView("SLES")},
    {QLatin1StringView("opensuse.org/opensuse/"), QLatin1StringView("openSUSE")},
    {QLatin1StringView("alpinelinux.org/alpinelinux/"), QLatin1StringView("Alpine")},
    {QLatin1StringView("archlinux.org/archlinux/"), QLatin1StringView("Arch Linux")},
    {QLatin1StringView("freebsd.org/freebsd/"), QLatin1StringView("FreeBSD")},
    {QLatin1StringView("microsoft.com/win/"), QLatin1StringView("Windows")},
};

} // namespace

QString osDisplayName(const QString &osId)
{
    if (osId.isEmpty())
        return {};
    QStringView path(osId);
    for (QStringView scheme : {QStringView(u"http://"), QStringView(u"https://")}) {
        if (path.startsWith(scheme))
            path = path.mid(scheme.size());
    }
    for (const auto &[prefix, family] : Families) {
        if (path.startsWith(prefix)) {
            const QStringView version = path.mid(prefix.size());
            return version.isEmpty() ? QString(family) : QString(family) + QLatin1Char(' ') + version.toString();
        }
    }
    const QList<QStringView> parts = path.split(u'/', Qt::SkipEmptyParts);
    if (parts.size() >= 3)
        return parts.at(parts.size() - 2).toString() + QLatin1Char(' ') + parts.last().toString();
    return osId;
}

QString osIdForName(const QString &name)
{
    for (const auto &[prefix, family] : Families) {
        if (name.startsWith(family + QLatin1Char(' '), Qt::CaseInsensitive)) {
            const QString version = name.mid(family.size() + 1).trimmed();
            // A version as libosinfo writes one: digits, letters, dots ("12", "24.04", "2k22").
            const bool plain = !version.isEmpty() && std::all_of(version.cbegin(), version.cend(), [](QChar c) {
                return c.isLetterOrNumber() || c == u'.';
            });
            if (plain)
                return QStringLiteral("http://") + prefix + version.toLower();
        }
    }
    return {};
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
