#include "application.h"

#include "lagprobe.h"

#include "commandline.h"
#include "hypervisor/accesspolicy.h"
#include "consoleview.h"
#include "hypervisor/consolesession.h"
#include "hypervisor/vncsession.h"
#include "vncview.h"
#include "hypervisor/sessionmanager.h"
#include "hypervisor/helpercalls.h"
#include "hypervisor/workerthread.h"
#include "inventory/inventory.h"
#include "inventory/inventoryjson.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationjournal.h"
#include "hypervisor/migrationqueue.h"
#include "mainwindow.h"
#include "metricssourceui.h"
#include "metrics/metricshistory.h"
#include "metricschart.h"
#include "metricspanel.h"
#include "notificationbar.h"
#include "signalwatcher.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "vmchipitem.h"
#include "usagedialog.h"
#include "usagereportdocument.h"
#include "vmdetailspane.h"
#include "network/controllerjson.h"
#include "network/networkcontroller.h"
#include "network/migrationbindings.h"
#include "network/networkcorrelation.h"

#include <QApplication>
#include <QDockWidget>
#include <QTabWidget>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QLibraryInfo>
#include <QLocale>
#include <QSet>
#include <QSettings>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

namespace Vigie {

bool installTranslations(QCoreApplication &app, const QString &language)
{
    if (!language.isEmpty())
        QLocale::setDefault(QLocale(language));
    const QLocale locale;
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto *vigie = new QTranslator(&app);
    // English is the fallback for every other language: its catalogue holds the plural forms.
    if (!vigie->load(locale, QStringLiteral("vigie"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        && !vigie->load(QStringLiteral("vigie_en"), QStringLiteral(":/i18n")))
        return false;
    QCoreApplication::installTranslator(vigie);
    return true;
}

namespace {

// The session manager already gave the hosts' threads their wait: what is left is a check.
constexpr int ExitWaitMs = 50;

// The command line's messages on standard error.
class Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::Application)
};

void connectAll(SessionManager &sessions, const CommandLine &options)
{
    sessions.accessPolicy()->setAllReadOnly(options.readOnly);
    if (options.demo)
        sessions.openDemo();
    for (const QString &uri : options.connect)
        sessions.addConnection(uri);
}

// Runs the event loop until READY holds (checked again on each signal given to recheckOn), the
// timeout passes (0: none) or a watched Unix signal asks to quit. Returns READY.
class LoopUntil
{
public:
    LoopUntil(std::function<bool()> ready, SignalWatcher *watcher)
        : m_ready(std::move(ready))
    {
        QObject::connect(watcher, &SignalWatcher::signalReceived, &m_loop, &QEventLoop::quit);
    }

    template<typename Sender, typename Signal>
    LoopUntil &recheckOn(const Sender *sender, Signal signal)
    {
        QObject::connect(sender, signal, &m_loop, [this] {
            if (m_ready())
                m_loop.quit();
        });
        return *this;
    }

    bool exec(int timeoutS)
    {
        if (m_ready())
            return true;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &m_loop, &QEventLoop::quit);
        if (timeoutS > 0)
            timeout.start(timeoutS * 1000);
        m_loop.exec();
        return m_ready();
    }

private:
    std::function<bool()> m_ready;
    QEventLoop m_loop;
};

// Every host answered (or failed), and the network controller, if any, is read: what a drag's
// pre-flight relies on.
bool isReady(const SessionManager &sessions, const NetworkController &controller)
{
    return sessions.isSettled()
           && (!controller.isConfigured()
               || (controller.isSynced() && (controller.southboundRemotes().isEmpty() || controller.isSouthboundSynced())));
}

// The --migrate requests' progress on standard error: start, every tenth of the way, outcome.
void reportOnStderr(MigrationQueue *queue, const MigrationController *migrations, Inventory *inventory)
{
    auto lastStep = std::make_shared<QHash<int, int>>();
    QObject::connect(queue, &MigrationQueue::requestStarted, queue, [migrations, inventory](int, const MigrationProgress &job) {
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(Tr::tr("migrating %1 from %2 to %3%4")
                                    .arg(job.vmName, inventory->host(job.sourceUri).displayName,
                                         inventory->host(job.destUri).displayName,
                                         job.demo ? Tr::tr(" (simulated: demo hosts)") : QString())));
        // What the window's dialog would have said first: the systems that own the VM.
        for (const QString &caveat : migrations->preflight().migrationCaveats(job.vm, job.destUri))
            std::fprintf(stderr, "vigie: %s\n", qPrintable(Tr::tr("warning: %1").arg(caveat)));
    });
    QObject::connect(queue, &MigrationQueue::requestProgressed, queue, [lastStep](int index, const MigrationProgress &job) {
        if (job.dataProcessed + job.dataRemaining == 0)
            return; // libvirt has no figures yet
        const int step = int(job.percent) / 10;
        if (lastStep->value(index, -1) == step)
            return;
        lastStep->insert(index, step);
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(Tr::tr("%1: %2, %3 % (%4 of %5 MiB)")
                                    .arg(job.vmName, migrationPhaseDisplayName(job.phase))
                                    .arg(int(job.percent))
                                    .arg(double(job.dataProcessed) / 1048576.0, 0, 'f', 1)
                                    .arg(double(job.dataProcessed + job.dataRemaining) / 1048576.0, 0, 'f', 1)));
    });
    QObject::connect(queue, &MigrationQueue::requestFinished, queue, [queue](int index, bool ok, const QString &message) {
        const MigrationQueue::Request request = queue->requests().value(index);
        std::fprintf(stderr, "vigie: %s\n",
                     qPrintable(ok ? Tr::tr("%1 runs on %2").arg(request.vmName, request.host)
                                   : Tr::tr("cannot migrate %1 to %2: %3").arg(request.vmName, request.host, message)));
    });
}

