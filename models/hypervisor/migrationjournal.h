#pragma once

#include "migration.h"

#include <QList>
#include <QString>

#include <memory>

class QSettings;

namespace Vigie {

// The real migrations this console started or followed and has not seen end, written to a
// settings file as they start and struck off as they end. A console killed mid-migration finds
// them at its next start, and says what became of each once its source host is back (see
// MigrationController::setJournal). One migration per VM at a time: entries are keyed by UUID.
class MigrationJournal
{
public:
    struct Entry
    {
        VmKey vm; // on the source
        QString vmName;
        QString destUri;
        qint64 startedMs = 0; // since the epoch

        friend bool operator==(const Entry &, const Entry &) = default;
    };

    // FILE_NAME: an INI file, the application's settings file in the application (the group
    // "runningMigrations" is the journal's).
    explicit MigrationJournal(const QString &fileName);
    ~MigrationJournal();

    // Written through at once: the process may be killed the next moment.
    void add(const MigrationProgress &job);
    void remove(const VmKey &vm);
    [[nodiscard]] QList<Entry> entries() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace Vigie
