#pragma once

#include <QMetaType>
#include <QString>

namespace Vigie {

// The resolutions of a series' history, like a round-robin archive's: the live 1 s ring in
// memory for the last hour (MetricsStore), then in the database 1-minute averages and maxima for
// 31 days, then 1-hour averages and maxima for 2 years.
enum class HistoryTier {
    Live,
    Minute,
    Hour,
};

[[nodiscard]] qint64 historyBucketMs(HistoryTier tier);    // 1 000, 60 000, 3 600 000
[[nodiscard]] qint64 historyRetentionMs(HistoryTier tier); // 1 h, 31 d, 2 years (730 days)
// The tier a chart of that time range reads: the finest that holds the whole range in at most
// about ten thousand points per line (1 h: live; 24 h and 7 d: minutes; 30 d and 1 y: hours).
[[nodiscard]] HistoryTier historyTierForRange(qint64 rangeMs);
[[nodiscard]] QString historyTierName(HistoryTier tier); // stable keyword for logs

// What a history series belongs to: a VM by its UUID (whatever host it runs on), a host by URI.
enum class HistorySubject {
    Vm = 0,
    Host = 1,
};

struct HistoryKey
{
    HistorySubject subject = HistorySubject::Vm;
    QString id; // the VM's UUID or the host's URI

    [[nodiscard]] bool isValid() const { return !id.isEmpty(); }
    friend bool operator==(const HistoryKey &, const HistoryKey &) = default;
    friend size_t qHash(const HistoryKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, int(key.subject), key.id);
    }
};

// How many values a subject's samples hold (VmMetricCount, HostMetricCount).
[[nodiscard]] int historyMetricCount(HistorySubject subject);

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::HistoryTier)
Q_DECLARE_METATYPE(Vigie::HistoryKey)
