#include "bindingwatch.h"

#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnsouthbound.h"

#include <QDateTime>

namespace Vigie {

BindingWatch::BindingWatch(NetworkController *network, MigrationController *migrations, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    connect(migrations, &MigrationController::jobStarted, this, &BindingWatch::onStarted);
    connect(migrations, &MigrationController::jobFinished, this, &BindingWatch::onFinished);
    connect(network->southbound(), &OvnSouthbound::changesApplied, this, &BindingWatch::check);
    // The chassis-to-host mapping follows the correlation, which follows the southbound.
    connect(network->correlation(), &NetworkCorrelation::matchesChanged, this, &BindingWatch::check);
    m_patience.setSingleShot(true);
    connect(&m_patience, &QTimer::timeout, this, &BindingWatch::check);
}

void BindingWatch::onStarted(const MigrationProgress &progress)
{
    // The ports are read at the start: at the end the VM may already have left the source's
    // inventory and not yet reached the destination's.
    const VmInfo *vm = m_network ? m_network->inventory()->findVm(progress.vm) : nullptr;
    if (!vm)
        return;
    QStringList ports;
    for (const NicInfo &nic : vm->nics) {
        if (const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(progress.vm, nic.mac))
            ports.append(match->portName);
    }
    if (!ports.isEmpty())
        m_started.insert(progress.jobId, ports);
}

void BindingWatch::onFinished(const MigrationProgress &progress)
{
    const QStringList ports = m_started.take(progress.jobId);
    if (ports.isEmpty() || progress.phase != MigrationPhase::Completed || !m_network || !m_network->isSouthboundSynced())
        return;
    Watched watched{progress.vmName, progress.destUri, ports, {}};
    watched.since.start();
    m_watched.append(watched);
    check();
}

std::pair<QString, QString> BindingWatch::bindingOf(const QString &port) const
{
    const OvnPortBinding *binding = m_network->southbound()->bindingOf(port);
    if (!binding || !binding->isBound())
        return {};
    return {m_network->southbound()->chassisByUuid(binding->chassis).name, m_network->correlation()->hostOfChassis(binding->chassis)};
}

void BindingWatch::check()
{
    if (!m_network)
        return;
    qint64 next = -1;
    for (auto it = m_watched.begin(); it != m_watched.end();) {
        const qint64 elapsed = it->since.elapsed();
        for (auto port = it->ports.begin(); port != it->ports.end();) {
            const auto [chassis, host] = bindingOf(*port);
            if (!host.isEmpty() && host == it->destUri) {
                record(*it, tr("Port %1 bound on chassis %2, %3 s after the migration ended")
                                .arg(*port, chassis, QString::number(double(elapsed) / 1000.0, 'f', 2)),
                       EventRecord::Severity::Info);
                Q_EMIT portFollowed(it->vmName, *port, chassis, it->destUri, elapsed);
                port = it->ports.erase(port);
            } else if (elapsed >= m_patienceMs) {
                record(*it, chassis.isEmpty()
                                ? tr("Port %1 still unbound %2 s after the migration: the VM has no network. Is "
                                     "ovn-controller running on the destination?")
                                      .arg(*port).arg(m_patienceMs / 1000)
                                : tr("Port %1 still bound on chassis %2 %3 s after the migration: its traffic goes there. "
                                     "Is ovn-controller running on the destination?")
                                      .arg(*port, chassis)
                                      .arg(m_patienceMs / 1000),
                       EventRecord::Severity::Warning);
                Q_EMIT portStranded(it->vmName, *port, chassis, it->destUri);
                port = it->ports.erase(port);
            } else {
                ++port;
            }
        }
        if (it->ports.isEmpty()) {
            it = m_watched.erase(it);
        } else {
            const qint64 left = m_patienceMs - elapsed;
            next = next < 0 ? left : std::min(next, left);
            ++it;
        }
    }
    if (next >= 0)
        m_patience.start(int(std::max<qint64>(next, 1)));
    else
        m_patience.stop();
}

void BindingWatch::record(const Watched &watched, const QString &result, EventRecord::Severity severity)
{
    EventRecord entry;
    entry.time = QDateTime::currentDateTime();
    entry.host = m_network->inventory()->host(watched.destUri).displayName;
    entry.vm = watched.vmName;
    entry.action = tr("Network follows migration");
    entry.result = result;
    entry.severity = severity;
    Q_EMIT eventRecorded(entry);
}

} // namespace Vigie
