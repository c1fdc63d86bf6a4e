// HelperCalls: the process-wide count of libvirt calls on detached helper threads, which the exit
// path waits for with one deadline (and, past it, leaves running without static destructors).
#include "hypervisor/helpercalls.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace Vigie;

class tst_HelperCalls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countedWhileRunning()
    {
        QCOMPARE(HelperCalls::runningCount(), 0);
        QVERIFY(HelperCalls::waitForAll(QDeadlineTimer(0)));

        std::mutex mutex;
        std::condition_variable wake;
        bool release = false;
        std::atomic<bool> started = false;
        std::thread helper([&] {
            const HelperCalls::Guard running;
            started = true;
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return release; });
        });
        QTRY_VERIFY(started.load());
        QCOMPARE(HelperCalls::runningCount(), 1);
        // A call that does not return holds the wait to its deadline, and no longer.
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!HelperCalls::waitForAll(QDeadlineTimer(100)));
        QVERIFY(clock.elapsed() >= 90);
        QVERIFY(clock.elapsed() < 2000);

        {
            const std::lock_guard lock(mutex);
            release = true;
        }
        wake.notify_all();
        QVERIFY(HelperCalls::waitForAll(QDeadlineTimer(5000)));
        QCOMPARE(HelperCalls::runningCount(), 0);
        helper.join();
    }
};

QTEST_GUILESS_MAIN(tst_HelperCalls)
#include "tst_helpercalls.moc"
