#include "networkpanel.h"

#include "decoratingproxymodel.h"
#include "displaytext.h"
#include "itemmodels/addressmodel.h"
#include "itemmodels/logicalswitchmodel.h"
#include "itemmodels/networkmismatchmodel.h"
#include "itemmodels/policymodel.h"
#include "network/networkcontroller.h"
#include "network/isolationaudit.h"
#include "network/networkcorrelation.h"
#include "network/ovnpolicy.h"
#include "network/ovnnorthbound.h"
#include "network/portaddressing.h"
#include "network/portisolation.h"
#include "network/subneteditor.h"
#include "plaintext.h"
#include "vlandialog.h"

#include <QAbstractProxyModel>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

NetworkPanel::NetworkPanel(NetworkController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_switchModel(new LogicalSwitchModel(controller->northbound(), controller->correlation(), this))
    , m_mismatchModel(new NetworkMismatchModel(controller->correlation(), this))
    , m_policyModel(new PolicyModel(controller, this))
    , m_addressModel(new AddressModel(controller, this))
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_state(new QLabel(this))
    , m_mismatchTitle(new QLabel(this))
    , m_switches(new QTreeView(this))
    , m_mismatches(new QTableView(this))
    , m_policy(new QTreeView(this))
    , m_addressSwitch(new QComboBox(this))
    , m_addressSummary(new QLabel(this))
    , m_addresses(new QTableView(this))
    , m_editSubnet(new QPushButton(tr("Edit su&bnet…"), this))
    , m_create(new QPushButton(tr("&New VLAN…"), this))
    , m_delete(new QPushButton(tr("&Delete VLAN…"), this))
{
    m_mismatchModel->watch(controller->isolationAudit());
    setObjectName(QStringLiteral("networkPanel"));
    m_placeholder->setObjectName(QStringLiteral("networkPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setText(tr("No network controller.\nConnect to an OVN controller's databases, or start Vigie with "
                              "--controller tcp:HOST:6641 or with --lab."));

    m_switches->setObjectName(QStringLiteral("switchView"));
    // Switch and port names, external_ids and tenants come from the controller: shown as text, bounded.
    auto *switchText = new DecoratingProxyModel(this);
    switchText->setSourceModel(m_switchModel);
    m_switches->setModel(switchText);
    m_switches->setUniformRowHeights(true);
    m_switches->setAlternatingRowColors(true);
    m_switches->header()->setStretchLastSection(true);
    // Port names are interface ids (UUIDs): the name column gets the room, the rest is short.
    m_switches->header()->resizeSection(LogicalSwitchModel::NameColumn, m_switches->fontMetrics().horizontalAdvance(
                                                                             QStringLiteral("5a1ab001-0001-4000-8000-000000000000"))
                                                                             + 50);
    m_switches->header()->resizeSection(LogicalSwitchModel::VmColumn, 110);
    m_switches->header()->resizeSection(LogicalSwitchModel::VlanColumn, 55);
    m_switches->header()->resizeSection(LogicalSwitchModel::TenantColumn, 70);
    m_switches->header()->resizeSection(LogicalSwitchModel::StatusColumn, 80);
    m_switches->header()->resizeSection(LogicalSwitchModel::ChassisColumn, 90);
    // VLANs open as they appear, so their ports are visible at once.
    connect(switchText, &QAbstractItemModel::rowsInserted, m_switches, [this, switchText](const QModelIndex &where, int first, int last) {
        if (where.isValid())
            return;
        for (int row = first; row <= last; ++row)
            m_switches->expand(switchText->index(row, 0));
    });
    for (int row = 0; row < switchText->rowCount(); ++row)
        m_switches->expand(switchText->index(row, 0));

    // The security policy: port groups and switches with their rules in words.
    m_policy->setObjectName(QStringLiteral("policyView"));
    auto *policyText = new DecoratingProxyModel(this);
    policyText->setSourceModel(m_policyModel);
    m_policy->setModel(policyText);
    m_policy->setAlternatingRowColors(true);
    m_policy->setUniformRowHeights(true);
    m_policy->header()->setStretchLastSection(true);
    m_policy->header()->resizeSection(PolicyModel::NameColumn, m_policy->fontMetrics().horizontalAdvance(
                                                                   QStringLiteral("in: allow tcp 443 from 10.10.0.0/24 xxxx")));
    m_policy->header()->resizeSection(PolicyModel::OwnerColumn, 110);
    m_policy->header()->resizeSection(PolicyModel::CountColumn, 70);
    // The rules are what the view is for: the groups open as the policy is (re)read.
    connect(policyText, &QAbstractItemModel::modelReset, m_policy, &QTreeView::expandAll);
    m_policy->expandAll();
    m_policy->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_policy, &QWidget::customContextMenuRequested, this, &NetworkPanel::policyMenu);

    // The addresses of one VLAN: used (by whom), free ranges, gateway, exclusions.
    m_addressSwitch->setObjectName(QStringLiteral("addressSwitchBox"));
    m_addressSwitch->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_addressSwitch->setToolTip(tr("The VLAN (logical switch) whose addresses are listed"));
    m_addressSummary->setObjectName(QStringLiteral("addressSummary"));
    makePlainWrappingLabel(m_addressSummary); // subnets and exclusions come from the controller
    m_addresses->setObjectName(QStringLiteral("addressView"));
    auto *addressText = new DecoratingProxyModel(this);
    addressText->setSourceModel(m_addressModel);
    m_addresses->setModel(addressText);
    m_addresses->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_addresses->setSelectionMode(QAbstractItemView::SingleSelection);
    m_addresses->setAlternatingRowColors(true);
    m_addresses->setWordWrap(false);
    m_addresses->verticalHeader()->hide();
    m_addresses->verticalHeader()->setDefaultSectionSize(m_addresses->fontMetrics().height() + 6);
    m_addresses->horizontalHeader()->setStretchLastSection(true);
    m_addresses->horizontalHeader()->resizeSection(AddressModel::AddressColumn,
                                                   m_addresses->fontMetrics().horizontalAdvance(QStringLiteral("10.150.100.100–10.150.100.254")) + 16);
    m_addresses->horizontalHeader()->resizeSection(AddressModel::StatusColumn, 90);
    m_addresses->horizontalHeader()->resizeSection(AddressModel::VmColumn, 130);
    m_addresses->horizontalHeader()->resizeSection(AddressModel::NicColumn,
                                                   m_addresses->fontMetrics().horizontalAdvance(QStringLiteral("52:54:00:00:00:00")) + 16);
    m_addresses->horizontalHeader()->resizeSection(AddressModel::PortColumn, 120);
    m_addresses->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_addresses, &QWidget::customContextMenuRequested, this, &NetworkPanel::addressMenu);
    connect(m_addressModel, &AddressModel::summaryChanged, m_addressSummary, [this](const QString &summary) {
        m_addressSummary->setText(DisplayText::wrappable(summary));
    });
    connect(m_addressSwitch, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_addressModel->setSwitch(index < 0 ? QString() : m_addressSwitch->itemData(index).toString());
        updateSubnetButton();
    });
    m_editSubnet->setObjectName(QStringLiteral("editSubnetButton"));
    connect(m_editSubnet, &QPushButton::clicked, this, [this] {
        if (const QString uuid = m_addressSwitch->currentData().toString(); !uuid.isEmpty())
            Q_EMIT subnetEditRequested(uuid);
    });
    connect(controller->northbound(), &OvnNorthbound::changesApplied, this, &NetworkPanel::updateAddressSwitches);
    auto *addressPage = new QWidget(this);
    auto *addressLayout = new QVBoxLayout(addressPage);
    addressLayout->setContentsMargins(0, 4, 0, 0);
    auto *addressBar = new QHBoxLayout;
    auto *addressLabel = new QLabel(tr("&VLAN:"), addressPage);
    addressLabel->setBuddy(m_addressSwitch);
    addressBar->addWidget(addressLabel);
    addressBar->addWidget(m_addressSwitch);
    addressBar->addStretch(1);
    addressBar->addWidget(m_editSubnet);
    addressLayout->addLayout(addressBar);
    addressLayout->addWidget(m_addressSummary);
    addressLayout->addWidget(m_addresses, 1);

    m_mismatches->setObjectName(QStringLiteral("mismatchView"));
    auto *mismatchText = new DecoratingProxyModel(this);
    mismatchText->setSourceModel(m_mismatchModel);
    m_mismatches->setModel(mismatchText);
    m_mismatches->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_mismatches->setSelectionMode(QAbstractItemView::SingleSelection);
    m_mismatches->verticalHeader()->hide();
    m_mismatches->horizontalHeader()->setStretchLastSection(true);
    m_mismatches->horizontalHeader()->resizeSection(NetworkMismatchModel::KindColumn, 130);
    // The details sentence names the VM, NIC, port and switch: the narrow dock shows it whole.
    for (int column : {int(NetworkMismatchModel::VmColumn), int(NetworkMismatchModel::NicColumn), int(NetworkMismatchModel::SwitchColumn)})
        m_mismatches->setColumnHidden(column, true);
    m_mismatches->setWordWrap(true);
    m_mismatches->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_mismatches->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_mismatches, &QWidget::customContextMenuRequested, this, &NetworkPanel::mismatchMenu);

    m_create->setObjectName(QStringLiteral("createVlanButton"));
    m_delete->setObjectName(QStringLiteral("deleteVlanButton"));
    connect(m_create, &QPushButton::clicked, this, &NetworkPanel::createVlan);
    connect(m_delete, &QPushButton::clicked, this, &NetworkPanel::deleteSelectedVlan);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    // The state can quote the controller's or the socket's error message.
    makePlainWrappingLabel(m_state);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_state);
    auto *bar = new QHBoxLayout;
    bar->addStretch(1);
    bar->addWidget(m_create);
    bar->addWidget(m_delete);
    layout->addLayout(bar);
    auto *splitter = new QSplitter(Qt::Vertical, content);
    auto *views = new QTabWidget(splitter);
    views->setObjectName(QStringLiteral("networkViews"));
    views->setDocumentMode(true);
    views->addTab(m_switches, tr("&Switches"));
    views->addTab(m_policy, tr("&Policy"));
    views->setTabToolTip(1, tr("Port groups and ACLs: the rules the controller applies to the VMs' traffic, in words."));
    views->addTab(addressPage, tr("&Addresses"));
    views->setTabToolTip(2, tr("A VLAN's subnet and every address: used (by which VM and NIC), free ranges, gateway, excluded."));
    splitter->addWidget(views);
    auto *lower = new QWidget(splitter);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_mismatchTitle);
    lowerLayout->addWidget(m_mismatches);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    auto *empty = new QWidget(this);
    empty->setObjectName(QStringLiteral("networkPlaceholderPage"));
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_placeholder);
    auto *connectButton = new QPushButton(tr("Connect to network &controller…"), empty);
    connectButton->setObjectName(QStringLiteral("connectControllerButton"));
    connect(connectButton, &QPushButton::clicked, this, &NetworkPanel::connectRequested);
    emptyLayout->addWidget(connectButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(1);
    m_stack->addWidget(empty);
    m_stack->addWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    connect(controller, &NetworkController::stateChanged, this, &NetworkPanel::updateState);
    connect(controller->northbound(), &OvnNorthbound::changesApplied, this, &NetworkPanel::updateState);
    connect(m_mismatchModel, &QAbstractItemModel::rowsInserted, this, &NetworkPanel::updateState);
    connect(m_mismatchModel, &QAbstractItemModel::rowsRemoved, this, &NetworkPanel::updateState);
    connect(m_switches->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NetworkPanel::updateState);
    // The VLAN chosen in the Switches view is the one the Addresses view shows.
    connect(m_switches->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (const QString uuid = selectedSwitch(); !uuid.isEmpty())
            showAddressesOf(uuid);
    });
    updateState();
    updateAddressSwitches();
}

