#pragma once

#include "historytier.h"
#include "historyusage.h"

#include <QList>
#include <QMetaType>

namespace Vigie {

// One bucket of one series (a minute or an hour): the average and the maximum of each metric
// over the samples that had it (NaN: none had), and how many samples the bucket took.
struct HistoryRow
{
    HistoryKey key;
    qint64 startMs = 0;
    int count = 0;
    QList<float> avg;
    QList<float> max;
    HistoryUsage usage; // VMs only; empty in rows written before schema 2

    // a and b of the same series, combined: averages weighted by their sample counts, maxima of
    // both, usage added. Rolls minutes up into an hour, and completes a bucket written in two parts.
    [[nodiscard]] static HistoryRow merge(const HistoryRow &a, const HistoryRow &b);
    // The values as stored: every average, then every maximum, as little-endian 32-bit floats.
    [[nodiscard]] QByteArray packedValues() const;
    // false if data does not hold metricCount averages and maxima.
    [[nodiscard]] bool unpackValues(const QByteArray &data, int metricCount);
};

// The rows of one series over a time range, from one tier, shaped for plots: keys in seconds
// since the epoch at each bucket's middle, one list of averages and one of maxima per metric,
// and NaN points where buckets are missing (the VM was off, Vigie was not running), which plots
// draw as gaps.
struct HistorySeries
{
    HistoryKey key;
    HistoryTier tier = HistoryTier::Minute;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<double> keys;
    QList<QList<double>> avg; // [metric][point]
    QList<QList<double>> max;
    qint64 elapsedUs = 0; // the query's time on the history's thread

    [[nodiscard]] qsizetype size() const { return keys.size(); }
    [[nodiscard]] bool isEmpty() const { return keys.isEmpty(); }
    // The time of the last bucket's end, 0 when empty: where live samples take over.
    [[nodiscard]] qint64 coveredUntilMs() const;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::HistoryRow)
Q_DECLARE_METATYPE(Vigie::HistorySeries)
