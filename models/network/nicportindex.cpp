#include "nicportindex.h"

#include "freeaside.h"

#include "network/ovnlogicalswitchport.h"

#include <algorithm>

namespace Vigie {

namespace {

// Nova names the tap of a port "tap" + the port uuid's first 11 characters.
constexpr qsizetype NovaTapIdLength = 11;

} // namespace

QStringList NicPortIndex::portKeys(const OvnLogicalSwitchPort &port)
{
    QStringList keys{QStringLiteral("n:") + port.name};
    const QString ifaceId = port.externalIds.value(QStringLiteral("iface-id"));
    if (!ifaceId.isEmpty())
        keys.append(QStringLiteral("f:") + ifaceId);
    if (!port.isVmPort())
        return keys;
    if (port.name.size() > NovaTapIdLength)
        keys.append(QStringLiteral("t:tap") + port.name.left(NovaTapIdLength));
    if (const QString device = port.deviceId(); !device.isEmpty()) {
        if (const QString mac = port.mac(); !mac.isEmpty())
            keys.append(QStringLiteral("d:") + device.toLower() + u'|' + mac);
        keys.append(QStringLiteral("v:") + device.toLower());
    }
    return keys;
}

QStringList NicPortIndex::nicKeys(const QString &vmUuid, const NicInfo &nic)
{
    QStringList keys;
    if (!nic.interfaceId.isEmpty())
        keys << QStringLiteral("n:") + nic.interfaceId << QStringLiteral("f:") + nic.interfaceId;
    if (nic.target.startsWith(QLatin1String("tap")))
        keys.append(QStringLiteral("t:") + nic.target.left(3 + NovaTapIdLength));
    keys.append(QStringLiteral("d:") + vmUuid.toLower() + u'|' + nic.mac.toLower());
    return keys;
}

void NicPortIndex::setPort(const OvnLogicalSwitchPort &port)
{
    removePort(port.uuid);
    QStringList keys = portKeys(port);
    for (const QString &key : std::as_const(keys)) {
        QStringList &ports = m_portsByKey[key];
        ports.insert(std::lower_bound(ports.begin(), ports.end(), port.uuid), port.uuid);
    }
    m_portKeys.insert(port.uuid, std::move(keys));
}

void NicPortIndex::removePort(const QString &portUuid)
{
    const auto it = m_portKeys.constFind(portUuid);
    if (it == m_portKeys.cend())
        return;
    for (const QString &key : *it) {
        const auto ports = m_portsByKey.find(key);
        if (ports == m_portsByKey.end())
            continue;
        ports->removeOne(portUuid);
        if (ports->isEmpty())
            m_portsByKey.erase(ports);
    }
    m_portKeys.erase(it);
}

void NicPortIndex::setVm(const VmKey &key, const VmInfo &vm)
{
    removeVm(key);
    QStringList keys{QStringLiteral("u:") + vm.uuid.toLower()};
    for (const NicInfo &nic : vm.nics)
        keys += nicKeys(vm.uuid, nic);
    keys.removeDuplicates();
    for (const QString &k : std::as_const(keys))
        m_vmsByKey[k].append(key);
    m_vmKeys.insert(key, std::move(keys));
}

void NicPortIndex::removeVm(const VmKey &key)
{
    const auto it = m_vmKeys.constFind(key);
    if (it == m_vmKeys.cend())
        return;
    for (const QString &k : *it) {
        const auto vms = m_vmsByKey.find(k);
        if (vms == m_vmsByKey.end())
            continue;
        vms->removeOne(key);
        if (vms->isEmpty())
            m_vmsByKey.erase(vms);
    }
    m_vmKeys.erase(it);
}

void NicPortIndex::reserveVms(qsizetype vms)
{
    m_vmKeys.reserve(vms);
    m_vmsByKey.reserve(5 * vms); // "u:", and a NIC's "n:", "f:", "t:", "d:"
}

void NicPortIndex::clear()
{
    freeAside(m_portsByKey, m_portKeys, m_vmsByKey, m_vmKeys);
}

QString NicPortIndex::portOf(const QString &vmUuid, const NicInfo &nic) const
{
    for (const QString &key : nicKeys(vmUuid, nic)) {
        const auto it = m_portsByKey.constFind(key);
        if (it != m_portsByKey.cend())
            return it->constFirst();
    }
    return {};
}

QList<VmKey> NicPortIndex::vmsNaming(const QString &portUuid) const
{
    QList<VmKey> vms;
    for (const QString &key : m_portKeys.value(portUuid))
        vms += m_vmsByKey.value(key);
    return vms;
}

} // namespace Vigie
