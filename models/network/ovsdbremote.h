#pragma once

#include <QString>

namespace Vigie {

// One OVSDB remote in ovs-vsctl notation: tcp:HOST:PORT, ssl:HOST:PORT (IPv6 hosts in brackets)
// or unix:PATH.
struct OvsdbRemote
{
    enum class Transport { Invalid, Tcp, Ssl, Unix };

    Transport transport = Transport::Invalid;
    QString host; // tcp/ssl (brackets removed)
    quint16 port = 0;
    QString path; // unix

    [[nodiscard]] static OvsdbRemote parse(const QString &text);
    [[nodiscard]] bool isValid() const { return transport != Transport::Invalid; }
    [[nodiscard]] QString toString() const;

    friend bool operator==(const OvsdbRemote &, const OvsdbRemote &) = default;
};

} // namespace Vigie
