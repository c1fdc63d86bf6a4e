#include "metricsstore.h"

#include <QMetaMethod>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

namespace Vigie {

namespace {

// Besides its ring, a VM costs its hash entry (its UUID string and its history's bookkeeping) and
// the UUID's characters (the host URI's string is shared by every VM of the host): 16 bytes of
// header and 36 UTF-16 characters plus a null.
constexpr qsizetype EntryBytes = qsizetype(sizeof(QString) + sizeof(RingBuffer<VmSample>) + sizeof(std::optional<qint64>) * 2
                                           + sizeof(QString) + sizeof(qint64) + sizeof(bool))
    + 16 + 37 * 2;

template<typename Sample, typename Metric>
MetricSeries slice(const RingBuffer<Sample> &buffer, Metric metric, qint64 fromMs, qint64 toMs)
{
    MetricSeries result;
    const qsizetype first = buffer.lowerBound(fromMs, [](const Sample &s, qint64 t) { return s.timeMs < t; });
    const qsizetype end = buffer.lowerBound(toMs, [](const Sample &s, qint64 t) { return s.timeMs <= t; });
    if (end <= first)
        return result;
    result.keys.reserve(end - first);
    result.values.reserve(end - first);
    for (qsizetype i = first; i < end; ++i) {
        const Sample &s = buffer.at(i);
        result.keys.append(double(s.timeMs) / 1000.0);
        result.values.append(double(s.values[size_t(metric)]));
    }
    return result;
}

} // namespace

MetricsStore::MetricsStore(qsizetype capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &MetricsStore::flush);
}

void MetricsStore::appendTick(const MetricsTick &tick)
{
    auto host = m_hosts.find(tick.hostUri);
    if (host == m_hosts.end())
        host = m_hosts.insert(tick.hostUri, HostHistory(m_capacity));
    host->demo = tick.demo;
    host->intervalMs = std::max(tick.intervalMs, 1);
    // Ticks arrive in order from one worker; a clock stepped backwards must not unsort a buffer.
    if (tick.hasHost && (host->samples.isEmpty() || host->samples.last().timeMs <= tick.host.timeMs))
        host->samples.push(tick.host);
    const qint64 silentAfter = std::max<qint64>(3 * qint64(host->intervalMs), 3000);
    MetricsTick accepted;
    const bool recorded = isSignalConnected(QMetaMethod::fromSignal(&MetricsStore::tickAccepted));
    if (recorded) {
        accepted.hostUri = tick.hostUri;
        accepted.demo = tick.demo;
        accepted.timeMs = tick.timeMs;
        accepted.intervalMs = tick.intervalMs;
        accepted.host = tick.host;
        accepted.hasHost = tick.hasHost;
        accepted.hasVms = tick.hasVms;
        accepted.vms.reserve(tick.vms.size());
    }
    for (const VmSampleUpdate &update : tick.vms) {
        auto vm = m_vms.find(update.uuid);
        if (vm == m_vms.end()) {
            vm = m_vms.insert(update.uuid, VmHistory(m_capacity));
            vm->hostUri = tick.hostUri;
        } else if (vm->hostUri != tick.hostUri) {
            // Another host reports this UUID: it takes the series over only if the VM runs there
            // and no longer where the series was, or if that host fell silent or dropped the VM.
            const bool takeOver = vm->detachedSinceMs || (update.running && !vm->running)
                || tick.timeMs - vm->lastReportMs > silentAfter;
            if (!takeOver)
                continue;
            vm->hostUri = tick.hostUri;
        }
        vm->detachedSinceMs.reset();
        vm->running = update.running;
        vm->lastReportMs = std::max(vm->lastReportMs, tick.timeMs);
        if (vm->samples.isEmpty() || vm->samples.last().timeMs <= update.sample.timeMs)
            vm->samples.push(update.sample);
        vm->staleSinceMs = update.staleSinceMs;
        if (recorded)
            accepted.vms.append(update);
    }
    if (recorded)
        Q_EMIT tickAccepted(accepted);
    purgeDetached(tick.timeMs);
    m_appendedHosts.insert(tick.hostUri);
    if (!m_flushTimer.isActive()) {
        const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : FlushMs;
        m_flushTimer.start(int(std::clamp<qint64>(FlushMs - since, 0, FlushMs)));
    }
}

