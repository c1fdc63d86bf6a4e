#pragma once

#include <memory>

struct _virConnect;

namespace Vigie {

// A reference to a session's libvirt connection for work on another thread (a console): the
// connection, authenticated once by its session, stays usable until the last holder lets it go,
// even if the session has meanwhile reconnected. Letting go is virConnectClose: it only drops a
// reference unless the session closed its own, so holders let go on their own thread.
using ConnectionLease = std::shared_ptr<_virConnect>;

// Takes a new reference to CONNECTION (null gives an empty lease).
[[nodiscard]] ConnectionLease leaseConnection(_virConnect *connection);

} // namespace Vigie
