// Figures of usage reports: the time to build the report of a month for 50 tenants (10 VMs
// each, 31 days of hourly rows with their usage: 372 000 rows, written through HistoryDatabase
// from DemoHistory), the time to write its PDF statement, and the query of 30 days of one VM.
// Prints; never fails on timing.
//
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_usage [--tenants 50] [--vms 10] [--days 31]
#include "demo/demohistory.h"
#include "metrics/historydatabase.h"
#include "metrics/usagereport.h"
#include "usagereportdocument.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>
#include <cstdio>

using namespace Vigie;

namespace {

constexpr qint64 Day = 86'400'000;

QString uuid(int i)
{
    return QUuid::fromString(QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0')))
        .toString(QUuid::WithoutBraces);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption tenantsOption(QStringLiteral("tenants"), QStringLiteral("Tenants."), QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption vmsOption(QStringLiteral("vms"), QStringLiteral("VMs per tenant."), QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption daysOption(QStringLiteral("days"), QStringLiteral("Days of hourly rows."), QStringLiteral("n"), QStringLiteral("31"));
    parser.addOptions({tenantsOption, vmsOption, daysOption});
    parser.process(app);
    const int tenants = parser.value(tenantsOption).toInt();
    const int vmsPerTenant = parser.value(vmsOption).toInt();
    const int days = parser.value(daysOption).toInt();

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    const QDate first(2026, 10, 1);
    const qint64 fromMs = QDateTime(first, QTime(0, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    const qint64 toMs = fromMs + days * Day;
    HistoryDatabase db;
    if (!db.open(path, true, toMs).ok)
        return 1;
    QElapsedTimer timer;
    timer.start();
    qint64 rows = 0;
    for (int t = 0; t < tenants; ++t) {
        for (int v = 0; v < vmsPerTenant; ++v) {
            const int i = t * vmsPerTenant + v;
            DemoHistorySubject subject{{HistorySubject::Vm, uuid(i)}, quint64(2 + i % 4) * 2 * 1024 * 1024, 1 + i % 8,
                                       QStringLiteral("tenant-%1").arg(t, 2, 10, QLatin1Char('0')),
                                       QStringLiteral("vm-%1").arg(i, 4, 10, QLatin1Char('0'))};
            const QList<HistoryRow> hours = DemoHistory::rows(subject, HistoryTier::Hour, fromMs, toMs);
            rows += hours.size();
            if (!db.writeRows(HistoryTier::Hour, hours) || !db.setLabel(subject.key, subject.name))
                return 1;
        }
    }
    db.checkpoint();
    std::printf("history: %d tenants x %d VMs x %d days: %lld hour rows written in %.1f s, %.1f MiB\n", tenants,
                vmsPerTenant, days, rows, double(timer.elapsed()) / 1000.0, double(db.fileBytes()) / 1048576.0);

    UsageRequest request;
    request.fromMs = fromMs;
    request.toMs = toMs;
    for (qint64 t = fromMs; t < toMs; t += Day)
        request.dayStartsMs.append(t);
    QList<double> builds;
    UsageReport report;
    for (int run = 0; run < 5; ++run) {
        report = UsageReport::build(db, request);
        builds.append(double(report.elapsedUs) / 1000.0);
    }
    std::printf("report of the period, every tenant: median %.1f ms over 5 runs (%lld tenants, %d VMs, total %s)\n",
                median(builds), qlonglong(report.tenants.size()), report.vmCount,
                qPrintable(formatUsageMoney(report.cost.totalCents(), report.prices.currency, QLocale::c())));
    request.tenant = QStringLiteral("tenant-07");
    QList<double> one;
    for (int run = 0; run < 5; ++run)
        one.append(double(UsageReport::build(db, request).elapsedUs) / 1000.0);
    std::printf("report of the period, one tenant: median %.1f ms\n", median(one));

    timer.restart();
    const UsageReportDocument document(report, QString());
    const qint64 layoutMs = timer.elapsed();
    const QString pdf = dir.filePath(QStringLiteral("usage.pdf"));
    timer.restart();
    document.writePdf(pdf);
    std::printf("PDF statement of %lld tenants: charts and HTML %lld ms, written in %lld ms (%d pages, %.1f KiB)\n",
                qlonglong(report.tenants.size()), layoutMs, timer.elapsed(), document.pageCount(),
                double(QFileInfo(pdf).size()) / 1024.0);

    QList<double> queries;
    for (int run = 0; run < 20; ++run) {
        const HistorySeries series = db.query({HistorySubject::Vm, uuid(run)}, HistoryTier::Hour, toMs - 30 * Day, toMs);
        queries.append(double(series.elapsedUs) / 1000.0);
    }
    std::printf("query of 30 days of one VM (hour tier, 720 rows): median %.2f ms over 20 VMs\n", median(queries));
    return 0;
}
