#pragma once

#include "metric.h"

#include <QString>

namespace Vigie {

// How to show values of one unit on one axis: divide by divisor, append suffix. Chosen from the
// largest value shown, so a plot reads "12 MiB/s", not "12582912 B/s".
struct UnitScale
{
    double divisor = 1;
    QString suffix; // translated ("MiB/s", in French "Mio/s")
};

[[nodiscard]] UnitScale unitScale(MetricUnit unit, double maxValue);
// One value with its scaled unit: "42 %", "1.5 GiB", "12.3 MiB/s", "3.4 k/s"; "–" for NaN.
[[nodiscard]] QString formatMetricValue(MetricUnit unit, double value);

} // namespace Vigie