QString NetworkPanel::selectedSwitch() const
{
    const QModelIndex current = m_switches->currentIndex();
    return current.isValid() ? current.data(LogicalSwitchModel::SwitchUuidRole).toString() : QString();
}

void NetworkPanel::updateState()
{
    m_stack->setCurrentIndex(m_controller->isConfigured() ? 1 : 0);
    QString text = m_controller->stateText();
    if (m_controller->isSynced()) {
        text += QStringLiteral(" · ") + tr("%n switch(es)", nullptr, int(m_controller->northbound()->switchCount()))
                + QStringLiteral(" · ") + tr("%n port(s)", nullptr, int(m_controller->northbound()->portCount()));
    }
    m_state->setText(DisplayText::wrappable(text));
    m_state->setToolTip(DisplayText::toolTip(m_controller->stateDetails()));
    const int mismatches = m_mismatchModel->rowCount();
    m_mismatchTitle->setText(mismatches == 0 ? tr("Controller and libvirt agree.")
                                             : tr("⚠ %n mismatch(es) between the controller and libvirt:", nullptr, mismatches));
    m_create->setEnabled(m_controller->isSynced());
    const QString selected = selectedSwitch();
    m_delete->setEnabled(m_controller->isSynced() && !selected.isEmpty());
    m_delete->setToolTip(DisplayText::toolTip(selected.isEmpty() ? tr("Select a VLAN first") : m_controller->deleteVlanRefusal(selected)));
    updateSubnetButton();
}

