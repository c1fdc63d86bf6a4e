#include "jobspanel.h"

#include "displaytext.h"
#include "plaintext.h"
#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

namespace {
QString bytes(quint64 value)
{
    return QLocale().formattedDataSize(qint64(value), 1, QLocale::DataSizeIecFormat);
}

QString entryKey(int entryId)
{
    return QStringLiteral("queue-%1").arg(entryId);
}
} // namespace

JobsPanel::JobsPanel(MigrationController *controller, MigrationScheduler *scheduler, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_scheduler(scheduler)
    , m_rowsLayout(new QVBoxLayout)
    , m_empty(new QLabel(tr("No migration. Drag a VM onto another host, or use VM › Migrate to."), this))
    , m_summary(new QLabel(this))
    , m_cap(new QSpinBox(this))
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
    top->addWidget(m_summary, 1);
    m_cap->setObjectName(QStringLiteral("parallelPerHost"));
    m_cap->setRange(1, 16);
    //: Prefix of the spin box: at most N migrations at once per host
    m_cap->setPrefix(tr("At once per host: "));
    m_cap->setToolTip(tr("How many queued migrations may leave, and arrive on, one host at the same time. Parallel "
                         "migrations share the migration network: each takes longer to converge, and each VM's final "
                         "pause grows."));
    top->addWidget(m_cap);
    top->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);

    if (m_scheduler) {
        m_cap->setValue(m_scheduler->capPerHost());
        connect(m_cap, &QSpinBox::valueChanged, m_scheduler, &MigrationScheduler::setCapPerHost);
        connect(m_scheduler, &MigrationScheduler::capChanged, m_cap, &QSpinBox::setValue);
        connect(m_scheduler, &MigrationScheduler::entryAdded, this, &JobsPanel::addEntryRow);
        connect(m_scheduler, &MigrationScheduler::entryChanged, this, &JobsPanel::entryChanged);
        connect(m_scheduler, &MigrationScheduler::orderChanged, this, &JobsPanel::reorder);
        connect(m_scheduler, &MigrationScheduler::entriesCleared, this, &JobsPanel::clearRows);
    } else {
        m_cap->hide();
    }
    connect(m_controller, &MigrationController::jobStarted, this, &JobsPanel::addJobRow);
    connect(m_controller, &MigrationController::jobProgressed, this, &JobsPanel::updateJob);
    connect(m_controller, &MigrationController::jobFinished, this, &JobsPanel::updateJob);
    connect(m_controller, &MigrationController::jobResumed, this, &JobsPanel::updateJob);
    connect(m_controller, &MigrationController::jobsCleared, this, &JobsPanel::clearRows);
    if (m_scheduler) {
        for (const MigrationScheduler::Entry &entry : m_scheduler->entries())
            addEntryRow(entry);
    }
    for (const MigrationProgress &job : m_controller->jobs())
        addJobRow(job);
    updateSummary();
}

QString JobsPanel::routeText(const QString &vmName, const QString &sourceUri, const QString &destUri, bool demo,
                             bool adopted) const
{
    const Inventory *inventory = m_controller->preflight().inventory();
    const QString from = inventory->host(sourceUri).displayName;
    //: Migration route: the destination is not known yet (a migration Vigie did not start)
    const QString to = destUri.isEmpty() ? tr("?") : inventory->host(destUri).displayName;
    // Names from libvirt: escaped, bounded and breakable in this word-wrapped rich label.
    return tr("<b>%1</b>  %2 → %3")
               .arg(DisplayText::html(vmName, DisplayText::MaxLength), DisplayText::html(from, DisplayText::MaxLength),
                    DisplayText::html(to, DisplayText::MaxLength))
           + (demo ? tr("  <i>(demo, simulated)</i>") : QString())
           //: A migration that was running when Vigie started (Vigie had quit or was killed)
           + (adopted ? tr("  <i>(started before Vigie)</i>") : QString());
}

