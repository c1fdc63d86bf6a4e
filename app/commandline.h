#pragma once

#include "hypervisor/migrationqueue.h"

#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

class QCoreApplication;

namespace Vigie {

// What the command line asks for. Parsed before the window exists, so --dump-inventory,
// --no-window and --version work without a display.
struct CommandLine
{
    bool demo = false;
    QStringList connect;           // --connect URIs, then the lab's hosts with --lab
    QStringList controllerRemotes; // --controller remotes, then the lab's with --lab
    QStringList southboundRemotes; // --southbound remotes, then the lab's with --lab
    QString dumpInventory; // file, or "-" for stdout
    QString screenshot;
    QSize screenshotSize{1600, 900}; // --screenshot-size WxH: the window's size in the picture
    QString detailsTab; // "overview", "metrics", "console", "xml" or "network": the tab shown first
    QString view; // "table", "topology" or empty: the central view shown first
    QString topologyZoom; // "far", "mid", "near", "fit" or empty (the saved zoom)
    QString topologyColour; // "state", "tenant" or empty (the saved choice)
    QString dock; // "log", "migrations", "dashboard", "alarms" or empty: the bottom dock in front
    QString historyFile; // --history: the metrics history database instead of the default one
    int metricsWindowS = 0; // --metrics-window: the charts' time window (0: the saved one)
    QList<MigrationQueue::Request> migrations; // --migrate VM:HOST (repeatable), once connected, in order
    bool noWindow = false; // --no-window: the command line's work without a window, then exit
    QString language; // "fr", "en" or empty for the system locale
    bool readOnly = false; // --read-only: every libvirt connection opened read-only
    bool lagProbe = false; // --lag-probe: the window's event-loop stalls, on stderr at exit
    QString tenant;        // --tenant: the window shows only this tenant's VMs
    QString usageReport;   // --usage-report FILE.pdf (or .png: its first page), then exit
    QString usagePeriod;   // --usage-period: current, previous or YYYY-MM (default current)
    QString filter;        // --filter: the VM filter's text (a VmQuery) at start
    QString prometheusUrl; // --prometheus: metrics from this Prometheus server (not saved)
    QStringList prometheusTargets; // --prometheus-target INSTANCE=URI (repeatable)
    int timeoutS = 60;

    // Parses and validates; on --help, --version or an error prints and returns the exit code.
    [[nodiscard]] static std::optional<int> parse(const QCoreApplication &app, CommandLine *result);
    // Whether the raw arguments ask for a mode without a window (chosen before any QApplication).
    [[nodiscard]] static bool wantsNoWindow(int argc, char **argv);
    [[nodiscard]] static QString languageFromArguments(int argc, char **argv);
};

} // namespace Vigie
