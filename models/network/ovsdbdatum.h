#pragma once

#include "network/ovsdbtype.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Vigie {

// A column's value (RFC 7047 5.1 <value>): a set of atoms, or a map when values is filled in.
// Atoms are QVariants holding qint64, double, bool or QString; uuids are their string (the
// column type says they are uuids). QVariant rather than QJsonValue: a cache of 20,000 rows
// costs a fraction of the memory.
class OvsdbDatum
{
public:
    OvsdbDatum() = default;
    // One atom in OVSDB's JSON notation (a uuid as ["uuid", "..."]).
    [[nodiscard]] static QJsonValue atomToJson(const QVariant &atom, const OvsdbBaseType &base);
    static OvsdbDatum atom(const QVariant &atom) { OvsdbDatum d; d.m_keys.append(atom); return d; }

    // Decodes the wire form (<atom>, ["set", [...]], ["map", [[k, v], ...]], ["uuid", "..."])
    // checked against the column type; on failure returns nullopt and sets *error.
    // Diffs of update2 "modify" may exceed the column's size bounds (a changed optional scalar
    // lists both values), hence CheckBounds::No for them.
    enum class CheckBounds { Yes, No };
    [[nodiscard]] static std::optional<OvsdbDatum> fromJson(const QJsonValue &json, const OvsdbColumnType &type, QString *error,
                                                            CheckBounds bounds = CheckBounds::Yes);
    [[nodiscard]] static bool isUuid(const QString &text);
    [[nodiscard]] QJsonValue toJson(const OvsdbColumnType &type) const;

    // update2 "modify" (ovsdb-server(7)): a scalar is replaced; a set takes the symmetric
    // difference with the diff; a map adds keys it lacks, removes keys whose diff value equals its
    // own and replaces the value of the others. Returns false with *error if the result breaks
    // the column's size bounds.
    bool applyDiff(const OvsdbDatum &diff, const OvsdbColumnType &type, QString *error);

    [[nodiscard]] bool isEmpty() const { return m_keys.isEmpty(); }
    [[nodiscard]] qsizetype size() const { return m_keys.size(); }
    [[nodiscard]] bool isMap() const { return !m_values.isEmpty() || m_map; }
    [[nodiscard]] const QList<QVariant> &keys() const { return m_keys; }
    [[nodiscard]] const QList<QVariant> &values() const { return m_values; }

    // Convenience reads; an empty datum gives the type's default.
    [[nodiscard]] QString toString() const;
    [[nodiscard]] qint64 toInteger(qint64 defaultValue = 0) const;
    [[nodiscard]] bool toBool(bool defaultValue = false) const;
    [[nodiscard]] QStringList toStringList() const;
    [[nodiscard]] QMap<QString, QString> toStringMap() const;
    [[nodiscard]] QString value(const QString &key) const; // map lookup

    friend bool operator==(const OvsdbDatum &, const OvsdbDatum &) = default;

private:
    static std::optional<OvsdbDatum> decode(const QJsonValue &json, const OvsdbColumnType &type, QString *error);

    QList<QVariant> m_keys;
    QList<QVariant> m_values;
    bool m_map = false;
};

} // namespace Vigie
