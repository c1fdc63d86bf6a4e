#include "addressholds.h"

#include "network/subnetplan.h"

namespace Vigie {

quint64 AddressHolds::hold(const QString &switchUuid, const QString &address, const QString &port)
{
    if (address.isEmpty())
        return 0;
    const quint64 id = m_next++;
    m_holds.insert(id, {switchUuid, address, port});
    return id;
}

void AddressHolds::answered(quint64 id, bool ok)
{
    const auto it = m_holds.find(id);
    if (it == m_holds.end())
        return;
    if (ok)
        it->answered = true;
    else
        m_holds.erase(it);
}

void AddressHolds::rowsUpdated()
{
    m_holds.removeIf([](const auto &it) { return it.value().answered; });
}

void AddressHolds::applyTo(SubnetPlan *plan, const QString &switchUuid) const
{
    for (const Hold &hold : m_holds) {
        if (hold.switchUuid == switchUuid)
            plan->addUsed(hold.address, hold.port);
    }
}

} // namespace Vigie
