#include "vmprovisioner.h"

#include "domainxml.h"
#include "libvirtutil.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>

namespace Vigie {

namespace {

DomainOperations::Outcome failed(const QString &message)
{
    return {false, message, {}};
}

// The pool named "default" if it runs, else the first active one.
Libvirt::StoragePool activePool(virConnectPtr conn)
{
    Libvirt::StoragePool pool(virStoragePoolLookupByName(conn, "default"));
    if (pool && virStoragePoolIsActive(pool.get()) == 1)
        return pool;
    virStoragePoolPtr *pools = nullptr;
    const int count = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
    std::vector<Libvirt::StoragePool> active = Libvirt::takeAll<Libvirt::StoragePool>(pools, count);
    return active.empty() ? Libvirt::StoragePool() : std::move(active.front());
}

// A volume that is deleted again unless kept.
class VolumeUndo
{
public:
    explicit VolumeUndo(Libvirt::StorageVolume volume)
        : m_volume(std::move(volume))
    {
    }
    ~VolumeUndo()
    {
        if (m_volume && !m_kept)
            virStorageVolDelete(m_volume.get(), 0);
    }
    VolumeUndo(const VolumeUndo &) = delete;
    VolumeUndo &operator=(const VolumeUndo &) = delete;

    void keep() { m_kept = true; }

private:
    Libvirt::StorageVolume m_volume;
    bool m_kept = false;
};

} // namespace

VmProvisioner::VmProvisioner(virConnectPtr conn)
    : m_conn(conn)
{
}

DomainOperations::Outcome VmProvisioner::create(const NewVm &vm) const
{
    const QByteArray capabilities = Libvirt::take(virConnectGetCapabilities(m_conn));
    if (capabilities.isEmpty())
        return failed(Libvirt::lastError());
    const std::optional<GuestCapabilities> guest = guestCapabilities(capabilities);
    if (!guest)
        return failed(QCoreApplication::translate("Vigie::HypervisorWorker", "the host offers no hardware-virtualized guest type"));

    Libvirt::StorageVolume volume;
    QString diskPath;
    if (vm.tmpl.diskGiB > 0) {
        const Libvirt::StoragePool pool = activePool(m_conn);
        if (!pool) {
            return failed(QCoreApplication::translate("Vigie::HypervisorWorker", "the host has no active storage pool for the %1 GiB disk: start or define "
                             "one (virsh pool-define-as default dir --target /var/lib/libvirt/images), "
                             "or use a template without a disk")
                              .arg(vm.tmpl.diskGiB));
        }
        volume.reset(virStorageVolCreateXML(pool.get(), vm.volumeXml().toUtf8().constData(), 0));
        if (!volume)
            return failed(Libvirt::lastError());
        diskPath = QString::fromUtf8(Libvirt::take(virStorageVolGetPath(volume.get())));
        if (diskPath.isEmpty()) {
            // Read before the pool goes: freeing it resets the thread's error.
            const QString message = Libvirt::lastError();
            virStorageVolDelete(volume.get(), 0);
            return failed(message);
        }
    }
    VolumeUndo undoVolume(std::move(volume));

    const Libvirt::Domain domain(virDomainDefineXML(m_conn, vm.domainXml(*guest, diskPath).toUtf8().constData()));
    if (!domain)
        return failed(Libvirt::lastError());
    DomainOperations::Outcome outcome{true, {}, Libvirt::uuidOf(domain.get())};
    if (vm.start && virDomainCreate(domain.get()) < 0) {
        outcome.ok = false;
        outcome.message = Libvirt::lastError();
        virDomainUndefine(domain.get());
        return outcome;
    }
    undoVolume.keep();
    return outcome;
}

} // namespace Vigie
