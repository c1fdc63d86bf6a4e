// Tenant isolation on the data plane: Vigie isolates two lab guests of VLAN data (db-1 and db-2)
// through PortIsolation (a port group and its ACLs in the lab's OVN), then the guests themselves
// are asked, through their serial consoles (ConsoleSession, as the Console tab uses it), what
// passes: ping and a TCP connection (busybox nc) inside the group pass; from db-3 and from the
// VLAN's probe (outside the group) they are dropped. One member is then live-migrated by
// MigrationController to another host while the outsider pings it all along: not one reply may
// come, and the member inside the group is answered again shortly after the migration's end
// (measured). The same checks after the move; removing the isolation lets the outsider in again.
#include "hypervisor/consolesession.h"
#include "hypervisor/migration.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "network/acltext.h"
#include "network/migrationbindings.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/ovnpolicy.h"
#include "network/portisolation.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A guest's shell on its serial console, and everything it printed, with arrival times.
class GuestShell
{
public:
    GuestShell(SessionManager *sessions, Inventory *inventory, const VmKey &vm)
        : m_console(sessions, inventory)
    {
        QObject::connect(&m_console, &ConsoleSession::dataReceived, &m_console, [this](const QByteArray &bytes) {
            m_text.append(bytes);
            m_chunks.append({now(), bytes});
        });
        m_console.setVm(vm);
    }
    ~GuestShell() { m_console.stop(); }

    bool open()
    {
        m_console.start();
        if (!QTest::qWaitFor([this] { return m_console.state() != ConsoleState::Connecting; }, 20000))
            return false;
        if (m_console.state() == ConsoleState::Busy)
            m_console.takeOver(); // a console left open by an earlier test of this run
        return QTest::qWaitFor([this] { return m_console.state() == ConsoleState::Connected; }, 20000);
    }

    // Until the guest's shell answers (a lab just started boots its TCG guests for a minute or two).
    bool ready(int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            if (!run(u"true"_s, 5000).isNull())
                return true;
        }
        return false;
    }

    // Types COMMAND and waits for the shell to be done with it; returns what it printed (with the
    // echo of COMMAND), or a null string on timeout.
    QString run(const QString &command, int timeoutMs)
    {
        const QByteArray token = QByteArray::number(QRandomGenerator::global()->bounded(100000, 999999));
        m_text.clear();
        m_console.send(command.toUtf8() + "; echo end-" + token + "-$((6*7))\r");
        const QByteArray marker = "end-" + token + "-42";
        if (!QTest::qWaitFor([&] { return m_text.contains(marker); }, timeoutMs))
            return {};
        return QString::fromUtf8(m_text);
    }

    // Starts COMMAND without waiting; its output is in chunks() from SINCE on.
    void start(const QString &command)
    {
        m_chunks.clear();
        m_text.clear();
        m_console.send(command.toUtf8() + "\r");
    }
    void interrupt() { m_console.send("\x03"); }
    [[nodiscard]] QByteArray text() const { return m_text; }
    [[nodiscard]] const QList<std::pair<qint64, QByteArray>> &chunks() const { return m_chunks; }

private:
    ConsoleSession m_console;
    QByteArray m_text;
    QList<std::pair<qint64, QByteArray>> m_chunks;
};

// "N packets received" of a ping's summary; -1 without a summary.
int received(const QString &output)
{
    static const QRegularExpression summary(u"(\\d+) packets received"_s);
    const QRegularExpressionMatch m = summary.match(output);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class tst_PolicyLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void isolationHoldsAcrossMigration();
    void cleanupTestCase();

private:
    struct Guest
    {
        VmKey vm;
        QString name;
        QString ip;
    };
    [[nodiscard]] LabEnvironment::Result nbctl(const QStringList &args) const
    {
        return LabEnvironment::run(u"ovn-nbctl"_s, QStringList{u"--db="_s + m_unixRemote, u"--timeout=10"_s} + args, 20000);
    }
    // The running ML2/OVN guest NAME (prefix) on VLAN 200 with its address, wherever it runs now.
    [[nodiscard]] std::optional<Guest> guest(const QString &name) const
    {
        for (const NicPortMatch &match : m_controller->correlation()->matches()) {
            const VmInfo vm = m_inventory->vm(match.vm);
            if (vm.name == name && vm.state == VmState::Running && match.controllerVlan == 200 && !match.addresses.isEmpty())
                return Guest{match.vm, vm.name, match.addresses.first()};
        }
        return std::nullopt;
    }
    [[nodiscard]] LabHost labHost(const QString &uri) const
    {
        for (const LabHost &host : m_lab.hosts()) {
            if (host.uri == uri)
                return host;
        }
        return {};
    }
    [[nodiscard]] static bool probeAnswered(const QString &ip)
    {
        const LabEnvironment::Result result = LabEnvironment::probe(u"data"_s, {u"ping"_s, u"-c1"_s, u"-W1"_s, ip}, 10000);
        if (!result.ok() && !result.err.isEmpty() && !result.err.contains(u"100% packet loss"_s))
            qInfo("probe: %s", qPrintable(result.err.trimmed().left(300)));
        return result.ok();
    }
    // From SHELL: how many of 3 pings to IP were answered.
    static int pings(GuestShell &shell, const QString &ip)
    {
        return received(shell.run(u"ping -c 3 -W 1 "_s + ip, 20000));
    }
    // From SHELL: whether a TCP connection to IP:7000 got the listener's answer.
    static bool connects(GuestShell &shell, const QString &ip)
    {
        return shell.run(u"nc -w 3 %1 7000 </dev/null"_s.arg(ip), 20000).contains(u"policy-pong-42"_s);
    }
    void checkPolicy(GuestShell &member, GuestShell &outsider, const Guest &other, const char *when);

    LabEnvironment m_lab;
    QString m_unixRemote;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;
    std::unique_ptr<NetworkController> m_controller;
    std::unique_ptr<MigrationBindings> m_bindings;
};

