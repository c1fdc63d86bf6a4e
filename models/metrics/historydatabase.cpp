#include "historydatabase.h"

#include "logging.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

#include "metric.h"

#include <atomic>
#include <cmath>

namespace Vigie {

namespace {

// 1: values only. 2: each tier row also holds the VM's usage (HistoryUsage: tenant and
// allocation integrals), the series its label (the VM's name); a schema 1 file is upgraded in
// place, its rows keeping an empty usage.
constexpr int SchemaVersion = 2;

// The usage columns of a tier, as added by the upgrade to schema 2.
const char *const UsageColumns[][2] = {
    {"tenant", "TEXT"},
    {"up_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"run_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"vcpu_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"mem_mib_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"disk_mib_ms", "INTEGER NOT NULL DEFAULT 0"},
};

QString tierColumns()
{
    return QStringLiteral("series, t, n, v, tenant, up_ms, run_ms, vcpu_ms, mem_mib_ms, disk_mib_ms");
}

void bindRow(QSqlQuery &query, qint64 id, const HistoryRow &row)
{
    query.bindValue(0, id);
    query.bindValue(1, row.startMs / 1000);
    query.bindValue(2, row.count);
    query.bindValue(3, row.packedValues());
    query.bindValue(4, row.usage.tenant.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(row.usage.tenant));
    query.bindValue(5, row.usage.upMs);
    query.bindValue(6, row.usage.runMs);
    query.bindValue(7, row.usage.vcpuMs);
    query.bindValue(8, row.usage.memoryMiBMs);
    query.bindValue(9, row.usage.diskMiBMs);
}

// Columns first..first+5 of a query selecting the usage columns in tierColumns()'s order.
HistoryUsage usageAt(const QSqlQuery &query, int first)
{
    HistoryUsage u;
    u.tenant = query.value(first).toString();
    u.upMs = query.value(first + 1).toLongLong();
    u.runMs = query.value(first + 2).toLongLong();
    u.vcpuMs = query.value(first + 3).toLongLong();
    u.memoryMiBMs = query.value(first + 4).toLongLong();
    u.diskMiBMs = query.value(first + 5).toLongLong();
    return u;
}

QString tableOf(HistoryTier tier)
{
    return tier == HistoryTier::Hour ? QStringLiteral("hour_tier") : QStringLiteral("minute_tier");
}

qint64 floorTo(qint64 ms, qint64 bucket)
{
    const qint64 q = ms / bucket;
    return (ms % bucket < 0 ? q - 1 : q) * bucket;
}

} // namespace

HistoryDatabase::HistoryDatabase()
{
    static std::atomic<int> serial{0};
    m_connection = QStringLiteral("vigie-history-%1").arg(++serial);
}

HistoryDatabase::~HistoryDatabase()
{
    close();
}

void HistoryDatabase::closeConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid())
            db.close();
    }
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
}

void HistoryDatabase::close()
{
    m_ids.clear();
    m_lastMinute.clear();
    m_hours.clear();
    m_labels.clear();
    m_open = false;
    closeConnection();
}

QString HistoryDatabase::moveAside(const QString &path, qint64 nowMs)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(nowMs).toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int i = 2; QFile::exists(target); ++i)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(i);
    if (!QFile::rename(path, target))
        return {};
    // The log and shared memory belong to the damaged file: moved with it, so that SQLite does
    // not replay them into the new one.
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(path + suffix))
            QFile::rename(path + suffix, target + suffix);
    }
    return target;
}

HistoryDatabase::OpenResult HistoryDatabase::open(const QString &path, bool demo, qint64 nowMs)
{
    close();
    OpenResult result;
    m_path = path;
    m_demo = demo;
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        result.error = QStringLiteral("cannot create %1").arg(info.absolutePath());
        return result;
    }
    const bool existed = info.exists() && info.size() > 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        if (!db.isValid()) {
            result.error = QStringLiteral("the QSQLITE driver of Qt SQL is not available");
            closeConnection();
            return result;
        }
        db.setDatabaseName(path);
    }
    if (existed) {
        const QString damage = check();
        if (!damage.isEmpty()) {
            closeConnection();
            result.damage = damage;
            result.movedAsidePath = moveAside(path, nowMs);
            if (result.movedAsidePath.isEmpty()) {
                result.error = QStringLiteral("%1 is damaged (%2) and cannot be moved aside").arg(path, damage);
                return result;
            }
            qCWarning(lcMetrics) << "history" << path << "is damaged:" << damage << "- moved to" << result.movedAsidePath;
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection).setDatabaseName(path);
        }
    }
    result.created = !existed || !result.movedAsidePath.isEmpty();
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.open()) {
        result.error = db.lastError().text();
        closeConnection();
        return result;
    }
    if (!createSchema(demo, &result.error)) {
        db = QSqlDatabase();
        closeConnection();
        return result;
    }
    m_open = true;
    m_nextPruneMs = nowMs; // the first write prunes what aged while Vigie was not running
    result.ok = true;
    return result;
}

