#pragma once

#include <QDeadlineTimer>

namespace Vigie {

// libvirt calls run on detached helper threads (a host's metrics: a call stuck on a frozen host
// or guest cannot be cancelled, and its worker must not wait for it). Each holds a Guard while it
// runs; at exit waitForAll() bounds the wait for all of them with the worker threads' deadline,
// and a call still running keeps the process from running its static destructors under it.
class HelperCalls
{
public:
    class Guard
    {
    public:
        Guard();
        ~Guard();
        Guard(const Guard &) = delete;
        Guard &operator=(const Guard &) = delete;
    };

    // Waits until no helper call runs, or DEADLINE. True if none runs.
    static bool waitForAll(QDeadlineTimer deadline);
    // Helper calls running now.
    [[nodiscard]] static int runningCount();
};

} // namespace Vigie
