#include "desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QFileInfo>
#include <QVariantMap>

namespace Vigie {

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
}

bool DesktopNotifier::isAvailable() const
{
    // Without an address libdbus would try to autolaunch a bus (dbus-launch): only a bus that is
    // there already is used.
    if (!qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS")
        && !QFileInfo::exists(qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/bus")))
        return false;
    return QDBusConnection::sessionBus().isConnected();
}

bool DesktopNotifier::notify(const QString &summary, const QString &body)
{
    if (m_muted || !isAvailable())
        return false;
    QDBusMessage message = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    const QVariantMap hints{{QStringLiteral("urgency"), QVariant::fromValue(uchar(2))}, // critical
                            {QStringLiteral("desktop-entry"), QStringLiteral("vigie")}};
    // The body is markup for some servers: the names in it come from the hosts.
    const QString plain = body.toHtmlEscaped();
    message << QStringLiteral("Vigie") << uint(0) << QStringLiteral("dialog-warning") << summary << plain
            << QStringList() << hints << int(-1);
    // Not waited for: a slow or absent notification daemon holds up nothing.
    QDBusConnection::sessionBus().send(message);
    ++m_sent;
    return true;
}

} // namespace Vigie
