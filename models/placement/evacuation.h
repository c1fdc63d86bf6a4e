#pragma once

#include "evacuationplan.h"
#include "hypervisor/migration.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace Vigie {

class MigrationScheduler;

// Runs an approved evacuation plan: every move is queued in the migration scheduler (so the
// caps per host apply and each has its row in the Migrations panel), and the evacuation as a
// whole tells how far it is and how it ended. The main window and the lab test drive this same
// object.
class Evacuation : public QObject
{
    Q_OBJECT

public:
    Evacuation(MigrationScheduler *scheduler, const EvacuationPlan &plan, const MigrationOptions &options,
               QObject *parent = nullptr);

    // Queues every move (the scheduler starts them as its caps allow). A move refused at its
    // start counts as failed. Emits finished() at the end, also when nothing started.
    void start();

    [[nodiscard]] const EvacuationPlan &plan() const { return m_plan; }
    [[nodiscard]] int total() const { return int(m_plan.moves.size()); }
    [[nodiscard]] int doneCount() const { return int(m_moved.size()); }
    [[nodiscard]] int failedCount() const { return int(m_failures.size()); }
    [[nodiscard]] bool isFinished() const { return m_started && doneCount() + failedCount() == total(); }
    // The moves' progress averaged, ended moves at 100.
    [[nodiscard]] double percent() const;
    // One line per move that did not complete: "VM: why" (translated reasons).
    [[nodiscard]] QStringList failures() const { return m_failures; }
    // The VMs that left, as they are now on their destinations: what may come back after the
    // maintenance.
    [[nodiscard]] QList<VmKey> moved() const { return m_moved; }

Q_SIGNALS:
    void progressed(double percent, int done, int failed);
    void finished(int done, int failed);

private:
    void finishIfDone();

    MigrationScheduler *m_scheduler;
    const EvacuationPlan m_plan;
    const MigrationOptions m_options;
    QHash<int, double> m_running; // scheduler entry -> percent
    QStringList m_failures;
    QList<VmKey> m_moved;
    bool m_started = false;
    bool m_enqueuing = false;
    bool m_finishedEmitted = false;
};

} // namespace Vigie
