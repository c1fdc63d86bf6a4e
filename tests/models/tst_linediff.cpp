// The diff shown before an edited domain definition is applied.
#include "hypervisor/linediff.h"

#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

class TestLineDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diff_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<int>("context");
        QTest::addColumn<QString>("unified");
        QTest::addColumn<int>("added");
        QTest::addColumn<int>("removed");

        const QString doc = u"<domain>\n<name>a</name>\n<memory>1</memory>\n<vcpu>1</vcpu>\n</domain>\n"_s;
        QTest::newRow("equal") << doc << doc << 3 << QString() << 0 << 0;
        QTest::newRow("equal but the final newline") << doc << doc.chopped(1) << 3 << QString() << 0 << 0;
        QTest::newRow("one line changed")
            << doc << u"<domain>\n<name>a</name>\n<memory>2</memory>\n<vcpu>1</vcpu>\n</domain>\n"_s << 1
            << u"@@ -2,3 +2,3 @@\n <name>a</name>\n-<memory>1</memory>\n+<memory>2</memory>\n <vcpu>1</vcpu>\n"_s << 1 << 1;
        QTest::newRow("line added at the start")
            << u"b\nc\n"_s << u"a\nb\nc\n"_s << 1 << u"@@ -1,1 +1,2 @@\n+a\n b\n"_s << 1 << 0;
        QTest::newRow("line removed at the end") << u"a\nb\nc\n"_s << u"a\nb\n"_s << 0 << u"@@ -3,1 +2,0 @@\n-c\n"_s << 0 << 1;
        QTest::newRow("everything replaced") << u"a\nb\n"_s << u"c\n"_s << 3 << u"@@ -1,2 +1,1 @@\n-a\n-b\n+c\n"_s << 1 << 2;
        QTest::newRow("from nothing") << QString() << u"a\n"_s << 3 << u"@@ -0,0 +1,1 @@\n+a\n"_s << 1 << 0;
        // Two changes far apart make two hunks; close ones share one.
        QString longBefore, longAfter;
        for (int i = 1; i <= 20; ++i) {
            longBefore += u"l%1\n"_s.arg(i);
            longAfter += (i == 2 || i == 18 ? u"L%1\n"_s : u"l%1\n"_s).arg(i);
        }
        QTest::newRow("two hunks") << longBefore << longAfter << 1
                                   << u"@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n@@ -17,3 +17,3 @@\n l17\n-l18\n+L18\n l19\n"_s << 2 << 2;
    }

    void diff()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(int, context);
        QFETCH(QString, unified);
        QFETCH(int, added);
        QFETCH(int, removed);
        const LineDiff d = diffLines(before, after, context);
        QCOMPARE(d.unified, unified);
        QCOMPARE(d.added, added);
        QCOMPARE(d.removed, removed);
        QCOMPARE(d.isEmpty(), added == 0 && removed == 0);
    }

    // An interleaved edit is a minimal one: kept lines are not reported as removed and re-added.
    void minimalEdit()
    {
        const LineDiff d = diffLines(u"a\nb\nc\nd\ne\n"_s, u"a\nx\nc\ny\ne\n"_s, 0);
        QCOMPARE(d.added, 2);
        QCOMPARE(d.removed, 2);
        QVERIFY(!d.unified.contains(u"-c"_s));
    }

    // Past the cell budget the changed block is shown whole: still correct, never quadratic.
    void largeInputStaysBounded()
    {
        QString before, after;
        for (int i = 0; i < 5000; ++i) {
            before += u"a%1\n"_s.arg(i);
            after += u"b%1\n"_s.arg(i);
        }
        const LineDiff d = diffLines(u"head\n"_s + before + u"tail\n"_s, u"head\n"_s + after + u"tail\n"_s, 1, 1000);
        QCOMPARE(d.removed, 5000);
        QCOMPARE(d.added, 5000);
        QVERIFY(d.unified.startsWith(u"@@ -1,5002 +1,5002 @@\n head\n-a0\n"_s));
        QVERIFY(d.unified.endsWith(u"+b4999\n tail\n"_s));
    }
};

QTEST_GUILESS_MAIN(TestLineDiff)
#include "tst_linediff.moc"
