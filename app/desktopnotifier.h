#pragma once

#include <QObject>

namespace Vigie {

// Desktop notifications through the freedesktop service (org.freedesktop.Notifications) on the
// session bus, asynchronously: nothing waits for the notification daemon. Without a session bus
// (a bare X server, tests) or when muted, nothing is shown, silently.
class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    explicit DesktopNotifier(QObject *parent = nullptr);

    void setMuted(bool muted) { m_muted = muted; }
    [[nodiscard]] bool isMuted() const { return m_muted; }
    // There is a session bus to send to (known on the first call).
    [[nodiscard]] bool isAvailable() const;
    // Sends a critical notification; false if nothing was sent (muted, no bus).
    bool notify(const QString &summary, const QString &body);
    // How many were sent, for tests.
    [[nodiscard]] int sentCount() const { return m_sent; }

private:
    bool m_muted = false;
    int m_sent = 0;
};

} // namespace Vigie
