#include "migrationscheduler.h"

#include "inventory/inventory.h"
#include "logging.h"
#include "migrationcontroller.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace Vigie {

namespace {
const QString SettingsCap = QStringLiteral("migration/parallelPerHost");
} // namespace

MigrationScheduler::MigrationScheduler(MigrationController *migrations, QObject *parent)
    : QObject(parent)
    , m_migrations(migrations)
{
    qRegisterMetaType<Entry>();
    connect(m_migrations, &MigrationController::jobStarted, this, &MigrationScheduler::jobStarted);
    connect(m_migrations, &MigrationController::jobFinished, this, &MigrationScheduler::jobFinished);
    // A failed post-copy resumed: its entry runs again (and holds its slots again).
    connect(m_migrations, &MigrationController::jobResumed, this, [this](const MigrationProgress &progress) {
        const auto it = m_entries.find(m_byJob.value(progress.jobId));
        if (it != m_entries.end() && it->state == State::Failed)
            setState(*it, State::Running);
    });
    connect(m_migrations, &MigrationController::jobsCleared, this, &MigrationScheduler::jobsCleared);
}

int MigrationScheduler::loadCap(QSettings &settings)
{
    return std::max(1, settings.value(SettingsCap, DefaultCapPerHost).toInt());
}

void MigrationScheduler::saveCap(QSettings &settings, int cap)
{
    settings.setValue(SettingsCap, cap);
}

void MigrationScheduler::setCapPerHost(int cap)
{
    cap = std::max(1, cap);
    if (cap == m_cap)
        return;
    m_cap = cap;
    Q_EMIT capChanged(cap);
    schedule(); // a higher cap lets more start now
}

QString MigrationScheduler::stateName(State state)
{
    switch (state) {
    case State::Pending: return QStringLiteral("pending");
    case State::Running: return QStringLiteral("running");
    case State::Done: return QStringLiteral("done");
    case State::Failed: return QStringLiteral("failed");
    case State::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("failed");
}

QString MigrationScheduler::stateDisplayName(State state)
{
    switch (state) {
    //: A queued migration waiting for its turn
    case State::Pending: return tr("Pending");
    case State::Running: return tr("Running");
    case State::Done: return tr("Done");
    case State::Failed: return tr("Failed");
    case State::Cancelled: return tr("Cancelled");
    }
    return {};
}

QList<MigrationScheduler::Entry> MigrationScheduler::entries() const
{
    QList<Entry> result;
    result.reserve(m_order.size());
    for (int id : m_order)
        result.append(m_entries.value(id));
    return result;
}

int MigrationScheduler::count(State state) const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(), [state](const Entry &e) { return e.state == state; }));
}

int MigrationScheduler::enqueue(const VmKey &vm, const QString &destUri, const MigrationOptions &options)
{
    Entry entry;
    entry.id = m_nextId++;
    entry.vm = vm;
    entry.vmName = m_migrations->preflight().inventory()->vm(vm).name;
    entry.destUri = destUri;
    entry.options = options;
    m_entries.insert(entry.id, entry);
    m_order.append(entry.id);
    Q_EMIT entryAdded(entry);
    schedule();
    return entry.id;
}

bool MigrationScheduler::cancel(int id)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return false;
    if (it->state == State::Pending) {
        setState(*it, State::Cancelled, tr("cancelled before it started"));
        return true;
    }
    if (it->state == State::Running && m_migrations->job(it->jobId).cancellable()) {
        m_migrations->cancel(it->jobId); // ends as Cancelled when the controller says so
        return true;
    }
    return false;
}

bool MigrationScheduler::retry(int id)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end() || (it->state != State::Failed && it->state != State::Cancelled))
        return false;
    // A migration that failed after its switchover is resumed, never started again.
    if (!it->jobId.isEmpty() && m_migrations->job(it->jobId).phase == MigrationPhase::PostCopyFailed)
        return false;
    m_byJob.remove(it->jobId);
    it->jobId.clear();
    // Behind what is already waiting: a retry does not jump the queue.
    m_order.removeOne(id);
    m_order.append(id);
    Q_EMIT orderChanged();
    setState(*it, State::Pending);
    schedule();
    return true;
}

