#pragma once

#include "metrics/historyrow.h"

#include <QList>
#include <QMetaType>

namespace Vigie {

// A series of the demo datacenter to give a past: a VM (its UUID, its memory) or a host (its
// URI, its memory).
struct DemoHistorySubject
{
    HistoryKey key;
    quint64 memoryKiB = 0;
};

// The demo's synthetic long history, so that its 24 h, 7 d, 30 d and 1 y charts are not empty:
// office-hours days, quieter weekends, a per-series scale and noise; deterministic (a pure
// function of the series and the bucket's time). Only ever written into the demo's own database.
class DemoHistory
{
public:
    // How far back each tier is seeded before the live hour: a week of minutes, a year of hours.
    static constexpr qint64 MinuteSpanMs = 7 * 86'400'000LL;
    static constexpr qint64 HourSpanMs = 365 * 86'400'000LL;

    // The subject's rows of one tier (minute or hour) whose buckets start in [fromMs, toMs).
    [[nodiscard]] static QList<HistoryRow> rows(const DemoHistorySubject &subject, HistoryTier tier, qint64 fromMs,
                                                qint64 toMs);
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::DemoHistorySubject)
