// TopologyLayout: the topology's grid from plain figures, without a scene.
#include "topologylayout.h"
#include "topologystyle.h"

#include <QTest>

using namespace Vigie;
using namespace Vigie::TopologyStyle;

class TestTopologyLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Chip columns for the fullest host (about three rows for one column), 2 to 8.
    void chipColumnsForTheFullestHost_data()
    {
        QTest::addColumn<QList<qsizetype>>("slots");
        QTest::addColumn<int>("columns");
        QTest::newRow("one VM") << QList<qsizetype>{1} << 2;
        QTest::newRow("12 VMs") << QList<qsizetype>{12, 3} << 2;
        QTest::newRow("13 VMs") << QList<qsizetype>{2, 13} << 3;
        QTest::newRow("100 VMs") << QList<qsizetype>{100, 40, 0} << 6;
        QTest::newRow("500 VMs") << QList<qsizetype>{500} << 8;
        QTest::newRow("no host") << QList<qsizetype>{} << 2;
    }
    void chipColumnsForTheFullestHost()
    {
        QFETCH(QList<qsizetype>, slots);
        QFETCH(int, columns);
        TopologyLayout::Input input;
        input.slots = slots;
        const TopologyLayout::Result laid = TopologyLayout::arrange(input);
        QCOMPARE(laid.chipColumns, columns);
        QCOMPARE(laid.hosts.size(), slots.size());
        for (qsizetype i = 0; i < slots.size(); ++i)
            QCOMPARE(laid.hosts.at(i).width(), 2 * HostPadding + columns * ChipWidth + (columns - 1) * ChipGap);
    }

    // Arranged, a host has the rows its chips need and one free slot more; between
    // arrangements it keeps its columns and rows and only grows.
    void rowsOnlyGrowBetweenArrangements()
    {
        TopologyLayout::Input input;
        input.slots = {4, 3, 0};
        TopologyLayout::Result laid = TopologyLayout::arrange(input);
        QCOMPARE(laid.chipColumns, 2);
        QCOMPARE(laid.rows, (QList<int>{3, 2, 1}));
        QCOMPARE(laid.hosts.at(0).height(), HostHeaderHeight + 3 * ChipPitch - ChipRowGap + HostPadding);

        input.reflow = false;
        input.chipColumns = laid.chipColumns;
        input.gridColumns = laid.gridColumns;
        input.rows = laid.rows;
        input.slots = {1, 7, 0}; // VMs left hv1, came to hv2
        laid = TopologyLayout::arrange(input);
        QCOMPARE(laid.chipColumns, 2);
        QCOMPARE(laid.rows, (QList<int>{3, 4, 1}));

        // Columns not kept (the first pass): the previous rows are forgotten.
        input.chipColumns = 0;
        laid = TopologyLayout::arrange(input);
        QCOMPARE(laid.chipColumns, 2);
        QCOMPARE(laid.rows, (QList<int>{1, 4, 1}));
    }

    // Hosts never overlap, row after row; the lanes run under them all, one spacing apart, as
    // long as the grid and its last gutter; the content holds everything.
    void hostsApartLanesUnder()
    {
        TopologyLayout::Input input;
        for (int i = 0; i < 23; ++i)
            input.slots.append((i * 37) % 41);
        input.laneCount = 5;
        input.viewAspect = 16.0 / 9.0;
        const TopologyLayout::Result laid = TopologyLayout::arrange(input);
        QCOMPARE(laid.hosts.size(), 23);
        qreal gridBottom = 0;
        qreal gridRight = 0;
        for (qsizetype i = 0; i < laid.hosts.size(); ++i) {
            const QRectF host = laid.hosts.at(i);
            gridBottom = std::max(gridBottom, host.bottom());
            gridRight = std::max(gridRight, host.right());
            QVERIFY(laid.contentRect.contains(host));
            for (qsizetype j = i + 1; j < laid.hosts.size(); ++j)
                QVERIFY2(!host.intersects(laid.hosts.at(j)), qPrintable(QStringLiteral("hosts %1 and %2").arg(i).arg(j)));
            // In the picture's order: left to right, then the next row.
            if (i > 0) {
                const QRectF previous = laid.hosts.at(i - 1);
                QVERIFY(host.top() > previous.top() || (host.top() == previous.top() && host.left() > previous.right()));
            }
        }
        QCOMPARE(laid.laneY.size(), 5);
        QCOMPARE(laid.laneY.first(), gridBottom + 36);
        for (qsizetype i = 1; i < laid.laneY.size(); ++i)
            QCOMPARE(laid.laneY.at(i) - laid.laneY.at(i - 1), LaneSpacing);
        QCOMPARE(laid.laneLength, gridRight + HostGap);
        QVERIFY(laid.contentRect.bottom() >= laid.laneY.last() + LaneHeight / 2);
    }

    // The grid's columns make the picture largest in the view: more for a wide view than a tall
    // one; without a view, a square grid (up to six hosts in a row).
    void gridColumnsFollowTheView_data()
    {
        QTest::addColumn<int>("hosts");
        QTest::addColumn<qreal>("aspect");
        QTest::addColumn<int>("columns");
        QTest::newRow("16, no view") << 16 << 0.0 << 4;
        QTest::newRow("5, no view") << 5 << 0.0 << 5;
        QTest::newRow("1, wide") << 1 << 4.0 << 1;
    }
    void gridColumnsFollowTheView()
    {
        QFETCH(int, hosts);
        QFETCH(qreal, aspect);
        QFETCH(int, columns);
        TopologyLayout::Input input;
        input.slots = QList<qsizetype>(hosts, 10);
        input.viewAspect = aspect;
        QCOMPARE(TopologyLayout::arrange(input).gridColumns, columns);
    }
    void widerViewMoreColumns()
    {
        TopologyLayout::Input input;
        input.slots = QList<qsizetype>(16, 10);
        input.laneCount = 3;
        input.viewAspect = 4.0;
        const int wide = TopologyLayout::arrange(input).gridColumns;
        input.viewAspect = 0.5;
        const int tall = TopologyLayout::arrange(input).gridColumns;
        QVERIFY2(wide > tall, qPrintable(QStringLiteral("%1 columns wide, %2 tall").arg(wide).arg(tall)));
        // Kept between arrangements, whatever the view.
        input.reflow = false;
        input.chipColumns = 2;
        input.gridColumns = wide;
        QCOMPARE(TopologyLayout::arrange(input).gridColumns, wide);
    }

    void slotPositions()
    {
        QCOMPARE(TopologyLayout::slotPos(0, 3), QPointF(HostPadding, HostHeaderHeight));
        QCOMPARE(TopologyLayout::slotPos(2, 3), QPointF(HostPadding + 2 * (ChipWidth + ChipGap), HostHeaderHeight));
        QCOMPARE(TopologyLayout::slotPos(4, 3), QPointF(HostPadding + ChipWidth + ChipGap, HostHeaderHeight + ChipPitch));
    }
};

QTEST_GUILESS_MAIN(TestTopologyLayout)
#include "tst_topologylayout.moc"
