#pragma once

#include <QString>

#include <memory>

struct _virConnect;
struct _virDomain;

namespace Vigie::Libvirt {

// The last libvirt error of this thread: what the remote daemon, QEMU or a hook wrote, bounded
// like the domain XML's text (it is shown to the operator).
[[nodiscard]] QString lastError();
// The error code says the driver cannot do it (rather than that it failed).
[[nodiscard]] bool isUnsupported(int code);
[[nodiscard]] QString uuidOf(_virDomain *domain);
// "host is not connected", translated.
[[nodiscard]] QString notConnected();

// A domain reference, freed when it goes.
struct DomainFree
{
    void operator()(_virDomain *domain) const;
};
using Domain = std::unique_ptr<_virDomain, DomainFree>;
// The domain UUID of CONN, or empty (lastError() says why).
[[nodiscard]] Domain lookup(_virConnect *conn, const QString &uuid);

} // namespace Vigie::Libvirt