void MetricsStore::purgeDetached(qint64 nowMs)
{
    // Every ten seconds of tick time is often enough for a ten-minute grace.
    if (nowMs < m_nextPurgeMs && nowMs > m_nextPurgeMs - 20'000)
        return;
    m_nextPurgeMs = nowMs + 10'000;
    m_vms.removeIf([nowMs](const auto &entry) {
        return entry.value().detachedSinceMs && nowMs - *entry.value().detachedSinceMs > DetachedGraceMs;
    });
}

void MetricsStore::flush()
{
    m_sinceFlush.start();
    QStringList hosts(m_appendedHosts.cbegin(), m_appendedHosts.cend());
    m_appendedHosts.clear();
    hosts.sort();
    if (!hosts.isEmpty())
        Q_EMIT samplesAppended(hosts);
}

void MetricsStore::removeVm(const VmKey &key)
{
    const auto vm = m_vms.find(key.uuid);
    if (vm != m_vms.end() && vm->hostUri == key.hostUri && !vm->detachedSinceMs)
        vm->detachedSinceMs = vm->lastReportMs;
}

void MetricsStore::removeHost(const QString &uri)
{
    m_hosts.remove(uri);
    for (VmHistory &vm : m_vms) {
        if (vm.hostUri == uri && !vm.detachedSinceMs)
            vm.detachedSinceMs = vm.lastReportMs;
    }
    m_appendedHosts.remove(uri);
}

void MetricsStore::retainVms(const QString &uri, const QSet<QString> &uuids)
{
    for (auto it = m_vms.begin(); it != m_vms.end(); ++it) {
        if (it->hostUri == uri && !uuids.contains(it.key()) && !it->detachedSinceMs)
            it->detachedSinceMs = it->lastReportMs;
    }
}

void MetricsStore::clear()
{
    m_hosts.clear();
    m_vms.clear();
    m_appendedHosts.clear();
}

const MetricsStore::VmHistory *MetricsStore::find(const VmKey &key) const
{
    const auto it = m_vms.constFind(key.uuid);
    return it == m_vms.cend() ? nullptr : &*it;
}

const MetricsStore::VmHistory *MetricsStore::live(const VmKey &key) const
{
    const VmHistory *vm = find(key);
    return vm && !vm->detachedSinceMs && vm->hostUri == key.hostUri ? vm : nullptr;
}

qint64 MetricsStore::intervalOf(const QString &uri) const
{
    const auto host = m_hosts.constFind(uri);
    return host == m_hosts.cend() ? 1000 : host->intervalMs;
}

QList<VmKey> MetricsStore::vms() const
{
    QList<VmKey> result;
    result.reserve(m_vms.size());
    for (auto it = m_vms.cbegin(); it != m_vms.cend(); ++it) {
        if (!it->detachedSinceMs)
            result.append({it->hostUri, it.key()});
    }
    return result;
}

bool MetricsStore::hasVm(const VmKey &key) const
{
    const VmHistory *vm = find(key);
    return vm && !vm->detachedSinceMs;
}

QString MetricsStore::hostOf(const QString &uuid) const
{
    const auto it = m_vms.constFind(uuid);
    return it == m_vms.cend() ? QString() : it->hostUri;
}

bool MetricsStore::isDemo(const QString &hostUri) const
{
    const auto it = m_hosts.constFind(hostUri);
    return it != m_hosts.cend() && it->demo;
}

qsizetype MetricsStore::sampleCount(const VmKey &key) const
{
    const VmHistory *vm = find(key);
    return vm ? vm->samples.size() : 0;
}

qsizetype MetricsStore::hostSampleCount(const QString &uri) const
{
    const auto it = m_hosts.constFind(uri);
    return it == m_hosts.cend() ? 0 : it->samples.size();
}

std::optional<VmSample> MetricsStore::latest(const VmKey &key) const
{
    const VmHistory *vm = live(key);
    if (!vm || vm->samples.isEmpty())
        return std::nullopt;
    return vm->samples.last();
}

std::optional<double> MetricsStore::latestValue(const VmKey &key, VmMetric metric) const
{
    const std::optional<VmSample> sample = latest(key);
    return sample ? sample->value(metric) : std::nullopt;
}

std::optional<double> MetricsStore::latestHostValue(const QString &uri, HostMetric metric) const
{
    const auto it = m_hosts.constFind(uri);
    if (it == m_hosts.cend() || it->samples.isEmpty())
        return std::nullopt;
    return it->samples.last().value(metric);
}

MetricSeries MetricsStore::series(const VmKey &key, VmMetric metric, qint64 fromMs, qint64 toMs) const
{
    const VmHistory *vm = find(key);
    return vm ? slice(vm->samples, metric, fromMs, toMs) : MetricSeries{};
}

MetricSeries MetricsStore::hostSeries(const QString &uri, HostMetric metric, qint64 fromMs, qint64 toMs) const
{
    const auto it = m_hosts.constFind(uri);
    return it == m_hosts.cend() ? MetricSeries{} : slice(it->samples, metric, fromMs, toMs);
}

MetricStats MetricsStore::stats(const VmKey &key, VmMetric metric, qint64 fromMs, qint64 toMs) const
{
    MetricStats result;
    const VmHistory *vm = find(key);
    if (!vm)
        return result;
    const RingBuffer<VmSample> &buffer = vm->samples;
    const qsizetype first = buffer.lowerBound(fromMs, [](const VmSample &s, qint64 t) { return s.timeMs < t; });
    double sum = 0;
    result.min = std::numeric_limits<double>::max();
    result.max = std::numeric_limits<double>::lowest();
    for (qsizetype i = first; i < buffer.size() && buffer.at(i).timeMs <= toMs; ++i) {
        const float v = buffer.at(i).values[size_t(metric)];
        if (std::isnan(v))
            continue;
        ++result.count;
        sum += double(v);
        result.min = std::min(result.min, double(v));
        result.max = std::max(result.max, double(v));
    }
    if (result.count == 0)
        return MetricStats{};
    result.mean = sum / double(result.count);
    return result;
}

std::optional<double> MetricsStore::hostTotal(const QString &uri, VmMetric metric) const
{
    std::optional<double> total;
    for (auto it = m_vms.cbegin(); it != m_vms.cend(); ++it) {
        if (it->hostUri != uri || it->detachedSinceMs || it->samples.isEmpty())
            continue;
        if (const std::optional<double> v = it->samples.last().value(metric))
            total = total.value_or(0.0) + *v;
    }
    return total;
}

QList<std::pair<VmKey, double>> MetricsStore::top(VmMetric metric, int n) const
{
    return top(QList<VmMetric>{metric}, n);
}

QList<std::pair<VmKey, double>> MetricsStore::top(const QList<VmMetric> &metrics, int n) const
{
    // The N best kept in a heap whose front is the worst of them: the fleet is walked once, and
    // only the N kept become keys (the dashboard's four rankings each tick, 10,000 VMs).
    struct Candidate
    {
        double value;
        const QString *host;
        const QString *uuid;
    };
    const auto better = [](const Candidate &a, const Candidate &b) {
        // Ties broken by key, so that the ranking does not flicker between equal VMs.
        if (a.value != b.value)
            return a.value > b.value;
        return std::tie(*a.host, *a.uuid) < std::tie(*b.host, *b.uuid);
    };
    const size_t keep = size_t(std::max(n, 0));
    std::vector<Candidate> best;
    best.reserve(std::min<size_t>(keep, size_t(m_vms.size())));
    for (auto it = m_vms.cbegin(); keep > 0 && it != m_vms.cend(); ++it) {
        if (it->samples.isEmpty() || it->detachedSinceMs)
            continue;
        std::optional<double> sum;
        const VmSample &last = it->samples.last();
        for (VmMetric metric : metrics) {
            if (const std::optional<double> v = last.value(metric))
                sum = sum.value_or(0.0) + *v;
        }
        if (!sum)
            continue;
        const Candidate candidate{*sum, &it->hostUri, &it.key()};
        if (best.size() < keep) {
            best.push_back(candidate);
            std::push_heap(best.begin(), best.end(), better);
        } else if (better(candidate, best.front())) {
            std::pop_heap(best.begin(), best.end(), better);
            best.back() = candidate;
            std::push_heap(best.begin(), best.end(), better);
        }
    }
    std::sort_heap(best.begin(), best.end(), better);
    QList<std::pair<VmKey, double>> ranked;
    ranked.reserve(qsizetype(best.size()));
    for (const Candidate &candidate : best)
        ranked.append({VmKey{*candidate.host, *candidate.uuid}, candidate.value});
    return ranked;
}

std::optional<qint64> MetricsStore::staleSince(const VmKey &key, qint64 nowMs) const
{
    const VmHistory *vm = live(key);
    if (!vm || vm->samples.isEmpty())
        return std::nullopt;
    if (vm->staleSinceMs)
        return vm->staleSinceMs;
    const qint64 interval = intervalOf(key.hostUri);
    const qint64 last = vm->samples.last().timeMs;
    if (nowMs - last > std::max<qint64>(3 * interval, 3000))
        return last;
    return std::nullopt;
}

qsizetype MetricsStore::bytesPerVmBound() const
{
    return RingBuffer<VmSample>::boundBytes(m_capacity) + EntryBytes;
}

qsizetype MetricsStore::allocatedBytes() const
{
    qsizetype total = 0;
    for (const VmHistory &vm : m_vms)
        total += vm.samples.allocatedBytes() + EntryBytes;
    for (const HostHistory &host : m_hosts)
        total += host.samples.allocatedBytes() + qsizetype(sizeof(HostHistory));
    return total;
}

} // namespace Vigie
