// Port bindings follow a live migration run through Vigie's own path: MigrationController and
// MigrationBindings wired to the NetworkController as the main window wires them (a drag in the
// topology ends in MigrationController::start). An ML2/OVN guest moves between two hosts twice,
// once with MigrationBindings off (OVN claims the port where the VIF appears) and once on
// (requested-chassis "src,dst" and activation-strategy=rarp for the duration, as OpenStack does).
// Each time ovn-sbctl judges the binding on the destination chassis, ovn-nbctl that the port's
// options are as they were before, and the VLAN's probe that the guest answers there. While each
// migration runs the probe pings the guest every 100 ms: the figures (replies lost, longest
// silence, end of the migration to the port bound on the destination, the southbound's steps) are
// printed, not asserted, as they depend on the machine.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "network/migrationbindings.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnsouthbound.h"
#include "network/ovsdbclient.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// busybox ping every 100 ms from a VLAN's probe, read as it goes. The probe command prints its
// PID and the wall clock first, so the replies can be placed on the test's clock (the same
// machine's), whatever scripts/lab's start-up costs.
class Pinger
{
public:
    void start(const QString &vlan, const QString &ip)
    {
        m_vlan = vlan;
        const QString source = qEnvironmentVariable("VIGIE_SOURCE_DIR");
        // Foreground: busybox flushes each reply line with -w; a deadline bounds it whatever
        // happens to the test.
        m_process.start(source + u"/scripts/lab"_s,
                        {u"probe"_s, vlan, u"sh"_s, u"-c"_s, u"echo start $$ $(date +%s%3N); exec ping -i 0.1 -w 120 "_s + ip});
    }
    [[nodiscard]] bool started()
    {
        parse();
        return m_startMs > 0;
    }
    // Replies seen so far.
    [[nodiscard]] qsizetype replies()
    {
        parse();
        return m_arrivalsMs.size();
    }
    // Interrupts ping (it prints its statistics) and waits for it.
    bool stop()
    {
        if (!m_pid.isEmpty())
            (void)LabEnvironment::probe(m_vlan, {u"kill"_s, u"-INT"_s, m_pid}, 20000);
        // The event loop runs meanwhile (the OVSDB clients keep answering the servers' probes).
        const bool ok = QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 20000);
        if (!ok) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        parse();
        return ok;
    }

    struct Figures
    {
        int sent = 0;         // sequence numbers up to the last reply (or ping's own count)
        int lost = 0;         // of those, never answered
        int duplicates = 0;
        qint64 longestSilenceMs = 0; // between two replies' arrival
        qint64 silenceStartMs = 0;   // wall clock
    };
    [[nodiscard]] Figures figures() const
    {
        Figures f;
        f.sent = m_transmitted > 0 ? m_transmitted : (m_seqs.isEmpty() ? 0 : *std::max_element(m_seqs.cbegin(), m_seqs.cend()) + 1);
        QList<int> seqs = m_seqs;
        std::sort(seqs.begin(), seqs.end());
        seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
        f.duplicates = int(m_seqs.size() - seqs.size());
        f.lost = f.sent - int(seqs.size());
        QList<qint64> arrivals = m_arrivalsMs;
        std::sort(arrivals.begin(), arrivals.end());
        for (qsizetype i = 1; i < arrivals.size(); ++i) {
            if (arrivals.at(i) - arrivals.at(i - 1) > f.longestSilenceMs) {
                f.longestSilenceMs = arrivals.at(i) - arrivals.at(i - 1);
                f.silenceStartMs = arrivals.at(i - 1);
            }
        }
        return f;
    }
    [[nodiscard]] qint64 startMs() const { return m_startMs; }

private:
    void parse()
    {
        m_buffer += QString::fromLocal8Bit(m_process.readAllStandardOutput());
        static const QRegularExpression startLine(u"^start (\\d+) (\\d+)$"_s);
        static const QRegularExpression reply(u"seq=(\\d+) ttl=\\d+ time=([0-9.]+) ms"_s);
        static const QRegularExpression summary(u"^(\\d+) packets transmitted"_s);
        qsizetype end;
        while ((end = m_buffer.indexOf(u'\n')) >= 0) {
            const QString line = m_buffer.left(end).trimmed();
            m_buffer.remove(0, end + 1);
            if (const QRegularExpressionMatch s = startLine.match(line); s.hasMatch()) {
                m_pid = s.captured(1);
                m_startMs = s.captured(2).toLongLong();
            } else if (const QRegularExpressionMatch r = reply.match(line); r.hasMatch()) {
                const int seq = r.captured(1).toInt();
                m_seqs.append(seq);
                // Sent every 100 ms from the start (busybox keeps to its interval timer).
                m_arrivalsMs.append(m_startMs + 100 * seq + qint64(r.captured(2).toDouble()));
            } else if (const QRegularExpressionMatch t = summary.match(line); t.hasMatch()) {
                m_transmitted = t.captured(1).toInt();
            }
        }
    }

    QProcess m_process;
    QString m_vlan;
    QString m_buffer;
    QString m_pid;
    qint64 m_startMs = 0;
    int m_transmitted = 0;
    QList<int> m_seqs;
    QList<qint64> m_arrivalsMs;
};

