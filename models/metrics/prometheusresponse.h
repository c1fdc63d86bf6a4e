#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace Vigie {

// One series of a Prometheus HTTP API answer: its labels (with __name__) and its samples, as
// (ms since the epoch, value). Values keep Prometheus's "NaN", "+Inf" and "-Inf" as doubles.
struct PrometheusSeries
{
    QHash<QString, QString> labels;
    QList<std::pair<qint64, double>> points;
};

// A query's series grouped by the target that exported them (their "instance" label), in the
// order the targets first came; each target takes the "libvirt_uri" label of its first series
// that has one. TARGET: a struct with a QString libvirtUri.
template<typename Target>
struct SeriesByInstance
{
    QHash<QString, Target> targets;
    QStringList order;

    Target &of(const PrometheusSeries &series)
    {
        const QString instance = series.labels.value(QStringLiteral("instance"));
        auto target = targets.find(instance);
        if (target == targets.end()) {
            target = targets.insert(instance, {});
            order.append(instance);
        }
        if (target->libvirtUri.isEmpty())
            target->libvirtUri = series.labels.value(QStringLiteral("libvirt_uri"));
        return *target;
    }
};

// The body of /api/v1/query or /api/v1/query_range, as Prometheus 2.x writes it:
//   {"status":"success","data":{"resultType":"vector"|"matrix"|"scalar"|"string","result":...}}
//   {"status":"error","errorType":"bad_data","error":"..."}
// Anything else (not JSON, wrong types, a sample that is not [number, "string"]) is an error
// with a readable message, never a partial result.
struct PrometheusResponse
{
    bool ok = false;
    QString errorType; // Prometheus's own ("bad_data", "timeout", ...) or "invalid" for garbage
    QString error;
    QString resultType;
    QList<PrometheusSeries> series;
    QStringList warnings;

    [[nodiscard]] static PrometheusResponse parse(const QByteArray &body);
};

} // namespace Vigie
