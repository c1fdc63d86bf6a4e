#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QAction;

namespace Vigie {

class AccessPolicy;

// Disables the window's actions that would change a host reached through a read-only
// connection, with the reason as their tooltip. The window enables its actions as it always
// did, then calls apply(): a refused action is disabled whatever the window decided.
class AccessGuard : public QObject
{
    Q_OBJECT

public:
    explicit AccessGuard(const AccessPolicy *policy, QObject *parent = nullptr);

    // ACTION changes the hosts that HOSTS lists (those of the selection, when it runs).
    // OWNS_ENABLED: the window never enables or disables ACTION itself (a submenu), so the guard
    // enables it again once nothing refuses it.
    void guard(QAction *action, std::function<QStringList()> hosts, bool ownsEnabled = false);
    void apply();
    // The refusal for changing anything on HOSTS, or empty.
    [[nodiscard]] QString refusal(const QStringList &hosts) const;

private:
    struct Guarded
    {
        QPointer<QAction> action;
        std::function<QStringList()> hosts;
        QString toolTip; // the action's own
        bool ownsEnabled = false;
    };

    const AccessPolicy *m_policy;
    QList<Guarded> m_guarded;
};

} // namespace Vigie
