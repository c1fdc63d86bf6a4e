#include "ovsdbschema.h"

#include <QJsonArray>

namespace Vigie {

namespace {

std::optional<OvsdbBaseType> parseBaseType(const QJsonValue &json, QString *error)
{
    OvsdbBaseType base;
    QString typeName;
    if (json.isString()) {
        typeName = json.toString();
    } else if (json.isObject()) {
        typeName = json[QLatin1String("type")].toString();
        base.refTable = json[QLatin1String("refTable")].toString();
    } else {
        *error = QStringLiteral("base type is neither a string nor an object");
        return std::nullopt;
    }
    if (typeName == u"integer")
        base.type = OvsdbAtomicType::Integer;
    else if (typeName == u"real")
        base.type = OvsdbAtomicType::Real;
    else if (typeName == u"boolean")
        base.type = OvsdbAtomicType::Boolean;
    else if (typeName == u"string")
        base.type = OvsdbAtomicType::String;
    else if (typeName == u"uuid")
        base.type = OvsdbAtomicType::Uuid;
    else {
        *error = QStringLiteral("unknown atomic type \"%1\"").arg(typeName);
        return std::nullopt;
    }
    return base;
}

std::optional<OvsdbColumnType> parseColumnType(const QJsonValue &json, QString *error)
{
    OvsdbColumnType type;
    if (!json.isObject()) {
        const std::optional<OvsdbBaseType> key = parseBaseType(json, error);
        if (!key)
            return std::nullopt;
        type.key = *key;
        return type;
    }
    const QJsonObject o = json.toObject();
    const std::optional<OvsdbBaseType> key = parseBaseType(o.value(QLatin1String("key")), error);
    if (!key)
        return std::nullopt;
    type.key = *key;
    if (o.contains(QLatin1String("value"))) {
        type.value = parseBaseType(o.value(QLatin1String("value")), error);
        if (!type.value)
            return std::nullopt;
    }
    const QJsonValue min = o.value(QLatin1String("min"));
    const QJsonValue max = o.value(QLatin1String("max"));
    if (!min.isUndefined()) {
        if (!min.isDouble() || min.toInteger(-1) < 0 || min.toInteger() > 1) {
            *error = QStringLiteral("invalid min");
            return std::nullopt;
        }
        type.min = int(min.toInteger());
    }
    if (max.isString() && max.toString() == u"unlimited") {
        type.max = OvsdbColumnType::Unlimited;
    } else if (!max.isUndefined()) {
        if (!max.isDouble() || max.toInteger(0) < 1) {
            *error = QStringLiteral("invalid max");
            return std::nullopt;
        }
        type.max = int(std::min<qint64>(max.toInteger(), std::numeric_limits<int>::max()));
    }
    return type;
}

} // namespace

OvsdbSchema OvsdbSchema::fromJson(const QJsonObject &json, QString *error)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    OvsdbSchema schema;
    const QString name = json.value(QLatin1String("name")).toString();
    if (name.isEmpty()) {
        err = QStringLiteral("schema has no name");
        return {};
    }
    const QJsonValue tables = json.value(QLatin1String("tables"));
    if (!tables.isObject()) {
        err = QStringLiteral("schema %1 has no tables object").arg(name);
        return {};
    }
    const QJsonObject tableObject = tables.toObject();
    for (auto t = tableObject.begin(); t != tableObject.end(); ++t) {
        const QJsonObject tableJson = t.value().toObject();
        const QJsonObject columns = tableJson.value(QLatin1String("columns")).toObject();
        Table table;
        table.isRoot = tableJson.value(QLatin1String("isRoot")).toBool();
        for (auto c = columns.begin(); c != columns.end(); ++c) {
            QString why;
            const std::optional<OvsdbColumnType> type = parseColumnType(c.value().toObject().value(QLatin1String("type")), &why);
            if (!type) {
                err = QStringLiteral("schema %1, column %2.%3: %4").arg(name, t.key(), c.key(), why);
                return {};
            }
            table.columns.insert(c.key(), *type);
        }
        for (const QJsonValue &index : tableJson.value(QLatin1String("indexes")).toArray()) {
            QStringList indexColumns;
            for (const QJsonValue &column : index.toArray())
                indexColumns.append(column.toString());
            table.indexes.append(indexColumns);
        }
        schema.m_tables.insert(t.key(), table);
    }
    schema.m_name = name;
    schema.m_version = json.value(QLatin1String("version")).toString();
    return schema;
}

const OvsdbSchema::Table *OvsdbSchema::table(const QString &name) const
{
    const auto it = m_tables.constFind(name);
    return it == m_tables.cend() ? nullptr : &it.value();
}

const OvsdbColumnType *OvsdbSchema::column(const QString &table, const QString &column) const
{
    static const OvsdbColumnType uuidType{OvsdbBaseType{OvsdbAtomicType::Uuid, {}}, std::nullopt, 1, 1};
    const Table *t = this->table(table);
    if (!t)
        return nullptr;
    const auto it = t->columns.constFind(column);
    if (it != t->columns.cend())
        return &it.value();
    if (column == u"_uuid" || column == u"_version")
        return &uuidType;
    return nullptr;
}

QString OvsdbSchema::sharedColumnName(const QString &table, const QString &column) const
{
    const Table *t = this->table(table);
    if (!t)
        return column;
    const auto it = t->columns.constFind(column);
    return it == t->columns.cend() ? column : it.key();
}

} // namespace Vigie
