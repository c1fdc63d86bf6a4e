#include "migrationjob.h"

#include "libvirteventloop.h"
#include "libvirtutil.h"
#include "logging.h"

#include <QDateTime>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie {

namespace {

// No credentials dialog for a migration's own connections: they are for hosts Vigie already
// reached, over channels that need none (unix socket, ssh keys, TLS certificates).
int refuseCredentials(virConnectCredentialPtr, unsigned int, void *)
{
    return -1;
}

// With keepalive, a daemon that dies or freezes mid-migration is noticed within seconds (the
// connection is then no longer alive), not when the migration's data has all been sent.
Libvirt::Connection openConnection(const QString &uri)
{
    int credTypes[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};
    virConnectAuth auth{credTypes, std::size(credTypes), refuseCredentials, nullptr};
    Libvirt::Connection conn(virConnectOpenAuth(uri.toUtf8().constData(), &auth, 0));
    if (conn)
        virConnectSetKeepAlive(conn.get(), Libvirt::KeepAliveIntervalS, Libvirt::KeepAliveCount);
    return conn;
}

quint64 paramULL(virTypedParameterPtr params, int count, const char *name, quint64 fallback = 0)
{
    unsigned long long value = 0;
    return virTypedParamsGetULLong(params, count, name, &value) == 1 ? quint64(value) : fallback;
}

} // namespace

MigrationJob::MigrationJob(const MigrationProgress &job, const MigrationOptions &options)
    : m_eventLoop(LibvirtEventLoop::acquire())
    , m_job(job)
    , m_options(options)
{
    m_pollTimer.setInterval(200);
    connect(&m_pollTimer, &QTimer::timeout, this, &MigrationJob::poll);
}

MigrationJob::~MigrationJob()
{
    // The controller cancels before it quits the thread; an abort makes libvirt return soon.
    if (m_migrate.joinable()) {
        if (m_domain)
            virDomainAbortJob(m_domain.get());
        m_migrate.join();
    }
    release();
}

void MigrationJob::release()
{
    // The domain first: it holds a reference to the source's connection.
    m_domain.reset();
    m_source.reset();
    m_dest.reset();
}

void MigrationJob::fail(const QString &message)
{
    // A resume that cannot even begin leaves the migration where it was.
    m_job.phase = m_resuming ? MigrationPhase::PostCopyFailed : MigrationPhase::Failed;
    m_job.message = message;
    finish();
}

void MigrationJob::finish()
{
    m_pollTimer.stop();
    const qint64 watchedMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    // An adopted job ran before it was watched: libvirt's elapsed time covers it all.
    m_job.elapsedMs = m_adopted ? std::max(m_job.elapsedMs, watchedMs) : watchedMs;
    release();
    qCInfo(lcHypervisor) << "migration of" << m_job.vmName << "from" << m_job.sourceUri << "to" << m_job.destUri << ":"
                         << migrationPhaseName(m_job.phase) << m_job.message;
    Q_EMIT finished(m_job);
}

bool MigrationJob::openSource()
{
    m_source = openConnection(m_job.sourceUri);
    if (!m_source) {
        fail(tr("Cannot connect to the source host: %1").arg(Libvirt::lastError()));
        return false;
    }
    m_domain = Libvirt::lookup(m_source.get(), m_job.vm.uuid);
    if (!m_domain) {
        fail(Libvirt::lastError());
        return false;
    }
    return true;
}

unsigned int MigrationJob::migrationFlags(const MigrationOptions &options, bool active, bool resume)
{
    unsigned int flags = 0;
    if (active && options.live)
        flags |= VIR_MIGRATE_LIVE;
    if (!active)
        flags |= VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST; // offline needs a definition there
    if (options.persistent)
        flags |= VIR_MIGRATE_PERSIST_DEST;
    if (options.undefineSource)
        flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
    if (active && options.autoConverge)
        flags |= VIR_MIGRATE_AUTO_CONVERGE;
    if (active && options.compression)
        flags |= VIR_MIGRATE_COMPRESSED;
    if (active && (options.postCopy || resume))
        flags |= VIR_MIGRATE_POSTCOPY;
    if (active && options.copyStorage)
        flags |= VIR_MIGRATE_NON_SHARED_DISK;
    if (options.peerToPeer)
        flags |= VIR_MIGRATE_PEER2PEER;
    // libvirt resumes only a post-copy migration, asked again as it was started (its Begin phase
    // checks VIR_MIGRATE_POSTCOPY; virDomainMigrate3 adds the change protection it needs).
    if (active && resume)
        flags |= VIR_MIGRATE_POSTCOPY_RESUME;
    return flags;
}

