#include "jobspanel.h"

#include "displaytext.h"
#include "plaintext.h"
#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {
QString bytes(quint64 value)
{
    return QLocale().formattedDataSize(qint64(value), 1, QLocale::DataSizeIecFormat);
}
} // namespace

JobsPanel::JobsPanel(MigrationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_rowsLayout(new QVBoxLayout)
    , m_empty(new QLabel(tr("No migration. Drag a VM onto another host, or use VM › Migrate to."), this))
    , m_clear(new QPushButton(tr("C&lear finished"), this))
{
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    m_clear->setEnabled(false);
    m_clear->setToolTip(tr("Removes the finished migrations from this list (the event log keeps them)."));
    connect(m_clear, &QPushButton::clicked, m_controller, &MigrationController::clearFinished);

    auto *rows = new QWidget;
    m_rowsLayout->setContentsMargins(0, 0, 0, 0);
    m_rowsLayout->addWidget(m_empty);
    m_rowsLayout->addStretch(1);
    rows->setLayout(m_rowsLayout);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(rows);

    auto *top = new QHBoxLayout;
    top->addStretch(1);
    top->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);

    connect(m_controller, &MigrationController::jobStarted, this, &JobsPanel::addRow);
    connect(m_controller, &MigrationController::jobProgressed, this, &JobsPanel::updateRow);
    connect(m_controller, &MigrationController::jobFinished, this, &JobsPanel::updateRow);
    connect(m_controller, &MigrationController::jobsCleared, this, &JobsPanel::clearRows);
    for (const MigrationProgress &job : m_controller->jobs())
        addRow(job);
}

QString JobsPanel::routeText(const MigrationProgress &p) const
{
    const Inventory *inventory = m_controller->preflight().inventory();
    const QString from = inventory->host(p.sourceUri).displayName;
    const QString to = inventory->host(p.destUri).displayName;
    // Names from libvirt: escaped, bounded and breakable in this word-wrapped rich label.
    return tr("<b>%1</b>  %2 → %3")
               .arg(DisplayText::html(p.vmName, DisplayText::MaxLength), DisplayText::html(from, DisplayText::MaxLength),
                    DisplayText::html(to, DisplayText::MaxLength))
           + (p.demo ? tr("  <i>(demo, simulated)</i>") : QString());
}

void JobsPanel::addRow(const MigrationProgress &progress)
{
    Row row;
    row.widget = new QWidget;
    row.title = new QLabel(routeText(progress), row.widget);
    row.title->setTextFormat(Qt::RichText);
    row.title->setWordWrap(true);
    row.bar = new QProgressBar(row.widget);
    row.bar->setRange(0, 1000);
    row.bar->setTextVisible(true);
    row.details = new QLabel(row.widget);
    makePlainWrappingLabel(row.details); // quotes libvirt's error message
    row.cancel = new QToolButton(row.widget);
    row.cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    row.cancel->setText(tr("Cancel"));
    row.cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    row.cancel->setToolTip(tr("Aborts the migration: the VM keeps running on its host."));
    const QString id = progress.jobId;
    connect(row.cancel, &QToolButton::clicked, this, [this, id] { m_controller->cancel(id); });

    auto *grid = new QGridLayout(row.widget);
    grid->setContentsMargins(0, 2, 0, 6);
    grid->addWidget(row.title, 0, 0, 1, 2);
    grid->addWidget(row.bar, 1, 0);
    grid->addWidget(row.cancel, 1, 1);
    grid->addWidget(row.details, 2, 0, 1, 2);
    m_rowsLayout->insertWidget(m_rowsLayout->count() - 1, row.widget);
    m_rows.insert(id, row);
    m_empty->hide();
    updateRow(progress);
}

void JobsPanel::updateRow(const MigrationProgress &p)
{
    const auto it = m_rows.constFind(p.jobId);
    if (it == m_rows.cend())
        return;
    const Row &row = *it;
    row.bar->setValue(std::max(row.bar->value(), int(p.percent * 10)));
    row.bar->setFormat(QStringLiteral("%1 %").arg(p.percent, 0, 'f', 0));
    row.cancel->setEnabled(p.cancellable());
    row.cancel->setVisible(!migrationPhaseIsFinal(p.phase));
    QStringList parts{migrationPhaseDisplayName(p.phase)};
    const double seconds = double(p.elapsedMs) / 1000.0;
    switch (p.phase) {
    case MigrationPhase::Completed:
        parts.append(tr("in %1 s").arg(seconds, 0, 'f', 1));
        if (p.downtimeMs >= 0)
            parts.append(tr("downtime %1 ms").arg(p.downtimeMs));
        if (p.dataProcessed > 0)
            parts.append(tr("%1 sent").arg(bytes(p.dataProcessed)));
        break;
    case MigrationPhase::Failed:
    case MigrationPhase::Cancelled:
        if (!p.message.isEmpty())
            parts.append(DisplayText::wrappable(p.message, DisplayText::MaxToolTipLength));
        break;
    default:
        if (p.memoryBps > 0)
            parts.append(tr("%1/s").arg(bytes(p.memoryBps)));
        if (p.dataProcessed + p.dataRemaining > 0)
            parts.append(tr("%1 remaining").arg(bytes(p.dataRemaining)));
        if (p.iteration > 0)
            parts.append(tr("pass %1").arg(p.iteration));
        if (p.dirtyRate > 0)
            parts.append(tr("%1 dirty pages/s").arg(p.dirtyRate));
        if (p.expectedDowntimeMs >= 0)
            parts.append(tr("expected downtime %1 ms").arg(p.expectedDowntimeMs));
        parts.append(tr("%1 s").arg(seconds, 0, 'f', 1));
        if (p.phase == MigrationPhase::PostCopy)
            parts.append(tr("no longer cancellable"));
        break;
    }
    row.details->setText(parts.join(QStringLiteral(" · ")));
    row.details->setStyleSheet(p.phase == MigrationPhase::Failed ? QStringLiteral("color: #c62828;") : QString());
    m_clear->setEnabled(m_controller->jobs().size() > m_controller->runningCount());
    Q_EMIT activityChanged(m_controller->runningCount());
}

void JobsPanel::clearRows()
{
    QSet<QString> kept;
    for (const MigrationProgress &job : m_controller->jobs())
        kept.insert(job.jobId);
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        if (!kept.contains(it.key())) {
            delete it->widget;
            it = m_rows.erase(it);
        } else {
            ++it;
        }
    }
    m_empty->setVisible(m_rows.isEmpty());
    m_clear->setEnabled(false);
}

QProgressBar *JobsPanel::progressBar(const QString &jobId) const
{
    return m_rows.value(jobId).bar;
}

QToolButton *JobsPanel::cancelButton(const QString &jobId) const
{
    return m_rows.value(jobId).cancel;
}

QString JobsPanel::detailsText(const QString &jobId) const
{
    const Row row = m_rows.value(jobId);
    return row.details ? row.details->text() : QString();
}

} // namespace Vigie