MigrationQueue *makeQueue(const CommandLine &options, MigrationController *migrations, Inventory *inventory, QObject *parent)
{
    auto *queue = new MigrationQueue(migrations, inventory, parent);
    QSettings settings;
    queue->setOptions(MigrationOptions::load(settings));
    queue->setArrivalTimeoutMs(options.timeoutS * 1000);
    for (const MigrationQueue::Request &request : options.migrations)
        queue->enqueue(request.vmName, request.host);
    reportOnStderr(queue, migrations, inventory);
    return queue;
}

// Says which signal arrived, once; the caller quits.
void announce(int signal, const char *what)
{
    std::fprintf(stderr, "vigie: %s: %s\n", qPrintable(SignalWatcher::signalName(signal)), what);
}

// Ends the process when migrations were left to libvirt, or when a host's thread is still inside
// a libvirt call after a short wait (a frozen host answers nothing): static destructors must not
// run under those threads. One deadline for all the hosts, not one per host.
int finish(int code, int leftToLibvirt)
{
    const QDeadlineTimer deadline(ExitWaitMs);
    const bool workersDone = WorkerThread::waitForAll(deadline) && HelperCalls::waitForAll(deadline);
    if (workersDone) {
        // The finished threads' objects go (their deletion was queued here), and with the last of
        // them libvirt's event loop thread, joined: nothing of ours runs under static destructors.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    if (leftToLibvirt > 0 || !workersDone) {
        if (!workersDone)
            std::fprintf(stderr, "vigie: %d host connection(s) still waiting on a host that does not answer: not waiting for them\n",
                         WorkerThread::runningCount() + HelperCalls::runningCount());
        std::fflush(nullptr);
        std::_Exit(code);
    }
    return code;
}

} // namespace

