#include "migrationcontroller.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "logging.h"
#include "migrationjob.h"
#include "sessionmanager.h"

#include <QDateTime>
#include <QThread>

#include <algorithm>

namespace Vigie {

MigrationController::MigrationController(SessionManager *sessions, Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_preflight(inventory)
{
    qRegisterMetaType<MigrationProgress>();
    m_preflight.setAccessPolicy(sessions->accessPolicy());
    connect(m_inventory, &Inventory::vmAdded, this, &MigrationController::vmSeen);
    connect(m_inventory, &Inventory::vmChanged, this, &MigrationController::vmSeen);
    connect(m_inventory, &Inventory::incomingMigrationSeen, this, &MigrationController::incomingSeen);
    // Queued: a host's state changes before the VMs of its snapshot are in (and adopted).
    connect(m_inventory, &Inventory::hostChanged, this, &MigrationController::settleJournal, Qt::QueuedConnection);
}

MigrationController::~MigrationController()
{
    // Abort what still runs, then join: each job joins its migrate call, which an abort ends.
    for (Job &job : m_jobs) {
        if (!job.thread)
            continue;
        // An adopted migration was running without this console: it goes on without it.
        if (job.worker && !job.progress.adopted)
            QMetaObject::invokeMethod(job.worker, &MigrationJob::cancel, Qt::QueuedConnection);
        job.thread->quit();
        job.thread->wait();
    }
}

int MigrationController::leaveRunningToLibvirt()
{
    int left = 0;
    for (Job &job : m_jobs) {
        if (!job.thread || migrationPhaseIsFinal(job.progress.phase))
            continue;
        qCWarning(lcHypervisor).noquote()
            << QStringLiteral("quitting while %1 migrates from %2 to %3 (%4 %): left to libvirt, neither aborted nor waited for")
                   .arg(job.progress.vmName, job.progress.sourceUri, job.progress.destUri)
                   .arg(job.progress.percent, 0, 'f', 0);
        if (job.worker)
            job.worker->disconnect(this);
        // Deliberately never deleted: the thread is still inside libvirt's migrate call.
        job.thread = nullptr;
        job.worker = nullptr;
        ++left;
    }
    return left;
}

QList<MigrationProgress> MigrationController::jobs() const
{
    QList<MigrationProgress> result;
    for (const QString &id : m_order)
        result.append(m_jobs.value(id).progress);
    return result;
}

bool MigrationController::isMigrating(const VmKey &vm) const
{
    for (const Job &job : m_jobs) {
        if (job.progress.vm == vm && !migrationPhaseIsFinal(job.progress.phase))
            return true;
    }
    return false;
}

int MigrationController::runningCount() const
{
    int count = 0;
    for (const Job &job : m_jobs)
        count += migrationPhaseIsFinal(job.progress.phase) ? 0 : 1;
    return count;
}

QString MigrationController::start(const VmKey &vm, const QString &destUri, const MigrationOptions &options, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return QString();
    };
    if (isMigrating(vm))
        return refuse(tr("This VM is already being migrated."));
    if (!postCopyFailedJob(vm.uuid).isEmpty())
        return refuse(tr("Its post-copy migration failed: resume that migration, nothing else brings the VM back."));
    const PlacementCheck check = m_preflight.checkMigration(vm, destUri);
    if (!check.allowed)
        return refuse(check.reason);

    const VmInfo info = m_inventory->vm(vm);
    Job job;
    job.progress = newProgress(vm, info.name, destUri);
    job.progress.demo = m_inventory->host(vm.hostUri).demo;
    job.progress.dataTotal = info.memoryKiB * 1024;
    job.demoWasActive = info.isActive();
    const QString id = job.progress.jobId;
    m_order.append(id);
    Job &stored = m_jobs.insert(id, job).value();
    m_sessions->record(vm.hostUri, info.name, tr("Migration"),
                       tr("To %1 started%2").arg(m_inventory->host(destUri).displayName,
                                                 job.progress.demo ? tr(" (simulated: demo hosts)") : QString()),
                       EventRecord::Severity::Info);
    Q_EMIT jobStarted(stored.progress);
    stored.options = options;
    if (stored.progress.demo)
        startDemo(stored);
    else
        startReal(stored, options);
    return id;
}

MigrationProgress MigrationController::newProgress(const VmKey &vm, const QString &vmName, const QString &destUri)
{
    MigrationProgress progress;
    progress.jobId = QStringLiteral("migration-%1").arg(m_nextId++);
    progress.vm = vm;
    progress.vmName = vmName;
    progress.sourceUri = vm.hostUri;
    progress.destUri = destUri;
    return progress;
}

QString MigrationController::adopt(const VmKey &vm)
{
    // A failed post-copy keeps libvirt's job (for a resume): ours, already listed, not a new one.
    if (isMigrating(vm) || !m_inventory->hasVm(vm) || m_inventory->host(vm.hostUri).demo
        || !postCopyFailedJob(vm.uuid).isEmpty())
        return {};
    const VmInfo info = m_inventory->vm(vm);
    Job job;
    // The destination is known once that host is read (its paused copy of the VM).
    job.progress = newProgress(vm, info.name, m_inventory->incomingHostOf(vm.uuid));
    job.progress.adopted = true;
    job.progress.dataTotal = info.memoryKiB * 1024;
    const QString id = job.progress.jobId;
    m_order.append(id);
    Job &stored = m_jobs.insert(id, job).value();
    const QString dest = stored.progress.destUri.isEmpty() ? QString() : m_inventory->host(stored.progress.destUri).displayName;
    m_sessions->record(vm.hostUri, info.name, tr("Migration"),
                       dest.isEmpty() ? tr("Running without Vigie: followed again")
                                      : tr("To %1 running without Vigie: followed again").arg(dest),
                       EventRecord::Severity::Info);
    qCInfo(lcHypervisor) << "adopting the migration of" << info.name << "from" << vm.hostUri << "to"
                         << (dest.isEmpty() ? QStringLiteral("(not known yet)") : stored.progress.destUri);
    Q_EMIT jobStarted(stored.progress);
    // What it was started with is not known: a resume then asks for post-copy, live, as
    // defined by default (libvirt checks the post-copy flag only).
    MigrationOptions options;
    options.postCopy = true;
    startReal(stored, options, Launch::Adopt);
    return id;
}

void MigrationController::vmSeen(const VmKey &key)
{
    const VmInfo *vm = m_inventory->findVm(key);
    if (!vm)
        return;
    if (vm->migration == VmMigration::Outgoing) {
        adopt(key);
        return;
    }
    if (!vm->pausedByMigration) {
        m_pausedReported.remove(key);
        return;
    }
    if (m_pausedReported.contains(key) || isMigrating(key))
        return;
    m_pausedReported.insert(key);
    if (vm->state == VmState::Paused && vm->migration == VmMigration::None && !postCopyFailedJob(key.uuid).isEmpty()) {
        m_sessions->record(key.hostUri, vm->name, tr("Migration"),
                           tr("Post-copy failed: paused here, stalled on the destination; resume the migration"),
                           EventRecord::Severity::Warning);
        return;
    }
    // Its memory may be half on another host: the way back is resuming it here, never a
    // destroy, which loses the guest's state.
    m_sessions->record(key.hostUri, vm->name, tr("Migration"),
                       tr("Paused by a migration that did not complete: resume it on this host"),
                       EventRecord::Severity::Warning);
}

void MigrationController::incomingSeen(const VmKey &incoming)
{
    for (Job &job : m_jobs) {
        if (job.progress.adopted && job.progress.destUri.isEmpty() && job.progress.vm.uuid == incoming.uuid
            && !migrationPhaseIsFinal(job.progress.phase)) {
            job.progress.destUri = incoming.hostUri;
            Q_EMIT jobProgressed(job.progress);
        }
    }
}

void MigrationController::setJournal(std::unique_ptr<MigrationJournal> journal)
{
    m_journal = std::move(journal);
    m_unsettled = m_journal ? m_journal->entries() : QList<MigrationJournal::Entry>();
    for (const QString &uri : m_inventory->hostUris())
        settleJournal(uri);
}

void MigrationController::settleJournal(const QString &hostUri)
{
    if (m_unsettled.isEmpty() || m_inventory->host(hostUri).state != ConnectionState::Connected)
        return;
    // Both hosts' snapshots are in (a snapshot comes before "connected"), and adoption ran on
    // their VMs; a destination Vigie does not connect to is not waited for.
    const auto ready = [this](const QString &uri) {
        return !m_inventory->hasHost(uri) || m_inventory->host(uri).state == ConnectionState::Connected;
    };
    const QList<MigrationJournal::Entry> unsettled = m_unsettled;
    for (const MigrationJournal::Entry &entry : unsettled) {
        if ((entry.vm.hostUri != hostUri && entry.destUri != hostUri) || !m_inventory->hasHost(entry.vm.hostUri)
            || !ready(entry.vm.hostUri) || !ready(entry.destUri))
            continue;
        m_unsettled.removeOne(entry);
        settle(entry);
    }
}

void MigrationController::settle(const MigrationJournal::Entry &entry)
{
    if (isMigrating(entry.vm))
        return; // adopted: still running, its entry carries on
    const VmInfo *vm = m_inventory->findVm(entry.vm);
    Job job;
    job.progress = newProgress(entry.vm, vm ? vm->name : entry.vmName, entry.destUri);
    job.progress.adopted = true;
    job.progress.phase = MigrationPhase::Running;
    job.progress.elapsedMs = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - entry.startedMs);
    const QString source = m_inventory->host(entry.vm.hostUri).displayName;
    MigrationPhase phase = MigrationPhase::Completed;
    QString message;
    if (vm && vm->isActive()) {
        phase = MigrationPhase::Failed;
        message = vm->pausedByMigration
                      ? tr("interrupted: Vigie stopped during the migration, which did not complete; the VM is paused "
                           "on %1: resume it there")
                            .arg(source)
                      : tr("interrupted: Vigie stopped during the migration, which did not complete; the VM keeps "
                           "running on %1")
                            .arg(source);
    } else if (const VmInfo *moved = m_inventory->findVm({entry.destUri, entry.vm.uuid}); moved && moved->isActive()) {
        message = tr("completed while Vigie was not running");
    } else {
        phase = MigrationPhase::Failed;
        message = tr("ended while Vigie was not running; the VM is no longer on %1 and not running on the destination")
                      .arg(source);
    }
    const QString id = job.progress.jobId;
    m_order.append(id);
    m_jobs.insert(id, job);
    Q_EMIT jobStarted(job.progress);
    finish(id, phase, message);
}

