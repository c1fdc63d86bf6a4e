#include "nodeexportermapping.h"

#include <QHash>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Vigie {

namespace {

// 2^64: a double at or above it is no quint64.
constexpr double CounterLimit = 18446744073709551616.0;

// Each figure summed or taken per target, keeping the scrape configuration's libvirt_uri label.
QString tagged(const QString &expression, const char *figure)
{
    return QStringLiteral("label_replace(%1, \"vigie\", \"%2\", \"\", \"\")").arg(expression, QLatin1String(figure));
}

} // namespace

QString NodeExporterMapping::query()
{
    const QString by = QStringLiteral(" by (instance, libvirt_uri) ");
    return QStringList{
        tagged(u"sum"_s + by + u"(node_cpu_seconds_total{mode=~\"user|nice|system|irq|softirq\"})"_s, "cpu_busy"),
        tagged(u"sum"_s + by + u"(node_cpu_seconds_total{mode=~\"idle|iowait\"})"_s, "cpu_idle"),
        tagged(u"max"_s + by + u"(node_memory_MemTotal_bytes)"_s, "memory_total"),
        tagged(u"max"_s + by + u"(node_memory_MemFree_bytes + node_memory_Buffers_bytes + node_memory_Cached_bytes)"_s, "memory_free"),
        tagged(u"max"_s + by + u"(timestamp(node_cpu_seconds_total))"_s, "scrape_time"),
    }.join(QStringLiteral(" or "));
}

QStringList NodeExporterMapping::metricNames()
{
    return {QStringLiteral("node_cpu_seconds_total"), QStringLiteral("node_memory_Buffers_bytes"),
            QStringLiteral("node_memory_Cached_bytes"), QStringLiteral("node_memory_MemFree_bytes"),
            QStringLiteral("node_memory_MemTotal_bytes")};
}

QList<NodeTarget> NodeExporterMapping::map(const QList<PrometheusSeries> &series)
{
    struct Figures
    {
        QString libvirtUri;
        std::optional<double> busy, idle, total, free, time;
    };
    SeriesByInstance<Figures> targets;
    const QString figureKey = QStringLiteral("vigie");
    for (const PrometheusSeries &s : series) {
        if (s.points.isEmpty())
            continue;
        const double value = s.points.last().second;
        if (!std::isfinite(value) || value < 0 || value >= CounterLimit)
            continue;
        const QString figure = s.labels.value(figureKey);
        std::optional<double> Figures::*field = nullptr;
        if (figure == QLatin1String("cpu_busy"))
            field = &Figures::busy;
        else if (figure == QLatin1String("cpu_idle"))
            field = &Figures::idle;
        else if (figure == QLatin1String("memory_total"))
            field = &Figures::total;
        else if (figure == QLatin1String("memory_free"))
            field = &Figures::free;
        else if (figure == QLatin1String("scrape_time"))
            field = &Figures::time;
        else
            continue;
        targets.of(s).*field = value;
    }
    QList<NodeTarget> result;
    for (const QString &instance : std::as_const(targets.order)) {
        const Figures &f = targets.targets[instance];
        if (!f.time || !(f.busy || f.idle || f.total))
            continue;
        NodeTarget out;
        out.instance = instance;
        out.libvirtUri = f.libvirtUri;
        out.stats.wallMs = std::llround(*f.time * 1000.0);
        out.stats.monotonicNs = out.stats.wallMs * 1'000'000;
        // Nanoseconds, as libvirt counts: up to 584 CPU-years, summed over the host's CPUs.
        if (f.busy && f.idle && (*f.busy + *f.idle) * 1e9 < CounterLimit) {
            const auto busyNs = quint64(std::round(*f.busy * 1e9));
            out.stats.cpuBusyNs = busyNs;
            out.stats.cpuTotalNs = busyNs + quint64(std::round(*f.idle * 1e9));
        }
        if (f.total) {
            out.stats.memoryTotalKiB = quint64(*f.total) / 1024;
            if (f.free)
                out.stats.memoryFreeKiB = quint64(*f.free) / 1024;
        }
        result.append(out);
    }
    return result;
}

} // namespace Vigie
