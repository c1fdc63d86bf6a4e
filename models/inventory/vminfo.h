#pragma once

#include <QHashFunctions>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// libvirt's virDomainState, as our own type so that nothing above the hypervisor layer includes
// libvirt headers.
enum class VmState {
    NoState = 0,
    Running = 1,
    Blocked = 2,
    Paused = 3,
    ShuttingDown = 4,
    Shutoff = 5,
    Crashed = 6,
    Suspended = 7, // pmsuspended
};

[[nodiscard]] QString vmStateName(VmState state);       // stable keyword for JSON and logs
[[nodiscard]] QString vmStateDisplayName(VmState state); // translated
[[nodiscard]] VmState vmStateFromInt(int value);
// A libosinfo OS id as people say it: "http://debian.org/debian/12" -> "Debian 12",
// "http://microsoft.com/win/2k22" -> "Windows 2k22"; an unknown vendor's id as "name version"
// from its last two path parts; empty for an empty id.
[[nodiscard]] QString osDisplayName(const QString &osId);
// The other way, for the families osDisplayName() knows: "Debian 12" -> "http://debian.org/debian/12";
// empty for anything else (a template's free label such as "Appliance").
[[nodiscard]] QString osIdForName(const QString &name);

struct NicInfo
{
    QString mac;
    QString sourceType; // "network", "bridge", "direct", "user", ...
    QString source;     // network or bridge name
    QString portgroup;
    QList<int> vlanTags;
    QString interfaceId; // Open vSwitch virtualport interfaceid
    QString model;
    QString target; // tap device name while running

    friend bool operator==(const NicInfo &, const NicInfo &) = default;
};

struct DiskInfo
{
    QString device; // disk, cdrom, floppy, lun
    QString target; // vda, sdb, ...
    QString source; // file, block device or network name
    QString format; // qcow2, raw, ...
    // The size the guest sees (libvirt's block info), read by the host's worker; unknown when
    // libvirt could not tell (a network disk out of reach) or the host's figures are made up.
    std::optional<quint64> capacityBytes;

    friend bool operator==(const DiskInfo &, const DiskInfo &) = default;
};

// What libvirt said of a migration touching a domain when it was read. During a live migration
// the domain exists on both hosts: running on the source with the job (Outgoing), and paused
// with reason "migration" on the destination, where it only receives memory (Incoming).
enum class VmMigration {
    None,
    Outgoing,
    Incoming,
};

// A VM is the same VM on two hosts during a migration: the stable id is (host URI, UUID).
struct VmKey
{
    QString hostUri;
    QString uuid;

    [[nodiscard]] bool isValid() const { return !hostUri.isEmpty() && !uuid.isEmpty(); }
    friend bool operator==(const VmKey &, const VmKey &) = default;
    friend size_t qHash(const VmKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, key.hostUri, key.uuid);
    }
};

// A snapshot of one domain on one host; the key is (hostUri, uuid).
struct VmInfo
{
    QString hostUri;
    QString uuid;
    QString name;
    QString displayName; // the name its manager gave it (Nova's nova:name), when not the domain's
    QString manager;     // "nova" when OpenStack Nova wrote the domain (nova:instance metadata)
    QString title;
    QString description;
    QString tenant;
    QStringList tags; // operator tags (see VmTags), sorted
    QString osType;
    QString osId; // libosinfo's id of the guest OS ("http://debian.org/debian/12"), when its creator said
    VmState state = VmState::NoState;
    int vcpus = 0;
    quint64 memoryKiB = 0;    // current memory
    quint64 maxMemoryKiB = 0; // maximum memory
    bool persistent = true;
    VmMigration migration = VmMigration::None;
    // Paused by a migration that is no longer running (libvirt's PAUSED_MIGRATION or
    // PAUSED_POSTCOPY_FAILED without a job): it waits for an operator, who resumes it where it is.
    bool pausedByMigration = false;
    QList<NicInfo> nics;
    QList<DiskInfo> disks;
    QStringList warnings; // what the parser had to drop or clean up

    [[nodiscard]] bool isActive() const
    {
        return state != VmState::Shutoff && state != VmState::NoState && state != VmState::Crashed;
    }
    [[nodiscard]] QList<int> vlanTags() const; // every tag of every NIC, sorted, unique
    // The capacity of its disks (not CD-ROMs or floppies) whose size is known; nothing when none is.
    [[nodiscard]] std::optional<quint64> diskCapacityBytes() const;
    [[nodiscard]] VmKey key() const { return {hostUri, uuid}; }
    // Why Vigie does not rewrite this domain's definition behind its manager's back, or empty.
    [[nodiscard]] QString managerRefusal() const;
    // The name to show: a Nova instance ("instance-0000a1b2") by the name its users know first,
    // "k8s-worker-01 (instance-00000041)"; any other VM by its domain name.
    [[nodiscard]] QString shownName() const;
    friend bool operator==(const VmInfo &, const VmInfo &) = default;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VmInfo)
Q_DECLARE_METATYPE(Vigie::VmKey)