void MigrationController::startReal(Job &job, const MigrationOptions &options, Launch launch)
{
    job.options = options;
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("migrate:%1").arg(job.progress.vmName.left(8)));
    auto *worker = new MigrationJob(job.progress, options);
    worker->moveToThread(thread);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(worker, &MigrationJob::progressed, this, &MigrationController::update);
    const QString id = job.progress.jobId;
    connect(worker, &MigrationJob::finished, this, [this, id](MigrationProgress progress) {
        auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return;
        // Keep the final figures; finish() sets the outcome and tells everyone.
        const MigrationPhase phase = progress.phase;
        progress.phase = it->progress.phase;
        it->progress = workersFigures(*it, progress);
        finish(id, phase, progress.message);
    });
    job.thread = thread;
    job.worker = worker;
    if (m_journal)
        m_journal->add(job.progress);
    thread->start();
    switch (launch) {
    case Launch::Start: QMetaObject::invokeMethod(worker, &MigrationJob::start, Qt::QueuedConnection); break;
    case Launch::Adopt: QMetaObject::invokeMethod(worker, &MigrationJob::adopt, Qt::QueuedConnection); break;
    case Launch::Resume: QMetaObject::invokeMethod(worker, &MigrationJob::resume, Qt::QueuedConnection); break;
    }
}

