#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include "secretbytes.h"

namespace Vigie {

// One question libvirt's authentication asks (virConnectCredential), without libvirt types.
struct CredentialRequest
{
    enum class Kind { Username, Password, Passphrase, Other };
    Kind kind = Kind::Other;
    QString prompt;
    QString defaultValue;
    bool secret = false;
};

// The answers, in request order, as UTF-8 bytes (a QString cannot be wiped in place). Moved from
// the dialog to libvirt's callback, never copied; wiped when the reply goes. Held for one open
// call, never logged.
struct CredentialReply
{
    bool cancelled = true;
    QList<QByteArray> values;

    CredentialReply() = default;
    CredentialReply(CredentialReply &&other) noexcept
        : cancelled(other.cancelled)
        , values(std::move(other.values))
    {
    }
    CredentialReply &operator=(CredentialReply &&other) noexcept
    {
        if (this != &other) {
            wipe();
            cancelled = other.cancelled;
            values = std::move(other.values);
        }
        return *this;
    }
    CredentialReply(const CredentialReply &) = delete;
    CredentialReply &operator=(const CredentialReply &) = delete;
    ~CredentialReply() { wipe(); }

    // Fills every value with zeros where it is (see wipeSecret).
    void wipe()
    {
        for (const QByteArray &value : std::as_const(values))
            wipeSecret(value);
    }
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::CredentialRequest)
