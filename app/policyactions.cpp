#include "policyactions.h"

#include "allowruledialog.h"
#include "changepreviewdialog.h"
#include "displaytext.h"
#include "inventory/inventory.h"
#include "network/acltext.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnpolicy.h"
#include "network/portisolation.h"
#include "notificationbar.h"
#include "plaintext.h"

#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>

namespace Vigie {

PolicyActions::PolicyActions(Inventory *inventory, NetworkController *network, NotificationBar *notifications,
                             std::function<QList<VmKey>()> selection, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_network(network)
    , m_notifications(notifications)
    , m_selection(std::move(selection))
    , m_window(window)
    , m_menu(new QMenu(tr("Security &policy"), window))
{
    m_menu->setObjectName(QStringLiteral("policyMenu"));
    m_menu->setToolTipsVisible(true);
    m_menu->menuAction()->setStatusTip(tr("The controller's security policy of the VM's NICs: port groups and their rules; tenant isolation."));
    connect(m_menu, &QMenu::aboutToShow, this, &PolicyActions::fillMenu);
    connect(network->isolation(), &PortIsolation::finished, this, [this](const QString &label, bool ok, const QString &message) {
        if (ok)
            m_notifications->notify(NotificationBar::Kind::Information, tr("Isolation of %1 changed").arg(label), QString());
        else
            m_notifications->notify(NotificationBar::Kind::Error, tr("Isolation of %1 not changed").arg(label), message);
    });
}

QStringList PolicyActions::policyOf(const VmKey &key) const
{
    const OvnPolicy *policy = m_network->policy();
    QStringList lines;
    for (const NicInfo &nic : m_inventory->vm(key).nics) {
        const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(key, nic.mac);
        if (!match) {
            lines.append(tr("NIC %1: wired by libvirt; the controller applies no policy to it.").arg(nic.mac));
            continue;
        }
        const QList<OvnPortGroup> groups = policy->groupsOfPort(match->portUuid);
        const QList<OvnAcl> switchAcls = policy->aclsOfSwitch(match->switchUuid);
        lines.append(tr("NIC %1 · port %2 · switch %3").arg(nic.mac, match->portName, match->switchDisplayName));
        if (groups.isEmpty() && switchAcls.isEmpty())
            lines.append(tr("  no rule: all traffic passes"));
        for (const OvnPortGroup &group : groups) {
            const QString owner = group.owner() != OvnOwner::None ? ovnOwnerName(group.owner()) : QString();
            lines.append(owner.isEmpty() ? tr("  group %1").arg(group.displayName()) : tr("  group %1 (%2)").arg(group.displayName(), owner));
            for (const OvnAcl &acl : policy->aclsOfGroup(group.uuid))
                lines.append(QStringLiteral("    %1  [%2]").arg(AclText::describe(acl, policy)).arg(acl.priority));
        }
        if (!switchAcls.isEmpty())
            lines.append(tr("  rules of switch %1").arg(match->switchDisplayName));
        for (const OvnAcl &acl : switchAcls)
            lines.append(QStringLiteral("    %1  [%2]").arg(AclText::describe(acl, policy)).arg(acl.priority));
    }
    return lines;
}

void PolicyActions::fillMenu()
{
    m_menu->clear();
    const QList<VmKey> vms = m_selection();
    const PortIsolation *isolation = m_network->isolation();
    if (vms.isEmpty()) {
        m_menu->addAction(tr("Select a VM"))->setEnabled(false);
        return;
    }
    QAction *show = m_menu->addAction(tr("&Show the policy of %1…").arg(DisplayText::singleLine(m_inventory->vm(vms.first()).name)), this,
                                      [this, vm = vms.first()] { showPolicy(vm); });
    show->setEnabled(m_network->isSynced());
    show->setToolTip(m_network->isSynced() ? QString() : tr("The network controller is not connected."));
    m_menu->addSeparator();

    QStringList tenants;
    for (const VmKey &key : vms) {
        const QString tenant = m_inventory->vm(key).tenant;
        if (!tenants.contains(tenant))
            tenants.append(tenant);
    }
    const QString tenant = tenants.size() == 1 ? tenants.first() : QString();
    QAction *tenantAction = m_menu->addAction(tenant.isEmpty() ? tr("Isolate the &tenant…") : tr("Isolate the &tenant %1…").arg(DisplayText::singleLine(tenant)),
                                              this, [this, tenant] {
                                                  QList<VmKey> members;
                                                  for (const VmKey &key : m_inventory->vmKeys()) {
                                                      if (m_inventory->vm(key).tenant == tenant)
                                                          members.append(key);
                                                  }
                                                  isolate(tenant, tenant, members);
                                              });
    QString tenantRefusal;
    if (tenants.size() > 1)
        tenantRefusal = tr("The selected VMs belong to several tenants.");
    else if (tenant.isEmpty())
        tenantRefusal = tr("The VM has no tenant.");
    else if (!m_network->policy()->isolationOfTenant(tenant).uuid.isEmpty())
        tenantRefusal = tr("%1 is isolated already.").arg(tenant);
    else if (!m_network->isSynced())
        tenantRefusal = tr("The network controller is not connected.");
    tenantAction->setEnabled(tenantRefusal.isEmpty());
    tenantAction->setToolTip(tenantRefusal.isEmpty()
                                 ? tr("Only the tenant's VMs may talk to each other (and to their gateways); the rest is dropped. "
                                      "VMs of the tenant placed later join.")
                                 : DisplayText::toolTip(tenantRefusal));
    QAction *selection = m_menu->addAction(tr("Isolate the &selected VMs…"), this, &PolicyActions::isolateSelection);
    selection->setEnabled(m_network->isSynced());
    selection->setToolTip(tr("Only these VMs may talk to each other (and to their gateways); the rest is dropped."));

    // Rules into an isolated VM's NICs.
    if (vms.size() == 1) {
        const VmInfo vm = m_inventory->vm(vms.first());
        for (const NicInfo &nic : vm.nics) {
            const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(vms.first(), nic.mac);
            if (!match || isolation->isolationOfPort(match->portUuid).uuid.isEmpty())
                continue;
            QAction *allow = m_menu->addAction(vm.nics.size() > 1 ? tr("&Allow into NIC %1…").arg(nic.mac) : tr("&Allow into %1…").arg(DisplayText::singleLine(vm.name)),
                                               this, [this, key = vms.first(), mac = nic.mac] { allowInto(key, mac); });
            allow->setToolTip(tr("A port and protocol from a source (any, a subnet, an address set) reach the VM despite its isolation."));
            // The rules added so far into this NIC (and the operator's own rules of its group).
            const OvnPortGroup group = isolation->isolationOfPort(match->portUuid);
            for (const OvnAcl &acl : m_network->policy()->aclsOfGroup(group.uuid)) {
                if (!isolation->removeRuleRefusal(group, acl).isEmpty())
                    continue;
                const QString vigiePort = acl.externalIds.value(QStringLiteral("vigie:port"));
                if (!vigiePort.isEmpty() && vigiePort != match->portName)
                    continue; // a rule into another member
                QAction *remove = m_menu->addAction(tr("Remove the rule “%1”…").arg(DisplayText::singleLine(AclText::describe(acl, m_network->policy()))),
                                                    this, [this, groupUuid = group.uuid, aclUuid = acl.uuid] { removeRule(groupUuid, aclUuid); });
                remove->setToolTip(DisplayText::toolTip(vigiePort.isEmpty() ? tr("A rule of the isolation %1 that applies to all its members.").arg(group.isolationLabel())
                                                                           : tr("The rule added into this NIC.")));
            }
        }
    }

    // The isolations the selection is in.
    QStringList seen;
    for (const VmKey &key : vms) {
        for (const NicInfo &nic : m_inventory->vm(key).nics) {
            const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(key, nic.mac);
            if (!match)
                continue;
            for (const OvnPortGroup &group : m_network->policy()->groupsOfPort(match->portUuid)) {
                if (seen.contains(group.uuid) || group.isolationLabel().isEmpty())
                    continue;
                seen.append(group.uuid);
                QAction *remove = m_menu->addAction(tr("&Remove the isolation of %1…").arg(DisplayText::singleLine(group.isolationLabel())), this,
                                                    [this, uuid = group.uuid] { removeIsolation(uuid); });
                const QString refusal = isolation->removeRefusal(group);
                remove->setEnabled(refusal.isEmpty());
                remove->setToolTip(DisplayText::toolTip(refusal));
            }
        }
    }
}

void PolicyActions::showPolicy(const VmKey &vm)
{
    ChangePreviewDialog dialog(tr("Security policy of %1").arg(DisplayText::singleLine(m_inventory->vm(vm).name)),
                               tr("The controller's rules that apply to each NIC, highest priority first: the first rule that "
                                  "matches a packet decides."),
                               policyOf(vm), QString(), m_window);
    dialog.exec();
}

void PolicyActions::isolateSelection()
{
    bool ok = false;
    QInputDialog input(m_window);
    input.setWindowTitle(tr("Isolate the selected VMs"));
    input.setLabelText(tr("Name of the isolated group (letters, digits, dashes):"));
    input.setTextValue(QStringLiteral("group-1"));
    setPlainText(&input);
    ok = input.exec() == QDialog::Accepted;
    const QString label = input.textValue().trimmed();
    if (ok && !label.isEmpty())
        isolate(label, QString(), m_selection());
}

void PolicyActions::isolate(const QString &label, const QString &tenant, const QList<VmKey> &vms)
{
    PortIsolation *isolation = m_network->isolation();
    const IsolationPlan plan = isolation->plan(label, tenant, vms);
    if (const QString refusal = isolation->refusal(plan); !refusal.isEmpty()) {
        QMessageBox box(QMessageBox::Information, tr("Cannot isolate %1").arg(label), DisplayText::wrappable(refusal), QMessageBox::Ok, m_window);
        setPlainText(&box);
        box.exec();
        return;
    }
    ChangePreviewDialog dialog(tr("Isolate %1").arg(DisplayText::singleLine(label)),
                               tr("One transaction writes these rows to the network controller. The rules follow the ports: "
                                  "they hold wherever the VMs run, during and after a migration."),
                               PortIsolation::describe(plan), tr("&Isolate"), m_window);
    if (dialog.exec() == QDialog::Accepted)
        isolation->isolate(plan);
}

void PolicyActions::allowInto(const VmKey &vm, const QString &mac)
{
    PortIsolation *isolation = m_network->isolation();
    const std::optional<NicPortMatch> match = m_network->correlation()->matchOf(vm, mac);
    if (!match)
        return;
    const QString portUuid = match->portUuid;
    QStringList sources;
    if (const QString subnet = m_network->northbound()->subnetOf(match->switchUuid); !subnet.isEmpty())
        sources.append(subnet);
    for (const OvnAddressSet &set : m_network->policy()->addressSets())
        sources.append(u'$' + set.name);
    AllowRuleDialog dialog(m_inventory->vm(vm).name, sources,
                           [isolation, portUuid](const QString &protocol, int port, const QString &source) {
                               return isolation->allowRefusal(portUuid, AllowRule{protocol, port, source});
                           },
                           m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AllowRule rule{dialog.protocol(), dialog.port(), dialog.source()};
    const OvnPortGroup group = isolation->isolationOfPort(portUuid);
    const OvnAcl acl = PortIsolation::allowAcl(group, m_network->northbound()->port(portUuid), rule);
    ChangePreviewDialog preview(tr("Allow into %1").arg(DisplayText::singleLine(m_inventory->vm(vm).name)),
                                tr("One transaction adds this rule to the isolation group %1.").arg(group.name),
                                {tr("+ ACL %1 · priority %2 · %3 · %4").arg(AclText::describe(acl)).arg(acl.priority).arg(acl.action, acl.match)},
                                tr("&Allow"), m_window);
    if (preview.exec() == QDialog::Accepted)
        isolation->allow(portUuid, rule);
}

void PolicyActions::removeIsolation(const QString &groupUuid)
{
    PortIsolation *isolation = m_network->isolation();
    const OvnPortGroup group = m_network->policy()->portGroup(groupUuid);
    if (const QString refusal = isolation->removeRefusal(group); !refusal.isEmpty()) {
        QMessageBox box(QMessageBox::Information, tr("Cannot remove the isolation"), DisplayText::wrappable(refusal), QMessageBox::Ok, m_window);
        setPlainText(&box);
        box.exec();
        return;
    }
    ChangePreviewDialog dialog(tr("Remove the isolation of %1").arg(DisplayText::singleLine(group.isolationLabel())),
                               tr("One transaction deletes the group; its rules go with it and its VMs are no longer isolated."),
                               isolation->describeRemoval(group), tr("&Remove"), m_window);
    if (dialog.exec() == QDialog::Accepted)
        isolation->remove(group);
}

void PolicyActions::removeRule(const QString &groupUuid, const QString &aclUuid)
{
    PortIsolation *isolation = m_network->isolation();
    const OvnPortGroup group = m_network->policy()->portGroup(groupUuid);
    const OvnAcl acl = m_network->policy()->acls().value(aclUuid);
    if (const QString refusal = isolation->removeRuleRefusal(group, acl); !refusal.isEmpty()) {
        QMessageBox box(QMessageBox::Information, tr("Cannot remove the rule"), DisplayText::wrappable(refusal), QMessageBox::Ok, m_window);
        setPlainText(&box);
        box.exec();
        return;
    }
    ChangePreviewDialog dialog(tr("Remove a rule of %1").arg(DisplayText::singleLine(group.isolationLabel())),
                               tr("One transaction takes this rule out of the isolation group %1; the isolation stays.").arg(group.name),
                               isolation->describeRuleRemoval(acl), tr("&Remove"), m_window);
    dialog.setObjectName(QStringLiteral("removeRuleDialog"));
    if (dialog.exec() == QDialog::Accepted)
        isolation->removeRule(group, acl);
}

} // namespace Vigie
