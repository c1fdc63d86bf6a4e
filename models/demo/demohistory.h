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
    // A VM's allocation, for its usage (none when vcpus is 0).
    int vcpus = 0;
    QString tenant = {};
    QString name = {};
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
    // A VM's rows carry its usage: most run all the time; about one in four is a development VM
    // shut off at night and at weekends (its rows then hold only its disk); about one in five was
    // created some days ago (no row before).
    [[nodiscard]] static QList<HistoryRow> rows(const DemoHistorySubject &subject, HistoryTier tier, qint64 fromMs,
                                                qint64 toMs);
    // The demo's disk size of a VM (libvirt's definitions do not say): 20 to 320 GiB, stable.
    [[nodiscard]] static qint64 diskMiB(const QString &uuid);
    // When a demo VM was created (its history starts there), relative to nowMs.
    [[nodiscard]] static qint64 createdMs(const QString &uuid, qint64 nowMs);
    // A development VM is shut off outside office hours (Paris time, weekdays 8:00-19:00).
    [[nodiscard]] static bool runsAt(const QString &uuid, qint64 timeMs);
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::DemoHistorySubject)
