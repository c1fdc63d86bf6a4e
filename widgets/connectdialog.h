#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QDialogButtonBox;
class QLineEdit;

namespace Vigie {

// File › Connect to host…: a libvirt URI and whether to open it read-only (the hypervisor then
// refuses every change made through the connection).
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    [[nodiscard]] QString uri() const;
    [[nodiscard]] bool readOnly() const;
    // Read-only for the whole session (--read-only): the checkbox is ticked and locked.
    void setReadOnlyForced(bool forced);

private:
    QLineEdit *m_uri;
    QCheckBox *m_readOnly;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
