// Background work runs below the GUI thread, on a pool of its own: the caller's thread and Qt's
// global pool keep their priority.
#include "backgroundpool.h"

#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <sys/resource.h>

using namespace Vigie;

namespace {

int niceOfThisThread()
{
    return getpriority(PRIO_PROCESS, 0); // Linux: the calling thread's
}

} // namespace

class tst_BackgroundPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void belowTheCaller()
    {
        const int mine = niceOfThisThread();
        QVERIFY(backgroundPool() != QThreadPool::globalInstance());
        const auto lowered = runInBackground([] {
            lowerThisThread(); // once: not lowered twice
            return std::pair(niceOfThisThread(), QThread::currentThread());
        });
        const auto [theirs, thread] = lowered.result();
        QVERIFY(thread != QThread::currentThread());
        QCOMPARE(theirs, std::min(mine + 10, 19));
        QCOMPARE(niceOfThisThread(), mine);
        // Qt's own pool, which others share, is left alone.
        const int global = QtConcurrent::run([] { return niceOfThisThread(); }).result();
        QCOMPARE(global, mine);
    }
};

QTEST_GUILESS_MAIN(tst_BackgroundPool)
#include "tst_backgroundpool.moc"