QString HistoryDatabase::check()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.open())
        return db.lastError().text();
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA quick_check")))
        return query.lastError().text();
    QStringList problems;
    while (query.next())
        problems.append(query.value(0).toString());
    if (problems != QStringList{QStringLiteral("ok")}) {
        if (problems.isEmpty())
            return QStringLiteral("no answer to quick_check");
        // The first few say enough; a damaged file can have thousands.
        const qsizetype more = problems.size() - 3;
        if (more > 0) {
            problems.resize(3);
            problems.append(QStringLiteral("%1 more").arg(more));
        }
        return problems.join(QStringLiteral("; "));
    }
    // A sound SQLite file, but is it a history? Other files are not ours to reuse.
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                   "('meta', 'series', 'minute_tier', 'hour_tier', 'events')"))
        || !query.next())
        return query.lastError().text();
    if (query.value(0).toInt() > 0)
        return QStringLiteral("not a Vigie history (unknown tables)");
    return {};
}

bool HistoryDatabase::exec(const QString &sql)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(sql))
        return true;
    return fail(query);
}

bool HistoryDatabase::fail(const QSqlQuery &query)
{
    m_lastError = query.lastError().text();
    qCWarning(lcMetrics) << "history:" << m_lastError << query.lastQuery();
    return false;
}

bool HistoryDatabase::createSchema(bool demo, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    // WAL: a crash (even kill -9) leaves the file whole, readers never wait for the writer;
    // NORMAL is safe in WAL mode and syncs only at checkpoints.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next()
        || query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        *error = QStringLiteral("cannot use write-ahead logging: %1").arg(query.lastError().text());
        return false;
    }
    const QStringList statements{
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, subject INTEGER NOT NULL, "
                       "name TEXT NOT NULL, label TEXT, UNIQUE (subject, name))"),
        // Clustered by series then time: a chart's query reads one contiguous range.
        QStringLiteral("CREATE TABLE IF NOT EXISTS minute_tier (series INTEGER NOT NULL, t INTEGER NOT NULL, "
                       "n INTEGER NOT NULL, v BLOB NOT NULL, tenant TEXT, up_ms INTEGER NOT NULL DEFAULT 0, "
                       "run_ms INTEGER NOT NULL DEFAULT 0, vcpu_ms INTEGER NOT NULL DEFAULT 0, "
                       "mem_mib_ms INTEGER NOT NULL DEFAULT 0, disk_mib_ms INTEGER NOT NULL DEFAULT 0, "
                       "PRIMARY KEY (series, t)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS hour_tier (series INTEGER NOT NULL, t INTEGER NOT NULL, "
                       "n INTEGER NOT NULL, v BLOB NOT NULL, tenant TEXT, up_ms INTEGER NOT NULL DEFAULT 0, "
                       "run_ms INTEGER NOT NULL DEFAULT 0, vcpu_ms INTEGER NOT NULL DEFAULT 0, "
                       "mem_mib_ms INTEGER NOT NULL DEFAULT 0, disk_mib_ms INTEGER NOT NULL DEFAULT 0, "
                       "PRIMARY KEY (series, t)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS events (t INTEGER NOT NULL, severity INTEGER NOT NULL, host TEXT, "
                       "host_uri TEXT, vm TEXT, action TEXT, result TEXT, user TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS events_by_time ON events (t)"),
    };
    for (const QString &sql : statements) {
        if (!query.exec(sql)) {
            *error = query.lastError().text();
            return false;
        }
    }
    QHash<QString, QString> meta;
    if (!query.exec(QStringLiteral("SELECT key, value FROM meta"))) {
        *error = query.lastError().text();
        return false;
    }
    while (query.next())
        meta.insert(query.value(0).toString(), query.value(1).toString());
    if (meta.isEmpty()) {
        query.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema', ?), ('demo', ?)"));
        query.addBindValue(QString::number(SchemaVersion));
        query.addBindValue(demo ? QStringLiteral("1") : QStringLiteral("0"));
        if (!query.exec()) {
            *error = query.lastError().text();
            return false;
        }
        return true;
    }
    const int schema = meta.value(QStringLiteral("schema")).toInt();
    if (schema > SchemaVersion) {
        *error = QStringLiteral("%1 was written by a newer Vigie (schema %2)").arg(m_path, meta.value(QStringLiteral("schema")));
        return false;
    }
    if ((meta.value(QStringLiteral("demo")) == QLatin1String("1")) != demo) {
        *error = demo ? QStringLiteral("%1 holds a real history: the demo does not write into it").arg(m_path)
                      : QStringLiteral("%1 is a demo history: real figures are not mixed into it").arg(m_path);
        return false;
    }
    if (schema < SchemaVersion && !upgrade(schema, error))
        return false;
    return true;
}

