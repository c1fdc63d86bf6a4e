#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// Where a logical port is bound right now (southbound Port_Binding): ovn-controller claims it
// when the VIF with that iface-id appears on its integration bridge. Chassis are by uuid.
struct OvnPortBinding
{
    QString uuid;
    QString logicalPort; // the northbound port's name
    QString type;
    QString chassis;                // empty: unbound
    QStringList additionalChassis;  // during a live migration with activation-strategy
    QString requestedChassis;       // the chassis the port is to be bound to, if one is named
    std::optional<bool> up;

    [[nodiscard]] bool isBound() const { return !chassis.isEmpty(); }

    friend bool operator==(const OvnPortBinding &, const OvnPortBinding &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnPortBinding)
