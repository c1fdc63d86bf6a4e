#include "evacuation.h"

#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"
#include "logging.h"

namespace Vigie {

Evacuation::Evacuation(MigrationController *migrations, const EvacuationPlan &plan, const MigrationOptions &options,
                       QObject *parent)
    : QObject(parent)
    , m_migrations(migrations)
    , m_plan(plan)
    , m_options(options)
{
    connect(m_migrations, &MigrationController::jobProgressed, this,
            [this](const MigrationProgress &p) { jobProgressed(p.jobId, p.percent); });
    connect(m_migrations, &MigrationController::jobFinished, this, [this](const MigrationProgress &p) {
        jobEnded(p.jobId, p.phase == MigrationPhase::Completed, p.vmName,
                 p.message.isEmpty() ? migrationPhaseDisplayName(p.phase) : p.message);
    });
}

double Evacuation::percent() const
{
    if (total() == 0)
        return 100.0;
    double sum = 100.0 * (m_done + failedCount());
    for (double percent : m_running)
        sum += percent;
    return sum / total();
}

void Evacuation::start()
{
    if (m_started)
        return;
    m_started = true;
    const Inventory *inventory = m_migrations->preflight().inventory();
    for (const EvacuationPlan::Move &move : m_plan.moves) {
        QString error;
        const QString id = m_migrations->start(move.vm, move.destUri, m_options, &error);
        if (id.isEmpty()) {
            m_failures.append(QStringLiteral("%1: %2").arg(inventory->vm(move.vm).name, error));
            continue;
        }
        m_running.insert(id, 0.0);
    }
    qCInfo(lcHypervisor) << "evacuation of" << m_plan.hostUri << ":" << m_running.size() << "migrations started,"
                         << m_failures.size() << "refused";
    Q_EMIT progressed(percent(), m_done, failedCount());
    finishIfDone();
}

void Evacuation::jobProgressed(const QString &jobId, double percent)
{
    const auto it = m_running.find(jobId);
    if (it == m_running.end())
        return;
    *it = percent;
    Q_EMIT progressed(this->percent(), m_done, failedCount());
}

void Evacuation::jobEnded(const QString &jobId, bool completed, const QString &vmName, const QString &message)
{
    if (!m_running.remove(jobId))
        return;
    if (completed)
        ++m_done;
    else
        m_failures.append(QStringLiteral("%1: %2").arg(vmName, message));
    Q_EMIT progressed(percent(), m_done, failedCount());
    finishIfDone();
}

void Evacuation::finishIfDone()
{
    if (m_finishedEmitted || !isFinished())
        return;
    m_finishedEmitted = true;
    qCInfo(lcHypervisor) << "evacuation of" << m_plan.hostUri << "ended:" << m_done << "moved," << failedCount() << "failed";
    Q_EMIT finished(m_done, failedCount());
}

} // namespace Vigie
