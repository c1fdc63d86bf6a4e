#include "historywriter.h"

#include "logging.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace Vigie {

HistoryWriter::HistoryWriter(QObject *parent)
    : QObject(parent)
    , m_eventTimer(this)
{
    // Events come with the next tick's transaction; without ticks (no host), within a second.
    m_eventTimer.setSingleShot(true);
    m_eventTimer.setInterval(1000);
    connect(&m_eventTimer, &QTimer::timeout, this, [this] { write({}, QDateTime::currentMSecsSinceEpoch()); });
}

HistoryWriter::~HistoryWriter()
{
    close();
}

void HistoryWriter::open(const QString &path, bool demo)
{
    const HistoryDatabase::OpenResult result = m_db.open(path, demo, QDateTime::currentMSecsSinceEpoch());
    if (result.ok)
        qCInfo(lcMetrics) << "history in" << path << (demo ? "(demo)" : "");
    else
        qCWarning(lcMetrics) << "no history:" << result.error;
    Q_EMIT opened(result);
}

void HistoryWriter::recordWithAllocations(const MetricsTick &tick, const QList<VmAllocation> &allocations)
{
    if (!m_db.isOpen() || tick.demo != m_db.isDemo())
        return; // demo figures never go into a real history, nor real ones into the demo's
    QHash<QString, const VmAllocation *> byUuid;
    byUuid.reserve(allocations.size());
    for (const VmAllocation &allocation : allocations) {
        byUuid.insert(allocation.uuid, &allocation);
        m_db.setLabel({HistorySubject::Vm, allocation.uuid}, allocation.name);
    }
    if (tick.hasHost)
        m_minutes.add({HistorySubject::Host, tick.hostUri}, tick.host.timeMs, tick.host.values.data(), HostMetricCount);
    if (!tick.hasVms) { // a tick of host figures alone: the VMs' usage is counted in theirs
        write(m_minutes.takeClosed(tick.timeMs), tick.timeMs);
        return;
    }
    for (const VmSampleUpdate &vm : tick.vms) {
        // Only the running copy is billed: the paused destination of a migration is the same VM.
        const VmAllocation *allocation = vm.running ? byUuid.take(vm.uuid) : nullptr;
        byUuid.remove(vm.uuid);
        HistoryUsage usage;
        if (allocation) {
            VmAllocation running = *allocation;
            running.running = true;
            usage = running.usageOver(tick.intervalMs);
        }
        m_minutes.add({HistorySubject::Vm, vm.uuid}, vm.sample.timeMs, vm.sample.values.data(), VmMetricCount,
                      allocation ? &usage : nullptr);
    }
    // Shut-off VMs: no sample, their disks still count (the source sends each such VM once).
    const VmSample none;
    for (const VmAllocation *allocation : std::as_const(byUuid)) {
        if (allocation->running)
            continue; // running per the inventory but not sampled yet: nothing measured to bill
        const HistoryUsage usage = allocation->usageOver(tick.intervalMs);
        m_minutes.add({HistorySubject::Vm, allocation->uuid}, tick.timeMs, none.values.data(), VmMetricCount, &usage);
    }
    write(m_minutes.takeClosed(tick.timeMs), tick.timeMs);
}

void HistoryWriter::usage(quint64 requestId, const UsageRequest &request)
{
    Q_EMIT usageReady(requestId, UsageReport::build(m_db, request));
}

void HistoryWriter::write(const QList<HistoryRow> &rows, qint64 nowMs)
{
    QElapsedTimer timer;
    timer.start();
    m_eventTimer.stop();
    const QList<EventRecord> events = std::exchange(m_events, {});
    if (!m_db.writeMinutes(rows, nowMs, events)) {
        if (!m_reportedFailure)
            Q_EMIT failed(m_db.lastError());
        m_reportedFailure = true;
        return;
    }
    m_reportedFailure = false;
    if (!rows.isEmpty())
        Q_EMIT minutesWritten(nowMs, int(rows.size()), timer.nsecsElapsed() / 1000);
}

void HistoryWriter::recordEvent(const EventRecord &event)
{
    if (!m_db.isOpen())
        return;
    EventRecord stored = event;
    if (stored.user.isEmpty())
        stored.user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    m_events.append(stored);
    if (!m_eventTimer.isActive())
        m_eventTimer.start();
}

void HistoryWriter::searchEvents(quint64 requestId, const QString &text, qint64 fromMs, qint64 toMs, int limit)
{
    Q_EMIT eventsFound(requestId, m_db.events(text, fromMs, toMs, limit));
}

void HistoryWriter::query(quint64 requestId, const HistoryKey &key, HistoryTier tier, qint64 fromMs, qint64 toMs)
{
    Q_EMIT queryFinished(requestId, m_db.query(key, tier, fromMs, toMs));
}

void HistoryWriter::seedDemo(const QList<DemoHistorySubject> &subjects, qint64 nowMs)
{
    if (!m_db.isOpen() || !m_db.isDemo())
        return;
    QElapsedTimer timer;
    timer.start();
    int seeded = 0;
    for (const DemoHistorySubject &subject : subjects) {
        if (m_stopping && m_stopping->load())
            break;
        bool any = false;
        if (!subject.name.isEmpty())
            m_db.setLabel(subject.key, subject.name);
        // Each tier from where the series' stored history ends (nothing: its whole span), up to
        // the hour the live demo signal fills itself.
        for (HistoryTier tier : {HistoryTier::Minute, HistoryTier::Hour}) {
            const qint64 bucket = historyBucketMs(tier);
            const qint64 span = tier == HistoryTier::Minute ? DemoHistory::MinuteSpanMs : DemoHistory::HourSpanMs;
            const qint64 liveFrom = nowMs - historyRetentionMs(HistoryTier::Live);
            // Up to the live hour, whose ticks the demo hosts send themselves (an hour row only
            // up to the hour that holds its start).
            const qint64 end = liveFrom - liveFrom % bucket;
            qint64 from = end - span;
            // What the live hour wrote (its ticks may come first) does not count.
            if (const std::optional<qint64> last = m_db.lastBucketMs(subject.key, tier, end))
                from = std::max(from, *last + bucket);
            const QList<HistoryRow> rows = DemoHistory::rows(subject, tier, from, end);
            if (rows.isEmpty())
                continue;
            any = true;
            if (!m_db.writeRows(tier, rows)) {
                Q_EMIT failed(m_db.lastError());
                return;
            }
        }
        seeded += any ? 1 : 0;
    }
    qCInfo(lcMetrics) << "demo history: seeded" << seeded << "series in" << timer.elapsed() << "ms";
    Q_EMIT demoSeeded(seeded, timer.elapsed());
}

void HistoryWriter::close()
{
    m_eventTimer.stop();
    if (m_db.isOpen())
        m_db.writeMinutes(m_minutes.takeAll(), QDateTime::currentMSecsSinceEpoch(), std::exchange(m_events, {}));
    m_db.close();
}

} // namespace Vigie
