// The audit trail's CSV: stable header, ISO UTC times, RFC 4180 quoting, and text from outside
// (VM names, libvirt's messages) that cannot turn into a spreadsheet formula.
#include "inventory/eventcsv.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Vigie;

class TestEventCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void field_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("csv");
        QTest::newRow("plain") << u"web-1"_s << u"web-1"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::newRow("quotes doubled") << u"say \"hi\""_s << u"\"say \"\"hi\"\"\""_s;
        QTest::newRow("newline") << u"line\nbreak"_s << u"\"line\nbreak\""_s;
        QTest::newRow("formula") << u"=HYPERLINK(\"http://x\")"_s << u"\"'=HYPERLINK(\"\"http://x\"\")\""_s;
        QTest::newRow("plus") << u"+1"_s << u"'+1"_s;
        QTest::newRow("minus") << u"-cmd"_s << u"'-cmd"_s;
        QTest::newRow("at") << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
        QTest::newRow("tab") << u"\tx"_s << u"'\tx"_s;
        QTest::newRow("leading space kept") << u" x"_s << u"\" x\""_s;
        QTest::newRow("unicode") << u"réseau → VLAN 100"_s << u"réseau → VLAN 100"_s;
    }

    void field()
    {
        QFETCH(QString, text);
        QFETCH(QString, csv);
        QCOMPARE(EventCsv::field(text), csv);
    }

    void document()
    {
        EventRecord e;
        e.time = QDateTime(QDate(2026, 12, 5), QTime(20, 15, 0, 250), QTimeZone::UTC);
        e.severity = EventRecord::Severity::Warning;
        e.host = u"par-hv01"_s;
        e.hostUri = u"qemu+ssh://par-hv01/system"_s;
        e.vm = u"web-1"_s;
        e.action = u"Migrate"_s;
        e.result = u"Done, at last"_s;
        e.user = u"alice"_s;
        QCOMPARE(EventCsv::toCsv({e}),
                 QByteArray("time,severity,host,host_uri,vm,action,result,user\r\n"
                            "2026-12-05T20:15:00.250Z,warning,par-hv01,qemu+ssh://par-hv01/system,web-1,Migrate,"
                            "\"Done, at last\",alice\r\n"));
        QCOMPARE(EventCsv::toCsv({}), QByteArray("time,severity,host,host_uri,vm,action,result,user\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestEventCsv)
#include "tst_eventcsv.moc"
