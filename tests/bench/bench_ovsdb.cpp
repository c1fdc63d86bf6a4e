// Parses and applies a synthetic OVN northbound snapshot (200 switches, 20,000 ports) through the
// client's own code path: framer, table cache, OVN mapping; then one incremental update and the
// correlation with one VM per port. Prints figures; not a pass/fail test. --runs N repeats it and
// prints the medians.
//
// Against a real ovsdb-server (tests/bench/nb-20k.sh makes one with the same 20,000 ports):
// --controller REMOTE [--runs N] times Vigie's NetworkController from setRemotes() to the snapshot
// mapped, then correlated with 19,800 ML2/OVN-shaped VMs and published to the inventory (a new
// connection per run; medians printed). --remote REMOTE times the bare client: connect to the
// snapshot mapped, peak memory, and a transaction to its update applied.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/logicalswitchmodel.h"
#include "network/jsonrpcframer.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovsdbcache.h"
#include "network/ovsdbclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>

#include <malloc.h>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

QString uuid(int kind, int n)
{
    return u"%1-0000-4000-8000-%2"_s.arg(kind, 8, 16, QLatin1Char('0')).arg(n, 12, 16, QLatin1Char('0'));
}

// Bytes in use on the heap (glibc), to tell what a structure holds apart from RSS.
qint64 heapMiB()
{
    return qint64(mallinfo2().uordblks) / (1024 * 1024);
}

qint64 statusKiB(const char *field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QByteArray schemaJson()
{
    QFile file(u"/usr/share/ovn/ovn-nb.ovsschema"_s);
    if (file.open(QIODevice::ReadOnly))
        return file.readAll();
    return {};
}

int benchRemote(const QString &remote)
{
    QTextStream out(stdout);
    OvsdbClient client;
    OvnNorthbound nb;
    nb.attach(&client);
    client.setRemotes({remote});
    QElapsedTimer timer;
    qint64 snapshotMs = -1;
    qint64 rssBefore = 0; // KiB
    QString portUuid;
    QObject::connect(&client, &OvsdbClient::synchronised, &client, [&] {
        if (snapshotMs >= 0)
            return;
        snapshotMs = timer.elapsed();
        const qint64 hwm = statusKiB("VmHWM:");
        // What the snapshot holds once the reading's garbage is given back (every arena: the
        // reply is parsed on a pool thread), against the peak the reading reached.
        malloc_trim(0);
        const qint64 held = statusKiB("VmRSS:") - rssBefore;
        const qsizetype ports = std::max<qsizetype>(1, nb.portCount());
        out << "real server " << remote << ": " << nb.switchCount() << " switches, " << nb.portCount() << " ports\n"
            << "  connect to snapshot applied (handshake, monitor_cond_since, cache, OVN mapping): " << snapshotMs << " ms\n"
            << "  peak RSS (VmHWM) " << hwm / 1024 << " MiB, heap in use " << heapMiB() << " MiB\n"
            << "  held after the snapshot: " << held * 1024 / ports << " bytes per port (RSS over the process before it, "
            << held / 1024 << " MiB); peak over held: " << QString::number(double(hwm - rssBefore) / double(std::max<qint64>(1, held)), 'f', 2)
            << "x" << Qt::endl;
        const OvnLogicalSwitchPort port = nb.portByName(u"sw7-p42"_s);
        portUuid = port.uuid;
        timer.restart();
        client.transact(QJsonArray{QJsonObject{
            {u"op"_s, u"mutate"_s},
            {u"table"_s, u"Logical_Switch_Port"_s},
            {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, port.uuid}}}},
            {u"mutations"_s, QJsonArray{QJsonArray{u"external_ids"_s, u"insert"_s,
                                                   QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"bench"_s, QString::number(QDateTime::currentMSecsSinceEpoch())}}}}}}}});
    });
    QObject::connect(&nb, &OvnNorthbound::portChanged, &client, [&](const OvnLogicalSwitchPort &port) {
        if (port.uuid != portUuid || port.externalIds.value(u"bench"_s).isEmpty())
            return;
        out << "  transaction to its update applied (round trip, one port): " << QString::number(double(timer.nsecsElapsed()) / 1e6, 'f', 2)
            << " ms" << Qt::endl;
        // Remove the key again so repeated runs start from the same database.
        client.transact(QJsonArray{QJsonObject{{u"op"_s, u"mutate"_s},
                                               {u"table"_s, u"Logical_Switch_Port"_s},
                                               {u"where"_s, QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, port.uuid}}}},
                                               {u"mutations"_s, QJsonArray{QJsonArray{u"external_ids"_s, u"delete"_s, QJsonArray{u"set"_s, QJsonArray{u"bench"_s}}}}}}},
                        [](const OvsdbTransactResult &) { QCoreApplication::quit(); });
    });
    QObject::connect(&client, &OvsdbClient::connectionFailed, &client, [&](const QString &, const QString &error) {
        out << "connection failed: " << error << Qt::endl;
        QCoreApplication::exit(1);
    });
    rssBefore = statusKiB("VmRSS:");
    timer.start();
    client.start();
    return QCoreApplication::exec();
}


