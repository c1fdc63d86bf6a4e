#pragma once

#include "historyrow.h"
#include "inventory/eventrecord.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <limits>
#include <optional>

namespace Vigie {

// The metrics history and the event log on disk: an SQLite file through Qt SQL (QSQLITE), in WAL mode, one row
// per series and bucket in two tiers (1-minute buckets kept 31 days, 1-hour buckets kept 2
// years), each row the bucket's sample count and its averages and maxima packed as 32-bit floats.
// Series are keyed by the VM's UUID or the host's URI. The event log (the console's audit trail:
// severity, time, host and its connection URI, VM, action, result, local user) is kept 2 years. Not thread-safe, and bound to the thread
// that opened it: Qt SQL connections must only be used there (HistoryWriter owns one on its own
// thread).
//
// Opening checks the file (PRAGMA quick_check); a file that is not a sound SQLite database is
// renamed aside with the time (history.sqlite.corrupt-20261205-201500), never deleted, and a
// new one is started. A file of the other kind (a demo history for the real one, or the other
// way round) or of a newer schema is refused, and left alone.
class HistoryDatabase
{
public:
    struct OpenResult
    {
        bool ok = false;
        bool created = false;
        QString movedAsidePath; // set when a damaged file was renamed aside
        QString damage;         // what the check found wrong with it
        QString error;          // why the history could not be opened
    };

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    // demo: the database holds synthetic demo figures (and says so), never an operator's.
    OpenResult open(const QString &path, bool demo, qint64 nowMs);
    void close();
    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] bool isDemo() const { return m_demo; }

    // Closed minute buckets, in one transaction with their hours' roll-up and, at most once an
    // hour, the pruning of what the tiers no longer keep. A minute already written is completed
    // (merged), an older one skipped: writing the same samples twice does not count them twice.
    // Events recorded since the last write go into the same transaction.
    bool writeMinutes(const QList<HistoryRow> &rows, qint64 nowMs, const QList<EventRecord> &events = {});
    // Rows of one tier written as they are (replacing), in one transaction: the demo's
    // synthetic history, tests.
    bool writeRows(HistoryTier tier, const QList<HistoryRow> &rows);
    // Deletes what each tier keeps no longer; the number of rows deleted, -1 on error.
    int prune(qint64 nowMs);

    [[nodiscard]] HistorySeries query(const HistoryKey &key, HistoryTier tier, qint64 fromMs, qint64 toMs);
    // The start of the series' last bucket in that tier (that starts before beforeMs), or nothing.
    [[nodiscard]] std::optional<qint64> lastBucketMs(const HistoryKey &key, HistoryTier tier,
                                                     qint64 beforeMs = std::numeric_limits<qint64>::max());
    [[nodiscard]] qint64 rowCount(HistoryTier tier);
    // The VM hour buckets with usage that start in [fromMs, toMs), of every VM (of one tenant's
    // buckets only), in no particular order.
    [[nodiscard]] QList<HistoryUsageRow> usageRows(qint64 fromMs, qint64 toMs,
                                                   const std::optional<QString> &tenant = std::nullopt);
    // The VM's name as reports show it (kept after the VM is gone); written when it changes.
    bool setLabel(const HistoryKey &key, const QString &label);
    // Stored events between two times whose host, URI, VM, action, result or user contains
    // text (any case; empty: all), the newest `limit` of them, oldest first.
    [[nodiscard]] QList<EventRecord> events(const QString &text, qint64 fromMs, qint64 toMs, int limit = 10000);
    // Copies the write-ahead log into the database and empties it (measurements: fileBytes()).
    bool checkpoint();
    // The database file and its write-ahead log, in bytes.
    [[nodiscard]] qint64 fileBytes() const;
    [[nodiscard]] QString lastError() const { return m_lastError; }

    // Renames path (and its -wal and -shm files) aside with the time; the new name, or empty.
    [[nodiscard]] static QString moveAside(const QString &path, qint64 nowMs);

private:
    [[nodiscard]] QString check(); // empty when sound, else what is wrong
    bool createSchema(bool demo, QString *error);
    bool upgrade(int from, QString *error);
    std::optional<qint64> seriesId(const HistoryKey &key, bool create);
    bool upsert(HistoryTier tier, qint64 id, const HistoryRow &row);
    std::optional<HistoryRow> readRow(HistoryTier tier, qint64 id, const HistoryKey &key, qint64 startMs);
    bool exec(const QString &sql);
    bool fail(const QSqlQuery &query);
    void closeConnection();

    QString m_connection;
    QString m_path;
    bool m_open = false;
    bool m_demo = false;
    QString m_lastError;
    QHash<HistoryKey, qint64> m_ids;
    QHash<qint64, qint64> m_lastMinute; // per series id: the start of its last minute written
    QHash<qint64, HistoryRow> m_hours;  // per series id: its current hour as written so far
    QHash<qint64, QString> m_labels;    // per series id: its label as written
    qint64 m_nextPruneMs = 0;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::HistoryDatabase::OpenResult)
