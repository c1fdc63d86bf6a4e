#include "connectionlease.h"

#include <libvirt/libvirt.h>

namespace Vigie {

ConnectionLease leaseConnection(_virConnect *connection)
{
    if (!connection || virConnectRef(connection) < 0)
        return {};
    return ConnectionLease(connection, [](virConnectPtr held) { virConnectClose(held); });
}

} // namespace Vigie
