#include "application.h"

#include "commandline.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "inventory/inventoryjson.h"
#include "hypervisor/migrationcontroller.h"
#include "mainwindow.h"
#include "vmdetailspane.h"
#include "network/controllerjson.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"

#include <QApplication>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

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

void connectAll(SessionManager &sessions, const CommandLine &options)
{
    if (options.demo)
        sessions.openDemo();
    for (const QString &uri : options.connect)
        sessions.addConnection(uri);
}

// Runs the event loop until every connection has settled or the timeout has passed.
bool waitUntilSettled(SessionManager &sessions, int timeoutS)
{
    if (sessions.isSettled())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&sessions, &SessionManager::settled, &loop, &QEventLoop::quit);
    timeout.start(timeoutS * 1000);
    loop.exec();
    return sessions.isSettled();
}

} // namespace

int runInventoryDump(const CommandLine &options)
{
    Inventory inventory;
    SessionManager sessions(&inventory);
    NetworkController controller(&inventory, &sessions);
    controller.setRemotes(options.controllerRemotes);
    controller.setSouthboundRemotes(options.southboundRemotes);
    connectAll(sessions, options);
    bool settled = waitUntilSettled(sessions, options.timeoutS);
    if (controller.isConfigured()) {
        // The controller's picture too: both databases read, then one correlation pass on the
        // complete inventory. Binding disagreements are reported as they are now.
        const auto ready = [&controller] {
            return controller.isSynced() && (controller.southboundRemotes().isEmpty() || controller.isSouthboundSynced());
        };
        if (!ready()) {
            QEventLoop loop;
            QTimer timeout;
            timeout.setSingleShot(true);
            QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
            QObject::connect(&controller, &NetworkController::stateChanged, &loop, [&] {
                if (ready())
                    loop.quit();
            });
            timeout.start(options.timeoutS * 1000);
            loop.exec();
        }
        if (!ready()) {
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
    if (!settled)
        std::fprintf(stderr, "vigie: the inventory was not complete after %d s\n", options.timeoutS);

    QJsonObject dump = inventoryToJson(inventory);
    if (controller.isConfigured())
        dump.insert(QStringLiteral("controller"), controllerToJson(controller));
    const QByteArray json = QJsonDocument(dump).toJson(QJsonDocument::Indented);
    if (options.dumpInventory == QLatin1String("-")) {
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fflush(stdout);
    } else {
        QFile file(options.dumpInventory);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
            std::fprintf(stderr, "vigie: cannot write %s: %s\n", qPrintable(options.dumpInventory),
                         qPrintable(file.errorString()));
            return 1;
        }
    }
    return failures == 0 && settled ? 0 : 1;
}

int runWindow(const CommandLine &options)
{
    Inventory inventory;
    SessionManager sessions(&inventory);
    MainWindow window(&inventory, &sessions);
    if (options.demo || !options.connect.isEmpty())
        connectAll(sessions, options);
    else
        window.restoreConnections();
    if (!options.controllerRemotes.isEmpty())
        window.setControllerRemotes(options.controllerRemotes, options.southboundRemotes);
    if (options.view == QLatin1String("topology"))
        window.showTopology();
    else if (options.view == QLatin1String("table"))
        window.showVmTable();

    if (options.screenshot.isEmpty()) {
        window.show();
        return QApplication::exec();
    }

    window.resize(1600, 900);
    if (options.view == QLatin1String("topology")) {
        // A picture of the topology: the side docks would leave it a narrow strip.
        for (const QString &dock : {QStringLiteral("hostsDock"), QStringLiteral("detailsDock"), QStringLiteral("networkDock")}) {
            if (auto *widget = window.findChild<QDockWidget *>(dock))
                widget->hide();
        }
    }
    window.show();
    bool settled = waitUntilSettled(sessions, options.timeoutS);
    if (window.networkController()->isConfigured() && !window.networkController()->isSynced()) {
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(window.networkController(), &NetworkController::stateChanged, &loop, [&loop, &window] {
            if (window.networkController()->isSynced())
                loop.quit();
        });
        timeout.start(options.timeoutS * 1000);
        loop.exec();
        settled = settled && window.networkController()->isSynced();
    }
    window.selectShowcaseVm();
    if (!options.migrateVm.isEmpty()) {
        const QString error = window.migrateByName(options.migrateVm, options.migrateHost);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "vigie: --migrate: %s\n", qPrintable(error));
            return 2;
        }
        // The picture shows the migration under way: a third of it done (or its end, if quicker).
        QEventLoop migrating;
        QTimer::singleShot(options.timeoutS * 1000, &migrating, &QEventLoop::quit);
        const auto check = [&] {
            for (const MigrationProgress &job : window.migrations()->jobs()) {
                if (job.percent >= 33 || migrationPhaseIsFinal(job.phase))
                    migrating.quit();
            }
        };
        QObject::connect(window.migrations(), &MigrationController::jobProgressed, &migrating, check);
        QObject::connect(window.migrations(), &MigrationController::jobFinished, &migrating, check);
        migrating.exec();
    }
    if (options.detailsTab == QLatin1String("network")) {
        if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("networkDock")))
            dock->raise();
    } else if (!options.detailsTab.isEmpty()) {
        window.details()->showTab(options.detailsTab);
        if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("detailsDock")))
            dock->raise(); // in front of the Network panel it shares its place with
    }
    if (options.detailsTab == QLatin1String("metrics")) {
        // The first figures come with the hosts' first metrics tick.
        QEventLoop ticks;
        QTimer::singleShot(2500, &ticks, &QEventLoop::quit);
        ticks.exec();
    }
    // Let layouts and item views settle before grabbing.
    QEventLoop loop;
    QTimer::singleShot(300, &loop, &QEventLoop::quit);
    loop.exec();
    if (!window.grab().save(options.screenshot)) {
        std::fprintf(stderr, "vigie: cannot write %s\n", qPrintable(options.screenshot));
        return 1;
    }
    std::fprintf(stderr, "vigie: wrote %s%s\n", qPrintable(options.screenshot),
                 settled ? "" : " (some connections had not answered yet)");
    return 0;
}

} // namespace Vigie
