#pragma once

#include "hypervisor/migration.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QTreeWidget;

namespace Vigie {

// Asks how to migrate one VM, or several at once (one plan, one confirmation), pre-filled with
// the given defaults (live, persistent on the destination, undefined on the source...). Several
// VMs are listed each with its pre-flight verdict: the refused ones say why and are left out.
// Offline VMs get the options that apply to them only. The queue's cap of migrations at once
// per host is set here too.
class MigrationDialog : public QDialog
{
    Q_OBJECT

public:
    struct Candidate
    {
        QString vmName;
        QString source; // host display name
        bool active = true;
        bool allowed = true;
        QString reason; // why not, when refused
    };

    MigrationDialog(const QString &vmName, const QString &source, const QString &destination, bool vmActive,
                    const MigrationOptions &defaults, QWidget *parent = nullptr);
    MigrationDialog(const QList<Candidate> &vms, const QString &destination, const MigrationOptions &defaults,
                    QWidget *parent = nullptr);

    [[nodiscard]] MigrationOptions options() const;
    // Migrations at once per host (the queue's cap).
    void setCapPerHost(int cap);
    [[nodiscard]] int capPerHost() const;
    // A line above the plan: why this destination (e.g. the best host, for a drop beside the hosts).
    void setNote(const QString &note);
    // Under the plan, beside a warning sign: what the operator should know before the move (the
    // systems that own the VMs and will not follow). Plain text the operator can select and copy
    // (it may hold the command that moves a VM through its owner).
    void setCaveats(const QStringList &caveats);
    // For tests: the list of VMs (several only).
    [[nodiscard]] QTreeWidget *vmList() const { return m_vms; }

private:
    QLabel *m_note;
    QWidget *m_caveats;
    QLabel *m_caveatText;
    QTreeWidget *m_vms = nullptr;
    QSpinBox *m_cap;
    QCheckBox *m_live;
    QCheckBox *m_persistent;
    QCheckBox *m_undefineSource;
    QSpinBox *m_maxDowntime;
    QSpinBox *m_bandwidth;
    QCheckBox *m_autoConverge;
    QCheckBox *m_compression;
    QCheckBox *m_postCopy;
    QCheckBox *m_copyStorage;
    QComboBox *m_mode;
};

} // namespace Vigie
