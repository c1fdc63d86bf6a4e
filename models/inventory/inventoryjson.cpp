#include "inventoryjson.h"

#include "inventory.h"

#include <QJsonArray>

namespace Vigie {

namespace {

QJsonArray intArray(const QList<int> &values)
{
    QJsonArray array;
    for (int value : values)
        array.append(value);
    return array;
}

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject inventoryToJson(const Inventory &inventory)
{
    QJsonArray hosts;
    for (const QString &uri : inventory.hostUris()) {
        const HostInfo host = inventory.host(uri);
        hosts.append(QJsonObject{
            {QStringLiteral("uri"), host.uri},
            {QStringLiteral("name"), host.displayName},
            {QStringLiteral("hostname"), host.hostname},
            {QStringLiteral("state"), connectionStateName(host.state)},
            {QStringLiteral("message"), stringOrNull(host.stateMessage)},
            {QStringLiteral("demo"), host.demo},
            {QStringLiteral("hypervisor"), host.hypervisorType},
            {QStringLiteral("hypervisorVersion"), host.hypervisorVersion},
            {QStringLiteral("libvirtVersion"), host.libvirtVersion},
            {QStringLiteral("cpuModel"), host.cpuModel},
            {QStringLiteral("cpus"), host.cpus},
            {QStringLiteral("memoryMiB"), qint64(host.memoryKiB / 1024)},
            {QStringLiteral("vmCount"), int(inventory.vmKeysOfHost(uri).size())},
            {QStringLiteral("committedVcpus"), inventory.committedVcpus(uri)},
            {QStringLiteral("committedMemoryMiB"), qint64(inventory.committedMemoryKiB(uri) / 1024)},
        });
    }

    QJsonArray vms;
    for (const VmKey &key : inventory.vmKeys()) {
        const VmInfo vm = inventory.vm(key);
        QJsonArray nics;
        for (const NicInfo &nic : vm.nics) {
            const QList<int> tags = inventory.nicVlans(vm.hostUri, nic);
            const ControllerNic *wired = inventory.controllerNic(nic);
            nics.append(QJsonObject{
                {QStringLiteral("wiring"), wired ? QStringLiteral("controller") : QStringLiteral("libvirt")},
                {QStringLiteral("network"), wired ? QJsonValue(wired->network) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("port"), wired ? QJsonValue(wired->portName) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("chassis"), wired ? stringOrNull(wired->chassis) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("addresses"), wired ? QJsonArray::fromStringList(wired->addresses) : QJsonArray()},
                {QStringLiteral("policy"), wired ? QJsonArray::fromStringList(wired->policy) : QJsonArray()},
                {QStringLiteral("mac"), nic.mac},
                {QStringLiteral("vlan"), tags.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(tags.first())},
                {QStringLiteral("vlans"), intArray(tags)},
                {QStringLiteral("type"), nic.sourceType},
                {QStringLiteral("source"), nic.source},
                {QStringLiteral("portgroup"), stringOrNull(nic.portgroup)},
                {QStringLiteral("interfaceId"), stringOrNull(nic.interfaceId)},
            });
        }
        QJsonArray disks;
        for (const DiskInfo &disk : vm.disks) {
            disks.append(QJsonObject{{QStringLiteral("target"), disk.target},
                                     {QStringLiteral("device"), disk.device},
                                     {QStringLiteral("source"), disk.source},
                                     {QStringLiteral("capacityBytes"),
                                      disk.capacityBytes ? QJsonValue(double(*disk.capacityBytes)) : QJsonValue()}});
        }
        vms.append(QJsonObject{
            {QStringLiteral("host"), inventory.host(vm.hostUri).displayName},
            {QStringLiteral("hostUri"), vm.hostUri},
            {QStringLiteral("name"), vm.name},
            {QStringLiteral("displayName"), stringOrNull(vm.displayName)},
            {QStringLiteral("manager"), stringOrNull(vm.manager)},
            {QStringLiteral("uuid"), vm.uuid},
            {QStringLiteral("state"), vmStateName(vm.state)},
            {QStringLiteral("vcpus"), vm.vcpus},
            {QStringLiteral("memoryMiB"), qint64(vm.memoryKiB / 1024)},
            {QStringLiteral("tenant"), stringOrNull(vm.tenant)},
            {QStringLiteral("tags"), QJsonArray::fromStringList(vm.tags)},
            {QStringLiteral("title"), stringOrNull(vm.title)},
            {QStringLiteral("persistent"), vm.persistent},
            {QStringLiteral("nics"), nics},
            {QStringLiteral("disks"), disks},
        });
    }

    QJsonArray vlans;
    for (const VlanInfo &vlan : inventory.vlans()) {
        QJsonArray vlanHosts;
        for (const QString &uri : vlan.hosts)
            vlanHosts.append(inventory.host(uri).displayName);
        vlans.append(QJsonObject{
            {QStringLiteral("id"), vlan.id},
            {QStringLiteral("name"), vlan.name},
            {QStringLiteral("hosts"), vlanHosts},
            {QStringLiteral("networks"), QJsonArray::fromStringList(vlan.networks)},
            {QStringLiteral("vmCount"), vlan.vmCount},
        });
    }
    return QJsonObject{{QStringLiteral("hosts"), hosts}, {QStringLiteral("vms"), vms}, {QStringLiteral("vlans"), vlans}};
}

} // namespace Vigie