void MigrationController::update(const MigrationProgress &progress)
{
    auto it = m_jobs.find(progress.jobId);
    if (it == m_jobs.end() || migrationPhaseIsFinal(it->progress.phase))
        return;
    it->progress = workersFigures(*it, progress);
    Q_EMIT jobProgressed(it->progress);
}

MigrationProgress MigrationController::workersFigures(const Job &job, MigrationProgress progress)
{
    // The worker copied the job when it started: the route is ours (an adopted job learns its
    // destination once that host is read), and the bar never goes backwards.
    progress.destUri = job.progress.destUri;
    progress.percent = std::max(progress.percent, job.progress.percent);
    return progress;
}

void MigrationController::finish(const QString &jobId, MigrationPhase phase, const QString &message)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || migrationPhaseIsFinal(it->progress.phase))
        return;
    Job &job = *it;
    job.progress.phase = phase;
    job.progress.message = message;
    if (phase == MigrationPhase::Completed)
        job.progress.percent = 100;
    if (job.thread) {
        job.thread->quit(); // deletes the job and itself once its loop ends
        job.thread = nullptr;
    }
    if (job.ticker)
        job.ticker->stop();

    if (m_journal && !job.progress.demo)
        m_journal->remove(job.progress.vm);
    const QString dest = job.progress.destUri.isEmpty() ? tr("another host") : m_inventory->host(job.progress.destUri).displayName;
    QString result;
    EventRecord::Severity severity = EventRecord::Severity::Info;
    switch (phase) {
    case MigrationPhase::Completed:
        result = !message.isEmpty() ? tr("To %1 %2").arg(dest, message)
               : job.progress.downtimeMs >= 0
                     ? tr("To %1 completed in %2 s, downtime %3 ms")
                           .arg(dest)
                           .arg(double(job.progress.elapsedMs) / 1000.0, 0, 'f', 1)
                           .arg(job.progress.downtimeMs)
                     : tr("To %1 completed in %2 s").arg(dest).arg(double(job.progress.elapsedMs) / 1000.0, 0, 'f', 1);
        break;
    case MigrationPhase::Cancelled:
        result = tr("To %1 cancelled: the VM stays on its host").arg(dest);
        severity = EventRecord::Severity::Warning;
        break;
    case MigrationPhase::PostCopyFailed:
        result = tr("To %1: post-copy failed (%2); the VM is paused on %3 and stalled on %1 until the migration is "
                    "resumed")
                     .arg(dest, message, m_inventory->host(job.progress.sourceUri).displayName);
        severity = EventRecord::Severity::Error;
        break;
    default:
        result = tr("To %1 failed: %2").arg(dest, message);
        severity = EventRecord::Severity::Error;
        break;
    }
    m_sessions->record(job.progress.sourceUri, job.progress.vmName, tr("Migration"), result, severity);
    // Events normally tell both hosts; a resync makes sure, whatever the daemons sent.
    for (const QString &uri : {job.progress.sourceUri, job.progress.destUri}) {
        if (HypervisorSession *session = m_sessions->session(uri))
            session->resync();
    }
    Q_EMIT jobFinished(job.progress);
}

