#pragma once

#include "migration.h"
#include "migrationjournal.h"
#include "placement/preflight.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class QThread;

namespace Vigie {

class Inventory;
class MigrationJob;
class SessionManager;

// Runs migrations, several at once, and tells how each goes. Lives on the GUI thread and never
// blocks it: a real migration is a MigrationJob on its own thread; between demo hosts (libvirt's
// test driver cannot migrate) it is simulated, and labelled so: synthetic progress, then the VM
// defined on the destination and removed from the source through the hosts' sessions.
class MigrationController : public QObject
{
    Q_OBJECT

public:
    MigrationController(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~MigrationController() override;

    // The pre-flight checks every start goes through (and views use while dragging).
    [[nodiscard]] Preflight &preflight() { return m_preflight; }
    [[nodiscard]] const Preflight &preflight() const { return m_preflight; }

    // Starts moving VM to DEST. Returns the job id, or an empty string and the reason in *error
    // when pre-flight refuses or the VM is already migrating.
    QString start(const VmKey &vm, const QString &destUri, const MigrationOptions &options, QString *error = nullptr);
    // Follows a migration libvirt runs that this controller did not start (the VM's
    // VmInfo::migration is Outgoing): a job like the others, marked adopted. Done by itself for
    // every such VM the inventory lists; returns the job id, or empty when already followed.
    QString adopt(const VmKey &vm);
    // Aborts a job that has not switched to post-copy; the VM keeps running on the source.
    // After the switchover it does nothing (migrationCancelRefusal() says why).
    void cancel(const QString &jobId);
    // Resumes a job that ended PostCopyFailed (the network between the hosts failed after the
    // switchover), once they reach each other again: the same job carries on, back in PostCopy,
    // with the options it was started with. False, and why in *error, when it cannot.
    bool resume(const QString &jobId, QString *error = nullptr);
    // The job whose post-copy failed for the VM with UUID (on its source or its destination),
    // empty when none: the one thing to offer for that VM is resuming it.
    [[nodiscard]] QString postCopyFailedJob(const QString &uuid) const;
    // Keeps the real migrations in JOURNAL while they run. The entries a previous run left (it
    // was killed, or quit leaving them to libvirt) are settled as their source hosts connect:
    // a migration still running is adopted; one that ended is listed, finished, with what
    // became of it (completed; or interrupted, the VM running, or paused, on its source).
    void setJournal(std::unique_ptr<MigrationJournal> journal);
    // Quitting on a signal: the real migrations still running are neither aborted nor waited
    // for. Each is left to libvirt, said so in the log, and its thread let go: the process must
    // then end without running static destructors (std::_Exit). Returns how many were left.
    int leaveRunningToLibvirt();
    // Forgets the finished jobs (the jobs panel's "Clear").
    void clearFinished();

    [[nodiscard]] QList<MigrationProgress> jobs() const;
    [[nodiscard]] MigrationProgress job(const QString &jobId) const { return m_jobs.value(jobId).progress; }
    [[nodiscard]] bool isMigrating(const VmKey &vm) const;
    [[nodiscard]] int runningCount() const;

    // How long a simulated (demo) migration takes; tests shorten it. 0 (the default): as long
    // as its memory takes over the demo's simulated link (demoDurationMs()).
    void setDemoDurationMs(int ms) { m_demoDurationMs = ms; }
    // A simulated migration of MEMORY_BYTES: a first pass and ~10 % dirty pages at 2 GiB/s (a
    // 25 GbE migration network), 2 s at least and 30 s at most, so that a 48 GiB database takes
    // visibly longer than a 512 MiB bastion.
    [[nodiscard]] static int demoDurationMs(quint64 memoryBytes);

Q_SIGNALS:
    void jobStarted(const Vigie::MigrationProgress &progress);
    void jobProgressed(const Vigie::MigrationProgress &progress);
    void jobFinished(const Vigie::MigrationProgress &progress);
    // A job that had ended PostCopyFailed runs again (resume()).
    void jobResumed(const Vigie::MigrationProgress &progress);
    void jobsCleared();

private:
    struct Job
    {
        MigrationProgress progress;
        MigrationOptions options;        // real: as started (a resume repeats them)
        QThread *thread = nullptr;       // real: the job's thread (deletes itself when done)
        QPointer<MigrationJob> worker;   // real: lives on thread
        std::shared_ptr<QTimer> ticker;  // demo: synthetic progress
        bool demoWasActive = false;
    };

    // A new job's identity: its id, the VM and its route.
    [[nodiscard]] MigrationProgress newProgress(const VmKey &vm, const QString &vmName, const QString &destUri);
    void update(const MigrationProgress &progress);
    [[nodiscard]] static MigrationProgress workersFigures(const Job &job, MigrationProgress progress);
    void finish(const QString &jobId, MigrationPhase phase, const QString &message);
    enum class Launch { Start, Adopt, Resume };
    void startReal(Job &job, const MigrationOptions &options, Launch launch = Launch::Start);
    void vmSeen(const VmKey &vm);
    void incomingSeen(const VmKey &vm);
    void settleJournal(const QString &hostUri);
    void settle(const MigrationJournal::Entry &entry);
    void startDemo(Job &job);
    void demoTick(const QString &jobId);
    void demoDefine(const QString &jobId, const QString &xml, const QString &error);
    void demoDefined(const QString &jobId, bool ok, const QString &message);
    void demoRemoved(const QString &jobId, bool ok, const QString &message);

    SessionManager *m_sessions;
    Inventory *m_inventory;
    Preflight m_preflight;
    QHash<QString, Job> m_jobs;
    std::unique_ptr<MigrationJournal> m_journal;
    QList<MigrationJournal::Entry> m_unsettled; // left by a previous run
    QSet<VmKey> m_pausedReported;               // paused by an ended migration, said once
    QStringList m_order;
    int m_nextId = 1;
    int m_demoDurationMs = 0;
};

} // namespace Vigie