bool HistoryDatabase::upgrade(int from, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    QStringList statements;
    if (from < 2) {
        statements.append(QStringLiteral("ALTER TABLE series ADD COLUMN label TEXT"));
        for (const char *table : {"minute_tier", "hour_tier"}) {
            for (const auto &column : UsageColumns)
                statements.append(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3")
                                      .arg(QLatin1String(table), QLatin1String(column[0]), QLatin1String(column[1])));
        }
    }
    // The demo's past is synthetic: dropped, so that the next seeding writes it again with usage.
    if (m_demo) {
        statements.append(QStringLiteral("DELETE FROM minute_tier"));
        statements.append(QStringLiteral("DELETE FROM hour_tier"));
    }
    statements.append(QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'schema'").arg(SchemaVersion));
    for (const QString &sql : std::as_const(statements)) {
        if (!query.exec(sql)) {
            *error = QStringLiteral("cannot upgrade %1 from schema %2: %3").arg(m_path).arg(from).arg(query.lastError().text());
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return false;
    }
    qCInfo(lcMetrics) << "history" << m_path << "upgraded from schema" << from << "to" << SchemaVersion;
    return true;
}

std::optional<qint64> HistoryDatabase::seriesId(const HistoryKey &key, bool create)
{
    if (const auto it = m_ids.constFind(key); it != m_ids.cend())
        return *it;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT id FROM series WHERE subject = ? AND name = ?"));
    query.addBindValue(int(key.subject));
    query.addBindValue(key.id);
    if (!query.exec()) {
        fail(query);
        return std::nullopt;
    }
    if (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        m_ids.insert(key, id);
        return id;
    }
    if (!create)
        return std::nullopt;
    query.prepare(QStringLiteral("INSERT INTO series (subject, name) VALUES (?, ?)"));
    query.addBindValue(int(key.subject));
    query.addBindValue(key.id);
    if (!query.exec()) {
        fail(query);
        return std::nullopt;
    }
    const qint64 id = query.lastInsertId().toLongLong();
    m_ids.insert(key, id);
    return id;
}

bool HistoryDatabase::upsert(HistoryTier tier, qint64 id, const HistoryRow &row)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO %1 (%2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                      .arg(tableOf(tier), tierColumns()));
    bindRow(query, id, row);
    return query.exec() || fail(query);
}

std::optional<HistoryRow> HistoryDatabase::readRow(HistoryTier tier, qint64 id, const HistoryKey &key, qint64 startMs)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT n, v, tenant, up_ms, run_ms, vcpu_ms, mem_mib_ms, disk_mib_ms FROM %1 "
                                 "WHERE series = ? AND t = ?").arg(tableOf(tier)));
    query.addBindValue(id);
    query.addBindValue(startMs / 1000);
    if (!query.exec() || !query.next())
        return std::nullopt;
    HistoryRow row;
    row.key = key;
    row.startMs = startMs;
    row.count = query.value(0).toInt();
    row.usage = usageAt(query, 2);
    if (!row.unpackValues(query.value(1).toByteArray(), historyMetricCount(key.subject)))
        return std::nullopt;
    return row;
}

