#include "vmdetailspane.h"

#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/nictablemodel.h"
#include "itemmodels/vmtablemodel.h"
#include "consoleview.h"
#include "vncview.h"
#include "decoratingproxymodel.h"
#include "displaytext.h"
#include "hypervisor/domainxml.h"
#include "inventory/nextboot.h"
#include "domainxmleditor.h"
#include "elidedlabel.h"
#include "metricspanel.h"
#include "stateicons.h"

#include <algorithm>

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QStackedWidget>
#include <QTabWidget>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

namespace Vigie {

namespace {

// Values are mostly outside text (names, titles, tenants, paths, libvirt's words): plain, elided.
ElidedLabel *valueLabel(QWidget *parent, int maxLines = 1)
{
    auto *label = new ElidedLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setMaximumLines(maxLines);
    return label;
}

// The state is our own markup (a coloured dot) around escaped text.
QLabel *richLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

ElidedLabel *titleLabel(QWidget *parent)
{
    auto *label = new ElidedLabel(parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.35);
    font.setBold(true);
    label->setFont(font);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void setLoad(QProgressBar *bar, double used, double total, const QString &text)
{
    const int percent = total > 0 ? int(used * 100.0 / total + 0.5) : 0;
    bar->setRange(0, std::max(100, percent));
    bar->setValue(percent);
    bar->setFormat(text);
    // Colour at thresholds, as on the capacity bars of the topology.
    const QString color = percent >= 100 ? QStringLiteral("#d23c3c")
                          : percent >= 80 ? QStringLiteral("#e09b1a")
                                          : QStringLiteral("#2e9d57");
    bar->setStyleSheet(QStringLiteral("QProgressBar::chunk { background: %1; }").arg(color));
}

} // namespace

VmDetailsPane::VmDetailsPane(Inventory *inventory, SessionManager *sessions, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_stack(new QStackedWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    auto *empty = new QLabel(tr("Select a VM or a host to see its details."), m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setEnabled(false);
    m_stack->addWidget(empty);
    m_stack->addWidget(createVmPage());
    // Scrolled rather than squeezed: its metrics fit a laptop screen beside the event log.
    auto *hostScroll = new QScrollArea(m_stack);
    hostScroll->setWidgetResizable(true);
    hostScroll->setFrameShape(QFrame::NoFrame);
    hostScroll->setWidget(createHostPage());
    m_stack->addWidget(hostScroll);

    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        if (key == m_vm)
            refreshVm();
    });
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this](const VmKey &key) {
        if (key == m_vm)
            showNothing();
    });
    connect(inventory, &Inventory::vmsAdded, this, [this](const QList<VmKey> &keys) {
        if (std::any_of(keys.cbegin(), keys.cend(), [this](const VmKey &key) { return key.hostUri == m_host; }))
            refreshHost();
    });
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        if (uri == m_host)
            refreshHost();
        else if (uri == m_vm.hostUri)
            refreshVm();
    });
    connect(inventory, &Inventory::vlansChanged, this, [this] {
        if (m_vm.isValid())
            refreshVm();
    });
}

