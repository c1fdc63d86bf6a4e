#include "migrationqueue.h"

#include "inventory/inventory.h"
#include "migrationcontroller.h"

namespace Vigie {

MigrationQueue::MigrationQueue(MigrationController *migrations, Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_migrations(migrations)
    , m_inventory(inventory)
{
    m_arrivalTimer.setSingleShot(true);
    m_arrivalTimer.setInterval(30000);
    connect(&m_arrivalTimer, &QTimer::timeout, this, [this] {
        endCurrent(false, tr("libvirt completed the migration, but %1 did not show up on %2 within %3 s")
                              .arg(m_requests.value(m_current).vmName, m_inventory->host(m_arrival.hostUri).displayName)
                              .arg(m_arrivalTimer.interval() / 1000));
    });
    connect(m_migrations, &MigrationController::jobProgressed, this, [this](const MigrationProgress &progress) {
        if (m_current >= 0 && progress.jobId == m_jobId)
            Q_EMIT requestProgressed(m_current, progress);
    });
    connect(m_migrations, &MigrationController::jobFinished, this, &MigrationQueue::jobFinished);
    connect(m_inventory, &Inventory::vmAdded, this, &MigrationQueue::checkArrival);
    connect(m_inventory, &Inventory::vmChanged, this, &MigrationQueue::checkArrival);
    // Checked once the VM is gone (the signal comes before).
    connect(m_inventory, &Inventory::vmAboutToBeRemoved, this, &MigrationQueue::checkArrival, Qt::QueuedConnection);
}

QString MigrationQueue::resolve(const Inventory &inventory, const QString &vmName, const QString &host, VmKey *vm,
                                QString *destUri)
{
    // The domain's name first, then the name its manager gave it (Nova's, which the table shows
    // first and which two instances may share), then its UUID.
    QList<VmKey> matches;
    for (const auto field : {&VmInfo::name, &VmInfo::displayName, &VmInfo::uuid}) {
        for (const VmKey &key : inventory.vmKeys()) {
            if (!vmName.isEmpty() && inventory.findVm(key)->*field == vmName)
                matches.append(key);
        }
        if (!matches.isEmpty())
            break;
    }
    if (matches.size() != 1)
        return matches.isEmpty() ? tr("no VM named %1").arg(vmName) : tr("%1 VMs are named %2").arg(matches.size()).arg(vmName);
    QString uri;
    for (const QString &candidate : inventory.hostUris()) {
        if (candidate == host || inventory.host(candidate).displayName == host)
            uri = candidate;
    }
    if (uri.isEmpty())
        return tr("no host named %1").arg(host);
    *vm = matches.first();
    *destUri = uri;
    return {};
}

void MigrationQueue::enqueue(const QString &vmName, const QString &host)
{
    m_requests.append({vmName, host});
}

void MigrationQueue::start()
{
    if (m_started)
        return;
    m_started = true;
    startNext();
}

void MigrationQueue::startNext()
{
    while (m_next < m_requests.size()) {
        const int index = m_next++;
        const Request &request = m_requests.at(index);
        VmKey vm;
        QString destUri;
        QString error = resolve(*m_inventory, request.vmName, request.host, &vm, &destUri);
        if (error.isEmpty()) {
            m_wasActive = m_inventory->vm(vm).isActive();
            // The controller's start() runs the pre-flight a drag runs and says why it refuses.
            m_jobId = m_migrations->start(vm, destUri, m_options, &error);
        }
        if (m_jobId.isEmpty()) {
            ++m_failures;
            Q_EMIT requestFinished(index, false, error);
            continue;
        }
        m_current = index;
        m_arrival = {destUri, vm.uuid};
        m_departure = vm;
        Q_EMIT requestStarted(index, m_migrations->job(m_jobId));
        return;
    }
    Q_EMIT finished();
}

void MigrationQueue::jobFinished(const MigrationProgress &progress)
{
    if (m_current < 0 || progress.jobId != m_jobId || m_arrivalTimer.isActive())
        return;
    if (progress.phase != MigrationPhase::Completed) {
        endCurrent(false, progress.phase == MigrationPhase::Cancelled ? migrationPhaseDisplayName(progress.phase) : progress.message);
        return;
    }
    // libvirt is done; the inventory shows the VM there with its hosts' events or resync.
    m_arrivalTimer.start();
    checkArrival();
}

void MigrationQueue::checkArrival()
{
    if (m_current < 0 || !m_arrivalTimer.isActive())
        return;
    // There, running if it ran, and no longer running on the source (gone from it, by default).
    const VmInfo *there = m_inventory->findVm(m_arrival);
    const VmInfo *left = m_inventory->findVm(m_departure);
    if (there && (!m_wasActive || there->state == VmState::Running) && (!left || !left->isActive()))
        endCurrent(true, {});
}

void MigrationQueue::endCurrent(bool ok, const QString &message)
{
    m_arrivalTimer.stop();
    const int index = m_current;
    m_current = -1;
    m_jobId.clear();
    if (!ok)
        ++m_failures;
    Q_EMIT requestFinished(index, ok, message);
    startNext();
}

} // namespace Vigie
