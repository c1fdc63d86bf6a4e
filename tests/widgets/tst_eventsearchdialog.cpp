// The stored event log's window: the search runs on the history's thread and its answer fills
// the table (under the model tester), narrowed by text and time; the CSV export writes what is
// shown.
#include "eventsearchdialog.h"
#include "itemmodels/eventlogmodel.h"
#include "metrics/historydatabase.h"
#include "metrics/metricshistory.h"
#include "metrics/metricsstore.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

class TestEventSearchDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchAndExport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        const QDateTime now = QDateTime::currentDateTime();
        {
            HistoryDatabase db;
            QVERIFY(db.open(path, false, now.toMSecsSinceEpoch()).ok);
            QList<EventRecord> events;
            for (const auto &[ageS, vm] : {std::pair{10 * 86400, u"old-1"_s}, {2 * 86400, u"db-1"_s}, {3600, u"web-1"_s}}) {
                EventRecord e;
                e.time = now.addSecs(-ageS);
                e.host = u"par-hv01"_s;
                e.hostUri = u"qemu+ssh://par-hv01/system"_s;
                e.vm = vm;
                e.action = u"Start"_s;
                e.result = u"=cmd|' /C calc'!A0"_s; // hostile text from outside
                e.user = u"alice"_s;
                events.append(e);
            }
            QVERIFY(db.writeMinutes({}, now.toMSecsSinceEpoch(), events));
        }
        MetricsStore store;
        MetricsHistory history(&store);
        history.open(path, false);
        QTRY_VERIFY(history.isOpen());
        EventSearchDialog dialog(&history);
        QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy shown(&dialog, &EventSearchDialog::resultsShown);
        dialog.search(); // the last 7 days by default
        QVERIFY(dialog.isSearching());
        QVERIFY(shown.wait());
        QCOMPARE(dialog.model()->rowCount(), 2);
        QCOMPARE(dialog.model()->index(1, EventLogModel::VmColumn).data().toString(), u"web-1"_s);
        QVERIFY(dialog.model()->index(1, EventLogModel::TimeColumn).data().toString().contains(now.addSecs(-3600).date().toString(u"yyyy-MM-dd"_s))); // web-1's day (yesterday before 01:00)

        dialog.setText(u"DB"_s);
        dialog.search();
        QVERIFY(shown.wait());
        QCOMPARE(dialog.model()->rowCount(), 1);
        QCOMPARE(dialog.model()->index(0, EventLogModel::VmColumn).data().toString(), u"db-1"_s);

        dialog.setText({});
        dialog.setRange(now.addDays(-30), now);
        dialog.search();
        QVERIFY(shown.wait());
        QCOMPARE(dialog.model()->rowCount(), 3);

        const QString csv = dir.filePath(u"events.csv"_s);
        QVERIFY(dialog.exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 5); // header, three events, the end
        QVERIFY(lines.at(1).contains("old-1"));
        QVERIFY(lines.at(3).contains(",alice"));
        QVERIFY(lines.at(3).contains("'=cmd"));
    }
};

QTEST_MAIN(TestEventSearchDialog)
#include "tst_eventsearchdialog.moc"
