// The metrics history on disk: minute rows rolled up into hours, written once however often the
// samples come, pruned by age, read back by tier with gaps; one series across a migration; a
// real kill -9 in the middle of writing, then reopened and checked; damaged files moved aside,
// never deleted; demo and real histories kept apart.
#include "inventory/eventrecord.h"
#include "metrics/historydatabase.h"
#include "metrics/historywriter.h"
#include "metrics/metricsstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 3'600'000;
constexpr qint64 Day = 86'400'000;
// A fixed "now" on an hour boundary, so that expectations do not depend on the clock.
constexpr qint64 Now = 1'780'000'000'000 - 1'780'000'000'000 % Hour;
const HistoryKey Vm{HistorySubject::Vm, u"6f1c7a52-0c1e-4b8e-9d7e-3a0b1c2d3e4f"_s};
const HistoryKey Host{HistorySubject::Host, u"qemu+ssh://par-hv01/system"_s};

// A VM row: CPU is `value`, its maximum value + 10; every other metric absent.
HistoryRow vmRow(qint64 startMs, double value, int count = 60)
{
    HistoryRow row;
    row.key = Vm;
    row.startMs = startMs;
    row.count = count;
    row.avg.fill(std::numeric_limits<float>::quiet_NaN(), VmMetricCount);
    row.max.fill(std::numeric_limits<float>::quiet_NaN(), VmMetricCount);
    row.avg[int(VmMetric::CpuPercent)] = float(value);
    row.max[int(VmMetric::CpuPercent)] = float(value + 10);
    return row;
}

QList<double> cpu(const HistorySeries &series)
{
    return series.avg.value(int(VmMetric::CpuPercent));
}

// The child of crashWhileWriting(): writes a minute per transaction and says so, until killed.
int writeUntilKilled(const QString &path)
{
    HistoryDatabase db;
    if (!db.open(path, false, Now).ok)
        return 3;
    for (int i = 0;; ++i) {
        if (!db.writeMinutes({vmRow(Now + i * Minute, i)}, Now + i * Minute))
            return 4;
        std::printf("committed %d\n", i + 1);
        std::fflush(stdout);
    }
}

} // namespace

