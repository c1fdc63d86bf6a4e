#pragma once

#include "historyrow.h"

#include <QHash>

#include <limits>
#include <vector>

namespace Vigie {

// Folds each series' samples into fixed buckets (a minute for the database's first tier): per
// metric the sum, the count and the maximum of the values present (NaN is "no value" and counts
// for nothing). A bucket closes when a later sample of its series arrives (one host's ticks come
// in order) or once the time passed its end by lateMs; closed buckets with at least one value
// come out of takeClosed() as rows (so do those with usage), the others are dropped. A sample older than its series' open
// bucket is dropped too (a clock stepped back must not reopen a written bucket).
class HistoryAggregator
{
public:
    explicit HistoryAggregator(qint64 bucketMs = 60'000, qint64 lateMs = 5'000);

    // usage: what the VM held over the sample's interval (nullptr: nothing to bill, a host). A
    // sample may carry usage and no value (a shut-off VM): its bucket is kept for the usage.
    void add(const HistoryKey &key, qint64 timeMs, const float *values, int count, const HistoryUsage *usage = nullptr);
    [[nodiscard]] QList<HistoryRow> takeClosed(qint64 nowMs);
    // Every bucket, open ones included (at shutdown: a later start completes them).
    [[nodiscard]] QList<HistoryRow> takeAll();

    [[nodiscard]] qint64 bucketMs() const { return m_bucketMs; }
    [[nodiscard]] qsizetype openBuckets() const { return m_open.size(); }
    [[nodiscard]] qint64 bucketStart(qint64 timeMs) const;

private:
    struct Bucket
    {
        qint64 startMs = 0;
        int samples = 0; // samples with at least one value
        std::vector<double> sum;
        std::vector<int> n;
        std::vector<float> max;
        HistoryUsage usage;
    };
    void close(const HistoryKey &key, const Bucket &bucket);

    qint64 m_bucketMs;
    qint64 m_lateMs;
    QHash<HistoryKey, Bucket> m_open;
    QList<HistoryRow> m_closed;
    qint64 m_earliestEndMs = std::numeric_limits<qint64>::max(); // no bucket can close before
};

} // namespace Vigie
