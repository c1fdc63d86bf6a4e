#pragma once

#include <QString>

class QCoreApplication;

namespace Vigie {

struct CommandLine;

// Loads Vigie's and Qt's translations for the language ("fr", "en") or, when empty, the system
// locale. Returns whether Vigie's own catalogue was found (English needs none).
bool installTranslations(QCoreApplication &app, const QString &language);

// Without a window (--no-window, --dump-inventory): connects, waits until every connection has
// answered or failed (or the timeout) and the controller is read, runs the --migrate requests one
// after another (progress on standard error), writes the JSON if asked and returns the exit code:
// 0, or 1 when a migration was refused or failed, a dump's connection failed, or a signal
// (SIGTERM, SIGINT, SIGHUP) stopped it first; migrations then under way are left to libvirt.
int runHeadless(const CommandLine &options);

// The window: connects, shows, starts the --migrate requests once the hosts are settled; with
// --screenshot renders it once loaded and exits. SIGTERM, SIGINT and SIGHUP close it as the
// operator would (settings saved), leave migrations under way to libvirt, and it returns 0.
int runWindow(const CommandLine &options);

} // namespace Vigie