std::optional<qint64> HistoryDatabase::lastBucketMs(const HistoryKey &key, HistoryTier tier, qint64 beforeMs)
{
    if (!m_open || tier == HistoryTier::Live)
        return std::nullopt;
    const std::optional<qint64> id = seriesId(key, false);
    if (!id)
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT max(t) FROM %1 WHERE series = ? AND t < ?").arg(tableOf(tier)));
    query.addBindValue(*id);
    query.addBindValue(beforeMs == std::numeric_limits<qint64>::max() ? beforeMs : (beforeMs + 999) / 1000);
    if (!query.exec() || !query.next() || query.isNull(0))
        return std::nullopt;
    return query.value(0).toLongLong() * 1000;
}

bool HistoryDatabase::writeMinutes(const QList<HistoryRow> &rows, qint64 nowMs, const QList<EventRecord> &events)
{
    if (!m_open)
        return false;
    const bool pruneDue = nowMs >= m_nextPruneMs;
    if (rows.isEmpty() && !pruneDue && events.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        return false;
    }
    bool ok = true;
    for (const HistoryRow &row : rows) {
        const std::optional<qint64> id = seriesId(row.key, true);
        if (!id) {
            ok = false;
            break;
        }
        auto last = m_lastMinute.find(*id);
        if (last == m_lastMinute.end())
            last = m_lastMinute.insert(*id, lastBucketMs(row.key, HistoryTier::Minute).value_or(-1));
        if (row.startMs < *last)
            continue; // written before (samples sent again)
        HistoryRow minute = row;
        if (row.startMs == *last) {
            // Its first part was written at a shutdown: complete it.
            if (const std::optional<HistoryRow> written = readRow(HistoryTier::Minute, *id, row.key, row.startMs))
                minute = HistoryRow::merge(*written, row);
        }
        // The hour takes only what is new: row, not the completed minute.
        const qint64 hourStart = floorTo(row.startMs, historyBucketMs(HistoryTier::Hour));
        auto hour = m_hours.find(*id);
        if (hour == m_hours.end() || hour->startMs != hourStart) {
            HistoryRow start;
            start.key = row.key;
            start.startMs = hourStart;
            if (const std::optional<HistoryRow> written = readRow(HistoryTier::Hour, *id, row.key, hourStart))
                start = *written;
            hour = m_hours.insert(*id, start);
        }
        *hour = HistoryRow::merge(*hour, row);
        hour->startMs = hourStart;
        hour->key = row.key;
        if (!upsert(HistoryTier::Minute, *id, minute) || !upsert(HistoryTier::Hour, *id, *hour)) {
            ok = false;
            break;
        }
        *last = row.startMs;
    }
    if (ok && !events.isEmpty()) {
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO events (t, severity, host, host_uri, vm, action, result, user) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const EventRecord &event : events) {
            insert.bindValue(0, event.time.toMSecsSinceEpoch());
            insert.bindValue(1, int(event.severity));
            insert.bindValue(2, event.host);
            insert.bindValue(3, event.hostUri);
            insert.bindValue(4, event.vm);
            insert.bindValue(5, event.action);
            insert.bindValue(6, event.result);
            insert.bindValue(7, event.user);
            if (!insert.exec()) {
                ok = fail(insert);
                break;
            }
        }
    }
    if (ok && pruneDue) {
        ok = prune(nowMs) >= 0;
        m_nextPruneMs = nowMs + 3'600'000;
    }
    if (!ok) {
        db.rollback();
        // What is cached may now be ahead of the file.
        m_hours.clear();
        m_lastMinute.clear();
        return false;
    }
    if (!db.commit()) {
        m_lastError = db.lastError().text();
        m_hours.clear();
        m_lastMinute.clear();
        return false;
    }
    return true;
}

bool HistoryDatabase::writeRows(HistoryTier tier, const QList<HistoryRow> &rows)
{
    if (!m_open || tier == HistoryTier::Live)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO %1 (%2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                      .arg(tableOf(tier), tierColumns()));
    for (const HistoryRow &row : rows) {
        const std::optional<qint64> id = seriesId(row.key, true);
        if (!id) {
            db.rollback();
            return false;
        }
        bindRow(query, *id, row);
        if (!query.exec()) {
            fail(query);
            db.rollback();
            return false;
        }
    }
    m_hours.clear();
    m_lastMinute.clear();
    if (!db.commit()) {
        m_lastError = db.lastError().text();
        return false;
    }
    return true;
}

