#pragma once

#include "hypervisor/migration.h"
#include "placement/evacuationplan.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace Vigie {

// The plan of a host's evacuation, for the operator to change and approve: one row per VM that
// moves (its size, its destination to choose among the hosts the pre-flight accepts for it, what
// to know about the move), the VMs that stay and why, whether to copy the disks. Every change
// of a destination reviews the plan again (memory against the other moves, sites, tiers): a
// destination that cannot take its VMs any more is shown in red, and Evacuate is disabled
// until the operator resolves it. Works on the plan's values alone.
class EvacuationDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column { VmColumn, SizeColumn, DestinationColumn, NoteColumn, ColumnCount };

    EvacuationDialog(const EvacuationPlan &plan, const MigrationOptions &defaults, QWidget *parent = nullptr);

    // Under the plan, beside a warning sign: what the operator should know about the VMs as a
    // whole (the systems that own them and will not follow).
    void setCaveats(const QStringList &caveats);
    // The plan with the destinations chosen, reviewed.
    [[nodiscard]] EvacuationPlan plan() const { return m_plan; }
    // The defaults, with the disks copied or not as chosen.
    [[nodiscard]] MigrationOptions options() const;

Q_SIGNALS:
    void planChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void setDestination(int row, const QString &destUri);
    void showReview();

    EvacuationPlan m_plan;
    MigrationOptions m_defaults;
    QTableWidget *m_moves;
    QTreeWidget *m_unplaced = nullptr;
    QWidget *m_caveats;
    QLabel *m_caveatText;
    QLabel *m_problem;
    QWidget *m_problemRow = nullptr;
    QCheckBox *m_copyDisks;
    QPushButton *m_evacuate;
    bool m_fitted = false; // the height, once shown
};

} // namespace Vigie
