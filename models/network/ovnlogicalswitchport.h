#pragma once

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// A logical switch port of the OVN northbound database.
struct OvnLogicalSwitchPort
{
    QString uuid;
    QString name;       // for VM ports, the OVS interface id (iface-id)
    QString switchUuid; // empty while no switch lists the port
    QString switchName;
    QStringList addresses; // "MAC IP...", "unknown", "router", "dynamic"
    QString type;          // "" (VM port), "localnet", "router", ...
    int tag = -1;          // tag, else tag_request; -1: none
    std::optional<bool> up; // unset until a chassis claims the port
    bool enabled = true;
    QMap<QString, QString> options;
    QMap<QString, QString> externalIds;

    [[nodiscard]] QString tenant() const { return externalIds.value(QStringLiteral("tenant")); }
    [[nodiscard]] QString vm() const { return externalIds.value(QStringLiteral("vm")); }

    friend bool operator==(const OvnLogicalSwitchPort &, const OvnLogicalSwitchPort &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvnLogicalSwitchPort)
