// Usage reports (pay per use) from the stored history: known hour rows written through
// HistoryDatabase into a temporary file, then every figure of the report checked to the cent; a
// VM migrated mid-hour counted once; period boundaries; the upgrade of a schema 1 history; what
// the writer records for running and shut-off VMs.
#include "inventory/hostinfo.h"
#include "inventory/inventory.h"
#include "metrics/historydatabase.h"
#include "metrics/historywriter.h"
#include "metrics/usageallocations.h"
#include "metrics/usagereport.h"

#include <QDateTime>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 3'600'000;
constexpr qint64 Day = 86'400'000;
// 2026-02-01 00:00 UTC: the period of most cases is February 2026.
const qint64 Feb = QDateTime(QDate(2026, 2, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch();
const qint64 Mar = QDateTime(QDate(2026, 3, 1), QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch();

const QString Web = u"6f1c7a52-0c1e-4b8e-9d7e-3a0b1c2d3e4f"_s;
const QString Db = u"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"_s;

// 2 vCPUs, 4 GiB of memory, 20 GiB of disk.
VmAllocation allocation(const QString &uuid, const QString &tenant, bool running = true)
{
    VmAllocation a;
    a.uuid = uuid;
    a.name = uuid == Web ? u"web-1"_s : u"db-1"_s;
    a.tenant = tenant;
    a.vcpus = 2;
    a.memoryMiB = 4096;
    a.diskMiB = 20 * 1024;
    a.running = running;
    return a;
}

// A VM's hour (or part of it: runMs), CPU 25 %, 1 MB/s in and 0.5 MB/s out while it ran.
HistoryRow hourRow(const VmAllocation &a, qint64 startMs, qint64 durationMs = Hour)
{
    HistoryRow row;
    row.key = {HistorySubject::Vm, a.uuid};
    row.startMs = startMs;
    row.avg.fill(std::numeric_limits<float>::quiet_NaN(), VmMetricCount);
    row.max.fill(std::numeric_limits<float>::quiet_NaN(), VmMetricCount);
    row.usage = a.usageOver(durationMs);
    if (a.running) {
        row.count = int(durationMs / 1000);
        row.avg[int(VmMetric::CpuPercent)] = 25.0f;
        row.avg[int(VmMetric::NetRxBytesPerSec)] = 1'000'000.0f;
        row.avg[int(VmMetric::NetTxBytesPerSec)] = 500'000.0f;
        row.max = row.avg;
    }
    return row;
}

// 0.012345 EUR per vCPU-hour, 0.004 per GiB-hour of memory, 0.0001 per GiB-hour of disk,
// 0.05 per GB.
UsagePrices prices()
{
    UsagePrices p;
    p.currency = u"EUR"_s;
    p.vcpuHour = 12'345;
    p.memoryGiBHour = 4'000;
    p.diskGiBHour = 100;
    p.networkGB = 50'000;
    return p;
}

} // namespace

class TestUsageReport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(u"vigie-test"_s);
        QCoreApplication::setApplicationName(u"tst_usagereport"_s);
    }

    void figures_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("tenant");  // the tenant checked
        QTest::addColumn<int>("tenants");     // in the report
        QTest::addColumn<int>("vms");         // of the tenant checked
        QTest::addColumn<qint64>("vcpuMs");
        QTest::addColumn<qint64>("memoryMiBMs");
        QTest::addColumn<qint64>("diskMiBMs");
        QTest::addColumn<qint64>("cpuUsedMs");
        QTest::addColumn<qint64>("rxBytes");
        QTest::addColumn<qint64>("txBytes");
        QTest::addColumn<QList<qint64>>("cents"); // vCPU, memory, disk, network, total

        // 10 h: 20 vCPU-h x 0.012345 = 0.2469 -> 0.25; 40 GiB-h x 0.004 = 0.16; 200 GiB-h of
        // disk x 0.0001 = 0.02; 36 + 18 GB x 0.05 = 2.70.
        QTest::newRow("one VM, ten hours") << u"ten hours"_s << u"acme"_s << 1 << 1 << 72'000'000LL
                                           << 4096LL * 36'000'000 << 20480LL * 36'000'000 << 18'000'000LL
                                           << 36'000'000'000LL << 18'000'000'000LL << QList<qint64>{25, 16, 2, 270, 313};
        // 20 minutes of one hour: 2/3 vCPU-h x 0.012345 = 0.00823 -> 0.01; 4/3 GiB-h x 0.004 =
        // 0.0053 -> 0.01; 20/3 GiB-h x 0.0001 -> 0.00; 1.8 GB x 0.05 = 0.09.
        QTest::newRow("partial hour") << u"partial hour"_s << u"acme"_s << 1 << 1 << 2'400'000LL << 4096LL * 1'200'000
                                      << 20480LL * 1'200'000 << 600'000LL << 1'200'000'000LL << 600'000'000LL
                                      << QList<qint64>{1, 1, 0, 9, 11};
        // Half an hour on one host, half on the other, written as minutes: one VM, one hour.
        QTest::newRow("migrated mid-hour, counted once")
            << u"migrated"_s << u"acme"_s << 1 << 1 << 7'200'000LL << 4096LL * 3'600'000 << 20480LL * 3'600'000
            << 1'800'000LL << 3'600'000'000LL << 1'800'000'000LL << QList<qint64>{2, 2, 0, 27, 31};
        // web-1 the whole month (672 h), db-1 created on the 20th at 12:00 (204 h). web-1: 1344
        // vCPU-h x 0.012345 = 16.59168 -> 16.59, 2688 GiB-h x 0.004 = 10.752 -> 10.75, 13440
        // GiB-h of disk -> 1.344 -> 1.34, 3628.8 GB -> 181.44; db-1: 408 vCPU-h -> 5.03676 ->
        // 5.04, 816 GiB-h -> 3.264 -> 3.26, 4080 GiB-h -> 0.408 -> 0.41, 1101.6 GB -> 55.08. Lines
        // rounded, then added.
        QTest::newRow("VM created mid-period")
            << u"created"_s << u"acme"_s << 1 << 2 << 2LL * 876 * Hour << 4096LL * 876 * Hour << 20480LL * 876 * Hour
            << 876LL * Hour / 2 << 876LL * 3'600'000'000 << 876LL * 1'800'000'000
            << QList<qint64>{1659 + 504, 1075 + 326, 134 + 41, 18144 + 5508, 27391};
        // Hours on either side of both month boundaries: the bucket that starts at the period's
        // start is in, the one that starts at its end is out; so is the one before.
        QTest::newRow("month boundaries") << u"boundaries"_s << u"acme"_s << 1 << 1 << 2 * 7'200'000LL
                                          << 2 * 4096LL * 3'600'000 << 2 * 20480LL * 3'600'000 << 3'600'000LL
                                          << 7'200'000'000LL << 3'600'000'000LL << QList<qint64>{5, 3, 0, 54, 62};
        // Shut off for 10 h: only its disk (200 GiB-h -> 0.02).
        QTest::newRow("shut-off VM: disk only") << u"shut off"_s << u"acme"_s << 1 << 1 << 0LL << 0LL
                                                << 20480LL * 36'000'000 << 0LL << 0LL << 0LL
                                                << QList<qint64>{0, 0, 2, 0, 2};
        // 3 h in acme, then 2 h in globex: acme's share only, both tenants listed.
        QTest::newRow("tenant changed") << u"tenant changed"_s << u"acme"_s << 2 << 1 << 3 * 7'200'000LL
                                        << 3 * 4096LL * 3'600'000 << 3 * 20480LL * 3'600'000 << 5'400'000LL
                                        << 10'800'000'000LL << 5'400'000'000LL << QList<qint64>{7, 5, 1, 81, 94};
        QTest::newRow("empty period") << u"empty"_s << QString() << 0 << 0 << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL
                                      << QList<qint64>{0, 0, 0, 0, 0};
    }

    void figures()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, tenant);
        QFETCH(int, tenants);
        QFETCH(int, vms);
        QFETCH(qint64, vcpuMs);
        QFETCH(qint64, memoryMiBMs);
        QFETCH(qint64, diskMiBMs);
        QFETCH(qint64, cpuUsedMs);
        QFETCH(qint64, rxBytes);
        QFETCH(qint64, txBytes);
        QFETCH(QList<qint64>, cents);

        HistoryDatabase db;
        QVERIFY(db.open(m_dir.filePath(u"figures-%1.sqlite"_s.arg(++m_files)), false, Mar).ok);
        const VmAllocation web = allocation(Web, u"acme"_s);
        QList<HistoryRow> hours;
        if (scenario == u"ten hours") {
            for (int h = 0; h < 10; ++h)
                hours.append(hourRow(web, Feb + 5 * Day + h * Hour));
        } else if (scenario == u"partial hour") {
            hours.append(hourRow(web, Feb + 5 * Day, 20 * Minute));
        } else if (scenario == u"migrated") {
            // The same UUID from two hosts' ticks: minutes 0-29 from the source, 30-59 from the
            // destination (whose paused copy was not billed: the writer's rule).
            for (int m = 0; m < 60; ++m) {
                HistoryRow minute = hourRow(web, Feb + 5 * Day + m * Minute, Minute);
                QVERIFY(db.writeMinutes({minute}, Feb + 5 * Day + (m + 1) * Minute));
            }
        } else if (scenario == u"created") {
            for (qint64 t = Feb; t < Mar; t += Hour)
                hours.append(hourRow(web, t));
            const VmAllocation dbVm = allocation(Db, u"acme"_s);
            for (qint64 t = Feb + 19 * Day + 12 * Hour; t < Mar; t += Hour)
                hours.append(hourRow(dbVm, t));
        } else if (scenario == u"boundaries") {
            for (qint64 t : {Feb - Hour, Feb, Mar - Hour, Mar})
                hours.append(hourRow(web, t));
        } else if (scenario == u"shut off") {
            const VmAllocation off = allocation(Web, u"acme"_s, false);
            for (int h = 0; h < 10; ++h)
                hours.append(hourRow(off, Feb + 5 * Day + h * Hour));
        } else if (scenario == u"tenant changed") {
            const VmAllocation moved = allocation(Web, u"globex"_s);
            for (int h = 0; h < 5; ++h)
                hours.append(hourRow(h < 3 ? web : moved, Feb + 5 * Day + h * Hour));
        }
        if (!hours.isEmpty())
            QVERIFY(db.writeRows(HistoryTier::Hour, hours));
        QVERIFY(db.setLabel({HistorySubject::Vm, Web}, u"web-1"_s));
        QVERIFY(db.setLabel({HistorySubject::Vm, Db}, u"db-1"_s));

        UsageRequest request;
        request.fromMs = Feb;
        request.toMs = Mar;
        for (qint64 t = Feb; t < Mar; t += Day)
            request.dayStartsMs.append(t);
        request.prices = prices();
        const UsageReport report = UsageReport::build(db, request);
        QCOMPARE(report.tenants.size(), tenants);
        if (tenants == 0) {
            QCOMPARE(report.cost.totalCents(), 0);
            QCOMPARE(report.vmCount, 0);
            return;
        }
        const auto it = std::find_if(report.tenants.cbegin(), report.tenants.cend(),
                                     [&](const UsageTenant &t) { return t.name == tenant; });
        QVERIFY(it != report.tenants.cend());
        QCOMPARE(it->vms.size(), vms);
        QCOMPARE(it->vms.last().name, u"web-1"_s);
        QCOMPARE(it->quantities.vcpuMs, vcpuMs);
        QCOMPARE(it->quantities.memoryMiBMs, memoryMiBMs);
        QCOMPARE(it->quantities.diskMiBMs, diskMiBMs);
        QCOMPARE(it->quantities.cpuUsedMs, cpuUsedMs);
        QCOMPARE(it->quantities.netRxBytes, rxBytes);
        QCOMPARE(it->quantities.netTxBytes, txBytes);
        const QList<qint64> actual{it->cost.vcpuCents, it->cost.memoryCents, it->cost.diskCents, it->cost.networkCents,
                                   it->cost.totalCents()};
        QCOMPARE(actual, cents);
        // The tenant's total is its lines' sum, the report's its tenants'.
        UsageCost lines;
        for (const UsageVmLine &line : it->vms)
            lines.add(line.cost);
        QCOMPARE(lines, it->cost);
        UsageCost all;
        for (const UsageTenant &t : report.tenants)
            all.add(t.cost);
        QCOMPARE(all, report.cost);
        // The daily chart covers each day of the period.
        QCOMPARE(it->dailyCents.size(), 28);
    }

    void tenantFilter()
    {
        HistoryDatabase db;
        QVERIFY(db.open(m_dir.filePath(u"filter.sqlite"_s), false, Mar).ok);
        QVERIFY(db.writeRows(HistoryTier::Hour, {hourRow(allocation(Web, u"acme"_s), Feb),
                                                 hourRow(allocation(Db, u"globex"_s), Feb)}));
        UsageRequest request;
        request.fromMs = Feb;
        request.toMs = Mar;
        request.prices = prices();
        request.tenant = u"globex"_s;
        const UsageReport report = UsageReport::build(db, request);
        QCOMPARE(report.tenants.size(), 1);
        QCOMPARE(report.tenants.first().name, u"globex"_s);
        QCOMPARE(report.vmCount, 1);
        // No label recorded: the UUID stands for the name.
        QCOMPARE(report.tenants.first().vms.first().name, Db);
    }

    void roundingHalfUp_data()
    {
        QTest::addColumn<qint64>("vcpuMs");
        QTest::addColumn<qint64>("priceMicros");
        QTest::addColumn<qint64>("cents");
        QTest::newRow("exactly half a cent rounds up") << 3'600'000LL << 5'000LL << 1LL;
        QTest::newRow("just under half a cent") << 3'600'000LL << 4'999LL << 0LL;
        QTest::newRow("a year of 1000 vCPUs at 1000 a vCPU-hour") << 1000LL * 8760 * 3'600'000 << 1'000'000'000LL
                                                                   << 876'000'000'000LL;
        QTest::newRow("nothing") << 0LL << 12'345LL << 0LL;
    }

    void roundingHalfUp()
    {
        QFETCH(qint64, vcpuMs);
        QFETCH(qint64, priceMicros);
        QFETCH(qint64, cents);
        UsageQuantities q;
        q.vcpuMs = vcpuMs;
        UsagePrices p;
        p.vcpuHour = priceMicros;
        QCOMPARE(UsageCost::of(q, p).vcpuCents, cents);
    }

    void pricesSavedAndLoaded()
    {
        QSettings settings(m_dir.filePath(u"prices.ini"_s), QSettings::IniFormat);
        prices().save(settings);
        QCOMPARE(UsagePrices::load(settings), prices());
    }

    void periods()
    {
        QCOMPARE(usageCurrentMonth(QDate(2026, 12, 6)), std::pair(QDate(2026, 12, 1), QDate(2026, 12, 6)));
        QCOMPARE(usagePreviousMonth(QDate(2026, 12, 6)), std::pair(QDate(2026, 11, 1), QDate(2026, 11, 30)));
        QCOMPARE(usagePreviousMonth(QDate(2026, 1, 31)), std::pair(QDate(2025, 12, 1), QDate(2025, 12, 31)));
        const UsageRequest request = UsageReport::requestFor(QDate(2026, 2, 1), QDate(2026, 2, 28));
        QCOMPARE(request.dayStartsMs.size(), 28);
        QCOMPARE(request.fromMs, QDate(2026, 2, 1).startOfDay().toMSecsSinceEpoch());
        QCOMPARE(request.toMs, QDate(2026, 3, 1).startOfDay().toMSecsSinceEpoch());
    }

    void schemaOneUpgraded()
    {
        // A history as the first schema wrote it: no usage columns, no labels.
        const QString file = m_dir.filePath(u"schema1.sqlite"_s);
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old"_s);
            old.setDatabaseName(file);
            QVERIFY(old.open());
            QSqlQuery q(old);
            for (const QString &sql :
                 {u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
                  u"CREATE TABLE series (id INTEGER PRIMARY KEY, subject INTEGER NOT NULL, name TEXT NOT NULL, UNIQUE (subject, name))"_s,
                  u"CREATE TABLE minute_tier (series INTEGER NOT NULL, t INTEGER NOT NULL, n INTEGER NOT NULL, v BLOB NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID"_s,
                  u"CREATE TABLE hour_tier (series INTEGER NOT NULL, t INTEGER NOT NULL, n INTEGER NOT NULL, v BLOB NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID"_s,
                  u"CREATE TABLE events (t INTEGER NOT NULL, severity INTEGER NOT NULL, host TEXT, host_uri TEXT, vm TEXT, action TEXT, result TEXT, user TEXT)"_s,
                  u"INSERT INTO meta (key, value) VALUES ('schema', '1'), ('demo', '0')"_s,
                  u"INSERT INTO series (id, subject, name) VALUES (1, 0, '%1')"_s.arg(Web)}) {
                QVERIFY2(q.exec(sql), qPrintable(sql));
            }
            HistoryRow old1 = hourRow(allocation(Web, u"acme"_s), Feb);
            q.prepare(u"INSERT INTO hour_tier (series, t, n, v) VALUES (1, ?, 3600, ?)"_s);
            q.addBindValue(Feb / 1000);
            q.addBindValue(old1.packedValues());
            QVERIFY(q.exec());
            old.close();
        }
        QSqlDatabase::removeDatabase(u"old"_s);

        HistoryDatabase db;
        const HistoryDatabase::OpenResult opened = db.open(file, false, Mar);
        QVERIFY2(opened.ok, qPrintable(opened.error));
        QVERIFY(!opened.created);
        QVERIFY(opened.movedAsidePath.isEmpty());
        // The old row is still there, with its values and no usage (not billed).
        const HistorySeries series = db.query({HistorySubject::Vm, Web}, HistoryTier::Hour, Feb, Feb + Hour);
        QCOMPARE(series.avg.at(int(VmMetric::CpuPercent)), QList<double>{25});
        UsageRequest request;
        request.fromMs = Feb;
        request.toMs = Mar;
        request.prices = prices();
        QCOMPARE(UsageReport::build(db, request).tenants.size(), 0);
        // New rows carry their usage.
        QVERIFY(db.writeRows(HistoryTier::Hour, {hourRow(allocation(Web, u"acme"_s), Feb + Hour)}));
        QVERIFY(db.setLabel({HistorySubject::Vm, Web}, u"web-1"_s));
        const UsageReport report = UsageReport::build(db, request);
        QCOMPARE(report.tenants.size(), 1);
        QCOMPARE(report.tenants.first().quantities.vcpuMs, 7'200'000);
        QCOMPARE(report.tenants.first().vms.first().name, u"web-1"_s);
        db.close();
        // Reopened: already schema 2, nothing to upgrade.
        QVERIFY(db.open(file, false, Mar).ok);
        QCOMPARE(UsageReport::build(db, request).tenants.size(), 1);
    }

    void allocationsOfHosts()
    {
        // web-1 migrating from a to b (running on a, paused on b); db-1 shut off and defined on
        // both a and b; old-1 shut off on b only, and active nowhere.
        const auto vm = [](const QString &host, const QString &uuid, const QString &name, VmState state) {
            VmInfo v;
            v.hostUri = host;
            v.uuid = uuid;
            v.name = name;
            v.tenant = u"acme"_s;
            v.state = state;
            v.vcpus = 2;
            v.memoryKiB = 2 * 1024 * 1024;
            v.maxMemoryKiB = 4 * 1024 * 1024;
            return v;
        };
        Inventory inventory;
        for (const QString &uri : {u"qemu:///a"_s, u"qemu:///b"_s}) {
            HostSnapshot snapshot;
            snapshot.host.uri = uri;
            snapshot.host.state = ConnectionState::Connected;
            const bool a = uri.endsWith(u'a');
            snapshot.vms.append(vm(uri, Web, u"web-1"_s, a ? VmState::Running : VmState::Paused));
            snapshot.vms.append(vm(uri, Db, u"db-1"_s, VmState::Shutoff));
            if (!a)
                snapshot.vms.append(vm(uri, u"old"_s, u"old-1"_s, VmState::Shutoff));
            inventory.applySnapshot(snapshot);
        }
        const auto names = [](const QList<VmAllocation> &list) {
            QStringList result;
            for (const VmAllocation &a : list)
                result.append(a.name + (a.running ? u"+"_s : u"-"_s));
            return result;
        };
        const QList<VmAllocation> onA = UsageAllocations::ofHost(inventory, u"qemu:///a"_s);
        const QList<VmAllocation> onB = UsageAllocations::ofHost(inventory, u"qemu:///b"_s);
        // web-1 on both (the tick's running flag picks the host); db-1 on a only; old-1 on b.
        QCOMPARE(names(onA), (QStringList{u"web-1+"_s, u"db-1-"_s}));
        QCOMPARE(names(onB), (QStringList{u"web-1+"_s, u"old-1-"_s}));
        QCOMPARE(onA.first().memoryMiB, 4096); // the maximum memory, as the quotas count it
        QCOMPARE(onA.first().diskMiB, 0);      // unknown: the host told no size
        QCOMPARE(UsageAllocations::ofHost(inventory, u"qemu:///a"_s, [](const QString &) { return qint64(512); })
                     .first().diskMiB, 512);
        // The size the host told (libvirt's block info), when no other source is given.
        HostSnapshot sized;
        sized.host.uri = u"qemu:///a"_s;
        sized.host.state = ConnectionState::Connected;
        VmInfo web = vm(sized.host.uri, Web, u"web-1"_s, VmState::Running);
        DiskInfo system;
        system.device = u"disk"_s;
        system.target = u"vda"_s;
        system.capacityBytes = 10ULL << 30;
        web.disks = {system};
        sized.vms = {web, vm(sized.host.uri, Db, u"db-1"_s, VmState::Shutoff)};
        inventory.applySnapshot(sized);
        QCOMPARE(UsageAllocations::ofHost(inventory, u"qemu:///a"_s).first().diskMiB, 10 * 1024);
    }

    void writerRecordsRunningAndShutOff()
    {
        // Ticks of one host: web-1 running (sampled), db-1 shut off (allocation only); a paused
        // copy of web-1 on a second host (a migration's destination) adds nothing.
        HistoryWriter writer;
        writer.open(m_dir.filePath(u"writer.sqlite"_s), false);
        QVERIFY(writer.database().isOpen());
        const VmAllocation web = allocation(Web, u"acme"_s);
        const VmAllocation off = allocation(Db, u"acme"_s, false);
        for (int s = 0; s < 3600; ++s) {
            MetricsTick tick;
            tick.hostUri = u"qemu:///a"_s;
            tick.timeMs = Feb + s * 1000;
            tick.intervalMs = 1000;
            tick.host.timeMs = tick.timeMs;
            VmSampleUpdate vm;
            vm.uuid = Web;
            vm.running = true;
            vm.sample.timeMs = tick.timeMs;
            vm.sample.set(VmMetric::CpuPercent, 50.0);
            tick.vms.append(vm);
            writer.recordWithAllocations(tick, {web, off});
            // The host's own figures in a tick of their own (Prometheus's node exporter): they
            // bill nothing, the shut-off db-1's disk included.
            MetricsTick node;
            node.hostUri = tick.hostUri;
            node.timeMs = tick.timeMs + 500;
            node.intervalMs = 1000;
            node.hasVms = false;
            node.host.timeMs = node.timeMs;
            node.host.set(HostMetric::CpuPercent, 30.0);
            writer.recordWithAllocations(node, {web, off});
            MetricsTick other = tick;
            other.hostUri = u"qemu:///b"_s;
            other.vms.first().running = false;
            writer.recordWithAllocations(other, {web});
        }
        writer.close();
        HistoryDatabase db;
        QVERIFY(db.open(m_dir.filePath(u"writer.sqlite"_s), false, Mar).ok);
        UsageRequest request;
        request.fromMs = Feb;
        request.toMs = Mar;
        request.prices = prices();
        const UsageReport report = UsageReport::build(db, request);
        QCOMPARE(report.tenants.size(), 1);
        const UsageTenant &acme = report.tenants.first();
        QCOMPARE(acme.vms.size(), 2);
        QCOMPARE(acme.vms.at(0).name, u"db-1"_s);
        QCOMPARE(acme.vms.at(0).quantities.vcpuMs, 0);
        QCOMPARE(acme.vms.at(0).quantities.diskMiBMs, 20480LL * Hour);
        QCOMPARE(acme.vms.at(1).name, u"web-1"_s);
        QCOMPARE(acme.vms.at(1).quantities.vcpuMs, 2 * Hour);
        QCOMPARE(acme.vms.at(1).quantities.memoryMiBMs, 4096 * Hour);
        QCOMPARE(acme.vms.at(1).quantities.diskMiBMs, 20480LL * Hour);
        QCOMPARE(acme.vms.at(1).quantities.cpuUsedMs, Hour);
    }
};

QTEST_GUILESS_MAIN(TestUsageReport)
#include "tst_usagereport.moc"
