#pragma once

#include <QByteArray>

#include <cstring>

namespace Vigie {

// Wipes a secret's bytes where they are, for every copy sharing them. QByteArray is implicitly
// shared: fill('\0') on a shared copy gives that copy new, zeroed bytes and leaves the secret in
// the others (a queued call's capture, a worker's member). Raw and static data (not allocated by
// QByteArray) are left alone.
inline void wipeSecret(const QByteArray &secret)
{
    if (secret.isEmpty() || !secret.data_ptr().isMutable())
        return;
    std::memset(const_cast<char *>(secret.constData()), 0, size_t(secret.size()));
}

} // namespace Vigie
