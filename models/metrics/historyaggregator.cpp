#include "historyaggregator.h"

#include <algorithm>
#include <cmath>

namespace Vigie {

HistoryAggregator::HistoryAggregator(qint64 bucketMs, qint64 lateMs)
    : m_bucketMs(std::max<qint64>(bucketMs, 1))
    , m_lateMs(std::max<qint64>(lateMs, 0))
{
}

qint64 HistoryAggregator::bucketStart(qint64 timeMs) const
{
    // Floor, also before the epoch.
    const qint64 q = timeMs / m_bucketMs;
    return (timeMs % m_bucketMs < 0 ? q - 1 : q) * m_bucketMs;
}

void HistoryAggregator::add(const HistoryKey &key, qint64 timeMs, const float *values, int count,
                            const HistoryUsage *usage)
{
    const qint64 start = bucketStart(timeMs);
    auto it = m_open.find(key);
    if (it != m_open.end() && it->startMs != start) {
        if (start < it->startMs)
            return;
        close(key, *it);
        m_open.erase(it);
        it = m_open.end();
    }
    if (it == m_open.end()) {
        Bucket bucket;
        bucket.startMs = start;
        bucket.sum.assign(size_t(count), 0.0);
        bucket.n.assign(size_t(count), 0);
        bucket.max.assign(size_t(count), std::numeric_limits<float>::quiet_NaN());
        it = m_open.insert(key, std::move(bucket));
        m_earliestEndMs = std::min(m_earliestEndMs, start + m_bucketMs);
    }
    Bucket &bucket = *it;
    bool any = false;
    const int n = std::min(count, int(bucket.sum.size()));
    for (int i = 0; i < n; ++i) {
        const float v = values[i];
        if (std::isnan(v))
            continue;
        any = true;
        bucket.sum[size_t(i)] += double(v);
        ++bucket.n[size_t(i)];
        float &max = bucket.max[size_t(i)];
        max = std::isnan(max) ? v : std::max(max, v);
    }
    if (any)
        ++bucket.samples;
    if (usage)
        bucket.usage.add(*usage);
}

void HistoryAggregator::close(const HistoryKey &key, const Bucket &bucket)
{
    if (bucket.samples == 0 && bucket.usage.isEmpty())
        return;
    HistoryRow row;
    row.key = key;
    row.startMs = bucket.startMs;
    row.count = bucket.samples;
    row.usage = bucket.usage;
    row.avg.resize(qsizetype(bucket.sum.size()));
    row.max.resize(qsizetype(bucket.sum.size()));
    for (size_t i = 0; i < bucket.sum.size(); ++i) {
        row.avg[qsizetype(i)] = bucket.n[i] ? float(bucket.sum[i] / bucket.n[i]) : std::numeric_limits<float>::quiet_NaN();
        row.max[qsizetype(i)] = bucket.max[i];
    }
    m_closed.append(std::move(row));
}

QList<HistoryRow> HistoryAggregator::takeClosed(qint64 nowMs)
{
    if (nowMs >= m_earliestEndMs + m_lateMs) {
        m_earliestEndMs = std::numeric_limits<qint64>::max();
        for (auto it = m_open.begin(); it != m_open.end();) {
            const qint64 end = it->startMs + m_bucketMs;
            if (nowMs >= end + m_lateMs) {
                close(it.key(), *it);
                it = m_open.erase(it);
            } else {
                m_earliestEndMs = std::min(m_earliestEndMs, end);
                ++it;
            }
        }
    }
    return std::exchange(m_closed, {});
}

QList<HistoryRow> HistoryAggregator::takeAll()
{
    for (auto it = m_open.cbegin(); it != m_open.cend(); ++it)
        close(it.key(), *it);
    m_open.clear();
    m_earliestEndMs = std::numeric_limits<qint64>::max();
    return std::exchange(m_closed, {});
}

} // namespace Vigie
