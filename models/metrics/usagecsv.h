#pragma once

#include "usagereport.h"

#include <QByteArray>

namespace Vigie {

// A usage report as CSV for a spreadsheet or a billing system: a header of stable keywords, one
// line per VM and tenant, then one "total" line per tenant; quantities in hours, GiB-hours and
// GB with a decimal point, amounts in the currency with two decimals. Names come from outside:
// quoted and defused as the event log's CSV does (EventCsv::field).
class UsageCsv
{
public:
    [[nodiscard]] static QByteArray toCsv(const UsageReport &report);
};

} // namespace Vigie
