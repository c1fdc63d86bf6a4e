#include "backgroundpool.h"

#include <QThreadPool>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#endif

#include <algorithm>
#include <utility>

namespace Vigie {

namespace {

constexpr int NiceIncrement = 10;

Q_GLOBAL_STATIC(QThreadPool, pool)

} // namespace

QThreadPool *backgroundPool()
{
    return pool();
}

void lowerThisThread()
{
    thread_local bool lowered = false;
    if (std::exchange(lowered, true))
        return;
#ifdef Q_OS_LINUX
    // Linux keeps the nice value per thread: PRIO_PROCESS with 0 is the calling thread's.
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, 0);
    if (errno == 0)
        setpriority(PRIO_PROCESS, 0, std::min(nice + NiceIncrement, 19));
#endif
}

} // namespace Vigie
