#include "migration.h"

#include <QCoreApplication>
#include <QSettings>

namespace Vigie {

MigrationOptions MigrationOptions::load(QSettings &settings)
{
    MigrationOptions options;
    settings.beginGroup(QStringLiteral("migration"));
    options.live = settings.value(QStringLiteral("live"), options.live).toBool();
    options.persistent = settings.value(QStringLiteral("persistent"), options.persistent).toBool();
    options.undefineSource = settings.value(QStringLiteral("undefineSource"), options.undefineSource).toBool();
    options.maxDowntimeMs = settings.value(QStringLiteral("maxDowntimeMs"), options.maxDowntimeMs).toInt();
    options.bandwidthMiBs = settings.value(QStringLiteral("bandwidthMiBs"), options.bandwidthMiBs).toInt();
    options.autoConverge = settings.value(QStringLiteral("autoConverge"), options.autoConverge).toBool();
    options.compression = settings.value(QStringLiteral("compression"), options.compression).toBool();
    options.postCopy = settings.value(QStringLiteral("postCopy"), options.postCopy).toBool();
    options.copyStorage = settings.value(QStringLiteral("copyStorage"), options.copyStorage).toBool();
    options.peerToPeer = settings.value(QStringLiteral("peerToPeer"), options.peerToPeer).toBool();
    settings.endGroup();
    return options;
}

void MigrationOptions::save(QSettings &settings, const MigrationOptions &options)
{
    settings.beginGroup(QStringLiteral("migration"));
    settings.setValue(QStringLiteral("live"), options.live);
    settings.setValue(QStringLiteral("persistent"), options.persistent);
    settings.setValue(QStringLiteral("undefineSource"), options.undefineSource);
    settings.setValue(QStringLiteral("maxDowntimeMs"), options.maxDowntimeMs);
    settings.setValue(QStringLiteral("bandwidthMiBs"), options.bandwidthMiBs);
    settings.setValue(QStringLiteral("autoConverge"), options.autoConverge);
    settings.setValue(QStringLiteral("compression"), options.compression);
    settings.setValue(QStringLiteral("postCopy"), options.postCopy);
    settings.setValue(QStringLiteral("copyStorage"), options.copyStorage);
    settings.setValue(QStringLiteral("peerToPeer"), options.peerToPeer);
    settings.endGroup();
}

QString migrationPhaseName(MigrationPhase phase)
{
    switch (phase) {
    case MigrationPhase::Preparing: return QStringLiteral("preparing");
    case MigrationPhase::Running: return QStringLiteral("running");
    case MigrationPhase::PostCopy: return QStringLiteral("postcopy");
    case MigrationPhase::Completed: return QStringLiteral("completed");
    case MigrationPhase::Failed: return QStringLiteral("failed");
    case MigrationPhase::Cancelled: return QStringLiteral("cancelled");
    case MigrationPhase::PostCopyFailed: return QStringLiteral("postcopy-failed");
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
    //: Migration phase: the network failed after the switchover; the VM waits for the migration to be resumed
    case MigrationPhase::PostCopyFailed: return QCoreApplication::translate("Vigie::Migration", "Post-copy failed");
    }
    return {};
}

QString migrationCancelRefusal(MigrationPhase phase)
{
    switch (phase) {
    case MigrationPhase::PostCopy:
        return QCoreApplication::translate("Vigie::Migration",
                                           "It can no longer be cancelled: the VM already runs on the destination and part "
                                           "of its memory is still only on the source. It can only be completed.");
    case MigrationPhase::PostCopyFailed:
        return QCoreApplication::translate("Vigie::Migration",
                                           "Post-copy failed: neither host holds all of the VM's memory. Resume the "
                                           "migration once the hosts reach each other again.");
    default: return {};
    }
}

} // namespace Vigie
