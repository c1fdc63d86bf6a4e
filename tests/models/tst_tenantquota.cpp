// Tenant quotas: the check the placement pre-flight runs (data-driven, with its messages), the
// usage counted from the inventory (stopped VMs count, a migrating VM counts once) and the
// settings round trip.
#include "inventory/inventory.h"
#include "placement/preflight.h"
#include "placement/tenantquota.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("test:///hv1.xml");
const QString Hv2 = QStringLiteral("test:///hv2.xml");

VmInfo vm(const QString &host, const QString &uuid, const QString &tenant, int vcpus, quint64 memoryMiB, VmState state)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = uuid;
    v.name = uuid;
    v.tenant = tenant;
    v.state = state;
    v.vcpus = vcpus;
    v.memoryKiB = v.maxMemoryKiB = memoryMiB * 1024;
    return v;
}

HostSnapshot host(const QString &uri, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1);
    s.host.state = ConnectionState::Connected;
    s.host.memoryKiB = 64ULL * 1024 * 1024;
    s.vms = vms;
    return s;
}

} // namespace

class tst_TenantQuota : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The messages' source text: the English catalogue (loaded by the application, not here)
    // gives "1 vCPU" and "3 vCPUs".
    void refusal_data()
    {
        QTest::addColumn<int>("quotaVcpus");
        QTest::addColumn<int>("quotaMemoryMiB");
        QTest::addColumn<int>("quotaDiskGiB");
        QTest::addColumn<int>("usedVcpus");
        QTest::addColumn<int>("usedMemoryMiB");
        QTest::addColumn<int>("vcpus");
        QTest::addColumn<int>("memoryMiB");
        QTest::addColumn<int>("diskGiB");
        QTest::addColumn<QString>("expected");

        QTest::newRow("no quota") << 0 << 0 << 0 << 500 << 900000 << 64 << 65536 << 1000 << QString();
        QTest::newRow("fits") << 16 << 32768 << 100 << 10 << 16384 << 2 << 4096 << 20 << QString();
        QTest::newRow("fits exactly") << 16 << 32768 << 100 << 12 << 28672 << 4 << 4096 << 100 << QString();
        QTest::newRow("vCPUs") << 16 << 0 << 0 << 13 << 0 << 4 << 1024 << 0 << QStringLiteral("quota: 3 vCPU(s) left of 16");
        QTest::newRow("one vCPU left") << 16 << 0 << 0 << 15 << 0 << 2 << 1024 << 0 << QStringLiteral("quota: 1 vCPU(s) left of 16");
        // A quota lowered under what the tenant holds: nothing left, never a negative figure.
        QTest::newRow("over already") << 8 << 0 << 0 << 12 << 0 << 1 << 512 << 0 << QStringLiteral("quota: 0 vCPU(s) left of 8");
        QTest::newRow("memory") << 0 << 32768 << 0 << 4 << 30720 << 1 << 4096 << 0
                                << QStringLiteral("quota: 2 GiB of memory left of 32 GiB");
        // vCPUs first, when both are short.
        QTest::newRow("both") << 4 << 1024 << 0 << 4 << 1024 << 1 << 1024 << 0 << QStringLiteral("quota: 0 vCPU(s) left of 4");
        QTest::newRow("disk") << 0 << 0 << 50 << 0 << 0 << 1 << 1024 << 80 << QStringLiteral("quota: 50 GiB of disk left of 50 GiB");
        QTest::newRow("firmware only") << 0 << 0 << 50 << 0 << 0 << 1 << 64 << 0 << QString();
    }

    void refusal()
    {
        QFETCH(int, quotaVcpus);
        QFETCH(int, quotaMemoryMiB);
        QFETCH(int, quotaDiskGiB);
        QFETCH(int, usedVcpus);
        QFETCH(int, usedMemoryMiB);
        QFETCH(int, vcpus);
        QFETCH(int, memoryMiB);
        QFETCH(int, diskGiB);
        QFETCH(QString, expected);
        const TenantQuota quota{quotaVcpus, quint64(quotaMemoryMiB), quint64(quotaDiskGiB)};
        TenantUsage usage;
        usage.vcpus = usedVcpus;
        usage.memoryMiB = quint64(usedMemoryMiB);
        QCOMPARE(TenantQuotas::refusal(quota, usage, vcpus, quint64(memoryMiB), quint64(diskGiB)), expected);
    }

    void usageAndPreflight()
    {
        Inventory inventory;
        inventory.addHost(Hv1);
        inventory.addHost(Hv2);
        inventory.applySnapshot(host(Hv1, {vm(Hv1, QStringLiteral("a"), QStringLiteral("acme"), 4, 4096, VmState::Running),
                                           vm(Hv1, QStringLiteral("b"), QStringLiteral("acme"), 8, 8192, VmState::Shutoff),
                                           vm(Hv1, QStringLiteral("c"), QStringLiteral("globex"), 16, 16384, VmState::Running)}));
        // "a" is being migrated: its paused copy is on hv2 too.
        inventory.applySnapshot(host(Hv2, {vm(Hv2, QStringLiteral("a"), QStringLiteral("acme"), 4, 4096, VmState::Paused)}));
        const TenantUsage usage = TenantQuotas::usage(inventory, QStringLiteral("acme"));
        QCOMPARE(usage.vms, 2);
        QCOMPARE(usage.vcpus, 12);
        QCOMPARE(usage.memoryMiB, quint64(12288));
        QVERIFY(!usage.diskGiB);

        Preflight preflight(&inventory);
        QVERIFY(preflight.checkQuota(QStringLiteral("acme"), 64, 1 << 20, 1000).allowed); // no quota set
        preflight.quotas().setQuota(QStringLiteral("acme"), {16, 0, 0});
        QVERIFY(preflight.checkQuota(QStringLiteral("acme"), 4, 1024, 10).allowed);
        const PlacementCheck refused = preflight.checkQuota(QStringLiteral("acme"), 5, 1024, 10);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.reason, QStringLiteral("quota: 4 vCPU(s) left of 16"));
        // Other tenants, and VMs naming none, are not bound by acme's quota.
        QVERIFY(preflight.checkQuota(QStringLiteral("globex"), 64, 1024, 0).allowed);
        QVERIFY(preflight.checkQuota(QString(), 64, 1024, 0).allowed);
    }

    // Disk sizes as the hosts told them (libvirt's block info): each VM's disks, not its CD-ROM,
    // rounded up to a GiB per VM; a migrating VM once; a VM whose sizes are unknown adds nothing.
    void diskUsageFromTheHosts()
    {
        const auto disk = [](const QString &device, const QString &target, std::optional<quint64> bytes) {
            DiskInfo d;
            d.device = device;
            d.target = target;
            d.capacityBytes = bytes;
            return d;
        };
        VmInfo a = vm(Hv1, QStringLiteral("a"), QStringLiteral("acme"), 1, 1024, VmState::Running);
        a.disks = {disk(QStringLiteral("disk"), QStringLiteral("vda"), 20ULL << 30), disk(QStringLiteral("disk"), QStringLiteral("vdb"), 512ULL << 20),
                   disk(QStringLiteral("cdrom"), QStringLiteral("sda"), 4ULL << 30)};
        VmInfo b = vm(Hv1, QStringLiteral("b"), QStringLiteral("acme"), 1, 1024, VmState::Shutoff);
        b.disks = {disk(QStringLiteral("disk"), QStringLiteral("vda"), std::nullopt)};
        QCOMPARE(a.diskCapacityBytes(), std::optional<quint64>((20ULL << 30) + (512ULL << 20)));
        QCOMPARE(b.diskCapacityBytes(), std::nullopt);
        Inventory inventory;
        inventory.addHost(Hv1);
        inventory.addHost(Hv2);
        inventory.applySnapshot(host(Hv1, {a, b}));
        VmInfo copy = a;
        copy.hostUri = Hv2;
        copy.state = VmState::Paused;
        inventory.applySnapshot(host(Hv2, {copy}));
        QCOMPARE(TenantQuotas::usage(inventory, QStringLiteral("acme")).diskGiB, std::optional<quint64>(21));
        Preflight preflight(&inventory);
        preflight.quotas().setQuota(QStringLiteral("acme"), {0, 0, 30});
        QVERIFY(preflight.checkQuota(QStringLiteral("acme"), 1, 1024, 9).allowed);
        const PlacementCheck refused = preflight.checkQuota(QStringLiteral("acme"), 1, 1024, 10);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.reason, QStringLiteral("quota: 9 GiB of disk left of 30 GiB"));
    }

    void settingsRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("quotas.conf"));
        TenantQuotas quotas;
        // Any character a tenant's name may hold, a settings key may not.
        const QString odd = QStringLiteral("banque/lumière = [x]");
        quotas.setQuota(QStringLiteral("acme"), {16, 32768, 500});
        quotas.setQuota(odd, {4, 0, 0});
        quotas.setQuota(QStringLiteral("unlimited"), {});
        QCOMPARE(quotas.tenants(), (QStringList{QStringLiteral("acme"), odd}));
        {
            QSettings settings(path, QSettings::IniFormat);
            quotas.save(settings);
        }
        TenantQuotas loaded;
        {
            QSettings settings(path, QSettings::IniFormat);
            loaded.load(settings);
        }
        QCOMPARE(loaded.tenants(), quotas.tenants());
        QCOMPARE(loaded.quota(QStringLiteral("acme")), (TenantQuota{16, 32768, 500}));
        QCOMPARE(loaded.quota(odd), (TenantQuota{4, 0, 0}));
        QVERIFY(loaded.quota(QStringLiteral("unlimited")).isUnlimited());
        // Saved again with one fewer: the old entry does not linger.
        loaded.setQuota(odd, {});
        {
            QSettings settings(path, QSettings::IniFormat);
            loaded.save(settings);
        }
        TenantQuotas again;
        QSettings settings(path, QSettings::IniFormat);
        again.load(settings);
        QCOMPARE(again.tenants(), QStringList{QStringLiteral("acme")});
    }
};

QTEST_GUILESS_MAIN(tst_TenantQuota)
#include "tst_tenantquota.moc"
