#pragma once

#include "hypervisor/credentials.h"

#include <QObject>
#include <QHash>
#include <QSet>

class QWidget;

namespace Vigie {

class CredentialsDialog;
class Inventory;
class Keyring;
class SessionManager;

// A host's questions when it authenticates Vigie (SASL, ssh's password): the dialog, and the
// password the operator chose to remember, kept in the desktop's keyring under the host's URI.
// A remembered answer is given without a dialog, once: if the host refuses it (the next question
// comes before the host connected), the dialog shows again and says why.
class CredentialsUi : public QObject
{
    Q_OBJECT

public:
    CredentialsUi(SessionManager *sessions, Inventory *inventory, QWidget *window);

    void ask(const QString &uri, const QList<CredentialRequest> &requests);

    // The keyring entry of a host's credentials.
    [[nodiscard]] static QString entryOf(const QString &uri);

Q_SIGNALS:
    // The keyring could not keep the password: what happened (the connection goes on).
    void problem(const QString &title, const QString &text);
    // For tests: a dialog is shown.
    void dialogShown(Vigie::CredentialsDialog *dialog);

private:
    // KEYRING_ANSWERED: the box to remember the password is offered only when the keyring can keep it.
    void showDialog(const QString &uri, const QList<CredentialRequest> &requests, const QByteArray &remembered,
                    const QString &note, bool keyringAnswered);
    // Keeps USER and the reply's password in the keyring.
    void keep(const QString &uri, const QList<CredentialRequest> &requests, const CredentialReply &reply,
              const QByteArray &user);

    SessionManager *m_sessions;
    Inventory *m_inventory;
    QWidget *m_window;
    Keyring *m_keyring;
    QSet<QString> m_givenFromKeyring; // hosts answered from the keyring, not connected since
    QHash<QString, QByteArray> m_typedUsers; // the user name typed for a host (asked apart)
};

} // namespace Vigie
