// The tenant scope: which VMs, hosts and VLANs one tenant sees, its share of a host, and the
// proxies that filter the VM table and the host tree by it (under the model tester).
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/roles.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Vigie;

namespace {

constexpr auto Tester = QAbstractItemModelTester::FailureReportingMode::QtTest;
const QString Hv1 = QStringLiteral("test:///hv1.xml");
const QString Hv2 = QStringLiteral("test:///hv2.xml");
const QString Hv3 = QStringLiteral("test:///hv3.xml");

VmInfo vm(const QString &host, const QString &name, const QString &tenant, int vcpus, quint64 memoryMiB, VmState state,
          const QList<int> &vlans)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = QStringLiteral("uuid-") + name;
    v.name = name;
    v.tenant = tenant;
    v.state = state;
    v.vcpus = vcpus;
    v.memoryKiB = v.maxMemoryKiB = memoryMiB * 1024;
    for (int tag : vlans) {
        NicInfo nic;
        nic.mac = QStringLiteral("52:54:00:00:%1:%2").arg(tag % 100, 2, 10, QLatin1Char('0')).arg(v.name.size(), 2, 10, QLatin1Char('0'));
        nic.sourceType = QStringLiteral("bridge");
        nic.source = QStringLiteral("br0");
        nic.vlanTags = {tag};
        v.nics.append(nic);
    }
    return v;
}

HostSnapshot host(const QString &uri, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1);
    s.host.state = ConnectionState::Connected;
    s.host.cpus = 32;
    s.host.memoryKiB = 64ULL * 1024 * 1024;
    s.vms = vms;
    return s;
}

QStringList names(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model.rowCount(parent); ++row)
        out.append(model.index(row, 0, parent).data(Qt::DisplayRole).toString());
    out.sort();
    return out;
}

} // namespace

class tst_TenantScope : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;