int runHeadless(const CommandLine &options)
{
    SignalWatcher watcher;
    int interrupted = 0;
    QObject::connect(&watcher, &SignalWatcher::signalReceived, &watcher, [&interrupted](int signal) {
        if (interrupted == 0)
            announce(signal, "stopping");
        interrupted = signal;
    });
    int code = 0;
    int leftToLibvirt = 0;
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        NetworkController controller(&inventory, &sessions);
        MigrationController migrations(&sessions, &inventory);
        migrations.setJournal(std::make_unique<MigrationJournal>(QSettings().fileName()));
        // Ports follow their VM during a migration, as with a drag in the window.
        MigrationBindings bindings(&controller, &migrations);
        controller.setRemotes(options.controllerRemotes);
        controller.setSouthboundRemotes(options.southboundRemotes);
        connectAll(sessions, options);
        bool settled = LoopUntil([&sessions] { return sessions.isSettled(); }, &watcher)
                           .recheckOn(&sessions, &SessionManager::settled)
                           .exec(options.timeoutS);
        if (controller.isConfigured() && !interrupted) {
            // The controller's picture too: both databases read, then one correlation pass on the
            // complete inventory. Binding disagreements are reported as they are now.
            const bool ready = LoopUntil([&] { return isReady(sessions, controller); }, &watcher)
                                   .recheckOn(&controller, &NetworkController::stateChanged)
                                   .exec(options.timeoutS);
            if (!ready && !interrupted) {
                std::fprintf(stderr, "vigie: network controller: %s\n", qPrintable(controller.stateDetails().replace(u'\n', QStringLiteral("; "))));
                settled = false;
            }
            controller.correlation()->setBindingGrace(0);
            controller.correlation()->refresh();
            QCoreApplication::processEvents(); // the wiring reaches the inventory
            controller.correlation()->refresh();
        }

        int failures = 0;
        for (const QString &uri : sessions.uris()) {
            const HostInfo host = inventory.host(uri);
            if (host.state != ConnectionState::Connected) {
                ++failures;
                std::fprintf(stderr, "vigie: %s: %s%s\n", qPrintable(uri), qPrintable(connectionStateName(host.state)),
                             host.stateMessage.isEmpty() ? "" : qPrintable(QStringLiteral(": ") + host.stateMessage));
            }
        }
        if (!settled && !interrupted)
            std::fprintf(stderr, "vigie: the inventory was not complete after %d s\n", options.timeoutS);

        int migrationFailures = 0;
        if (!options.migrations.isEmpty() && !interrupted) {
            MigrationQueue *queue = makeQueue(options, &migrations, &inventory, &migrations);
            queue->start();
            // No overall timeout: libvirt says when a migration ends, and how.
            LoopUntil([queue] { return queue->isFinished(); }, &watcher).recheckOn(queue, &MigrationQueue::finished).exec(0);
            migrationFailures = queue->failureCount();
        }
        if (interrupted) {
            leftToLibvirt = migrations.leaveRunningToLibvirt();
            code = 1; // what was asked for was not done
        } else if (!options.dumpInventory.isEmpty()) {
            QJsonObject dump = inventoryToJson(inventory);
            if (controller.isConfigured())
                dump.insert(QStringLiteral("controller"), controllerToJson(controller));
            const QByteArray json = QJsonDocument(dump).toJson(QJsonDocument::Indented);
            if (options.dumpInventory == QLatin1String("-")) {
                std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
                std::fflush(stdout);
                code = failures == 0 && settled && migrationFailures == 0 ? 0 : 1;
            } else {
                QFile file(options.dumpInventory);
                if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
                    std::fprintf(stderr, "vigie: cannot write %s: %s\n", qPrintable(options.dumpInventory),
                                 qPrintable(file.errorString()));
                    code = 1;
                } else {
                    code = failures == 0 && settled && migrationFailures == 0 ? 0 : 1;
                }
            }
        } else {
            code = migrationFailures == 0 ? 0 : 1;
        }
    }
    return finish(code, leftToLibvirt);
}

