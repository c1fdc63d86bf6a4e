#include "addressactions.h"

#include "addressdialog.h"
#include "changepreviewdialog.h"
#include "displaytext.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/portaddressing.h"
#include "network/subneteditor.h"
#include "notificationbar.h"
#include "plaintext.h"
#include "subnetdialog.h"

#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace Vigie {

AddressActions::AddressActions(Inventory *inventory, NetworkController *network, NotificationBar *notifications,
                               std::function<QList<VmKey>()> selection, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_network(network)
    , m_notifications(notifications)
    , m_selection(std::move(selection))
    , m_window(window)
    , m_menu(new QMenu(tr("IP &address"), window))
{
    m_menu->setObjectName(QStringLiteral("addressMenu"));
    m_menu->setToolTipsVisible(true);
    m_menu->menuAction()->setStatusTip(tr("Assigns the IP address of a NIC that the network controller wires."));
    connect(m_menu, &QMenu::aboutToShow, this, &AddressActions::fillMenu);
    connect(network->addressing(), &PortAddressing::finished, this,
            [this](const VmKey &vm, const QString &mac, bool ok, const QString &message) {
        if (!ok)
            m_notifications->notify(NotificationBar::Kind::Error,
                                    tr("Address of %1, NIC %2 not changed").arg(m_inventory->vm(vm).name, mac), message);
    });
    connect(network->subnets(), &SubnetEditor::finished, this, [this](const QString &switchUuid, bool ok, const QString &message) {
        const QString name = m_network->northbound()->logicalSwitch(switchUuid).displayName();
        if (ok)
            m_notifications->notify(NotificationBar::Kind::Information, tr("Addressing of %1 changed").arg(name),
                                    tr("The VMs take the new options at their next DHCP renewal."));
        else
            m_notifications->notify(NotificationBar::Kind::Error, tr("Addressing of %1 not changed").arg(name), message);
    });
}

void AddressActions::fillMenu()
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
    PortAddressing *addressing = m_network->addressing();
    for (const NicInfo &nic : vm.nics) {
        const QStringList now = addressing->addressesOf(key, nic.mac);
        QMenu *target = m_menu;
        if (vm.nics.size() > 1) {
            target = m_menu->addMenu(now.isEmpty() ? tr("NIC %1").arg(nic.mac)
                                                   : tr("NIC %1 (%2)").arg(nic.mac, now.join(QStringLiteral(", "))));
            target->setToolTipsVisible(true);
        }
        const QString refusal = addressing->refusal(key, nic.mac);
        const QString mac = nic.mac;
        QAction *assign = target->addAction(now.isEmpty() ? tr("&Assign an address…") : tr("&Change the address…"), this,
                                            [this, key, mac] { this->assign(key, mac); });
        assign->setEnabled(refusal.isEmpty());
        assign->setToolTip(DisplayText::toolTip(refusal));
        const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(key, nic.mac);
        const bool secured = match && !m_network->northbound()->port(match->portUuid).portSecurity.isEmpty();
        QAction *security = target->addAction(tr("Turn &port security on"), this, [this, key, mac] { enablePortSecurity(key, mac); });
        security->setEnabled(refusal.isEmpty() && !secured && !now.isEmpty());
        security->setToolTip(DisplayText::toolTip(!refusal.isEmpty() ? refusal
                                                  : secured          ? tr("Port security is on.")
                                                  : now.isEmpty()    ? tr("Assign an address first.")
                                                                     : tr("The VM may then send only from its own MAC and address.")));
    }
}

void AddressActions::assign(const VmKey &vm, const QString &mac)
{
    PortAddressing *addressing = m_network->addressing();
    const QString vmName = m_inventory->vm(vm).name;
    const QString refusal = addressing->refusal(vm, mac);
    const SubnetPlan plan = addressing->planFor(vm, mac);
    if (!refusal.isEmpty() || !plan.isValid()) {
        QMessageBox box(QMessageBox::Information, tr("Cannot assign an address"),
                        DisplayText::wrappable(!refusal.isEmpty() ? refusal : addressing->addressRefusal(vm, mac, {})), QMessageBox::Ok,
                        m_window);
        setPlainText(&box);
        box.exec();
        return;
    }
    const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(vm, mac);
    AddressDialog::Nic nic{vmName, mac, match ? match->portName : QString(), match ? match->switchDisplayName : QString(),
                           addressing->addressesOf(vm, mac)};
    AddressDialog dialog(nic, plan, [addressing, vm, mac](const QString &address) { return addressing->addressRefusal(vm, mac, address); },
                         m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    addressing->assign(vm, mac, dialog.address());
}

void AddressActions::enablePortSecurity(const VmKey &vm, const QString &mac)
{
    const QStringList now = m_network->addressing()->addressesOf(vm, mac);
    QMessageBox box(QMessageBox::Question, tr("Port security"),
                    tr("Let NIC %1 of %2 send only from its own MAC and %3?")
                        .arg(mac, DisplayText::name(m_inventory->vm(vm).name), now.join(QStringLiteral(", "))),
                    QMessageBox::Cancel, m_window);
    box.setInformativeText(tr("Traffic the guest sends from any other address is dropped by the controller."));
    QPushButton *apply = box.addButton(tr("&Turn on"), QMessageBox::AcceptRole);
    box.setDefaultButton(apply);
    setPlainText(&box);
    box.exec();
    if (box.clickedButton() == apply)
        m_network->addressing()->enablePortSecurity(vm, mac);
}

void AddressActions::editSubnet(const QString &switchUuid)
{
    SubnetEditor *subnets = m_network->subnets();
    const QString name = m_network->northbound()->logicalSwitch(switchUuid).displayName();
    if (const QString refusal = subnets->refusal(switchUuid); !refusal.isEmpty()) {
        QMessageBox box(QMessageBox::Information, tr("Cannot edit the addressing"), DisplayText::wrappable(refusal), QMessageBox::Ok,
                        m_window);
        setPlainText(&box);
        box.exec();
        return;
    }
    SubnetDialog dialog(name, SubnetSettings::ofSwitch(*m_network->northbound(), switchUuid),
                        [subnets, switchUuid](const SubnetSettings &settings) { return subnets->settingsRefusal(switchUuid, settings); },
                        m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const SubnetSettings settings = dialog.settings();
    ChangePreviewDialog preview(tr("Addressing of %1").arg(DisplayText::singleLine(name)),
                                tr("One transaction writes these rows to the network controller; it fails, changing nothing, "
                                   "if they changed meanwhile."),
                                subnets->describe(switchUuid, settings), tr("&Apply"), m_window);
    if (preview.exec() == QDialog::Accepted)
        subnets->apply(switchUuid, settings);
}

} // namespace Vigie
