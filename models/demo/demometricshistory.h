#pragma once

#include "metrics/metricsample.h"

namespace Vigie {

// The hour a demo host shows from its first second: DemoSignal is a pure function of the time
// step, so the ticks before the host was opened can be told exactly, and charts, sparklines and
// the dashboard are full at once. (The longer past, in the history database, is DemoHistory's.)
class DemoMetricsHistory
{
public:
    static constexpr qint64 SpanMs = 3600'000;

    // How many ticks of FIRST's interval make the hour before it.
    [[nodiscard]] static qint64 steps(const MetricsTick &first);
    // The tick STEPS intervals before FIRST: its hosts and VMs, DemoSignal's values at that
    // time. Sent oldest first (steps() down to 1) before FIRST, so every series stays in order.
    [[nodiscard]] static MetricsTick before(const MetricsTick &first, qint64 steps);
};

} // namespace Vigie
