#pragma once

#include <Qt>

namespace Vigie {

// Custom roles shared by Vigie's item models, so views, delegates and proxies can ask for typed
// values instead of display strings.
enum Roles {
    KindRole = Qt::UserRole + 1, // NodeKind
    HostUriRole,                 // QString
    UuidRole,                    // QString (VMs)
    VmStateRole,                 // int, Vigie::VmState
    ConnectionStateRole,         // int, Vigie::ConnectionState
    SortRole,                    // numeric or lower-case value to sort by
    SearchTextRole,              // everything the filter box matches against
    DemoRole,                    // bool: the row belongs to a demo host
    SeverityRole,                // int, EventRecord::Severity
    OwnerRole,                   // QString: who owns the row (another system), empty: nobody
};

enum class NodeKind { Host = 1, Vm = 2 };

} // namespace Vigie