JobsPanel::Row &JobsPanel::addRow(const QString &key, const QString &title, int entryId)
{
    Row row;
    row.entryId = entryId;
    row.widget = new QWidget;
    row.title = new QLabel(title, row.widget);
    row.title->setTextFormat(Qt::RichText);
    row.title->setWordWrap(true);
    row.bar = new QProgressBar(row.widget);
    row.bar->setRange(0, 1000);
    row.bar->setTextVisible(true);
    row.details = new QLabel(row.widget);
    makePlainWrappingLabel(row.details); // quotes libvirt's error message
    const auto button = [&row](QStyle::StandardPixmap icon, const QString &text, const QString &toolTip, bool withText) {
        auto *b = new QToolButton(row.widget);
        b->setIcon(row.widget->style()->standardIcon(icon));
        b->setText(text);
        b->setToolTip(toolTip);
        b->setToolButtonStyle(withText ? Qt::ToolButtonTextBesideIcon : Qt::ToolButtonIconOnly);
        return b;
    };
    row.cancel = button(QStyle::SP_DialogCancelButton, tr("Cancel"), tr("Aborts the migration: the VM keeps running on its host."), true);
    row.resume = button(QStyle::SP_MediaPlay, tr("Resume migration"),
                        tr("Reconnects the two hosts' halves of the VM and completes the migration (libvirt's post-copy "
                           "recovery). Do it once the hosts reach each other again."),
                        true);
    row.resume->hide();
    connect(row.resume, &QToolButton::clicked, this, [this, key] { resumeJob(key); });
    row.widget->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(row.widget, &QWidget::customContextMenuRequested, this, [this, key](const QPoint &pos) {
        const Row shownRow = m_rows.value(key);
        if (shownRow.jobId.isEmpty())
            return;
        QMenu *menu = contextMenu(shownRow.jobId, this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(shownRow.widget->mapToGlobal(pos));
    });
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    if (entryId > 0) {
        row.up = button(QStyle::SP_ArrowUp, tr("Sooner"), tr("Moves this migration up the queue."), false);
        row.down = button(QStyle::SP_ArrowDown, tr("Later"), tr("Moves this migration down the queue."), false);
        row.retry = button(QStyle::SP_BrowserReload, tr("Retry"), tr("Queues this migration again."), true);
        connect(row.up, &QToolButton::clicked, this, [this, entryId] { m_scheduler->move(entryId, -1); });
        connect(row.down, &QToolButton::clicked, this, [this, entryId] { m_scheduler->move(entryId, 1); });
        connect(row.retry, &QToolButton::clicked, this, [this, entryId] { m_scheduler->retry(entryId); });
        connect(row.cancel, &QToolButton::clicked, this, [this, entryId] { m_scheduler->cancel(entryId); });
        buttons->addWidget(row.up);
        buttons->addWidget(row.down);
        buttons->addWidget(row.retry);
    } else {
        connect(row.cancel, &QToolButton::clicked, this, [this, key] { m_controller->cancel(m_rows.value(key).jobId); });
    }
    buttons->addWidget(row.resume);
    buttons->addWidget(row.cancel);

    auto *grid = new QGridLayout(row.widget);
    grid->setContentsMargins(0, 2, 0, 6);
    grid->addWidget(row.title, 0, 0, 1, 2);
    grid->addWidget(row.bar, 1, 0);
    grid->addLayout(buttons, 1, 1);
    grid->addWidget(row.details, 2, 0, 1, 2);
    m_rowsLayout->insertWidget(m_rowsLayout->count() - 1, row.widget);
    m_empty->hide();
    return m_rows.insert(key, row).value();
}

void JobsPanel::addJobRow(const MigrationProgress &progress)
{
    // A queued migration's job shows in its entry's row.
    if ((m_scheduler && m_scheduler->entryOfJob(progress.jobId) > 0) || m_jobRows.contains(progress.jobId))
        return;
    Row &row = addRow(progress.jobId,
                      routeText(progress.vmName, progress.sourceUri, progress.destUri, progress.demo, progress.adopted), 0);
    row.jobId = progress.jobId;
    m_jobRows.insert(progress.jobId, progress.jobId);
    setGroup(row, migrationPhaseIsFinal(progress.phase) ? Group::Finished : Group::Running);
    showProgress(row, progress);
    reorder();
}

void JobsPanel::addEntryRow(const MigrationScheduler::Entry &entry)
{
    const bool demo = m_controller->preflight().inventory()->host(entry.vm.hostUri).demo;
    addRow(entryKey(entry.id), routeText(entry.vmName, entry.vm.hostUri, entry.destUri, demo), entry.id);
    entryChanged(entry);
}

void JobsPanel::entryChanged(const MigrationScheduler::Entry &entry)
{
    const auto it = m_rows.find(entryKey(entry.id));
    if (it == m_rows.end())
        return;
    Row &row = *it;
    using State = MigrationScheduler::State;
    const bool demo = m_controller->preflight().inventory()->host(entry.vm.hostUri).demo;
    row.title->setText(routeText(entry.vmName, entry.vm.hostUri, entry.destUri, demo));
    if (!entry.jobId.isEmpty() && entry.jobId != row.jobId) {
        m_jobRows.remove(row.jobId);
        row.jobId = entry.jobId;
        m_jobRows.insert(entry.jobId, it.key());
    } else if (entry.jobId.isEmpty()) {
        m_jobRows.remove(row.jobId);
        row.jobId.clear();
    }
    row.up->setVisible(entry.state == State::Pending);
    row.down->setVisible(entry.state == State::Pending);
    row.retry->setVisible(entry.state == State::Failed || entry.state == State::Cancelled);
    switch (entry.state) {
    case State::Pending:
        setGroup(row, Group::Pending);
        row.bar->setEnabled(true);
        row.bar->setValue(0);
        row.bar->setFormat(MigrationScheduler::stateDisplayName(entry.state));
        row.cancel->setVisible(true);
        row.cancel->setEnabled(true);
        row.cancel->setToolTip(tr("Takes it out of the queue: it never starts."));
        row.details->setText(tr("Waits for a free slot: at most %n migration(s) at once leave or reach a host.", nullptr,
                                m_scheduler->capPerHost()));
        row.details->setStyleSheet({});
        break;
    case State::Running:
        setGroup(row, Group::Running);
        row.cancel->setToolTip(tr("Aborts the migration: the VM keeps running on its host."));
        showProgress(row, m_controller->job(entry.jobId));
        break;
    default:
        setGroup(row, Group::Finished);
        if (row.jobId.isEmpty()) {
            // Refused at its start, or cancelled before it: there was never a job.
            row.cancel->setVisible(false);
            row.bar->setEnabled(false);
            row.bar->setFormat(MigrationScheduler::stateDisplayName(entry.state));
            row.details->setText(QStringLiteral("%1 · %2").arg(MigrationScheduler::stateDisplayName(entry.state),
                                                               DisplayText::wrappable(entry.message, DisplayText::MaxToolTipLength)));
            row.details->setStyleSheet(entry.state == State::Failed ? QStringLiteral("color: #c62828;") : QString());
        } else {
            showProgress(row, m_controller->job(entry.jobId));
        }
        break;
    }
    reorder();
}

void JobsPanel::updateJob(const MigrationProgress &progress)
{
    const auto key = m_jobRows.constFind(progress.jobId);
    if (key == m_jobRows.cend())
        return;
    const auto it = m_rows.find(*key);
    if (it == m_rows.end())
        return;
    if (it->entryId == 0 && migrationPhaseIsFinal(progress.phase) && it->group != Group::Finished) {
        setGroup(*it, Group::Finished);
        reorder();
    } else if (it->entryId == 0 && !migrationPhaseIsFinal(progress.phase) && it->group == Group::Finished) {
        setGroup(*it, Group::Running); // a failed post-copy resumed
        reorder();
    }
    showProgress(*it, progress);
}

void JobsPanel::showProgress(Row &row, const MigrationProgress &p)
{
    if (p.jobId.isEmpty())
        return;
    row.shown = p;
    if (p.adopted) // its destination is learnt once that host is read
        row.title->setText(routeText(p.vmName, p.sourceUri, p.destUri, p.demo, true));
    row.bar->setValue(std::max(row.bar->value(), int(p.percent * 10)));
    row.bar->setFormat(QStringLiteral("%1 %").arg(p.percent, 0, 'f', 0));
    row.cancel->setEnabled(p.cancellable());
    row.cancel->setVisible(!migrationPhaseIsFinal(p.phase));
    // Disabled after the switchover, saying why (a disabled button still shows its tooltip).
    const QString refusal = migrationCancelRefusal(p.phase);
    row.cancel->setToolTip(refusal.isEmpty() ? tr("Aborts the migration: the VM keeps running on its host.") : refusal);
    row.resume->setVisible(p.resumable());
    row.resume->setEnabled(p.resumable());
    if (row.retry && p.resumable())
        row.retry->hide(); // started again, it would leave the VM's two halves where they are
    // A bar that stopped short is greyed, not left looking like it still runs.
    row.bar->setEnabled(p.phase != MigrationPhase::Failed && p.phase != MigrationPhase::Cancelled
                        && p.phase != MigrationPhase::PostCopyFailed);
    QStringList parts{migrationPhaseDisplayName(p.phase)};
    const double seconds = double(p.elapsedMs) / 1000.0;
    switch (p.phase) {
    case MigrationPhase::Completed:
        parts.append(tr("in %1 s").arg(QLocale().toString(seconds, 'f', 1)));
        if (p.downtimeMs >= 0)
            parts.append(tr("downtime %1 ms").arg(p.downtimeMs));
        if (p.dataProcessed > 0)
            parts.append(tr("%1 sent").arg(bytes(p.dataProcessed)));
        break;
    case MigrationPhase::PostCopyFailed: {
        const Inventory *inventory = m_controller->preflight().inventory();
        //: After a failed post-copy: where the VM's two halves wait
        parts.append(tr("paused on %1, stalled on %2 until the migration is resumed")
                         .arg(inventory->host(p.sourceUri).displayName,
                              p.destUri.isEmpty() ? tr("the destination") : inventory->host(p.destUri).displayName));
        if (!p.message.isEmpty())
            parts.append(DisplayText::wrappable(p.message, DisplayText::MaxToolTipLength));
        break;
    }
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
        parts.append(tr("%1 s").arg(QLocale().toString(seconds, 'f', 1)));
        if (p.phase == MigrationPhase::PostCopy)
            parts.append(tr("no longer cancellable"));
        break;
    }
    row.details->setText(parts.join(QStringLiteral(" · ")));
    row.details->setStyleSheet(p.phase == MigrationPhase::Failed || p.phase == MigrationPhase::PostCopyFailed
                                   ? QStringLiteral("color: #c62828;")
                                   : QString());
    updateSummary();
}

void JobsPanel::setGroup(Row &row, Group group)
{
    if (row.group == group && row.sequence > 0)
        return;
    row.group = group;
    row.sequence = ++m_sequence;
}

void JobsPanel::reorder()
{
    QHash<int, int> queueIndex;
    if (m_scheduler) {
        const QList<MigrationScheduler::Entry> entries = m_scheduler->entries();
        for (int i = 0; i < entries.size(); ++i)
            queueIndex.insert(entries.at(i).id, i);
    }
    QList<const Row *> rows;
    for (const Row &row : std::as_const(m_rows))
        rows.append(&row);
    // Running first (oldest first), then the queue in its order, then the finished, newest first:
    // the job that matters is never below the fold.
    std::sort(rows.begin(), rows.end(), [&queueIndex](const Row *a, const Row *b) {
        if (a->group != b->group)
            return a->group < b->group;
        switch (a->group) {
        case Group::Running: return a->sequence < b->sequence;
        case Group::Pending: return queueIndex.value(a->entryId) < queueIndex.value(b->entryId);
        case Group::Finished: return a->sequence > b->sequence;
        }
        return false;
    });
    for (int i = 0; i < rows.size(); ++i) {
        if (m_rowsLayout->indexOf(rows.at(i)->widget) == i + 1)
            continue;
        m_rowsLayout->removeWidget(rows.at(i)->widget);
        m_rowsLayout->insertWidget(i + 1, rows.at(i)->widget); // after the "no migration" label
    }
    // Only pending rows can move, and not past the ends of the pending ones.
    const Row *firstPending = nullptr;
    const Row *lastPending = nullptr;
    for (const Row *row : std::as_const(rows)) {
        if (row->group == Group::Pending) {
            if (!firstPending)
                firstPending = row;
            lastPending = row;
        }
    }
    for (const Row *row : std::as_const(rows)) {
        if (row->up) {
            row->up->setEnabled(row != firstPending);
            row->down->setEnabled(row != lastPending);
        }
    }
    updateSummary();
}

void JobsPanel::updateSummary()
{
    int running = 0;
    int pending = 0;
    int finished = 0;
    for (const Row &row : std::as_const(m_rows)) {
        running += row.group == Group::Running ? 1 : 0;
        pending += row.group == Group::Pending ? 1 : 0;
        finished += row.group == Group::Finished ? 1 : 0;
    }
    QStringList parts;
    if (running > 0)
        parts.append(tr("%n running", nullptr, running));
    if (pending > 0)
        parts.append(tr("%n pending", nullptr, pending));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
    m_clear->setEnabled(finished > 0);
    Q_EMIT activityChanged(m_controller->runningCount());
}

void JobsPanel::clearRows()
{
    QSet<QString> kept;
    for (const MigrationProgress &job : m_controller->jobs())
        kept.insert(m_jobRows.value(job.jobId, job.jobId));
    if (m_scheduler) {
        for (const MigrationScheduler::Entry &entry : m_scheduler->entries())
            kept.insert(entryKey(entry.id));
    }
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        // A queued entry's row stays while the queue holds it, a foreign job's while the
        // controller does.
        const bool keep = it->entryId > 0 ? kept.contains(it.key()) : kept.contains(it->jobId);
        if (!keep) {
            m_jobRows.remove(it->jobId);
            delete it->widget;
            it = m_rows.erase(it);
        } else {
            ++it;
        }
    }
    m_empty->setVisible(m_rows.isEmpty());
    reorder();
}

