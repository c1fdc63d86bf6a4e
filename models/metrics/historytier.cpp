#include "historytier.h"

#include "metric.h"

namespace Vigie {

qint64 historyBucketMs(HistoryTier tier)
{
    switch (tier) {
    case HistoryTier::Live: return 1000;
    case HistoryTier::Minute: return 60'000;
    case HistoryTier::Hour: return 3'600'000;
    }
    return 1000;
}

qint64 historyRetentionMs(HistoryTier tier)
{
    constexpr qint64 Day = 86'400'000;
    switch (tier) {
    case HistoryTier::Live: return 3'600'000;
    case HistoryTier::Minute: return 31 * Day;
    case HistoryTier::Hour: return 730 * Day;
    }
    return 3'600'000;
}

HistoryTier historyTierForRange(qint64 rangeMs)
{
    constexpr qint64 MaxPoints = 10'080; // a week of minutes
    if (rangeMs <= historyRetentionMs(HistoryTier::Live))
        return HistoryTier::Live;
    if (rangeMs / historyBucketMs(HistoryTier::Minute) <= MaxPoints)
        return HistoryTier::Minute;
    return HistoryTier::Hour;
}

QString historyTierName(HistoryTier tier)
{
    switch (tier) {
    case HistoryTier::Live: return QStringLiteral("live");
    case HistoryTier::Minute: return QStringLiteral("minute");
    case HistoryTier::Hour: return QStringLiteral("hour");
    }
    return {};
}

int historyMetricCount(HistorySubject subject)
{
    return subject == HistorySubject::Vm ? VmMetricCount : HostMetricCount;
}

} // namespace Vigie
