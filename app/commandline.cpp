#include "commandline.h"

#include "demo/labdescription.h"
#include "network/ovsdbremote.h"

#include <QCommandLineParser>
#include <QDate>
#include <QCoreApplication>
#include <QUrl>
#include <QHash>

#include <cstdio>
#include <cstring>

#include <libvirt/libvirt.h>

namespace Vigie {

bool CommandLine::wantsNoWindow(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--dump-inventory", 16) == 0 || std::strcmp(argv[i], "--no-window") == 0
            || std::strcmp(argv[i], "--version") == 0
            || std::strcmp(argv[i], "-v") == 0 || std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

QString CommandLine::languageFromArguments(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (std::strncmp(argv[i], "--lang=", 7) == 0)
            return QString::fromLocal8Bit(argv[i] + 7);
    }
    return {};
}

std::optional<int> CommandLine::parse(const QCoreApplication &app, CommandLine *result)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Vigie::CommandLine", "Vigie: operator console for libvirt hypervisors and OVN networks."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")},
                                     QCoreApplication::translate("Vigie::CommandLine", "Prints the version and exits."));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QCoreApplication::translate("Vigie::CommandLine",
                                                              "Opens the embedded demo datacenter (no daemon needed)."));
    const QCommandLineOption connect(QStringLiteral("connect"),
                                     QCoreApplication::translate("Vigie::CommandLine",
                                                                 "Connects to a libvirt URI (repeatable), e.g. "
                                                                 "qemu+ssh://root@hv1/system."),
                                     QStringLiteral("uri"));
    const QCommandLineOption controller(QStringLiteral("controller"),
                                        QCoreApplication::translate("Vigie::CommandLine",
                                                                    "Connects to the network controller, an OVN "
                                                                    "northbound database: tcp:HOST:PORT, ssl:HOST:PORT "
                                                                    "or unix:PATH (repeatable: the remotes of one "
                                                                    "cluster)."),
                                        QStringLiteral("remote"));
    const QCommandLineOption southbound(QStringLiteral("southbound"),
                                        QCoreApplication::translate("Vigie::CommandLine",
                                                                    "Also reads the controller's OVN southbound database "
                                                                    "(chassis, port bindings): tcp:HOST:6642, ssl:HOST:6642 or "
                                                                    "unix:PATH (repeatable)."),
                                        QStringLiteral("remote"));
    const QCommandLineOption lab(QStringLiteral("lab"),
                                 QCoreApplication::translate("Vigie::CommandLine",
                                                             "Connects to every host of the project's lab (scripts/lab "
                                                             "up; directory from VIGIE_LAB_DIR, default /tmp/vigie-lab)."));
    const QCommandLineOption dump(QStringLiteral("dump-inventory"),
                                  QCoreApplication::translate("Vigie::CommandLine",
                                                              "Writes the inventory as JSON to FILE (- for standard "
                                                              "output) once loaded, and exits; no window."),
                                  QStringLiteral("file"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QCoreApplication::translate("Vigie::CommandLine",
                                                                    "Renders the main window offscreen to a PNG once "
                                                                    "loaded, and exits."),
                                        QStringLiteral("file"));
    const QCommandLineOption screenshotSize(QStringLiteral("screenshot-size"),
                                            QCoreApplication::translate("Vigie::CommandLine",
                                                                        "Size of the window in the --screenshot picture "
                                                                        "(default 1600x900; 1366x768 for a laptop)."),
                                            QStringLiteral("WxH"));
    const QCommandLineOption detailsTab(QStringLiteral("details-tab"),
                                        QCoreApplication::translate("Vigie::CommandLine",
                                                                    "Tab of the details pane shown first: overview, "
                                                                    "metrics, console, display or xml; or network (policy, addresses), "
                                                                    "the Network panel beside it (at its Policy or Addresses view)."),
                                        QStringLiteral("tab"));
    const QCommandLineOption dock(QStringLiteral("dock"),
                                  QCoreApplication::translate("Vigie::CommandLine",
                                                              "Bottom dock shown in front: log, migrations, "
                                                              "dashboard or alarms."),
                                  QStringLiteral("dock"));
    const QCommandLineOption language(QStringLiteral("lang"),
                                      QCoreApplication::translate("Vigie::CommandLine",
                                                                  "Language of the interface: fr or en (default: the "
                                                                  "system's)."),
                                      QStringLiteral("fr|en"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QCoreApplication::translate("Vigie::CommandLine",
                                                                 "Seconds to wait for the inventory before "
                                                                 "--dump-inventory, --screenshot or --migrate, and for a "
                                                                 "migrated VM to show on its destination (default 60)."),
                                     QStringLiteral("seconds"), QStringLiteral("60"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  QCoreApplication::translate("Vigie::CommandLine",
                                                              "Central view shown first: table or topology."),
                                  QStringLiteral("table|topology"));
    const QCommandLineOption topologyZoom(QStringLiteral("topology-zoom"),
                                          QCoreApplication::translate("Vigie::CommandLine",
                                                                      "Zoom of the topology at start: far (hosts as "
                                                                      "aggregates), mid (VMs without text), near (actual "
                                                                      "size) or fit (the whole topology, the default)."),
                                          QStringLiteral("far|mid|near|fit"));
    const QCommandLineOption topologyColour(QStringLiteral("topology-colour"),
                                            QCoreApplication::translate("Vigie::CommandLine",
                                                                        "What the topology's VM colours say: state (the "
                                                                        "default) or tenant (isolated groups outlined)."),
                                            QStringLiteral("state|tenant"));
    const QCommandLineOption filter(QStringLiteral("filter"),
                                    QCoreApplication::translate("Vigie::CommandLine",
                                                                "Search typed in the VM filter at start (table and "
                                                                "topology), e.g. \"tenant:acme mem>4G -state:running\"."),
                                    QStringLiteral("query"));
    const QCommandLineOption migrate(QStringLiteral("migrate"),
                                     QCoreApplication::translate("Vigie::CommandLine",
                                                                 "Once connected, live-migrates the VM to the host "
                                                                 "(names as shown, or the host's URI) with the saved "
                                                                 "options, as a drag onto the host would; repeatable: "
                                                                 "the migrations run one after another. In the window "
                                                                 "they show in the migrations panel; with --screenshot, "
                                                                 "the picture is taken while the first runs."),
                                     QStringLiteral("vm:host"));
    const QCommandLineOption noWindow(QStringLiteral("no-window"),
                                      QCoreApplication::translate("Vigie::CommandLine",
                                                                  "No window: connects, runs the --migrate requests "
                                                                  "with their progress on standard error, writes "
                                                                  "--dump-inventory if asked, and exits: 0 when every "
                                                                  "VM runs on its destination, 1 with the reason "
                                                                  "otherwise."));
    const QCommandLineOption history(QStringLiteral("history"),
                                     QCoreApplication::translate("Vigie::CommandLine",
                                                                 "The metrics history database (SQLite) to use; by "
                                                                 "default history.sqlite in the user's data folder, "
                                                                 "and the demo's own demo-history.sqlite there with "
                                                                 "--demo."),
                                     QStringLiteral("file"));
    const QCommandLineOption metricsWindow(QStringLiteral("metrics-window"),
                                           QCoreApplication::translate("Vigie::CommandLine",
                                                                       "Time window of the charts: 1m, 10m, 1h, 24h, "
                                                                       "7d, 30d or 1y (default: the last one chosen)."),
                                           QStringLiteral("window"));
    const QCommandLineOption readOnly(QStringLiteral("read-only"),
                                      QCoreApplication::translate("Vigie::CommandLine",
                                                                  "Open every libvirt connection read-only (the daemon's "
                                                                  "read-only socket): the hypervisors refuse every change, "
                                                                  "and Vigie offers none."));
    const QCommandLineOption tenant(QStringLiteral("tenant"),
                                    QCoreApplication::translate("Vigie::CommandLine",
                                                                "Show only this tenant's VMs, the VLANs they use and "
                                                                "their share of the hosts (View › Tenant)."),
                                    QStringLiteral("name"));
    const QCommandLineOption usageReport(QStringLiteral("usage-report"),
                                         QCoreApplication::translate("Vigie::CommandLine",
                                                                     "Writes the usage report (View › Usage) of "
                                                                     "--usage-period as PDF to FILE (as PNG: its first "
                                                                     "page) once loaded, and exits; with --tenant, that "
                                                                     "tenant's only."),
                                         QStringLiteral("file"));
    const QCommandLineOption usagePeriod(QStringLiteral("usage-period"),
                                         QCoreApplication::translate("Vigie::CommandLine",
                                                                     "Period of --usage-report: current (the month so "
                                                                     "far, default), previous or YYYY-MM."),
                                         QStringLiteral("period"));
    const QCommandLineOption lagProbe(QStringLiteral("lag-probe"),
                                      QCoreApplication::translate("Vigie::CommandLine",
                                                                  "Measure how long the window's event loop is kept busy "
                                                                  "(its stalls) and print the figures on exit."));
    const QCommandLineOption prometheus(QStringLiteral("prometheus"),
                                        QCoreApplication::translate("Vigie::CommandLine",
                                                                    "Read the hosts' metrics from this Prometheus server "
                                                                    "(scraping prometheus-libvirt-exporter) instead of "
                                                                    "polling them; credentials as https://user:password@host, "
                                                                    "a bearer token in VIGIE_PROMETHEUS_TOKEN. Not saved."),
                                        QStringLiteral("url"));
    const QCommandLineOption prometheusTarget(QStringLiteral("prometheus-target"),
                                              QCoreApplication::translate("Vigie::CommandLine",
                                                                          "With --prometheus: the exporter target INSTANCE "
                                                                          "(host:port) measures the host of libvirt URI "
                                                                          "(repeatable)."),
                                              QStringLiteral("instance=uri"));
    parser.addOptions({prometheus, prometheusTarget});
    parser.addOptions({version, demo, connect, controller, southbound, lab, dump, screenshot, screenshotSize, detailsTab, dock, view, topologyZoom, topologyColour, filter,
                       language, timeout, migrate, noWindow, history, metricsWindow, readOnly, tenant, usageReport, usagePeriod,
                       lagProbe});

    if (!parser.parse(app.arguments())) {
        std::fprintf(stderr, "vigie: %s\n%s\n", qPrintable(parser.errorText()),
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "Try 'vigie --help'.")));
        return 2;
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(version)) {
        unsigned long libvirtVersion = 0;
        virGetVersion(&libvirtVersion, nullptr, nullptr);
        std::printf("vigie %s (Qt %s, libvirt %lu.%lu.%lu)\n", qPrintable(QCoreApplication::applicationVersion()),
                    qVersion(), libvirtVersion / 1000000, libvirtVersion / 1000 % 1000, libvirtVersion % 1000);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "unexpected argument: %1")
                                    .arg(parser.positionalArguments().first())));
        return 2;
    }
    result->demo = parser.isSet(demo);
    result->connect = parser.values(connect);
    result->controllerRemotes = parser.values(controller);
    result->southboundRemotes = parser.values(southbound);
    for (const QString &remote : result->controllerRemotes + result->southboundRemotes) {
        if (!OvsdbRemote::parse(remote).isValid()) {
            std::fprintf(stderr, "vigie: %s\n",
                         qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                                "invalid controller remote '%1': use tcp:HOST:PORT, "
                                                                "ssl:HOST:PORT or unix:PATH")
                                        .arg(remote)));
            return 2;
        }
    }
    if (parser.isSet(lab)) {
        QString error;
        const auto description = LabDescription::read(LabDescription::defaultDirectory(), &error);
        if (!description) {
            std::fprintf(stderr, "vigie: %s\n", qPrintable(error));
            return 2;
        }
        for (const LabDescription::Host &host : description->hosts) {
            if (!result->connect.contains(host.uri))
                result->connect.append(host.uri);
        }
        for (const QString &remote : description->controllerRemotes) {
            if (!result->controllerRemotes.contains(remote))
                result->controllerRemotes.append(remote);
        }
        for (const QString &remote : description->southboundRemotes) {
            if (!result->southboundRemotes.contains(remote))
                result->southboundRemotes.append(remote);
        }
    }
    result->dumpInventory = parser.value(dump);
    result->screenshot = parser.value(screenshot);
    result->language = parser.value(language);
    if (parser.isSet(screenshotSize)) {
        const QStringList parts = parser.value(screenshotSize).split(u'x');
        bool okWidth = false, okHeight = false;
        const int width = parts.size() == 2 ? parts.at(0).toInt(&okWidth) : 0;
        const int height = parts.size() == 2 ? parts.at(1).toInt(&okHeight) : 0;
        if (!okWidth || !okHeight || width < 320 || height < 240 || width > 8192 || height > 8192) {
            std::fprintf(stderr, "vigie: %s\n",
                         qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                                "invalid --screenshot-size '%1': use WIDTHxHEIGHT, "
                                                                "e.g. 1366x768")
                                        .arg(parser.value(screenshotSize))));
            return 2;
        }
        result->screenshotSize = QSize(width, height);
    }
    result->filter = parser.value(filter);
    result->detailsTab = parser.value(detailsTab);
    if (!result->detailsTab.isEmpty()
        && !QStringList{QStringLiteral("overview"), QStringLiteral("metrics"), QStringLiteral("console"),
                    QStringLiteral("display"), QStringLiteral("xml"), QStringLiteral("network"), QStringLiteral("policy"),
                    QStringLiteral("addresses")}.contains(
            result->detailsTab)) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "unknown details tab '%1': use overview, metrics, console, display, xml, network, policy or addresses")
                                    .arg(result->detailsTab)));
        return 2;
    }
    result->dock = parser.value(dock);
    if (!result->dock.isEmpty()
        && !QStringList{QStringLiteral("log"), QStringLiteral("migrations"), QStringLiteral("dashboard"),
                        QStringLiteral("alarms")}.contains(result->dock)) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "unknown dock '%1': use log, migrations, dashboard or alarms")
                                    .arg(result->dock)));
        return 2;
    }
    for (const QString &value : parser.values(migrate)) {
        // The host may be given by its URI, which has colons of its own.
        const qsizetype colon = value.indexOf(u':');
        if (colon <= 0 || colon == value.size() - 1) {
            std::fprintf(stderr, "vigie: %s\n",
                         qPrintable(QCoreApplication::translate("Vigie::CommandLine", "--migrate needs VM:HOST, for example web-1:lab-hv2")));
            return 2;
        }
        result->migrations.append({value.left(colon), value.mid(colon + 1)});
    }
    result->prometheusUrl = parser.value(prometheus);
    if (!result->prometheusUrl.isEmpty()) {
        const QUrl url(result->prometheusUrl, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            std::fprintf(stderr, "vigie: %s\n",
                         qPrintable(QCoreApplication::translate("Vigie::CommandLine", "invalid --prometheus '%1': use http(s)://host:port")
                                        .arg(result->prometheusUrl)));
            return 2;
        }
    }
    result->prometheusTargets = parser.values(prometheusTarget);
    result->noWindow = parser.isSet(noWindow);
    result->readOnly = parser.isSet(readOnly);
    result->lagProbe = parser.isSet(lagProbe);
    result->tenant = parser.value(tenant).trimmed();
    result->usageReport = parser.value(usageReport);
    result->usagePeriod = parser.value(usagePeriod);
    if (!result->usagePeriod.isEmpty() && result->usagePeriod != QLatin1String("current")
        && result->usagePeriod != QLatin1String("previous")
        && !QDate::fromString(result->usagePeriod + QStringLiteral("-01"), Qt::ISODate).isValid()) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "invalid --usage-period '%1': use current, previous or YYYY-MM")
                                    .arg(result->usagePeriod)));
        return 2;
    }
    result->historyFile = parser.value(history);
    if (parser.isSet(metricsWindow)) {
        const QHash<QString, int> windows{{QStringLiteral("1m"), 60},          {QStringLiteral("10m"), 600},
                                          {QStringLiteral("1h"), 3600},        {QStringLiteral("24h"), 86400},
                                          {QStringLiteral("7d"), 7 * 86400},   {QStringLiteral("30d"), 30 * 86400},
                                          {QStringLiteral("1y"), 365 * 86400}};
        result->metricsWindowS = windows.value(parser.value(metricsWindow), 0);
        if (result->metricsWindowS == 0) {
            std::fprintf(stderr, "vigie: %s\n",
                         qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                                "unknown metrics window '%1': use 1m, 10m, 1h, 24h, 7d, 30d or 1y")
                                        .arg(parser.value(metricsWindow))));
            return 2;
        }
    }
    result->topologyZoom = parser.value(topologyZoom);
    if (!result->topologyZoom.isEmpty()
        && !QStringList{QStringLiteral("far"), QStringLiteral("mid"), QStringLiteral("near"), QStringLiteral("fit")}.contains(result->topologyZoom)) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "unknown topology zoom '%1': use far, mid, near or fit")
                                    .arg(result->topologyZoom)));
        return 2;
    }
    result->topologyColour = parser.value(topologyColour);
    if (!result->topologyColour.isEmpty() && result->topologyColour != QLatin1String("state") && result->topologyColour != QLatin1String("tenant")) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "unknown topology colour '%1': use state or tenant")
                                    .arg(result->topologyColour)));
        return 2;
    }
    result->view = parser.value(view);
    if (!result->view.isEmpty() && result->view != QLatin1String("table") && result->view != QLatin1String("topology")) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "unknown view '%1': use table or topology")
                                    .arg(result->view)));
        return 2;
    }
    if (!result->language.isEmpty() && result->language != QLatin1String("fr") && result->language != QLatin1String("en")) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "unknown language '%1': use fr or en")
                                    .arg(result->language)));
        return 2;
    }
    bool ok = false;
    result->timeoutS = parser.value(timeout).toInt(&ok);
    if (!ok || result->timeoutS <= 0) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine", "--timeout needs a positive number of seconds")));
        return 2;
    }
    if (!result->southboundRemotes.isEmpty() && result->controllerRemotes.isEmpty()) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "--southbound needs --controller (the northbound database)")));
        return 2;
    }
    if (result->noWindow && result->migrations.isEmpty() && !parser.isSet(dump)) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "--no-window needs --migrate VM:HOST or --dump-inventory FILE")));
        return 2;
    }
    if ((result->noWindow || parser.isSet(dump)) && !result->screenshot.isEmpty()) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "--screenshot needs the window: leave out --no-window and --dump-inventory")));
        return 2;
    }
    if (result->noWindow && result->connect.isEmpty() && !result->demo) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "--no-window needs --demo, --lab or --connect URI")));
        return 2;
    }
    if (parser.isSet(dump) && result->connect.isEmpty() && !result->demo) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(QCoreApplication::translate("Vigie::CommandLine",
                                                            "--dump-inventory needs --demo, --lab or --connect URI")));
        return 2;
    }
    return std::nullopt;
}

} // namespace Vigie
