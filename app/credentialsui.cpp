#include "credentialsui.h"

#include "credentialsdialog.h"
#include "hypervisor/secretbytes.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "keyring.h"

#include <algorithm>

namespace Vigie {

namespace {

bool asksSecret(const QList<CredentialRequest> &requests)
{
    return std::any_of(requests.cbegin(), requests.cend(), [](const CredentialRequest &request) {
        return request.kind == CredentialRequest::Kind::Password || request.kind == CredentialRequest::Kind::Passphrase;
    });
}

// What the keyring can answer: a user name, one password or passphrase, or both (libvirt may ask
// for them in one call, as SASL does, or in two, as its test driver does); nothing else.
bool rememberable(const QList<CredentialRequest> &requests)
{
    int secrets = 0;
    for (const CredentialRequest &request : requests) {
        switch (request.kind) {
        case CredentialRequest::Kind::Username: break;
        case CredentialRequest::Kind::Password:
        case CredentialRequest::Kind::Passphrase: ++secrets; break;
        case CredentialRequest::Kind::Other: return false;
        }
    }
    return secrets <= 1 && !requests.isEmpty();
}

// The keyring's entry: the user name, a line feed, the password (which may hold anything).
QByteArray userOf(const QByteArray &entry)
{
    const qsizetype cut = entry.indexOf('\n');
    return cut < 0 ? QByteArray() : entry.left(cut);
}

QByteArray passwordOf(const QByteArray &entry)
{
    const qsizetype cut = entry.indexOf('\n');
    return cut < 0 ? entry : entry.mid(cut + 1);
}

} // namespace

CredentialsUi::CredentialsUi(SessionManager *sessions, Inventory *inventory, QWidget *window)
    : QObject(window)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_window(window)
    , m_keyring(new Keyring(this))
{
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        if (m_inventory->host(uri).state == ConnectionState::Connected) {
            m_givenFromKeyring.remove(uri);
            m_typedUsers.remove(uri);
        }
    });
}

QString CredentialsUi::entryOf(const QString &uri)
{
    return QStringLiteral("libvirt ") + uri;
}

void CredentialsUi::ask(const QString &uri, const QList<CredentialRequest> &requests)
{
    if (!rememberable(requests)) {
        showDialog(uri, requests, {}, {}, false);
        return;
    }
    // Given from the keyring before and asked again without having connected: refused. The
    // mark goes with the next question of a secret (a user name may be asked first, apart).
    const bool refused = asksSecret(requests) ? m_givenFromKeyring.remove(uri) : m_givenFromKeyring.contains(uri);
    m_keyring->read(entryOf(uri), [this, uri, requests, refused](Keyring::Answer answer) {
        if (answer.ok && !refused) {
            CredentialReply reply;
            reply.cancelled = false;
            for (const CredentialRequest &request : requests)
                reply.values.append(request.kind == CredentialRequest::Kind::Username ? userOf(answer.secret) : passwordOf(answer.secret));
            wipeSecret(answer.secret);
            if (asksSecret(requests))
                m_givenFromKeyring.insert(uri);
            m_sessions->provideCredentials(uri, std::move(reply));
            return;
        }
        // A keyring that does not answer is said once, where the password is asked, and no box
        // offers what it cannot keep.
        const bool keyringAnswered = answer.ok || answer.notFound;
        QString note;
        if (refused)
            note = tr("The password remembered in the desktop's keyring was refused: enter it again.");
        else if (!keyringAnswered && asksSecret(requests))
            note = tr("The desktop's keyring did not answer (%1): the password cannot be remembered.").arg(answer.error);
        showDialog(uri, requests, answer.ok ? answer.secret : QByteArray(), note, keyringAnswered);
        wipeSecret(answer.secret);
    });
}

void CredentialsUi::showDialog(const QString &uri, const QList<CredentialRequest> &requests, const QByteArray &remembered,
                               const QString &note, bool keyringAnswered)
{
    auto *dialog = new CredentialsDialog(uri, requests, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool offer = keyringAnswered && rememberable(requests) && asksSecret(requests);
    if (offer)
        dialog->offerToRemember(!remembered.isEmpty());
    // The remembered user name, not its password: the operator types that.
    if (rememberable(requests) && !userOf(remembered).isEmpty()) {
        for (int i = 0; i < requests.size(); ++i) {
            if (requests.at(i).kind == CredentialRequest::Kind::Username)
                dialog->setValue(i, QString::fromUtf8(userOf(remembered)));
        }
    }
    dialog->setNote(note);
    connect(dialog, &QDialog::finished, this,
            [this, dialog, uri, requests, offer, rememberedUser = userOf(remembered), hadEntry = !remembered.isEmpty()] {
                CredentialReply reply = dialog->reply();
                if (!reply.cancelled && rememberable(requests)) {
                    for (int i = 0; i < requests.size() && i < reply.values.size(); ++i) {
                        if (requests.at(i).kind == CredentialRequest::Kind::Username)
                            m_typedUsers.insert(uri, QByteArray(reply.values.at(i).constData(), reply.values.at(i).size())); // a copy: the reply is wiped
                    }
                    if (offer && dialog->remember())
                        keep(uri, requests, reply, m_typedUsers.value(uri, rememberedUser));
                    else if (offer && hadEntry)
                        m_keyring->remove(entryOf(uri), [](const Keyring::Answer &) {});
                }
                m_sessions->provideCredentials(uri, std::move(reply));
            });
    dialog->open();
    Q_EMIT dialogShown(dialog);
}

void CredentialsUi::keep(const QString &uri, const QList<CredentialRequest> &requests, const CredentialReply &reply,
                         const QByteArray &user)
{
    QByteArray password;
    for (int i = 0; i < requests.size() && i < reply.values.size(); ++i) {
        if (requests.at(i).kind != CredentialRequest::Kind::Username)
            password = reply.values.at(i);
    }
    QByteArray entry;
    entry.reserve(user.size() + 1 + password.size());
    entry.append(user).append('\n').append(password);
    // Wiped once the keyring has its own copy (the job shares these bytes until then).
    m_keyring->write(entryOf(uri), entry, [this, uri, entry](const Keyring::Answer &answer) {
        wipeSecret(entry);
        if (!answer.ok)
            Q_EMIT problem(tr("Password not remembered"),
                           tr("The desktop's keyring did not keep the password of %1: %2. It is asked again at the next connection.")
                               .arg(uri, answer.error));
    });
}

} // namespace Vigie