class TestHistoryDatabase : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
    }

    void minutesRollUpIntoHours()
    {
        HistoryDatabase db;
        QVERIFY(db.open(path(u"rollup.sqlite"_s), false, Now).ok);
        // Two hours of minutes, CPU = the minute's index, written a few at a time as ticks would.
        QList<HistoryRow> batch;
        for (int i = 0; i < 120; ++i) {
            batch.append(vmRow(Now + i * Minute, i));
            if (batch.size() == 7 || i == 119) {
                QVERIFY(db.writeMinutes(batch, Now + (i + 1) * Minute));
                batch.clear();
            }
        }
        QCOMPARE(db.rowCount(HistoryTier::Minute), 120);
        QCOMPARE(db.rowCount(HistoryTier::Hour), 2);
        const HistorySeries hours = db.query(Vm, HistoryTier::Hour, Now, Now + 2 * Hour);
        QCOMPARE(hours.size(), 2);
        QCOMPARE(cpu(hours), (QList<double>{29.5, 89.5}));
        QCOMPARE(hours.max.at(int(VmMetric::CpuPercent)), (QList<double>{69, 129}));
        QCOMPARE(hours.keys.first(), double(Now + Hour / 2) / 1000.0);
        QVERIFY(std::isnan(hours.avg.at(int(VmMetric::NetRxBytesPerSec)).first()));
        // Minutes older than the last written, sent again (the demo's past hour at each start):
        // counted once. (The last one written is completed instead: partialMinuteCompleted.)
        QVERIFY(db.writeMinutes({vmRow(Now + 5 * Minute, 1000), vmRow(Now + 118 * Minute, 1000)}, Now + 2 * Hour));
        QCOMPARE(cpu(db.query(Vm, HistoryTier::Hour, Now, Now + 2 * Hour)), (QList<double>{29.5, 89.5}));
    }

    void partialMinuteCompleted()
    {
        // Closed at a shutdown half-way through a minute, then the rest after the restart.
        const QString file = path(u"partial.sqlite"_s);
        {
            HistoryDatabase db;
            QVERIFY(db.open(file, false, Now).ok);
            QVERIFY(db.writeMinutes({vmRow(Now, 10, 30)}, Now + 30'000));
        }
        HistoryDatabase db;
        QVERIFY(db.open(file, false, Now).ok);
        QVERIFY(db.writeMinutes({vmRow(Now, 20, 30)}, Now + Minute));
        const HistorySeries minutes = db.query(Vm, HistoryTier::Minute, Now, Now + Minute);
        QCOMPARE(cpu(minutes), QList<double>{15});
        QCOMPARE(cpu(db.query(Vm, HistoryTier::Hour, Now, Now + Hour)), QList<double>{15});
        QCOMPARE(minutes.max.at(int(VmMetric::CpuPercent)), QList<double>{30});
    }

    void pruning_data()
    {
        QTest::addColumn<int>("tier");
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<bool>("kept");
        QTest::newRow("minute, 30 days old") << int(HistoryTier::Minute) << 30 * Day << true;
        QTest::newRow("minute, 31 days old") << int(HistoryTier::Minute) << 31 * Day << true;
        QTest::newRow("minute, 31 days and a minute") << int(HistoryTier::Minute) << 31 * Day + Minute << false;
        QTest::newRow("hour, a year old") << int(HistoryTier::Hour) << 365 * Day << true;
        QTest::newRow("hour, two years old") << int(HistoryTier::Hour) << 730 * Day << true;
        QTest::newRow("hour, two years and an hour") << int(HistoryTier::Hour) << 730 * Day + Hour << false;
    }

    void pruning()
    {
        QFETCH(int, tier);
        QFETCH(qint64, ageMs);
        QFETCH(bool, kept);
        HistoryDatabase db;
        QVERIFY(db.open(path(u"prune-%1.sqlite"_s.arg(QTest::currentDataTag())), false, Now).ok);
        QVERIFY(db.writeRows(HistoryTier(tier), {vmRow(Now - ageMs, 1), vmRow(Now - Minute, 2)}));
        QCOMPARE(db.prune(Now), kept ? 0 : 1);
        QCOMPARE(db.rowCount(HistoryTier(tier)), kept ? 2 : 1);
        // A write prunes by itself (at most once an hour): the first one after opening.
        HistoryDatabase again;
        QVERIFY(again.open(db.path(), false, Now).ok);
        QVERIFY(again.writeRows(HistoryTier(tier), {vmRow(Now - 40 * 30 * Day, 3)}));
        QVERIFY(again.writeMinutes({}, Now));
        QCOMPARE(again.rowCount(HistoryTier(tier)), kept ? 2 : 1);
    }

    void queryReadsTheRightTier_data()
    {
        QTest::addColumn<qint64>("rangeMs");
        QTest::addColumn<int>("tier");
        QTest::addColumn<int>("points");
        QTest::newRow("24 h: minutes") << Day << int(HistoryTier::Minute) << 24 * 60;
        QTest::newRow("7 d: minutes") << 7 * Day << int(HistoryTier::Minute) << 7 * 24 * 60;
        QTest::newRow("30 d: hours") << 30 * Day << int(HistoryTier::Hour) << 30 * 24;
        QTest::newRow("1 y: hours") << 365 * Day << int(HistoryTier::Hour) << 365 * 24;
    }

    void queryReadsTheRightTier()
    {
        QFETCH(qint64, rangeMs);
        QFETCH(int, tier);
        QFETCH(int, points);
        static HistoryDatabase *db = nullptr;
        if (!db) {
            // Minutes hold 1, hours hold 2: the values say which tier answered.
            db = new HistoryDatabase;
            QVERIFY(db->open(path(u"tiers.sqlite"_s), false, Now).ok);
            QList<HistoryRow> minutes, hours;
            for (qint64 t = Now - 31 * Day; t < Now; t += Minute)
                minutes.append(vmRow(t, 1));
            for (qint64 t = Now - 730 * Day; t < Now; t += Hour)
                hours.append(vmRow(t, 2));
            QVERIFY(db->writeRows(HistoryTier::Minute, minutes));
            QVERIFY(db->writeRows(HistoryTier::Hour, hours));
        }
        QCOMPARE(int(historyTierForRange(rangeMs)), tier);
        const HistorySeries series = db->query(Vm, historyTierForRange(rangeMs), Now - rangeMs, Now - 1);
        QCOMPARE(series.size(), points);
        QCOMPARE(cpu(series).first(), tier == int(HistoryTier::Minute) ? 1.0 : 2.0);
        QCOMPARE(cpu(series).last(), tier == int(HistoryTier::Minute) ? 1.0 : 2.0);
        QCOMPARE(series.coveredUntilMs(), Now);
        qInfo("%s: %lld points in %lld µs", QTest::currentDataTag(), qint64(series.size()), series.elapsedUs);
        if (QByteArray(QTest::currentDataTag()).startsWith("1 y")) {
            delete db;
            db = nullptr;
        }
    }

    void gapsAreGaps()
    {
        HistoryDatabase db;
        QVERIFY(db.open(path(u"gaps.sqlite"_s), false, Now).ok);
        QVERIFY(db.writeRows(HistoryTier::Minute, {vmRow(Now, 1), vmRow(Now + Minute, 2), vmRow(Now + 5 * Minute, 3)}));
        const HistorySeries series = db.query(Vm, HistoryTier::Minute, Now, Now + Hour);
        QCOMPARE(series.size(), 4);
        QCOMPARE(cpu(series).at(1), 2.0);
        QVERIFY(std::isnan(cpu(series).at(2))); // the VM was off: no line across
        QCOMPARE(cpu(series).at(3), 3.0);
        // Another series, an unknown one, a host's: nothing mixed in.
        QVERIFY(db.query(Host, HistoryTier::Minute, Now, Now + Hour).isEmpty());
        QVERIFY(db.query({HistorySubject::Vm, u"unknown"_s}, HistoryTier::Minute, Now, Now + Hour).isEmpty());
    }

    // The same VM ticking on host A, then (after a live migration) on host B: the history writes
    // one series, by UUID, with both hosts' minutes.
    void migrationContinuity()
    {
        MetricsStore store;
        HistoryWriter writer;
        writer.open(path(u"migration.sqlite"_s), false);
        QVERIFY(writer.database().isOpen());
        connect(&store, &MetricsStore::tickAccepted, &writer, &HistoryWriter::record);
        const QString hostA = u"qemu+ssh://par-hv01/system"_s, hostB = u"qemu+ssh://par-hv02/system"_s;
        const auto tick = [](const QString &uri, qint64 t, bool running, std::optional<double> value) {
            MetricsTick result;
            result.hostUri = uri;
            result.timeMs = t;
            result.host.timeMs = t;
            result.host.set(HostMetric::CpuPercent, 50);
            VmSampleUpdate vm;
            vm.uuid = Vm.id;
            vm.running = running;
            vm.sample.timeMs = t;
            vm.sample.set(VmMetric::CpuPercent, value);
            result.vms.append(vm);
            return result;
        };
        // Ten minutes on A at 10 %, the migration's last minute with B's paused copy reporting
        // 0 %, then ten minutes on B at 30 %.
        for (qint64 t = Now; t < Now + 10 * Minute; t += 1000)
            store.appendTick(tick(hostA, t, true, 10));
        for (qint64 t = Now + 10 * Minute; t < Now + 11 * Minute; t += 1000) {
            store.appendTick(tick(hostA, t, true, 10));
            store.appendTick(tick(hostB, t, false, 0));
        }
        for (qint64 t = Now + 11 * Minute; t < Now + 21 * Minute + 10'000; t += 1000) {
            store.appendTick(tick(hostA, t, false, std::nullopt));
            store.appendTick(tick(hostB, t, true, 30));
        }
        const HistorySeries series = writer.database().query(Vm, HistoryTier::Minute, Now, Now + Hour);
        QCOMPARE(series.size(), 21);
        for (qsizetype i = 0; i < series.size(); ++i)
            QCOMPARE(cpu(series).at(i), i < 11 ? 10.0 : 30.0);
        // Both hosts keep their own series.
        QCOMPARE(writer.database().query({HistorySubject::Host, hostA}, HistoryTier::Minute, Now, Now + Hour).size(), 21);
        QCOMPARE(writer.database().query({HistorySubject::Host, hostB}, HistoryTier::Minute, Now, Now + Hour).size(), 11);
        // After a restart the series goes on.
        writer.close();
        QVERIFY(!writer.database().isOpen());
        HistoryDatabase reopened;
        QVERIFY(reopened.open(path(u"migration.sqlite"_s), false, Now).ok);
        QCOMPARE(cpu(reopened.query(Vm, HistoryTier::Hour, Now, Now + Hour)).size(), 1);
        QCOMPARE(reopened.query(Vm, HistoryTier::Hour, Now, Now + Hour).max.at(0).first(), 30.0);
    }

    // A real kill -9 of a process in the middle of its writes: the file opens, checks sound, and
    // holds every transaction the process reported committed.
    void crashWhileWriting()
    {
        const QString file = path(u"crash.sqlite"_s);
        QProcess child;
        child.setProgram(QCoreApplication::applicationFilePath());
        child.setArguments({u"--write-until-killed"_s, file});
        child.start();
        QVERIFY(child.waitForStarted());
        int committed = 0;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     while (child.canReadLine())
                                         committed = QString::fromLatin1(child.readLine()).section(u' ', 1).trimmed().toInt();
                                     return committed >= 200;
                                 }()),
                                 30000);
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        while (child.canReadLine())
            committed = std::max(committed, QString::fromLatin1(child.readLine()).section(u' ', 1).trimmed().toInt());
        QVERIFY(QFile::exists(file + u"-wal"_s)); // killed with its log not checkpointed

        HistoryDatabase db;
        const HistoryDatabase::OpenResult result = db.open(file, false, Now);
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY2(result.movedAsidePath.isEmpty(), qPrintable(result.damage));
        QVERIFY(!result.created);
        QVERIFY(db.rowCount(HistoryTier::Minute) >= committed);
        // Every hour row matches its minutes: no transaction was half applied.
        const HistorySeries minutes = db.query(Vm, HistoryTier::Minute, Now, Now + 100 * Day);
        const HistorySeries hours = db.query(Vm, HistoryTier::Hour, Now, Now + 100 * Day);
        QCOMPARE(hours.size(), (minutes.size() + 59) / 60);
        QCOMPARE(hours.max.at(0).last(), minutes.max.at(0).last());
        QVERIFY(db.writeMinutes({vmRow(Now + 100 * Day, 1)}, Now + 100 * Day));
    }

    void damagedFileMovedAside_data()
    {
        QTest::addColumn<QByteArray>("garbage");
        QTest::addColumn<qint64>("offset"); // where it is written into a copy of a sound history
        QTest::addColumn<bool>("truncate"); // the garbage is the whole file

        QTest::newRow("garbage over the header") << QByteArray(100, '\x5a') << qint64(0) << false;
        QTest::newRow("garbage over the pages") << QByteArray(64 * 1024, '\xa5') << qint64(4096) << false;
        QTest::newRow("a text file") << QByteArray("not a database\n") << qint64(0) << true;
        QTest::newRow("an empty header") << QByteArray(4096, '\0') << qint64(0) << false;
    }

    void damagedFileMovedAside()
    {
        QFETCH(QByteArray, garbage);
        QFETCH(qint64, offset);
        QFETCH(bool, truncate);
        const QString sound = path(u"sound.sqlite"_s);
        if (!QFile::exists(sound)) {
            HistoryDatabase db;
            QVERIFY(db.open(sound, false, Now).ok);
            QList<HistoryRow> rows;
            for (int i = 0; i < 2000; ++i)
                rows.append(vmRow(Now + i * Minute, i));
            QVERIFY(db.writeRows(HistoryTier::Minute, rows));
        }
        const QString file = path(u"damaged-%1.sqlite"_s.arg(QString::number(qHash(QTest::currentDataTag()))));
        QVERIFY(QFile::copy(sound, file));
        {
            QFile copy(file);
            QVERIFY(copy.open(truncate ? QIODevice::WriteOnly | QIODevice::Truncate : QIODevice::ReadWrite));
            QVERIFY(copy.seek(offset));
            QCOMPARE(copy.write(garbage), garbage.size());
        }
        QFile damaged(file);
        QVERIFY(damaged.open(QIODevice::ReadOnly));
        const QByteArray before = damaged.readAll();
        damaged.close();

        HistoryDatabase db;
        const HistoryDatabase::OpenResult result = db.open(file, false, Now);
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(!result.damage.isEmpty());
        QVERIFY(result.created);
        // Kept, byte for byte, beside the new history, under a name that says what and when.
        QVERIFY(result.movedAsidePath.startsWith(file + u".corrupt-"_s));
        QFile aside(result.movedAsidePath);
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), before);
        QCOMPARE(db.rowCount(HistoryTier::Minute), 0);
        QVERIFY(db.writeMinutes({vmRow(Now, 1)}, Now));
        qInfo("%s", qPrintable(result.damage));
    }

    // The audit trail: stored with the same transactions, found by text (any field, any case,
    // LIKE's wildcards taken literally) and time, newest kept when over the limit.
    void eventsStoredAndSearched_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("from"); // minutes after Now
        QTest::addColumn<qint64>("to");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QStringList>("vms"); // found, oldest first

        QTest::newRow("everything") << QString() << qint64(0) << qint64(60) << 100 << QStringList{u"web-1"_s, u"db-1"_s, u"50%_off"_s, u"web-2"_s};
        QTest::newRow("by VM, any case") << u"WEB"_s << qint64(0) << qint64(60) << 100 << QStringList{u"web-1"_s, u"web-2"_s};
        QTest::newRow("by result") << u"refused"_s << qint64(0) << qint64(60) << 100 << QStringList{u"db-1"_s};
        QTest::newRow("by connection URI") << u"par-hv02"_s << qint64(0) << qint64(60) << 100 << QStringList{u"db-1"_s};
        QTest::newRow("by user") << u"operator"_s << qint64(0) << qint64(60) << 100 << QStringList{u"web-1"_s, u"db-1"_s, u"50%_off"_s, u"web-2"_s};
        QTest::newRow("percent is a character") << u"%"_s << qint64(0) << qint64(60) << 100 << QStringList{u"50%_off"_s};
        QTest::newRow("underscore is a character") << u"0%_"_s << qint64(0) << qint64(60) << 100 << QStringList{u"50%_off"_s};
        QTest::newRow("time range") << QString() << qint64(5) << qint64(25) << 100 << QStringList{u"db-1"_s, u"50%_off"_s};
        QTest::newRow("the newest over the limit") << QString() << qint64(0) << qint64(60) << 2 << QStringList{u"50%_off"_s, u"web-2"_s};
        QTest::newRow("nothing") << u"no such thing"_s << qint64(0) << qint64(60) << 100 << QStringList{};
    }

    void eventsStoredAndSearched()
    {
        QFETCH(QString, text);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(int, limit);
        QFETCH(QStringList, vms);
        const QString file = path(u"events.sqlite"_s);
        const bool fresh = !QFile::exists(file);
        HistoryDatabase db;
        QVERIFY(db.open(file, false, Now).ok);
        if (fresh) {
            const auto event = [](int minute, const QString &uri, const QString &vm, const QString &result) {
                EventRecord e;
                e.time = QDateTime::fromMSecsSinceEpoch(Now + minute * Minute);
                e.host = uri.section(u'/', 2, 2);
                e.hostUri = uri;
                e.vm = vm;
                e.action = u"Migrate"_s;
                e.result = result;
                e.user = u"operator"_s;
                e.severity = result == u"refused"_s ? EventRecord::Severity::Error : EventRecord::Severity::Info;
                return e;
            };
            QVERIFY(db.writeMinutes({vmRow(Now, 1)}, Now,
                                    {event(0, u"qemu+ssh://par-hv01/system"_s, u"web-1"_s, u"Done"_s),
                                     event(10, u"qemu+ssh://par-hv02/system"_s, u"db-1"_s, u"refused"_s)}));
            QVERIFY(db.writeMinutes({}, Now + 30 * Minute,
                                    {event(20, u"qemu+ssh://par-hv01/system"_s, u"50%_off"_s, u"Done"_s),
                                     event(30, u"qemu+ssh://par-hv01/system"_s, u"web-2"_s, u"Done"_s)}));
        }
        const QList<EventRecord> found = db.events(text, Now + from * Minute, Now + to * Minute, limit);
        QStringList names;
        for (const EventRecord &e : found)
            names.append(e.vm);
        QCOMPARE(names, vms);
        if (!found.isEmpty() && found.first().vm == u"db-1"_s) {
            QCOMPARE(found.first().severity, EventRecord::Severity::Error);
            QCOMPARE(found.first().hostUri, u"qemu+ssh://par-hv02/system"_s);
            QCOMPARE(found.first().host, u"par-hv02"_s);
            QCOMPARE(found.first().user, u"operator"_s);
            QCOMPARE(found.first().time.toMSecsSinceEpoch(), Now + 10 * Minute);
        }
    }

    // Events go with the next tick's transaction, or within a second without ticks; the local
    // user is added.
    void eventsWrittenPromptly()
    {
        HistoryWriter writer;
        writer.open(path(u"events-writer.sqlite"_s), false);
        EventRecord e;
        e.time = QDateTime::currentDateTime();
        e.vm = u"web-1"_s;
        e.action = u"Start"_s;
        writer.recordEvent(e);
        const qint64 now = e.time.toMSecsSinceEpoch();
        QCOMPARE(writer.database().events({}, now - Hour, now + Hour).size(), 0);
        MetricsTick tick;
        tick.hostUri = u"qemu:///system"_s;
        tick.timeMs = tick.host.timeMs = now;
        writer.record(tick);
        const QList<EventRecord> stored = writer.database().events({}, now - Hour, now + Hour);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().user, qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")));
        e.vm = u"web-2"_s;
        writer.recordEvent(e);
        QTRY_COMPARE(writer.database().events(u"web-2"_s, now - Hour, now + Hour).size(), 1);
    }

    // The demo's past: a week of minutes and a year of hours before the live hour, even when the
    // live hour was written first; once (a second start adds only what is missing); never into
    // a real history.
    void demoSeededOnce()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<DemoHistorySubject> subjects{{Vm, 4 * 1024 * 1024}, {Host, 64ull * 1024 * 1024}};
        HistoryWriter writer;
        QSignalSpy seeded(&writer, &HistoryWriter::demoSeeded);
        writer.open(path(u"demo-seed.sqlite"_s), true);
        QVERIFY(writer.database().writeMinutes({vmRow(now - now % Minute - 10 * Minute, 5)}, now)); // the live hour
        writer.seedDemo(subjects, now);
        QCOMPARE(seeded.size(), 1);
        QCOMPARE(seeded.first().first().toInt(), 2);
        const qint64 minutes = writer.database().rowCount(HistoryTier::Minute);
        QVERIFY2(std::abs(minutes - (2 * 7 * 1440 + 1)) <= 2, qPrintable(QString::number(minutes)));
        const qint64 hours = writer.database().rowCount(HistoryTier::Hour);
        QVERIFY2(std::abs(hours - 2 * 365 * 24) <= 4, qPrintable(QString::number(hours)));
        const HistorySeries day = writer.database().query(Vm, HistoryTier::Minute, now - Day, now);
        QVERIFY(day.size() >= 1380);
        for (double v : cpu(day))
            QVERIFY(std::isnan(v) || (v >= 0 && v <= 100));
        writer.seedDemo(subjects, now + Minute);
        QCOMPARE(seeded.last().first().toInt(), 2); // a minute more of each, nothing more
        QVERIFY(writer.database().rowCount(HistoryTier::Minute) <= minutes + 2);

        HistoryWriter real;
        real.open(path(u"real-seed.sqlite"_s), false);
        real.seedDemo(subjects, now);
        QCOMPARE(real.database().rowCount(HistoryTier::Minute), 0);
    }

    void demoAndRealKeptApart()
    {
        const QString real = path(u"real.sqlite"_s);
        {
            HistoryDatabase db;
            QVERIFY(db.open(real, false, Now).ok);
            QVERIFY(db.writeRows(HistoryTier::Minute, {vmRow(Now, 1)}));
        }
        HistoryDatabase demo;
        const HistoryDatabase::OpenResult refused = demo.open(real, true, Now);
        QVERIFY(!refused.ok);
        QVERIFY(refused.movedAsidePath.isEmpty()); // refused, and left alone
        HistoryDatabase again;
        QVERIFY(again.open(real, false, Now).ok);
        QCOMPARE(again.rowCount(HistoryTier::Minute), 1);

        // The writer records only ticks of its kind.
        HistoryWriter writer;
        writer.open(path(u"demo.sqlite"_s), true);
        MetricsTick tick;
        tick.hostUri = u"test:///demo"_s;
        tick.demo = false;
        for (qint64 t = Now; t < Now + 2 * Minute; t += 1000) {
            tick.timeMs = tick.host.timeMs = t;
            tick.host.set(HostMetric::CpuPercent, 1);
            writer.record(tick);
        }
        QCOMPARE(writer.database().rowCount(HistoryTier::Minute), 0);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--write-until-killed") == 0)
        return writeUntilKilled(QString::fromLocal8Bit(argv[2]));
    TestHistoryDatabase test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_historydatabase.moc"
