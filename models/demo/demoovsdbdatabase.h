#pragma once

#include "network/ovsdbrow.h"
#include "network/ovsdbschema.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// The content of one OVSDB database held in memory, with RFC 7047's transactions applied to it the
// way ovsdb-server applies them: operations in order on a working copy, named uuids, "wait" with
// a zero timeout, then garbage collection of unreferenced non-root rows, weak references to
// deleted rows dropped, strong references and indexes checked, and all of it committed or none.
// The demo controller's databases; a fixture for tests.
class DemoOvsdbDatabase
{
public:
    using Table = QMap<QString, OvsdbRow>; // by uuid, sorted: deterministic dumps and snapshots
    using Tables = QHash<QString, Table>;

    // What a committed transaction changed: per table and uuid, the row before (nullopt: inserted)
    // and after (nullopt: deleted).
    struct Change
    {
        std::optional<OvsdbRow> before;
        std::optional<OvsdbRow> after;
    };
    struct Commit
    {
        QString transactionId;
        QHash<QString, QMap<QString, Change>> tables;
        [[nodiscard]] bool isEmpty() const { return tables.isEmpty(); }
    };

    // SCHEMA is a <database-schema> (what get_schema returns); CONTENT is {table: {uuid: row}}
    // with rows in the wire form of RFC 7047 5.1. All or nothing; false with *error.
    bool load(const QJsonObject &schema, const QJsonObject &content, QString *error);

    [[nodiscard]] QString name() const { return m_schema.name(); }
    [[nodiscard]] const OvsdbSchema &schema() const { return m_schema; }
    [[nodiscard]] const QJsonObject &schemaJson() const { return m_schemaJson; }
    [[nodiscard]] const Tables &tables() const { return m_tables; }
    [[nodiscard]] QString lastTransactionId() const { return m_lastTransactionId; }

    // transact's operations (the params after the database name). Returns the result array
    // (RFC 7047 4.1.3: one element per operation, an error object where one failed, null after
    // it, and an extra error when the commit itself fails); *commit says what changed.
    QJsonArray transact(const QJsonArray &operations, Commit *commit);

    // A row's columns in wire form (COLUMNS empty: all of them).
    [[nodiscard]] QJsonObject rowToJson(const QString &table, const OvsdbRow &row, const QStringList &columns = {}) const;
    // An update2 "modify" diff of the COLUMNS (empty: all) that differ between two versions of a
    // row (ovsdb-server(7)); empty when none differs.
    [[nodiscard]] QJsonObject rowDiff(const QString &table, const OvsdbRow &before, const OvsdbRow &after,
                                      const QStringList &columns = {}) const;

private:
    struct Reference
    {
        QString refTable;
        bool weak = false;
        bool inKey = true; // a map's key or value
    };

    [[nodiscard]] OvsdbRow defaultRow(const QString &table) const;
    bool finishTransaction(Tables &work, QJsonObject *error) const;

    OvsdbSchema m_schema;
    QJsonObject m_schemaJson;
    // table -> column -> the references it holds (a map may refer through key and value)
    QHash<QString, QHash<QString, QList<Reference>>> m_references;
    Tables m_tables;
    QString m_lastTransactionId;
};

} // namespace Vigie
