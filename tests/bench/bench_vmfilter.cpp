// What a keystroke in the VM filter costs on a large fleet: each query parsed once, then matched
// against every VM, alone (VmMatcher) and as the table does it (VmFilterProxyModel over
// VmTableModel, a full refilter). Prints microseconds per VM; never fails on timing.
//
//   build/tests/bench/bench_vmfilter [--vms 10000] [--hosts 50] [--rounds 5]
#include "inventory/inventory.h"
#include "inventory/vmmatcher.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

using namespace Vigie;

namespace {

void populate(Inventory &inventory, int vmCount, int hostCount)
{
    const QStringList tenants{QStringLiteral("acme"), QStringLiteral("globex"), QStringLiteral("banque lumière"),
                              QStringLiteral("initech"), QStringLiteral("umbrella")};
    const QStringList tags{QStringLiteral("web"), QStringLiteral("db"), QStringLiteral("prod"), QStringLiteral("ci"),
                           QStringLiteral("backup.nightly")};
    for (int h = 0; h < hostCount; ++h) {
        HostSnapshot snapshot;
        snapshot.host.uri = QStringLiteral("qemu+ssh://par-hv%1/system").arg(h, 2, 10, QLatin1Char('0'));
        snapshot.host.displayName = QStringLiteral("par-hv%1").arg(h, 2, 10, QLatin1Char('0'));
        snapshot.host.state = ConnectionState::Connected;
        NetworkInfo network;
        network.hostUri = snapshot.host.uri;
        network.name = QStringLiteral("ovs-prod");
        network.virtualPortType = QStringLiteral("openvswitch");
        network.active = true;
        for (int v = 0; v < 8; ++v)
            network.portgroups.append({QStringLiteral("vlan-%1").arg(100 + v), {100 + v}, v == 0});
        snapshot.networks = {network};
        for (int i = h; i < vmCount; i += hostCount) {
            VmInfo vm;
            vm.hostUri = snapshot.host.uri;
            vm.uuid = QStringLiteral("uuid-%1").arg(i);
            vm.name = QStringLiteral("%1-%2").arg(i % 3 == 0 ? QStringLiteral("web") : QStringLiteral("app")).arg(i, 5, 10, QLatin1Char('0'));
            vm.title = QStringLiteral("Service %1").arg(i % 97);
            vm.tenant = tenants.at(i % tenants.size());
            vm.state = i % 4 == 0 ? VmState::Shutoff : VmState::Running;
            vm.vcpus = 1 << (i % 5);
            vm.memoryKiB = quint64(512) * 1024 << (i % 7);
            vm.tags = {tags.at(i % tags.size())};
            for (int n = 0; n < 2; ++n) {
                NicInfo nic;
                nic.mac = QStringLiteral("52:54:00:%1:%2:%3").arg(i / 65536 % 256, 2, 16, QLatin1Char('0')).arg(i / 256 % 256, 2, 16, QLatin1Char('0')).arg((i + n) % 256, 2, 16, QLatin1Char('0'));
                nic.sourceType = QStringLiteral("network");
                nic.source = QStringLiteral("ovs-prod");
                nic.portgroup = QStringLiteral("vlan-%1").arg(100 + (i + n) % 8);
                vm.nics.append(nic);
            }
            snapshot.vms.append(vm);
        }
        inventory.applySnapshot(snapshot);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption vmsOption(QStringLiteral("vms"), QStringLiteral("VMs in the fleet"), QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption hostsOption(QStringLiteral("hosts"), QStringLiteral("hosts"), QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("repetitions of each query"), QStringLiteral("n"), QStringLiteral("5"));
    parser.addOptions({vmsOption, hostsOption, roundsOption});
    parser.process(app);
    const int vms = parser.value(vmsOption).toInt();
    const int rounds = qMax(1, parser.value(roundsOption).toInt());

    Inventory inventory;
    populate(inventory, vms, qMax(1, parser.value(hostsOption).toInt()));
    VmTableModel model(&inventory);
    VmFilterProxyModel proxy;
    proxy.setInventory(&inventory);
    proxy.setSourceModel(&model);
    const QList<VmKey> keys = inventory.vmKeys();
    std::printf("%d VMs on %d hosts\n", int(keys.size()), int(inventory.hostUris().size()));
    std::printf("%-58s %12s %12s %8s\n", "query", "matcher us/VM", "table us/VM", "rows");

    const QStringList queries{QStringLiteral("web"), QStringLiteral("acme running"), QStringLiteral("lumière"),
                              QStringLiteral("host:par-hv07"), QStringLiteral("tenant:acme state:running"),
                              QStringLiteral("vlan:103"), QStringLiteral("vlan:vlan-105"), QStringLiteral("tag:prod"),
                              QStringLiteral("mem>8G vcpus>=4"), QStringLiteral("name~^web-0[0-4]"),
                              QStringLiteral("-state:running tag~back"),
                              QStringLiteral("host:par-hv01 tenant:acme state:running vlan:103 mem>1G vcpus>=2 name~web tag:web"),
                              QStringLiteral("zzz")};
    for (const QString &text : queries) {
        VmMatcher matcher(&inventory);
        matcher.setText(text);
        QElapsedTimer timer;
        int matched = 0;
        timer.start();
        for (int r = 0; r < rounds; ++r) {
            for (const VmKey &key : keys)
                matched += matcher.matches(*inventory.findVm(key)) ? 1 : 0;
        }
        const double matcherUs = double(timer.nsecsElapsed()) / 1000.0 / rounds / double(keys.size());
        qint64 tableNs = 0;
        for (int r = 0; r < rounds; ++r) {
            proxy.setFilterText({});
            (void)proxy.rowCount();
            timer.restart();
            // What one keystroke does: a full refilter of the table (the proxy maps lazily: the
            // row count makes it filter, as a view asking for its rows does).
            proxy.setFilterText(text);
            (void)proxy.rowCount();
            tableNs += timer.nsecsElapsed();
        }
        const double tableUs = double(tableNs) / 1000.0 / rounds / double(keys.size());
        std::printf("%-58s %12.2f %12.2f %8d\n", qPrintable(text.left(58)), matcherUs, tableUs, proxy.rowCount());
        Q_UNUSED(matched);
    }

    // What each metrics tick costs the table's proxy: the model tells the CPU column of every
    // row (VmTableModel on MetricsStore::samplesAppended), sorted by name as the window opens.
    for (const QString &text : {QString(), QStringLiteral("acme running"), QString(), QStringLiteral("acme running")}) {
        static int pass = 0;
        // The first two without telling the proxy the CPU column is live (as before), then with.
        if (pass++ == 2)
            proxy.setLiveColumns({VmTableModel::CpuColumn});
        proxy.setFilterText(text);
        proxy.sort(VmTableModel::NameColumn);
        (void)proxy.rowCount();
        QList<qint64> ns;
        for (int r = 0; r < rounds * 4; ++r) {
            QElapsedTimer timer;
            timer.start();
            Q_EMIT model.dataChanged(model.index(0, VmTableModel::CpuColumn), model.index(model.rowCount() - 1, VmTableModel::CpuColumn));
            ns.append(timer.nsecsElapsed());
        }
        std::sort(ns.begin(), ns.end());
        std::printf("a metrics tick through the proxy, filter \"%s\", %s: median %.2f ms (%d rows shown)\n", qPrintable(text),
                    pass > 2 ? "CPU column live" : "every column matched again",
                    double(ns.at(ns.size() / 2)) / 1e6, proxy.rowCount());
    }
    return 0;
}
