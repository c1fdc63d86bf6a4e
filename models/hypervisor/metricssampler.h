#pragma once

#include "inventory/vminfo.h"
#include "metrics/metricsample.h"
#include "metrics/ratederiver.h"
#include "postsink.h"
#include "statscollector.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Vigie {

class LibvirtConnection;
// The metrics calls still running on helper threads.
struct StatsFlights;

// A host's metrics: every interval, the libvirt calls of one tick (StatsCollector) on a helper
// thread holding its own reference to the connection, so that a frozen host or guest holds up
// nobody; their counters turned into rates (RateDeriver), in order (a call that hung and
// returns late is dropped). Falls back to per-domain calls where the driver's bulk stats are
// unusable. Demo hosts plot DemoSignal, with the hour before they were opened. Lives on the
// connection's thread.
class MetricsSampler : public QObject
{
    Q_OBJECT

public:
    // Metrics calls of one host running at once: one may hang on a frozen guest's monitor while
    // the next ones (NOWAIT) still bring the host's other guests.
    static constexpr int MaxCallsInFlight = 3;

    // INTERVAL_S: 1..60 seconds between ticks; 0 collects nothing until setInterval().
    MetricsSampler(LibvirtConnection *connection, bool demo, int intervalS, QObject *parent = nullptr);
    // Waits a little for the calls still running, then leaves them behind.
    ~MetricsSampler() override;

    // The connection (re)opened: fresh rates and call count; ticks come if an interval is set.
    void start();
    void stop();
    void setInterval(int seconds);
    // One tick: starts the libvirt calls on a helper thread.
    void collect();
    // The devices the per-domain fallback asks for.
    void rememberDevices(const VmInfo &vm);
    void forgetDevices(const QString &uuid);
    void forgetAllDevices();

Q_SIGNALS:
    void metricsReady(const Vigie::MetricsTick &tick);
    // The collection interval was applied: COLLECTING tells whether ticks now come (a host not
    // connected yet starts them when it is).
    void intervalApplied(int seconds, bool collecting);

private:
    void collected(quint64 serial, const RawStatsBatch &batch);

    LibvirtConnection *m_connection;
    const bool m_demo;
    std::shared_ptr<PostSink<MetricsSampler>> m_sink;
    QTimer m_timer{this};
    int m_intervalS = 1;
    std::shared_ptr<StatsFlights> m_flights;
    quint64 m_serial = 0;          // of the last call started
    quint64 m_deliveredSerial = 0; // of the last call whose figures were used
    bool m_demoHistorySent = false; // once: the store keeps it across reconnections
    bool m_perDomainStats = false;  // the driver has no usable bulk stats (test driver)
    NodeStatsShape m_nodeShape;     // the node stats' counts, once a tick found them
    RateDeriver m_deriver;
    QHash<QString, DomainDevices> m_devices; // by UUID, for the per-domain fallback
};

} // namespace Vigie
