#include "vlanmoves.h"

#include "displaytext.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "notificationbar.h"
#include "placement/preflight.h"
#include "plaintext.h"

#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace Vigie {

namespace {

// Where a NIC sits: "VLAN 200 (data)", its controller network, or its libvirt source.
QString nicPlace(const Inventory *inventory, const QString &hostUri, const NicInfo &nic)
{
    QStringList vlans;
    for (int id : inventory->nicVlans(hostUri, nic))
        vlans.append(VlanMoves::tr("VLAN %1 (%2)").arg(id).arg(DisplayText::singleLine(inventory->vlanName(id))));
    QString where = vlans.join(QStringLiteral(", "));
    if (where.isEmpty()) {
        const ControllerNic *port = inventory->controllerNic(nic);
        where = port ? VlanMoves::tr("network %1").arg(DisplayText::singleLine(port->network))
                     : nic.source.isEmpty() ? VlanMoves::tr("no VLAN")
                                            : VlanMoves::tr("%1 %2, no VLAN").arg(nic.sourceType, DisplayText::singleLine(nic.source));
    }
    return where;
}

// "NIC 2 · VLAN 200 (data) · 52:54:00:8d:1a:33": which NIC, where it sits, then its address, so
// that an operator picks a NIC by its network rather than by a MAC address.
QString nicLabel(const Inventory *inventory, const QString &hostUri, const NicInfo &nic, int index)
{
    return VlanMoves::tr("NIC %1 · %2 · %3").arg(index + 1).arg(nicPlace(inventory, hostUri, nic), nic.mac);
}

} // namespace

