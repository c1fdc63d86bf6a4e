#pragma once

#include <QObject>
#include <QTimer>

class QLabel;
class QWidget;

namespace Vigie {

class Inventory;
class TenantScope;

// The status bar's count of the fleet: hosts by connection state (and whether it is the demo),
// VMs and how many run, within the tenant shown. Counted once per event-loop pass after the
// inventory changed, not once per VM of a snapshot.
class FleetStatus : public QObject
{
    Q_OBJECT

public:
    FleetStatus(const Inventory *inventory, const TenantScope *tenantScope, QWidget *window);

    [[nodiscard]] QLabel *hostsLabel() const { return m_hosts; }
    [[nodiscard]] QLabel *vmsLabel() const { return m_vms; }
    // The VMs of the tenant shown (all of them with no tenant), as last counted.
    [[nodiscard]] int vmCount() const { return m_vmCount; }
    // Counts again in the next pass.
    void schedule() { m_timer.start(); }

Q_SIGNALS:
    // Counted again, after a change of the inventory (the window's actions follow it too).
    void updated();

private:
    void update();

    const Inventory *m_inventory;
    const TenantScope *m_tenantScope;
    QLabel *m_hosts;
    QLabel *m_vms;
    QTimer m_timer;
    int m_vmCount = 0;
};

} // namespace Vigie
