#include "application.h"
#include "commandline.h"
#include "hypervisor/libvirteventloop.h"

#include <QApplication>
#include <QIcon>

#include <cstdio>
#include <memory>

int main(int argc, char **argv)
{
    using namespace Vigie;
    const bool noWindow = CommandLine::wantsNoWindow(argc, argv);
    bool screenshot = false;
    for (int i = 1; i < argc; ++i)
        screenshot = screenshot || qstrncmp(argv[i], "--screenshot", 12) == 0;
    if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!noWindow && !screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
        && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fputs("vigie: no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  To see the window here: xvfb-run vigie ... or set DISPLAY.\n"
                   "  To get a picture instead: vigie --demo --screenshot vigie.png\n"
                   "  To get the inventory: vigie --demo --dump-inventory -\n",
                   stderr);
        return 2;
    }

    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    std::unique_ptr<QCoreApplication> app;
    if (noWindow)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Vigie"));
    QCoreApplication::setApplicationName(QStringLiteral("vigie"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIE_VERSION));
    if (!noWindow) {
        // The desktop finds the installed entry, and with it the icon, by this name.
        QGuiApplication::setDesktopFileName(QStringLiteral("org.vigie.Vigie"));
        QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("org.vigie.Vigie"),
                                                     QIcon(QStringLiteral(":/icons/org.vigie.Vigie.svg"))));
    }
    installTranslations(*app, CommandLine::languageFromArguments(argc, argv));

    CommandLine options;
    if (const std::optional<int> exitCode = CommandLine::parse(*app, &options))
        return *exitCode;
    if (!options.dumpInventory.isEmpty() || options.noWindow)
        return runHeadless(options);
    return runWindow(options);
}
