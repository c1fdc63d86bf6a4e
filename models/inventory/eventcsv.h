#pragma once

#include "eventrecord.h"

#include <QByteArray>
#include <QList>

namespace Vigie {

// The event log as CSV, the audit trail's export: one header line of stable keywords (time,
// severity, host, host_uri, vm, action, result, user), then one line per event, times in ISO
// 8601 UTC. Fields are quoted as RFC 4180 says; a field a spreadsheet would take for a formula
// (starting with =, +, -, @, a tab or a carriage return: VM names come from outside) gets a
// leading apostrophe, so that opening the file runs nothing.
class EventCsv
{
public:
    [[nodiscard]] static QByteArray toCsv(const QList<EventRecord> &events);
    [[nodiscard]] static QString severityName(EventRecord::Severity severity); // stable keyword
    [[nodiscard]] static QString field(const QString &text);
};

} // namespace Vigie
