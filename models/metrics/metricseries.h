#pragma once

#include <QList>

namespace Vigie {

// A slice of one series in the shape plots take (QCustomPlot's setData(keys, values)): keys in
// seconds since the epoch (QCPAxisTickerDateTime's unit), values NaN where there was no value,
// which plots draw as gaps.
struct MetricSeries
{
    QList<double> keys;
    QList<double> values;

    [[nodiscard]] qsizetype size() const { return keys.size(); }
    [[nodiscard]] bool isEmpty() const { return keys.isEmpty(); }
};

// Aggregates over a window, ignoring gaps; count 0 means no value in the window.
struct MetricStats
{
    qsizetype count = 0;
    double min = 0;
    double max = 0;
    double mean = 0;
};

} // namespace Vigie
