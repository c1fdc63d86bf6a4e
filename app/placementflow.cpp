#include "placementflow.h"

#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "mainwindow.h"
#include "network/networkcontroller.h"
#include "newvmdialog.h"
#include "notificationbar.h"
#include "placement/preflight.h"

namespace Vigie {

PlacementFlow::PlacementFlow(Inventory *inventory, SessionManager *sessions, NetworkController *network,
                             const Preflight *preflight, NotificationBar *notifications, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_network(network)
    , m_preflight(preflight)
    , m_notifications(notifications)
    , m_window(window)
{
    connect(sessions, &SessionManager::vmCreationFinished, this, &PlacementFlow::created);
    connect(inventory, &Inventory::vmAdded, this, [this](const VmKey &key) {
        if (key == m_awaited) {
            m_awaited = {};
            welcome(key);
        }
    }, Qt::QueuedConnection); // after the models have their row
}

void PlacementFlow::request(const VmTemplate &tmpl, const QString &hostUri, int vlanId)
{
    NewVmDialog dialog(m_inventory, tmpl, hostUri, vlanId, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const NewVm vm = dialog.newVm();
    if (const PlacementCheck quota = m_preflight->checkQuota(vm.tenant, tmpl.vcpus, tmpl.memoryMiB, tmpl.diskGiB);
        !quota.allowed) {
        m_notifications->notify(NotificationBar::Kind::Error, MainWindow::tr("%1 not created").arg(vm.name), quota.reason);
        return;
    }
    m_sessions->createVm(hostUri, vm);
}

void PlacementFlow::created(const VmKey &vm, const QString &name, bool ok, const QString &message)
{
    const QString host = m_inventory->host(vm.hostUri).displayName;
    if (ok) {
        m_notifications->notify(NotificationBar::Kind::Information, MainWindow::tr("%1 created on %2").arg(name, host), {});
        // The new VM is welcomed once the inventory has it (now, or with its host's next event).
        if (m_inventory->hasVm(vm))
            welcome(vm);
        else
            m_awaited = vm;
    } else
        m_notifications->notify(NotificationBar::Kind::Error, MainWindow::tr("%1 not created on %2").arg(name, host), message);
}

void PlacementFlow::welcome(const VmKey &vm)
{
    Q_EMIT vmArrived(vm);
    for (const NicInfo &nic : m_inventory->vm(vm).nics) {
        if (m_network->addPortRefusal(vm, nic.mac).isEmpty())
            m_network->addPortForNic(vm, nic.mac);
    }
}

} // namespace Vigie