const JobsPanel::Row *JobsPanel::entryRow(int entryId) const
{
    const auto it = m_rows.constFind(entryKey(entryId));
    return it == m_rows.cend() ? nullptr : &*it;
}

QProgressBar *JobsPanel::progressBar(const QString &jobId) const
{
    return m_rows.value(m_jobRows.value(jobId)).bar;
}

QToolButton *JobsPanel::cancelButton(const QString &jobId) const
{
    return m_rows.value(m_jobRows.value(jobId)).cancel;
}

QToolButton *JobsPanel::resumeButton(const QString &jobId) const
{
    return m_rows.value(m_jobRows.value(jobId)).resume;
}

QMenu *JobsPanel::contextMenu(const QString &jobId, QWidget *parent)
{
    const auto key = m_jobRows.constFind(jobId);
    if (key == m_jobRows.cend())
        return nullptr;
    const MigrationProgress p = m_rows.value(*key).shown;
    auto *menu = new QMenu(parent);
    menu->setToolTipsVisible(true);
    if (!migrationPhaseIsFinal(p.phase)) {
        QAction *cancel = menu->addAction(tr("&Cancel migration"));
        const QString refusal = migrationCancelRefusal(p.phase);
        cancel->setEnabled(p.cancellable());
        cancel->setToolTip(refusal.isEmpty() ? tr("Aborts the migration: the VM keeps running on its host.") : refusal);
        const int entryId = m_rows.value(*key).entryId;
        connect(cancel, &QAction::triggered, this, [this, entryId, jobId] {
            if (entryId > 0)
                m_scheduler->cancel(entryId);
            else
                m_controller->cancel(jobId);
        });
    }
    if (p.resumable()) {
        QAction *resume = menu->addAction(tr("&Resume migration"));
        resume->setToolTip(migrationCancelRefusal(p.phase));
        connect(resume, &QAction::triggered, this, [this, rowKey = *key] { resumeJob(rowKey); });
    }
    return menu;
}

