#include "nextboot.h"

#include "inventory.h"

#include <QCoreApplication>
#include <QLocale>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::NextBoot)
};

QString vlanText(const QList<int> &vlans)
{
    if (vlans.isEmpty())
        return Tr::tr("no VLAN");
    QStringList ids;
    for (int id : vlans)
        ids.append(QString::number(id));
    return (vlans.size() == 1 ? Tr::tr("VLAN %1") : Tr::tr("VLANs %1")).arg(ids.join(QStringLiteral(", ")));
}

QString placeText(const NicInfo &nic)
{
    return nic.portgroup.isEmpty() ? nic.source : nic.source + QLatin1Char('/') + nic.portgroup;
}

// Memory as definitions give it: whole GiB, else MiB.
QString memoryText(quint64 kib)
{
    constexpr quint64 GiB = 1024 * 1024;
    return kib % GiB == 0 ? Tr::tr("%1 GiB").arg(QLocale().toString(kib / GiB)) : Tr::tr("%1 MiB").arg(QLocale().toString(kib / 1024));
}

const NicInfo *findNic(const QList<NicInfo> &nics, const QString &mac)
{
    for (const NicInfo &nic : nics) {
        if (nic.mac.compare(mac, Qt::CaseInsensitive) == 0)
            return &nic;
    }
    return nullptr;
}

} // namespace

QStringList nextBootChanges(const Inventory &inventory, const VmInfo &live, const VmInfo &saved)
{
    QStringList changes;
    for (const NicInfo &nic : saved.nics) {
        const NicInfo *now = findNic(live.nics, nic.mac);
        if (!now) {
            changes.append(Tr::tr("NIC %1 added, in %2").arg(nic.mac, vlanText(inventory.nicVlans(live.hostUri, nic))));
            continue;
        }
        const QList<int> vlans = inventory.nicVlans(live.hostUri, nic);
        const QList<int> nowVlans = inventory.nicVlans(live.hostUri, *now);
        if (vlans != nowVlans) {
            changes.append(Tr::tr("NIC %1 in %2 (now %3)").arg(nic.mac, vlanText(vlans), vlanText(nowVlans)));
        } else if (nic.sourceType != now->sourceType || placeText(nic) != placeText(*now)) {
            changes.append(Tr::tr("NIC %1 on %2 (now %3)").arg(nic.mac, placeText(nic), placeText(*now)));
        }
    }
    for (const NicInfo &nic : live.nics) {
        if (!findNic(saved.nics, nic.mac))
            changes.append(Tr::tr("NIC %1 removed").arg(nic.mac));
    }
    if (saved.vcpus != live.vcpus && saved.vcpus > 0)
        changes.append(Tr::tr("%1 vCPUs (now %2)").arg(saved.vcpus).arg(live.vcpus));
    if (saved.maxMemoryKiB != live.maxMemoryKiB && saved.maxMemoryKiB > 0)
        changes.append(Tr::tr("%1 of memory (now %2)").arg(memoryText(saved.maxMemoryKiB), memoryText(live.maxMemoryKiB)));
    return changes;
}

} // namespace Vigie
