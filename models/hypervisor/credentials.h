#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

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

// The answers, in request order. Held only for the duration of one open call, never logged.
struct CredentialReply
{
    bool cancelled = true;
    QList<QString> values;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::CredentialRequest)
Q_DECLARE_METATYPE(Vigie::CredentialReply)
