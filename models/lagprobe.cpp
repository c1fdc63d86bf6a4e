#include "lagprobe.h"

#include <algorithm>

namespace Vigie {

LagProbe::LagProbe(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(std::max(1, intervalMs))
    , m_timer(this) // a child: its events are told as the probe's (the fleet benchmark's turns)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LagProbe::tick);
}

void LagProbe::start()
{
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start();
}

void LagProbe::stop()
{
    m_timer.stop();
    m_lastNs = -1;
}

void LagProbe::reset()
{
    m_histogram.fill(0);
    m_ticks = 0;
    m_maxNs = 0;
    m_maxAtNs = 0;
    if (m_lastNs >= 0)
        m_lastNs = m_clock.nsecsElapsed();
}

void LagProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 late = std::max<qint64>(0, now - m_lastNs - qint64(m_intervalMs) * 1000000);
    m_lastNs = now;
    ++m_ticks;
    if (late >= m_maxNs) {
        m_maxNs = late;
        m_maxAtNs = now;
    }
    ++m_histogram[std::min<qint64>(late / 100000, Buckets - 1)];
}

LagProbe::Figures LagProbe::figures() const
{
    Figures f;
    f.ticks = m_ticks;
    f.maxMs = double(m_maxNs) / 1e6;
    if (m_clock.isValid())
        f.longestEndedAtS = double(m_clock.msecsSinceReference()) / 1e3 + double(m_maxAtNs) / 1e9;
    const auto quantile = [&](double q) {
        const qint64 rank = qint64(q * double(m_ticks));
        qint64 seen = 0;
        for (int i = 0; i < Buckets; ++i) {
            seen += m_histogram[i];
            if (seen > rank)
                return std::min(double(i + 1) / 10.0, f.maxMs);
        }
        return f.maxMs;
    };
    if (m_ticks > 0) {
        f.p50Ms = quantile(0.50);
        f.p99Ms = quantile(0.99);
    }
    for (int i = 160; i < Buckets; ++i) {
        f.over16Ms += m_histogram[i];
        if (i >= 500)
            f.over50Ms += m_histogram[i];
    }
    return f;
}

QString LagProbe::summary() const
{
    const Figures f = figures();
    return QStringLiteral("p50 %1 ms, p99 %2 ms, max %3 ms, %4 over 16 ms, %5 over 50 ms (%6 ticks)")
        .arg(f.p50Ms, 0, 'f', 1)
        .arg(f.p99Ms, 0, 'f', 1)
        .arg(f.maxMs, 0, 'f', 1)
        .arg(f.over16Ms)
        .arg(f.over50Ms)
        .arg(f.ticks);
}

} // namespace Vigie
