#include "usagereport.h"

#include "historydatabase.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLocale>
#include <QSettings>
#include <QSet>
#include <QTime>

#include <algorithm>
#include <cmath>

namespace Vigie {

namespace {

__extension__ using Wide = __int128; // a month of a large VM times a price overflows 64 bits

constexpr qint64 HourMs = 3'600'000;
constexpr qint64 MiBPerGiB = 1024;
constexpr qint64 MicrosPerCent = 10'000;
constexpr qint64 BytesPerGB = 1'000'000'000;

// quantity x price / divisor, in cents, rounded half up (everything is non-negative).
qint64 cents(qint64 quantity, Micros price, qint64 divisor)
{
    if (quantity <= 0 || price <= 0)
        return 0;
    const Wide denominator = Wide(divisor) * MicrosPerCent;
    const Wide numerator = Wide(quantity) * price;
    return qint64((numerator * 2 + denominator) / (denominator * 2));
}

UsageQuantities quantitiesOf(const HistoryUsageRow &row)
{
    UsageQuantities q;
    q.vcpuMs = row.usage.vcpuMs;
    q.memoryMiBMs = row.usage.memoryMiBMs;
    q.diskMiBMs = row.usage.diskMiBMs;
    q.runMs = row.usage.runMs;
    if (!std::isnan(row.cpuPercent))
        q.cpuUsedMs = std::llround(double(row.cpuPercent) / 100.0 * double(row.usage.vcpuMs));
    const double seconds = double(row.usage.runMs) / 1000.0;
    if (!std::isnan(row.netRxBytesPerSec))
        q.netRxBytes = std::llround(double(row.netRxBytesPerSec) * seconds);
    if (!std::isnan(row.netTxBytesPerSec))
        q.netTxBytes = std::llround(double(row.netTxBytesPerSec) * seconds);
    return q;
}

} // namespace

UsagePrices UsagePrices::load(QSettings &settings)
{
    UsagePrices prices;
    settings.beginGroup(QStringLiteral("usage/prices"));
    prices.currency = settings.value(QStringLiteral("currency"), prices.currency).toString();
    prices.vcpuHour = settings.value(QStringLiteral("vcpuHourMicros"), prices.vcpuHour).toLongLong();
    prices.memoryGiBHour = settings.value(QStringLiteral("memoryGiBHourMicros"), prices.memoryGiBHour).toLongLong();
    prices.diskGiBHour = settings.value(QStringLiteral("diskGiBHourMicros"), prices.diskGiBHour).toLongLong();
    prices.networkGB = settings.value(QStringLiteral("networkGBMicros"), prices.networkGB).toLongLong();
    prices.issuer = settings.value(QStringLiteral("issuer")).toString();
    settings.endGroup();
    return prices;
}

void UsagePrices::save(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("usage/prices"));
    settings.setValue(QStringLiteral("currency"), currency);
    settings.setValue(QStringLiteral("vcpuHourMicros"), vcpuHour);
    settings.setValue(QStringLiteral("memoryGiBHourMicros"), memoryGiBHour);
    settings.setValue(QStringLiteral("diskGiBHourMicros"), diskGiBHour);
    settings.setValue(QStringLiteral("networkGBMicros"), networkGB);
    settings.setValue(QStringLiteral("issuer"), issuer);
    settings.endGroup();
}

void UsageQuantities::add(const UsageQuantities &b)
{
    vcpuMs += b.vcpuMs;
    memoryMiBMs += b.memoryMiBMs;
    diskMiBMs += b.diskMiBMs;
    cpuUsedMs += b.cpuUsedMs;
    netRxBytes += b.netRxBytes;
    netTxBytes += b.netTxBytes;
    runMs += b.runMs;
}

void UsageCost::add(const UsageCost &b)
{
    vcpuCents += b.vcpuCents;
    memoryCents += b.memoryCents;
    diskCents += b.diskCents;
    networkCents += b.networkCents;
}

UsageCost UsageCost::of(const UsageQuantities &q, const UsagePrices &prices)
{
    UsageCost cost;
    cost.vcpuCents = cents(q.vcpuMs, prices.vcpuHour, HourMs);
    cost.memoryCents = cents(q.memoryMiBMs, prices.memoryGiBHour, MiBPerGiB * HourMs);
    cost.diskCents = cents(q.diskMiBMs, prices.diskGiBHour, MiBPerGiB * HourMs);
    cost.networkCents = cents(q.netRxBytes + q.netTxBytes, prices.networkGB, BytesPerGB);
    return cost;
}

