#include "metricformat.h"

#include <QCoreApplication>
#include <QLocale>

#include <array>
#include <cmath>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Metric)
};

// Index of the largest step (powers of `base`) that keeps maxValue at 1 or more.
int stepFor(double maxValue, double base, int steps)
{
    int step = 0;
    double v = std::abs(maxValue);
    while (step + 1 < steps && v >= base) {
        v /= base;
        ++step;
    }
    return step;
}

} // namespace

UnitScale unitScale(MetricUnit unit, double maxValue)
{
    if (std::isnan(maxValue))
        maxValue = 0;
    switch (unit) {
    case MetricUnit::Percent:
        //: Unit of CPU load
        return {1, Tr::tr("%")};
    case MetricUnit::KiB: {
        const std::array<QString, 4> suffixes{
            //: Unit: kibibytes (French: Kio)
            Tr::tr("KiB"), Tr::tr("MiB"), Tr::tr("GiB"), Tr::tr("TiB")};
        const int step = stepFor(maxValue, 1024, int(suffixes.size()));
        return {std::pow(1024.0, step), suffixes[size_t(step)]};
    }
    case MetricUnit::BytesPerSecond: {
        const std::array<QString, 5> suffixes{
            //: Unit: bytes per second (French: o/s)
            Tr::tr("B/s"), Tr::tr("KiB/s"), Tr::tr("MiB/s"), Tr::tr("GiB/s"), Tr::tr("TiB/s")};
        const int step = stepFor(maxValue, 1024, int(suffixes.size()));
        return {std::pow(1024.0, step), suffixes[size_t(step)]};
    }
    case MetricUnit::PerSecond: {
        const std::array<QString, 3> suffixes{
            //: Unit: operations or packets per second
            Tr::tr("/s"), Tr::tr("k/s"), Tr::tr("M/s")};
        const int step = stepFor(maxValue, 1000, int(suffixes.size()));
        return {std::pow(1000.0, step), suffixes[size_t(step)]};
    }
    }
    return {};
}

QString formatMetricValue(MetricUnit unit, double value)
{
    if (std::isnan(value))
        return QStringLiteral("–");
    const UnitScale scale = unitScale(unit, value);
    const double scaled = value / scale.divisor;
    // Three significant digits at most: "0.42", "4.2", "42", "420".
    // Percentages: whole above 10 ("42 %"), one decimal below ("0.5 %").
    const int decimals = unit == MetricUnit::Percent ? (std::abs(scaled) >= 10 || scaled == 0 ? 0 : 1)
                         : std::abs(scaled) >= 100 || scaled == 0 ? 0
                         : std::abs(scaled) >= 10                 ? 1
                                                                  : 2;
    // Values stay below the next unit's 1024, except past the largest unit: no separator needed.
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    const QString number = locale.toString(scaled, 'f', decimals);
    // French puts a (narrow) space before every unit, % included; English before all but %.
    const bool tight = unit == MetricUnit::Percent && QLocale().language() != QLocale::French;
    return tight ? number + scale.suffix : number + QChar(0x202F) + scale.suffix;
}

} // namespace Vigie
