#pragma once

#include <QMetaType>
#include <QString>

namespace Vigie {

// What a VM held during one history bucket, for usage reports (pay per use): integrals over the
// time Vigie saw the VM, so that buckets add up exactly (a minute into its hour, two parts of a
// minute, the hours of a month) whatever the VM's size did in between.
//
// The billing rule is recorded here, once: vCPUs and memory count only while the VM runs (a
// shut-off VM frees them on its host), its disks count whenever it is defined (the volumes stay
// allocated). A paused VM counts for nothing: during a migration the destination's paused copy
// is the same VM as the running source.
struct HistoryUsage
{
    QString tenant; // the tenant the VM belonged to then (the latest one in the bucket)
    qint64 upMs = 0;        // time seen defined (running or shut off)
    qint64 runMs = 0;       // of which running
    qint64 vcpuMs = 0;      // vCPUs x running time
    qint64 memoryMiBMs = 0; // MiB of memory x running time
    qint64 diskMiBMs = 0;   // MiB of disk capacity x defined time

    [[nodiscard]] bool isEmpty() const { return upMs == 0; }
    // b after this one: the integrals add, b's tenant (when it has one) is the latest.
    void add(const HistoryUsage &b)
    {
        upMs += b.upMs;
        runMs += b.runMs;
        vcpuMs += b.vcpuMs;
        memoryMiBMs += b.memoryMiBMs;
        diskMiBMs += b.diskMiBMs;
        if (!b.tenant.isEmpty() || tenant.isEmpty())
            tenant = b.tenant;
    }
    friend bool operator==(const HistoryUsage &, const HistoryUsage &) = default;
};

// One VM's allocation at one tick, as the inventory knows it: what HistoryUsage integrates.
struct VmAllocation
{
    QString uuid;
    QString name;
    QString tenant;
    int vcpus = 0;
    qint64 memoryMiB = 0;
    qint64 diskMiB = 0; // 0: unknown (libvirt's definitions carry no volume sizes)
    bool running = false;

    // Over durationMs: the billing rule above.
    [[nodiscard]] HistoryUsage usageOver(qint64 durationMs) const
    {
        HistoryUsage u;
        u.tenant = tenant;
        u.upMs = durationMs;
        u.diskMiBMs = diskMiB * durationMs;
        if (running) {
            u.runMs = durationMs;
            u.vcpuMs = qint64(vcpus) * durationMs;
            u.memoryMiBMs = memoryMiB * durationMs;
        }
        return u;
    }
};

// One VM's hour bucket as a usage report reads it (HistoryDatabase::usageRows).
struct HistoryUsageRow
{
    QString uuid;
    QString label; // the VM's last known name (empty: never recorded)
    qint64 startMs = 0;
    HistoryUsage usage;
    // The bucket's averages (NaN: none): CPU in % of the VM's vCPUs, network in bytes per second.
    float cpuPercent = 0;
    float netRxBytesPerSec = 0;
    float netTxBytesPerSec = 0;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VmAllocation)
