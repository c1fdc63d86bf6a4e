#include "coredumps.h"

#include "logging.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace Vigie {

void keepSecretsOutOfCoreDumps()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // The soft limit only: the processes Vigie starts inherit it and may raise it again (a
        // hard limit of 0 would bind them for good; libvirt raises QEMU's to its max_core).
        rlimit core{};
        getrlimit(RLIMIT_CORE, &core);
        core.rlim_cur = 0;
        const bool limited = setrlimit(RLIMIT_CORE, &core) == 0;
        const int limitError = errno;
        const bool undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
        if (limited && undumpable)
            qCInfo(lcKeyring) << "a password was handled: no core file will be written of this process";
        else
            qCWarning(lcKeyring) << "a password was handled, but core files could not be turned off:"
                             << (limited ? std::strerror(errno) : std::strerror(limitError));
    });
}

} // namespace Vigie