void MigrationController::cancel(const QString &jobId)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->progress.cancellable())
        return;
    if (it->worker) {
        QMetaObject::invokeMethod(it->worker, &MigrationJob::cancel, Qt::QueuedConnection);
        return;
    }
    // A simulated migration can be cancelled until its define step: nothing has changed yet.
    if (it->ticker && it->ticker->isActive())
        finish(jobId, MigrationPhase::Cancelled,
               tr("the VM stays on %1").arg(m_inventory->host(it->progress.sourceUri).displayName));
}

bool MigrationController::resume(const QString &jobId, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return refuse(tr("No such migration."));
    if (!it->progress.resumable())
        return refuse(tr("Only a migration whose post-copy failed can be resumed."));
    if (m_inventory->host(it->progress.sourceUri).state != ConnectionState::Connected
        || m_inventory->host(it->progress.destUri).state != ConnectionState::Connected)
        return refuse(tr("Both hosts must be connected to resume the migration."));
    Job &job = *it;
    job.progress.phase = MigrationPhase::PostCopy;
    job.progress.message.clear();
    m_sessions->record(job.progress.sourceUri, job.progress.vmName, tr("Migration"),
                       tr("To %1: resuming the post-copy migration").arg(m_inventory->host(job.progress.destUri).displayName),
                       EventRecord::Severity::Info);
    startReal(job, job.options, Launch::Resume);
    Q_EMIT jobResumed(job.progress);
    return true;
}

QString MigrationController::postCopyFailedJob(const QString &uuid) const
{
    for (const QString &id : m_order) {
        const MigrationProgress &p = m_jobs.value(id).progress;
        if (p.vm.uuid == uuid && p.phase == MigrationPhase::PostCopyFailed)
            return id;
    }
    return {};
}

void MigrationController::clearFinished()
{
    for (auto it = m_order.begin(); it != m_order.end();) {
        // A failed post-copy stays: its Resume is the only way back for the VM.
        const MigrationPhase phase = m_jobs.value(*it).progress.phase;
        if (migrationPhaseIsFinal(phase) && phase != MigrationPhase::PostCopyFailed) {
            m_jobs.remove(*it);
            it = m_order.erase(it);
        } else {
            ++it;
        }
    }
    Q_EMIT jobsCleared();
}

