#pragma once

#include "placement/newvm.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Vigie {

class Inventory;

// Confirms a placement from the palette: the new VM's name (a free one suggested), its tenant
// (the fleet's tenants offered), whether to start it; host, VLAN and size shown.
class NewVmDialog : public QDialog
{
    Q_OBJECT

public:
    NewVmDialog(const Inventory *inventory, const VmTemplate &tmpl, const QString &hostUri, int vlanId,
                QWidget *parent = nullptr);

    // The VM to create (its carrier left for SessionManager::createVm to find).
    [[nodiscard]] NewVm newVm() const;

private:
    void validate();

    const Inventory *m_inventory;
    VmTemplate m_template;
    QString m_hostUri;
    int m_vlanId;
    QLineEdit *m_name;
    QComboBox *m_tenant;
    QCheckBox *m_start;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
