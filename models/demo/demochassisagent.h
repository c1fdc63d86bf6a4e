#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Vigie {

class DemoOvsdbServer;
class Inventory;

// Plays ovn-controller on every demo host: when a VM runs (or is paused) on a host, the southbound
// bindings of its NICs' ports (Port_Binding.logical_port = the NIC's interface id) name that
// host's chassis and are up; when it stops or goes, they are released. So starting, stopping or
// migrating a demo VM moves its bindings as a real cloud would, instead of leaving the demo with
// unbound or misbound ports that no real controller would show. Writes through the demo southbound
// server's transactions, so clients hear of it like of any other change.
class DemoChassisAgent : public QObject
{
    Q_OBJECT

public:
    DemoChassisAgent(Inventory *inventory, DemoOvsdbServer *southbound, QObject *parent = nullptr);

    // Brings the bindings in line with the inventory now (a scheduled pass does the same).
    void sync();

private:
    void schedule();

    Inventory *m_inventory;
    QPointer<DemoOvsdbServer> m_southbound;
    QTimer m_timer;
};

} // namespace Vigie
