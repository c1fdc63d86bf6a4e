#include "ovsdbcache.h"

#include "freeaside.h"

#include <QJsonObject>

#include <optional>

namespace Vigie {

const OvsdbRow *OvsdbCache::row(const QString &table, const QString &uuid) const
{
    const auto t = m_tables.constFind(table);
    if (t == m_tables.cend())
        return nullptr;
    const auto r = t->constFind(uuid);
    return r == t->cend() ? nullptr : &r.value();
}

qsizetype OvsdbCache::rowCount() const
{
    qsizetype n = 0;
    for (const auto &t : m_tables)
        n += t.size();
    return n;
}

OvsdbDatum OvsdbCache::value(const QString &table, const QString &uuid, const QString &column) const
{
    const OvsdbRow *r = row(table, uuid);
    return r ? r->value(column) : OvsdbDatum();
}

void OvsdbCache::clear(OvsdbChangeSet *changes)
{
    if (changes) {
        for (auto t = m_tables.cbegin(); t != m_tables.cend(); ++t) {
            for (auto r = t->cbegin(); r != t->cend(); ++r)
                changes->tables[t.key()].insert(r.key(), OvsdbChangeSet::Kind::Delete);
        }
    }
    m_tables.clear();
}

bool OvsdbCache::apply(const QJsonValue &tableUpdates, Format format, OvsdbChangeSet *changes, QString *error)
{
    if (!tableUpdates.isObject()) {
        *error = QStringLiteral("table updates are not a JSON object");
        return false;
    }
    // Staged results: the final content of each touched row (nullopt: deleted). Committed only
    // once the whole update has been checked.
    struct Staged
    {
        QString table;
        QString uuid;
        std::optional<OvsdbRow> row;
        OvsdbChangeSet::Kind kind;
    };
    QList<Staged> staged;
    const QJsonObject tables = tableUpdates.toObject();

    const auto parseRow = [&](const QString &table, const QJsonValue &json, OvsdbRow *row, bool diff, QString *why) {
        if (!json.isObject()) {
            *why = QStringLiteral("row is not a JSON object");
            return false;
        }
        const QJsonObject columns = json.toObject();
        for (auto c = columns.begin(); c != columns.end(); ++c) {
            const OvsdbColumnType *type = m_schema.column(table, c.key());
            if (!type) {
                *why = QStringLiteral("unknown column %1").arg(c.key());
                return false;
            }
            QString datumError;
            const std::optional<OvsdbDatum> datum = OvsdbDatum::fromJson(
                c.value(), *type, &datumError, diff ? OvsdbDatum::CheckBounds::No : OvsdbDatum::CheckBounds::Yes);
            if (!datum) {
                *why = QStringLiteral("column %1: %2").arg(c.key(), datumError);
                return false;
            }
            if (!diff) {
                row->insert(m_schema.sharedColumnName(table, c.key()), *datum);
                continue;
            }
            OvsdbDatum current = row->value(c.key());
            if (!current.applyDiff(*datum, *type, &datumError)) {
                *why = QStringLiteral("column %1: after modify, %2").arg(c.key(), datumError);
                return false;
            }
            if (current.isEmpty() && !type->isScalar())
                row->remove(c.key());
            else
                row->insert(m_schema.sharedColumnName(table, c.key()), current);
        }
        return true;
    };

    for (auto t = tables.begin(); t != tables.end(); ++t) {
        const QString &table = t.key();
        if (!m_schema.hasTable(table)) {
            *error = QStringLiteral("update for unknown table %1").arg(table);
            return false;
        }
        if (!t.value().isObject()) {
            *error = QStringLiteral("update for table %1 is not a JSON object").arg(table);
            return false;
        }
        const QHash<QString, OvsdbRow> &current = m_tables[table];
        const QJsonObject rows = t.value().toObject();
        for (auto r = rows.begin(); r != rows.end(); ++r) {
            const QString uuid = r.key().toLower();
            const auto fail = [&](const QString &why) {
                *error = QStringLiteral("table %1, row %2: %3").arg(table, r.key(), why);
                return false;
            };
            if (!OvsdbDatum::isUuid(uuid))
                return fail(QStringLiteral("row key is not a uuid"));
            if (!r.value().isObject())
                return fail(QStringLiteral("row update is not a JSON object"));
            const QJsonObject update = r.value().toObject();
            const auto existing = current.constFind(uuid);
            const bool exists = existing != current.cend();
            QString why;
            if (format == Format::Update2) {
                if (update.size() != 1)
                    return fail(QStringLiteral("row update2 needs exactly one of initial, insert, modify, delete"));
                const QString op = update.begin().key();
                const QJsonValue body = update.begin().value();
                if (op == u"initial" || op == u"insert") {
                    if (exists)
                        return fail(QStringLiteral("%1 of a row that already exists (duplicate uuid)").arg(op));
                    OvsdbRow row;
                    if (!parseRow(table, body, &row, false, &why))
                        return fail(why);
                    staged.append({table, uuid, row, OvsdbChangeSet::Kind::Insert});
                } else if (op == u"modify") {
                    if (!exists)
                        return fail(QStringLiteral("modify of an unknown row"));
                    OvsdbRow row = existing.value();
                    if (!parseRow(table, body, &row, true, &why))
                        return fail(why);
                    staged.append({table, uuid, row, OvsdbChangeSet::Kind::Modify});
                } else if (op == u"delete") {
                    if (!exists)
                        return fail(QStringLiteral("delete of an unknown row"));
                    staged.append({table, uuid, std::nullopt, OvsdbChangeSet::Kind::Delete});
                } else {
                    return fail(QStringLiteral("unknown row update2 operation \"%1\"").arg(op));
                }
                continue;
            }
            const bool hasOld = update.contains(QLatin1String("old"));
            const bool hasNew = update.contains(QLatin1String("new"));
            if (hasNew && !hasOld) {
                if (exists)
                    return fail(QStringLiteral("insert of a row that already exists (duplicate uuid)"));
                OvsdbRow row;
                if (!parseRow(table, update.value(QLatin1String("new")), &row, false, &why))
                    return fail(why);
                staged.append({table, uuid, row, OvsdbChangeSet::Kind::Insert});
            } else if (hasOld && !hasNew) {
                if (!exists)
                    return fail(QStringLiteral("delete of an unknown row"));
                staged.append({table, uuid, std::nullopt, OvsdbChangeSet::Kind::Delete});
            } else if (hasOld && hasNew) {
                if (!exists)
                    return fail(QStringLiteral("modify of an unknown row"));
                OvsdbRow row = existing.value();
                if (!parseRow(table, update.value(QLatin1String("new")), &row, false, &why))
                    return fail(why);
                staged.append({table, uuid, row, OvsdbChangeSet::Kind::Modify});
            } else {
                return fail(QStringLiteral("row update has neither old nor new"));
            }
        }
    }

    for (Staged &s : staged) {
        QHash<QString, OvsdbRow> &rows = m_tables[s.table];
        if (s.row)
            rows.insert(s.uuid, std::move(*s.row));
        else
            rows.remove(s.uuid);
        if (changes) {
            auto &kinds = changes->tables[s.table];
            const auto previous = kinds.constFind(s.uuid);
            // Several updates may be folded into one change set: inserted then deleted is nothing,
            // inserted then modified stays an insert.
            if (previous != kinds.cend() && *previous == OvsdbChangeSet::Kind::Insert) {
                if (s.kind == OvsdbChangeSet::Kind::Delete)
                    kinds.remove(s.uuid);
            } else if (previous != kinds.cend() && *previous == OvsdbChangeSet::Kind::Delete
                       && s.kind == OvsdbChangeSet::Kind::Insert) {
                kinds.insert(s.uuid, OvsdbChangeSet::Kind::Modify);
            } else {
                kinds.insert(s.uuid, s.kind);
            }
            if (kinds.isEmpty())
                changes->tables.remove(s.table);
        }
    }
    for (auto it = m_tables.begin(); it != m_tables.end();) {
        if (it->isEmpty())
            it = m_tables.erase(it);
        else
            ++it;
    }
    return true;
}

bool OvsdbCache::build(const OvsdbSchema &schema, const QJsonValue &tableUpdates, Format format, OvsdbCache *fresh,
                       QString *error)
{
    *fresh = OvsdbCache();
    fresh->m_schema = schema;
    return fresh->apply(tableUpdates, format, nullptr, error);
}

bool OvsdbCache::replace(const QJsonValue &tableUpdates, Format format, OvsdbChangeSet *changes, QString *error)
{
    OvsdbCache fresh;
    if (!build(m_schema, tableUpdates, format, &fresh, error))
        return false;
    replace(std::move(fresh), changes);
    return true;
}

void OvsdbCache::replace(OvsdbCache &&fresh, OvsdbChangeSet *changes)
{
    if (changes) {
        for (auto t = m_tables.cbegin(); t != m_tables.cend(); ++t) {
            const QHash<QString, OvsdbRow> newRows = fresh.m_tables.value(t.key());
            for (auto r = t->cbegin(); r != t->cend(); ++r) {
                const auto n = newRows.constFind(r.key());
                if (n == newRows.cend())
                    changes->tables[t.key()].insert(r.key(), OvsdbChangeSet::Kind::Delete);
                else if (n.value() != r.value())
                    changes->tables[t.key()].insert(r.key(), OvsdbChangeSet::Kind::Modify);
            }
        }
        for (auto t = fresh.m_tables.cbegin(); t != fresh.m_tables.cend(); ++t) {
            const QHash<QString, OvsdbRow> oldRows = m_tables.value(t.key());
            for (auto r = t->cbegin(); r != t->cend(); ++r) {
                if (!oldRows.contains(r.key()))
                    changes->tables[t.key()].insert(r.key(), OvsdbChangeSet::Kind::Insert);
            }
        }
    }
    freeAside(m_tables); // a resync's old rows: thousands, freed off this thread
    m_tables = std::move(fresh.m_tables);
}

} // namespace Vigie
