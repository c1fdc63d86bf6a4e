#include "migrationbindings.h"

#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "network/ovsdbops.h"

#include <QJsonObject>

namespace Vigie {

using namespace OvsdbOps;

namespace {

const QString RequestedChassis = QStringLiteral("requested-chassis");
const QString ActivationStrategy = QStringLiteral("activation-strategy");

// Replaces KEYS of the port's options by PAIRS (a key left out of PAIRS is removed), in one
// mutate: the options written by others stay as they are.
QJsonObject setOptions(const QString &portUuid, const QStringList &keys, const QList<std::pair<QString, QString>> &pairs)
{
    QJsonArray mutations{QJsonArray{QStringLiteral("options"), QStringLiteral("delete"), stringSet(keys)}};
    if (!pairs.isEmpty())
        mutations.append(QJsonArray{QStringLiteral("options"), QStringLiteral("insert"), stringMap(pairs)});
    return {{QStringLiteral("op"), QStringLiteral("mutate")},
            {QStringLiteral("table"), QStringLiteral("Logical_Switch_Port")},
            {QStringLiteral("where"), whereUuid(portUuid)},
            {QStringLiteral("mutations"), mutations}};
}

} // namespace

MigrationBindings::MigrationBindings(NetworkController *network, MigrationController *migrations, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    connect(migrations, &MigrationController::jobStarted, this, &MigrationBindings::onStarted);
    connect(migrations, &MigrationController::jobFinished, this, &MigrationBindings::onFinished);
}

QJsonArray MigrationBindings::pinOperations(const PortOptions &port, const QString &source, const QString &destination)
{
    return {setOptions(port.portUuid, {RequestedChassis, ActivationStrategy},
                       {{RequestedChassis, source + u',' + destination}, {ActivationStrategy, QStringLiteral("rarp")}}),
            comment(QStringLiteral("vigie: port %1 requested on %2 and %3 for a live migration").arg(port.portName, source, destination))};
}

QJsonArray MigrationBindings::releaseOperations(const PortOptions &port, const QString &source, const QString &destination,
                                                bool completed)
{
    QList<std::pair<QString, QString>> pairs;
    QString requested = port.requestedChassis;
    if (completed && !requested.isEmpty()) {
        // The destination takes the source's place; a port that named no chassis stays free.
        QStringList names = requested.split(u',', Qt::SkipEmptyParts);
        for (QString &name : names) {
            if (name == source)
                name = destination;
        }
        requested = names.join(u',');
    }
    if (!requested.isEmpty())
        pairs.append({RequestedChassis, requested});
    if (!port.activationStrategy.isEmpty())
        pairs.append({ActivationStrategy, port.activationStrategy});
    return {setOptions(port.portUuid, {RequestedChassis, ActivationStrategy}, pairs),
            comment(QStringLiteral("vigie: port %1 released after a live migration from %2 to %3 (%4)")
                        .arg(port.portName, source, destination, completed ? QStringLiteral("completed") : QStringLiteral("not completed")))};
}

QString MigrationBindings::chassisOfHost(const QString &hostUri) const
{
    const NetworkCorrelation *correlation = m_network->correlation();
    for (const OvnChassis &c : m_network->southbound()->chassis()) {
        if (correlation->hostOfChassis(c.uuid) == hostUri)
            return c.name;
    }
    return {};
}

void MigrationBindings::onStarted(const MigrationProgress &progress)
{
    if (!m_enabled || !m_network || progress.demo || !m_network->isSynced() || !m_network->isSouthboundSynced())
        return;
    const QString source = chassisOfHost(progress.sourceUri);
    const QString destination = chassisOfHost(progress.destUri);
    if (source.isEmpty() || destination.isEmpty())
        return; // no chassis to name: OVN claims the port wherever the VIF appears
    const VmInfo *vm = m_network->inventory()->findVm(progress.vm);
    if (!vm)
        return;
    QList<Pinned> pinned;
    for (const NicInfo &nic : vm->nics) {
        const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(progress.vm, nic.mac);
        if (!match || match->owner != OvnOwner::None)
            continue;
        const OvnLogicalSwitchPort port = m_network->northbound()->port(match->portUuid);
        const PortOptions options{port.uuid, port.name, port.options.value(RequestedChassis), port.options.value(ActivationStrategy)};
        pinned.append({options, source, destination});
        m_network->client()->transact(pinOperations(options, source, destination), [this, name = port.name](const OvsdbTransactResult &result) {
            Q_EMIT portUpdated(name, true, result.ok, result.ok ? QString() : result.errors.value(0).error);
        });
    }
    if (!pinned.isEmpty())
        m_pinned.insert(progress.jobId, pinned);
}

void MigrationBindings::onFinished(const MigrationProgress &progress)
{
    const QList<Pinned> pinned = m_pinned.take(progress.jobId);
    if (!m_network)
        return;
    const bool completed = progress.phase == MigrationPhase::Completed;
    for (const Pinned &p : pinned) {
        m_network->client()->transact(releaseOperations(p.port, p.source, p.destination, completed),
                                      [this, name = p.port.portName](const OvsdbTransactResult &result) {
                                          Q_EMIT portUpdated(name, false, result.ok,
                                                             result.ok ? QString() : result.errors.value(0).error);
                                      });
    }
}

} // namespace Vigie
