#pragma once

#include "inventory/vminfo.h"

#include <QMetaType>
#include <QString>

class QSettings;

namespace Vigie {

// How to migrate, as the migration dialog offers it. The defaults are what an operator wants
// nine times out of ten: live, the VM defined on the destination and removed from the source.
struct MigrationOptions
{
    bool live = true;
    bool persistent = true;     // define the VM on the destination
    bool undefineSource = true; // remove its definition from the source
    int maxDowntimeMs = 300;    // 0: libvirt's default
    int bandwidthMiBs = 0;      // 0: unlimited
    bool autoConverge = true;   // throttle a guest that dirties memory faster than it moves
    bool compression = false;
    bool postCopy = false;      // switch to post-copy after the first full pass (the bandwidth cap holds there too)
    bool copyStorage = false;   // copy non-shared disks
    bool peerToPeer = false;    // the source daemon talks to the destination itself

    friend bool operator==(const MigrationOptions &, const MigrationOptions &) = default;

    // The options last chosen in the migration dialog (group "migration"), which drags with Shift,
    // evacuations and the command line's --migrate use too; the defaults when none were saved.
    [[nodiscard]] static MigrationOptions load(QSettings &settings);
    static void save(QSettings &settings, const MigrationOptions &options);
};

// PostCopyFailed ends a job whose network failed after the switchover: the VM is then paused on
// its source and stalled on its destination, neither holding all its memory. Only resuming the
// migration (MigrationController::resume) brings it back; never a destroy, a start or a plain
// resume on either host.
enum class MigrationPhase { Preparing, Running, PostCopy, Completed, Failed, Cancelled, PostCopyFailed };

[[nodiscard]] QString migrationPhaseName(MigrationPhase phase);        // stable keyword
[[nodiscard]] QString migrationPhaseDisplayName(MigrationPhase phase); // translated
[[nodiscard]] inline bool migrationPhaseIsFinal(MigrationPhase phase)
{
    return phase == MigrationPhase::Completed || phase == MigrationPhase::Failed || phase == MigrationPhase::Cancelled
           || phase == MigrationPhase::PostCopyFailed;
}
// A VM the inventory lists on the source of a post-copy migration that switched over, or failed
// after that (libvirt's PAUSED_POSTCOPY / PAUSED_POSTCOPY_FAILED, its job kept for a resume): half
// of it is on each host, so no lifecycle action applies (a destroy, start or resume loses it).
[[nodiscard]] inline bool vmInPostCopy(const VmInfo &vm)
{
    return vm.migration == VmMigration::Outgoing && vm.state == VmState::Paused;
}
// ... and failed after the switchover: only resuming the migration brings it back.
[[nodiscard]] inline bool vmPostCopyFailed(const VmInfo &vm)
{
    return vm.migration == VmMigration::Outgoing && vm.pausedByMigration;
}
// Why a migration in PHASE cannot be cancelled (empty when it can): shown beside every cancel.
[[nodiscard]] QString migrationCancelRefusal(MigrationPhase phase);

// One migration job as it goes: what libvirt's job statistics say, plus the outcome.
struct MigrationProgress
{
    QString jobId;
    VmKey vm; // on the source
    QString vmName;
    QString sourceUri;
    QString destUri;
    bool demo = false; // simulated: libvirt's test driver cannot migrate
    // Not started by this run of Vigie: a job libvirt was running when its host connected (a
    // console that quit or was killed mid-migration), followed from there, or its outcome.
    bool adopted = false;
    MigrationPhase phase = MigrationPhase::Preparing;
    double percent = 0; // never goes backwards
    quint64 dataTotal = 0;
    quint64 dataProcessed = 0;
    quint64 dataRemaining = 0;
    quint64 memoryBps = 0;      // bytes/s
    quint64 dirtyRate = 0;      // pages/s
    quint64 iteration = 0;
    qint64 expectedDowntimeMs = -1;
    qint64 elapsedMs = 0;
    qint64 downtimeMs = -1; // measured, once completed
    QString message;        // libvirt's message on failure
    [[nodiscard]] bool cancellable() const
    {
        return phase == MigrationPhase::Preparing || phase == MigrationPhase::Running;
    }
    // Failed after the switchover: resuming the migration is the only way on.
    [[nodiscard]] bool resumable() const { return phase == MigrationPhase::PostCopyFailed && !demo; }
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::MigrationOptions)
Q_DECLARE_METATYPE(Vigie::MigrationProgress)
