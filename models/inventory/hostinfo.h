#pragma once

#include "networkinfo.h"
#include "vminfo.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

#include <optional>

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

// What libvirt said on a destination host of the CPU of a source host: whether a running VM of
// the source can move there (libvirt's explanation when not).
struct CpuCheck
{
    bool compatible = true;
    QString detail;

    friend bool operator==(const CpuCheck &, const CpuCheck &) = default;
};

// A host's CPU as another host's libvirt is asked about it: its HostInfo's definitions.
struct CpuSource
{
    QString uri;
    QString hypervisorCpuXml;
    QString hostCpuXml;
};

// What a destination said of one source's CPU; nullopt: not known (the driver cannot compare, or
// failed to).
struct CpuVerdict
{
    QString sourceUri;
    std::optional<CpuCheck> check;
};

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
    // The CPU a host-model guest gets here (domain capabilities), and the host's own CPU
    // (capabilities), as <cpu> definitions for libvirt's comparisons on other hosts. Empty where
    // the driver does not tell (libvirt's test driver).
    QString hypervisorCpuXml;
    QString hostCpuXml;
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

Q_DECLARE_METATYPE(Vigie::CpuCheck)
Q_DECLARE_METATYPE(Vigie::CpuVerdict)
Q_DECLARE_METATYPE(Vigie::HostInfo)
Q_DECLARE_METATYPE(Vigie::HostSnapshot)
