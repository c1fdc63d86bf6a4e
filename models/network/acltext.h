#pragma once

#include "network/ovnpolicy.h"

#include <QString>

namespace Vigie::AclText {

// An ACL in words an operator reads: "in: allow tcp 443 from any", "out: allow IPv4 to group
// web", "in: drop everything else". Matches of the shapes OVN's users write (Neutron's security
// group rules, Vigie's isolation, ovn-nbctl acl-add one-liners) are read term by term; what is
// not understood is quoted as written, never left out. POLICY (may be null) names groups and
// address sets.
[[nodiscard]] QString describe(const OvnAcl &acl, const OvnPolicy *policy = nullptr);

} // namespace Vigie::AclText