void NetworkPanel::createVlan()
{
    VlanDialog dialog(m_controller, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_controller->createVlan(dialog.name(), dialog.vlanId(), dialog.tenant(), dialog.networkName());
}

void NetworkPanel::deleteSelectedVlan()
{
    const QString uuid = selectedSwitch();
    if (uuid.isEmpty())
        return;
    const OvnLogicalSwitch s = m_controller->northbound()->logicalSwitch(uuid);
    if (const QString refusal = m_controller->deleteVlanRefusal(uuid); !refusal.isEmpty()) {
        QMessageBox refused(QMessageBox::Information, tr("Cannot delete %1").arg(DisplayText::singleLine(s.name)),
                            DisplayText::wrappable(refusal), QMessageBox::Ok, this);
        setPlainText(&refused);
        refused.exec();
        return;
    }
    const QString name = DisplayText::name(s.name);
    QMessageBox box(QMessageBox::Warning, tr("Delete VLAN"),
                    s.isVlan() ? tr("Delete VLAN %1 (%2) from the network controller?").arg(s.vlanId).arg(name)
                               : tr("Delete the logical switch %1 from the network controller?").arg(name),
                    QMessageBox::Cancel, this);
    box.setInformativeText(tr("It has no VM port. Its localnet port goes with it."));
    setPlainText(&box);
    QPushButton *confirm = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == confirm)
        m_controller->deleteVlan(uuid);
}

