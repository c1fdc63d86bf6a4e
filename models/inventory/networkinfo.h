#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Vigie {

struct PortgroupInfo
{
    QString name;
    QList<int> vlanTags;
    bool isDefault = false;

    friend bool operator==(const PortgroupInfo &, const PortgroupInfo &) = default;
};

// A libvirt virtual network on one host, with the VLANs it carries.
struct NetworkInfo
{
    QString hostUri;
    QString uuid;
    QString name;
    QString bridge;
    QString forwardMode;    // nat, bridge, route, open, ... (empty: isolated)
    QString virtualPortType; // "openvswitch" for OVS-backed networks
    bool active = false;
    QList<int> vlanTags; // network-level tags
    QList<PortgroupInfo> portgroups;

    friend bool operator==(const NetworkInfo &, const NetworkInfo &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::NetworkInfo)