bool MigrationScheduler::move(int id, int delta)
{
    if (m_entries.value(id).state != State::Pending || delta == 0)
        return false;
    QList<int> pending;
    for (int other : std::as_const(m_order)) {
        if (m_entries.value(other).state == State::Pending)
            pending.append(other);
    }
    const qsizetype from = pending.indexOf(id);
    const qsizetype to = std::clamp<qsizetype>(from + delta, 0, pending.size() - 1);
    if (from == to)
        return false;
    // The pending entries take their new order in the slots pending entries held.
    pending.move(from, to);
    qsizetype next = 0;
    for (int &slot : m_order) {
        if (m_entries.value(slot).state == State::Pending)
            slot = pending.at(next++);
    }
    Q_EMIT orderChanged();
    return true;
}

void MigrationScheduler::clearFinished()
{
    m_migrations->clearFinished(); // jobsCleared() forgets ours
}

void MigrationScheduler::jobsCleared()
{
    bool removed = false;
    for (auto it = m_order.begin(); it != m_order.end();) {
        const Entry entry = m_entries.value(*it);
        if (entry.isFinal()) {
            m_byJob.remove(entry.jobId);
            m_entries.remove(*it);
            it = m_order.erase(it);
            removed = true;
        } else {
            ++it;
        }
    }
    if (removed)
        Q_EMIT entriesCleared();
}

void MigrationScheduler::setState(Entry &entry, State state, const QString &message)
{
    entry.state = state;
    entry.message = message;
    Q_EMIT entryChanged(entry);
}

void MigrationScheduler::scheduleLater()
{
    // Not from inside the controller's signals: starting a job there would change the jobs it is
    // still emitting from.
    if (m_scheduleQueued)
        return;
    m_scheduleQueued = true;
    QMetaObject::invokeMethod(this, [this] {
        m_scheduleQueued = false;
        schedule();
    }, Qt::QueuedConnection);
}

void MigrationScheduler::schedule()
{
    QHash<QString, int> leaving;
    QHash<QString, int> arriving;
    for (const MigrationProgress &job : m_migrations->jobs()) {
        if (!migrationPhaseIsFinal(job.phase)) {
            ++leaving[job.sourceUri];
            ++arriving[job.destUri];
        }
    }
    const Inventory *inventory = m_migrations->preflight().inventory();
    const QList<int> order = m_order;
    for (int id : order) {
        const auto it = m_entries.find(id);
        if (it == m_entries.end() || it->state != State::Pending)
            continue;
        // Where the VM is now: a retried or returning VM may have moved since it was queued.
        if (!inventory->hasVm(it->vm)) {
            for (const VmKey &key : inventory->vmKeys()) {
                if (key.uuid == it->vm.uuid && key.hostUri != it->destUri)
                    it->vm = key;
            }
        }
        if (leaving.value(it->vm.hostUri) >= m_cap || arriving.value(it->destUri) >= m_cap)
            continue;
        if (startEntry(*it)) {
            ++leaving[it->vm.hostUri];
            ++arriving[it->destUri];
        }
    }
}

bool MigrationScheduler::startEntry(Entry &entry)
{
    QString error;
    m_starting = entry.id;
    const QString jobId = m_migrations->start(entry.vm, entry.destUri, entry.options, &error);
    m_starting = 0;
    if (jobId.isEmpty()) {
        qCInfo(lcHypervisor) << "queued migration of" << entry.vmName << "refused:" << error;
        setState(entry, State::Failed, error);
        return false;
    }
    return true;
}

void MigrationScheduler::jobStarted(const MigrationProgress &progress)
{
    // Inside start(): the job is ours, and its panel row is the entry's.
    const auto it = m_entries.find(m_starting);
    if (it == m_entries.end())
        return;
    it->jobId = progress.jobId;
    m_byJob.insert(progress.jobId, it->id);
    setState(*it, State::Running);
}

void MigrationScheduler::jobFinished(const MigrationProgress &progress)
{
    const auto it = m_entries.find(m_byJob.value(progress.jobId));
    if (it != m_entries.end() && it->state == State::Running) {
        switch (progress.phase) {
        case MigrationPhase::Completed: setState(*it, State::Done); break;
        case MigrationPhase::Cancelled: setState(*it, State::Cancelled, progress.message); break;
        default: setState(*it, State::Failed, progress.message); break;
        }
    }
    // A slot freed, ours or not.
    scheduleLater();
}

} // namespace Vigie
