#include "migration.h"

#include <QCoreApplication>

namespace Vigie {

QString migrationPhaseName(MigrationPhase phase)
{
    switch (phase) {
    case MigrationPhase::Preparing: return QStringLiteral("preparing");
    case MigrationPhase::Running: return QStringLiteral("running");
    case MigrationPhase::PostCopy: return QStringLiteral("postcopy");
    case MigrationPhase::Completed: return QStringLiteral("completed");
    case MigrationPhase::Failed: return QStringLiteral("failed");
    case MigrationPhase::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("failed");
}

QString migrationPhaseDisplayName(MigrationPhase phase)
{
    switch (phase) {
    case MigrationPhase::Preparing: return QCoreApplication::translate("Vigie::Migration", "Preparing");
    case MigrationPhase::Running: return QCoreApplication::translate("Vigie::Migration", "Migrating");
    //: Migration phase: the VM already runs on the destination, its memory follows on demand
    case MigrationPhase::PostCopy: return QCoreApplication::translate("Vigie::Migration", "Post-copy");
    case MigrationPhase::Completed: return QCoreApplication::translate("Vigie::Migration", "Completed");
    case MigrationPhase::Failed: return QCoreApplication::translate("Vigie::Migration", "Failed");
    case MigrationPhase::Cancelled: return QCoreApplication::translate("Vigie::Migration", "Cancelled");
    }
    return {};
}

} // namespace Vigie
