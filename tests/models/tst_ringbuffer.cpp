#include "metrics/ringbuffer.h"

#include <QTest>

using namespace Vigie;

class TestRingBuffer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fillAndWrap_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("pushes");

        QTest::newRow("empty") << 5 << 0;
        QTest::newRow("partly filled") << 5 << 3;
        QTest::newRow("exactly full") << 5 << 5;
        QTest::newRow("wrapped once") << 5 << 7;
        QTest::newRow("wrapped many times") << 5 << 53;
        QTest::newRow("capacity one") << 1 << 4;
        QTest::newRow("an hour at 1 Hz, a day pushed") << 3600 << 86400;
        QTest::newRow("zero capacity means one") << 0 << 3;
    }

    void fillAndWrap()
    {
        QFETCH(int, capacity);
        QFETCH(int, pushes);
        RingBuffer<qint64> buffer(capacity);
        const qsizetype cap = buffer.capacity();
        QVERIFY(cap >= 1);
        for (int i = 0; i < pushes; ++i) {
            buffer.push(i);
            QVERIFY(buffer.allocatedBytes() <= RingBuffer<qint64>::boundBytes(cap));
        }
        const qsizetype expectedSize = std::min<qsizetype>(pushes, cap);
        QCOMPARE(buffer.size(), expectedSize);
        QCOMPARE(buffer.isFull(), expectedSize == cap);
        // Oldest first, in push order, the newest last.
        for (qsizetype i = 0; i < buffer.size(); ++i)
            QCOMPARE(buffer.at(i), qint64(pushes - expectedSize + i));
        if (pushes > 0) {
            QCOMPARE(buffer.last(), qint64(pushes - 1));
            QCOMPARE(buffer.first(), qint64(pushes - expectedSize));
        }
        if (buffer.isFull())
            QCOMPARE(buffer.allocatedBytes(), RingBuffer<qint64>::boundBytes(cap));
    }

    void growsOnlyAsNeeded()
    {
        RingBuffer<double> buffer(3600);
        buffer.push(1);
        QVERIFY(buffer.allocatedBytes() < RingBuffer<double>::boundBytes(3600) / 10);
        for (int i = 0; i < 10000; ++i)
            buffer.push(i);
        QCOMPARE(buffer.allocatedBytes(), qsizetype(3600 * sizeof(double)));
        buffer.clear();
        QVERIFY(buffer.isEmpty());
        QCOMPARE(buffer.allocatedBytes(), 0);
    }

    void lowerBound_data()
    {
        QTest::addColumn<int>("pushes"); // values 0, 10, 20, ... in a buffer of 8
        QTest::addColumn<qint64>("key");
        QTest::addColumn<qsizetype>("expected");

        QTest::newRow("before all") << 5 << qint64(-3) << qsizetype(0);
        QTest::newRow("exact") << 5 << qint64(20) << qsizetype(2);
        QTest::newRow("between") << 5 << qint64(21) << qsizetype(3);
        QTest::newRow("after all") << 5 << qint64(99) << qsizetype(5);
        QTest::newRow("wrapped: oldest") << 12 << qint64(40) << qsizetype(0);
        QTest::newRow("wrapped: across the seam") << 12 << qint64(75) << qsizetype(4);
        QTest::newRow("wrapped: newest") << 12 << qint64(110) << qsizetype(7);
        QTest::newRow("empty") << 0 << qint64(0) << qsizetype(0);
    }

    void lowerBound()
    {
        QFETCH(int, pushes);
        QFETCH(qint64, key);
        QFETCH(qsizetype, expected);
        RingBuffer<qint64> buffer(8);
        for (int i = 0; i < pushes; ++i)
            buffer.push(qint64(i) * 10);
        QCOMPARE(buffer.lowerBound(key, [](qint64 v, qint64 k) { return v < k; }), expected);
    }
};

QTEST_GUILESS_MAIN(TestRingBuffer)
#include "tst_ringbuffer.moc"