// One in-process snapshot: the monitor reply built, then framed, parsed, cached and mapped; one
// incremental update; the correlation with an inventory of one VM per port. Prints the details
// when VERBOSE; *FIGURES gets the times.
struct SnapshotFigures
{
    double frameMs = 0;
    double cacheMs = 0;
    double mapMs = 0;
    double totalMs = 0;
    double correlateMs = 0;
};

bool snapshotRun(const OvsdbSchema &schema, bool verbose, SnapshotFigures *figures)
{
    QTextStream out(stdout);
    const int switches = 200;
    const int portsPerSwitch = 100;

    QString error;

    // The monitor_cond_since reply as ovsdb-server would send it.
    QJsonObject lsRows, lspRows;
    for (int s = 0; s < switches; ++s) {
        QJsonArray ports;
        for (int p = 0; p < portsPerSwitch; ++p) {
            const int n = s * portsPerSwitch + p;
            ports.append(QJsonArray{u"uuid"_s, uuid(2, n)});
            QJsonObject row{{u"name"_s, uuid(3, n)},
                            {u"addresses"_s, u"52:54:00:%1:%2:%3 10.%4.%5.%6"_s.arg(s % 256, 2, 16, QLatin1Char('0')).arg(p / 256, 2, 16, QLatin1Char('0')).arg(p % 256, 2, 16, QLatin1Char('0')).arg(s / 256).arg(s % 256).arg(p + 1)},
                            {u"up"_s, true},
                            {u"enabled"_s, true},
                            {u"external_ids"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"tenant"_s, u"tenant-%1"_s.arg(s % 7)}, QJsonArray{u"vm"_s, u"vm-%1"_s.arg(n)}}}}};
            if (p == 0) {
                row = QJsonObject{{u"name"_s, u"ln-sw%1"_s.arg(s)}, {u"type"_s, u"localnet"_s}, {u"addresses"_s, u"unknown"_s},
                                  {u"tag_request"_s, 100 + s}, {u"options"_s, QJsonArray{u"map"_s, QJsonArray{QJsonArray{u"network_name"_s, u"physnet"_s}}}}};
            }
            lspRows.insert(uuid(2, n), QJsonObject{{u"initial"_s, row}});
        }
        lsRows.insert(uuid(1, s), QJsonObject{{u"initial"_s, QJsonObject{{u"name"_s, u"sw%1"_s.arg(s)}, {u"ports"_s, QJsonArray{u"set"_s, ports}}}}});
    }
    const QJsonObject reply{{u"id"_s, 4},
                            {u"error"_s, QJsonValue::Null},
                            {u"result"_s, QJsonArray{false, uuid(9, 1), QJsonObject{{u"Logical_Switch"_s, lsRows}, {u"Logical_Switch_Port"_s, lspRows}}}}};
    const QByteArray wire = QJsonDocument(reply).toJson(QJsonDocument::Compact);
    lsRows = {};
    lspRows = {};
    const qint64 rssBefore = statusKiB("VmRSS:");
    const qint64 heapBefore = heapMiB();

    QElapsedTimer total;
    total.start();
    QElapsedTimer step;
    step.start();
    JsonRpcFramer framer;
    // As a socket delivers it: 256 KiB reads.
    for (qsizetype at = 0; at < wire.size(); at += 256 * 1024)
        framer.feed(QByteArrayView(wire).sliced(at, std::min<qsizetype>(256 * 1024, wire.size() - at)));
    QList<QJsonObject> messages = framer.takeMessages();
    const qint64 frameMs = step.restart();
    const qint64 rssParsed = statusKiB("VmRSS:");
    const qint64 heapParsed = heapMiB();
    if (messages.size() != 1) {
        out << "framing failed: " << framer.error() << Qt::endl;
        return false;
    }
    OvsdbCache cache;
    cache.setSchema(schema);
    OvsdbChangeSet changes;
    if (!cache.replace(messages.first().value("result"_L1).toArray().at(2), OvsdbCache::Format::Update2, &changes, &error)) {
        out << "apply failed: " << error << Qt::endl;
        return false;
    }
    const qint64 cacheMs = step.restart();
    const qint64 rssCached = statusKiB("VmRSS:");
    messages.clear();
    const qint64 rssCacheOnly = statusKiB("VmRSS:");
    const qint64 heapCacheOnly = heapMiB();
    OvnNorthbound nb;
    nb.applyChanges(cache, changes);
    const qint64 mapMs = step.restart();
    const qint64 rssMapped = statusKiB("VmRSS:");
    const qint64 heapMapped = heapMiB();
    const qint64 totalMs = total.elapsed();

    // One incremental update2: a port moves to another switch and gets a new tenant.
    const QByteArray update = u"{\"id\":null,\"method\":\"update3\",\"params\":[\"m\",\"%1\",{\"Logical_Switch\":{\"%2\":{\"modify\":{\"ports\":[\"uuid\",\"%4\"]}},\"%3\":{\"modify\":{\"ports\":[\"uuid\",\"%4\"]}}},\"Logical_Switch_Port\":{\"%4\":{\"modify\":{\"external_ids\":[\"map\",[[\"tenant\",\"moved\"]]]}}}}]}"_s
                                  .arg(uuid(9, 2), uuid(1, 0), uuid(1, 1), uuid(2, 5))
                                  .toUtf8();
    const int rounds = 1000;
    QElapsedTimer incremental;
    incremental.start();
    for (int i = 0; i < rounds; ++i) {
        framer.feed(update);
        const QJsonObject message = framer.takeMessages().value(0);
        OvsdbChangeSet delta;
        if (!cache.apply(message.value("params"_L1).toArray().at(2), OvsdbCache::Format::Update2, &delta, &error)) {
            out << "incremental apply failed: " << error << Qt::endl;
            return false;
        }
        nb.applyChanges(cache, delta);
    }
    const double incrementalUs = double(incremental.nsecsElapsed()) / rounds / 1000.0;

    if (verbose) {
        out << "snapshot: " << switches << " switches, " << nb.portCount() << " ports, " << wire.size() / 1024 << " KiB of JSON\n"
            << "  framing + JSON parse: " << frameMs << " ms\n"
            << "  cache apply (schema-checked): " << cacheMs << " ms\n"
            << "  OVN mapping (switches, ports): " << mapMs << " ms\n"
            << "  total: " << totalMs << " ms\n"
            << "incremental update (port moved between switches, parse + apply + mapping): " << QString::number(incrementalUs, 'f', 1)
            << " us\n"
            << "memory (RSS, MiB): wire text built " << rssBefore / 1024 << ", + parsed message " << rssParsed / 1024 << ", + cache "
            << rssCached / 1024 << ", message freed " << rssCacheOnly / 1024 << ", + OVN mapping " << rssMapped / 1024 << "\n"
            << "heap in use (MiB): wire text " << heapBefore << ", parsed message " << heapParsed - heapBefore << ", cache alone "
            << heapCacheOnly - heapBefore << ", OVN mapping " << heapMapped - heapCacheOnly << "\n"
            << "memory: RSS before parsing " << rssBefore / 1024 << " MiB, after " << statusKiB("VmRSS:") / 1024 << " MiB, peak (VmHWM) "
            << statusKiB("VmHWM:") / 1024 << " MiB (includes the generated wire text)" << Qt::endl;
    }

    // The correlation with an inventory of one single-NIC VM per port, all in agreement.
    Inventory inventory;
    HostSnapshot snapshot;
    snapshot.host.uri = u"test:///bench"_s;
    snapshot.host.state = ConnectionState::Connected;
    for (int sw = 0; sw < switches; ++sw) {
        for (int p = 1; p < portsPerSwitch; ++p) {
            const int n = sw * portsPerSwitch + p;
            VmInfo vm;
            vm.hostUri = snapshot.host.uri;
            vm.uuid = uuid(4, n);
            vm.name = u"vm-%1"_s.arg(n);
            vm.state = VmState::Running;
            NicInfo nic;
            nic.mac = u"52:54:00:%1:%2:%3"_s.arg(sw % 256, 2, 16, QLatin1Char('0')).arg(p / 256, 2, 16, QLatin1Char('0')).arg(p % 256, 2, 16, QLatin1Char('0'));
            nic.interfaceId = uuid(3, n);
            nic.vlanTags = {100 + sw};
            vm.nics.append(nic);
            snapshot.vms.append(vm);
        }
    }
    inventory.applySnapshot(snapshot);
    step.restart();
    NetworkCorrelation correlation(&inventory, &nb);
    correlation.setEnabled(true);
    const qint64 correlateMs = step.restart();
    LogicalSwitchModel model(&nb, &correlation);
    const qint64 modelMs = step.restart();
    // The port moved once more (to sw1): one VLAN mismatch; the correlation runs again in full.
    framer.feed(update);
    OvsdbChangeSet moved;
    if (!cache.apply(framer.takeMessages().value(0).value("params"_L1).toArray().at(2), OvsdbCache::Format::Update2, &moved, &error)) {
        out << "incremental apply failed: " << error << Qt::endl;
        return false;
    }
    step.restart();
    nb.applyChanges(cache, moved);
    const qint64 modelUpdateUs = step.nsecsElapsed() / 1000;
    step.restart();
    correlation.refresh();
    const qint64 refreshMs = step.restart();
    if (verbose) {
        out << "correlation of " << correlation.matches().size() << " NICs with their ports: first " << correlateMs
            << " ms, again after one port move " << refreshMs << " ms (" << correlation.mismatchCount() << " mismatch)\n"
            << "switch item model: built in " << modelMs << " ms (" << model.rowCount() << " switches), one port move "
            << modelUpdateUs << " us (mapping + model)" << Qt::endl;
    }
    *figures = {double(frameMs), double(cacheMs), double(mapMs), double(totalMs), double(correlateMs)};
    return true;
}

