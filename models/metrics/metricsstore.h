#pragma once

#include "inventory/vminfo.h"
#include "metricsample.h"
#include "metricseries.h"
#include "ringbuffer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace Vigie {

// The live history of every series: one ring buffer per VM and per host, fixed capacity (an hour
// at 1 Hz by default), so memory per VM is bounded by bytesPerVmBound(). Lives on the GUI thread
// and is fed whole ticks by the SessionManager; plots query it by key, metric and time window.
//
// A VM's history belongs to the VM, not to a host: it is kept by UUID, so a migrated VM keeps
// one continuous series across hosts. Several hosts can report the same UUID (the destination's
// paused copy during a live migration, a definition left on the source): the series follows the
// host the VM runs on. Another host takes it over when it reports the VM running and its current
// host does not, or when the current host has been silent for three intervals. Live figures
// (latest, staleSince) answer only for that host's key; series and stats for any key of the UUID.
// A VM removed from its host keeps its series for a grace period, in case it appears on another
// host (a migration that undefines the source). Host series stay keyed by host URI.
class MetricsStore : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype DefaultCapacity = 3600;

    explicit MetricsStore(qsizetype capacity = DefaultCapacity, QObject *parent = nullptr);

    // How long the series of a VM removed from its host is kept for another host to take over.
    static constexpr qint64 DetachedGraceMs = 10 * 60'000;

    void appendTick(const MetricsTick &tick);
    // Detaches the VM's series if key's host holds it (see DetachedGraceMs); a key of another
    // host than the one the series follows changes nothing.
    void removeVm(const VmKey &key);
    void removeHost(const QString &uri);
    // After a full snapshot of a host: drops the histories of its VMs that are no longer there
    // (undefined while the host was out of reach).
    void retainVms(const QString &uri, const QSet<QString> &uuids);
    void clear();

    [[nodiscard]] qsizetype capacity() const { return m_capacity; }
    // Every attached VM, keyed by the host its series follows.
    [[nodiscard]] QList<VmKey> vms() const;
    [[nodiscard]] QStringList hosts() const { return m_hosts.keys(); }
    // The VM has an attached series (on any host: the series is the UUID's).
    [[nodiscard]] bool hasVm(const VmKey &key) const;
    // The host whose samples the VM's series follows, or empty.
    [[nodiscard]] QString hostOf(const QString &uuid) const;
    // Figures of a demo host are synthetic: plots say so.
    [[nodiscard]] bool isDemo(const QString &hostUri) const;
    [[nodiscard]] qsizetype sampleCount(const VmKey &key) const;
    [[nodiscard]] qsizetype hostSampleCount(const QString &uri) const;

    [[nodiscard]] std::optional<VmSample> latest(const VmKey &key) const;
    [[nodiscard]] std::optional<double> latestValue(const VmKey &key, VmMetric metric) const;
    [[nodiscard]] std::optional<double> latestHostValue(const QString &uri, HostMetric metric) const;
    // Samples with fromMs <= time <= toMs, oldest first.
    [[nodiscard]] MetricSeries series(const VmKey &key, VmMetric metric, qint64 fromMs, qint64 toMs) const;
    [[nodiscard]] MetricSeries hostSeries(const QString &uri, HostMetric metric, qint64 fromMs, qint64 toMs) const;
    [[nodiscard]] MetricStats stats(const VmKey &key, VmMetric metric, qint64 fromMs, qint64 toMs) const;
    // Sum of the latest values of the host's VMs (total VM network traffic of a host, ...).
    [[nodiscard]] std::optional<double> hostTotal(const QString &uri, VmMetric metric) const;
    // The n VMs with the highest latest value, highest first (the dashboard's ranking).
    [[nodiscard]] QList<std::pair<VmKey, double>> top(VmMetric metric, int n) const;
    // The same by the sum of several series (disk read + write, ...); a VM ranks if any is known.
    [[nodiscard]] QList<std::pair<VmKey, double>> top(const QList<VmMetric> &metrics, int n) const;

    // Since when the VM's figures are not current: its counters stopped coming back (frozen
    // guest), or no tick brought it for three intervals (host not answering). Empty if current.
    [[nodiscard]] std::optional<qint64> staleSince(const VmKey &key, qint64 nowMs) const;

    // Memory: the most one VM's history can take, and what all histories hold now.
    [[nodiscard]] qsizetype bytesPerVmBound() const;
    [[nodiscard]] qsizetype allocatedBytes() const;

Q_SIGNALS:
    // At once, for each tick, with the VM samples the store kept (those of the host each VM's
    // series follows): what the persistent history records.
    void tickAccepted(const Vigie::MetricsTick &tick);
    // With the hosts whose ticks were appended since the last one: in the event-loop pass after
    // a tick, and then at most every FlushMs while ticks keep coming (200 hosts' ticks spread
    // over each second would otherwise ask the views to read the whole fleet 200 times a second).
    void samplesAppended(const QStringList &hostUris);

private:
    struct VmHistory
    {
        explicit VmHistory(qsizetype capacity) : samples(capacity) {}
        RingBuffer<VmSample> samples;
        std::optional<qint64> staleSinceMs;
        QString hostUri; // the host whose samples the series follows
        bool running = false; // as that host last reported it
        qint64 lastReportMs = 0; // that host's last report, by its tick's time
        std::optional<qint64> detachedSinceMs; // removed from its host, waiting for another
    };
    [[nodiscard]] const VmHistory *find(const VmKey &key) const; // attached or not, any host
    [[nodiscard]] const VmHistory *live(const VmKey &key) const; // attached, key's host only
    [[nodiscard]] qint64 intervalOf(const QString &uri) const;
    void purgeDetached(qint64 nowMs);
    struct HostHistory
    {
        explicit HostHistory(qsizetype capacity) : samples(capacity) {}
        RingBuffer<HostSample> samples;
        bool demo = false;
        int intervalMs = 1000;
    };
    void flush();

    qsizetype m_capacity;
    QHash<QString, VmHistory> m_vms; // by UUID
    QHash<QString, HostHistory> m_hosts;
    QSet<QString> m_appendedHosts;
    qint64 m_nextPurgeMs = 0;
    QTimer m_flushTimer{this};
    QElapsedTimer m_sinceFlush; // invalid before the first
    static constexpr int FlushMs = 100;
};

} // namespace Vigie
