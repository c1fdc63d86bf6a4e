#pragma once

#include "network/controllersettings.h"

#include <QDialog>

class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Vigie {

// File › Connect to network controller…: the remotes of the OVN northbound database and,
// optionally, of the southbound one, and the files for ssl: remotes, checked as the operator
// types. Accepted: settings() to connect with. "Disconnect" accepts with no remote at all.
class ControllerDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ControllerDialog(const ControllerSettings &current, QWidget *parent = nullptr);

    [[nodiscard]] ControllerSettings settings() const;

private:
    QLineEdit *fileField(const QString &objectName, const QString &title, const QString &filter, const QString &value);
    void validate();

    ControllerSettings m_current;
    QLineEdit *m_northbound;
    QLineEdit *m_southbound;
    QGroupBox *m_ssl;
    QLineEdit *m_caCertificate = nullptr;
    QLineEdit *m_certificate = nullptr;
    QLineEdit *m_privateKey = nullptr;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QPushButton *m_disconnect;
    bool m_disconnecting = false;
};

} // namespace Vigie
