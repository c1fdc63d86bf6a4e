#include "historyrow.h"

#include <QtEndian>

#include <cmath>
#include <cstring>

namespace Vigie {

HistoryRow HistoryRow::merge(const HistoryRow &a, const HistoryRow &b)
{
    HistoryUsage usage = a.usage;
    usage.add(b.usage);
    if (a.count == 0) {
        HistoryRow result = b;
        result.usage = usage;
        return result;
    }
    if (b.count == 0) {
        HistoryRow result = a;
        result.usage = usage;
        return result;
    }
    HistoryRow result = a;
    result.usage = usage;
    result.count = a.count + b.count;
    const qsizetype n = std::min(a.avg.size(), b.avg.size());
    for (qsizetype i = 0; i < n; ++i) {
        const float x = a.avg.at(i), y = b.avg.at(i);
        if (std::isnan(x))
            result.avg[i] = y;
        else if (!std::isnan(y))
            result.avg[i] = float((double(x) * a.count + double(y) * b.count) / double(a.count + b.count));
        const float mx = a.max.value(i, NAN), my = b.max.value(i, NAN);
        result.max[i] = std::isnan(mx) ? my : std::isnan(my) ? mx : std::max(mx, my);
    }
    return result;
}

QByteArray HistoryRow::packedValues() const
{
    QByteArray data(qsizetype(sizeof(float)) * (avg.size() + max.size()), Qt::Uninitialized);
    char *out = data.data();
    for (const QList<float> *list : {&avg, &max}) {
        for (float v : *list) {
            qToLittleEndian(v, out);
            out += sizeof(float);
        }
    }
    return data;
}

bool HistoryRow::unpackValues(const QByteArray &data, int metricCount)
{
    if (metricCount <= 0 || data.size() != qsizetype(sizeof(float)) * 2 * metricCount)
        return false;
    avg.resize(metricCount);
    max.resize(metricCount);
    const char *in = data.constData();
    for (int i = 0; i < metricCount; ++i, in += sizeof(float))
        avg[i] = qFromLittleEndian<float>(in);
    for (int i = 0; i < metricCount; ++i, in += sizeof(float))
        max[i] = qFromLittleEndian<float>(in);
    return true;
}

qint64 HistorySeries::coveredUntilMs() const
{
    if (keys.isEmpty())
        return 0;
    return qint64(keys.last() * 1000.0) + historyBucketMs(tier) / 2;
}

} // namespace Vigie
