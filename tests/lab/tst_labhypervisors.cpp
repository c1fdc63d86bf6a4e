// Vigie's hypervisor sessions against the lab's real libvirt daemons and QEMU guests: the
// inventory against virsh, lifecycle through Vigie, changes made behind Vigie's back, and daemons
// killed or frozen under it. Every check compares with what virsh says, never with Vigie itself.
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"
#include "metrics/metricsstore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QHash>
#include <QSet>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryFile>
#include <QTest>
#include <QXmlStreamReader>

#include <algorithm>
#include <memory>

using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

// What virsh says of one domain, parsed independently of Vigie's own parser.
struct VirshDomain
{
    QString name;
    QString uuid;
    QString state; // Vigie's keyword (vmStateName)
    int vcpus = 0;
    quint64 memoryKiB = 0;    // <currentMemory>
    quint64 maxMemoryKiB = 0; // <memory>
    QStringList nics;         // "mac vlan,vlan"
};

QString stateKeyword(QString virshState)
{
    virshState = virshState.trimmed();
    if (virshState == QLatin1String("shut off"))
        return QStringLiteral("shutoff");
    if (virshState == QLatin1String("in shutdown"))
        return QStringLiteral("shutdown");
    if (virshState == QLatin1String("idle"))
        return QStringLiteral("blocked");
    return virshState;
}

quint64 toKiB(quint64 value, const QString &unit)
{
    if (unit.isEmpty() || unit == QLatin1String("KiB") || unit == QLatin1String("k"))
        return value;
    if (unit == QLatin1String("MiB") || unit == QLatin1String("M"))
        return value * 1024;
    if (unit == QLatin1String("GiB") || unit == QLatin1String("G"))
        return value * 1024 * 1024;
    if (unit == QLatin1String("b") || unit == QLatin1String("bytes"))
        return value / 1024;
    return 0;
}

// Every domain of the host per virsh; an error message instead when virsh fails.
QList<VirshDomain> virshDomains(const LabHost &host, QString *error)
{
    const LabEnvironment::Result list = LabEnvironment::virsh(host, {QStringLiteral("list"), QStringLiteral("--all")});
    if (!list.ok()) {
        *error = QStringLiteral("virsh list on %1: %2").arg(host.name, list.err);
        return {};
    }
    QList<VirshDomain> domains;
    static const QRegularExpression line(QStringLiteral(R"(^\s*(\S+)\s+(\S+)\s+(.+)$)"));
    for (const QString &row : list.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch m = line.match(row);
        if (!m.hasMatch())
            continue;
        VirshDomain d;
        d.name = m.captured(2);
        d.state = stateKeyword(m.captured(3));
        const LabEnvironment::Result xml = LabEnvironment::virsh(host, {QStringLiteral("dumpxml"), d.name});
        if (!xml.ok()) {
            *error = QStringLiteral("virsh dumpxml %1 on %2: %3").arg(d.name, host.name, xml.err);
            return {};
        }
        QXmlStreamReader reader(xml.out);
        QStringList path;
        QString mac;
        QStringList tags;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement()) {
                path.append(reader.name().toString());
                const QString where = path.join(u'/');
                const QString unit = reader.attributes().value(QLatin1String("unit")).toString();
                if (where == QLatin1String("domain/uuid"))
                    d.uuid = reader.readElementText().trimmed();
                else if (where == QLatin1String("domain/vcpu"))
                    d.vcpus = reader.readElementText().toInt();
                else if (where == QLatin1String("domain/memory"))
                    d.maxMemoryKiB = toKiB(reader.readElementText().toULongLong(), unit);
                else if (where == QLatin1String("domain/currentMemory"))
                    d.memoryKiB = toKiB(reader.readElementText().toULongLong(), unit);
                else if (where == QLatin1String("domain/devices/interface/mac"))
                    mac = reader.attributes().value(QLatin1String("address")).toString();
                else if (where == QLatin1String("domain/devices/interface/vlan/tag"))
                    tags.append(reader.attributes().value(QLatin1String("id")).toString());
                if (reader.isEndElement()) // readElementText consumed the element
                    path.removeLast();
            } else if (reader.isEndElement()) {
                if (path.join(u'/') == QLatin1String("domain/devices/interface")) {
                    tags.sort();
                    d.nics.append(mac + u' ' + tags.join(u','));
                    mac.clear();
                    tags.clear();
                }
                path.removeLast();
            }
        }
        if (reader.hasError()) {
            *error = QStringLiteral("dumpxml %1: %2").arg(d.name, reader.errorString());
            return {};
        }
        if (d.memoryKiB == 0)
            d.memoryKiB = d.maxMemoryKiB;
        domains.append(d);
    }
    return domains;
}

