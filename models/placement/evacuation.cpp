#include "evacuation.h"

#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationscheduler.h"
#include "inventory/inventory.h"
#include "logging.h"

namespace Vigie {

Evacuation::Evacuation(MigrationScheduler *scheduler, const EvacuationPlan &plan, const MigrationOptions &options,
                       QObject *parent)
    : QObject(parent)
    , m_scheduler(scheduler)
    , m_plan(plan)
    , m_options(options)
{
    connect(m_scheduler->controller(), &MigrationController::jobProgressed, this, [this](const MigrationProgress &p) {
        const auto it = m_running.find(m_scheduler->entryOfJob(p.jobId));
        if (it == m_running.end())
            return;
        *it = p.percent;
        Q_EMIT progressed(percent(), doneCount(), failedCount());
    });
    connect(m_scheduler, &MigrationScheduler::entryAdded, this, [this](const MigrationScheduler::Entry &entry) {
        if (m_enqueuing)
            m_running.insert(entry.id, 0.0);
    });
    connect(m_scheduler, &MigrationScheduler::entryChanged, this, [this](const MigrationScheduler::Entry &entry) {
        if (!entry.isFinal() || !m_running.remove(entry.id))
            return;
        if (entry.state == MigrationScheduler::State::Done) {
            m_moved.append({entry.destUri, entry.vm.uuid});
        } else {
            m_failures.append(QStringLiteral("%1: %2").arg(
                entry.vmName, entry.message.isEmpty() ? MigrationScheduler::stateDisplayName(entry.state) : entry.message));
        }
        Q_EMIT progressed(percent(), doneCount(), failedCount());
        finishIfDone();
    });
}

double Evacuation::percent() const
{
    if (total() == 0)
        return 100.0;
    double sum = 100.0 * (doneCount() + failedCount());
    for (double percent : m_running)
        sum += percent;
    return sum / total();
}

void Evacuation::start()
{
    if (m_started)
        return;
    m_started = true;
    for (const EvacuationPlan::Move &move : m_plan.moves) {
        // Tracked as it is added (entryAdded): the scheduler may start, or refuse, it at once.
        m_enqueuing = true;
        m_scheduler->enqueue(move.vm, move.destUri, m_options);
        m_enqueuing = false;
    }
    qCInfo(lcHypervisor) << "evacuation of" << m_plan.hostUri << ":" << m_plan.moves.size() << "migrations queued";
    Q_EMIT progressed(percent(), doneCount(), failedCount());
    finishIfDone();
}

void Evacuation::finishIfDone()
{
    if (m_finishedEmitted || !isFinished())
        return;
    m_finishedEmitted = true;
    qCInfo(lcHypervisor) << "evacuation of" << m_plan.hostUri << "ended:" << doneCount() << "moved," << failedCount() << "failed";
    Q_EMIT finished(doneCount(), failedCount());
}

} // namespace Vigie
