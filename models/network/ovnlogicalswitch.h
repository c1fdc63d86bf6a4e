#pragma once

#include "network/ovnowner.h"

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Vigie {

// A logical switch of the OVN northbound database. A VLAN is a switch with a localnet port whose
// tag (or tag_request) is the VLAN id; a switch without one is an overlay network.
struct OvnLogicalSwitch
{
    QString uuid;
    QString name;
    int vlanId = 0;             // 0: no tagged localnet port
    QString networkName;        // the localnet port's options:network_name (the physical network)
    QString localnetPort;       // its name
    QStringList portUuids;
    QMap<QString, QString> externalIds;
    QMap<QString, QString> otherConfig;

    [[nodiscard]] bool isVlan() const { return vlanId > 0; }
    [[nodiscard]] bool isOverlay() const { return localnetPort.isEmpty(); }
    // The name people know: Neutron names its switches "neutron-<network uuid>" and keeps the
    // network's name in external_ids.
    [[nodiscard]] QString displayName() const
    {
        const QString human = externalIds.value(QStringLiteral("neutron:network_name"));
        return human.isEmpty() ? name : human;
    }
    [[nodiscard]] OvnOwner owner() const { return ovnOwner(externalIds); }
    [[nodiscard]] QString tenant() const
    {
        const QString project = externalIds.value(QStringLiteral("neutron:project_id"));
        return project.isEmpty() ? externalIds.value(QStringLiteral("tenant")) : project;
    }

    friend bool operator==(const OvnLogicalSwitch &, const OvnLogicalSwitch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnLogicalSwitch)
