#pragma once

#include "hypervisor/migration.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace Vigie {

class MigrationController;

// The migrations, running and finished, one row each: VM, route, a progress bar that never goes
// backwards, libvirt's figures (throughput, remaining, pass, expected downtime) and Cancel while
// the job can still be cancelled. Finished rows keep the outcome until cleared.
class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPanel(MigrationController *controller, QWidget *parent = nullptr);

    [[nodiscard]] int rowCount() const { return int(m_rows.size()); }
    // For tests: the widgets of one job's row.
    [[nodiscard]] QProgressBar *progressBar(const QString &jobId) const;
    [[nodiscard]] QToolButton *cancelButton(const QString &jobId) const;
    [[nodiscard]] QString detailsText(const QString &jobId) const;

Q_SIGNALS:
    // A job started or finished: the window may raise the panel or say so in the status bar.
    void activityChanged(int running);

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QLabel *title = nullptr;
        QProgressBar *bar = nullptr;
        QLabel *details = nullptr;
        QToolButton *cancel = nullptr;
    };

    void addRow(const MigrationProgress &progress);
    void updateRow(const MigrationProgress &progress);
    void clearRows();
    [[nodiscard]] QString routeText(const MigrationProgress &progress) const;

    MigrationController *m_controller;
    QVBoxLayout *m_rowsLayout;
    QLabel *m_empty;
    QPushButton *m_clear;
    QHash<QString, Row> m_rows;
};

} // namespace Vigie