void NetworkPanel::mismatchMenu(const QPoint &position)
{
    const QModelIndex index = m_mismatches->indexAt(position);
    if (!index.isValid())
        return;
    const NetworkMismatch mismatch = m_mismatchModel->mismatch(index.row());
    QMenu menu(this);
    if (mismatch.kind == NetworkMismatch::Kind::VlanDiffers) {
        menu.addAction(tr("Put the NIC in VLAN %1 in libvirt (the controller's)").arg(mismatch.controllerVlan), this,
                       [this, mismatch] { m_controller->alignLibvirtWithController(mismatch); });
        QAction *controllerSide = menu.addAction(
            tr("Move the port to VLAN %1 in the controller (libvirt's)").arg(mismatch.libvirtVlan), this,
            [this, mismatch] { m_controller->alignControllerWithLibvirt(mismatch); });
        controllerSide->setEnabled(mismatch.libvirtVlan > 0 && !m_controller->switchForVlan(mismatch.libvirtVlan).uuid.isEmpty());
    } else if (mismatch.kind == NetworkMismatch::Kind::NicWithoutPort) {
        const QString refusal = m_controller->addPortRefusal(mismatch.vm, mismatch.mac);
        QAction *add = menu.addAction(tr("Create its port in the controller"), this,
                                      [this, mismatch] { m_controller->addPortForNic(mismatch.vm, mismatch.mac); });
        add->setEnabled(refusal.isEmpty());
        add->setToolTip(DisplayText::toolTip(refusal));
        menu.setToolTipsVisible(true);
    } else if (mismatch.kind == NetworkMismatch::Kind::DuplicateAddress || mismatch.kind == NetworkMismatch::Kind::AddressOutsideSubnet) {
        const QString refusal = mismatch.vm.uuid.isEmpty() ? tr("The port is no VM's NIC.") : m_controller->addressing()->refusal(mismatch.vm, mismatch.mac);
        QAction *assign = menu.addAction(tr("Give the NIC another address…"), this,
                                         [this, mismatch] { Q_EMIT addressRequested(mismatch.vm, mismatch.mac); });
        assign->setEnabled(refusal.isEmpty());
        assign->setToolTip(DisplayText::toolTip(refusal));
        menu.setToolTipsVisible(true);
    } else if (mismatch.kind == NetworkMismatch::Kind::OutsideIsolation) {
        const OvnPortGroup group = m_controller->policy()->portGroup(mismatch.groupUuid);
        const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(mismatch.vm, mismatch.mac);
        const QString port = match ? match->portUuid : QString();
        const QString refusal = match ? m_controller->isolation()->joinRefusal(port, group) : tr("The NIC has no port any more.");
        QAction *join = menu.addAction(tr("Put the port into %1").arg(mismatch.group), this,
                                       [this, port, group] { m_controller->isolation()->join(port, group); });
        join->setEnabled(refusal.isEmpty());
        join->setToolTip(DisplayText::toolTip(refusal));
        menu.setToolTipsVisible(true);
    } else if (mismatch.kind == NetworkMismatch::Kind::NoPortSecurity) {
        const QString refusal = m_controller->addressing()->refusal(mismatch.vm, mismatch.mac);
        QAction *secure = menu.addAction(tr("Turn port security on…"), this,
                                         [this, mismatch] { Q_EMIT portSecurityRequested(mismatch.vm, mismatch.mac); });
        secure->setEnabled(refusal.isEmpty());
        secure->setToolTip(DisplayText::toolTip(refusal));
        menu.setToolTipsVisible(true);
    } else {
        menu.addAction(DisplayText::singleLine(NetworkCorrelation::describe(mismatch)))->setEnabled(false);
    }
    menu.exec(m_mismatches->viewport()->mapToGlobal(position));
}

