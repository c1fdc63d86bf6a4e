#pragma once

#include "demo/demohistory.h"
#include "historydatabase.h"
#include "historyrow.h"
#include "usagereport.h"

#include <functional>

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace Vigie {

class HistoryWriter;
class MetricsStore;

// The persistent metrics history, seen from the GUI thread: records what the MetricsStore
// accepts (each VM by UUID, each host by URI) into an SQLite database that a HistoryWriter owns
// on a thread of its own, and answers range queries by a queued signal, so that nothing here
// ever waits for the disk. One database per run: the real one (defaultPath(false)) or, for the
// demo datacenter, a separate demo-only one (defaultPath(true)); ticks of the other kind are
// not recorded.
class MetricsHistory : public QObject
{
    Q_OBJECT

public:
    explicit MetricsHistory(MetricsStore *store, QObject *parent = nullptr);
    ~MetricsHistory() override; // writes the open minutes, closes the database, joins the thread

    // In QStandardPaths::AppLocalDataLocation: history.sqlite, or demo-history.sqlite.
    [[nodiscard]] static QString defaultPath(bool demo);

    // Opens (checks, repairs by moving aside, creates) the database on the writer's thread;
    // opened() tells how it went.
    void open(const QString &path, bool demo);
    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] bool isDemo() const { return m_demo; }
    [[nodiscard]] QString path() const { return m_path; }
    // The demo's synthetic past is written (demoSeeded() was emitted).
    [[nodiscard]] bool isDemoSeeded() const { return m_demoSeeded; }

    // A tier's rows of a series between two times; seriesReady(id, ...) answers with the id
    // returned here, after every tick recorded before the request was written.
    quint64 request(const HistoryKey &key, HistoryTier tier, qint64 fromMs, qint64 toMs);
    // Stores an event of the log (the audit trail); the local user is added.
    void recordEvent(const Vigie::EventRecord &event);
    // Stored events between two times containing text (see HistoryDatabase::events);
    // eventsFound(id, ...) answers.
    quint64 searchEvents(const QString &text, qint64 fromMs, qint64 toMs, int limit = 10000);
    // The demo's synthetic past for the series that have none (only into a demo database).
    void seedDemo(const QList<DemoHistorySubject> &subjects);

    // What a host's VMs hold, asked on the GUI thread at each of its ticks: the running VMs, and
    // the shut-off ones that count on that host (each VM on one host only). Without a source no
    // usage is recorded.
    using AllocationSource = std::function<QList<VmAllocation>(const QString &hostUri)>;
    void setAllocationSource(AllocationSource source) { m_allocations = std::move(source); }
    // A usage report, built on the history's thread after every tick recorded before; usageReady(id,
    // ...) answers.
    quint64 requestUsage(const UsageRequest &request);

Q_SIGNALS:
    void opened(const Vigie::HistoryDatabase::OpenResult &result);
    void seriesReady(quint64 requestId, const Vigie::HistorySeries &series);
    void eventsFound(quint64 requestId, const QList<Vigie::EventRecord> &events);
    void usageReady(quint64 requestId, const Vigie::UsageReport &report);
    // Closed minutes were written (charts of the long ranges refresh).
    void minutesWritten(qint64 nowMs, int rows, qint64 elapsedUs);
    void demoSeeded(int series, qint64 elapsedMs);
    void failed(const QString &error);

private:
    MetricsStore *m_store;
    QThread m_thread;
    HistoryWriter *m_writer;
    std::shared_ptr<std::atomic<bool>> m_stopping;
    QString m_path;
    bool m_demo = false;
    bool m_open = false;
    bool m_demoSeeded = false;
    quint64 m_nextRequest = 1;
    AllocationSource m_allocations;
};

} // namespace Vigie
