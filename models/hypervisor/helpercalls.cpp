#include "helpercalls.h"

#include <condition_variable>
#include <mutex>

namespace Vigie {

namespace {

struct Count
{
    std::mutex mutex;
    std::condition_variable done;
    int running = 0;
};

// Never destroyed: a helper left running at exit may still finish under static destructors.
Count &count()
{
    static auto *instance = new Count;
    return *instance;
}

} // namespace

HelperCalls::Guard::Guard()
{
    const std::lock_guard lock(count().mutex);
    ++count().running;
}

HelperCalls::Guard::~Guard()
{
    const std::lock_guard lock(count().mutex);
    --count().running;
    count().done.notify_all();
}

bool HelperCalls::waitForAll(QDeadlineTimer deadline)
{
    std::unique_lock lock(count().mutex);
    return count().done.wait_for(lock, std::chrono::milliseconds(deadline.remainingTime()),
                                 [] { return count().running == 0; });
}

int HelperCalls::runningCount()
{
    const std::lock_guard lock(count().mutex);
    return count().running;
}

} // namespace Vigie