QWidget *VmDetailsPane::createVmPage()
{
    auto *page = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    m_selectionNote = new QLabel(page);
    m_selectionNote->setObjectName(QStringLiteral("selectionNote"));
    m_selectionNote->setTextFormat(Qt::PlainText); // names a VM
    m_selectionNote->setWordWrap(true);
    m_selectionNote->hide();
    layout->addWidget(m_selectionNote);
    m_vmTitle = titleLabel(page);
    m_vmSubtitle = valueLabel(page, 3);
    layout->addWidget(m_vmTitle);
    layout->addWidget(m_vmSubtitle);

    m_vmTabs = new QTabWidget(page);
    auto *overview = new QWidget(m_vmTabs);
    auto *overviewLayout = new QVBoxLayout(overview);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_vmHost = valueLabel(overview);
    m_vmState = richLabel(overview);
    m_vmCpu = valueLabel(overview);
    m_vmMemory = valueLabel(overview);
    m_vmTenant = valueLabel(overview);
    m_vmOs = valueLabel(overview);
    m_vmManager = valueLabel(overview, 3);
    m_vmUuid = valueLabel(overview);
    m_vmDisks = valueLabel(overview, 8);
    m_vmNextBoot = valueLabel(overview, 6);
    m_vmNextBoot->setObjectName(QStringLiteral("nextBoot"));
    form->addRow(tr("Host:"), m_vmHost);
    form->addRow(tr("State:"), m_vmState);
    form->addRow(tr("vCPUs:"), m_vmCpu);
    form->addRow(tr("Memory:"), m_vmMemory);
    form->addRow(tr("Tenant:"), m_vmTenant);
    form->addRow(tr("OS:"), m_vmOs);
    form->labelForField(m_vmOs)->setToolTip(tr("The guest OS its creator recorded (libosinfo metadata), not a check of "
                                               "what runs inside"));
    form->addRow(tr("Managed by:"), m_vmManager);
    form->labelForField(m_vmManager)->setToolTip(tr("Vigie does not rewrite the definition or tags of a VM another system "
                                                    "manages, and that system does not learn of a migration made here."));
    form->addRow(tr("UUID:"), m_vmUuid);
    m_vmForm = form;
    form->addRow(tr("Disks:"), m_vmDisks);
    form->addRow(tr("At next boot:"), m_vmNextBoot);
    form->labelForField(m_vmNextBoot)->setToolTip(tr("The saved definition differs from the running VM: these changes take "
                                                     "effect when it is shut down and started again (a reboot from inside "
                                                     "the guest is not enough)."));
    form->setRowVisible(m_vmNextBoot, false);
    // The saved definition of the VM shown, read to tell what its next boot changes: again when
    // something may have changed it and not the running VM (a NIC moved, the XML edited).
    connect(m_sessions, &SessionManager::nicMoveFinished, this, [this](const VmKey &key) {
        if (key == m_vm)
            requestNextBoot();
    });
    overviewLayout->addLayout(form);
    overviewLayout->addWidget(new QLabel(tr("Network interfaces"), overview));
    m_nicModel = new NicTableModel(this);
    m_nicView = new QTableView(overview);
    // Network names, portgroups and interface ids come from the domain XML: bounded and escaped.
    auto *nicText = new DecoratingProxyModel(this);
    nicText->setSourceModel(m_nicModel);
    m_nicView->setModel(nicText);
    m_nicView->verticalHeader()->hide();
    m_nicView->horizontalHeader()->setStretchLastSection(true);
    m_nicView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Fitted to their contents, but no column grows wider than this for one long value.
    m_nicView->horizontalHeader()->setMaximumSectionSize(m_nicView->fontMetrics().averageCharWidth() * 40);
    m_nicView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_nicView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_nicView->setAlternatingRowColors(true);
    m_nicView->setWordWrap(false);
    overviewLayout->addWidget(m_nicView, 1);
    // Scrolled rather than squeezed: the pane fits a laptop screen beside the event log.
    auto *overviewScroll = new QScrollArea(m_vmTabs);
    overviewScroll->setWidgetResizable(true);
    overviewScroll->setFrameShape(QFrame::NoFrame);
    overviewScroll->setWidget(overview);
    m_vmTabs->addTab(overviewScroll, tr("Overview"));

    if (MetricsStore *store = m_sessions->metricsStore()) {
        m_vmMetrics = new MetricsPanel(store, m_vmTabs);
        auto *metricsScroll = new QScrollArea(m_vmTabs);
        metricsScroll->setWidgetResizable(true);
        metricsScroll->setFrameShape(QFrame::NoFrame);
        metricsScroll->setWidget(m_vmMetrics);
        m_vmTabs->addTab(metricsScroll, tr("Metrics"));
    }
    m_console = new ConsoleView(m_sessions, m_inventory, m_vmTabs);
    m_console->setDetachable(true);
    connect(m_console, &ConsoleView::detachRequested, this, &VmDetailsPane::consoleDetachRequested);
    m_vmTabs->addTab(m_console, tr("Console"));
    m_display = new VncView(m_sessions, m_inventory, m_vmTabs);
    m_display->setDetachable(true);
    connect(m_display, &VncView::detachRequested, this, &VmDetailsPane::displayDetachRequested);
    //: The tab of a VM's graphical console (its VNC display)
    m_vmTabs->addTab(m_display, tr("Display"));
    m_xmlEditor = new DomainXmlEditor(m_inventory, m_sessions, m_vmTabs);
    connect(m_xmlEditor, &DomainXmlEditor::applied, this, [this](const VmKey &key) {
        if (key == m_vm)
            requestNextBoot(); // a running VM's edit changes its saved definition: the next boot's
    });
    m_vmTabs->addTab(m_xmlEditor, tr("XML"));
    connect(m_vmTabs, &QTabWidget::currentChanged, this, &VmDetailsPane::requestXmlIfVisible);
    layout->addWidget(m_vmTabs, 1);
    return page;
}

