#include "consolewindows.h"

#include "consoleview.h"
#include "displaytext.h"
#include "inventory/inventory.h"
#include "vmdetailspane.h"
#include "vncview.h"

#include <QScreen>
#include <QVBoxLayout>

namespace Vigie {

ConsoleWindows::ConsoleWindows(Inventory *inventory, SessionManager *sessions, VmDetailsPane *details, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_details(details)
    , m_window(window)
{
}

QWidget *ConsoleWindows::newWindow(QHash<VmKey, QPointer<QWidget>> &open, const VmKey &vm, const QString &titleFormat)
{
    if (QWidget *shown = open.value(vm).data()) {
        shown->showNormal();
        shown->raise();
        shown->activateWindow();
        return nullptr;
    }
    auto *window = new QWidget(m_window, Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    const QString name = DisplayText::singleLine(m_inventory->vm(vm).name);
    window->setWindowTitle(titleFormat.arg(name.isEmpty() ? vm.uuid : name));
    auto *layout = new QVBoxLayout(window);
    layout->setContentsMargins(4, 4, 4, 4);
    open.insert(vm, window);
    return window;
}

void ConsoleWindows::openConsole(const VmKey &vm)
{
    if (!vm.isValid())
        return;
    QWidget *window = newWindow(m_consoles, vm, tr("%1 — serial console — Vigie"));
    if (!window)
        return;
    // The details pane lets the console go first: libvirt gives it to one client at a time.
    m_details->setConsoleShownElsewhere(vm, true);
    auto *view = new ConsoleView(m_sessions, m_inventory, window);
    view->setVm(vm);
    window->layout()->addWidget(view);
    // Also when the main window goes (the console windows are its children): the pane, if still
    // there, is told; nothing of the main window is touched.
    connect(window, &QObject::destroyed, m_details, [details = m_details, vm] { details->setConsoleShownElsewhere(vm, false); });
    QSize size = view->sizeForTerminal(100, 30);
    if (const QScreen *screen = m_window->screen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    window->resize(size);
    window->show();
    view->focusTerminal();
}

void ConsoleWindows::openDisplay(const VmKey &vm)
{
    if (!vm.isValid())
        return;
    QWidget *window = newWindow(m_displays, vm, tr("%1 — display — Vigie"));
    if (!window)
        return;
    // One connection to the display per VM is enough: the pane lets it go.
    m_details->setDisplayShownElsewhere(vm, true);
    auto *view = new VncView(m_sessions, m_inventory, window);
    view->setVm(vm);
    window->layout()->addWidget(view);
    connect(window, &QObject::destroyed, m_details, [details = m_details, vm] { details->setDisplayShownElsewhere(vm, false); });
    QSize size(1024 + 8, 768 + 120);
    if (const QScreen *screen = m_window->screen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    window->resize(size);
    window->show();
}

} // namespace Vigie
