#include "controllerjson.h"

#include "network/isolationaudit.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/subneteditor.h"
#include "network/ovnsouthbound.h"

#include <QJsonArray>

#include <algorithm>
#include <tuple>

namespace Vigie {

namespace {

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString ownerKey(OvnOwner owner)
{
    switch (owner) {
    case OvnOwner::None: return {};
    case OvnOwner::Neutron: return QStringLiteral("neutron");
    }
    return {};
}

QString kindKey(NetworkMismatch::Kind kind)
{
    switch (kind) {
    case NetworkMismatch::Kind::PortWithoutVm: return QStringLiteral("port-without-vm");
    case NetworkMismatch::Kind::NicWithoutPort: return QStringLiteral("nic-without-port");
    case NetworkMismatch::Kind::VlanDiffers: return QStringLiteral("vlan-differs");
    case NetworkMismatch::Kind::DuplicateAddress: return QStringLiteral("duplicate-address");
    case NetworkMismatch::Kind::AddressOutsideSubnet: return QStringLiteral("address-outside-subnet");
    case NetworkMismatch::Kind::NoPortSecurity: return QStringLiteral("no-port-security");
    case NetworkMismatch::Kind::BoundElsewhere: return QStringLiteral("bound-elsewhere");
    case NetworkMismatch::Kind::Unbound: return QStringLiteral("unbound");
    case NetworkMismatch::Kind::OutsideIsolation: return QStringLiteral("outside-isolation");
    }
    return {};
}

// What OVN's DHCP gives a switch's VMs, or null when it serves none.
QJsonValue dhcpToJson(const SubnetSettings &settings)
{
    if (!settings.dhcp)
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("gateway"), stringOrNull(settings.gateway)},
                       {QStringLiteral("dnsServers"), QJsonArray::fromStringList(settings.dnsServers)},
                       {QStringLiteral("leaseSeconds"), settings.leaseSeconds}};
}

} // namespace

QJsonObject controllerToJson(const NetworkController &controller)
{
    const OvnNorthbound &nb = *controller.northbound();
    const NetworkCorrelation &correlation = *controller.correlation();

    QList<OvnLogicalSwitch> switches = nb.switches();
    std::sort(switches.begin(), switches.end(), [](const OvnLogicalSwitch &a, const OvnLogicalSwitch &b) { return a.name < b.name; });
    QJsonArray switchArray;
    for (const OvnLogicalSwitch &s : std::as_const(switches)) {
        switchArray.append(QJsonObject{
            {QStringLiteral("name"), s.name},
            {QStringLiteral("displayName"), s.displayName()},
            {QStringLiteral("vlan"), s.isVlan() ? QJsonValue(s.vlanId) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("overlay"), s.isOverlay()},
            {QStringLiteral("physicalNetwork"), stringOrNull(s.networkName)},
            {QStringLiteral("owner"), stringOrNull(ownerKey(s.owner()))},
            {QStringLiteral("subnet"), stringOrNull(nb.subnetOf(s.uuid))},
            {QStringLiteral("dhcp"), dhcpToJson(SubnetSettings::ofSwitch(nb, s.uuid))},
        });
    }

    // VM ports, with the NIC plugged into each (if any) and where they are bound.
    QHash<QString, NicPortMatch> byPort;
    for (const NicPortMatch &match : correlation.matches())
        byPort.insert(match.portUuid, match);
    QList<OvnLogicalSwitchPort> ports;
    for (const OvnLogicalSwitchPort &port : nb.portTable()) {
        if (port.isVmPort())
            ports.append(port);
    }
    std::sort(ports.begin(), ports.end(), [](const OvnLogicalSwitchPort &a, const OvnLogicalSwitchPort &b) {
        return std::tie(a.switchName, a.name) < std::tie(b.switchName, b.name);
    });
    const OvnSouthbound *sb = controller.isSouthboundSynced() ? controller.southbound() : nullptr;
    QJsonArray portArray;
    for (const OvnLogicalSwitchPort &port : std::as_const(ports)) {
        const auto match = byPort.constFind(port.uuid);
        QString chassis;
        if (sb) {
            if (const OvnPortBinding *binding = sb->bindingOf(port.name))
                chassis = sb->chassisByUuid(binding->chassis).name;
        }
        portArray.append(QJsonObject{
            {QStringLiteral("name"), port.name},
            {QStringLiteral("switch"), port.switchName},
            {QStringLiteral("vm"), match == byPort.cend() ? QJsonValue(QJsonValue::Null) : QJsonValue(match->vmName)},
            {QStringLiteral("mac"), stringOrNull(match == byPort.cend() ? port.mac() : match->mac)},
            {QStringLiteral("addresses"), QJsonArray::fromStringList(port.ipAddresses())},
            {QStringLiteral("chassis"), sb ? stringOrNull(chassis) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("owner"), stringOrNull(ownerKey(port.owner()))},
        });
    }

    QJsonArray chassisArray;
    if (sb) {
        QList<OvnChassis> chassis = sb->chassis();
        std::sort(chassis.begin(), chassis.end(), [](const OvnChassis &a, const OvnChassis &b) { return a.name < b.name; });
        for (const OvnChassis &c : std::as_const(chassis)) {
            QJsonObject mappings;
            for (auto it = c.bridgeMappings.cbegin(); it != c.bridgeMappings.cend(); ++it)
                mappings.insert(it.key(), it.value());
            chassisArray.append(QJsonObject{
                {QStringLiteral("name"), c.name},
                {QStringLiteral("hostname"), c.hostname},
                {QStringLiteral("hostUri"), stringOrNull(correlation.hostOfChassis(c.uuid))},
                {QStringLiteral("bridgeMappings"), mappings},
                {QStringLiteral("encaps"), QJsonArray::fromStringList(c.encaps)},
            });
        }
    }

    QJsonArray mismatchArray;
    for (const NetworkMismatch &m : correlation.mismatches() + controller.isolationAudit()->mismatches()) {
        mismatchArray.append(QJsonObject{
            {QStringLiteral("kind"), kindKey(m.kind)},
            {QStringLiteral("vm"), stringOrNull(m.vmName)},
            {QStringLiteral("mac"), stringOrNull(m.mac)},
            {QStringLiteral("port"), stringOrNull(m.portName)},
            {QStringLiteral("switch"), stringOrNull(m.switchName)},
            {QStringLiteral("text"), NetworkCorrelation::describe(m)},
        });
    }

    return QJsonObject{
        {QStringLiteral("remotes"), QJsonArray::fromStringList(controller.remotes())},
        {QStringLiteral("demo"), controller.isDemo()},
        {QStringLiteral("southboundRemotes"), QJsonArray::fromStringList(controller.southboundRemotes())},
        {QStringLiteral("synced"), controller.isSynced()},
        {QStringLiteral("southboundSynced"), controller.isSouthboundSynced()},
        {QStringLiteral("switches"), switchArray},
        {QStringLiteral("ports"), portArray},
        {QStringLiteral("chassis"), chassisArray},
        {QStringLiteral("mismatches"), mismatchArray},
    };
}

} // namespace Vigie
