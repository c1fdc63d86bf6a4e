#include "metricshistory.h"

#include "historywriter.h"
#include "metricsstore.h"

#include <QDateTime>
#include <QStandardPaths>

namespace Vigie {

MetricsHistory::MetricsHistory(MetricsStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_writer(new HistoryWriter)
    , m_stopping(std::make_shared<std::atomic<bool>>(false))
{
    m_thread.setObjectName(QStringLiteral("vigie-history"));
    m_writer->setStopFlag(m_stopping);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &HistoryWriter::opened, this, [this](const HistoryDatabase::OpenResult &result) {
        m_open = result.ok;
        Q_EMIT opened(result);
    });
    connect(m_writer, &HistoryWriter::queryFinished, this, &MetricsHistory::seriesReady);
    connect(m_writer, &HistoryWriter::eventsFound, this, &MetricsHistory::eventsFound);
    connect(m_writer, &HistoryWriter::usageReady, this, &MetricsHistory::usageReady);
    connect(m_writer, &HistoryWriter::minutesWritten, this, &MetricsHistory::minutesWritten);
    connect(m_writer, &HistoryWriter::demoSeeded, this, [this](int series, qint64 elapsedMs) {
        m_demoSeeded = true;
        Q_EMIT demoSeeded(series, elapsedMs);
    });
    connect(m_writer, &HistoryWriter::failed, this, &MetricsHistory::failed);
    connect(store, &MetricsStore::tickAccepted, this, [this](const MetricsTick &tick) {
        if (m_path.isEmpty() || tick.demo != m_demo)
            return;
        QList<VmAllocation> allocations = m_allocations ? m_allocations(tick.hostUri) : QList<VmAllocation>{};
        QMetaObject::invokeMethod(m_writer, [writer = m_writer, tick, allocations = std::move(allocations)] {
            writer->recordWithAllocations(tick, allocations);
        });
    });
    m_thread.start(QThread::LowPriority);
}

MetricsHistory::~MetricsHistory()
{
    // A demo seeding under way stops between two series; the open minutes are written.
    m_stopping->store(true);
    QMetaObject::invokeMethod(m_writer, [writer = m_writer] { writer->close(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_writer;
}

QString MetricsHistory::defaultPath(bool demo)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    return dir + (demo ? QStringLiteral("/demo-history.sqlite") : QStringLiteral("/history.sqlite"));
}

void MetricsHistory::open(const QString &path, bool demo)
{
    m_path = path;
    m_demo = demo;
    m_open = false;
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, path, demo] { writer->open(path, demo); });
}

quint64 MetricsHistory::request(const HistoryKey &key, HistoryTier tier, qint64 fromMs, qint64 toMs)
{
    const quint64 id = m_nextRequest++;
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, id, key, tier, fromMs, toMs] {
        writer->query(id, key, tier, fromMs, toMs);
    });
    return id;
}

void MetricsHistory::recordEvent(const EventRecord &event)
{
    if (m_path.isEmpty())
        return;
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, event] { writer->recordEvent(event); });
}

quint64 MetricsHistory::searchEvents(const QString &text, qint64 fromMs, qint64 toMs, int limit)
{
    const quint64 id = m_nextRequest++;
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, id, text, fromMs, toMs, limit] {
        writer->searchEvents(id, text, fromMs, toMs, limit);
    });
    return id;
}

quint64 MetricsHistory::requestUsage(const UsageRequest &request)
{
    const quint64 id = m_nextRequest++;
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, id, request] { writer->usage(id, request); });
    return id;
}

void MetricsHistory::seedDemo(const QList<DemoHistorySubject> &subjects)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, subjects, now] { writer->seedDemo(subjects, now); });
}

} // namespace Vigie
