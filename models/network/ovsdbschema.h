#pragma once

#include "network/ovsdbtype.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Vigie {

// A database schema as get_schema returns it (RFC 7047 3.2), reduced to what the client checks:
// tables, their columns' types and their indexes.
class OvsdbSchema
{
public:
    struct Table
    {
        QHash<QString, OvsdbColumnType> columns;
        QList<QStringList> indexes;
        bool isRoot = false;
    };

    // Parses a <database-schema>; on failure returns an invalid schema and sets *error.
    [[nodiscard]] static OvsdbSchema fromJson(const QJsonObject &json, QString *error);

    [[nodiscard]] bool isValid() const { return !m_name.isEmpty(); }
    [[nodiscard]] QString name() const { return m_name; }
    [[nodiscard]] QString version() const { return m_version; }
    [[nodiscard]] bool hasTable(const QString &table) const { return m_tables.contains(table); }
    [[nodiscard]] const Table *table(const QString &name) const;
    [[nodiscard]] QStringList tableNames() const { return m_tables.keys(); }
    // The column's type, or nullptr for an unknown column. _uuid and _version are uuids.
    [[nodiscard]] const OvsdbColumnType *column(const QString &table, const QString &column) const;
    // The schema's own copy of a column name (implicitly shared), so that 20,000 cached rows do
    // not each hold their own copy of every key; the argument itself when unknown.
    [[nodiscard]] QString sharedColumnName(const QString &table, const QString &column) const;

private:
    QString m_name;
    QString m_version;
    QHash<QString, Table> m_tables;
};

} // namespace Vigie
