#pragma once

#include "network/ovsdbchangeset.h"
#include "network/ovsdbdatum.h"
#include "network/ovsdbrow.h"
#include "network/ovsdbschema.h"

#include <QHash>
#include <QJsonValue>
#include <QString>

namespace Vigie {

// The client's replica of the monitored tables: rows keyed by uuid, fed with the table updates of
// monitor replies and update/update2/update3 notifications, checked against the schema. An
// update is applied whole or not at all, so a protocol error leaves the cache as it was.
class OvsdbCache
{
public:
    // "update" is RFC 7047's <table-updates> (old/new); "update2" is ovsdb-server(7)'s
    // <table-updates2> (initial/insert/modify/delete), also carried by update3.
    enum class Format { Update, Update2 };

    void setSchema(const OvsdbSchema &schema) { m_schema = schema; }
    [[nodiscard]] const OvsdbSchema &schema() const { return m_schema; }

    // Applies table updates; on a protocol error returns false with *error and changes nothing.
    bool apply(const QJsonValue &tableUpdates, Format format, OvsdbChangeSet *changes, QString *error);
    // Replaces the whole content with a full snapshot (a resync): rows missing from it are
    // reported as deleted, so no stale row survives. All or nothing, like apply().
    bool replace(const QJsonValue &tableUpdates, Format format, OvsdbChangeSet *changes, QString *error);
    // The same in two steps. build() reads a full snapshot into a new cache and touches nothing
    // else, so a large one can be read on another thread; replace() then takes it in.
    [[nodiscard]] static bool build(const OvsdbSchema &schema, const QJsonValue &tableUpdates, Format format,
                                    OvsdbCache *fresh, QString *error);
    void replace(OvsdbCache &&fresh, OvsdbChangeSet *changes);
    void clear(OvsdbChangeSet *changes = nullptr);

    [[nodiscard]] const OvsdbRow *row(const QString &table, const QString &uuid) const;
    [[nodiscard]] QHash<QString, OvsdbRow> table(const QString &name) const { return m_tables.value(name); }
    [[nodiscard]] qsizetype rowCount(const QString &table) const { return m_tables.value(table).size(); }
    [[nodiscard]] qsizetype rowCount() const;
    // A column of a row, or the column's default (empty datum) when unset or unknown.
    [[nodiscard]] OvsdbDatum value(const QString &table, const QString &uuid, const QString &column) const;

private:
    QHash<QString, QHash<QString, OvsdbRow>> m_tables;
    OvsdbSchema m_schema;
};

} // namespace Vigie
