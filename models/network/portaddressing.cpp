#include "portaddressing.h"

#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbops.h"

#include <QPointer>

namespace Vigie {

using namespace OvsdbOps;

namespace {

const QString LogicalSwitchPort = QStringLiteral("Logical_Switch_Port");
const QString Addresses = QStringLiteral("addresses");
const QString PortSecurity = QStringLiteral("port_security");

// Nothing is written unless the port's addressing is still what Vigie read.
QJsonObject waitForAddressing(const OvnLogicalSwitchPort &port)
{
    return waitFor(LogicalSwitchPort, whereUuid(port.uuid), {Addresses, PortSecurity},
                   {QJsonObject{{Addresses, stringSet(port.addresses)}, {PortSecurity, stringSet(port.portSecurity)}}});
}

} // namespace

PortAddressing::PortAddressing(NetworkController *controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
}

OvnLogicalSwitchPort PortAddressing::portOf(const VmKey &vm, const QString &mac) const
{
    const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(vm, mac);
    return match ? m_controller->northbound()->port(match->portUuid) : OvnLogicalSwitchPort{};
}

QString PortAddressing::refusal(const VmKey &vm, const QString &mac) const
{
    if (!m_controller->isSynced())
        return tr("The network controller is not connected (%1).").arg(m_controller->stateText());
    const OvnLogicalSwitchPort port = portOf(vm, mac);
    if (port.uuid.isEmpty())
        return tr("The NIC %1 has no port in the network controller: its address is libvirt's or the guest's.").arg(mac);
    if (const QString owned = NetworkController::ownerRefusal(tr("The port %1").arg(port.name), port.owner()); !owned.isEmpty())
        return owned;
    if (port.mac().isEmpty())
        return tr("The port %1 has no MAC address in the controller (addresses “%2”): set one there first.")
            .arg(port.name, port.addresses.join(QStringLiteral(", ")));
    return {};
}

SubnetPlan PortAddressing::planFor(const VmKey &vm, const QString &mac) const
{
    const OvnLogicalSwitchPort port = portOf(vm, mac);
    return port.switchUuid.isEmpty() ? SubnetPlan{} : m_controller->addressPlan(port.switchUuid);
}

QStringList PortAddressing::addressesOf(const VmKey &vm, const QString &mac) const
{
    return portOf(vm, mac).ipAddresses();
}

QString PortAddressing::addressRefusal(const VmKey &vm, const QString &mac, const QString &address) const
{
    if (const QString refused = refusal(vm, mac); !refused.isEmpty())
        return refused;
    const SubnetPlan plan = planFor(vm, mac);
    if (!plan.isValid())
        return tr("The switch of this NIC has no subnet in the controller (other_config:subnet or DHCP options): there is no address to give.");
    return plan.refusal(address, portOf(vm, mac).name);
}

QJsonArray PortAddressing::assignOperations(const OvnLogicalSwitchPort &port, const QString &address)
{
    const QStringList addressing{port.mac() + u' ' + address.trimmed()};
    return {waitForAddressing(port),
            update(LogicalSwitchPort, whereUuid(port.uuid), {{Addresses, stringSet(addressing)}, {PortSecurity, stringSet(addressing)}}),
            comment(QStringLiteral("vigie: port %1 gets the address %2").arg(port.name, address.trimmed()))};
}

QJsonArray PortAddressing::portSecurityOperations(const OvnLogicalSwitchPort &port)
{
    // Port security allows what the port's addresses state: its MAC and IP addresses.
    QStringList security;
    for (const QString &entry : port.addresses) {
        if (entry.section(u' ', 0, 0).contains(u':'))
            security.append(entry);
    }
    return {waitForAddressing(port), update(LogicalSwitchPort, whereUuid(port.uuid), {{PortSecurity, stringSet(security)}}),
            comment(QStringLiteral("vigie: port security on for port %1").arg(port.name))};
}

void PortAddressing::assign(const VmKey &vm, const QString &mac, const QString &address)
{
    const QString action = tr("Assign address to NIC %1").arg(mac);
    if (const QString refused = addressRefusal(vm, mac, address); !refused.isEmpty()) {
        m_controller->record(m_controller->inventory()->host(vm.hostUri).displayName, m_controller->inventory()->vm(vm).name, action,
                             refused, EventRecord::Severity::Error);
        Q_EMIT finished(vm, mac, false, refused);
        return;
    }
    const OvnLogicalSwitchPort port = portOf(vm, mac);
    const QString was = port.ipAddresses().join(QStringLiteral(", "));
    const quint64 hold = m_controller->holdAddress(port.switchUuid, address.trimmed(), port.name);
    transact(vm, mac, action, assignOperations(port, address),
             was.isEmpty() ? tr("Controller: port %1 has the address %2; the guest takes it at its next DHCP exchange.")
                                 .arg(port.name, address.trimmed())
                           : tr("Controller: port %1 has the address %2 (was %3); the guest takes it at its next DHCP renewal.")
                                 .arg(port.name, address.trimmed(), was),
             hold);
}

void PortAddressing::enablePortSecurity(const VmKey &vm, const QString &mac)
{
    const QString action = tr("Port security on NIC %1").arg(mac);
    QString refused = refusal(vm, mac);
    const OvnLogicalSwitchPort port = portOf(vm, mac);
    if (refused.isEmpty() && port.ipAddresses().isEmpty())
        refused = tr("The port %1 has no IP address: assign one first, port security then follows it.").arg(port.name);
    if (!refused.isEmpty()) {
        m_controller->record(m_controller->inventory()->host(vm.hostUri).displayName, m_controller->inventory()->vm(vm).name, action,
                             refused, EventRecord::Severity::Error);
        Q_EMIT finished(vm, mac, false, refused);
        return;
    }
    transact(vm, mac, action, portSecurityOperations(port),
             tr("Controller: port %1 now lets through only %2.").arg(port.name, port.addresses.join(QStringLiteral(", "))));
}

void PortAddressing::transact(const VmKey &vm, const QString &mac, const QString &action, const QJsonArray &operations,
                              const QString &success, quint64 hold)
{
    const QString host = m_controller->inventory()->host(vm.hostUri).displayName;
    const QString vmName = m_controller->inventory()->vm(vm).name;
    const QPointer<PortAddressing> self(this);
    const QPointer<NetworkController> controller(m_controller);
    m_controller->client()->transact(operations, [self, controller, vm, mac, host, vmName, action, success, hold](const OvsdbTransactResult &result) {
        if (controller)
            controller->addressAnswered(hold, result.ok);
        if (!self)
            return;
        if (!result.ok) {
            const QString message = tr("The controller refused: %1. Nothing was changed.").arg(NetworkController::transactError(result));
            self->m_controller->record(host, vmName, action, message, EventRecord::Severity::Error);
            Q_EMIT self->finished(vm, mac, false, message);
            return;
        }
        self->m_controller->record(host, vmName, action, success, EventRecord::Severity::Info);
        Q_EMIT self->finished(vm, mac, true, QString());
    });
}

} // namespace Vigie
