#pragma once

#include "inventory/vminfo.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QWidget;

namespace Vigie {

class Inventory;
class SessionManager;
class VmDetailsPane;

// A VM's serial console and graphical display, each in a window of its own (one per VM,
// raised when asked again). The details pane lets go of the console or display the window
// takes (libvirt gives a console to one client at a time), and takes it back when the window
// closes. The windows are WINDOW's children: they close with it.
class ConsoleWindows : public QObject
{
    Q_OBJECT

public:
    ConsoleWindows(Inventory *inventory, SessionManager *sessions, VmDetailsPane *details, QWidget *window);

    void openConsole(const VmKey &vm);
    void openDisplay(const VmKey &vm);

private:
    // A new top-level window titled after VM, or the open one raised (null then).
    QWidget *newWindow(QHash<VmKey, QPointer<QWidget>> &open, const VmKey &vm, const QString &titleFormat);

    Inventory *m_inventory;
    SessionManager *m_sessions;
    VmDetailsPane *m_details;
    QWidget *m_window;
    QHash<VmKey, QPointer<QWidget>> m_consoles; // top-level, deleted on close
    QHash<VmKey, QPointer<QWidget>> m_displays; // likewise
};

} // namespace Vigie
