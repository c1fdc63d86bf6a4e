#pragma once

#include "placement/vmtemplate.h"

#include <QDialog>
#include <QWidget>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListView;
class QSpinBox;

namespace Vigie {

class TemplateListModel;

// Edits one template: name, vCPUs, memory, system disk (0: none), OS label.
class TemplateDialog : public QDialog
{
    Q_OBJECT

public:
    explicit TemplateDialog(const VmTemplate &tmpl, QWidget *parent = nullptr);
    [[nodiscard]] VmTemplate value() const;

private:
    void validate();

    QLineEdit *m_name;
    QSpinBox *m_vcpus;
    QSpinBox *m_memoryMiB;
    QSpinBox *m_diskGiB;
    QLineEdit *m_osLabel;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// The palette of VM templates: dragged onto a host of the topology to place a new VM there.
// Add, edit (double-click, F2), duplicate, remove (Delete), restore the defaults; every change
// is saved in the settings at once.
class TemplatePalette : public QWidget
{
    Q_OBJECT

public:
    explicit TemplatePalette(QWidget *parent = nullptr);

    [[nodiscard]] TemplateListModel *model() const { return m_model; }
    [[nodiscard]] QListView *view() const { return m_view; }

    void addTemplate();
    void editCurrent();
    void duplicateCurrent();
    void removeCurrent();
    void restoreDefaults();

private:
    [[nodiscard]] int currentRow() const;

    TemplateListModel *m_model;
    QListView *m_view;
};

} // namespace Vigie