// A picture of a long window shows the stored history: the demo's past seeded, then each
// visible chart's answer from the history's thread.
// --usage-report: once the hosts answered and (demo) the synthetic past is written, the report of
// the period as the Usage dialog builds it, written as PDF (or its first page as PNG).
int writeUsageReport(MainWindow &window, SessionManager &sessions, SignalWatcher *watcher, const CommandLine &options)
{
    MetricsHistory *history = window.history();
    LoopUntil([&sessions] { return sessions.isSettled(); }, watcher).recheckOn(&sessions, &SessionManager::settled).exec(options.timeoutS);
    LoopUntil([history] { return history->isOpen() && (!history->isDemo() || history->isDemoSeeded()); }, watcher)
        .recheckOn(history, &MetricsHistory::demoSeeded)
        .recheckOn(history, &MetricsHistory::opened)
        .exec(options.timeoutS);
    if (!history->isOpen()) {
        std::fprintf(stderr, "vigie: --usage-report: no metrics history\n");
        return 1;
    }
    UsageDialog *dialog = window.showUsage(false);
    const QDate today = QDate::currentDate();
    if (options.usagePeriod == QLatin1String("previous")) {
        dialog->setPeriod(UsageDialog::Period::PreviousMonth);
    } else if (!options.usagePeriod.isEmpty() && options.usagePeriod != QLatin1String("current")) {
        const QDate first = QDate::fromString(options.usagePeriod + QStringLiteral("-01"), Qt::ISODate);
        dialog->setPeriod(UsageDialog::Period::Custom, first, std::min(today, first.addDays(first.daysInMonth() - 1)));
    } else {
        dialog->setPeriod(UsageDialog::Period::CurrentMonth);
    }
    LoopUntil([dialog] { return !dialog->isBusy(); }, watcher).recheckOn(dialog, &UsageDialog::reportShown).exec(options.timeoutS);
    if (dialog->isBusy())
        return 1;
    QString error;
    bool ok = false;
    if (options.usageReport.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
        // Every page: FILE.png, then FILE-2.png...
        const UsageReportDocument document(dialog->report(), options.tenant);
        const int pages = document.pageCount();
        ok = true;
        for (int page = 0; page < pages && ok; ++page) {
            QString path = options.usageReport;
            if (page > 0)
                path.insert(path.size() - 4, QStringLiteral("-%1").arg(page + 1));
            ok = document.pageImage(page, 110).save(path);
        }
    } else
        ok = dialog->exportPdf(options.usageReport, &error);
    if (!ok) {
        std::fprintf(stderr, "vigie: cannot write %s %s\n", qPrintable(options.usageReport), qPrintable(error));
        return 1;
    }
    std::fprintf(stderr, "vigie: wrote %s (%d tenants, %d VMs, report built in %.1f ms)\n", qPrintable(options.usageReport),
                 int(dialog->report().tenants.size()), dialog->report().vmCount, double(dialog->report().elapsedUs) / 1000.0);
    return 0;
}

void waitForStoredHistory(MainWindow &window, SignalWatcher *watcher, int timeoutS)
{
    MetricsHistory *history = window.history();
    MetricsPanel *panel = window.details()->vmMetrics();
    if (!history || !history->isOpen() || !panel || panel->windowSeconds() <= 3600)
        return;
    LoopUntil([history] { return !history->isDemo() || history->isDemoSeeded(); }, watcher)
        .recheckOn(history, &MetricsHistory::demoSeeded)
        .exec(timeoutS);
    QSet<MetricsChart *> shown;
    QList<MetricsChart *> visible;
    for (MetricsChart *chart : panel->charts()) {
        if (chart->isVisible())
            visible.append(chart);
    }
    LoopUntil loop([&] { return shown.size() >= visible.size(); }, watcher);
    QList<QMetaObject::Connection> connections;
    for (MetricsChart *chart : std::as_const(visible)) {
        connections.append(QObject::connect(chart, &MetricsChart::historyShown, chart, [&shown, chart] { shown.insert(chart); }));
        loop.recheckOn(chart, &MetricsChart::historyShown);
        chart->refreshHistory(); // asks again, now that the past is there
    }
    loop.exec(timeoutS);
    for (const QMetaObject::Connection &connection : std::as_const(connections))
        QObject::disconnect(connection);
    // Charts replot on the next pass of the event loop: let the last answer's replot happen.
    QEventLoop settle;
    QTimer::singleShot(200, &settle, &QEventLoop::quit);
    settle.exec();
}

