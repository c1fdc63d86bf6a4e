#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <utility>

namespace Vigie::OvsdbOps {

// Pieces of OVSDB transactions (RFC 7047 section 5.2), as Vigie writes them.
[[nodiscard]] QJsonArray uuid(const QString &value);
[[nodiscard]] QJsonArray whereUuid(const QString &value);
[[nodiscard]] QJsonArray uuidSet(const QStringList &values);
[[nodiscard]] QJsonArray stringSet(const QStringList &values);
[[nodiscard]] QJsonArray stringMap(const QList<std::pair<QString, QString>> &pairs);
// Fails at once (timeout 0) unless the rows of TABLE matching WHERE, reduced to COLUMNS, are
// exactly ROWS: the transaction acts only on the picture Vigie read.
[[nodiscard]] QJsonObject waitFor(const QString &table, const QJsonArray &where, const QStringList &columns, const QJsonArray &rows);
[[nodiscard]] QJsonObject update(const QString &table, const QJsonArray &where, const QJsonObject &row);
// Written to the database's log with the transaction.
[[nodiscard]] QJsonObject comment(const QString &text);

} // namespace Vigie::OvsdbOps
