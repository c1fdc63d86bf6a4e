#include "demometricshistory.h"

#include "metrics/demosignal.h"

namespace Vigie {

qint64 DemoMetricsHistory::steps(const MetricsTick &first)
{
    return first.intervalMs > 0 ? SpanMs / first.intervalMs : 0;
}

MetricsTick DemoMetricsHistory::before(const MetricsTick &first, qint64 steps)
{
    MetricsTick past = first;
    past.timeMs = first.timeMs - steps * first.intervalMs;
    past.host.timeMs = past.timeMs;
    for (VmSampleUpdate &vm : past.vms)
        vm.sample.timeMs = past.timeMs;
    DemoSignal::apply(&past, past.timeMs / past.intervalMs);
    return past;
}

} // namespace Vigie
