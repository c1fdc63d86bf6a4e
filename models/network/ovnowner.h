#pragma once

#include <QCoreApplication>
#include <QMap>
#include <QString>

namespace Vigie {

// Who owns a row of the controller's databases. A cloud manager keeps its rows in step with its
// own database and re-syncs them periodically: a change written behind its back is reverted or
// conflicts. Vigie writes only rows that no such owner marked.
enum class OvnOwner {
    None,    // no owner's marks: the lab's rows, an operator's, Vigie's own
    Neutron, // OpenStack Neutron's ML2/OVN driver (external_ids "neutron:*")
};

[[nodiscard]] inline OvnOwner ovnOwner(const QMap<QString, QString> &externalIds)
{
    // Keys sort, so the first key at or after "neutron:" tells.
    const auto it = externalIds.lowerBound(QStringLiteral("neutron:"));
    return it != externalIds.cend() && it.key().startsWith(QLatin1String("neutron:")) ? OvnOwner::Neutron : OvnOwner::None;
}

// The owner's name for the operator, and where to make the change instead.
[[nodiscard]] inline QString ovnOwnerName(OvnOwner owner)
{
    switch (owner) {
    case OvnOwner::None: return {};
    case OvnOwner::Neutron: return QCoreApplication::translate("Vigie::OvnOwner", "OpenStack Neutron");
    }
    return {};
}

[[nodiscard]] inline QString ovnOwnerAdvice(OvnOwner owner)
{
    switch (owner) {
    case OvnOwner::None: return {};
    case OvnOwner::Neutron:
        return QCoreApplication::translate("Vigie::OvnOwner",
                                           "Change it through OpenStack (Horizon, or the openstack network / port commands): "
                                           "Neutron would revert a change made in OVN behind its back.");
    }
    return {};
}

} // namespace Vigie
