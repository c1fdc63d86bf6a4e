// The GUI thread's cost of one change of the network picture at fleet size: 100 hosts of 198
// ML2/OVN-shaped VMs (one NIC each, 19,800 NICs), a northbound database with a Neutron port per
// NIC on 100 VLAN switches, a southbound one with a chassis per host and a binding per port.
// Both databases are served by Vigie's in-process OVSDB server on a thread of its own, so the
// GUI thread does only what it does in the window: the client's parsing and mapping, the
// correlation, the publication to the inventory and the models that follow them (mismatches,
// switches, policy, VM table, host tree).
//
// Each change is made in the databases (or the inventory, for a VM's own change) and the GUI
// thread's CPU time is read (CLOCK_THREAD_CPUTIME_ID) over a window in which it handles it and
// nothing else; an idle window is measured the same way and subtracted. The transactions' JSON is
// built before the window (the bench's work, not the window's). Prints figures; not a
// pass/fail test. --runs N repeats each change (median printed); --only TEXT measures only the
// changes whose description contains TEXT (for a profiler: --only moved --runs 50); --idle N
// measures N idle windows (3 by default).
#include "benchovsdbserver.h"
#include "demo/demoovsdbserver.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/hosttreemodel.h"
#include "itemmodels/logicalswitchmodel.h"
#include "itemmodels/networkmismatchmodel.h"
#include "itemmodels/policymodel.h"
#include "itemmodels/vmtablemodel.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QUuid>
#include <QTimer>

#include <algorithm>
#include <functional>

#include <time.h>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::Bench;

