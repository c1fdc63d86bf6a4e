// VmProvisioner against libvirt's test driver (test:///default, whose active pool is
// "default-pool"), without a worker: which pool takes the disk, what is defined and started,
// and what a failed placement leaves behind (nothing). tst_hypervisorsession places VMs through
// the session and the inventory.
#include "hypervisor/inventoryreader.h"
#include "hypervisor/libvirtutil.h"
#include "hypervisor/vmprovisioner.h"

#include <QScopeGuard>
#include <QTest>

#include <libvirt/libvirt.h>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

NewVm newVm(const QString &name, int diskGiB, bool start)
{
    NewVm vm;
    vm.tmpl = {u"Small"_s, u"Debian 12"_s, 1, 256, quint64(diskGiB)};
    vm.name = name;
    vm.tenant = u"acme"_s;
    vm.start = start;
    return vm;
}

} // namespace

class TestVmProvisioner : public QObject
{
    Q_OBJECT

private:
    virConnectPtr m_conn = nullptr;
    const QString m_uri = u"test:///default"_s;

    [[nodiscard]] QStringList volumes(const char *poolName) const
    {
        const Libvirt::StoragePool pool(virStoragePoolLookupByName(m_conn, poolName));
        if (!pool)
            return {};
        virStorageVolPtr *list = nullptr;
        const int count = virStoragePoolListAllVolumes(pool.get(), &list, 0);
        QStringList names;
        for (const Libvirt::StorageVolume &volume : Libvirt::takeAll<Libvirt::StorageVolume>(list, count))
            names.append(QString::fromUtf8(virStorageVolGetName(volume.get())));
        return names;
    }
    [[nodiscard]] std::optional<VmInfo> read(const QString &uuid) const
    {
        const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
        QString error;
        return domain ? InventoryReader(m_conn, m_uri).domain(domain.get(), &error) : std::nullopt;
    }
    void remove(const QString &uuid) const
    {
        if (const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid)) {
            if (virDomainIsActive(domain.get()) == 1)
                virDomainDestroy(domain.get());
            virDomainUndefine(domain.get());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_conn = virConnectOpen("test:///default");
        QVERIFY2(m_conn, qPrintable(Libvirt::lastError()));
    }
    void cleanupTestCase() { virConnectClose(m_conn); }

    // The disk goes to "default" when it runs, else to any active pool; the VM is defined with
    // the volume as its disk, and started only when asked.
    void placesDiskAndDomain_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("defineDefault");
        QTest::addColumn<bool>("defaultRuns");
        QTest::addColumn<bool>("start");
        QTest::addColumn<QString>("pool");
        QTest::newRow("no pool named default: any active one") << u"prov-a"_s << false << false << true << u"default-pool"_s;
        QTest::newRow("default defined, not running: skipped") << u"prov-b"_s << true << false << false << u"default-pool"_s;
        QTest::newRow("default running: taken first") << u"prov-c"_s << true << true << false << u"default"_s;
    }

    void placesDiskAndDomain()
    {
        QFETCH(QString, name);
        QFETCH(bool, defineDefault);
        QFETCH(bool, defaultRuns);
        QFETCH(bool, start);
        QFETCH(QString, pool);
        const QByteArray poolName = pool.toUtf8();
        Libvirt::StoragePool defaultPool;
        if (defineDefault) {
            defaultPool.reset(virStoragePoolDefineXML(
                m_conn, "<pool type='dir'><name>default</name><target><path>/vigie-default</path></target></pool>", 0));
            QVERIFY2(defaultPool, qPrintable(Libvirt::lastError()));
            if (defaultRuns)
                QCOMPARE(virStoragePoolCreate(defaultPool.get(), 0), 0);
        }
        const auto dropDefault = qScopeGuard([&] {
            if (defaultPool) {
                if (virStoragePoolIsActive(defaultPool.get()) == 1)
                    virStoragePoolDestroy(defaultPool.get());
                virStoragePoolUndefine(defaultPool.get());
            }
        });
        const NewVm vm = newVm(name, 10, start);

        const DomainOperations::Outcome outcome = VmProvisioner(m_conn).create(vm);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QVERIFY(outcome.message.isEmpty());
        QVERIFY(!outcome.uuid.isEmpty()); // the worker reads it
        QVERIFY(volumes(poolName.constData()).contains(vm.volumeName()));
        const std::optional<VmInfo> placed = read(outcome.uuid);
        QVERIFY(placed);
        QCOMPARE(placed->name, name);
        QCOMPARE(placed->tenant, u"acme"_s);
        QCOMPARE(placed->state, start ? VmState::Running : VmState::Shutoff);
        QCOMPARE(placed->disks.size(), 1);
        QVERIFY2(placed->disks.first().source.endsWith(u"/"_s + vm.volumeName()), qPrintable(placed->disks.first().source));

        remove(outcome.uuid);
        const Libvirt::StoragePool used(virStoragePoolLookupByName(m_conn, poolName.constData()));
        const Libvirt::StorageVolume volume(virStorageVolLookupByName(used.get(), vm.volumeName().toUtf8().constData()));
        QVERIFY(volume);
        QCOMPARE(virStorageVolDelete(volume.get(), 0), 0);
    }

    // A template without a disk needs no pool: no volume is made.
    void withoutDisk()
    {
        const QStringList before = volumes("default-pool");
        const NewVm vm = newVm(u"prov-diskless"_s, 0, false);
        const DomainOperations::Outcome outcome = VmProvisioner(m_conn).create(vm);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QVERIFY(read(outcome.uuid)->disks.isEmpty());
        QCOMPARE(volumes("default-pool"), before);
        remove(outcome.uuid);
    }

    // The definition refused (the name of an existing domain, "test"): the volume made for it
    // is deleted again, and nothing is named to be read.
    void refusedDefinitionTakesTheVolumeBack()
    {
        const QStringList before = volumes("default-pool");
        NewVm vm = newVm(u"test"_s, 10, true);
        vm.uuid = u"7c6ab1d2-0000-4000-8000-0000000000aa"_s;
        const DomainOperations::Outcome outcome = VmProvisioner(m_conn).create(vm);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"test"_s), qPrintable(outcome.message));
        QVERIFY(outcome.uuid.isEmpty());
        QCOMPARE(volumes("default-pool"), before);
        QVERIFY(!Libvirt::lookup(m_conn, vm.uuid));
    }

    // No active pool at all: refused before anything is made, with the way out in the message.
    void noActivePool()
    {
        const Libvirt::StoragePool pool(virStoragePoolLookupByName(m_conn, "default-pool"));
        QVERIFY(pool);
        QCOMPARE(virStoragePoolDestroy(pool.get()), 0);
        const auto restart = qScopeGuard([&] { virStoragePoolCreate(pool.get(), 0); });
        const NewVm vm = newVm(u"prov-nopool"_s, 10, false);
        const DomainOperations::Outcome outcome = VmProvisioner(m_conn).create(vm);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"no active storage pool for the 10 GiB disk"_s), qPrintable(outcome.message));
        QVERIFY(outcome.uuid.isEmpty());
        QVERIFY(!Libvirt::Domain(virDomainLookupByName(m_conn, "prov-nopool")));
    }
};

QTEST_GUILESS_MAIN(TestVmProvisioner)
#include "tst_vmprovisioner.moc"