int HistoryDatabase::prune(qint64 nowMs)
{
    if (!m_open)
        return -1;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QList<qint64> ids;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT id FROM series"))) {
        fail(query);
        return -1;
    }
    while (query.next())
        ids.append(query.value(0).toLongLong());
    int deleted = 0;
    QSqlQuery events(db);
    events.prepare(QStringLiteral("DELETE FROM events WHERE t < ?"));
    events.addBindValue(nowMs - historyRetentionMs(HistoryTier::Hour));
    if (!events.exec()) {
        fail(events);
        return -1;
    }
    deleted += events.numRowsAffected();
    // Per series, so that each delete walks its own range of the primary key, not the table.
    for (HistoryTier tier : {HistoryTier::Minute, HistoryTier::Hour}) {
        const qint64 before = (nowMs - historyRetentionMs(tier)) / 1000;
        QSqlQuery remove(db);
        remove.prepare(QStringLiteral("DELETE FROM %1 WHERE series = ? AND t < ?").arg(tableOf(tier)));
        for (qint64 id : std::as_const(ids)) {
            remove.bindValue(0, id);
            remove.bindValue(1, before);
            if (!remove.exec()) {
                fail(remove);
                return -1;
            }
            deleted += remove.numRowsAffected();
        }
    }
    return deleted;
}

HistorySeries HistoryDatabase::query(const HistoryKey &key, HistoryTier tier, qint64 fromMs, qint64 toMs)
{
    QElapsedTimer timer;
    timer.start();
    HistorySeries result;
    result.key = key;
    result.tier = tier;
    result.fromMs = fromMs;
    result.toMs = toMs;
    const int metrics = historyMetricCount(key.subject);
    result.avg.resize(metrics);
    result.max.resize(metrics);
    const std::optional<qint64> id = m_open && tier != HistoryTier::Live ? seriesId(key, false) : std::nullopt;
    if (!id) {
        result.elapsedUs = timer.nsecsElapsed() / 1000;
        return result;
    }
    const qint64 bucket = historyBucketMs(tier);
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT t, v FROM %1 WHERE series = ? AND t >= ? AND t <= ? ORDER BY t").arg(tableOf(tier)));
    query.addBindValue(*id);
    query.addBindValue(floorTo(fromMs, bucket) / 1000);
    query.addBindValue(toMs / 1000);
    if (!query.exec()) {
        fail(query);
        return result;
    }
    HistoryRow row;
    double previous = std::nan("");
    const double bucketS = double(bucket) / 1000.0;
    const auto append = [&](double at, const QList<float> *avg, const QList<float> *max) {
        result.keys.append(at);
        for (int i = 0; i < metrics; ++i) {
            result.avg[i].append(avg ? double(avg->at(i)) : std::nan(""));
            result.max[i].append(max ? double(max->at(i)) : std::nan(""));
        }
    };
    while (query.next()) {
        if (!row.unpackValues(query.value(1).toByteArray(), metrics))
            continue;
        const double middle = double(query.value(0).toLongLong()) + bucketS / 2;
        // A missing bucket is a gap, not a straight line across it.
        if (!std::isnan(previous) && middle - previous > 1.5 * bucketS)
            append(previous + bucketS, nullptr, nullptr);
        append(middle, &row.avg, &row.max);
        previous = middle;
    }
    result.elapsedUs = timer.nsecsElapsed() / 1000;
    return result;
}

