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
        const rlimit none{0, 0};
        const bool limited = setrlimit(RLIMIT_CORE, &none) == 0;
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