// The southbound row of one port as it changes, read by a client of its own (Vigie's southbound
// model does not keep Port_Binding's options, where ovn-controller records the RARP activation).
class BindingWatch
{
public:
    struct Step
    {
        qint64 atMs = 0; // wall clock
        QString chassis;
        QStringList additional;
        QString activated; // options:additional-chassis-activated
        QString requested; // options:requested-chassis
    };

    explicit BindingWatch(const QStringList &remotes)
    {
        m_client.setDatabase(u"OVN_Southbound"_s);
        m_client.setMonitoredTables({{u"Chassis"_s, {u"name"_s}},
                                     {u"Port_Binding"_s, {u"logical_port"_s, u"chassis"_s, u"additional_chassis"_s, u"options"_s}}});
        m_client.setRemotes(remotes);
        QObject::connect(&m_client, &OvsdbClient::cacheChanged, &m_client, [this] { sample(); });
        m_client.start();
    }
    [[nodiscard]] bool isSynced() const { return m_client.state() == OvsdbClient::State::Synced; }
    void follow(const QString &port)
    {
        m_port = port;
        m_steps.clear();
        sample();
    }
    [[nodiscard]] const QList<Step> &steps() const { return m_steps; }
    [[nodiscard]] Step current() const { return m_steps.isEmpty() ? Step{} : m_steps.last(); }
    // When the port was bound to CHASSIS alone for good: the first step at or after FROM_MS from
    // which every step says so (without requested-chassis both hosts claim the port in turn while
    // the destination's paused QEMU has its VIF plugged), or -1.
    [[nodiscard]] qint64 settledOn(const QString &chassis, qint64 fromMs) const
    {
        qint64 at = -1;
        for (const Step &s : m_steps) {
            if (s.atMs < fromMs)
                continue;
            const bool there = s.chassis == chassis && s.additional.isEmpty();
            if (!there)
                at = -1;
            else if (at < 0)
                at = s.atMs;
        }
        return at;
    }
    // How many times the main chassis changed from one chassis to another since FROM_MS.
    [[nodiscard]] int moves(qint64 fromMs) const
    {
        int n = 0;
        QString last;
        for (const Step &s : m_steps) {
            if (s.chassis.isEmpty())
                continue;
            if (s.atMs >= fromMs && !last.isEmpty() && s.chassis != last)
                ++n;
            last = s.chassis;
        }
        return n;
    }
    [[nodiscard]] qint64 activatedAt(qint64 fromMs) const
    {
        for (const Step &s : m_steps) {
            if (s.atMs >= fromMs && !s.activated.isEmpty())
                return s.atMs;
        }
        return -1;
    }

private:
    [[nodiscard]] QString chassisName(const QString &uuid) const
    {
        return uuid.isEmpty() ? QString() : m_client.cache().value(u"Chassis"_s, uuid, u"name"_s).toString();
    }
    void sample()
    {
        if (m_port.isEmpty())
            return;
        const QHash<QString, OvsdbRow> rows = m_client.cache().table(u"Port_Binding"_s);
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            const OvsdbCache &cache = m_client.cache();
            if (cache.value(u"Port_Binding"_s, it.key(), u"logical_port"_s).toString() != m_port)
                continue;
            Step step;
            step.atMs = now();
            step.chassis = chassisName(cache.value(u"Port_Binding"_s, it.key(), u"chassis"_s).toString());
            for (const QString &uuid : cache.value(u"Port_Binding"_s, it.key(), u"additional_chassis"_s).toStringList())
                step.additional.append(chassisName(uuid));
            const OvsdbDatum options = cache.value(u"Port_Binding"_s, it.key(), u"options"_s);
            step.activated = options.value(u"additional-chassis-activated"_s);
            step.requested = options.value(u"requested-chassis"_s);
            const Step last = current();
            if (m_steps.isEmpty() || last.chassis != step.chassis || last.additional != step.additional
                || last.activated != step.activated || last.requested != step.requested)
                m_steps.append(step);
            return;
        }
    }

    OvsdbClient m_client;
    QString m_port;
    QList<Step> m_steps;
};

} // namespace

