#pragma once

#include "evacuationplan.h"
#include "hypervisor/migration.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace Vigie {

class MigrationController;

// Runs an approved evacuation plan: every move becomes a migration through the controller (so
// each has its job in the jobs panel), and the evacuation as a whole tells how far it is and how
// it ended. The main window and the lab test drive this same object.
class Evacuation : public QObject
{
    Q_OBJECT

public:
    Evacuation(MigrationController *migrations, const EvacuationPlan &plan, const MigrationOptions &options,
               QObject *parent = nullptr);

    // Starts every move at once (the controller runs them side by side). A move the controller
    // refuses counts as failed at once. Emits finished() at the end, also when nothing started.
    void start();

    [[nodiscard]] const EvacuationPlan &plan() const { return m_plan; }
    [[nodiscard]] int total() const { return int(m_plan.moves.size()); }
    [[nodiscard]] int doneCount() const { return m_done; }
    [[nodiscard]] int failedCount() const { return int(m_failures.size()); }
    [[nodiscard]] bool isFinished() const { return m_started && m_done + failedCount() == total(); }
    // The moves' progress averaged, ended moves at 100.
    [[nodiscard]] double percent() const;
    // One line per move that did not complete: "VM: why" (translated reasons).
    [[nodiscard]] QStringList failures() const { return m_failures; }

Q_SIGNALS:
    void progressed(double percent, int done, int failed);
    void finished(int done, int failed);

private:
    void jobProgressed(const QString &jobId, double percent);
    void jobEnded(const QString &jobId, bool completed, const QString &vmName, const QString &message);
    void finishIfDone();

    MigrationController *m_migrations;
    const EvacuationPlan m_plan;
    const MigrationOptions m_options;
    QHash<QString, double> m_running; // job id -> percent
    QStringList m_failures;
    int m_done = 0;
    bool m_started = false;
    bool m_finishedEmitted = false;
};

} // namespace Vigie