void tst_PolicyLab::initTestCase()
{
    QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
    QVERIFY(m_lab.hosts().size() >= 3);
    for (const QString &remote : m_lab.controllerRemotes()) {
        if (remote.startsWith(u"unix:"))
            m_unixRemote = remote;
    }
    QVERIFY(!m_unixRemote.isEmpty());
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
    m_controller->setSouthboundRemotes(m_lab.southboundRemotes());
    QVERIFY(settled.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced() && m_controller->isSouthboundSynced(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(guest(u"db-1"_s) && guest(u"db-2"_s) && guest(u"db-3"_s), 15000);
}

void tst_PolicyLab::checkPolicy(GuestShell &member, GuestShell &outsider, const Guest &other, const char *when)
{
    // Inside the group: ping and TCP pass. From outside: dropped, from a guest and from the probe.
    const int inside = pings(member, other.ip);
    const bool insideTcp = connects(member, other.ip);
    const int across = pings(outsider, other.ip);
    const bool acrossTcp = connects(outsider, other.ip);
    const bool probe = probeAnswered(other.ip);
    qInfo("%s: member -> %s: %d/3 pings, tcp %s; outsider -> %s: %d/3 pings, tcp %s; probe %s", when, qPrintable(other.name), inside,
          insideTcp ? "connected" : "refused", qPrintable(other.name), across, acrossTcp ? "connected" : "dropped",
          probe ? "answered" : "dropped");
    QVERIFY2(inside >= 2, when);
    QVERIFY2(insideTcp, when);
    QCOMPARE(across, 0);
    QVERIFY2(!acrossTcp, when);
    QVERIFY2(!probe, when);
}

void tst_PolicyLab::isolationHoldsAcrossMigration()
{
    const Guest db1 = *guest(u"db-1"_s);
    Guest db2 = *guest(u"db-2"_s);
    const Guest db3 = *guest(u"db-3"_s);
    qInfo("db-1 %s on %s, db-2 %s on %s, db-3 %s on %s", qPrintable(db1.ip), qPrintable(labHost(db1.vm.hostUri).name), qPrintable(db2.ip),
          qPrintable(labHost(db2.vm.hostUri).name), qPrintable(db3.ip), qPrintable(labHost(db3.vm.hostUri).name));

    GuestShell shell1(m_sessions.get(), m_inventory.get(), db1.vm);
    GuestShell shell2(m_sessions.get(), m_inventory.get(), db2.vm);
    GuestShell shell3(m_sessions.get(), m_inventory.get(), db3.vm);
    QVERIFY(shell1.open() && shell2.open() && shell3.open());
    QVERIFY2(shell1.ready(240000) && shell2.ready(240000) && shell3.ready(240000), "a guest's shell does not answer on its console");
    qInfo("the three consoles answer");
    // db-2 answers TCP on port 7000 with a line its shell computes (the typed text cannot pass
    // for it); the listener survives the migration with the guest.
    qInfo("starting db-2's listener");
    QVERIFY(!shell2.run(u"printf '#!/bin/sh\\necho policy-pong-$((40+2))\\n' > /tmp/pong; chmod +x /tmp/pong; "
                        "(nc -ll -p 7000 -e /tmp/pong >/dev/null 2>&1 &)"_s,
                        20000)
                 .isNull());

    // Before: everyone reaches db-2.
    QTRY_VERIFY_WITH_TIMEOUT(probeAnswered(db2.ip), 60000);
    qInfo("before: the probe reaches db-2");
    QVERIFY(pings(shell3, db2.ip) >= 2);
    QVERIFY(connects(shell3, db2.ip));

    // Isolate db-1 and db-2, as the operator's chosen set.
    PortIsolation *isolation = m_controller->isolation();
    const IsolationPlan plan = isolation->plan(u"lab-policy"_s, QString(), {db1.vm, db2.vm});
    QCOMPARE(plan.ports.size(), 2);
    QCOMPARE(isolation->refusal(plan), QString());
    auto removeGroup = qScopeGuard([this, &plan] { (void)nbctl({u"--if-exists"_s, u"pg-del"_s, plan.groupName}); });
    QSignalSpy finished(isolation, &PortIsolation::finished);
    isolation->isolate(plan);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
    // The rows as ovn-nbctl reads them, and Vigie's own reading of them.
    QVERIFY(nbctl({u"get"_s, u"Port_Group"_s, plan.groupName, u"ports"_s}).out.count(u'-') >= 8);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->policy()->portGroupByName(plan.groupName).uuid.isEmpty(), 5000);
    const OvnPortGroup group = m_controller->policy()->portGroupByName(plan.groupName);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->policy()->aclsOfGroup(group.uuid).size(), PortIsolation::aclsFor(plan).size(), 5000);
    for (const OvnAcl &acl : m_controller->policy()->aclsOfGroup(group.uuid))
        qInfo("  %s", qPrintable(AclText::describe(acl, m_controller->policy())));

    // ovn-controller installs the flows: the probe's pings stop being answered.
    const qint64 isolatedAt = now();
    QTRY_VERIFY_WITH_TIMEOUT(!probeAnswered(db2.ip), 30000);
    qInfo("isolation in force %lld ms after the transaction", qlonglong(now() - isolatedAt));
    checkPolicy(shell1, shell3, db2, "before the migration");

    // Migrate db-2 to a host that is not its own, db-1 pinging it and db-3 pinging it throughout.
    LabHost dest;
    for (const LabHost &host : m_lab.hosts()) {
        if (host.uri != db2.vm.hostUri && (dest.uri.isEmpty() || host.uri != db1.vm.hostUri))
            dest = host;
    }
    shell1.start(u"ping -i 0.2 -c 400 "_s + db2.ip);
    shell3.start(u"ping -i 0.2 -c 400 "_s + db2.ip);
    QTRY_VERIFY_WITH_TIMEOUT(shell1.text().count("bytes from") >= 5, 20000);
    const qint64 startMs = now();
    QSignalSpy jobs(m_migrations.get(), &MigrationController::jobFinished);
    QString error;
    MigrationOptions options;
    options.copyStorage = true; // db-2's disk is on its host
    QVERIFY2(!m_migrations->start(db2.vm, dest.uri, options, &error).isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(jobs.size(), 1, 120000);
    const qint64 endMs = now();
    const MigrationProgress done = jobs.first().first().value<MigrationProgress>();
    QVERIFY2(done.phase == MigrationPhase::Completed, qPrintable(done.message));
    // The first reply db-1 gets after the migration's end.
    qint64 firstAfter = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto &[at, bytes] : shell1.chunks()) {
                if (at >= endMs && bytes.contains("bytes from")) {
                    firstAfter = at;
                    return true;
                }
            }
            return false;
        }(),
        30000);
    shell1.interrupt();
    shell3.interrupt();
    QTRY_VERIFY_WITH_TIMEOUT(received(QString::fromUtf8(shell3.text())) >= 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(received(QString::fromUtf8(shell1.text())) >= 0, 10000);
    const QString outsiderSummary = QString::fromUtf8(shell3.text()).section(u"---"_s, -1).simplified();
    qInfo("db-2 %s -> %s: migration %lld ms; db-1 answered again %lld ms after its end; outsider db-3 during the move: %s",
          qPrintable(labHost(db2.vm.hostUri).name), qPrintable(dest.name), qlonglong(endMs - startMs), qlonglong(firstAfter - endMs),
          qPrintable(outsiderSummary));
    QCOMPARE(received(QString::fromUtf8(shell3.text())), 0);
    QVERIFY(shell3.text().count("bytes from") == 0);

    db2.vm = VmKey{dest.uri, db2.vm.uuid};
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->correlation()->matchOf(db2.vm, m_inventory->vm(db2.vm).nics.value(0).mac)
                                  .value_or(NicPortMatch{})
                                  .chassisHostUri,
                              dest.uri, 15000);
    checkPolicy(shell1, shell3, db2, "after the migration");

    // Removing the isolation lets the outsider in again.
    finished.clear();
    isolation->remove(m_controller->policy()->portGroupByName(plan.groupName));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(probeAnswered(db2.ip), 30000);
    QVERIFY(pings(shell3, db2.ip) >= 2);
    // The ACLs went with the group.
    QCOMPARE(nbctl({u"--bare"_s, u"--columns=_uuid"_s, u"find"_s, u"ACL"_s, u"external_ids:\"vigie:isolation\"=lab-policy"_s}).out.trimmed(),
             QString());
    (void)shell2.run(u"killall nc"_s, 10000);
}

void tst_PolicyLab::cleanupTestCase()
{
    m_bindings.reset();
    m_controller.reset();
    m_migrations.reset();
    m_sessions.reset();
}

QTEST_GUILESS_MAIN(tst_PolicyLab)
#include "tst_policylab.moc"
