#pragma once

#include <QString>

class QCoreApplication;

namespace Vigie {

struct CommandLine;

// Loads Vigie's and Qt's translations for the language ("fr", "en") or, when empty, the system
// locale. Returns whether Vigie's own catalogue was found (English needs none).
bool installTranslations(QCoreApplication &app, const QString &language);

// --dump-inventory: connects, waits until every connection has answered or failed (or the
// timeout), writes the JSON and returns the exit code: 0, or 1 when a connection failed.
int runInventoryDump(const CommandLine &options);

// The window: connects, shows; with --screenshot renders it once loaded and exits.
int runWindow(const CommandLine &options);

} // namespace Vigie