UsageReport UsageReport::compute(const QList<HistoryUsageRow> &rows, const UsageRequest &request)
{
    UsageReport report;
    report.fromMs = request.fromMs;
    report.toMs = request.toMs;
    report.dayStartsMs = request.dayStartsMs;
    report.prices = request.prices;
    const qsizetype days = request.dayStartsMs.size();
    struct Acc
    {
        QHash<QString, UsageVmLine> vms;
        QList<UsageQuantities> daily;
    };
    QHash<QString, Acc> tenants;
    QSet<QString> vms;
    for (const HistoryUsageRow &row : rows) {
        if (row.startMs < request.fromMs || row.startMs >= request.toMs || row.usage.isEmpty())
            continue;
        if (request.tenant && row.usage.tenant != *request.tenant)
            continue;
        const UsageQuantities q = quantitiesOf(row);
        Acc &acc = tenants[row.usage.tenant];
        UsageVmLine &line = acc.vms[row.uuid];
        if (line.uuid.isEmpty()) {
            line.uuid = row.uuid;
            line.firstMs = row.startMs;
        }
        if (!row.label.isEmpty())
            line.name = row.label;
        line.firstMs = std::min(line.firstMs, row.startMs);
        line.lastMs = std::max(line.lastMs, row.startMs);
        line.quantities.add(q);
        if (days > 0) {
            acc.daily.resize(days);
            const auto it = std::upper_bound(request.dayStartsMs.cbegin(), request.dayStartsMs.cend(), row.startMs);
            const qsizetype day = std::max<qsizetype>(0, (it - request.dayStartsMs.cbegin()) - 1);
            acc.daily[day].add(q);
        }
        vms.insert(row.uuid);
    }
    for (auto it = tenants.cbegin(); it != tenants.cend(); ++it) {
        UsageTenant tenant;
        tenant.name = it.key();
        for (UsageVmLine line : it->vms) {
            if (line.name.isEmpty())
                line.name = line.uuid;
            line.cost = UsageCost::of(line.quantities, request.prices);
            tenant.quantities.add(line.quantities);
            tenant.cost.add(line.cost);
            tenant.vms.append(line);
        }
        std::sort(tenant.vms.begin(), tenant.vms.end(), [](const UsageVmLine &a, const UsageVmLine &b) {
            const int c = QString::compare(a.name, b.name, Qt::CaseInsensitive);
            return c != 0 ? c < 0 : a.uuid < b.uuid;
        });
        tenant.dailyCents.resize(days);
        for (qsizetype d = 0; d < it->daily.size(); ++d)
            tenant.dailyCents[d] = UsageCost::of(it->daily.at(d), request.prices).totalCents();
        report.quantities.add(tenant.quantities);
        report.cost.add(tenant.cost);
        report.tenants.append(tenant);
    }
    std::sort(report.tenants.begin(), report.tenants.end(), [](const UsageTenant &a, const UsageTenant &b) {
        return QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
    });
    report.vmCount = int(vms.size());
    return report;
}

UsageReport UsageReport::build(HistoryDatabase &db, const UsageRequest &request)
{
    QElapsedTimer timer;
    timer.start();
    UsageReport report = compute(db.usageRows(request.fromMs, request.toMs, request.tenant), request);
    report.elapsedUs = timer.nsecsElapsed() / 1000;
    return report;
}

UsageRequest UsageReport::requestFor(QDate from, QDate to)
{
    UsageRequest request;
    if (!from.isValid() || !to.isValid() || to < from)
        return request;
    request.fromMs = from.startOfDay().toMSecsSinceEpoch();
    request.toMs = to.addDays(1).startOfDay().toMSecsSinceEpoch();
    for (QDate d = from; d <= to; d = d.addDays(1))
        request.dayStartsMs.append(d.startOfDay().toMSecsSinceEpoch());
    return request;
}

QString formatUsageMoney(qint64 cents, const QString &currency, const QLocale &locale)
{
    const qint64 whole = std::abs(cents) / 100;
    const QString digits = locale.toString(whole) + locale.decimalPoint()
                           + QStringLiteral("%1").arg(std::abs(cents) % 100, 2, 10, QLatin1Char('0'));
    return (cents < 0 ? locale.negativeSign() : QString()) + digits + u'\u00a0' + currency;
}

QString formatUsageMoneyPlain(qint64 cents)
{
    return QStringLiteral("%1%2.%3").arg(cents < 0 ? QStringLiteral("-") : QString()).arg(std::abs(cents) / 100).arg(
        std::abs(cents) % 100, 2, 10, QLatin1Char('0'));
}

std::pair<QDate, QDate> usageCurrentMonth(QDate today)
{
    return {QDate(today.year(), today.month(), 1), today};
}

std::pair<QDate, QDate> usagePreviousMonth(QDate today)
{
    const QDate first = QDate(today.year(), today.month(), 1).addMonths(-1);
    return {first, first.addDays(first.daysInMonth() - 1)};
}

} // namespace Vigie
