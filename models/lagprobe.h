#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <array>

namespace Vigie {

// How long the thread's event loop was kept from running, as an operator feels it: a timer due
// every INTERVAL is run late by however long the loop was busy (a stall). Each lateness is
// counted in a histogram of 0.1 ms steps up to 2 s (longer ones in the last), so the probe costs
// a few instructions per tick and no memory that grows. Off by default (vigie --lag-probe); the
// fleet benchmark uses it.
class LagProbe : public QObject
{
    Q_OBJECT

public:
    explicit LagProbe(int intervalMs = 4, QObject *parent = nullptr);

    void start();
    void stop();
    // Forgets the stalls counted so far (a new phase of a benchmark).
    void reset();

    struct Figures
    {
        qint64 ticks = 0;
        double p50Ms = 0;
        double p99Ms = 0;
        double maxMs = 0;
        qint64 over16Ms = 0; // stalls longer than a frame at 60 Hz
        qint64 over50Ms = 0;
        // When the longest stall ended, on the monotonic clock (to find it in a profile).
        double longestEndedAtS = 0;
    };
    [[nodiscard]] Figures figures() const;
    // "p50 0.1 ms, p99 3.2 ms, max 12.0 ms, 0 over 16 ms, 0 over 50 ms (1234 ticks)"
    [[nodiscard]] QString summary() const;

private:
    void tick();

    static constexpr int Buckets = 20000; // 0.1 ms each: up to 2 s
    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    qint64 m_maxNs = 0;
    qint64 m_maxAtNs = 0; // on m_clock
    qint64 m_ticks = 0;
    std::array<qint64, Buckets> m_histogram{};
};

} // namespace Vigie
