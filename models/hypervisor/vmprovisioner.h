#pragma once

#include "domainoperations.h"
#include "placement/newvm.h"

struct _virConnect;

namespace Vigie {

// Places a new VM on a host: its system disk as a volume of the host's storage pool ("default"
// first, else any active one), its definition, then a start if asked. All or nothing: what a
// failed step leaves behind (the volume, the definition) is undone. On the connection's worker
// thread; the connection must be open.
class VmProvisioner
{
public:
    explicit VmProvisioner(_virConnect *conn);

    // The outcome names the new domain (the worker reads it) once it was defined.
    [[nodiscard]] DomainOperations::Outcome create(const NewVm &vm) const;

private:
    _virConnect *m_conn;
};

} // namespace Vigie