class tst_MigrationBindingsLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bindingFollowsMigration_data();
    void bindingFollowsMigration();
    void cleanupTestCase();

private:
    [[nodiscard]] LabEnvironment::Result sbctl(const QStringList &args) const
    {
        return LabEnvironment::run(u"ovn-sbctl"_s, QStringList{u"--db="_s + m_sbRemote, u"--timeout=10"_s} + args, 20000);
    }
    [[nodiscard]] LabEnvironment::Result nbctl(const QStringList &args) const
    {
        return LabEnvironment::run(u"ovn-nbctl"_s, QStringList{u"--db="_s + m_nbRemote, u"--timeout=10"_s} + args, 20000);
    }
    // The chassis the southbound binds PORT to, by name, as ovn-sbctl reads it.
    [[nodiscard]] QString sbChassisOf(const QString &port) const
    {
        const QString uuid = sbctl({u"--bare"_s, u"--columns=chassis"_s, u"find"_s, u"Port_Binding"_s, u"logical_port="_s + port}).out.trimmed();
        if (uuid.isEmpty())
            return {};
        return sbctl({u"--bare"_s, u"--columns=name"_s, u"list"_s, u"Chassis"_s, uuid}).out.trimmed();
    }
    [[nodiscard]] QString sbAdditionalOf(const QString &port) const
    {
        return sbctl({u"--bare"_s, u"--columns=additional_chassis"_s, u"find"_s, u"Port_Binding"_s, u"logical_port="_s + port}).out.trimmed();
    }
    [[nodiscard]] QString nbOptionsOf(const QString &port) const
    {
        return nbctl({u"get"_s, u"Logical_Switch_Port"_s, port, u"options"_s}).out.trimmed();
    }
    [[nodiscard]] LabHost labHost(const QString &uri) const
    {
        for (const LabHost &host : m_lab.hosts()) {
            if (host.uri == uri)
                return host;
        }
        return {};
    }
    [[nodiscard]] static bool answers(const QString &vlan, const QString &ip)
    {
        return LabEnvironment::probe(vlan, {u"ping"_s, u"-c1"_s, u"-W1"_s, ip}, 10000).ok();
    }
    [[nodiscard]] VmKey vmNamed(const QString &name) const
    {
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (m_inventory->vm(key).name == name)
                return key;
        }
        return {};
    }
    // A running ML2/OVN guest (with a kernel: it answers; without a local disk: it moves in
    // seconds) with a port Vigie may write, on a host other than its VLAN's probe, so that both
    // directions cross the lab network the same way.
    [[nodiscard]] std::optional<NicPortMatch> pickGuest() const
    {
        std::optional<NicPortMatch> fallback;
        for (const NicPortMatch &match : m_controller->correlation()->matches()) {
            const VmInfo vm = m_inventory->vm(match.vm);
            if (vm.state != VmState::Running || !vm.disks.isEmpty() || vm.name.startsWith(u"tiny") || match.owner != OvnOwner::None
                || match.controllerVlan <= 0 || match.addresses.isEmpty()
                || m_inventory->host(match.vm.hostUri).state != ConnectionState::Connected || !m_lab.wiring(vm.name).isOvn())
                continue;
            if (labHost(match.vm.hostUri).name != m_lab.switchOfVlan(match.controllerVlan).probeHost)
                return match;
            if (!fallback)
                fallback = match;
        }
        return fallback;
    }

    LabEnvironment m_lab;
    QString m_nbRemote;
    QString m_sbRemote;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<NetworkController> m_controller;
    std::unique_ptr<MigrationController> m_migrations;
    std::unique_ptr<MigrationBindings> m_bindings;
    std::unique_ptr<BindingWatch> m_watch;
    // The guest both rows move: there and back.
    QString m_guest;
    QString m_mac;
    QString m_returnUri;
    QStringList m_summary;
};

