#include "ovsdbops.h"

namespace Vigie::OvsdbOps {

QJsonArray uuid(const QString &value)
{
    return {QStringLiteral("uuid"), value};
}

QJsonArray whereUuid(const QString &value)
{
    return {QJsonArray{QStringLiteral("_uuid"), QStringLiteral("=="), uuid(value)}};
}

QJsonArray uuidSet(const QStringList &values)
{
    QJsonArray set;
    for (const QString &value : values)
        set.append(uuid(value));
    return {QStringLiteral("set"), set};
}

QJsonArray stringSet(const QStringList &values)
{
    return {QStringLiteral("set"), QJsonArray::fromStringList(values)};
}

QJsonArray stringMap(const QList<std::pair<QString, QString>> &pairs)
{
    QJsonArray map;
    for (const auto &[key, value] : pairs)
        map.append(QJsonArray{key, value});
    return {QStringLiteral("map"), map};
}

QJsonObject waitFor(const QString &table, const QJsonArray &where, const QStringList &columns, const QJsonArray &rows)
{
    return {{QStringLiteral("op"), QStringLiteral("wait")},
            {QStringLiteral("timeout"), 0},
            {QStringLiteral("table"), table},
            {QStringLiteral("where"), where},
            {QStringLiteral("columns"), QJsonArray::fromStringList(columns)},
            {QStringLiteral("until"), QStringLiteral("==")},
            {QStringLiteral("rows"), rows}};
}

QJsonObject update(const QString &table, const QJsonArray &where, const QJsonObject &row)
{
    return {{QStringLiteral("op"), QStringLiteral("update")},
            {QStringLiteral("table"), table},
            {QStringLiteral("where"), where},
            {QStringLiteral("row"), row}};
}

QJsonObject comment(const QString &text)
{
    return {{QStringLiteral("op"), QStringLiteral("comment")}, {QStringLiteral("comment"), text}};
}

} // namespace Vigie::OvsdbOps