void MigrationJob::start()
{
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    if (!openSource())
        return;
    const bool active = virDomainIsActive(m_domain.get()) == 1;
    m_job.phase = MigrationPhase::Running;
    launch(migrationFlags(m_options, active));
}

void MigrationJob::resume()
{
    m_resuming = true;
    m_postCopyStarted = true; // no switchover to ask for: it happened before the failure
    m_downtimeSet = true;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    if (!openSource())
        return;
    m_job.phase = MigrationPhase::PostCopy;
    m_job.message.clear();
    launch(migrationFlags(m_options, true, true));
}

void MigrationJob::launch(unsigned int flags)
{
    m_dest = openConnection(m_job.destUri);
    if (!m_dest) {
        // A resume that cannot reach the destination leaves the migration as it was: failed.
        if (m_resuming)
            m_job.phase = MigrationPhase::PostCopyFailed;
        else
            m_job.phase = MigrationPhase::Failed;
        m_job.message = tr("Cannot connect to the destination host: %1").arg(Libvirt::lastError());
        return finish();
    }

    virTypedParameterPtr params = nullptr;
    int count = 0;
    int max = 0;
    if (m_options.bandwidthMiBs > 0) {
        virTypedParamsAddULLong(&params, &count, &max, VIR_MIGRATE_PARAM_BANDWIDTH, quint64(m_options.bandwidthMiBs));
        // Without it, libvirt lifts the cap at the switchover: the operator's cap holds throughout.
        if (flags & VIR_MIGRATE_POSTCOPY)
            virTypedParamsAddULLong(&params, &count, &max, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY,
                                    quint64(m_options.bandwidthMiBs));
    }

    Q_EMIT progressed(m_job);
    // The call blocks for the whole migration: it gets a thread of its own, and reports back to
    // this object's thread. The connections and the domain outlive it (joined before release).
    m_migrate = std::thread([this, flags, params, count, dest = m_options.peerToPeer ? m_job.destUri.toUtf8() : QByteArray()] {
        virDomainPtr migrated = nullptr;
        int rc = 0;
        if (dest.isEmpty()) {
            migrated = virDomainMigrate3(m_domain.get(), m_dest.get(), params, unsigned(count), flags);
            rc = migrated ? 0 : -1;
        } else {
            rc = virDomainMigrateToURI3(m_domain.get(), dest.constData(), params, unsigned(count), flags);
        }
        const QString error = rc < 0 ? Libvirt::lastError() : QString();
        virTypedParamsFree(params, count);
        QMetaObject::invokeMethod(
            this, [this, ok = rc == 0, error, migrated] { migrationReturned(ok, error, quintptr(migrated)); },
            Qt::QueuedConnection);
    });
    m_pollTimer.start();
}

void MigrationJob::adopt()
{
    m_adopted = true;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    if (!openSource())
        return;
    m_job.phase = MigrationPhase::Running;
    Q_EMIT progressed(m_job);
    m_pollTimer.start();
    poll();
}

void MigrationJob::concludeAdopted()
{
    int state = VIR_DOMAIN_NOSTATE;
    int reason = 0;
    // Undefined from the source (or shut off there, when it stays defined): it moved.
    const bool onSource = virDomainGetState(m_domain.get(), &state, &reason, 0) == 0;
    const bool pausedByMigration = onSource && state == VIR_DOMAIN_PAUSED
                                   && (reason == VIR_DOMAIN_PAUSED_MIGRATION || reason == VIR_DOMAIN_PAUSED_POSTCOPY
                                       || reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED);
    // The source's daemon resumes or removes the VM just after its job: a few polls to settle.
    if (pausedByMigration && ++m_settleChecks < 10)
        return;
    if (!onSource || state == VIR_DOMAIN_SHUTOFF) {
        m_job.phase = MigrationPhase::Completed;
        m_job.percent = 100;
        m_job.dataRemaining = 0;
    } else if (pausedByMigration) {
        m_job.phase = MigrationPhase::Failed;
        m_job.message = tr("The migration ended without completing; the VM is paused on the source: resume it there.");
    } else {
        m_job.phase = m_cancelRequested ? MigrationPhase::Cancelled : MigrationPhase::Failed;
        m_job.message = tr("The migration ended without completing; the VM keeps running on the source.");
    }
    finish();
}

