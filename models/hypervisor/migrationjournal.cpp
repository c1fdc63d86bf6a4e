#include "migrationjournal.h"

#include <QDateTime>
#include <QSettings>

namespace Vigie {

namespace {
const QLatin1String Group("runningMigrations");
} // namespace

MigrationJournal::MigrationJournal(const QString &fileName)
    : m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

MigrationJournal::~MigrationJournal() = default;

void MigrationJournal::add(const MigrationProgress &job)
{
    m_settings->beginGroup(Group);
    m_settings->beginGroup(job.vm.uuid);
    m_settings->setValue(QStringLiteral("source"), job.vm.hostUri);
    m_settings->setValue(QStringLiteral("name"), job.vmName);
    m_settings->setValue(QStringLiteral("destination"), job.destUri);
    m_settings->setValue(QStringLiteral("started"), QDateTime::currentMSecsSinceEpoch());
    m_settings->endGroup();
    m_settings->endGroup();
    m_settings->sync();
}

void MigrationJournal::remove(const VmKey &vm)
{
    m_settings->beginGroup(Group);
    const bool known = m_settings->value(vm.uuid + QStringLiteral("/source")).toString() == vm.hostUri;
    if (known)
        m_settings->remove(vm.uuid);
    m_settings->endGroup();
    if (known)
        m_settings->sync();
}

QList<MigrationJournal::Entry> MigrationJournal::entries() const
{
    QList<Entry> result;
    m_settings->beginGroup(Group);
    const QStringList uuids = m_settings->childGroups();
    for (const QString &uuid : uuids) {
        m_settings->beginGroup(uuid);
        Entry entry;
        entry.vm = {m_settings->value(QStringLiteral("source")).toString(), uuid};
        entry.vmName = m_settings->value(QStringLiteral("name")).toString();
        entry.destUri = m_settings->value(QStringLiteral("destination")).toString();
        entry.startedMs = m_settings->value(QStringLiteral("started")).toLongLong();
        m_settings->endGroup();
        if (entry.vm.isValid())
            result.append(entry);
    }
    m_settings->endGroup();
    return result;
}

} // namespace Vigie
