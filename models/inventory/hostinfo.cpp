#include "hostinfo.h"

#include <QCoreApplication>

namespace Vigie {

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected: return QStringLiteral("disconnected");
    case ConnectionState::Connecting: return QStringLiteral("connecting");
    case ConnectionState::Connected: return QStringLiteral("connected");
    case ConnectionState::Unreachable: return QStringLiteral("unreachable");
    case ConnectionState::Failed: return QStringLiteral("failed");
    }
    return {};
}

QString connectionStateDisplayName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return QCoreApplication::translate("Vigie::ConnectionState", "Disconnected");
    case ConnectionState::Connecting:
        return QCoreApplication::translate("Vigie::ConnectionState", "Connecting");
    case ConnectionState::Connected:
        return QCoreApplication::translate("Vigie::ConnectionState", "Connected");
    case ConnectionState::Unreachable:
        return QCoreApplication::translate("Vigie::ConnectionState", "Unreachable");
    case ConnectionState::Failed:
        return QCoreApplication::translate("Vigie::ConnectionState", "Failed");
    }
    return {};
}

} // namespace Vigie
