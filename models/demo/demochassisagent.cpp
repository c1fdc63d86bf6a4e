#include "demochassisagent.h"

#include "demo/demoovsdbserver.h"
#include "inventory/inventory.h"
#include "logging.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace Vigie {

DemoChassisAgent::DemoChassisAgent(Inventory *inventory, DemoOvsdbServer *southbound, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_southbound(southbound)
{
    // One pass per event-loop turn, whatever the number of changes: a snapshot changes many VMs.
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &DemoChassisAgent::sync);
    connect(inventory, &Inventory::vmAdded, this, &DemoChassisAgent::schedule);
    connect(inventory, &Inventory::vmChanged, this, &DemoChassisAgent::schedule);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &DemoChassisAgent::schedule);
    connect(inventory, &Inventory::hostChanged, this, &DemoChassisAgent::schedule);
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, &DemoChassisAgent::schedule);
}

void DemoChassisAgent::schedule()
{
    m_timer.start();
}

void DemoChassisAgent::sync()
{
    m_timer.stop();
    if (!m_southbound)
        return;
    const DemoOvsdbDatabase &db = m_southbound->database();
    // A demo host's chassis is the one whose hostname is the host's name.
    QHash<QString, QString> chassisByHost; // host display name -> chassis uuid
    const DemoOvsdbDatabase::Table chassis = db.tables().value(QStringLiteral("Chassis"));
    for (auto it = chassis.cbegin(); it != chassis.cend(); ++it)
        chassisByHost.insert(it->value(QStringLiteral("hostname")).toString(), it.key());

    // Where each interface id runs now; several hosts only for a moment of a migration.
    QHash<QString, QStringList> runsOn; // interface id -> chassis uuids
    QSet<QString> known;                // interface ids of every demo VM, running or not
    for (const QString &uri : m_inventory->hostUris()) {
        const HostInfo host = m_inventory->host(uri);
        if (!host.demo)
            continue;
        const QString hostChassis = chassisByHost.value(host.displayName);
        for (const VmKey &key : m_inventory->vmKeysOfHost(uri)) {
            const VmInfo *vm = m_inventory->findVm(key);
            if (!vm)
                continue;
            const bool running = vm->state == VmState::Running || vm->state == VmState::Paused || vm->state == VmState::Blocked;
            for (const NicInfo &nic : vm->nics) {
                if (nic.interfaceId.isEmpty())
                    continue;
                known.insert(nic.interfaceId);
                if (running && !hostChassis.isEmpty())
                    runsOn[nic.interfaceId].append(hostChassis);
            }
        }
    }

    QJsonArray operations;
    const DemoOvsdbDatabase::Table bindings = db.tables().value(QStringLiteral("Port_Binding"));
    for (const OvsdbRow &binding : bindings) {
        if (!binding.value(QStringLiteral("type")).toString().isEmpty())
            continue; // localnet, localport, ...: nobody claims them
        const QString port = binding.value(QStringLiteral("logical_port")).toString();
        const QStringList bound = binding.value(QStringLiteral("chassis")).toStringList();
        const QStringList candidates = runsOn.value(port);
        QString wanted;
        if (!candidates.isEmpty())
            wanted = bound.isEmpty() || !candidates.contains(bound.first()) ? candidates.first() : bound.first();
        else if (!known.contains(port))
            continue; // a port of no demo VM (yet): leave it as it is
        if (bound == (wanted.isEmpty() ? QStringList() : QStringList{wanted}))
            continue;
        const QJsonValue chassisValue = wanted.isEmpty() ? QJsonValue(QJsonArray{QStringLiteral("set"), QJsonArray{}})
                                                         : QJsonValue(QJsonArray{QStringLiteral("uuid"), wanted});
        operations.append(QJsonObject{
            {QStringLiteral("op"), QStringLiteral("update")},
            {QStringLiteral("table"), QStringLiteral("Port_Binding")},
            {QStringLiteral("where"), QJsonArray{QJsonArray{QStringLiteral("logical_port"), QStringLiteral("=="), port}}},
            {QStringLiteral("row"), QJsonObject{{QStringLiteral("chassis"), chassisValue}, {QStringLiteral("up"), !wanted.isEmpty()}}},
        });
    }
    if (operations.isEmpty())
        return;
    operations.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("comment")},
                                  {QStringLiteral("comment"), QStringLiteral("demo ovn-controller: bindings follow the VMs")}});
    const QJsonArray result = m_southbound->transact(operations);
    if (!result.isEmpty() && result.last().toObject().contains(QLatin1String("error")))
        qCWarning(lcNetwork) << "demo: the bindings could not follow the VMs:" << result.last();
}

} // namespace Vigie
