#include "usagecsv.h"

#include "inventory/eventcsv.h"

#include <QDateTime>
#include <QTimeZone>

namespace Vigie {

namespace {

QString number(double value)
{
    return QString::number(value, 'f', 4);
}

QStringList fields(const QString &tenant, const QString &vm, const QString &uuid, const UsageQuantities &q,
                   const UsageCost &cost, int vms, const QString &currency)
{
    return {EventCsv::field(tenant),
            EventCsv::field(vm),
            EventCsv::field(uuid),
            QString::number(vms),
            number(q.vcpuHours()),
            number(q.memoryGiBHours()),
            number(q.diskGiBHours()),
            number(q.cpuUsedHours()),
            number(q.netRxGB()),
            number(q.netTxGB()),
            formatUsageMoneyPlain(cost.vcpuCents),
            formatUsageMoneyPlain(cost.memoryCents),
            formatUsageMoneyPlain(cost.diskCents),
            formatUsageMoneyPlain(cost.networkCents),
            formatUsageMoneyPlain(cost.totalCents()),
            EventCsv::field(currency)};
}

} // namespace

QByteArray UsageCsv::toCsv(const UsageReport &report)
{
    const auto iso = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::UTC).toString(Qt::ISODate);
    };
    QString out = QStringLiteral("period_start,period_end,tenant,vm,uuid,vms,vcpu_hours,memory_gib_hours,disk_gib_hours,"
                                 "cpu_used_hours,net_in_gb,net_out_gb,cost_vcpu,cost_memory,cost_disk,cost_network,"
                                 "cost_total,currency\r\n");
    const QString period = iso(report.fromMs) + u',' + iso(report.toMs) + u',';
    for (const UsageTenant &tenant : report.tenants) {
        for (const UsageVmLine &line : tenant.vms)
            out += period + fields(tenant.name, line.name, line.uuid, line.quantities, line.cost, 1, report.prices.currency).join(u',')
                   + QStringLiteral("\r\n");
        out += period + fields(tenant.name, QStringLiteral("total"), QString(), tenant.quantities, tenant.cost,
                               int(tenant.vms.size()), report.prices.currency).join(u',')
               + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace Vigie
