#pragma once

#include "demo/demohistory.h"
#include "historyaggregator.h"
#include "historydatabase.h"
#include "metricsample.h"
#include "usagereport.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace Vigie {

// The history's worker: lives on MetricsHistory's thread, owns the database connection (Qt SQL
// connections must be used only on the thread that created them) and is driven by queued calls
// only. Each tick it is given is folded into minute buckets; the buckets that closed are written
// in one transaction, so there is at most one transaction per tick (in practice one a minute).
class HistoryWriter : public QObject
{
    Q_OBJECT

public:
    explicit HistoryWriter(QObject *parent = nullptr);
    ~HistoryWriter() override;

    void open(const QString &path, bool demo);
    // allocations: what the tick's host's VMs hold (see VmAllocation), for their usage: the
    // running ones of the tick, and the shut-off ones that count only here.
    void recordWithAllocations(const Vigie::MetricsTick &tick, const QList<Vigie::VmAllocation> &allocations);
    // A tick without allocations: figures only, no usage.
    void record(const Vigie::MetricsTick &tick) { recordWithAllocations(tick, {}); }
    // The usage report of request (see UsageReport::build), answered by usageReady.
    void usage(quint64 requestId, const Vigie::UsageRequest &request);
    void query(quint64 requestId, const Vigie::HistoryKey &key, Vigie::HistoryTier tier, qint64 fromMs, qint64 toMs);
    // The demo's synthetic past for series that lack it (see DemoHistory).
    void seedDemo(const QList<Vigie::DemoHistorySubject> &subjects, qint64 nowMs);
    // An event of the log, written with the next tick's transaction (or within a second).
    void recordEvent(const Vigie::EventRecord &event);
    void searchEvents(quint64 requestId, const QString &text, qint64 fromMs, qint64 toMs, int limit);
    // Writes the open buckets (a later start completes them) and closes the database.
    void close();

    [[nodiscard]] HistoryDatabase &database() { return m_db; }
    // Set from another thread to cut a long demo seeding short (at shutdown).
    void setStopFlag(std::shared_ptr<std::atomic<bool>> stopping) { m_stopping = std::move(stopping); }

Q_SIGNALS:
    void opened(const Vigie::HistoryDatabase::OpenResult &result);
    void minutesWritten(qint64 nowMs, int rows, qint64 elapsedUs);
    void queryFinished(quint64 requestId, const Vigie::HistorySeries &series);
    void eventsFound(quint64 requestId, const QList<Vigie::EventRecord> &events);
    void usageReady(quint64 requestId, const Vigie::UsageReport &report);
    void demoSeeded(int series, qint64 elapsedMs);
    void failed(const QString &error);

private:
    void write(const QList<HistoryRow> &rows, qint64 nowMs);

    HistoryDatabase m_db;
    HistoryAggregator m_minutes;
    QList<EventRecord> m_events; // recorded, not yet written
    QTimer m_eventTimer;
    bool m_reportedFailure = false;
    std::shared_ptr<std::atomic<bool>> m_stopping;
};

} // namespace Vigie