void NetworkPanel::policyMenu(const QPoint &position)
{
    const auto *proxy = static_cast<const QAbstractProxyModel *>(m_policy->model());
    const QModelIndex index = proxy->mapToSource(m_policy->indexAt(position));
    if (const OvnAcl acl = m_policyModel->aclAt(index.siblingAtColumn(0)); !acl.uuid.isEmpty()) {
        const OvnPortGroup group = m_policyModel->groupOfRule(index.siblingAtColumn(0));
        QMenu menu(this);
        menu.setToolTipsVisible(true);
        QAction *remove = menu.addAction(tr("Remove this &rule…"), this, [this, group, acl] { Q_EMIT removeRuleRequested(group.uuid, acl.uuid); });
        const QString refusal = group.uuid.isEmpty() ? tr("This rule is a switch's, not an isolation's: change it where it was made.")
                                                     : m_controller->isolation()->removeRuleRefusal(group, acl);
        remove->setEnabled(refusal.isEmpty());
        remove->setToolTip(DisplayText::toolTip(refusal));
        menu.exec(m_policy->viewport()->mapToGlobal(position));
        return;
    }
    const OvnPortGroup group = m_policyModel->groupAt(index.siblingAtColumn(0));
    if (group.uuid.isEmpty())
        return;
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    QAction *remove = menu.addAction(tr("&Remove this isolation…"), this, [this, uuid = group.uuid] { Q_EMIT removeIsolationRequested(uuid); });
    const QString refusal = m_controller->isolation()->removeRefusal(group);
    remove->setEnabled(refusal.isEmpty());
    remove->setToolTip(DisplayText::toolTip(refusal));
    menu.exec(m_policy->viewport()->mapToGlobal(position));
}

