#pragma once

#include "hypervisor/vmaction.h"
#include "inventory/vminfo.h"

#include <QList>
#include <QObject>

#include <functional>

class QAction;
class QWidget;

namespace Vigie {

class Inventory;
class SessionManager;

// Start, shut down, reboot, force off, pause and resume the selected VMs: the actions with
// their shortcuts, enabled by the selected VMs' states, and a confirmation naming the VMs
// before anything that loses guest state.
class LifecycleActions : public QObject
{
    Q_OBJECT

public:
    LifecycleActions(Inventory *inventory, SessionManager *sessions, std::function<QList<VmKey>()> selection,
                     QWidget *window);

    [[nodiscard]] QAction *action(VmAction action) const;
    // In menu order.
    [[nodiscard]] QList<QAction *> actions() const { return m_actions; }
    // Enables each action when a selected VM on a connected host can take it.
    void update();
    void trigger(VmAction action);

private:
    Inventory *m_inventory;
    SessionManager *m_sessions;
    std::function<QList<VmKey>()> m_selection;
    QWidget *m_window;
    QList<QAction *> m_actions; // by VmAction
};

} // namespace Vigie
