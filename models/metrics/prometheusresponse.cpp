#include "prometheusresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace Vigie {

namespace {

PrometheusResponse invalid(const QString &why)
{
    PrometheusResponse r;
    r.errorType = QStringLiteral("invalid");
    r.error = why;
    return r;
}

// Prometheus writes sample values as strings ("1.5", "NaN", "+Inf", "-Inf") and timestamps as
// numbers of seconds with millisecond decimals.
bool parseValue(const QJsonValue &v, double *out)
{
    if (!v.isString())
        return false;
    const QString s = v.toString();
    if (s == QLatin1String("NaN")) {
        *out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (s == QLatin1String("+Inf") || s == QLatin1String("Inf")) {
        *out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == QLatin1String("-Inf")) {
        *out = -std::numeric_limits<double>::infinity();
        return true;
    }
    bool ok = false;
    *out = s.toDouble(&ok);
    return ok;
}

bool parsePoint(const QJsonValue &v, std::pair<qint64, double> *out)
{
    const QJsonArray pair = v.toArray();
    if (!v.isArray() || pair.size() != 2 || !pair.at(0).isDouble())
        return false;
    const double seconds = pair.at(0).toDouble();
    // Beyond year 10000 or before 1970 is no scrape time.
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300800.0)
        return false;
    out->first = std::llround(seconds * 1000.0);
    return parseValue(pair.at(1), &out->second);
}

bool parseLabels(const QJsonValue &v, QHash<QString, QString> *out)
{
    if (!v.isObject())
        return false;
    const QJsonObject object = v.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString())
            return false;
        out->insert(it.key(), it.value().toString());
    }
    return true;
}

} // namespace

PrometheusResponse PrometheusResponse::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return invalid(QStringLiteral("not a JSON object"));
    const QJsonObject root = doc.object();
    const QString status = root.value(QLatin1String("status")).toString();
    PrometheusResponse r;
    for (const QJsonValue &w : root.value(QLatin1String("warnings")).toArray())
        r.warnings.append(w.toString());
    if (status == QLatin1String("error")) {
        r.errorType = root.value(QLatin1String("errorType")).toString();
        r.error = root.value(QLatin1String("error")).toString();
        if (r.errorType.isEmpty())
            r.errorType = QStringLiteral("error");
        return r;
    }
    if (status != QLatin1String("success"))
        return invalid(QStringLiteral("no \"status\" of success or error"));
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    r.resultType = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    if (r.resultType == QLatin1String("scalar") || r.resultType == QLatin1String("string")) {
        PrometheusSeries one;
        std::pair<qint64, double> point;
        if (r.resultType == QLatin1String("scalar")) {
            if (!parsePoint(result, &point))
                return invalid(QStringLiteral("a scalar that is not [time, \"value\"]"));
            one.points.append(point);
        }
        r.series.append(one);
        r.ok = true;
        return r;
    }
    const bool vector = r.resultType == QLatin1String("vector");
    if (!vector && r.resultType != QLatin1String("matrix"))
        return invalid(QStringLiteral("unknown resultType \"%1\"").arg(r.resultType.left(40)));
    if (!result.isArray())
        return invalid(QStringLiteral("\"result\" is not an array"));
    const QJsonArray items = result.toArray();
    r.series.reserve(items.size());
    for (const QJsonValue &item : items) {
        const QJsonObject object = item.toObject();
        PrometheusSeries s;
        if (!item.isObject() || !parseLabels(object.value(QLatin1String("metric")), &s.labels))
            return invalid(QStringLiteral("a series without a \"metric\" object of strings"));
        std::pair<qint64, double> point;
        if (vector) {
            if (!parsePoint(object.value(QLatin1String("value")), &point))
                return invalid(QStringLiteral("a sample that is not [time, \"value\"]"));
            s.points.append(point);
        } else {
            const QJsonValue values = object.value(QLatin1String("values"));
            if (!values.isArray())
                return invalid(QStringLiteral("a series without \"values\""));
            const QJsonArray array = values.toArray();
            s.points.reserve(array.size());
            for (const QJsonValue &v : array) {
                if (!parsePoint(v, &point))
                    return invalid(QStringLiteral("a sample that is not [time, \"value\"]"));
                s.points.append(point);
            }
        }
        r.series.append(std::move(s));
    }
    r.ok = true;
    return r;
}

} // namespace Vigie
