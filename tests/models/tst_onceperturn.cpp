// Work asked many times in one turn is done once, at the next turn; not after its context went.
#include "onceperturn.h"

#include <QCoreApplication>
#include <QTest>

#include <memory>

using namespace Vigie;

class tst_OncePerTurn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onceAtTheNextTurn()
    {
        QObject context;
        int runs = 0;
        OncePerTurn once(&context, [&runs] { ++runs; });
        for (int i = 0; i < 1000; ++i)
            once.request();
        QCOMPARE(runs, 0); // not in the caller's turn
        QTRY_COMPARE(runs, 1);
        QCoreApplication::processEvents();
        QCOMPARE(runs, 1); // asked for once, done once
        once.request(); // asked again after it ran: runs again
        QTRY_COMPARE(runs, 2);
    }

    void droppedWithItsContext()
    {
        bool ran = false;
        auto context = std::make_unique<QObject>();
        {
            OncePerTurn once(context.get(), [&ran] { ran = true; });
            once.request();
            context.reset(); // the queued call goes with it
        }
        // A turn runs every call queued before this one: the dropped one would have run by then.
        bool marker = false;
        QMetaObject::invokeMethod(qApp, [&marker] { marker = true; }, Qt::QueuedConnection);
        QTRY_VERIFY(marker);
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(tst_OncePerTurn)
#include "tst_onceperturn.moc"
