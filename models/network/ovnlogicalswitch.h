#pragma once

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
    QString networkName;        // the localnet port's options:network_name
    QString localnetPort;       // its name
    QStringList portUuids;
    QMap<QString, QString> externalIds;

    [[nodiscard]] bool isVlan() const { return vlanId > 0; }
    [[nodiscard]] bool isOverlay() const { return vlanId == 0; }

    friend bool operator==(const OvnLogicalSwitch &, const OvnLogicalSwitch &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnLogicalSwitch)