int MigrationController::demoDurationMs(quint64 memoryBytes)
{
    constexpr double BytesPerMs = 2.0 * 1024 * 1024 * 1024 / 1000.0;
    return int(std::clamp<qint64>(qRound64(double(memoryBytes) * 1.1 / BytesPerMs), 2000, 30000));
}

void MigrationController::startDemo(Job &job)
{
    job.ticker = std::make_shared<QTimer>();
    job.ticker->setInterval(100);
    const QString id = job.progress.jobId;
    connect(job.ticker.get(), &QTimer::timeout, this, [this, id] { demoTick(id); });
    job.progress.phase = MigrationPhase::Running;
    job.ticker->start();
}

void MigrationController::demoTick(const QString &jobId)
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    MigrationProgress p = it->progress;
    // Deterministic synthetic statistics: a first full pass, then two short ones of dirty pages.
    p.elapsedMs += 100;
    const quint64 total = std::max<quint64>(p.dataTotal, 1);
    const int durationMs = m_demoDurationMs > 0 ? m_demoDurationMs : demoDurationMs(total);
    const double fraction = std::min(1.0, double(p.elapsedMs) / std::max(1, durationMs));
    p.percent = std::min(99.0, fraction * 100.0);
    p.dataProcessed = quint64(double(total) * fraction * 1.1);
    p.dataRemaining = quint64(double(total) * (1.0 - fraction));
    p.memoryBps = quint64(double(total) * 1.1 * 1000.0 / std::max(1, durationMs));
    p.iteration = fraction < 0.8 ? 1 : (fraction < 0.95 ? 2 : 3);
    p.dirtyRate = p.iteration == 1 ? 1200 : 300;
    p.expectedDowntimeMs = fraction < 0.8 ? 300 : 40;
    // Post-copy switches over after the first full pass, as MigrationJob asks libvirt to.
    if (it->options.postCopy && p.iteration >= 2 && p.phase == MigrationPhase::Running)
        p.phase = MigrationPhase::PostCopy;
    update(p);
    if (fraction >= 1.0) {
        it->ticker->stop();
        m_sessions->requestDomainXml(p.vm, false, {this, [this, jobId = p.jobId](const QString &xml, const QString &error) {
                                                       demoDefine(jobId, xml, error);
                                                   }});
    }
}

// The demo's simulated migration ends in three steps, each on the last one's reply: the domain
// defined on the destination, then removed from the source (or, if that fails, from the
// destination again: never on both hosts).
void MigrationController::demoDefine(const QString &jobId, const QString &xml, const QString &error)
{
    const auto it = m_jobs.constFind(jobId);
    if (it == m_jobs.cend() || migrationPhaseIsFinal(it->progress.phase))
        return; // cancelled meanwhile
    if (!error.isEmpty())
        return finish(jobId, MigrationPhase::Failed, error);
    m_sessions->defineDomain(it->progress.destUri, xml, it->demoWasActive,
                             {this, [this, jobId](bool ok, const QString &message) { demoDefined(jobId, ok, message); }});
}

void MigrationController::demoDefined(const QString &jobId, bool ok, const QString &message)
{
    const auto it = m_jobs.constFind(jobId);
    if (it == m_jobs.cend())
        return;
    if (!ok)
        return finish(jobId, MigrationPhase::Failed, message); // nothing changed on the source
    m_sessions->removeDomain(it->progress.vm,
                             {this, [this, jobId](bool removed, const QString &why) { demoRemoved(jobId, removed, why); }});
}

void MigrationController::demoRemoved(const QString &jobId, bool ok, const QString &message)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    if (ok) {
        it->progress.downtimeMs = 40;
        return finish(jobId, MigrationPhase::Completed, {});
    }
    qCWarning(lcHypervisor) << "demo migration: cannot remove" << it->progress.vmName << "from"
                            << it->progress.vm.hostUri << ":" << message;
    m_sessions->removeDomain({it->progress.destUri, it->progress.vm.uuid},
                             {this, [this, jobId, message](bool, const QString &) {
                                  finish(jobId, MigrationPhase::Failed, message);
                              }});
}

} // namespace Vigie
