// The event-loop lag probe: a loop kept busy is counted as a stall of about that length, an idle
// loop as none.
#include "lagprobe.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Vigie;

class tst_LagProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsAStall()
    {
        QElapsedTimer monotonic;
        monotonic.start();
        const double startedS = double(monotonic.msecsSinceReference()) / 1e3;
        LagProbe probe(2);
        probe.start();
        // Ticks run for a while, then the loop is kept busy 80 ms by one handler, then ticks again.
        QTRY_VERIFY(probe.figures().ticks >= 10);
        QTimer busy;
        busy.setSingleShot(true);
        QSignalSpy done(&busy, &QTimer::timeout);
        connect(&busy, &QTimer::timeout, this, [] {
            QElapsedTimer clock;
            clock.start();
            while (clock.elapsed() < 80) {
            }
        });
        busy.start(0);
        QVERIFY(done.wait(1000));
        const qint64 ticksAfterStall = probe.figures().ticks;
        QTRY_VERIFY(probe.figures().ticks >= ticksAfterStall + 10);
        const LagProbe::Figures f = probe.figures();
        // At least that one (a loaded machine may add its own).
        QVERIFY2(f.maxMs >= 70, qPrintable(probe.summary()));
        QVERIFY2(f.over50Ms >= 1 && f.over16Ms >= f.over50Ms, qPrintable(probe.summary()));
        QVERIFY2(f.p50Ms <= f.p99Ms && f.p99Ms <= f.maxMs, qPrintable(probe.summary()));
        QVERIFY(probe.summary().contains(QLatin1String("over 50 ms")));
        // When it ended, on the monotonic clock (seconds since boot, as perf -k CLOCK_MONOTONIC).
        const double nowS = double(monotonic.msecsSinceReference() + monotonic.elapsed()) / 1e3;
        QVERIFY2(f.longestEndedAtS >= startedS + 0.07 && f.longestEndedAtS <= nowS,
                 qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(f.longestEndedAtS).arg(startedS).arg(nowS)));

        probe.reset();
        QCOMPARE(probe.figures().ticks, 0);
        QCOMPARE(probe.figures().maxMs, 0.0);
    }
};

QTEST_GUILESS_MAIN(tst_LagProbe)
#include "tst_lagprobe.moc"