VlanMoves::VlanMoves(Inventory *inventory, SessionManager *sessions, NetworkController *network, const Preflight *preflight,
                     NotificationBar *notifications, std::function<QList<VmKey>()> selection, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_network(network)
    , m_preflight(preflight)
    , m_notifications(notifications)
    , m_selection(std::move(selection))
    , m_window(window)
    , m_menu(new QMenu(tr("Move to &VLAN"), window))
{
    m_menu->setObjectName(QStringLiteral("vlanMenu"));
    m_menu->setToolTipsVisible(true);
    m_menu->menuAction()->setStatusTip(tr("Moves a NIC of the selected VM into another VLAN."));
    connect(m_menu, &QMenu::aboutToShow, this, &VlanMoves::fillMenu);
    connect(m_network, &NetworkController::nicMoveFinished, this,
            [this](const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message) {
                notifyOutcome(vm, mac, vlanId, ok, message);
            });
}

void VlanMoves::notifyOutcome(const VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message)
{
    if (ok && message.isEmpty())
        return; // the table, the network panel and the log show it
    m_notifications->notify(ok ? NotificationBar::Kind::Information : NotificationBar::Kind::Error,
                            tr("NIC %1 of %2 to VLAN %3").arg(mac, m_inventory->vm(vm).name).arg(vlanId), message);
}

void VlanMoves::fillMenu()
{
    m_menu->clear();
    const QList<VmKey> vms = m_selection();
    if (vms.size() != 1) {
        m_menu->addAction(tr("Select one VM"))->setEnabled(false);
        return;
    }
    const VmKey key = vms.first();
    const VmInfo vm = m_inventory->vm(key);
    if (vm.nics.isEmpty()) {
        m_menu->addAction(tr("%1 has no NIC").arg(DisplayText::singleLine(vm.name)))->setEnabled(false);
        return;
    }
    for (int index = 0; index < vm.nics.size(); ++index) {
        const NicInfo &nic = vm.nics.at(index);
        const QList<int> current = m_inventory->nicVlans(key.hostUri, nic);
        QMenu *target = m_menu;
        if (vm.nics.size() > 1)
            target = m_menu->addMenu(QString(nicLabel(m_inventory, key.hostUri, nic, index)).replace(u'&', QStringLiteral("&&")));
        for (const VlanInfo &vlan : m_inventory->vlans()) {
            QAction *action = target->addAction(tr("VLAN %1 (%2)").arg(vlan.id).arg(DisplayText::singleLine(vlan.name)));
            QString refusal = m_preflight->writeRefusal(key.hostUri); // a read-only connection
            if (!refusal.isEmpty())
                action->setEnabled(false);
            else if (current == QList<int>{vlan.id})
                refusal = tr("The NIC is already in this VLAN.");
            else if (!vlan.hosts.isEmpty() && !vlan.hosts.contains(key.hostUri))
                refusal = tr("VLAN %1 is not available on %2.").arg(vlan.id).arg(m_inventory->host(key.hostUri).displayName);
            action->setEnabled(refusal.isEmpty());
            action->setToolTip(DisplayText::toolTip(refusal));
            const int id = vlan.id;
            const QString mac = nic.mac;
            connect(action, &QAction::triggered, this, [this, key, id, mac] { request(key, id, mac); });
        }
    }
}

void VlanMoves::request(const VmKey &key, int vlanId, const QString &macAddress)
{
    const VmInfo vm = m_inventory->vm(key);
    QString mac = macAddress;
    if (mac.isEmpty() && vm.nics.size() == 1)
        mac = vm.nics.first().mac;
    if (mac.isEmpty()) {
        QStringList choices;
        for (int i = 0; i < vm.nics.size(); ++i)
            choices.append(nicLabel(m_inventory, key.hostUri, vm.nics.at(i), i));
        QInputDialog dialog(m_window);
        dialog.setWindowTitle(tr("Move to VLAN %1").arg(vlanId));
        dialog.setLabelText(tr("Which NIC of %1?").arg(DisplayText::name(vm.name)));
        dialog.setComboBoxItems(choices);
        dialog.setComboBoxEditable(false);
        setPlainText(&dialog); // the label names the VM
        if (dialog.exec() != QDialog::Accepted)
            return;
        const qsizetype chosen = choices.indexOf(dialog.textValue());
        if (chosen < 0)
            return;
        mac = vm.nics.at(chosen).mac;
    }
    const QString vlan = tr("VLAN %1 (%2)").arg(vlanId).arg(DisplayText::name(m_inventory->vlanName(vlanId)));
    // Where it leaves, as well as where it goes.
    QString from;
    for (const NicInfo &nic : vm.nics) {
        if (nic.mac.compare(mac, Qt::CaseInsensitive) == 0)
            from = nicPlace(m_inventory, key.hostUri, nic);
    }
    QMessageBox box(QMessageBox::Question, tr("Move to %1").arg(vlan),
                    from.isEmpty() ? tr("Move the NIC %1 of %2 into %3?").arg(mac, DisplayText::name(vm.name), vlan)
                                   : tr("Move the NIC %1 of %2 from %3 into %4?").arg(mac, DisplayText::name(vm.name), from, vlan),
                    QMessageBox::Cancel, m_window);
    box.setInformativeText(vm.isActive() ? tr("The running VM changes network at once: its connections in the old VLAN "
                                              "are cut.")
                                         : tr("The VM is off: its definition changes."));
    const bool controller = m_network->managesNic(key, mac);
    if (controller) {
        const QString refusal = m_network->moveRefusal(key, mac, vlanId);
        box.setDetailedText(refusal.isEmpty() ? tr("The NIC's port moves in the network controller first, in one "
                                                   "transaction; then libvirt follows. If libvirt fails, the port is "
                                                   "moved back.")
                                              : refusal);
    }
    QPushButton *move = box.addButton(tr("&Move"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    setPlainText(&box);
    box.exec();
    if (box.clickedButton() != move)
        return;
    if (controller)
        m_network->moveNicToVlan(key, mac, vlanId);
    else
        m_sessions->moveNicToVlan(key, mac, vlanId, {this, [this, key, mac, vlanId](bool ok, const QString &message) {
                                      notifyOutcome(key, mac, vlanId, ok, message);
                                  }});
}

} // namespace Vigie