void NetworkPanel::updateSubnetButton()
{
    const QString uuid = m_addressSwitch->currentData().toString();
    const QString refusal = uuid.isEmpty() ? tr("Choose a VLAN first") : m_controller->subnets()->refusal(uuid);
    m_editSubnet->setEnabled(refusal.isEmpty());
    m_editSubnet->setToolTip(DisplayText::toolTip(refusal.isEmpty() ? tr("The VLAN's subnet, excluded addresses, gateway, DNS servers and DHCP lease")
                                                                    : refusal));
}

void NetworkPanel::updateAddressSwitches()
{
    QList<OvnLogicalSwitch> switches = m_controller->northbound()->switches();
    // VLANs by id, then the overlay switches by name: as the Switches view orders them.
    std::sort(switches.begin(), switches.end(), [](const OvnLogicalSwitch &a, const OvnLogicalSwitch &b) {
        if (a.isVlan() != b.isVlan())
            return a.isVlan();
        if (a.vlanId != b.vlanId)
            return a.vlanId < b.vlanId;
        return a.displayName() < b.displayName();
    });
    QStringList uuids, labels;
    for (const OvnLogicalSwitch &s : std::as_const(switches)) {
        uuids.append(s.uuid);
        const QString name = DisplayText::singleLine(s.displayName()).left(64);
        labels.append(s.isVlan() ? tr("VLAN %1 · %2").arg(s.vlanId).arg(name) : name);
    }
    bool same = uuids.size() == m_addressSwitch->count();
    for (int i = 0; same && i < m_addressSwitch->count(); ++i)
        same = m_addressSwitch->itemData(i).toString() == uuids.at(i) && m_addressSwitch->itemText(i) == labels.at(i);
    if (same) {
        updateSubnetButton(); // the switch's rows may have changed (its owner, say)
        return;
    }
    const QString current = m_addressSwitch->currentData().toString();
    {
        const QSignalBlocker blocker(m_addressSwitch);
        m_addressSwitch->clear();
        for (qsizetype i = 0; i < uuids.size(); ++i)
            m_addressSwitch->addItem(labels.at(i), uuids.at(i));
    }
    int index = m_addressSwitch->findData(current);
    // None chosen yet: the first VLAN with a subnet to show.
    for (qsizetype i = 0; index < 0 && i < switches.size(); ++i) {
        if (!m_controller->northbound()->subnetOf(switches.at(i).uuid).isEmpty())
            index = int(i);
    }
    if (index < 0 && !uuids.isEmpty())
        index = 0;
    // Filled with its signals blocked, the box may already stand at INDEX: no signal follows.
    m_addressSwitch->setCurrentIndex(index);
    m_addressModel->setSwitch(index < 0 ? QString() : uuids.at(index));
    updateSubnetButton();
}

void NetworkPanel::showAddressesOf(const QString &switchUuid)
{
    updateAddressSwitches();
    const int index = m_addressSwitch->findData(switchUuid);
    if (index >= 0)
        m_addressSwitch->setCurrentIndex(index);
}

void NetworkPanel::addressMenu(const QPoint &position)
{
    const QModelIndex index = m_addresses->indexAt(position);
    if (!index.isValid())
        return;
    const int row = index.row(); // the decorating proxy keeps the rows
    const SubnetPlan::Span span = m_addressModel->spanAt(row);
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    const VmKey vm = m_addressModel->vmAt(row);
    if (vm.isValid()) {
        const QString mac = m_addressModel->macAt(row);
        const QString refusal = m_controller->addressing()->refusal(vm, mac);
        QAction *assign = menu.addAction(tr("&Assign an address…"), this, [this, vm, mac] { Q_EMIT addressRequested(vm, mac); });
        assign->setEnabled(refusal.isEmpty());
        assign->setToolTip(DisplayText::toolTip(refusal.isEmpty() ? tr("Change the NIC's address: a free one is offered, a typed one is checked.") : refusal));
    }
    const QString text = span.first == span.last ? span.first : QStringLiteral("%1..%2").arg(span.first, span.last);
    menu.addAction(tr("&Copy %1").arg(text), this, [text] { QGuiApplication::clipboard()->setText(text); });
    menu.exec(m_addresses->viewport()->mapToGlobal(position));
}

} // namespace Vigie
