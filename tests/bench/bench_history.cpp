// Figures of the metrics history (SQLite, tiers): what recording costs per tick for a fleet,
// how big a VM's history grows (per tier, per year, and its bound), how long a chart's query
// takes, and how long the demo's synthetic past takes to write. Prints; never fails on timing.
//
//   build/tests/bench/bench_history [--vms 500] [--hosts 10] [--minutes 15] [--size-vms 20]
#include "demo/demohistory.h"
#include "metrics/historydatabase.h"
#include "metrics/historywriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace Vigie;

namespace {

constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 3'600'000;
constexpr qint64 Day = 86'400'000;

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size()))));
}

QString uuid(int i)
{
    return QUuid::fromString(QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'))).toString(QUuid::WithoutBraces);
}

// Recording: every host ticks once a second with its VMs' samples (random but plausible
// values); the writer folds them into minutes and writes each closed minute in one transaction.
void writeCost(const QString &dir, int vms, int hosts, int minutes)
{
    HistoryWriter writer;
    writer.open(dir + QStringLiteral("/write.sqlite"), false);
    std::mt19937 random(42);
    std::uniform_real_distribution<float> value(0.0f, 100.0f);
    QList<MetricsTick> ticks(hosts);
    for (int h = 0; h < hosts; ++h) {
        ticks[h].hostUri = QStringLiteral("qemu+ssh://bench-hv%1/system").arg(h);
        for (int v = h; v < vms; v += hosts) {
            VmSampleUpdate vm;
            vm.uuid = uuid(v);
            vm.running = true;
            ticks[h].vms.append(vm);
        }
    }
    QList<double> quiet, flushing; // µs per second of the fleet: without, and with a minute written
    qint64 flushRows = 0;
    const qint64 start = 1'780'000'000'000 - 1'780'000'000'000 % Hour;
    for (qint64 t = start; t < start + minutes * Minute; t += 1000) {
        for (MetricsTick &tick : ticks) {
            tick.timeMs = tick.host.timeMs = t;
            for (float &v : tick.host.values)
                v = value(random);
            for (VmSampleUpdate &vm : tick.vms) {
                vm.sample.timeMs = t;
                for (float &v : vm.sample.values)
                    v = value(random);
            }
        }
        qint64 written = 0;
        const auto connection = QObject::connect(&writer, &HistoryWriter::minutesWritten,
                                                 [&written](qint64, int rows, qint64) { written += rows; });
        QElapsedTimer timer;
        timer.start();
        for (const MetricsTick &tick : std::as_const(ticks))
            writer.record(tick);
        const double us = double(timer.nsecsElapsed()) / 1000.0;
        QObject::disconnect(connection);
        (written ? flushing : quiet).append(us);
        flushRows += written;
    }
    double total = 0;
    for (double us : quiet + flushing)
        total += us;
    const double seconds = double(minutes) * 60.0;
    std::printf("write, %d VMs on %d hosts, %d min of 1 s ticks (%d VM samples a second):\n", vms, hosts, minutes, vms);
    std::printf("  a second without a closed minute: median %.0f µs, p99 %.0f µs (folding samples into minutes)\n",
                percentile(quiet, 0.5), percentile(quiet, 0.99));
    std::printf("  a second that writes the closed minutes (one transaction, %lld rows): median %.1f ms, max %.1f ms\n",
                flushing.isEmpty() ? 0LL : flushRows / flushing.size(), percentile(flushing, 0.5) / 1000.0,
                percentile(flushing, 1.0) / 1000.0);
    std::printf("  mean over the run: %.0f µs of the history thread per second of the fleet (%.2f %% of a core)\n",
                total / seconds, total / seconds / 1e6 * 100.0);
    std::printf("  transactions: %lld in %d s (at most one per tick)\n", qint64(flushing.size()), int(seconds));
}

// Size: a steady minute tier (31 days) and two years of hours for sizeVms VMs, values from the
// demo's generator (realistic floats, not zeros that compress well).
void sizeAndQueries(const QString &dir, int sizeVms)
{
    HistoryDatabase db;
    const qint64 now = 1'780'000'000'000 - 1'780'000'000'000 % Hour;
    db.open(dir + QStringLiteral("/size.sqlite"), false, now);
    QElapsedTimer timer;
    timer.start();
    for (int v = 0; v < sizeVms; ++v) {
        const DemoHistorySubject subject{{HistorySubject::Vm, uuid(v)}, 8 * 1024 * 1024};
        db.writeRows(HistoryTier::Minute, DemoHistory::rows(subject, HistoryTier::Minute, now - 31 * Day, now));
    }
    db.checkpoint();
    const qint64 minuteBytes = db.fileBytes();
    for (int v = 0; v < sizeVms; ++v) {
        const DemoHistorySubject subject{{HistorySubject::Vm, uuid(v)}, 8 * 1024 * 1024};
        db.writeRows(HistoryTier::Hour, DemoHistory::rows(subject, HistoryTier::Hour, now - 730 * Day, now));
    }
    db.checkpoint();
    const qint64 allBytes = db.fileBytes();
    const double filledS = double(timer.elapsed()) / 1000.0;
    const double minutePerVm = double(minuteBytes) / sizeVms;
    const double hoursPerVmYear = double(allBytes - minuteBytes) / sizeVms / 2.0;
    std::printf("size, %d VMs with full tiers (%lld minute rows, %lld hour rows; filled in %.1f s):\n", sizeVms,
                db.rowCount(HistoryTier::Minute), db.rowCount(HistoryTier::Hour), filledS);
    std::printf("  minute tier (31 days, steady): %.2f MiB per VM (%.0f bytes per row)\n", minutePerVm / 1048576.0,
                minutePerVm / (31.0 * 1440.0));
    std::printf("  hour tier: %.2f MiB per VM per year (%.0f bytes per row)\n", hoursPerVmYear / 1048576.0,
                hoursPerVmYear / 8760.0);
    std::printf("  a VM's history after a year: %.2f MiB (31 days of minutes + a year of hours); the bound, after 2 "
                "years and ever after: %.2f MiB\n",
                (minutePerVm + hoursPerVmYear) / 1048576.0, double(allBytes) / sizeVms / 1048576.0);
    std::printf("  per VM per day: %.0f KiB while the minute tier fills, %.0f KiB once it is full (hours only)\n",
                minutePerVm / 31.0 / 1024.0 + hoursPerVmYear / 365.0 / 1024.0, hoursPerVmYear / 365.0 / 1024.0);
    for (const auto &[name, range] : {std::pair{"24 h", Day}, {"7 d", 7 * Day}, {"30 d", 30 * Day}, {"1 y", 365 * Day}}) {
        QList<double> times;
        qsizetype points = 0;
        for (int run = 0; run < 7; ++run) {
            const HistorySeries series = db.query({HistorySubject::Vm, uuid(run % sizeVms)}, historyTierForRange(range),
                                                  now - range, now);
            times.append(double(series.elapsedUs) / 1000.0);
            points = series.size();
        }
        std::printf("query %s of one VM (%s tier, %lld points): median %.1f ms, max %.1f ms\n", name,
                    qPrintable(historyTierName(historyTierForRange(range))), qint64(points), percentile(times, 0.5),
                    percentile(times, 1.0));
    }
}

// The demo's synthetic past: 48 VMs and 5 hosts, a week of minutes and a year of hours.
void demoSeed(const QString &dir)
{
    HistoryWriter writer;
    writer.open(dir + QStringLiteral("/demo.sqlite"), true);
    QList<DemoHistorySubject> subjects;
    for (int v = 0; v < 48; ++v)
        subjects.append({{HistorySubject::Vm, uuid(v)}, 4 * 1024 * 1024});
    for (int h = 0; h < 5; ++h)
        subjects.append({{HistorySubject::Host, QStringLiteral("test:///demo-hv%1").arg(h)}, 384ull * 1024 * 1024});
    qint64 elapsed = 0;
    QObject::connect(&writer, &HistoryWriter::demoSeeded, [&elapsed](int, qint64 ms) { elapsed = ms; });
    writer.seedDemo(subjects, QDateTime::currentMSecsSinceEpoch());
    writer.database().checkpoint();
    std::printf("demo seeding (48 VMs, 5 hosts: a week of minutes, a year of hours): %.1f s, %.0f MiB\n",
                double(elapsed) / 1000.0, double(writer.database().fileBytes()) / 1048576.0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption vms(QStringLiteral("vms"), QStringLiteral("VMs recorded"), QStringLiteral("n"), QStringLiteral("500"));
    const QCommandLineOption hosts(QStringLiteral("hosts"), QStringLiteral("hosts they run on"), QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption minutes(QStringLiteral("minutes"), QStringLiteral("minutes of ticks"), QStringLiteral("n"), QStringLiteral("15"));
    const QCommandLineOption sizeVms(QStringLiteral("size-vms"), QStringLiteral("VMs of the size figure"), QStringLiteral("n"), QStringLiteral("20"));
    parser.addOptions({vms, hosts, minutes, sizeVms});
    parser.addHelpOption();
    parser.process(app);
    QTemporaryDir dir;
    writeCost(dir.path(), std::max(parser.value(vms).toInt(), 1), std::max(parser.value(hosts).toInt(), 1),
              std::max(parser.value(minutes).toInt(), 2));
    sizeAndQueries(dir.path(), std::max(parser.value(sizeVms).toInt(), 1));
    demoSeed(dir.path());
    return 0;
}
