#pragma once

#include "inventory/vminfo.h"
#include "metricsample.h"
#include "metricseries.h"
#include "ringbuffer.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace Vigie {

// The history of every series: one ring buffer per VM and per host, fixed capacity (an hour at
// 1 Hz by default), so memory per VM is bounded by bytesPerVmBound(). Lives on the GUI thread and
// is fed whole ticks by the SessionManager; plots query it by key, metric and time window.
class MetricsStore : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype DefaultCapacity = 3600;

    explicit MetricsStore(qsizetype capacity = DefaultCapacity, QObject *parent = nullptr);

    void appendTick(const MetricsTick &tick);
    void removeVm(const VmKey &key);
    void removeHost(const QString &uri);
    // After a full snapshot of a host: drops the histories of its VMs that are no longer there
    // (undefined while the host was out of reach).
    void retainVms(const QString &uri, const QSet<QString> &uuids);
    void clear();

    [[nodiscard]] qsizetype capacity() const { return m_capacity; }
    [[nodiscard]] QList<VmKey> vms() const { return m_vms.keys(); }
    [[nodiscard]] QStringList hosts() const { return m_hosts.keys(); }
    [[nodiscard]] bool hasVm(const VmKey &key) const { return m_vms.contains(key); }
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
    // Once per event-loop pass, with the hosts whose ticks were appended since the last one.
    void samplesAppended(const QStringList &hostUris);

private:
    struct VmHistory
    {
        explicit VmHistory(qsizetype capacity) : samples(capacity) {}
        RingBuffer<VmSample> samples;
        std::optional<qint64> staleSinceMs;
    };
    struct HostHistory
    {
        explicit HostHistory(qsizetype capacity) : samples(capacity) {}
        RingBuffer<HostSample> samples;
        bool demo = false;
        int intervalMs = 1000;
    };
    void flush();

    qsizetype m_capacity;
    QHash<VmKey, VmHistory> m_vms;
    QHash<QString, HostHistory> m_hosts;
    QSet<QString> m_appendedHosts;
    QTimer m_flushTimer{this};
};

} // namespace Vigie
