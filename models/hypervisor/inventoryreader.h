#pragma once

#include "inventory/hostinfo.h"
#include "inventory/networkinfo.h"
#include "inventory/vminfo.h"

#include <optional>

struct _virConnect;
struct _virDomain;

namespace Vigie {

// What a libvirt connection holds, read as value types: the host's identity and capacity, a
// domain (its XML parsed, its state, its disks' sizes), the networks, and the CPU definitions
// that migrations are checked against. On the connection's worker thread only.
class InventoryReader
{
public:
    InventoryReader(_virConnect *conn, const QString &uri);

    // The host's identity and capacity; its state, demo flag and CPUs are the worker's to add.
    [[nodiscard]] HostInfo host() const;
    // Empty when the domain went between listing and reading (no error), or cannot be read.
    [[nodiscard]] std::optional<VmInfo> domain(_virDomain *domain, QString *error) const;
    [[nodiscard]] QList<NetworkInfo> networks() const;
    struct Cpus
    {
        QString hypervisor; // what the hypervisor can give a guest (domain capabilities)
        QString host;       // the bare host CPU (capabilities)
    };
    [[nodiscard]] Cpus cpus() const;
    // Sets VM's migration and pausedByMigration from its state's REASON and what
    // libvirt said of its job: JOB_TYPE and OPERATION, or that the daemon refused the job stats
    // as a migration's destination (REFUSED_AS_DESTINATION). Public for tests.
    static void classifyMigration(VmInfo *vm, int reason, int jobType, int operation, bool refusedAsDestination);

private:
    // The domain's part in a migration (VmInfo::migration, pausedByMigration), from its job and
    // its state's REASON.
    static void readMigration(_virDomain *domain, int reason, VmInfo *vm);

    _virConnect *m_conn;
    QString m_uri;
};

} // namespace Vigie
