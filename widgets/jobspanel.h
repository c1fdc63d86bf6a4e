#pragma once

#include "hypervisor/migration.h"
#include "hypervisor/migrationscheduler.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace Vigie {

class MigrationController;

// The migrations, one row each: running ones first, then the queue's pending ones in their
// order, then the finished ones, newest first. A row shows the VM, its route, a progress bar
// that never goes backwards, libvirt's figures (throughput, remaining, pass, expected downtime)
// and what can be done: move a pending one up or down, cancel it (pending: it never starts;
// running: aborted), retry a failed or cancelled one. The cap of migrations at once per host is
// set at the top. Without a scheduler, the controller's jobs alone are shown.
class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Button { Up, Down, Cancel, Retry, Resume };

    explicit JobsPanel(MigrationController *controller, MigrationScheduler *scheduler = nullptr, QWidget *parent = nullptr);

    [[nodiscard]] int rowCount() const { return int(m_rows.size()); }
    // For tests: the widgets of one job's row (a queued one's, once started).
    [[nodiscard]] QProgressBar *progressBar(const QString &jobId) const;
    [[nodiscard]] QToolButton *cancelButton(const QString &jobId) const;
    [[nodiscard]] QToolButton *resumeButton(const QString &jobId) const;
    // The row's context menu (what its buttons do, and why what cannot be done cannot): a new
    // menu the caller owns. For a job's row; nullptr when there is none.
    [[nodiscard]] QMenu *contextMenu(const QString &jobId, QWidget *parent = nullptr);
    [[nodiscard]] QString detailsText(const QString &jobId) const;
    // For tests: a queue entry's row.
    [[nodiscard]] QToolButton *entryButton(int entryId, Button button) const;
    [[nodiscard]] QString entryDetailsText(int entryId) const;
    // The queue entries in the order their rows are shown.
    [[nodiscard]] QList<int> shownEntries() const;
    [[nodiscard]] QSpinBox *capSpinBox() const { return m_cap; }

Q_SIGNALS:
    // A job started or finished: the window may raise the panel or say so in the status bar.
    void activityChanged(int running);

private:
    enum class Group { Running, Pending, Finished };
    struct Row
    {
        QWidget *widget = nullptr;
        QLabel *title = nullptr;
        QProgressBar *bar = nullptr;
        QLabel *details = nullptr;
        QToolButton *up = nullptr;
        QToolButton *down = nullptr;
        QToolButton *cancel = nullptr;
        QToolButton *retry = nullptr;
        QToolButton *resume = nullptr;
        MigrationProgress shown; // the job as last shown (its context menu follows it)
        int entryId = 0;
        QString jobId;
        Group group = Group::Pending;
        quint64 sequence = 0; // when it last changed group
    };

    Row &addRow(const QString &key, const QString &title, int entryId);
    void addJobRow(const MigrationProgress &progress);
    void addEntryRow(const MigrationScheduler::Entry &entry);
    void entryChanged(const MigrationScheduler::Entry &entry);
    void updateJob(const MigrationProgress &progress);
    void resumeJob(const QString &key);
    void showProgress(Row &row, const MigrationProgress &progress);
    void setGroup(Row &row, Group group);
    void reorder();
    void clearRows();
    void updateSummary();
    [[nodiscard]] QString routeText(const QString &vmName, const QString &sourceUri, const QString &destUri, bool demo,
                                    bool adopted = false) const;
    [[nodiscard]] const Row *entryRow(int entryId) const;

    MigrationController *m_controller;
    MigrationScheduler *m_scheduler;
    QVBoxLayout *m_rowsLayout;
    QLabel *m_empty;
    QLabel *m_summary;
    QSpinBox *m_cap;
    QPushButton *m_clear;
    QHash<QString, Row> m_rows;        // by key: "queue-<entry>" or a job id outside the queue
    QHash<QString, QString> m_jobRows; // job id -> row key
    quint64 m_sequence = 0;
};

} // namespace Vigie