QStringList nicSummary(const VmInfo &vm)
{
    QStringList out;
    for (const NicInfo &nic : vm.nics) {
        QStringList tags;
        for (int tag : nic.vlanTags)
            tags.append(QString::number(tag));
        tags.sort();
        out.append(nic.mac + u' ' + tags.join(u','));
    }
    return out;
}

} // namespace

class tst_LabHypervisors : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    std::unique_ptr<Inventory> m_inventory;
    std::unique_ptr<MetricsStore> m_metrics;
    std::unique_ptr<SessionManager> m_sessions;

    // Differences between Vigie's inventory of HOST and virsh; empty when they agree.
    QString differences(const LabHost &host) const
    {
        QString error;
        const QList<VirshDomain> domains = virshDomains(host, &error);
        if (!error.isEmpty())
            return error;
        QStringList diffs;
        const QList<VmKey> keys = m_inventory->vmKeysOfHost(host.uri);
        if (keys.size() != domains.size())
            diffs.append(QStringLiteral("%1 VMs in Vigie, %2 in virsh").arg(keys.size()).arg(domains.size()));
        for (const VirshDomain &d : domains) {
            const VmKey key{host.uri, d.uuid};
            if (!m_inventory->hasVm(key)) {
                diffs.append(QStringLiteral("%1 (%2) missing").arg(d.name, d.uuid));
                continue;
            }
            const VmInfo vm = m_inventory->vm(key);
            const auto check = [&](const char *what, const QString &ours, const QString &theirs) {
                if (ours != theirs)
                    diffs.append(QStringLiteral("%1 %2: Vigie '%3', virsh '%4'").arg(d.name, QLatin1String(what), ours, theirs));
            };
            check("name", vm.name, d.name);
            check("state", vmStateName(vm.state), d.state);
            check("vcpus", QString::number(vm.vcpus), QString::number(d.vcpus));
            check("max memory", QString::number(vm.maxMemoryKiB), QString::number(d.maxMemoryKiB));
            check("nics", nicSummary(vm).join(u';'), d.nics.join(u';'));
        }
        return diffs.join(QStringLiteral("; "));
    }

    [[nodiscard]] ConnectionState hostState(const LabHost &host) const { return m_inventory->host(host.uri).state; }

    // A small firmware-only guest to define and remove behind Vigie's back.
    static QString writeGuestXml(QTemporaryFile &file, const QString &name)
    {
        if (!file.open())
            return {};
        file.write(QStringLiteral(R"(<domain type='qemu'>
  <name>%1</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
)").arg(name).toUtf8());
        file.close();
        return file.fileName();
    }

    // A change made with virsh on HOST shows up in Vigie within 2 s.
    void checkSeenBehindOurBack(const LabHost &host, const QString &name)
    {
        QTemporaryFile xml;
        const QString path = writeGuestXml(xml, name);
        QVERIFY(!path.isEmpty());
        const auto vmNamed = [&]() -> std::optional<VmInfo> {
            for (const VmKey &key : m_inventory->vmKeysOfHost(host.uri)) {
                if (m_inventory->vm(key).name == name)
                    return m_inventory->vm(key);
            }
            return std::nullopt;
        };
        LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("define"), path});
        QVERIFY2(r.ok(), qPrintable(r.err));
        QTRY_VERIFY_WITH_TIMEOUT(vmNamed().has_value(), 2000);
        QCOMPARE(vmNamed()->state, VmState::Shutoff);

        r = LabEnvironment::virsh(host, {QStringLiteral("start"), name});
        QVERIFY2(r.ok(), qPrintable(r.err));
        QTRY_VERIFY_WITH_TIMEOUT(vmNamed() && vmNamed()->state == VmState::Running, 2000);

        r = LabEnvironment::virsh(host, {QStringLiteral("destroy"), name});
        QVERIFY2(r.ok(), qPrintable(r.err));
        QTRY_VERIFY_WITH_TIMEOUT(vmNamed() && vmNamed()->state == VmState::Shutoff, 2000);

        r = LabEnvironment::virsh(host, {QStringLiteral("undefine"), name});
        QVERIFY2(r.ok(), qPrintable(r.err));
        QTRY_VERIFY_WITH_TIMEOUT(!vmNamed().has_value(), 2000);
    }

    // Kills or freezes libvirtd of HOST: Vigie marks only that host unreachable (with libvirt's
    // reason) within 15 s, another host keeps updating, and after recovery the inventory matches
    // virsh again with no ghost or duplicate.
    void checkDaemonFault(const QString &fault, const QString &recover)
    {
        const LabHost victim = m_lab.hosts().at(1);
        const LabHost other = m_lab.hosts().at(2);
        QCOMPARE(hostState(victim), ConnectionState::Connected);
        const int vmsBefore = int(m_inventory->vmKeysOfHost(victim.uri).size());

        // When the other hosts' figures arrive while the victim fails: they must not wait for it.
        QElapsedTimer clock;
        clock.start();
        QHash<QString, QList<qint64>> arrivals;
        const QMetaObject::Connection ticks = connect(m_metrics.get(), &MetricsStore::tickAccepted, this,
                                                      [&](const MetricsTick &tick) { arrivals[tick.hostUri].append(clock.elapsed()); });
        auto stopTicks = qScopeGuard([&] { disconnect(ticks); });

        QElapsedTimer noticed;
        noticed.start();
        const qint64 faultAt = clock.elapsed();
        LabEnvironment::Result r = LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), fault});
        QVERIFY2(r.ok(), qPrintable(r.err));
        // Whatever fails below, the daemon comes back: the next tests share this lab.
        auto recoverDaemon = qScopeGuard([&] {
            (void)LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), recover});
        });
        // Keepalive (2 s x 3) gives a frozen daemon's connection up in about 8 s, metrics calls in
        // flight or not: the worker reads that on its next tick (virConnectIsAlive), without
        // waiting for libvirt's close callback, which a call stuck on the frozen daemon delays.
        QTRY_COMPARE_WITH_TIMEOUT(hostState(victim), ConnectionState::Unreachable, 15000);
        const qint64 noticedAt = clock.elapsed();
        qInfo("%s: %s noticed after %lld ms", qPrintable(victim.name), qPrintable(fault), noticed.elapsed());
        stopTicks.dismiss();
        disconnect(ticks);
        for (const LabHost &host : {m_lab.hosts().at(0), other}) {
            // From the fault to the notice, bounds included: a short fault sees one tick or none.
            QList<qint64> times{faultAt};
            for (const qint64 t : arrivals.value(host.uri)) {
                if (t > faultAt && t < noticedAt)
                    times.append(t);
            }
            times.append(noticedAt);
            qint64 longest = 0;
            for (qsizetype i = 1; i < times.size(); ++i)
                longest = std::max(longest, times.at(i) - times.at(i - 1));
            // Ticks every second: the longest gap minus a second is how late a tick came.
            qInfo("%s: %lld ticks while %s was failing, longest gap %lld ms (latest tick %lld ms late)", qPrintable(host.name),
                  qlonglong(times.size() - 2), qPrintable(victim.name), longest, std::max<qint64>(0, longest - 1000));
            QVERIFY2(longest < 2500, qPrintable(host.name + QStringLiteral(": a tick came %1 ms after the previous one").arg(longest)));
        }
        QVERIFY2(!m_inventory->host(victim.uri).stateMessage.isEmpty(), "no reason given for the unreachable host");
        qInfo("%s: %s", qPrintable(victim.name), qPrintable(m_inventory->host(victim.uri).stateMessage));
        // Its VMs are still listed (last known state), the other hosts still connected and live.
        QCOMPARE(int(m_inventory->vmKeysOfHost(victim.uri).size()), vmsBefore);
        QCOMPARE(hostState(m_lab.hosts().at(0)), ConnectionState::Connected);
        checkSeenBehindOurBack(other, QStringLiteral("lab-probe-%1").arg(fault));

        recoverDaemon.dismiss();
        r = LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), recover});
        QVERIFY2(r.ok(), qPrintable(r.err));
        // Reconnection backs off up to 30 s between attempts.
        QTRY_COMPARE_WITH_TIMEOUT(hostState(victim), ConnectionState::Connected, 60000);
        QTRY_VERIFY2_WITH_TIMEOUT(differences(victim).isEmpty(), qPrintable(differences(victim)), 10000);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY2(differences(host).isEmpty(), qPrintable(host.name + QStringLiteral(": ") + differences(host)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_lab.hosts().size() >= 3);
        m_inventory = std::make_unique<Inventory>();
        m_sessions = std::make_unique<SessionManager>(m_inventory.get());
        // As the console runs: metrics every second on every host, so the fault tests below
        // also prove that collection does not hide a dead or frozen daemon.
        m_metrics = std::make_unique<MetricsStore>();
        m_sessions->setMetricsStore(m_metrics.get());
        m_sessions->setMetricsInterval(1);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
        const auto allConnected = [&] {
            for (const LabHost &host : m_lab.hosts()) {
                if (hostState(host) != ConnectionState::Connected)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allConnected(), 30000);
    }

    void inventoryMatchesVirsh()
    {
        int running = 0;
        for (const LabHost &host : m_lab.hosts()) {
            QTRY_VERIFY2_WITH_TIMEOUT(differences(host).isEmpty(), qPrintable(host.name + QStringLiteral(": ") + differences(host)), 5000);
            const HostInfo info = m_inventory->host(host.uri);
            QCOMPARE(info.hostname, host.name); // each daemon runs in its own UTS namespace
            QCOMPARE(info.hypervisorType, QStringLiteral("QEMU"));
            for (const VmKey &key : m_inventory->vmKeysOfHost(host.uri)) {
                const VmInfo vm = m_inventory->vm(key);
                running += vm.state == VmState::Running ? 1 : 0;
                QVERIFY2(!vm.tenant.isEmpty(), qPrintable(vm.name));
            }
        }
        QVERIFY2(running >= 9, qPrintable(QString::number(running)));
        // The VLANs of the lab come from the hosts' NICs and the lab-vlan network's portgroups.
        for (const LabVlan &vlan : m_lab.vlans())
            QCOMPARE(m_inventory->vlanName(vlan.id), vlan.name);
    }

    // What the README promises: `vigie --lab --dump-inventory -` lists every lab host with its
    // running guests and the lab's VLANs.
    void dumpInventoryOfTheLab()
    {
        const LabEnvironment::Result r = LabEnvironment::run(QStringLiteral(VIGIE_BINARY),
                                                             {QStringLiteral("--lab"), QStringLiteral("--dump-inventory"), QStringLiteral("-")},
                                                             60000);
        QVERIFY2(r.ok(), qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray hosts = json.value(QLatin1String("hosts")).toArray();
        QCOMPARE(hosts.size(), m_lab.hosts().size());
        for (const QJsonValue &host : hosts)
            QCOMPARE(host.toObject().value(QLatin1String("state")).toString(), QStringLiteral("connected"));
        int running = 0;
        for (const QJsonValue &vm : json.value(QLatin1String("vms")).toArray())
            running += vm.toObject().value(QLatin1String("state")).toString() == QLatin1String("running") ? 1 : 0;
        QVERIFY2(running >= 9, qPrintable(QString::number(running)));
        QSet<int> vlans;
        for (const QJsonValue &vlan : json.value(QLatin1String("vlans")).toArray())
            vlans.insert(vlan.toObject().value(QLatin1String("id")).toInt());
        for (const LabVlan &vlan : m_lab.vlans())
            QVERIFY2(vlans.contains(vlan.id), qPrintable(QString::number(vlan.id)));
    }

    // The controller knows every ML2/OVN NIC the hypervisors report, by its Open vSwitch
    // interfaceid, in the logical switch of the NIC's VLAN (the correlation issue 5's client
    // relies on). The libvirt-wired guests (lab-vlan network) are not the controller's.
    void controllerHasEveryNic()
    {
        QString unixRemote;
        for (const QString &remote : m_lab.controllerRemotes()) {
            if (remote.startsWith(QLatin1String("unix:")))
                unixRemote = remote;
        }
        QVERIFY(!unixRemote.isEmpty());
        const LabEnvironment::Result r = LabEnvironment::run(
            QStringLiteral("ovn-nbctl"),
            {QStringLiteral("--db=") + unixRemote, QStringLiteral("--format=csv"), QStringLiteral("--data=bare"),
             QStringLiteral("--no-headings"), QStringLiteral("--columns=name,ports"), QStringLiteral("list"),
             QStringLiteral("Logical_Switch")},
            20000);
        QVERIFY2(r.ok(), qPrintable(r.err));
        const LabEnvironment::Result ports = LabEnvironment::run(
            QStringLiteral("ovn-nbctl"),
            {QStringLiteral("--db=") + unixRemote, QStringLiteral("--format=csv"), QStringLiteral("--data=bare"),
             QStringLiteral("--no-headings"), QStringLiteral("--columns=_uuid,name,type,tag,tag_request"), QStringLiteral("list"),
             QStringLiteral("Logical_Switch_Port")},
            20000);
        QVERIFY2(ports.ok(), qPrintable(ports.err));
        QHash<QString, QString> portName; // row uuid -> name
        QHash<QString, int> localnetTag;  // port name -> tag
        for (const QString &line : ports.out.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList f = line.split(u',');
            if (f.size() < 5)
                continue;
            portName.insert(f[0], f[1]);
            // Neutron writes a localnet port's tag itself; the lab's switches request theirs.
            if (f[2] == QLatin1String("localnet"))
                localnetTag.insert(f[1], f[3].isEmpty() ? f[4].toInt() : f[3].toInt());
        }
        QHash<QString, int> vlanOfPort; // interfaceid -> VLAN of its switch
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList f = line.split(u',');
            int tag = 0;
            const QStringList members = f.value(1).split(u' ', Qt::SkipEmptyParts);
            for (const QString &uuid : members)
                tag = localnetTag.value(portName.value(uuid), tag);
            // The lab's overlay network has no VLAN (and only probes' ports).
            if (tag == 0 && f.value(0) == QLatin1String("overlay"))
                continue;
            QVERIFY2(tag > 0, qPrintable(f.value(0) + QStringLiteral(" has no localnet port with a tag")));
            for (const QString &uuid : members)
                vlanOfPort.insert(portName.value(uuid), tag);
        }
        int nics = 0;
        for (const LabHost &host : m_lab.hosts()) {
            for (const VmKey &key : m_inventory->vmKeysOfHost(host.uri)) {
                const VmInfo vm = m_inventory->vm(key);
                if (!m_lab.wiring(vm.name).isOvn())
                    continue;
                for (const NicInfo &nic : vm.nics) {
                    ++nics;
                    QVERIFY2(vlanOfPort.contains(nic.interfaceId), qPrintable(vm.name + u' ' + nic.interfaceId));
                    // ML2/OVN: libvirt states no VLAN; the port's switch's localnet carries it.
                    QVERIFY2(nic.vlanTags.isEmpty(), qPrintable(vm.name));
                    QVERIFY2(m_inventory->libvirtNicVlans(vm.hostUri, nic).isEmpty(), qPrintable(vm.name));
                }
            }
        }
        QVERIFY(nics >= 10);
    }

    void lifecycleThroughVigie()
    {
        const LabHost host = m_lab.hosts().at(1);
        const QString name = QStringLiteral("web-2");
        VmKey key;
        for (const VmKey &k : m_inventory->vmKeysOfHost(host.uri)) {
            if (m_inventory->vm(k).name == name)
                key = k;
        }
        QVERIFY2(!key.uuid.isEmpty(), "web-2 not in the inventory");
        const auto virshState = [&] {
            return stateKeyword(LabEnvironment::virsh(host, {QStringLiteral("domstate"), name}).out);
        };
        QCOMPARE(virshState(), QStringLiteral("running"));

        m_sessions->runAction({key}, VmAction::ForceOff);
        QTRY_COMPARE_WITH_TIMEOUT(virshState(), QStringLiteral("shutoff"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(key).state, VmState::Shutoff, 2000);

        // The console log is appended to across boots (a pty serial's <log append='on'>): this
        // boot is the next "up" line.
        QFile console(m_lab.directory() + QStringLiteral("/hosts/%1/log/libvirt/qemu/%2-console.log").arg(host.name, name));
        const QByteArray upLine = "vigie-guest: " + name.toUtf8() + " up";
        const auto boots = [&] {
            console.close();
            return console.open(QIODevice::ReadOnly) ? console.readAll().count(upLine) : qsizetype(0);
        };
        const qsizetype bootsBefore = boots();
        const auto booted = [&] { return boots() > bootsBefore; };

        m_sessions->runAction({key}, VmAction::Start);
        QTRY_COMPARE_WITH_TIMEOUT(virshState(), QStringLiteral("running"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(key).state, VmState::Running, 2000);

        // A graceful shutdown goes through the guest (ACPI power button, busybox acpid): wait for
        // the TCG guest to have booted (its console says so), then give it time to power off.
        // A TCG guest boots in 20-60 s, more on a machine that is building.
        QTRY_VERIFY_WITH_TIMEOUT(booted(), 120000);
        m_sessions->runAction({key}, VmAction::Shutdown);
        QTRY_COMPARE_WITH_TIMEOUT(virshState(), QStringLiteral("shutoff"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory->vm(key).state, VmState::Shutoff, 2000);

        m_sessions->runAction({key}, VmAction::Start);
        QTRY_COMPARE_WITH_TIMEOUT(virshState(), QStringLiteral("running"), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(differences(host).isEmpty(), qPrintable(differences(host)), 2000);
    }

    void changesBehindVigiesBack()
    {
        checkSeenBehindOurBack(m_lab.hosts().at(0), QStringLiteral("lab-probe"));
        QVERIFY(differences(m_lab.hosts().at(0)).isEmpty());
    }

    void killedDaemon() { checkDaemonFault(QStringLiteral("kill"), QStringLiteral("start")); }

    void frozenDaemon() { checkDaemonFault(QStringLiteral("stop"), QStringLiteral("cont")); }

    // Removing a host whose worker is stuck in libvirt (opening a connection to a frozen daemon,
    // which never answers) returns at once: the window never waits for a host's thread.
    void removeFrozenHost()
    {
        const LabHost victim = m_lab.hosts().at(1);
        QCOMPARE(hostState(victim), ConnectionState::Connected);
        LabEnvironment::Result r = LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), QStringLiteral("stop")});
        QVERIFY2(r.ok(), qPrintable(r.err));
        auto recover = qScopeGuard([&] {
            (void)LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), QStringLiteral("cont")});
        });
        QTRY_COMPARE_WITH_TIMEOUT(hostState(victim), ConnectionState::Unreachable, 15000);
        // The next attempt (after a second's backoff) hangs in libvirt's open.
        QTRY_COMPARE_WITH_TIMEOUT(hostState(victim), ConnectionState::Connecting, 10000);

        QElapsedTimer removal;
        removal.start();
        m_sessions->removeConnection(victim.uri);
        const qint64 ms = removal.elapsed();
        qInfo("removing %s while its worker waits on the frozen daemon took %lld ms", qPrintable(victim.name), ms);
        QVERIFY2(ms < 250, qPrintable(QString::number(ms)));
        QVERIFY(!m_sessions->uris().contains(victim.uri));
        QCOMPARE(hostState(m_lab.hosts().at(0)), ConnectionState::Connected);

        recover.dismiss();
        r = LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), QStringLiteral("cont")});
        QVERIFY2(r.ok(), qPrintable(r.err));
        QVERIFY(m_sessions->addConnection(victim.uri));
        QTRY_COMPARE_WITH_TIMEOUT(hostState(victim), ConnectionState::Connected, 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(differences(victim).isEmpty(), qPrintable(differences(victim)), 10000);
    }

    // Quitting with a frozen host: vigie --lab --dump-inventory gives up on the frozen host after
    // its --timeout, and then exits without waiting for that host's thread.
    void quitWithFrozenHost()
    {
        const LabHost victim = m_lab.hosts().at(1);
        LabEnvironment::Result r = LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), QStringLiteral("stop")});
        QVERIFY2(r.ok(), qPrintable(r.err));
        auto recover = qScopeGuard([&] {
            (void)LabEnvironment::lab({QStringLiteral("daemon"), victim.name, QStringLiteral("libvirtd"), QStringLiteral("cont")});
        });
        // vigie reports each host it could not connect after waiting --timeout, then exits: the
        // time from that report to the end of the process is the exit's.
        constexpr int TimeoutS = 3;
        QProcess vigie;
        QElapsedTimer clock;
        qint64 reportedAt = -1;
        QByteArray err;
        connect(&vigie, &QProcess::readyReadStandardError, this, [&] {
            err += vigie.readAllStandardError();
            if (reportedAt < 0 && err.contains(victim.uri.toUtf8()))
                reportedAt = clock.elapsed();
        });
        clock.start();
        vigie.start(QStringLiteral(VIGIE_BINARY), {QStringLiteral("--lab"), QStringLiteral("--dump-inventory"), QStringLiteral("-"),
                                                   QStringLiteral("--timeout"), QString::number(TimeoutS)});
        QTRY_VERIFY_WITH_TIMEOUT(vigie.state() == QProcess::NotRunning, 60000);
        const qint64 endedAt = clock.elapsed();
        err += vigie.readAllStandardError();
        QVERIFY2(reportedAt >= 0, err.constData()); // the frozen host is named
        qInfo("vigie --lab --dump-inventory with %s frozen: reported it after %lld ms, exited %lld ms later (status %d)",
              qPrintable(victim.name), reportedAt, endedAt - reportedAt, vigie.exitCode());
        QVERIFY2(err.contains("not waiting"), err.constData());
        QCOMPARE(vigie.exitStatus(), QProcess::NormalExit);
        QVERIFY2(endedAt - reportedAt < 1000, qPrintable(QString::number(endedAt - reportedAt)));
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
        m_metrics.reset();
        m_inventory.reset();
    }
};

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    tst_LabHypervisors test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_labhypervisors.moc"
