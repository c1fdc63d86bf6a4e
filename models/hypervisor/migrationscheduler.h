#pragma once

#include "migration.h"

#include <QHash>
#include <QList>
#include <QObject>

class QSettings;

namespace Vigie {

class MigrationController;

// The operator's queue of migrations: every drag, Migrate to…, evacuation and return after
// maintenance goes through it. Runs them through the controller, at most capPerHost() at once
// leaving any one host and at most capPerHost() at once arriving on any one host (migrations the
// controller runs outside the queue count too): parallel migrations share the migration network,
// so each takes longer to converge and its final pause grows. Pending entries can be reordered
// and cancelled, failed or cancelled ones retried. GUI-free; lives on the GUI thread.
class MigrationScheduler : public QObject
{
    Q_OBJECT

public:
    enum class State { Pending, Running, Done, Failed, Cancelled };

    struct Entry
    {
        int id = 0;
        VmKey vm; // where it was when queued (found again by UUID if it moved since)
        QString vmName;
        QString destUri;
        MigrationOptions options;
        State state = State::Pending;
        QString jobId;   // the controller's job, once started
        QString message; // why it failed (translated, or libvirt's words)
        [[nodiscard]] bool isFinal() const { return state == State::Done || state == State::Failed || state == State::Cancelled; }
    };

    static constexpr int DefaultCapPerHost = 2;

    explicit MigrationScheduler(MigrationController *migrations, QObject *parent = nullptr);

    [[nodiscard]] MigrationController *controller() const { return m_migrations; }

    // How many migrations may leave, and how many may arrive on, one host at once (at least 1).
    void setCapPerHost(int cap);
    [[nodiscard]] int capPerHost() const { return m_cap; }
    [[nodiscard]] static int loadCap(QSettings &settings);
    static void saveCap(QSettings &settings, int cap);

    // Queues VM to go to DEST_URI and starts it at once if the caps allow. Returns the entry id.
    int enqueue(const VmKey &vm, const QString &destUri, const MigrationOptions &options);
    // A pending entry is cancelled (it never starts); a running one is aborted through the
    // controller. False if there is nothing to cancel.
    bool cancel(int id);
    // A failed or cancelled entry goes back to the end of the queue.
    bool retry(int id);
    // Moves a pending entry DELTA places among the pending ones (negative: sooner).
    bool move(int id, int delta);
    // Forgets the finished entries (the controller's finished jobs are cleared with them).
    void clearFinished();

    [[nodiscard]] QList<Entry> entries() const; // in queue order
    [[nodiscard]] Entry entry(int id) const { return m_entries.value(id); }
    [[nodiscard]] bool contains(int id) const { return m_entries.contains(id); }
    // The entry that started JOB_ID, or 0.
    [[nodiscard]] int entryOfJob(const QString &jobId) const { return m_byJob.value(jobId); }
    [[nodiscard]] int count(State state) const;
    [[nodiscard]] bool isIdle() const { return count(State::Pending) == 0 && count(State::Running) == 0; }

    [[nodiscard]] static QString stateName(State state);        // stable keyword
    [[nodiscard]] static QString stateDisplayName(State state); // translated

Q_SIGNALS:
    void entryAdded(const Vigie::MigrationScheduler::Entry &entry);
    void entryChanged(const Vigie::MigrationScheduler::Entry &entry);
    void orderChanged();
    void entriesCleared();
    void capChanged(int cap);

private:
    void schedule();
    void scheduleLater();
    bool startEntry(Entry &entry);
    void setState(Entry &entry, State state, const QString &message = {});
    void jobStarted(const MigrationProgress &progress);
    void jobFinished(const MigrationProgress &progress);
    void jobsCleared();

    MigrationController *m_migrations;
    QHash<int, Entry> m_entries;
    QList<int> m_order;
    QHash<QString, int> m_byJob;
    int m_nextId = 1;
    int m_cap = DefaultCapPerHost;
    int m_starting = 0; // the entry whose start() is under way
    bool m_scheduleQueued = false;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::MigrationScheduler::Entry)