// --topology-zoom: the topology at one level of detail; near is centred on the selected VM.
void applyTopologyZoom(MainWindow &window, const QString &zoom)
{
    TopologyView *view = window.topologyView();
    TopologyScene *scene = view->topologyScene();
    scene->flush();
    if (zoom == QLatin1String("fit")) {
        view->fitToView();
        return;
    }
    QPointF centre = scene->contentRect().center();
    const QList<VmKey> selected = window.selectedVms();
    if (zoom == QLatin1String("near") && !selected.isEmpty()) {
        if (const QGraphicsItem *chip = scene->vmItem(selected.first()))
            centre = chip->sceneBoundingRect().center();
    }
    view->zoomTo(zoom == QLatin1String("far") ? 0.12 : zoom == QLatin1String("mid") ? 0.3 : 1.0, centre);
}

int runWindow(const CommandLine &options)
{
    // Before the window: a signal from now on quits cleanly.
    SignalWatcher watcher;
    int signalled = 0;
    int code = 0;
    int leftToLibvirt = 0;
    LagProbe lag;
    if (options.lagProbe)
        lag.start();
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        MainWindow window(&inventory, &sessions);
        QObject::connect(&watcher, &SignalWatcher::signalReceived, &window, [&signalled, &window](int signal) {
            if (signalled == 0)
                announce(signal, "saving the settings and quitting");
            signalled = signal;
            window.close(); // saves the settings
            QCoreApplication::quit(); // also ends a dialog's loop
        });
        // The demo records into its own database, never into the operator's history.
        const bool demoHistory = options.connect.isEmpty() && (options.demo || MainWindow::savedSessionIsDemoOnly());
        window.enableHistory(options.historyFile.isEmpty() ? MetricsHistory::defaultPath(demoHistory) : options.historyFile,
                             demoHistory);
        if (options.metricsWindowS > 0) {
            for (MetricsPanel *panel : {window.details()->vmMetrics(), window.details()->hostMetrics()}) {
                if (panel)
                    panel->setWindowSeconds(options.metricsWindowS);
            }
        }
        sessions.accessPolicy()->setAllReadOnly(options.readOnly);
        if (!options.prometheusUrl.isEmpty()) {
            QUrl url(options.prometheusUrl);
            PrometheusConfig config;
            config.user = url.userName();
            config.password = url.password();
            config.bearerToken = qEnvironmentVariable("VIGIE_PROMETHEUS_TOKEN");
            url.setUserInfo({});
            config.url = url;
            config.targets = PrometheusConfig::parseTargets(options.prometheusTargets);
            window.metricsSource()->apply(config, false);
        }
        if (options.demo || !options.connect.isEmpty())
            connectAll(sessions, options);
        else
            window.restoreConnections();
        if (!options.controllerRemotes.isEmpty())
            window.setControllerRemotes(options.controllerRemotes, options.southboundRemotes);
        if (!options.tenant.isEmpty())
            window.setTenant(options.tenant);
        if (!options.filter.isEmpty())
            window.setFilterText(options.filter);
        if (options.view == QLatin1String("topology"))
            window.showTopology();
        else if (options.view == QLatin1String("table"))
            window.showVmTable();

        MigrationQueue *queue = nullptr;
        QString firstRefusal;
        if (!options.migrations.isEmpty()) {
            queue = makeQueue(options, window.migrations(), &inventory, &window);
            // As if dragged: the VM selected, the job in the migrations panel, a refusal in the
            // notification bar.
            QObject::connect(queue, &MigrationQueue::requestStarted, &window,
                             [&window](int, const MigrationProgress &job) { window.selectVm(job.vm); });
            QObject::connect(queue, &MigrationQueue::requestFinished, &window,
                             [&window, &firstRefusal, queue](int index, bool ok, const QString &message) {
                                 if (ok)
                                     return;
                                 if (firstRefusal.isEmpty())
                                     firstRefusal = message;
                                 window.notifications()->notify(NotificationBar::Kind::Error,
                                                                MainWindow::tr("Cannot migrate %1").arg(queue->requests().value(index).vmName),
                                                                message);
                             });
        }

        if (!options.usageReport.isEmpty()) {
            code = writeUsageReport(window, sessions, &watcher, options);
        } else if (options.screenshot.isEmpty()) {
            if (queue) {
                // Once the hosts are settled and the controller read (or the timeout passed).
                auto *start = new QTimer(queue);
                start->setSingleShot(true);
                const auto startIfReady = [&sessions, &window, queue, start] {
                    if (start->isActive() && isReady(sessions, *window.networkController())) {
                        start->stop();
                        queue->start();
                    }
                };
                QObject::connect(start, &QTimer::timeout, queue, &MigrationQueue::start);
                QObject::connect(&sessions, &SessionManager::settled, queue, startIfReady);
                QObject::connect(window.networkController(), &NetworkController::stateChanged, queue, startIfReady);
                start->start(options.timeoutS * 1000);
                QTimer::singleShot(0, queue, startIfReady);
            }
            if (!options.topologyColour.isEmpty())
                window.setTopologyColouring(options.topologyColour == QLatin1String("tenant"), false);
            window.show();
            if (!options.topologyZoom.isEmpty())
                QTimer::singleShot(0, &window, [&window, &options] { applyTopologyZoom(window, options.topologyZoom); });
            code = QApplication::exec();
        } else {
            window.resize(options.screenshotSize);
            if (!options.topologyColour.isEmpty())
                window.setTopologyColouring(options.topologyColour == QLatin1String("tenant"), false);
            if (options.view == QLatin1String("topology")) {
                // A picture of the topology: the side docks would leave it a narrow strip.
                for (const QString &dock : {QStringLiteral("hostsDock"), QStringLiteral("detailsDock"), QStringLiteral("networkDock")}) {
                    if (auto *widget = window.findChild<QDockWidget *>(dock))
                        widget->hide();
                }
            }
            window.show();
            const bool settled = LoopUntil([&] { return isReady(sessions, *window.networkController()); }, &watcher)
                                     .recheckOn(&sessions, &SessionManager::settled)
                                     .recheckOn(window.networkController(), &NetworkController::stateChanged)
                                     .exec(options.timeoutS);
            window.selectShowcaseVm();
            if (!options.topologyZoom.isEmpty())
                applyTopologyZoom(window, options.topologyZoom);
            if (queue && !signalled) {
                queue->start();
                // The picture shows the first migration under way: a third of it done (or its end,
                // if quicker).
                const auto pictureTime = [&] {
                    if (queue->isFinished())
                        return true;
                    for (const MigrationProgress &job : window.migrations()->jobs()) {
                        if (job.percent >= 33 || migrationPhaseIsFinal(job.phase))
                            return true;
                    }
                    return false;
                };
                LoopUntil(pictureTime, &watcher)
                    .recheckOn(window.migrations(), &MigrationController::jobProgressed)
                    .recheckOn(window.migrations(), &MigrationController::jobFinished)
                    .recheckOn(queue, &MigrationQueue::finished)
                    .exec(options.timeoutS);
                if (window.migrations()->jobs().isEmpty()) {
                    std::fprintf(stderr, "vigie: --migrate: %s\n", qPrintable(firstRefusal));
                    code = 2;
                }
            }
            if (code == 0 && !signalled) {
                if (options.detailsTab == QLatin1String("network") || options.detailsTab == QLatin1String("policy")
                    || options.detailsTab == QLatin1String("addresses")) {
                    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("networkDock")))
                        dock->raise();
                    if (auto *views = window.findChild<QTabWidget *>(QStringLiteral("networkViews")); views && options.detailsTab != QLatin1String("network"))
                        views->setCurrentIndex(options.detailsTab == QLatin1String("policy") ? 1 : 2);
                } else if (!options.detailsTab.isEmpty()) {
                    window.details()->showTab(options.detailsTab);
                    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("detailsDock")))
                        dock->raise(); // in front of the Network panel it shares its place with
                }
                if (!options.dock.isEmpty()) {
                    const QHash<QString, QString> docks{{QStringLiteral("log"), QStringLiteral("eventLogDock")},
                                                        {QStringLiteral("migrations"), QStringLiteral("jobsDock")},
                                                        {QStringLiteral("dashboard"), QStringLiteral("dashboardDock")},
                                                        {QStringLiteral("alarms"), QStringLiteral("alarmsDock")}};
                    if (auto *dock = window.findChild<QDockWidget *>(docks.value(options.dock))) {
                        dock->show();
                        dock->raise();
                    }
                }
                // Metrics, alarms and the dashboard's rankings come with the hosts' first metrics tick
                // (and the demo's past hour).
                int settleMs = options.detailsTab == QLatin1String("metrics") || options.dock == QLatin1String("alarms")
                               || options.dock == QLatin1String("dashboard")
                    ? 2800
                    : 300;
                if (options.detailsTab == QLatin1String("console")) {
                    // The console opens (or says why not); once open, the picture presses Enter in
                    // it so that it shows the guest's prompt rather than an empty terminal.
                    ConsoleSession *console = window.details()->console()->session();
                    const auto decided = [console] {
                        const ConsoleState state = console->state();
                        return state != ConsoleState::Connecting && state != ConsoleState::Reconnecting;
                    };
                    LoopUntil(decided, &watcher).recheckOn(console, &ConsoleSession::stateChanged).exec(options.timeoutS);
                    if (console->state() == ConsoleState::Connected) {
                        console->send("\r");
                        settleMs = 1500;
                    }
                }
                if (options.detailsTab == QLatin1String("display")) {
                    // The display opens (or says why not) and shows its first frame; once open, the
                    // picture types a command on the guest's screen, as an operator would.
                    VncSession *display = window.details()->display()->session();
                    const auto decided = [display] {
                        const ConsoleState state = display->state();
                        return (state == ConsoleState::Connected && !display->frameSize().isEmpty())
                               || (state != ConsoleState::Connecting && state != ConsoleState::Reconnecting
                                   && state != ConsoleState::Connected);
                    };
                    LoopUntil(decided, &watcher)
                        .recheckOn(display, &VncSession::stateChanged)
                        .recheckOn(display, &VncSession::frameUpdated)
                        .exec(options.timeoutS);
                    if (display->state() == ConsoleState::Connected) {
                        display->typeText(QStringLiteral("uname -sr; free -m | head -2\n"));
                        settleMs = 3000;
                    }
                }
                // The first figures come with the hosts' first metrics tick; otherwise let layouts
                // and item views settle before grabbing.
                QEventLoop loop;
                QTimer::singleShot(settleMs, &loop, &QEventLoop::quit);
                QObject::connect(&watcher, &SignalWatcher::signalReceived, &loop, &QEventLoop::quit);
                loop.exec();
                if (options.detailsTab == QLatin1String("metrics") && !signalled)
                    waitForStoredHistory(window, &watcher, options.timeoutS);
            }
            if (code == 0 && !signalled) {
                if (!window.grab().save(options.screenshot)) {
                    std::fprintf(stderr, "vigie: cannot write %s\n", qPrintable(options.screenshot));
                    code = 1;
                } else {
                    std::fprintf(stderr, "vigie: wrote %s%s\n", qPrintable(options.screenshot),
                                 settled ? "" : " (some connections had not answered yet)");
                }
            }
        }
        if (signalled)
            leftToLibvirt = window.migrations()->leaveRunningToLibvirt();
    }
    if (options.lagProbe)
        std::fprintf(stderr, "vigie: event-loop stalls: %s\n", qPrintable(lag.summary()));
    return finish(code, leftToLibvirt);
}

} // namespace Vigie
