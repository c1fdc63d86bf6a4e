#include "ovsdbremote.h"

namespace Vigie {

OvsdbRemote OvsdbRemote::parse(const QString &text)
{
    OvsdbRemote remote;
    if (text.startsWith(u"unix:")) {
        remote.path = text.mid(5);
        if (!remote.path.isEmpty())
            remote.transport = Transport::Unix;
        return remote;
    }
    Transport transport = Transport::Invalid;
    if (text.startsWith(u"tcp:"))
        transport = Transport::Tcp;
    else if (text.startsWith(u"ssl:"))
        transport = Transport::Ssl;
    else
        return remote;
    const QString rest = text.mid(4);
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon <= 0)
        return remote;
    QString host = rest.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return remote; // an IPv6 address needs brackets
    bool ok = false;
    const uint port = rest.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535 || host.isEmpty())
        return remote;
    remote.transport = transport;
    remote.host = host;
    remote.port = quint16(port);
    return remote;
}

QString OvsdbRemote::toString() const
{
    const QString h = host.contains(u':') ? u'[' + host + u']' : host;
    switch (transport) {
    case Transport::Tcp: return QStringLiteral("tcp:%1:%2").arg(h).arg(port);
    case Transport::Ssl: return QStringLiteral("ssl:%1:%2").arg(h).arg(port);
    case Transport::Unix: return QStringLiteral("unix:") + path;
    case Transport::Invalid: break;
    }
    return {};
}

} // namespace Vigie
