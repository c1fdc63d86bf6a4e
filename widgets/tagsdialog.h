#pragma once

#include "inventory/vminfo.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QDialogButtonBox;

namespace Vigie {

// VM › Tags…: the tags of a selection of VMs, each with how many of them carry it. Unchecking a
// tag removes it from every VM, checking a partly-carried one adds it to all; typed tags are added
// to all. VMs another manager owns (OpenStack Nova) are listed and left out.
class TagsDialog : public QDialog
{
    Q_OBJECT

public:
    TagsDialog(const QList<VmInfo> &vms, QWidget *parent = nullptr);

    // The VMs the edit applies to (the selection less those Nova manages).
    [[nodiscard]] QList<VmKey> editable() const { return m_editable; }
    [[nodiscard]] QStringList added() const;
    [[nodiscard]] QStringList removed() const;

private:
    void validate();

    QList<VmKey> m_editable;
    QListWidget *m_list;
    QLineEdit *m_add;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