void JobsPanel::resumeJob(const QString &key)
{
    const auto it = m_rows.find(key);
    if (it == m_rows.end() || it->jobId.isEmpty())
        return;
    QString error;
    if (!m_controller->resume(it->jobId, &error)) {
        it->details->setText(error);
        it->details->setStyleSheet(QStringLiteral("color: #c62828;"));
    }
}

QString JobsPanel::detailsText(const QString &jobId) const
{
    const Row row = m_rows.value(m_jobRows.value(jobId));
    return row.details ? row.details->text() : QString();
}

QToolButton *JobsPanel::entryButton(int entryId, Button button) const
{
    const Row *row = entryRow(entryId);
    if (!row)
        return nullptr;
    switch (button) {
    case Button::Up: return row->up;
    case Button::Down: return row->down;
    case Button::Cancel: return row->cancel;
    case Button::Retry: return row->retry;
    case Button::Resume: return row->resume;
    }
    return nullptr;
}

QString JobsPanel::entryDetailsText(int entryId) const
{
    const Row *row = entryRow(entryId);
    return row ? row->details->text() : QString();
}

QList<int> JobsPanel::shownEntries() const
{
    QList<int> ids;
    for (int i = 0; i < m_rowsLayout->count(); ++i) {
        QWidget *widget = m_rowsLayout->itemAt(i)->widget();
        for (const Row &row : m_rows) {
            if (row.widget == widget && row.entryId > 0)
                ids.append(row.entryId);
        }
    }
    return ids;
}

} // namespace Vigie
