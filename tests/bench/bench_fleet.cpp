// Vigie's window in front of a synthetic fleet: libvirt test-driver hosts (default 200 hosts of 50
// running VMs, one NIC each on the integration bridge, the way Nova plugs them) and a controller
// with a Neutron-shaped port per NIC on 20 VLAN switches and a chassis per host, served by the
// in-process OVSDB server on a thread of its own. The real window (MainWindow, offscreen, full HD)
// with its docks, table, topology and models follows them.
//
// Prints, per phase, the wall time and the GUI thread's stalls as the event-loop lag probe
// (LagProbe, vigie --lag-probe) counts them: connecting everything until every NIC is matched
// with its port, idle with metrics on, a resynchronisation of the controller, a burst of 500 VM
// changes (paused, then resumed, through libvirt), an evacuation planned and shown for review
// (the plan over the whole fleet and its dialog, what Host › Evacuate does before the operator
// accepts; the test driver cannot migrate, so the moves themselves are the lab's and the demo's
// to show), and memory and threads at the end. Each phase also names its three longest event
// deliveries (the class that received each, when it began on the monotonic clock), to find
// them in a profile. Not a pass/fail test. --hosts N --vms N change the fleet's size.
#include "benchovsdbserver.h"
#include "demo/demoovsdbserver.h"
#include "evacuationdialog.h"
#include "hypervisor/migrationcontroller.h"
#include "placement/evacuationplan.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "lagprobe.h"
#include "mainwindow.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"

#include <QApplication>
#include <QDir>
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

#include <functional>

#include <time.h>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::Bench;

namespace {

constexpr int Vlans = 20;

QString hostName(int h)
{
    return u"fh%1"_s.arg(h, 3, 10, QLatin1Char('0'));
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

// Runs the event loop until DONE holds (checked every 50 ms), or TIMEOUT_MS; the time taken.
qint64 runUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(50);
    if (!done())
        loop.exec();
    return clock.elapsed();
}

QString nodeXml(int h, int vms)
{
    QString xml = uR"(<?xml version='1.0'?>
<node>
  <cpu><mhz>2900</mhz><model>Intel Xeon Gold 6330</model><nodes>2</nodes><sockets>1</sockets><cores>28</cores><threads>2</threads></cpu>
  <memory>1073741824</memory>
)"_s;
    for (int v = 0; v < vms; ++v) {
        const int n = h * vms + v;
        xml += uR"(  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>instance-%1</name>
    <uuid>%2</uuid>
    <metadata><vigie:tenant xmlns:vigie="urn:x-vigie:1">tenant-%3</vigie:tenant></metadata>
    <memory unit='KiB'>4194304</memory>
    <vcpu>2</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>
      <interface type='bridge'>
        <mac address='%4'/>
        <source bridge='br-int'/>
        <virtualport type='openvswitch'><parameters interfaceid='%5'/></virtualport>
        <model type='virtio'/>
      </interface>
    </devices>
    <test:runstate>1</test:runstate>
  </domain>
)"_s.arg(n, 8, 16, QLatin1Char('0'))
                   .arg(uuid(4, n))
                   .arg(n % 37)
                   .arg(mac(n), uuid(3, n));
    }
    return xml + u"</node>\n"_s;
}

