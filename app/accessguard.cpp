#include "accessguard.h"

#include "displaytext.h"
#include "hypervisor/accesspolicy.h"

#include <QAction>

namespace Vigie {

AccessGuard::AccessGuard(const AccessPolicy *policy, QObject *parent)
    : QObject(parent)
    , m_policy(policy)
{
}

void AccessGuard::guard(QAction *action, std::function<QStringList()> hosts, bool ownsEnabled)
{
    m_guarded.append({action, std::move(hosts), action->toolTip(), ownsEnabled});
}

QString AccessGuard::refusal(const QStringList &hosts) const
{
    return m_policy->writeRefusal(hosts);
}

void AccessGuard::apply()
{
    for (const Guarded &guarded : std::as_const(m_guarded)) {
        if (!guarded.action)
            continue;
        const QString why = refusal(guarded.hosts());
        if (!why.isEmpty())
            guarded.action->setEnabled(false);
        else if (guarded.ownsEnabled)
            guarded.action->setEnabled(true);
        guarded.action->setToolTip(why.isEmpty() ? guarded.toolTip : DisplayText::toolTip(why));
    }
}

} // namespace Vigie
