#pragma once

#include "historyusage.h"

#include <QDate>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QLocale;
class QSettings;

namespace Vigie {

class HistoryDatabase;

// Money is counted in integer micro-units of the currency (1 EUR = 1 000 000), never in
// accumulated floating point.
using Micros = qint64;

// The price list of usage reports, in micro-units of the currency per unit. Kept in QSettings
// (group "usage/prices"), in one place: load() and save().
struct UsagePrices
{
    // Until the operator sets them: figures of the order of a public cloud's list prices, so that
    // a first report is not all zeros.
    QString currency = QStringLiteral("EUR"); // ISO 4217 code
    Micros vcpuHour = 20'000;    // per vCPU-hour allocated
    Micros memoryGiBHour = 5'000; // per GiB-hour of memory allocated
    Micros diskGiBHour = 100;    // per GiB-hour of disk allocated (0.07 a GiB-month)
    Micros networkGB = 10'000;   // per GB (10^9 bytes) transferred, in and out
    QString issuer;           // who bills: printed at the top of the PDF report (empty: a placeholder)

    [[nodiscard]] static UsagePrices load(QSettings &settings);
    void save(QSettings &settings) const;
    friend bool operator==(const UsagePrices &, const UsagePrices &) = default;
};

// What a report sums: integrals in the units the history records them in.
struct UsageQuantities
{
    qint64 vcpuMs = 0;       // vCPU-milliseconds allocated (while running)
    qint64 memoryMiBMs = 0;  // MiB-milliseconds of memory allocated (while running)
    qint64 diskMiBMs = 0;    // MiB-milliseconds of disk allocated (while defined)
    qint64 cpuUsedMs = 0;    // CPU-milliseconds actually used
    qint64 netRxBytes = 0;   // received by the VM
    qint64 netTxBytes = 0;   // sent by the VM
    qint64 runMs = 0;

    void add(const UsageQuantities &b);
    [[nodiscard]] double vcpuHours() const { return double(vcpuMs) / 3.6e6; }
    [[nodiscard]] double memoryGiBHours() const { return double(memoryMiBMs) / (1024.0 * 3.6e6); }
    [[nodiscard]] double diskGiBHours() const { return double(diskMiBMs) / (1024.0 * 3.6e6); }
    [[nodiscard]] double cpuUsedHours() const { return double(cpuUsedMs) / 3.6e6; }
    [[nodiscard]] double netRxGB() const { return double(netRxBytes) / 1e9; }
    [[nodiscard]] double netTxGB() const { return double(netTxBytes) / 1e9; }
    friend bool operator==(const UsageQuantities &, const UsageQuantities &) = default;
};

// A line's cost per resource, in cents (hundredths of the currency).
struct UsageCost
{
    qint64 vcpuCents = 0;
    qint64 memoryCents = 0;
    qint64 diskCents = 0;
    qint64 networkCents = 0;

    [[nodiscard]] qint64 totalCents() const { return vcpuCents + memoryCents + diskCents + networkCents; }
    void add(const UsageCost &b);
    // The rounding rule: each resource of a line is priced exactly (integers, no floating point)
    // and rounded half up to the cent; a tenant's total is the sum of its lines' rounded
    // amounts, the report's the sum of its tenants', so that every printed column adds up.
    [[nodiscard]] static UsageCost of(const UsageQuantities &q, const UsagePrices &prices);
    friend bool operator==(const UsageCost &, const UsageCost &) = default;
};

struct UsageVmLine
{
    QString uuid;
    QString name; // the VM's last recorded name, else its UUID
    UsageQuantities quantities;
    UsageCost cost;
    qint64 firstMs = 0; // the first and last hour the VM was seen in the period
    qint64 lastMs = 0;
};

struct UsageTenant
{
    QString name; // empty: VMs that name no tenant
    QList<UsageVmLine> vms; // by name
    UsageQuantities quantities;
    UsageCost cost;
    QList<qint64> dailyCents; // one per day of the period: the chart (each day rounded alone)
};

// What to report: the period [fromMs, toMs), the days that cut it (local midnights, for the
// daily chart), the prices, and one tenant or all.
struct UsageRequest
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<qint64> dayStartsMs;
    UsagePrices prices;
    std::optional<QString> tenant; // nullopt: every tenant
};

// The usage of every tenant (or one) over a period, from the history's hour tier: per tenant
// the VMs it held, what they were allocated, what they used and what it costs.
//
// Rules (stated in the report too):
// - a bucket belongs to the period its start falls in (periods start at local midnights, which
//   are whole hours in every zone Vigie knows of, so no bucket straddles two months there);
// - billing: vCPUs and memory while the VM runs, disk while it is defined (HistoryUsage);
// - a VM is one line per tenant it belonged to, counted once whatever host it ran on (the
//   history is keyed by UUID);
// - network bytes are the bucket's average rate times its running time, rounded to the byte; CPU
//   used is the average CPU % of its vCPUs times the vCPU time;
// - an hour's tenant is the VM's latest in that hour.
struct UsageReport
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<qint64> dayStartsMs;
    UsagePrices prices;
    QList<UsageTenant> tenants; // by name
    UsageQuantities quantities;
    UsageCost cost;
    int vmCount = 0; // distinct VMs
    qint64 elapsedUs = 0; // built in

    [[nodiscard]] static UsageReport compute(const QList<HistoryUsageRow> &rows, const UsageRequest &request);
    [[nodiscard]] static UsageReport build(HistoryDatabase &db, const UsageRequest &request);
    // The request for a period of whole local days [from, to].
    [[nodiscard]] static UsageRequest requestFor(QDate from, QDate to);
};

// An amount in cents, exactly (no floating point), in the locale's digits: "1 234,56 EUR".
[[nodiscard]] QString formatUsageMoney(qint64 cents, const QString &currency, const QLocale &locale);
// The same for a CSV file: "1234.56".
[[nodiscard]] QString formatUsageMoneyPlain(qint64 cents);

// The common periods: the current month up to today, the previous month.
[[nodiscard]] std::pair<QDate, QDate> usageCurrentMonth(QDate today);
[[nodiscard]] std::pair<QDate, QDate> usagePreviousMonth(QDate today);

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::UsageRequest)
Q_DECLARE_METATYPE(Vigie::UsageReport)