void tst_MigrationBindingsLab::initTestCase()
{
    QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
    QVERIFY(m_lab.hosts().size() >= 3);
    for (const QString &remote : m_lab.controllerRemotes()) {
        if (remote.startsWith(u"unix:"))
            m_nbRemote = remote;
    }
    // The southbound as an outside client reaches it: its TCP remote (VIGIE_LAB_SB_PORT).
    for (const QString &remote : m_lab.southboundRemotes()) {
        if (remote.startsWith(u"tcp:"))
            m_sbRemote = remote;
    }
    QVERIFY(!m_nbRemote.isEmpty() && !m_sbRemote.isEmpty());
    const QString sbPort = qEnvironmentVariable("VIGIE_LAB_SB_PORT");
    QVERIFY2(sbPort.isEmpty() || m_sbRemote.endsWith(u':' + sbPort), qPrintable(m_sbRemote));

    // As MainWindow wires them.
    m_inventory = std::make_unique<Inventory>();
    m_sessions = std::make_unique<SessionManager>(m_inventory.get());
    m_migrations = std::make_unique<MigrationController>(m_sessions.get(), m_inventory.get());
    m_controller = std::make_unique<NetworkController>(m_inventory.get(), m_sessions.get());
    m_bindings = std::make_unique<MigrationBindings>(m_controller.get(), m_migrations.get());
    QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
    for (const LabHost &host : m_lab.hosts())
        QVERIFY(m_sessions->addConnection(host.uri));
    m_controller->setRemotes(m_lab.controllerRemotes());
    m_controller->setSouthboundRemotes({m_sbRemote});
    m_watch = std::make_unique<BindingWatch>(QStringList{m_sbRemote});
    QVERIFY(settled.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced() && m_controller->isSouthboundSynced() && m_watch->isSynced(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->correlation()->matches().isEmpty(), 5000);
}

void tst_MigrationBindingsLab::bindingFollowsMigration_data()
{
    QTest::addColumn<bool>("pinned");
    QTest::newRow("plain") << false;
    QTest::newRow("requested-chassis src,dst + rarp") << true;
}

void tst_MigrationBindingsLab::bindingFollowsMigration()
{
    QFETCH(bool, pinned);
    if (m_guest.isEmpty()) {
        // Vigie's correlation binds every running lab port to its host's chassis first.
        QTRY_VERIFY_WITH_TIMEOUT(pickGuest().has_value(), 15000);
        const NicPortMatch match = *pickGuest();
        m_guest = match.vmName;
        m_mac = match.mac;
    }
    const VmKey vm = vmNamed(m_guest);
    QVERIFY2(!vm.uuid.isEmpty(), qPrintable(m_guest));
    const std::optional<NicPortMatch> match = m_controller->correlation()->matchOf(vm, m_mac);
    QVERIFY(match);
    const LabHost source = labHost(vm.hostUri);
    LabHost dest;
    if (!m_returnUri.isEmpty()) {
        dest = labHost(m_returnUri);
    } else {
        const QString probeHost = m_lab.switchOfVlan(match->controllerVlan).probeHost;
        for (const LabHost &host : m_lab.hosts()) {
            if (host.uri != source.uri && (dest.uri.isEmpty() || host.name != probeHost))
                dest = host;
        }
    }
    QVERIFY(!dest.uri.isEmpty() && dest.uri != source.uri);
    m_returnUri = source.uri;
    QString vlanName;
    for (const LabVlan &v : m_lab.vlans()) {
        if (v.id == match->controllerVlan)
            vlanName = v.name;
    }
    const QString ip = match->addresses.value(0);
    const QString port = match->portName;
    qInfo("%s (port %s, %s in VLAN %s) %s -> %s, MigrationBindings %s", qPrintable(m_guest), qPrintable(port), qPrintable(ip),
          qPrintable(vlanName), qPrintable(source.name), qPrintable(dest.name), pinned ? "on" : "off");

    // Before: bound to the source alone, answering, the port's options as the lab wrote them.
    QTRY_COMPARE_WITH_TIMEOUT(sbChassisOf(port), source.name, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(answers(vlanName, ip), 60000);
    const QString optionsBefore = nbOptionsOf(port);
    QVERIFY(!optionsBefore.isEmpty());

    m_bindings->setEnabled(pinned);
    QSignalSpy portUpdates(m_bindings.get(), &MigrationBindings::portUpdated);
    QSignalSpy finished(m_migrations.get(), &MigrationController::jobFinished);
    QStringList requestedSeen; // the port's requested-chassis in Vigie's northbound, as it changes
    const QMetaObject::Connection seen = connect(m_controller->northbound(), &OvnNorthbound::portChanged, this,
                                                 [&](const OvnLogicalSwitchPort &changed) {
                                                     if (changed.name == port)
                                                         requestedSeen.append(changed.options.value(u"requested-chassis"_s));
                                                 });
    m_watch->follow(port);
    Pinger pinger;
    pinger.start(vlanName, ip);
    // A few replies before the migration starts: the baseline.
    QTRY_VERIFY_WITH_TIMEOUT(pinger.replies() >= 5, 30000);

    const qint64 startMs = now();
    QString error;
    const QString id = m_migrations->start(vm, dest.uri, {}, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 90000);
    const qint64 endMs = now();
    const MigrationProgress done = finished.first().first().value<MigrationProgress>();
    QVERIFY2(done.phase == MigrationPhase::Completed, qPrintable(done.message));

    // The binding follows: the destination's chassis alone, in the southbound as ovn-sbctl reads it.
    QTRY_VERIFY_WITH_TIMEOUT(m_watch->settledOn(dest.name, startMs) >= 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(sbChassisOf(port), dest.name, 10000);
    QCOMPARE(sbAdditionalOf(port), QString());
    // Vigie sees it there too.
    const VmKey moved{dest.uri, vm.uuid};
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(moved, m_mac).value_or(NicPortMatch{}).chassisHostUri, dest.uri, 10000);
    // The port's options are back as they were: nothing of the migration's is left.
    QTRY_COMPARE_WITH_TIMEOUT(nbOptionsOf(port), optionsBefore, 10000);
    if (pinned) {
        // Pinned, then released, by Vigie, for this port (its other ports are Neutron's).
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(portUpdates.cbegin(), portUpdates.cend(),
                                             [&](const QList<QVariant> &s) { return s.at(0).toString() == port && !s.at(1).toBool(); }),
                                 10000);
        for (const QList<QVariant> &s : portUpdates)
            QVERIFY2(s.at(2).toBool(), qPrintable(s.at(0).toString() + u": "_s + s.at(3).toString()));
        QVERIFY2(requestedSeen.contains(source.name + u',' + dest.name), qPrintable(requestedSeen.join(u" | ")));
    } else {
        QCOMPARE(portUpdates.size(), 0);
        QVERIFY2(std::none_of(requestedSeen.cbegin(), requestedSeen.cend(), [](const QString &r) { return r.contains(u','); }),
                 qPrintable(requestedSeen.join(u" | ")));
    }
    disconnect(seen);

    // The guest answers on the destination.
    QTRY_VERIFY_WITH_TIMEOUT(answers(vlanName, ip), 30000);
    QVERIFY(pinger.stop());
    QCOMPARE(LabEnvironment::virsh(dest, {u"domstate"_s, m_guest}).out.trimmed(), u"running"_s);

    // The figures.
    const Pinger::Figures ping = pinger.figures();
    const qint64 boundMs = m_watch->settledOn(dest.name, startMs);
    const qint64 activatedMs = m_watch->activatedAt(startMs);
    QStringList steps;
    for (const BindingWatch::Step &s : m_watch->steps()) {
        steps.append(u"%1 ms: chassis %2%3%4%5"_s.arg(s.atMs - endMs)
                         .arg(s.chassis.isEmpty() ? u"-"_s : s.chassis,
                              s.additional.isEmpty() ? QString() : u", additional "_s + s.additional.join(u','),
                              s.requested.isEmpty() ? QString() : u", requested "_s + s.requested,
                              s.activated.isEmpty() ? QString() : u", activated on "_s + s.activated));
    }
    const QString line = u"%1: %2 -> %3, migration %4 ms (downtime %5 ms); bound on the destination alone for good %6 ms after the end, "
                         "main chassis changed %13 times; RARP activation %7; ping every 100 ms: %8 of %9 lost, %10 duplicates, "
                         "longest silence %11 ms (from %12 ms relative to the end)"_s
                             .arg(pinned ? u"requested-chassis"_s : u"plain"_s, source.name, dest.name)
                             .arg(endMs - startMs)
                             .arg(done.downtimeMs)
                             .arg(boundMs - endMs)
                             .arg(activatedMs < 0 ? u"not seen"_s : u"%1 ms after the end"_s.arg(activatedMs - endMs))
                             .arg(ping.lost)
                             .arg(ping.sent)
                             .arg(ping.duplicates)
                             .arg(ping.longestSilenceMs)
                             .arg(ping.silenceStartMs - endMs)
                             .arg(m_watch->moves(startMs));
    qInfo("%s", qPrintable(line));
    qInfo("southbound steps (relative to the end of the migration):\n  %s", qPrintable(steps.join(u"\n  "_s)));
    m_summary.append(line);
}

void tst_MigrationBindingsLab::cleanupTestCase()
{
    for (const QString &line : std::as_const(m_summary))
        qInfo("%s", qPrintable(line));
    m_bindings.reset();
    m_migrations.reset();
    m_controller.reset();
    m_watch.reset();
    m_sessions.reset();
    m_inventory.reset();
}

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    tst_MigrationBindingsLab test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_migrationbindingslab.moc"
