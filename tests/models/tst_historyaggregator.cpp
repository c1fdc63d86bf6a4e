// The history's tiers in memory: samples folded into minute buckets (average and maximum of the
// values present, bucket boundaries, closing by a later sample or by time, late samples dropped),
// and buckets merged into an hour (weighted averages, maxima).
#include "metrics/historyaggregator.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

constexpr qint64 Minute = 60'000;
const HistoryKey Key{HistorySubject::Host, u"qemu+ssh://par-hv01/system"_s};
const double Nan = std::nan("");

} // namespace

class TestHistoryAggregator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buckets_data()
    {
        QTest::addColumn<QList<qint64>>("times");  // ms
        QTest::addColumn<QList<double>>("values"); // NaN: no value
        QTest::addColumn<qint64>("now");           // takeClosed(now); -1: takeAll()
        QTest::addColumn<QList<qint64>>("starts");
        QTest::addColumn<QList<int>>("counts");
        QTest::addColumn<QList<double>>("avgs");
        QTest::addColumn<QList<double>>("maxima");

        QList<qint64> minute;
        QList<double> oneToSixty;
        for (int s = 0; s < 60; ++s) {
            minute.append(s * 1000);
            oneToSixty.append(s + 1);
        }
        QTest::newRow("a whole minute") << minute << oneToSixty << qint64(-1) << QList<qint64>{0} << QList<int>{60}
                                        << QList<double>{30.5} << QList<double>{60};
        QTest::newRow("last millisecond and first of the next")
            << QList<qint64>{Minute - 1, Minute} << QList<double>{4, 8} << qint64(-1) << QList<qint64>{0, Minute}
            << QList<int>{1, 1} << QList<double>{4, 8} << QList<double>{4, 8};
        QTest::newRow("gaps count for nothing") << QList<qint64>{0, 1000, 2000} << QList<double>{1, Nan, 3} << qint64(-1)
                                                << QList<qint64>{0} << QList<int>{2} << QList<double>{2} << QList<double>{3};
        QTest::newRow("a minute without values writes nothing")
            << QList<qint64>{0, 1000, Minute} << QList<double>{Nan, Nan, 5} << qint64(-1) << QList<qint64>{Minute}
            << QList<int>{1} << QList<double>{5} << QList<double>{5};
        QTest::newRow("a sample older than the open bucket is dropped")
            << QList<qint64>{Minute + 1000, Minute - 1000, Minute + 2000} << QList<double>{2, 100, 4} << qint64(-1)
            << QList<qint64>{Minute} << QList<int>{2} << QList<double>{3} << QList<double>{4};
        QTest::newRow("closed by a later sample, the last one still open")
            << QList<qint64>{1000, 30'000, Minute + 1000} << QList<double>{1, 2, 9} << qint64(Minute + 1000)
            << QList<qint64>{0} << QList<int>{2} << QList<double>{1.5} << QList<double>{2};
        QTest::newRow("closed by time, five seconds late")
            << QList<qint64>{1000, Minute + 1000} << QList<double>{1, 9} << qint64(2 * Minute + 5000)
            << QList<qint64>{0, Minute} << QList<int>{1, 1} << QList<double>{1, 9} << QList<double>{1, 9};
        QTest::newRow("not closed before its five seconds")
            << QList<qint64>{1000, Minute + 1000} << QList<double>{1, 9} << qint64(2 * Minute + 4999)
            << QList<qint64>{0} << QList<int>{1} << QList<double>{1} << QList<double>{1};
        QTest::newRow("a skipped minute is no bucket")
            << QList<qint64>{1000, 3 * Minute} << QList<double>{1, 3} << qint64(-1) << QList<qint64>{0, 3 * Minute}
            << QList<int>{1, 1} << QList<double>{1, 3} << QList<double>{1, 3};
        QTest::newRow("negative and huge values") << QList<qint64>{0, 1000} << QList<double>{-5, 3e9} << qint64(-1)
                                                  << QList<qint64>{0} << QList<int>{2} << QList<double>{1.5e9 - 2.5}
                                                  << QList<double>{3e9};
    }

    void buckets()
    {
        QFETCH(QList<qint64>, times);
        QFETCH(QList<double>, values);
        QFETCH(qint64, now);
        QFETCH(QList<qint64>, starts);
        QFETCH(QList<int>, counts);
        QFETCH(QList<double>, avgs);
        QFETCH(QList<double>, maxima);
        const qint64 base = 1'700'000'040'000 - 1'700'000'040'000 % Minute; // a minute boundary
        HistoryAggregator aggregator(Minute, 5000);
        for (qsizetype i = 0; i < times.size(); ++i) {
            // Two metrics: the value, and a constant wherever the value is.
            const float sample[2] = {float(values.at(i)), std::isnan(values.at(i)) ? float(Nan) : 7.0f};
            aggregator.add(Key, base + times.at(i), sample, 2);
        }
        const QList<HistoryRow> rows = now < 0 ? aggregator.takeAll() : aggregator.takeClosed(base + now);
        QCOMPARE(rows.size(), starts.size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const HistoryRow &row = rows.at(i);
            QCOMPARE(row.key, Key);
            QCOMPARE(row.startMs, base + starts.at(i));
            QCOMPARE(row.count, counts.at(i));
            QCOMPARE(row.avg.size(), 2);
            QCOMPARE(double(row.avg.at(0)), double(float(avgs.at(i))));
            QCOMPARE(double(row.max.at(0)), double(float(maxima.at(i))));
            QCOMPARE(row.avg.at(1), 7.0f);
        }
        // Nothing is given twice.
        QVERIFY(aggregator.takeClosed(base + now).isEmpty());
    }

    void seriesAreApart()
    {
        HistoryAggregator aggregator(Minute, 0);
        const HistoryKey other{HistorySubject::Vm, Key.id}; // same text, another subject
        const float one = 1, two = 2;
        aggregator.add(Key, 0, &one, 1);
        aggregator.add(other, 0, &two, 1);
        QCOMPARE(aggregator.openBuckets(), 2);
        const QList<HistoryRow> rows = aggregator.takeClosed(Minute);
        QCOMPARE(rows.size(), 2);
        for (const HistoryRow &row : rows)
            QCOMPARE(row.avg.first(), row.key == Key ? 1.0f : 2.0f);
    }

    void merge_data()
    {
        QTest::addColumn<int>("countA");
        QTest::addColumn<double>("avgA");
        QTest::addColumn<double>("maxA");
        QTest::addColumn<int>("countB");
        QTest::addColumn<double>("avgB");
        QTest::addColumn<double>("maxB");
        QTest::addColumn<int>("count");
        QTest::addColumn<double>("avg");
        QTest::addColumn<double>("max");

        QTest::newRow("equal weights") << 60 << 10.0 << 20.0 << 60 << 30.0 << 40.0 << 120 << 20.0 << 40.0;
        QTest::newRow("weighted by sample counts") << 45 << 10.0 << 12.0 << 15 << 50.0 << 90.0 << 60 << 20.0 << 90.0;
        QTest::newRow("a side without the metric") << 30 << Nan << Nan << 30 << 8.0 << 9.0 << 60 << 8.0 << 9.0;
        QTest::newRow("an empty side") << 0 << 0.0 << 0.0 << 20 << 3.0 << 4.0 << 20 << 3.0 << 4.0;
    }

    void merge()
    {
        QFETCH(int, countA);
        QFETCH(double, avgA);
        QFETCH(double, maxA);
        QFETCH(int, countB);
        QFETCH(double, avgB);
        QFETCH(double, maxB);
        QFETCH(int, count);
        QFETCH(double, avg);
        QFETCH(double, max);
        const auto row = [](int n, double a, double m) {
            HistoryRow r;
            r.key = Key;
            r.count = n;
            r.avg = {float(a)};
            r.max = {float(m)};
            return r;
        };
        for (const HistoryRow &merged : {HistoryRow::merge(row(countA, avgA, maxA), row(countB, avgB, maxB)),
                                         HistoryRow::merge(row(countB, avgB, maxB), row(countA, avgA, maxA))}) {
            QCOMPARE(merged.count, count);
            QCOMPARE(merged.avg.first(), float(avg));
            QCOMPARE(merged.max.first(), float(max));
        }
    }

    void packing_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("metrics");
        QTest::addColumn<bool>("ok");
        QTest::newRow("three metrics") << QByteArray(24, '\0') << 3 << true;
        QTest::newRow("too short") << QByteArray(23, '\0') << 3 << false;
        QTest::newRow("too long") << QByteArray(25, '\0') << 3 << false;
        QTest::newRow("empty") << QByteArray() << 3 << false;
        QTest::newRow("no metric") << QByteArray() << 0 << false;
    }

    void packing()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, metrics);
        QFETCH(bool, ok);
        HistoryRow row;
        QCOMPARE(row.unpackValues(data, metrics), ok);
        if (!ok)
            return;
        row.avg = {1.5f, float(Nan), -2};
        row.max = {3, float(Nan), 1e30f};
        HistoryRow back;
        QVERIFY(back.unpackValues(row.packedValues(), 3));
        QCOMPARE(back.avg.at(0), 1.5f);
        QVERIFY(std::isnan(back.avg.at(1)));
        QCOMPARE(back.max.at(2), 1e30f);
    }

    void tierForRange_data()
    {
        QTest::addColumn<qint64>("rangeS");
        QTest::addColumn<HistoryTier>("tier");
        QTest::newRow("1 min") << qint64(60) << HistoryTier::Live;
        QTest::newRow("1 h") << qint64(3600) << HistoryTier::Live;
        QTest::newRow("24 h") << qint64(86400) << HistoryTier::Minute;
        QTest::newRow("7 d") << qint64(7 * 86400) << HistoryTier::Minute;
        QTest::newRow("30 d") << qint64(30 * 86400) << HistoryTier::Hour;
        QTest::newRow("1 y") << qint64(365 * 86400) << HistoryTier::Hour;
    }

    void tierForRange()
    {
        QFETCH(qint64, rangeS);
        QFETCH(HistoryTier, tier);
        QCOMPARE(historyTierForRange(rangeS * 1000), tier);
        // The tier chosen keeps the whole range.
        QVERIFY(historyRetentionMs(tier) >= rangeS * 1000);
    }
};

QTEST_GUILESS_MAIN(TestHistoryAggregator)
#include "tst_historyaggregator.moc"