private Q_SLOTS:
    void initTestCase()
    {
        for (const QString &uri : {Hv1, Hv2, Hv3})
            m_inventory.addHost(uri);
        m_inventory.applySnapshot(host(Hv1, {vm(Hv1, QStringLiteral("acme-web"), QStringLiteral("acme"), 2, 2048, VmState::Running, {100}),
                                             vm(Hv1, QStringLiteral("acme-db"), QStringLiteral("acme"), 4, 8192, VmState::Shutoff, {200}),
                                             vm(Hv1, QStringLiteral("globex-1"), QStringLiteral("globex"), 8, 4096, VmState::Running, {300})}));
        m_inventory.applySnapshot(host(Hv2, {vm(Hv2, QStringLiteral("acme-batch"), QStringLiteral("acme"), 1, 1024, VmState::Running, {100}),
                                             vm(Hv2, QStringLiteral("nobody"), QString(), 1, 512, VmState::Running, {400})}));
        m_inventory.applySnapshot(host(Hv3, {vm(Hv3, QStringLiteral("globex-2"), QStringLiteral("globex"), 2, 2048, VmState::Running, {300})}));
    }

    void scope()
    {
        TenantScope scope(&m_inventory);
        QCOMPARE(TenantScope::tenants(m_inventory), (QStringList{QStringLiteral("acme"), QStringLiteral("globex")}));
        QVERIFY(!scope.isScoped());
        QVERIFY(scope.containsHost(Hv3));
        QCOMPARE(scope.committedVcpus(Hv1), m_inventory.committedVcpus(Hv1));

        QSignalSpy changed(&scope, &TenantScope::tenantChanged);
        scope.setTenant(QStringLiteral("acme"));
        scope.setTenant(QStringLiteral("acme"));
        QCOMPARE(changed.size(), 1);
        QVERIFY(scope.containsHost(Hv1));
        QVERIFY(scope.containsHost(Hv2));
        QVERIFY(!scope.containsHost(Hv3));
        QVERIFY(scope.containsVm({Hv1, QStringLiteral("uuid-acme-db")}));
        QVERIFY(!scope.containsVm({Hv1, QStringLiteral("uuid-globex-1")}));
        QVERIFY(!scope.containsVm({Hv2, QStringLiteral("uuid-nobody")}));
        QVERIFY(!scope.containsVm({Hv2, QStringLiteral("no-such-vm")}));
        QCOMPARE(scope.vlans(), (QList<int>{100, 200}));
        // The tenant's share of hv1: its running VM only (2 vCPUs, 2 GiB), of its two VMs there.
        QCOMPARE(scope.committedVcpus(Hv1), 2);
        QCOMPARE(scope.committedMemoryKiB(Hv1), 2048ULL * 1024);
        QCOMPARE(scope.vmCount(Hv1), 2);
        QCOMPARE(scope.committedVcpus(Hv3), 0);
        QCOMPARE(m_inventory.committedVcpus(Hv1), 10);
    }

    void vmTable()
    {
        VmTableModel model(&m_inventory);
        VmFilterProxyModel proxy;
        proxy.setInventory(&m_inventory);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, Tester);
        TenantScope scope(&m_inventory);
        proxy.setTenantScope(&scope);
        QCOMPARE(proxy.rowCount(), 6);
        scope.setTenant(QStringLiteral("acme"));
        QCOMPARE(names(proxy), (QStringList{QStringLiteral("acme-batch"), QStringLiteral("acme-db"), QStringLiteral("acme-web")}));
        // The filter box works within the scope.
        proxy.setFilterText(QStringLiteral("web"));
        QCOMPARE(names(proxy), QStringList{QStringLiteral("acme-web")});
        proxy.setFilterText({});
        scope.setTenant(QStringLiteral("globex"));
        QCOMPARE(names(proxy), (QStringList{QStringLiteral("globex-1"), QStringLiteral("globex-2")}));

        // A VM given to the tenant joins its view, one taken away leaves it.
        VmInfo moved = m_inventory.vm({Hv2, QStringLiteral("uuid-nobody")});
        moved.tenant = QStringLiteral("globex");
        m_inventory.updateVm(moved);
        QTRY_COMPARE(proxy.rowCount(), 3);
        moved.tenant.clear();
        m_inventory.updateVm(moved);
        QTRY_COMPARE(proxy.rowCount(), 2);
        scope.setTenant({});
        QCOMPARE(proxy.rowCount(), 6);
        // Nobody's tenant: an empty view, not every VM.
        scope.setTenant(QStringLiteral("initech"));
        QCOMPARE(proxy.rowCount(), 0);
    }

    void hostTree()
    {
        HostTreeModel model(&m_inventory);
        VmFilterProxyModel proxy;
        proxy.setInventory(&m_inventory);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, Tester);
        TenantScope scope(&m_inventory);
        proxy.setTenantScope(&scope);
        QCOMPARE(proxy.rowCount(), 3);
        scope.setTenant(QStringLiteral("acme"));
        // Only the hosts holding acme's VMs, and under each only acme's.
        QCOMPARE(proxy.rowCount(), 2);
        int vms = 0;
        for (int row = 0; row < proxy.rowCount(); ++row) {
            const QModelIndex hostIndex = proxy.index(row, 0);
            QCOMPARE(hostIndex.data(KindRole).toInt(), int(NodeKind::Host));
            QVERIFY(hostIndex.data(HostUriRole).toString() != Hv3);
            for (const QString &name : names(proxy, hostIndex))
                QVERIFY2(name.startsWith(QLatin1String("acme-")), qPrintable(name));
            vms += proxy.rowCount(hostIndex);
        }
        QCOMPARE(vms, 3);
        // The host rows count the tenant's VMs and give its share; without a scope, every VM.
        model.setTenantScope(&scope);
        const QModelIndex hv1 = model.hostIndex(Hv1);
        // (No translator here: the plural is the source's "VM(s)".)
        QCOMPARE(hv1.data().toString(), QStringLiteral("hv1.xml (2 VM(s) of acme)"));
        QVERIFY2(hv1.data(Qt::ToolTipRole).toString().contains(QStringLiteral("acme's share: 2 vCPUs (6 % of 32 CPUs), 2 GiB (3 % of 64 GiB)")),
                 qPrintable(hv1.data(Qt::ToolTipRole).toString()));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        scope.setTenant(QStringLiteral("globex"));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(hv1.data().toString(), QStringLiteral("hv1.xml (1 VM(s) of globex)"));
        QCOMPARE(proxy.rowCount(), 2);
        scope.setTenant({});
        QCOMPARE(proxy.rowCount(), 3);
        QCOMPARE(hv1.data().toString(), QStringLiteral("hv1.xml (3 VM(s))"));
        QVERIFY(!hv1.data(Qt::ToolTipRole).toString().contains(QStringLiteral("share")));
    }
};

QTEST_GUILESS_MAIN(tst_TenantScope)
#include "tst_tenantscope.moc"