QList<EventRecord> HistoryDatabase::events(const QString &text, qint64 fromMs, qint64 toMs, int limit)
{
    QList<EventRecord> result;
    if (!m_open)
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    QString pattern = text;
    pattern.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    pattern = u'%' + pattern + u'%';
    query.prepare(QStringLiteral("SELECT t, severity, host, host_uri, vm, action, result, user FROM events "
                                 "WHERE t >= :from AND t <= :to AND (:all OR host LIKE :p ESCAPE '\\' OR host_uri LIKE :p "
                                 "ESCAPE '\\' OR vm LIKE :p ESCAPE '\\' OR action LIKE :p ESCAPE '\\' OR result LIKE :p "
                                 "ESCAPE '\\' OR user LIKE :p ESCAPE '\\') ORDER BY t DESC LIMIT :limit"));
    query.bindValue(QStringLiteral(":from"), fromMs);
    query.bindValue(QStringLiteral(":to"), toMs);
    query.bindValue(QStringLiteral(":all"), text.isEmpty() ? 1 : 0);
    query.bindValue(QStringLiteral(":p"), pattern);
    query.bindValue(QStringLiteral(":limit"), std::max(limit, 0));
    if (!query.exec()) {
        fail(query);
        return result;
    }
    while (query.next()) {
        EventRecord event;
        event.time = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong());
        const int severity = query.value(1).toInt();
        event.severity = severity == int(EventRecord::Severity::Error)     ? EventRecord::Severity::Error
                         : severity == int(EventRecord::Severity::Warning) ? EventRecord::Severity::Warning
                                                                           : EventRecord::Severity::Info;
        event.host = query.value(2).toString();
        event.hostUri = query.value(3).toString();
        event.vm = query.value(4).toString();
        event.action = query.value(5).toString();
        event.result = query.value(6).toString();
        event.user = query.value(7).toString();
        result.append(event);
    }
    std::reverse(result.begin(), result.end());
    return result;
}

qint64 HistoryDatabase::rowCount(HistoryTier tier)
{
    if (!m_open || tier == HistoryTier::Live)
        return 0;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(QStringLiteral("SELECT count(*) FROM %1").arg(tableOf(tier))) || !query.next())
        return 0;
    return query.value(0).toLongLong();
}

QList<HistoryUsageRow> HistoryDatabase::usageRows(qint64 fromMs, qint64 toMs, const std::optional<QString> &tenant)
{
    QList<HistoryUsageRow> result;
    if (!m_open)
        return result;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    // A bucket belongs to the period its start falls in: consecutive periods share none.
    query.prepare(QStringLiteral("SELECT s.name, s.label, h.t, h.v, h.tenant, h.up_ms, h.run_ms, h.vcpu_ms, h.mem_mib_ms, "
                                 "h.disk_mib_ms FROM hour_tier h JOIN series s ON s.id = h.series "
                                 "WHERE s.subject = ? AND h.t >= ? AND h.t < ? AND h.up_ms > 0%1")
                      .arg(tenant ? QStringLiteral(" AND coalesce(h.tenant, '') = ?") : QString()));
    query.addBindValue(int(HistorySubject::Vm));
    query.addBindValue((fromMs + 999) / 1000);
    query.addBindValue((toMs + 999) / 1000);
    if (tenant)
        query.addBindValue(*tenant);
    if (!query.exec()) {
        fail(query);
        return result;
    }
    const auto average = [](const QByteArray &packed, VmMetric metric) {
        const qsizetype at = qsizetype(sizeof(float)) * int(metric);
        if (packed.size() != qsizetype(sizeof(float)) * 2 * VmMetricCount)
            return std::numeric_limits<float>::quiet_NaN();
        return qFromLittleEndian<float>(packed.constData() + at);
    };
    while (query.next()) {
        HistoryUsageRow row;
        row.uuid = query.value(0).toString();
        row.label = query.value(1).toString();
        row.startMs = query.value(2).toLongLong() * 1000;
        const QByteArray packed = query.value(3).toByteArray();
        row.usage = usageAt(query, 4);
        row.cpuPercent = average(packed, VmMetric::CpuPercent);
        row.netRxBytesPerSec = average(packed, VmMetric::NetRxBytesPerSec);
        row.netTxBytesPerSec = average(packed, VmMetric::NetTxBytesPerSec);
        result.append(row);
    }
    return result;
}

bool HistoryDatabase::setLabel(const HistoryKey &key, const QString &label)
{
    if (!m_open || label.isEmpty())
        return false;
    const std::optional<qint64> id = seriesId(key, true);
    if (!id)
        return false;
    if (const auto it = m_labels.constFind(*id); it != m_labels.cend() && *it == label)
        return true;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("UPDATE series SET label = ? WHERE id = ?"));
    query.addBindValue(label);
    query.addBindValue(*id);
    if (!query.exec())
        return fail(query);
    m_labels.insert(*id, label);
    return true;
}

bool HistoryDatabase::checkpoint()
{
    return m_open && exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

qint64 HistoryDatabase::fileBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

} // namespace Vigie