// The application, timing each event the GUI thread's loop delivers (the workers' own events
// are theirs to spend): a phase names its longest ones, the class that received each (for a
// QTimer, its parent's) and when it began on the monotonic clock, which `perf record -k
// CLOCK_MONOTONIC` stamps its samples with too. A stall is rarely one event: the longest stretch
// between two ticks of the lag probe (its timer's events mark them) is told by what it was spent
// on, summed by receiver and event type.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    // Whose timer events mark the turns (the lag probe).
    void setTurnMark(const QObject *mark) { m_mark = mark; }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        if (m_depth > 0) {
            ++m_depth;
            const bool done = QApplication::notify(receiver, event);
            --m_depth;
            return done;
        }
        // Named before: the event may delete its receiver.
        const QObject *owner = qobject_cast<QTimer *>(receiver) && receiver->parent() ? receiver->parent() : receiver;
        const char *name = owner->metaObject()->className();
        const int type = event->type();
        const bool mark = m_mark && owner == m_mark;
        if (mark)
            endStretch();
        ++m_depth;
        const qint64 start = monotonicNs();
        const bool done = QApplication::notify(receiver, event);
        const qint64 spent = monotonicNs() - start;
        --m_depth;
        if (mark) {
            m_stretch = {};
            m_stretch.startNs = start + spent;
            m_stretch.cpuStartNs = threadCpuNs();
        } else {
            addTo(m_stretch.parts, name, type, spent);
        }
        if (m_longest.size() < Kept || spent > m_longest.last().spentNs) {
            m_longest.append({start, spent, name, type, 1});
            std::sort(m_longest.begin(), m_longest.end(), [](const Event &a, const Event &b) { return a.spentNs > b.spentNs; });
            m_longest.resize(std::min<qsizetype>(m_longest.size(), Kept));
        }
        return done;
    }

    void reset()
    {
        m_longest.clear();
        m_longestStretch = {};
        m_stretch = {};
        m_stretch.startNs = monotonicNs();
        m_stretch.cpuStartNs = threadCpuNs();
    }
    [[nodiscard]] QString longest() const { return describe(m_longest); }
    // "188.4 ms from 12.301 s, 61.0 ms of it on the CPU: 50.2 ms Vigie::SessionManager (event 43) x 12; ..."
    // (the rest of the time the thread waited for a core: the hosts' threads had them).
    [[nodiscard]] QString longestStretch() const
    {
        QList<Event> parts = m_longestStretch.parts;
        std::sort(parts.begin(), parts.end(), [](const Event &a, const Event &b) { return a.spentNs > b.spentNs; });
        parts.resize(std::min<qsizetype>(parts.size(), 4));
        return u"%1 ms from %2 s, %3 ms of it on the CPU: %4"_s.arg(double(m_longestStretch.lengthNs) / 1e6, 0, 'f', 1)
            .arg(double(m_longestStretch.startNs) / 1e9, 0, 'f', 3)
            .arg(double(m_longestStretch.cpuNs) / 1e6, 0, 'f', 1)
            .arg(describe(parts, false));
    }