// The median of VALUES (the lower middle one for an even count).
double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at((values.size() - 1) / 2);
}

QString figure(double value)
{
    return QString::number(value, 'f', 0);
}

// Vigie's whole path against a real server, as the application takes a northbound snapshot:
// NetworkController from setRemotes() to the snapshot synchronised (handshake, schema, monitor
// reply parsed, cached and mapped into switches and ports), then correlated with an inventory
// holding one ML2/OVN-shaped VM per port of tests/bench/nb-20k.sh (on br-int, interfaceid = the
// port's name, no libvirt VLAN) and published back to the inventory (VLANs, NIC wiring). A new
// controller (and connection) per run.
int benchController(const QString &remote, int runs)
{
    QTextStream out(stdout);
    const int switches = 200;
    const int portsPerSwitch = 100;
    Inventory inventory;
    SessionManager sessions(&inventory);
    HostSnapshot snapshot;
    snapshot.host.uri = u"test:///bench"_s;
    snapshot.host.state = ConnectionState::Connected;
    for (int sw = 0; sw < switches; ++sw) {
        for (int p = 1; p < portsPerSwitch; ++p) {
            VmInfo vm;
            vm.hostUri = snapshot.host.uri;
            vm.uuid = uuid(4, sw * portsPerSwitch + p);
            vm.name = u"vm-%1-%2"_s.arg(sw).arg(p);
            vm.state = VmState::Running;
            NicInfo nic;
            nic.mac = u"52:54:00:%1:%2:%3"_s.arg(sw % 256, 2, 16, QLatin1Char('0')).arg(p / 256, 2, 16, QLatin1Char('0')).arg(p % 256, 2, 16, QLatin1Char('0'));
            nic.sourceType = u"bridge"_s;
            nic.source = u"br-int"_s;
            nic.interfaceId = u"sw%1-p%2"_s.arg(sw).arg(p);
            vm.nics.append(nic);
            snapshot.vms.append(vm);
        }
    }
    inventory.applySnapshot(snapshot);
    const qsizetype expected = snapshot.vms.size();

    QList<double> syncedAll, correlatedAll, correlationAll;
    for (int run = 0; run < runs; ++run) {
        NetworkController controller(&inventory, &sessions);
        QElapsedTimer timer;
        qint64 syncedMs = -1;
        qint64 correlatedMs = -1;
        qsizetype mappedPorts = 0;
        // The mapping follows the cache as it changes, before the client says it is synchronised
        // (whose handlers run the first correlation).
        QObject::connect(controller.northbound(), &OvnNorthbound::changesApplied, &controller, [&] {
            if (syncedMs < 0 && controller.northbound()->portCount() > 0) {
                syncedMs = timer.elapsed();
                mappedPorts = controller.northbound()->portCount();
            }
        });
        // After the controller's own handler (publishing to the inventory), connected first.
        QObject::connect(controller.correlation(), &NetworkCorrelation::matchesChanged, &controller, [&] {
            if (correlatedMs < 0 && controller.correlation()->matches().size() == expected)
                correlatedMs = timer.elapsed();
        });
        QString failure;
        QObject::connect(controller.client(), &OvsdbClient::connectionFailed, &controller,
                         [&](const QString &, const QString &error) { failure = error; });
        timer.start();
        controller.setRemotes({remote});
        while (correlatedMs < 0 && failure.isEmpty() && timer.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
        if (correlatedMs < 0) {
            out << "run " << run + 1 << ": no full correlation within 120 s" << (failure.isEmpty() ? QString() : u": "_s + failure)
                << " (" << controller.correlation()->matches().size() << " of " << expected << " NICs matched)" << Qt::endl;
            return 1;
        }
        syncedAll.append(double(syncedMs));
        correlatedAll.append(double(correlatedMs));
        correlationAll.append(double(correlatedMs - syncedMs));
        out << "run " << run + 1 << ": " << mappedPorts << " ports mapped at " << syncedMs << " ms (connect, monitor reply parsed, "
            << "cached, mapped); " << controller.correlation()->matches().size() << " NICs correlated and published at "
            << correlatedMs << " ms (+" << correlatedMs - syncedMs << " ms); " << controller.correlation()->mismatchCount() << " mismatches; heap in use " << heapMiB()
            << " MiB" << Qt::endl;
    }
    out << "NetworkController against " << remote << ", " << runs << " runs: snapshot mapped median " << figure(median(syncedAll))
        << " ms, then correlated with 19,800 VMs and published median " << figure(median(correlationAll))
        << " ms, total median " << figure(median(correlatedAll)) << " ms; peak RSS (VmHWM) "
        << statusKiB("VmHWM:") / 1024 << " MiB" << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    int runs = 1;
    if (const qsizetype at = args.indexOf(u"--runs"_s); at > 0 && at + 1 < args.size())
        runs = std::max(1, args.at(at + 1).toInt());
    if (const qsizetype at = args.indexOf(u"--controller"_s); at > 0 && at + 1 < args.size())
        return benchController(args.at(at + 1), runs);
    if (const qsizetype at = args.indexOf(u"--remote"_s); at > 0 && at + 1 < args.size())
        return benchRemote(args.at(at + 1));

    QString error;
    const OvsdbSchema schema = OvsdbSchema::fromJson(QJsonDocument::fromJson(schemaJson()).object(), &error);
    if (!schema.isValid()) {
        out << "cannot read /usr/share/ovn/ovn-nb.ovsschema: " << error << Qt::endl;
        return 1;
    }
    QList<SnapshotFigures> all;
    for (int run = 0; run < runs; ++run) {
        SnapshotFigures f;
        if (!snapshotRun(schema, run == runs - 1, &f))
            return 1;
        all.append(f);
    }
    if (runs > 1) {
        const auto column = [&](double SnapshotFigures::*field) {
            QList<double> values;
            QStringList text;
            for (const SnapshotFigures &f : all) {
                values.append(f.*field);
                text.append(figure(f.*field));
            }
            return u"median %1 ms (%2)"_s.arg(figure(median(values)), text.join(u", "_s));
        };
        out << "\n" << runs << " runs in one process (20,000 ports):\n"
            << "  framing + JSON parse: " << column(&SnapshotFigures::frameMs) << "\n"
            << "  cache apply: " << column(&SnapshotFigures::cacheMs) << "\n"
            << "  OVN mapping: " << column(&SnapshotFigures::mapMs) << "\n"
            << "  snapshot total (parse + cache + mapping): " << column(&SnapshotFigures::totalMs) << "\n"
            << "  first correlation of 19,800 NICs: " << column(&SnapshotFigures::correlateMs) << Qt::endl;
    }
    return 0;
}