namespace {

constexpr int Hosts = 100;
constexpr int VmsPerHost = 198;
constexpr int Switches = 100;

QString hostName(int h)
{
    return u"cmp-%1"_s.arg(h, 3, 10, QLatin1Char('0'));
}

QString ipOf(int n)
{
    return u"10.%1.%2.%3"_s.arg(n % Switches).arg((n / Switches) / 250).arg((n / Switches) % 250 + 2);
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// The GUI thread's CPU time over WINDOW_MS of its event loop, after ACT.
double cpuOver(int windowMs, const std::function<void()> &act)
{
    const double before = threadCpuMs();
    act();
    QEventLoop loop;
    QTimer::singleShot(windowMs, &loop, &QEventLoop::quit);
    loop.exec();
    return threadCpuMs() - before;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at((values.size() - 1) / 2);
}

QJsonObject update(const QString &table, const QString &rowUuid, const QJsonObject &row)
{
    return QJsonObject{{u"op"_s, u"update"_s},
                       {u"table"_s, table},
                       {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, rowUuid}}}},
                       {u"row"_s, row}};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    int runs = 5;
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(u"--runs"_s); i >= 0 && i + 1 < args.size())
        runs = std::max(1, args.at(i + 1).toInt());
    QString only;
    if (const qsizetype i = args.indexOf(u"--only"_s); i >= 0 && i + 1 < args.size())
        only = args.at(i + 1);

    // Northbound: a Neutron network (VLAN switch with its localnet port) per VLAN, a port per NIC.
    QJsonObject switches, ports, chassis, encaps, bindings;
    QHash<int, QStringList> portsOfSwitch;
    const int nics = Hosts * VmsPerHost;
    for (int n = 0; n < nics; ++n) {
        const int sw = n % Switches;
        const int host = n / VmsPerHost;
        const QString portName = uuid(3, n);
        ports.insert(uuid(2, n),
                     QJsonObject{{u"name"_s, portName},
                                 {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{mac(n) + u' ' + ipOf(n)}}},
                                 {u"port_security"_s, QJsonArray{u"set"_s, QJsonArray{mac(n) + u' ' + ipOf(n)}}},
                                 {u"options"_s, map({{u"requested-chassis"_s, hostName(host)}})},
                                 {u"external_ids"_s, map({{u"neutron:device_id"_s, uuid(4, n)},
                                                          {u"neutron:device_owner"_s, u"compute:nova"_s},
                                                          {u"neutron:host_id"_s, hostName(host)},
                                                          {u"neutron:network_name"_s, u"neutron-"_s + uuid(1, sw)},
                                                          {u"neutron:cidrs"_s, ipOf(n) + u"/16"_s}})}});
        portsOfSwitch[sw].append(uuid(2, n));
        bindings.insert(uuid(7, n), QJsonObject{{u"logical_port"_s, portName},
                                                {u"chassis"_s, QJsonArray{u"uuid"_s, uuid(6, host)}},
                                                {u"up"_s, true}});
    }
    for (int sw = 0; sw < Switches; ++sw)
        insertVlanSwitch(&switches, &ports, sw, nics + sw, portsOfSwitch.value(sw));
    for (int h = 0; h < Hosts; ++h)
        insertChassis(&chassis, &encaps, h, hostName(h), u"10.255.0.%1"_s.arg(h + 1));

    QTemporaryDir dir;
    QString error;
    ServerThread nbServer, sbServer;
    if (!nbServer.start(readJson(u":/demo/ovn-nb.ovsschema"_s), QJsonObject{{u"Logical_Switch"_s, switches}, {u"Logical_Switch_Port"_s, ports}},
                        dir.filePath(u"nb.sock"_s), &error)
        || !sbServer.start(readJson(u":/demo/ovn-sb.ovsschema"_s),
                           QJsonObject{{u"Chassis"_s, chassis}, {u"Encap"_s, encaps}, {u"Port_Binding"_s, bindings}},
                           dir.filePath(u"sb.sock"_s), &error)) {
        out << "server: " << error << Qt::endl;
        return 1;
    }

    // The fleet as Nova writes it: a tap on br-int named after the port, the port's id as the
    // interface id, no libvirt VLAN.
    Inventory inventory;
    for (int h = 0; h < Hosts; ++h) {
        HostSnapshot snapshot;
        snapshot.host.uri = u"qemu+ssh://%1/system"_s.arg(hostName(h));
        snapshot.host.displayName = hostName(h);
        snapshot.host.hostname = hostName(h);
        snapshot.host.state = ConnectionState::Connected;
        for (int v = 0; v < VmsPerHost; ++v) {
            const int n = h * VmsPerHost + v;
            VmInfo vm;
            vm.hostUri = snapshot.host.uri;
            vm.uuid = uuid(4, n);
            vm.name = u"instance-%1"_s.arg(n, 8, 16, QLatin1Char('0'));
            vm.displayName = u"vm-%1"_s.arg(n);
            vm.manager = u"nova"_s;
            vm.state = VmState::Running;
            NicInfo nic;
            nic.mac = mac(n);
            nic.interfaceId = uuid(3, n);
            nic.target = u"tap"_s + uuid(3, n).left(11);
            nic.sourceType = u"bridge"_s;
            nic.source = u"br-int"_s;
            vm.nics.append(nic);
            snapshot.vms.append(vm);
        }
        inventory.applySnapshot(snapshot);
    }

    SessionManager sessions(&inventory);
    NetworkController controller(&inventory, &sessions);
    NetworkMismatchModel mismatches(controller.correlation());
    LogicalSwitchModel switchModel(controller.northbound(), controller.correlation());
    PolicyModel policy(&controller);
    VmTableModel table(&inventory);
    HostTreeModel tree(&inventory);
    controller.correlation()->setBindingGrace(0);

    QElapsedTimer clock;
    clock.start();
    const double syncCpu = threadCpuMs();
    controller.setSouthboundRemotes({sbServer.remote()});
    controller.setRemotes({nbServer.remote()});
    while (!(controller.isSynced() && controller.isSouthboundSynced()
             && controller.correlation()->matches().size() == nics)) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
        if (clock.elapsed() > 120000) {
            out << "not synchronised after 120 s: " << controller.correlation()->matches().size() << " matches" << Qt::endl;
            return 1;
        }
    }
    const qint64 syncMs = clock.elapsed();
    const double syncThreadMs = threadCpuMs() - syncCpu;
    out << "fleet: " << Hosts << " hosts, " << nics << " NICs, " << Switches << " VLAN switches, " << ports.size() << " ports, "
        << bindings.size() << " bindings" << Qt::endl;
    out << "connect, snapshot and first correlation: " << syncMs << " ms (GUI thread CPU " << qRound(syncThreadMs) << " ms), "
        << controller.correlation()->mismatchCount() << " mismatches" << Qt::endl;

    constexpr int WindowMs = 400;
    cpuOver(WindowMs, [] {}); // settle
    QList<double> idle;
    int idleWindows = 3;
    if (const qsizetype i = args.indexOf(u"--idle"_s); i >= 0 && i + 1 < args.size())
        idleWindows = std::max(3, args.at(i + 1).toInt());
    for (int i = 0; i < idleWindows; ++i)
        idle.append(cpuOver(WindowMs, [] {}));
    const double idleMs = median(idle);
    out << "idle: " << QString::number(idleMs, 'f', 2) << " ms of GUI thread CPU per " << WindowMs << " ms window (median of "
        << idleWindows << "; max " << QString::number(*std::max_element(idle.cbegin(), idle.cend()), 'f', 2) << ")" << Qt::endl;

    // Each change is prepared first (for the databases: the transaction's JSON, which the GUI
    // thread of the window never builds), then made and handled inside the measured window.
    struct Change
    {
        QString what;
        std::function<std::function<void()>(int)> prepare;
    };
    const auto sendNb = [&](const QJsonArray &operations) -> std::function<void()> {
        return [&nbServer, operations] { nbServer.transact(operations); };
    };
    const QList<Change> changes = {
        {u"a port's addresses changed (northbound)"_s,
         [&](int i) {
             const int n = 1000 + i;
             const QString a = mac(n) + u" 10.%1.99.%2"_s.arg(n % Switches).arg(i + 1);
             return sendNb(QJsonArray{update(u"Logical_Switch_Port"_s, uuid(2, n),
                                             QJsonObject{{u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{a}}}})});
         }},
        {u"a port moved to another VLAN switch (northbound)"_s,
         [&](int i) {
             const int n = 2000 + i;
             const int from = n % Switches;
             const int to = (from + 1) % Switches;
             QStringList fromPorts = portsOfSwitch.value(from);
             fromPorts.removeOne(uuid(2, n));
             portsOfSwitch[from] = fromPorts;
             portsOfSwitch[to].append(uuid(2, n));
             return sendNb(QJsonArray{
                 update(u"Logical_Switch"_s, uuid(1, from), QJsonObject{{u"ports"_s, uuidSet(fromPorts + QStringList{uuid(2, nics + from)})}}),
                 update(u"Logical_Switch"_s, uuid(1, to),
                        QJsonObject{{u"ports"_s, uuidSet(portsOfSwitch.value(to) + QStringList{uuid(2, nics + to)})}})});
         }},
        {u"a port's binding moved to another chassis (southbound)"_s,
         [&](int i) -> std::function<void()> {
             const int n = 3000 + i;
             const int host = (n / VmsPerHost + 1) % Hosts;
             const QJsonArray operations{update(u"Port_Binding"_s, uuid(7, n), QJsonObject{{u"chassis"_s, QJsonArray{u"uuid"_s, uuid(6, host)}}})};
             return [&sbServer, operations] { sbServer.transact(operations); };
         }},
        {u"a VM's title changed (inventory)"_s,
         [&](int i) -> std::function<void()> {
             // The window's own work: the inventory's update and what follows it.
             return [&inventory, i] {
                 const VmKey key{u"qemu+ssh://%1/system"_s.arg(hostName(i % Hosts)), uuid(4, (i % Hosts) * VmsPerHost + 7)};
                 VmInfo vm = inventory.vm(key);
                 vm.title = u"renamed %1"_s.arg(i);
                 inventory.updateVm(vm);
             };
         }},
    };
    for (const Change &change : changes) {
        if (!change.what.contains(only))
            continue;
        QList<double> costs;
        for (int i = 0; i < runs; ++i) {
            const std::function<void()> act = change.prepare(i);
            costs.append(cpuOver(WindowMs, act) - idleMs);
        }
        out << change.what << ": " << QString::number(median(costs), 'f', 2) << " ms of GUI thread CPU (median of " << runs
            << "; max " << QString::number(*std::max_element(costs.cbegin(), costs.cend()), 'f', 2) << ")" << Qt::endl;
    }
    out << "mismatches at the end: " << controller.correlation()->mismatchCount() << " (rows in the model: " << mismatches.rowCount() << ")"
        << Qt::endl;
    return 0;
}