QWidget *VmDetailsPane::createHostPage()
{
    auto *page = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    m_hostTitle = titleLabel(page);
    m_hostSubtitle = valueLabel(page);
    layout->addWidget(m_hostTitle);
    layout->addWidget(m_hostSubtitle);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_hostUri = valueLabel(page);
    m_hostState = richLabel(page);
    m_hostCpu = valueLabel(page);
    m_hostMemory = valueLabel(page);
    m_hostSoftware = valueLabel(page);
    m_hostVms = valueLabel(page);
    m_hostCpuBar = new QProgressBar(page);
    m_hostMemoryBar = new QProgressBar(page);
    form->addRow(tr("Connection:"), m_hostUri);
    form->addRow(tr("State:"), m_hostState);
    form->addRow(tr("CPU:"), m_hostCpu);
    form->addRow(tr("Memory:"), m_hostMemory);
    form->addRow(tr("Software:"), m_hostSoftware);
    form->addRow(tr("VMs:"), m_hostVms);
    form->addRow(tr("vCPUs committed:"), m_hostCpuBar);
    form->addRow(tr("Memory committed:"), m_hostMemoryBar);
    layout->addLayout(form);
    if (MetricsStore *store = m_sessions->metricsStore()) {
        m_hostMetrics = new MetricsPanel(store, page);
        layout->addWidget(m_hostMetrics, 1);
    } else {
        layout->addStretch(1);
    }
    return page;
}

void VmDetailsPane::showVm(const VmKey &key)
{
    const bool changed = key != m_vm;
    m_vm = key;
    m_host.clear();
    if (changed) {
        m_vmForm->setRowVisible(m_vmNextBoot, false); // until the new VM's saved definition is read
        m_nextBootOf = {};
    }
    m_xmlEditor->setVm(key);
    // Told before it changes VM if the new one's console is elsewhere, so that it never opens it.
    const bool elsewhere = m_consolesElsewhere.contains(key);
    if (elsewhere)
        m_console->setShownElsewhere(true);
    m_console->setVm(key);
    if (!elsewhere)
        m_console->setShownElsewhere(false);
    const bool displayElsewhere = m_displaysElsewhere.contains(key);
    if (displayElsewhere)
        m_display->setShownElsewhere(true);
    m_display->setVm(key);
    if (!displayElsewhere)
        m_display->setShownElsewhere(false);
    m_stack->setCurrentIndex(1);
    refreshVm();
    if (changed && m_vmMetrics)
        m_vmMetrics->showVm(key, m_inventory->vm(key).name);
    requestXmlIfVisible();
}

void VmDetailsPane::setSelectedCount(int count)
{
    m_selectionNote->setVisible(count > 1);
    if (count > 1) {
        const VmInfo *vm = m_inventory->findVm(m_vm);
        m_selectionNote->setText(tr("%n VM(s) selected; the details below are those of %1.", nullptr, count)
                                     .arg(vm ? DisplayText::singleLine(vm->name) : QString()));
    }
}

void VmDetailsPane::showHost(const QString &uri)
{
    m_vm = {};
    m_host = uri;
    m_xmlEditor->setVm({});
    m_console->setVm({});
    m_display->setVm({});
    m_stack->setCurrentIndex(2);
    refreshHost();
    if (m_hostMetrics)
        m_hostMetrics->showHost(uri, m_inventory->host(uri).displayName);
}

