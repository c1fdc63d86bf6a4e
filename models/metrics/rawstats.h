#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Vigie {

// One VM's cumulative counters as libvirt reported them at one instant, before any derivation.
// A field libvirt did not report is empty, never zero: "no value" must not plot as "idle".
struct RawVmStats
{
    QString uuid;
    int domainId = -1; // a new id means a new QEMU process: restart or migration back
    int state = 0;     // virDomainState
    qint64 monotonicNs = 0; // when it was read, for rates
    qint64 wallMs = 0;      // when it was read, for plots (ms since the epoch)

    std::optional<quint64> cpuTimeNs;
    std::optional<quint32> vcpus;
    std::optional<quint64> balloonCurrentKiB;
    std::optional<quint64> balloonAvailableKiB;
    std::optional<quint64> balloonUnusedKiB;
    std::optional<quint64> balloonRssKiB;

    // Sums over the devices that reported them; the count changes on hot(un)plug.
    int netDevices = 0;
    std::optional<quint64> rxBytes;
    std::optional<quint64> rxPackets;
    std::optional<quint64> txBytes;
    std::optional<quint64> txPackets;
    int blockDevices = 0;
    std::optional<quint64> readBytes;
    std::optional<quint64> readRequests;
    std::optional<quint64> writeBytes;
    std::optional<quint64> writeRequests;

    // A QEMU process exists (running, blocked, paused, shutting down, pmsuspended): counters exist.
    [[nodiscard]] bool hasProcess() const { return state != 0 && state != 5 && state != 6; }
};

// The host's own counters, summed over all CPUs.
struct RawHostStats
{
    qint64 monotonicNs = 0;
    qint64 wallMs = 0;
    std::optional<quint64> cpuBusyNs;
    std::optional<quint64> cpuTotalNs;
    std::optional<quint64> memoryTotalKiB;
    std::optional<quint64> memoryFreeKiB;   // free + buffers + cached: what the guests could get
};

} // namespace Vigie
