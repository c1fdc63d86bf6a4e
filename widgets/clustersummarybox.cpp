#include "clustersummarybox.h"

#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "itemmodels/vmtablemodel.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>

namespace Vigie {

namespace {

constexpr int RefreshMs = 250;

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

const QColor Critical(0xc6, 0x28, 0x28);
const QColor Warning(0xef, 0x6c, 0x00);

// COLOR, or the palette's own text colour when invalid.
void setValueColor(QLabel *label, const QColor &color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color.isValid() ? color : label->parentWidget()->palette().color(QPalette::WindowText));
    label->setPalette(palette);
}

} // namespace

ClusterSummaryBox::ClusterSummaryBox(Inventory *inventory, QWidget *parent)
    : QGroupBox(tr("Fleet"), parent)
    , m_inventory(inventory)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(4, 2, 4, 2);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(1);
    m_hosts = addTile(0, QStringLiteral("summaryHosts"), tr("Hosts"), tr("Hosts connected, and those not answering or in maintenance"));
    m_vms = addTile(1, QStringLiteral("summaryVms"), tr("VMs"), tr("VMs running, paused and stopped"));
    m_cpu = addTile(2, QStringLiteral("summaryCpu"), tr("vCPUs"),
                    tr("vCPUs of the running VMs against the physical CPUs of the connected hosts"));
    m_memory = addTile(3, QStringLiteral("summaryMemory"), tr("Memory"),
                       tr("Memory of the running VMs against the connected hosts' memory"));
    m_alarms = addTile(4, QStringLiteral("summaryAlarms"), tr("Alarms"), tr("Active alarms"));
    // The count is a link to the Alarms dock (our own text only: a number).
    m_alarms.value->setTextFormat(Qt::RichText);
    m_alarms.value->setToolTip(tr("Open the Alarms dock"));
    connect(m_alarms.value, &QLabel::linkActivated, this, &ClusterSummaryBox::alarmsRequested);
    grid->setColumnStretch(2, 1);
    grid->setRowStretch(5, 1);

    m_timer.setSingleShot(true);
    m_timer.setInterval(RefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ClusterSummaryBox::refresh);
    connect(inventory, &Inventory::hostAdded, this, &ClusterSummaryBox::scheduleRefresh);
    connect(inventory, &Inventory::hostChanged, this, &ClusterSummaryBox::scheduleRefresh);
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, &ClusterSummaryBox::scheduleRefresh);
    connect(inventory, &Inventory::vmAdded, this, &ClusterSummaryBox::scheduleRefresh);
    connect(inventory, &Inventory::vmChanged, this, &ClusterSummaryBox::scheduleRefresh);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &ClusterSummaryBox::scheduleRefresh);
    refresh();
    showAlarms();
}

ClusterSummaryBox::Tile ClusterSummaryBox::addTile(int row, const QString &objectName, const QString &caption,
                                                   const QString &toolTip)
{
    auto *grid = static_cast<QGridLayout *>(layout());
    auto *title = plainLabel(this);
    title->setText(caption);
    title->setToolTip(toolTip);
    auto *value = plainLabel(this);
    value->setObjectName(objectName + QStringLiteral("Value"));
    value->setToolTip(toolTip);
    QFont bold = value->font();
    bold.setBold(true);
    value->setFont(bold);
    auto *detail = plainLabel(this);
    detail->setObjectName(objectName + QStringLiteral("Detail"));
    detail->setToolTip(toolTip);
    detail->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(title, row, 0);
    grid->addWidget(value, row, 1);
    grid->addWidget(detail, row, 2);
    return {value, detail};
}

void ClusterSummaryBox::setTenantScope(const TenantScope *scope)
{
    m_scope = scope;
    if (scope)
        connect(scope, &TenantScope::tenantChanged, this, &ClusterSummaryBox::refresh);
    refresh();
}

void ClusterSummaryBox::setAlarmCounts(int active, int critical)
{
    m_activeAlarms = active;
    m_criticalAlarms = critical;
    showAlarms();
}

void ClusterSummaryBox::scheduleRefresh()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void ClusterSummaryBox::refresh()
{
    m_timer.stop();
    m_summary = ClusterSummary::make(*m_inventory, m_scope);
    const ClusterSummary &s = m_summary;
    const QLocale locale;

    m_hosts.value->setText(tr("%1 of %n connected", nullptr, s.hosts).arg(s.connectedHosts));
    QStringList hostNotes;
    if (s.troubledHosts > 0)
        hostNotes.append(tr("%n not answering", nullptr, s.troubledHosts));
    if (s.maintenanceHosts > 0)
        hostNotes.append(tr("%n in maintenance", nullptr, s.maintenanceHosts));
    m_hosts.detail->setText(hostNotes.isEmpty() ? tr("all answering") : hostNotes.join(QStringLiteral(" · ")));
    setValueColor(m_hosts.value, s.troubledHosts > 0 ? Critical : QColor());

    m_vms.value->setText(tr("%n running", nullptr, s.runningVms));
    QStringList vmNotes{tr("%n stopped", nullptr, s.stoppedVms)};
    if (s.pausedVms > 0)
        vmNotes.prepend(tr("%n paused", nullptr, s.pausedVms));
    m_vms.detail->setText(vmNotes.join(QStringLiteral(" · ")));

    m_cpu.value->setText(tr("%1 of %n CPU(s)", nullptr, s.cpus).arg(locale.toString(s.committedVcpus)));
    m_cpu.detail->setText(s.cpus > 0 ? tr("%1 vCPU per CPU").arg(locale.toString(s.cpuOvercommit(), 'f', 2))
                                     : tr("no connected host"));

    m_memory.value->setText(tr("%1 of %2").arg(formatMemoryKiB(s.committedMemoryKiB), formatMemoryKiB(s.memoryKiB)));
    m_memory.detail->setText(s.memoryKiB > 0 ? tr("%1 % committed").arg(locale.toString(s.memoryPercent(), 'f', 0))
                                             : tr("no connected host"));
    // Over 100 %: the hosts' memory is overcommitted, which a migration or a start may not survive.
    setValueColor(m_memory.value, s.memoryPercent() > 100.0 ? Critical : QColor());
}

void ClusterSummaryBox::showAlarms()
{
    const QString count = tr("%n active", nullptr, m_activeAlarms);
    const QColor color = m_criticalAlarms > 0 ? Critical : m_activeAlarms > 0 ? Warning : QColor();
    m_alarms.value->setText(m_activeAlarms > 0 ? QStringLiteral("<a href='alarms' style='color:%1; text-decoration:none'>%2</a>")
                                                     .arg(color.name(), count.toHtmlEscaped())
                                               : count.toHtmlEscaped());
    m_alarms.detail->setText(m_criticalAlarms > 0 ? tr("%n critical", nullptr, m_criticalAlarms)
                                                  : (m_activeAlarms > 0 ? tr("warnings only") : tr("none")));
}

} // namespace Vigie