void VmDetailsPane::showTab(const QString &name)
{
    if (name == QLatin1String("metrics") && m_vmMetrics) {
        for (int i = 0; i < m_vmTabs->count(); ++i) {
            if (m_vmTabs->widget(i)->isAncestorOf(m_vmMetrics)) // its scroll area
                m_vmTabs->setCurrentIndex(i);
        }
    }
    else if (name == QLatin1String("xml"))
        m_vmTabs->setCurrentWidget(m_xmlEditor);
    else if (name == QLatin1String("console"))
        m_vmTabs->setCurrentWidget(m_console);
    else if (name == QLatin1String("display"))
        m_vmTabs->setCurrentWidget(m_display);
    else
        m_vmTabs->setCurrentIndex(0);
}

void VmDetailsPane::setConsoleShownElsewhere(const VmKey &vm, bool elsewhere)
{
    if (elsewhere)
        m_consolesElsewhere.insert(vm);
    else
        m_consolesElsewhere.remove(vm);
    if (vm == m_vm)
        m_console->setShownElsewhere(elsewhere);
}

void VmDetailsPane::setDisplayShownElsewhere(const VmKey &vm, bool elsewhere)
{
    if (elsewhere)
        m_displaysElsewhere.insert(vm);
    else
        m_displaysElsewhere.remove(vm);
    if (vm == m_vm)
        m_display->setShownElsewhere(elsewhere);
}

void VmDetailsPane::showNothing()
{
    m_vm = {};
    m_host.clear();
    m_xmlEditor->setVm({});
    m_console->setVm({});
    m_display->setVm({});
    if (m_vmMetrics)
        m_vmMetrics->showNothing();
    if (m_hostMetrics)
        m_hostMetrics->showNothing();
    m_stack->setCurrentIndex(0);
}

void VmDetailsPane::requestXmlIfVisible()
{
    if (m_vm.isValid() && m_vmTabs->currentWidget() == m_xmlEditor)
        m_xmlEditor->reload();
}

void VmDetailsPane::refreshVm()
{
    const VmInfo *vm = m_inventory->findVm(m_vm);
    if (!vm)
        return;
    // The XML shown must follow changes made elsewhere (not while it is being edited).
    requestXmlIfVisible();
    m_vmTitle->setFullText(vm->shownName()); // as the table names it
    m_vmSubtitle->setFullText(vm->title.isEmpty() ? vm->description : vm->title);
    m_vmSubtitle->setVisible(!m_vmSubtitle->fullText().isEmpty());
    const HostInfo host = m_inventory->host(vm->hostUri);
    m_vmHost->setFullText(host.displayName);
    m_vmState->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                           .arg(vmStateColor(vm->state).name(), vmStateDisplayName(vm->state).toHtmlEscaped()));
    m_vmCpu->setFullText(QString::number(vm->vcpus));
    m_vmMemory->setFullText(vm->maxMemoryKiB > vm->memoryKiB
                            ? tr("%1 (maximum %2)").arg(formatMemoryKiB(vm->memoryKiB), formatMemoryKiB(vm->maxMemoryKiB))
                            : formatMemoryKiB(vm->memoryKiB));
    m_vmTenant->setFullText(vm->tenant.isEmpty() ? tr("none") : vm->tenant);
    m_vmOs->setFullText(vm->osId.isEmpty() ? tr("not recorded") : osDisplayName(vm->osId));
    if (vm->manager == QLatin1String("nova"))
        m_vmManager->setFullText(tr("OpenStack Nova: change it through OpenStack"));
    m_vmForm->setRowVisible(m_vmManager, vm->manager == QLatin1String("nova"));
    m_vmUuid->setFullText(vm->uuid);
    QStringList disks;
    for (const DiskInfo &disk : vm->disks)
        disks.append(tr("%1: %2").arg(disk.target, disk.source.isEmpty() ? disk.device : disk.source));
    m_vmDisks->setFullText(disks.isEmpty() ? tr("none") : disks.join(QLatin1Char('\n')));
    // Only a running VM with a saved definition can have one that differs. Read once per VM and
    // again when it starts or stops, not at every refresh (VLAN and host changes come often).
    const bool nextBootReadable = vm->isActive() && vm->persistent && host.state == ConnectionState::Connected;
    if (m_nextBootOf != m_vm || m_nextBootReadable != nextBootReadable) {
        m_nextBootOf = m_vm;
        m_nextBootReadable = nextBootReadable;
        requestNextBoot();
    }
    QList<QList<int>> vlans;
    QList<ControllerNic> ports;
    for (const NicInfo &nic : vm->nics) {
        vlans.append(m_inventory->nicVlans(vm->hostUri, nic));
        const ControllerNic *port = m_inventory->controllerNic(nic);
        ports.append(port ? *port : ControllerNic{});
    }
    m_nicModel->setNics(vm->nics, vlans, ports, vm->hostUri);
}

