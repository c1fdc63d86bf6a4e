#pragma once

#include "hypervisor/credentials.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace Vigie {

// Asks what libvirt's authentication needs for one connection (username, password,
// passphrase...). The answers go to libvirt once; the fields are cleared when the dialog closes.
// Offered, a box keeps the password in the desktop's keyring (never anywhere else).
class CredentialsDialog : public QDialog
{
    Q_OBJECT

public:
    CredentialsDialog(const QString &uri, const QList<CredentialRequest> &requests, QWidget *parent = nullptr);
    ~CredentialsDialog() override;

    [[nodiscard]] CredentialReply reply() const;
    // Shows "Remember the password in the desktop's keyring", ticked or not.
    void offerToRemember(bool ticked);
    [[nodiscard]] bool remember() const;
    // A line above the fields (plain text): why the dialog is shown again, say.
    void setNote(const QString &note);
    // For tests and scripted use: fills field i.
    void setValue(int i, const QString &value);

private:
    QLabel *m_intro;
    QLabel *m_note;
    QFormLayout *m_form = nullptr;
    QCheckBox *m_remember = nullptr;
    QString m_uri;
    QList<QLineEdit *> m_fields;
};

} // namespace Vigie
