#pragma once

#include "hypervisor/credentials.h"

#include <QDialog>
#include <QList>

class QLineEdit;

namespace Vigie {

// Asks what libvirt's authentication needs for one connection (username, password,
// passphrase...). The answers go to libvirt once; the fields are cleared when the dialog closes.
class CredentialsDialog : public QDialog
{
    Q_OBJECT

public:
    CredentialsDialog(const QString &uri, const QList<CredentialRequest> &requests, QWidget *parent = nullptr);
    ~CredentialsDialog() override;

    [[nodiscard]] CredentialReply reply() const;
    // For tests and scripted use: fills field i.
    void setValue(int i, const QString &value);

private:
    QList<QLineEdit *> m_fields;
};

} // namespace Vigie