void VmDetailsPane::requestNextBoot()
{
    if (m_nextBootReadable && m_nextBootOf == m_vm)
        m_sessions->requestDomainXml(m_vm, true, {this, [this, key = m_vm](const QString &xml, const QString &error) {
                                                      if (key == m_vm && error.isEmpty())
                                                          showNextBoot(xml);
                                                  }});
    else
        m_vmForm->setRowVisible(m_vmNextBoot, false);
}

void VmDetailsPane::showNextBoot(const QString &savedXml)
{
    const VmInfo *vm = m_inventory->findVm(m_vm);
    const DomainXml::Result saved = DomainXml::parse(savedXml.toUtf8());
    const QStringList changes = vm && saved.vm ? nextBootChanges(*m_inventory, *vm, *saved.vm) : QStringList();
    m_vmNextBoot->setFullText(changes.join(QLatin1Char('\n')));
    m_vmForm->setRowVisible(m_vmNextBoot, !changes.isEmpty());
}

void VmDetailsPane::refreshHost()
{
    if (m_host.isEmpty())
        return;
    const HostInfo host = m_inventory->host(m_host);
    m_hostTitle->setFullText(host.displayName);
    // The demo says so once, discreetly (the status bar's "Demo datacenter" says the rest).
    m_hostSubtitle->setFullText(host.demo ? tr("%1 · demo host").arg(host.hostname) : host.hostname);
    m_hostUri->setFullText(host.uri);
    QString state = QStringLiteral("<span style='color:%1'>●</span> %2")
                        .arg(connectionStateColor(host.state).name(), connectionStateDisplayName(host.state).toHtmlEscaped());
    if (!host.stateMessage.isEmpty())
        state += QStringLiteral("<br>") + DisplayText::html(host.stateMessage, DisplayText::MaxLength);
    m_hostState->setText(state);
    m_hostCpu->setFullText(host.cpus > 0 ? tr("%1 × %2 (%3 MHz)").arg(host.cpus).arg(host.cpuModel).arg(host.cpuMHz) : QString());
    m_hostMemory->setFullText(host.memoryKiB > 0 ? formatMemoryKiB(host.memoryKiB) : QString());
    m_hostSoftware->setFullText(host.hypervisorType.isEmpty()
                                ? QString()
                                : tr("%1 %2, libvirt %3").arg(host.hypervisorType, host.hypervisorVersion, host.libvirtVersion));
    const QList<VmKey> keys = m_inventory->vmKeysOfHost(m_host);
    int running = 0;
    for (const VmKey &key : keys) {
        if (const VmInfo *vm = m_inventory->findVm(key); vm && vm->isActive())
            ++running;
    }
    m_hostVms->setFullText(tr("%1 of %2 running").arg(running).arg(keys.size()));
    const int vcpus = m_inventory->committedVcpus(m_host);
    setLoad(m_hostCpuBar, vcpus, host.cpus, tr("%1 / %2").arg(vcpus).arg(host.cpus));
    const quint64 memory = m_inventory->committedMemoryKiB(m_host);
    setLoad(m_hostMemoryBar, double(memory), double(host.memoryKiB),
            tr("%1 / %2").arg(formatMemoryKiB(memory), formatMemoryKiB(host.memoryKiB)));
}

} // namespace Vigie
