#pragma once

#include "hypervisor/migration.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace Vigie {

// Asks how to migrate one VM, pre-filled with the given defaults (live, persistent on the
// destination, undefined on the source...). Offline VMs get the options that apply to them only.
class MigrationDialog : public QDialog
{
    Q_OBJECT

public:
    MigrationDialog(const QString &vmName, const QString &source, const QString &destination, bool vmActive,
                    const MigrationOptions &defaults, QWidget *parent = nullptr);

    [[nodiscard]] MigrationOptions options() const;

private:
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
