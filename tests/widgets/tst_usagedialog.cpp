// The Usage view: the report is built on the history's thread and fills one row per tenant with
// its VMs beneath; a tenant scope shows only that tenant; the CSV quotes and defuses names from
// outside; the PDF statement is written and its HTML escapes them; the prices dialog gives exact
// micro-units.
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "metrics/historydatabase.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"
#include "metrics/usagecsv.h"
#include "usagedialog.h"
#include "usagepricesdialog.h"
#include "usagereportdocument.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

constexpr qint64 Hour = 3'600'000;
const QString Hostile = u"=cmd|' /C calc'!A0 <b>bold</b>, \"quoted\""_s;

HistoryRow hour(const QString &uuid, const QString &tenant, qint64 startMs)
{
    VmAllocation a;
    a.uuid = uuid;
    a.tenant = tenant;
    a.vcpus = 4;
    a.memoryMiB = 8192;
    a.diskMiB = 40960;
    a.running = true;
    HistoryRow row;
    row.key = {HistorySubject::Vm, uuid};
    row.startMs = startMs;
    row.count = 3600;
    row.avg.fill(std::numeric_limits<float>::quiet_NaN(), VmMetricCount);
    row.max = row.avg;
    row.avg[int(VmMetric::CpuPercent)] = 50.0f;
    row.usage = a.usageOver(Hour);
    return row;
}

} // namespace

class TestUsageDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(u"vigie-test"_s);
        QCoreApplication::setApplicationName(u"tst_usagedialog"_s);
        QSettings().clear();
    }

    void reportShownAndExported()
    {
        const QString path = m_dir.filePath(u"history.sqlite"_s);
        const QDate first = QDate::currentDate().addDays(-3);
        const qint64 start = first.startOfDay().toMSecsSinceEpoch();
        {
            HistoryDatabase db;
            QVERIFY(db.open(path, false, QDateTime::currentMSecsSinceEpoch()).ok);
            QList<HistoryRow> rows;
            for (int h = 0; h < 24; ++h) {
                rows.append(hour(u"uuid-web"_s, u"acme"_s, start + h * Hour));
                rows.append(hour(u"uuid-evil"_s, u"acme"_s, start + h * Hour));
                rows.append(hour(u"uuid-db"_s, u"globex"_s, start + h * Hour));
            }
            QVERIFY(db.writeRows(HistoryTier::Hour, rows));
            QVERIFY(db.setLabel({HistorySubject::Vm, u"uuid-web"_s}, u"web-1"_s));
            QVERIFY(db.setLabel({HistorySubject::Vm, u"uuid-evil"_s}, Hostile));
        }
        MetricsStore store;
        MetricsHistory history(&store);
        history.open(path, false);
        QTRY_VERIFY(history.isOpen());
        Inventory inventory;
        TenantScope scope(&inventory);
        UsageDialog dialog(&history, &scope);
        QSignalSpy shown(&dialog, &UsageDialog::reportShown);
        dialog.setPeriod(UsageDialog::Period::Custom, first, first);
        QVERIFY(dialog.isBusy());
        QTRY_VERIFY(!dialog.isBusy());
        const UsageReport &report = dialog.report();
        QCOMPARE(report.tenants.size(), 2);
        QCOMPARE(report.vmCount, 3);
        // Two tenants and the total; acme's two VMs beneath it.
        QTreeWidget *table = dialog.table();
        QCOMPARE(table->topLevelItemCount(), 3);
        QCOMPARE(table->topLevelItem(0)->text(0), u"acme"_s);
        QCOMPARE(table->topLevelItem(0)->childCount(), 2);
        QCOMPARE(table->topLevelItem(0)->child(0)->text(0), Hostile); // plain text in an item view
        // For a look at the dialog: VIGIE_USAGE_SHOT=file.png.
        if (const QString shot = qEnvironmentVariable("VIGIE_USAGE_SHOT"); !shot.isEmpty()) {
            dialog.resize(1100, 420);
            table->expandAll();
            QVERIFY(dialog.grab().save(shot));
        }
        // 4 vCPUs x 24 h = 96 vCPU-h at the default 0.02: 1.92 per VM.
        QCOMPARE(report.tenants.at(0).vms.at(1).cost.vcpuCents, 192);

        // CSV: the hostile name quoted and defused.
        const QString csvPath = m_dir.filePath(u"usage.csv"_s);
        QVERIFY(dialog.exportCsv(csvPath));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(csv.readAll());
        QVERIFY(text.startsWith(u"period_start,period_end,tenant,vm,uuid,"_s));
        QVERIFY(text.contains(u",\"'=cmd|' /C calc'!A0 <b>bold</b>, \"\"quoted\"\"\",uuid-evil,1,96.0000,"_s));
        QVERIFY(text.contains(u",acme,total,,2,192.0000,"_s));

        // PDF: written, and its HTML shows the name as text.
        const QString pdfPath = m_dir.filePath(u"usage.pdf"_s);
        QString error;
        QVERIFY2(dialog.exportPdf(pdfPath, &error), qPrintable(error));
        QFile pdf(pdfPath);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        const UsageReportDocument document(report, QString());
        QVERIFY(document.html().contains(u"&lt;b&gt;bold"_s)); // cut at 30 characters, escaped
        QVERIFY(!document.html().contains(u"<b>bold"_s));
        QVERIFY(document.pageCount() >= 3); // the summary, then a page per tenant
        const QImage page = document.pageImage(0, 60);
        QVERIFY(!page.isNull());

        // Scoped to globex: only globex.
        scope.setTenant(u"globex"_s);
        QVERIFY(dialog.isBusy());
        QTRY_VERIFY(!dialog.isBusy());
        QCOMPARE(dialog.report().tenants.size(), 1);
        QCOMPARE(dialog.report().tenants.first().name, u"globex"_s);
        QCOMPARE(table->topLevelItemCount(), 1);
        QVERIFY(dialog.windowTitle().contains(u"globex"_s));
    }

    void pricesDialogExact()
    {
        UsagePrices prices;
        prices.currency = u"CHF"_s;
        prices.vcpuHour = 12'345;
        UsagePricesDialog dialog(prices);
        QCOMPARE(dialog.prices(), prices);
        auto boxes = dialog.findChildren<QDoubleSpinBox *>();
        QCOMPARE(boxes.size(), 4);
        boxes.first()->setValue(0.000001);
        QCOMPARE(dialog.prices().vcpuHour, 1);
        boxes.first()->setValue(1234.567891);
        QCOMPARE(dialog.prices().vcpuHour, 1'234'567'891);
    }
};

QTEST_MAIN(TestUsageDialog)
#include "tst_usagedialog.moc"