private:
    struct Event
    {
        qint64 startNs;
        qint64 spentNs;
        const char *name;
        int type;
        int count;
    };
    struct Stretch
    {
        qint64 startNs = 0;
        qint64 lengthNs = 0;
        qint64 cpuStartNs = 0;
        qint64 cpuNs = 0; // the GUI thread's own CPU time in it
        QList<Event> parts; // by receiver class and event type
    };

    static qint64 nowNs(clockid_t clock)
    {
        timespec now{};
        clock_gettime(clock, &now);
        return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
    }
    static qint64 monotonicNs() { return nowNs(CLOCK_MONOTONIC); }
    static qint64 threadCpuNs() { return nowNs(CLOCK_THREAD_CPUTIME_ID); }
    static void addTo(QList<Event> &parts, const char *name, int type, qint64 spentNs)
    {
        for (Event &part : parts) {
            if (part.name == name && part.type == type) {
                part.spentNs += spentNs;
                ++part.count;
                return;
            }
        }
        parts.append({0, spentNs, name, type, 1});
    }
    static QString describe(const QList<Event> &events, bool at = true)
    {
        QStringList parts;
        for (const Event &e : events) {
            QString part = u"%1 ms %2 (event %3"_s.arg(double(e.spentNs) / 1e6, 0, 'f', 1).arg(QLatin1StringView(e.name)).arg(e.type);
            part += at ? u", at %1 s)"_s.arg(double(e.startNs) / 1e9, 0, 'f', 3) : u") x %1"_s.arg(e.count);
            parts.append(part);
        }
        return parts.join(u"; "_s);
    }
    void endStretch()
    {
        m_stretch.lengthNs = monotonicNs() - m_stretch.startNs;
        m_stretch.cpuNs = threadCpuNs() - m_stretch.cpuStartNs;
        if (m_stretch.lengthNs > m_longestStretch.lengthNs)
            m_longestStretch = m_stretch;
    }

    static constexpr qsizetype Kept = 3;
    QList<Event> m_longest;
    Stretch m_stretch;
    Stretch m_longestStretch;
    const QObject *m_mark = nullptr;
    int m_depth = 0;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"vigie-bench"_s); // the window's settings stay the benchmark's
    QTextStream out(stdout);
    int hosts = 200;
    int vmsPerHost = 50;
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(u"--hosts"_s); i >= 0 && i + 1 < args.size())
        hosts = std::max(1, args.at(i + 1).toInt());
    if (const qsizetype i = args.indexOf(u"--vms"_s); i >= 0 && i + 1 < args.size())
        vmsPerHost = std::max(1, args.at(i + 1).toInt());
    const int nics = hosts * vmsPerHost;

    QTemporaryDir dir;
    QStringList uris;
    for (int h = 0; h < hosts; ++h) {
        QFile file(dir.filePath(hostName(h) + u".xml"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(nodeXml(h, vmsPerHost).toUtf8()) < 0) {
            out << "cannot write " << file.fileName() << Qt::endl;
            return 1;
        }
        uris.append(u"test://"_s + file.fileName());
    }

    QJsonObject switches, ports, chassis, encaps, bindings;
    QHash<int, QStringList> portsOfSwitch;
    for (int n = 0; n < nics; ++n) {
        const int host = n / vmsPerHost;
        const QString ip = u"10.%1.%2.%3"_s.arg(100 + n % Vlans).arg((n / Vlans) / 250).arg((n / Vlans) % 250 + 2);
        ports.insert(uuid(2, n), QJsonObject{{u"name"_s, uuid(3, n)},
                                             {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{mac(n) + u' ' + ip}}},
                                             {u"port_security"_s, QJsonArray{u"set"_s, QJsonArray{mac(n) + u' ' + ip}}},
                                             {u"options"_s, map({{u"requested-chassis"_s, hostName(host)}})},
                                             {u"external_ids"_s, map({{u"neutron:device_id"_s, uuid(4, n)},
                                                                      {u"neutron:device_owner"_s, u"compute:nova"_s},
                                                                      {u"neutron:host_id"_s, hostName(host)}})}});
        portsOfSwitch[n % Vlans].append(uuid(2, n));
        bindings.insert(uuid(7, n), QJsonObject{{u"logical_port"_s, uuid(3, n)}, {u"chassis"_s, QJsonArray{u"uuid"_s, uuid(6, host)}}, {u"up"_s, true}});
    }
    for (int sw = 0; sw < Vlans; ++sw)
        insertVlanSwitch(&switches, &ports, sw, nics + sw, portsOfSwitch.value(sw));
    for (int h = 0; h < hosts; ++h)
        insertChassis(&chassis, &encaps, h, hostName(h), u"10.255.%1.%2"_s.arg(h / 250).arg(h % 250 + 1));
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

    const qint64 rssBefore = statusKiB("VmRSS:");
    const qint64 threadsBefore = statusKiB("Threads:");
    Inventory inventory;
    SessionManager sessions(&inventory);
    MainWindow window(&inventory, &sessions);
    window.resize(1920, 1080);
    window.show();
    NetworkController *controller = window.networkController();
    LagProbe lag;
    app.setTurnMark(&lag);
    // Where a phase's longest stall went, after its figures.
    const auto tellWhere = [&] {
        out << "  longest stall ended at " << QString::number(lag.figures().longestEndedAtS, 'f', 3) << " s; longest events: " << app.longest()
            << Qt::endl
            << "  longest stretch between two ticks: " << app.longestStretch() << Qt::endl;
    };
    lag.start();
    runUntil([] { return false; }, 500); // the window shown
    lag.reset();
    app.reset();

    out << "fleet: " << hosts << " test-driver hosts x " << vmsPerHost << " VMs = " << nics << " VMs and NICs, " << Vlans
        << " VLAN switches, " << ports.size() << " ports, " << bindings.size() << " bindings" << Qt::endl;
    QElapsedTimer clock;
    clock.start();
    window.setControllerRemotes({nbServer.remote()}, {sbServer.remote()});
    for (const QString &uri : std::as_const(uris))
        sessions.addConnection(uri);
    const auto everything = [&] {
        return sessions.isSettled() && inventory.vmCount() == nics && controller->isSynced() && controller->isSouthboundSynced()
            && controller->correlation()->matchCount() == nics && !controller->correlation()->isPassing();
    };
    runUntil(everything, 600000);
    if (!everything()) {
        out << "not everything after 600 s: " << inventory.vmCount() << " VMs, " << controller->correlation()->matchCount() << " matched"
            << Qt::endl;
        return 1;
    }
    out << "connect and show everything (every NIC matched with its port): " << clock.elapsed() << " ms; GUI stalls: " << lag.summary()
        << Qt::endl;
    tellWhere();
    out << "mismatches: " << controller->correlation()->mismatchCount() << Qt::endl;

    lag.reset();
    app.reset();
    runUntil([] { return false; }, 10000);
    out << "idle 10 s, metrics every second: GUI stalls: " << lag.summary() << Qt::endl;
    tellWhere();

    lag.reset();
    app.reset();
    clock.restart();
    window.setControllerRemotes({}, {});
    runUntil([&] { return !controller->isSynced(); }, 10000);
    window.setControllerRemotes({nbServer.remote()}, {sbServer.remote()});
    runUntil(everything, 300000);
    out << "controller resynchronised (northbound and southbound, every port again): " << clock.elapsed() << " ms; GUI stalls: "
        << lag.summary() << Qt::endl;
    tellWhere();

    // A burst of VM changes: 500 VMs paused, then resumed, through their hosts.
    QList<VmKey> burst;
    const QList<VmKey> keys = inventory.vmKeys();
    for (int i = 0; i < keys.size() && burst.size() < 500; i += std::max<qsizetype>(1, keys.size() / 500))
        burst.append(keys.at(i));
    const auto countIn = [&](VmState state) {
        return std::count_if(burst.cbegin(), burst.cend(), [&](const VmKey &key) { return inventory.vm(key).state == state; });
    };
    lag.reset();
    app.reset();
    clock.restart();
    sessions.runAction(burst, VmAction::Pause);
    runUntil([&] { return countIn(VmState::Paused) == burst.size(); }, 120000);
    sessions.runAction(burst, VmAction::Resume);
    runUntil([&] { return countIn(VmState::Running) == burst.size(); }, 120000);
    out << "burst of " << burst.size() * 2 << " VM changes (" << burst.size() << " paused, then resumed): " << clock.elapsed()
        << " ms; GUI stalls: " << lag.summary() << Qt::endl;
    tellWhere();

    // An evacuation as Host › Evacuate starts it: the plan for the first host's VMs over the other
    // hosts, then the review dialog, shown.
    out << "before the evacuation: correlation passing " << controller->correlation()->isPassing() << Qt::endl;
    lag.reset();
    app.reset();
    clock.restart();
    const EvacuationPlan plan = EvacuationPlan::make(inventory, window.migrations()->preflight(), uris.first());
    const qint64 planMs = clock.elapsed();
    auto *review = new EvacuationDialog(plan, MigrationOptions{}, &window);
    review->open();
    runUntil([&] { return review->isVisible(); }, 10000);
    runUntil([] { return false; }, 200);
    out << "evacuation of " << hostName(0) << " (" << plan.moves.size() << " moves, " << plan.unplaced.size()
        << " left) planned over " << hosts - 1 << " hosts in " << planMs << " ms, review dialog shown after " << clock.elapsed()
        << " ms; GUI stalls: " << lag.summary() << Qt::endl;
    tellWhere();
    review->reject();

    const qint64 rss = statusKiB("VmRSS:");
    out << "memory: RSS " << rss / 1024 << " MiB (" << (rss - rssBefore) * 1024 / nics << " bytes per VM over the process before the window,"
        << " databases' server copies included), peak " << statusKiB("VmHWM:") / 1024 << " MiB; threads " << statusKiB("Threads:")
        << " (" << threadsBefore << " before the window)" << Qt::endl;
    window.close();
    return 0;
}
