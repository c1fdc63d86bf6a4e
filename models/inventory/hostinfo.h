#pragma once

#include "networkinfo.h"
#include "vminfo.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Vigie {

enum class ConnectionState {
    Disconnected,
    Connecting,
    Connected,
    Unreachable, // was connected or tried to; a reconnect is scheduled
    Failed,      // gave up: wrong URI, wrong credentials
};

[[nodiscard]] QString connectionStateName(ConnectionState state); // stable keyword
[[nodiscard]] QString connectionStateDisplayName(ConnectionState state);

struct HostInfo
{
    QString uri;
    QString displayName; // host name, or the node file's name for test:/// hosts
    QString hostname;
    QString hypervisorType; // QEMU, Test, ...
    QString hypervisorVersion;
    QString libvirtVersion;
    QString cpuModel;
    int cpus = 0;
    int cpuMHz = 0;
    quint64 memoryKiB = 0;
    bool demo = false;
    ConnectionState state = ConnectionState::Disconnected;
    QString stateMessage; // libvirt's reason when unreachable or failed
    QDateTime stateSince;

    friend bool operator==(const HostInfo &, const HostInfo &) = default;
};

// Everything one session knows about its host, sent whole on (re)connection and resync.
struct HostSnapshot
{
    HostInfo host;
    QList<VmInfo> vms;
    QList<NetworkInfo> networks;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::HostInfo)
Q_DECLARE_METATYPE(Vigie::HostSnapshot)
