#pragma once

#include "inventory/vminfo.h"

#include <QList>
#include <QString>

namespace Vigie {

class Inventory;
class Preflight;

// Where each VM of a host goes so the host can be emptied: a plan for the operator to approve,
// then run as migrations. Built from the inventory alone (no libvirt call).
struct EvacuationPlan
{
    struct Move
    {
        VmKey vm;
        QString destUri;
    };
    struct Unplaced
    {
        VmKey vm;
        QString reason; // why no host can take it (translated)
    };

    QString hostUri;
    QList<Move> moves;
    QList<Unplaced> unplaced;

    [[nodiscard]] bool isComplete() const { return unplaced.isEmpty(); }

    // Largest VMs first, each to the host left with the most headroom (free memory and free
    // vCPUs, as fractions of the host) once it is there, among the hosts the pre-flight accepts:
    // connected, same hypervisor, the VM's VLANs carried, not in maintenance. Memory already
    // promised to earlier moves of the plan counts as taken.
    [[nodiscard]] static EvacuationPlan make(const Inventory &inventory, const Preflight &preflight, const QString &hostUri);
};

} // namespace Vigie
