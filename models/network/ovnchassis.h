#pragma once

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Vigie {

// A chassis of the OVN southbound database: a hypervisor (or gateway) running ovn-controller.
struct OvnChassis
{
    QString uuid;
    QString name;     // the chassis' system-id
    QString hostname; // the host's name as ovn-controller saw it
    // Physical network -> bridge, from ovn-bridge-mappings (other_config since OVN 22.x,
    // external_ids before).
    QMap<QString, QString> bridgeMappings;
    QStringList encaps; // "geneve 192.0.2.10", sorted

    [[nodiscard]] bool mapsNetwork(const QString &physicalNetwork) const { return bridgeMappings.contains(physicalNetwork); }

    friend bool operator==(const OvnChassis &, const OvnChassis &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnChassis)