bool MigrationJob::followPostCopy()
{
    int state = VIR_DOMAIN_NOSTATE;
    int reason = 0;
    if (virDomainGetState(m_domain.get(), &state, &reason, 0) < 0 || state != VIR_DOMAIN_PAUSED)
        return false;
    if (reason == VIR_DOMAIN_PAUSED_POSTCOPY && m_job.phase == MigrationPhase::Running) {
        // Switched over, by this job or by anyone (an adopted job, virsh migrate-postcopy).
        m_postCopyStarted = true;
        m_job.phase = MigrationPhase::PostCopy;
    } else if (reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED && m_adopted) {
        // libvirt keeps a failed post-copy job alive, waiting for a resume: an adopted job would
        // otherwise follow it for ever. (A job of ours hears it from its migrate call.)
        m_job.phase = MigrationPhase::PostCopyFailed;
        m_job.message = tr("The migration failed after the switchover.");
        finish();
        return true;
    }
    return false;
}

void MigrationJob::poll()
{
    if (!m_domain || migrationPhaseIsFinal(m_job.phase))
        return;
    if (followPostCopy())
        return;
    if (m_adopted && virConnectIsAlive(m_source.get()) != 1)
        return fail(tr("The source host stopped answering while Vigie followed the migration; check where the VM "
                       "runs once it is back."));
    // A lost destination would leave the migrate call waiting for the data to be all sent (and
    // a lost source for good): abort, so the VM resumes on the source at once.
    if (m_lostHost.isEmpty() && m_job.phase != MigrationPhase::PostCopy) {
        if (m_dest && virConnectIsAlive(m_dest.get()) != 1)
            m_lostHost = m_job.destUri;
        else if (virConnectIsAlive(m_source.get()) != 1)
            m_lostHost = m_job.sourceUri;
        if (!m_lostHost.isEmpty()) {
            qCWarning(lcHypervisor) << "migration of" << m_job.vmName << ":" << m_lostHost << "stopped answering, aborting";
            virDomainAbortJob(m_domain.get());
            return;
        }
    }
    int type = VIR_DOMAIN_JOB_NONE;
    virTypedParameterPtr params = nullptr;
    int count = 0;
    if (virDomainGetJobStats(m_domain.get(), &type, &params, &count, 0) < 0) {
        if (m_adopted && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
            return concludeAdopted();
        if (m_adopted && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
            return fail(Libvirt::lastError());
        qCDebug(lcHypervisor) << "job stats of" << m_job.vmName << ":" << Libvirt::lastError();
        return;
    }
    int operation = VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
    virTypedParamsGetInt(params, count, VIR_DOMAIN_JOB_OPERATION, &operation);
    if (type == VIR_DOMAIN_JOB_NONE || (m_adopted && operation != VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT)) {
        virTypedParamsFree(params, count);
        if (m_adopted)
            concludeAdopted();
        return;
    }
    // Set once the job exists: QEMU takes the downtime limit as a parameter of the migration.
    if (!m_downtimeSet && !m_adopted && m_options.maxDowntimeMs > 0) {
        m_downtimeSet = true;
        if (virDomainMigrateSetMaxDowntime(m_domain.get(), quint64(m_options.maxDowntimeMs), 0) < 0)
            qCDebug(lcHypervisor) << "max downtime of" << m_job.vmName << ":" << Libvirt::lastError();
    }
    m_job.dataTotal = paramULL(params, count, VIR_DOMAIN_JOB_DATA_TOTAL);
    m_job.dataProcessed = paramULL(params, count, VIR_DOMAIN_JOB_DATA_PROCESSED);
    m_job.dataRemaining = paramULL(params, count, VIR_DOMAIN_JOB_DATA_REMAINING);
    m_job.memoryBps = paramULL(params, count, VIR_DOMAIN_JOB_MEMORY_BPS);
    m_job.dirtyRate = paramULL(params, count, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE);
    m_job.iteration = paramULL(params, count, VIR_DOMAIN_JOB_MEMORY_ITERATION);
    m_job.expectedDowntimeMs = qint64(paramULL(params, count, VIR_DOMAIN_JOB_DOWNTIME, quint64(-1)));
    m_job.elapsedMs = qint64(paramULL(params, count, VIR_DOMAIN_JOB_TIME_ELAPSED));
    virTypedParamsFree(params, count);

    const quint64 known = m_job.dataProcessed + m_job.dataRemaining;
    if (known > 0) {
        // Dirty pages send remaining up again between passes: the bar only moves forward, and
        // reaches 100 only when libvirt says the job completed.
        const double percent = 100.0 * double(m_job.dataProcessed) / double(known);
        m_job.percent = std::max(m_job.percent, std::min(percent, 99.0));
    }
    if (!m_adopted && m_options.postCopy && !m_postCopyStarted && m_job.iteration >= 2) {
        if (virDomainMigrateStartPostCopy(m_domain.get(), 0) == 0) {
            m_postCopyStarted = true;
            m_job.phase = MigrationPhase::PostCopy;
        } else {
            qCDebug(lcHypervisor) << "post-copy of" << m_job.vmName << ":" << Libvirt::lastError();
        }
    }
    Q_EMIT progressed(m_job);
}

void MigrationJob::cancel()
{
    if (!m_domain || !m_job.cancellable())
        return;
    m_cancelRequested = true;
    if (virDomainAbortJob(m_domain.get()) < 0)
        qCWarning(lcHypervisor) << "cannot abort the migration of" << m_job.vmName << ":" << Libvirt::lastError();
}

void MigrationJob::migrationReturned(bool ok, const QString &error, quintptr newDomain)
{
    m_migrate.join();
    const Libvirt::Domain migrated(reinterpret_cast<virDomainPtr>(newDomain));
    if (ok) {
        m_job.phase = MigrationPhase::Completed;
        m_job.percent = 100;
        m_job.dataRemaining = 0;
        // The destination keeps the statistics of the job it just completed.
        int type = VIR_DOMAIN_JOB_NONE;
        virTypedParameterPtr params = nullptr;
        int count = 0;
        if (migrated && virDomainGetJobStats(migrated.get(), &type, &params, &count, VIR_DOMAIN_JOB_STATS_COMPLETED) == 0) {
            m_job.downtimeMs = qint64(paramULL(params, count, VIR_DOMAIN_JOB_DOWNTIME, quint64(-1)));
            m_job.dataProcessed = paramULL(params, count, VIR_DOMAIN_JOB_DATA_PROCESSED, m_job.dataProcessed);
            virTypedParamsFree(params, count);
        }
    } else if (int state = VIR_DOMAIN_NOSTATE, reason = 0;
               virDomainGetState(m_domain.get(), &state, &reason, 0) == 0 && state == VIR_DOMAIN_PAUSED
               && reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED) {
        // After the switchover: no abort brings the VM back, libvirt keeps the job for a resume.
        m_job.phase = MigrationPhase::PostCopyFailed;
        m_job.message = error;
    } else if (!m_lostHost.isEmpty()) {
        m_job.phase = MigrationPhase::Failed;
        m_job.message = m_lostHost == m_job.destUri
                            ? tr("The destination host stopped answering; the migration was aborted and the VM "
                                 "keeps running on the source (%1).")
                                  .arg(error)
                            : tr("The source host stopped answering during the migration (%1); check where the VM "
                                 "runs once it is back.")
                                  .arg(error);
    } else {
        m_job.phase = m_cancelRequested ? MigrationPhase::Cancelled : MigrationPhase::Failed;
        m_job.message = error;
    }
    finish();
}

} // namespace Vigie
