#include "demoovsdbdatabase.h"

#include <QSet>
#include <QUuid>

#include <algorithm>

namespace Vigie {

namespace {

using NamedUuids = QHash<QString, QString>;

// An operation failed: RFC 7047's <error> object.
struct OpError
{
    QString error;
    QString details;
    [[nodiscard]] QJsonObject toJson() const
    {
        QJsonObject o{{QStringLiteral("error"), error}};
        if (!details.isEmpty())
            o.insert(QStringLiteral("details"), details);
        return o;
    }
};

OpError syntaxError(const QString &details)
{
    return {QStringLiteral("syntax error"), details};
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QVariant defaultAtom(const OvsdbBaseType &base)
{
    switch (base.type) {
    case OvsdbAtomicType::Integer: return QVariant(qint64(0));
    case OvsdbAtomicType::Real: return QVariant(0.0);
    case OvsdbAtomicType::Boolean: return QVariant(false);
    case OvsdbAtomicType::String: return QVariant(QString());
    case OvsdbAtomicType::Uuid: return QVariant(QStringLiteral("00000000-0000-0000-0000-000000000000"));
    }
    return {};
}

// A datum from element lists (VALUES empty unless TYPE is a map), through the wire form so that
// OvsdbDatum keeps its own invariants. Bounds are the caller's to check.
OvsdbDatum makeDatum(const QList<QVariant> &keys, const QList<QVariant> &values, const OvsdbColumnType &type)
{
    QJsonArray elements;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (type.isMap())
            elements.append(QJsonArray{OvsdbDatum::atomToJson(keys.at(i), type.key), OvsdbDatum::atomToJson(values.value(i), *type.value)});
        else
            elements.append(OvsdbDatum::atomToJson(keys.at(i), type.key));
    }
    QString ignored;
    const QJsonArray wire{type.isMap() ? QStringLiteral("map") : QStringLiteral("set"), elements};
    return OvsdbDatum::fromJson(wire, type, &ignored, OvsdbDatum::CheckBounds::No).value_or(OvsdbDatum());
}

bool withinBounds(const OvsdbDatum &datum, const OvsdbColumnType &type)
{
    return datum.size() >= type.min && (type.max == OvsdbColumnType::Unlimited || datum.size() <= type.max);
}

// Order-free form of a datum, for comparisons: sets and maps are unordered.
QStringList canonical(const OvsdbDatum &datum)
{
    QStringList elements;
    elements.reserve(datum.size());
    for (qsizetype i = 0; i < datum.size(); ++i) {
        QString element = datum.keys().at(i).toString();
        if (datum.isMap())
            element += u'\x1f' + datum.values().value(i).toString();
        elements.append(element);
    }
    elements.sort();
    return elements;
}

// ["named-uuid", NAME] atoms of uuid columns become the uuids the transaction gave those names.
std::optional<QJsonValue> resolveAtom(const QJsonValue &atom, const OvsdbBaseType &base, const NamedUuids &names, OpError *error)
{
    const QJsonArray a = atom.toArray();
    if (base.type != OvsdbAtomicType::Uuid || a.size() != 2 || a.at(0).toString() != u"named-uuid")
        return atom;
    const auto it = names.constFind(a.at(1).toString());
    if (it == names.cend()) {
        *error = syntaxError(QStringLiteral("unknown named-uuid \"%1\"").arg(a.at(1).toString()));
        return std::nullopt;
    }
    return QJsonValue(QJsonArray{QStringLiteral("uuid"), *it});
}

std::optional<QJsonValue> resolveNames(const QJsonValue &value, const OvsdbColumnType &type, const NamedUuids &names, OpError *error)
{
    const QJsonArray a = value.toArray();
    const QString tag = a.size() == 2 && a.at(1).isArray() ? a.at(0).toString() : QString();
    if (type.isMap() && tag == u"map") {
        QJsonArray pairs;
        for (const QJsonValue &pairValue : a.at(1).toArray()) {
            const QJsonArray pair = pairValue.toArray();
            if (pair.size() != 2)
                return pairValue; // the decoder reports it
            const std::optional<QJsonValue> key = resolveAtom(pair.at(0), type.key, names, error);
            const std::optional<QJsonValue> val = key ? resolveAtom(pair.at(1), *type.value, names, error) : std::nullopt;
            if (!val)
                return std::nullopt;
            pairs.append(QJsonArray{*key, *val});
        }
        return QJsonValue(QJsonArray{tag, pairs});
    }
    if (tag == u"set") {
        QJsonArray elements;
        for (const QJsonValue &element : a.at(1).toArray()) {
            const std::optional<QJsonValue> atom = resolveAtom(element, type.key, names, error);
            if (!atom)
                return std::nullopt;
            elements.append(*atom);
        }
        return QJsonValue(QJsonArray{tag, elements});
    }
    return resolveAtom(value, type.key, names, error);
}

std::optional<OvsdbDatum> decode(const QJsonValue &value, const OvsdbColumnType &type, const NamedUuids &names, OpError *error,
                                 OvsdbDatum::CheckBounds bounds = OvsdbDatum::CheckBounds::Yes)
{
    const std::optional<QJsonValue> resolved = resolveNames(value, type, names, error);
    if (!resolved)
        return std::nullopt;
    QString why;
    std::optional<OvsdbDatum> datum = OvsdbDatum::fromJson(*resolved, type, &why, bounds);
    if (!datum)
        *error = {QStringLiteral("constraint violation"), why};
    return datum;
}

bool sameRow(const OvsdbRow &a, const OvsdbRow &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.columns().at(i).first != b.columns().at(i).first
            || canonical(a.columns().at(i).second) != canonical(b.columns().at(i).second))
            return false;
    }
    return true;
}

struct Condition
{
    QString column;
    QString function;
    OvsdbDatum value;
    const OvsdbColumnType *type = nullptr;
};

OvsdbDatum columnValue(const QString &uuid, const OvsdbRow &row, const QString &column)
{
    if (column == u"_uuid")
        return OvsdbDatum::atom(uuid);
    return row.value(column);
}

bool includes(const OvsdbDatum &haystack, const OvsdbDatum &needles)
{
    const QStringList have = canonical(haystack);
    const QStringList want = canonical(needles);
    return std::all_of(want.cbegin(), want.cend(), [&have](const QString &e) { return have.contains(e); });
}

bool excludes(const OvsdbDatum &haystack, const OvsdbDatum &needles)
{
    const QStringList have = canonical(haystack);
    const QStringList unwanted = canonical(needles);
    return std::none_of(unwanted.cbegin(), unwanted.cend(), [&have](const QString &e) { return have.contains(e); });
}

bool holds(const Condition &c, const QString &uuid, const OvsdbRow &row)
{
    const OvsdbDatum actual = columnValue(uuid, row, c.column);
    if (c.function == u"==")
        return canonical(actual) == canonical(c.value);
    if (c.function == u"!=")
        return canonical(actual) != canonical(c.value);
    if (c.function == u"includes")
        return includes(actual, c.value);
    if (c.function == u"excludes")
        return excludes(actual, c.value);
    // <, <=, >, >=: integers and reals, on an optional scalar only when it has a value.
    if (actual.isEmpty() || c.value.isEmpty())
        return false;
    const double a = actual.keys().first().toDouble();
    const double b = c.value.keys().first().toDouble();
    if (c.function == u"<")
        return a < b;
    if (c.function == u"<=")
        return a <= b;
    if (c.function == u">")
        return a > b;
    return a >= b;
}

std::optional<QList<Condition>> parseWhere(const QJsonValue &where, const OvsdbSchema &schema, const QString &table,
                                           const NamedUuids &names, OpError *error)
{
    if (!where.isArray()) {
        *error = syntaxError(QStringLiteral("\"where\" is not an array"));
        return std::nullopt;
    }
    static const QStringList functions{QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("includes"),
                                       QStringLiteral("excludes"), QStringLiteral("<"), QStringLiteral("<="),
                                       QStringLiteral(">"), QStringLiteral(">=")};
    QList<Condition> conditions;
    for (const QJsonValue &value : where.toArray()) {
        const QJsonArray c = value.toArray();
        if (c.size() != 3 || !c.at(0).isString() || !functions.contains(c.at(1).toString())) {
            *error = syntaxError(QStringLiteral("a condition is [column, function, value]"));
            return std::nullopt;
        }
        Condition condition;
        condition.column = c.at(0).toString();
        condition.function = c.at(1).toString();
        condition.type = schema.column(table, condition.column);
        if (!condition.type) {
            *error = syntaxError(QStringLiteral("unknown column %1 in table %2").arg(condition.column, table));
            return std::nullopt;
        }
        const bool ordered = condition.function.startsWith(u'<') || condition.function.startsWith(u'>');
        if (ordered && (condition.type->isMap() || condition.type->max != 1
                        || (condition.type->key.type != OvsdbAtomicType::Integer && condition.type->key.type != OvsdbAtomicType::Real))) {
            *error = syntaxError(QStringLiteral("%1 applies to integers and reals only").arg(condition.function));
            return std::nullopt;
        }
        // includes/excludes take any subset; == and != a whole value of the column.
        const bool subset = condition.function == u"includes" || condition.function == u"excludes";
        const std::optional<OvsdbDatum> datum = decode(c.at(2), *condition.type, names, error,
                                                       subset ? OvsdbDatum::CheckBounds::No : OvsdbDatum::CheckBounds::Yes);
        if (!datum)
            return std::nullopt;
        condition.value = *datum;
        conditions.append(condition);
    }
    return conditions;
}

QList<QString> selectRows(const DemoOvsdbDatabase::Table &table, const QList<Condition> &conditions)
{
    QList<QString> uuids;
    for (auto it = table.cbegin(); it != table.cend(); ++it) {
        if (std::all_of(conditions.cbegin(), conditions.cend(), [&](const Condition &c) { return holds(c, it.key(), *it); }))
            uuids.append(it.key());
    }
    return uuids;
}

// A mutation of RFC 7047 5.1 applied to one value; false with *error.
bool mutate(OvsdbDatum &datum, const OvsdbColumnType &type, const QString &mutator, const QJsonValue &argument,
            const NamedUuids &names, OpError *error)
{
    if (type.isScalar() || (type.max == 1 && !type.isMap() && mutator != u"insert" && mutator != u"delete")) {
        // Arithmetic on integers and reals; an empty optional scalar stays empty.
        const bool integer = type.key.type == OvsdbAtomicType::Integer;
        if (!integer && type.key.type != OvsdbAtomicType::Real) {
            *error = {QStringLiteral("constraint violation"), QStringLiteral("%1 on a non-numeric column").arg(mutator)};
            return false;
        }
        OvsdbColumnType scalar = type;
        scalar.min = scalar.max = 1;
        const std::optional<OvsdbDatum> operand = decode(argument, scalar, names, error);
        if (!operand)
            return false;
        if (datum.isEmpty())
            return true;
        const QVariant a = datum.keys().first();
        const QVariant b = operand->keys().first();
        QVariant result;
        if (integer) {
            const qint64 x = a.toLongLong();
            const qint64 y = b.toLongLong();
            if ((mutator == u"/=" || mutator == u"%=") && y == 0) {
                *error = {QStringLiteral("domain error"), QStringLiteral("division by zero")};
                return false;
            }
            if (mutator == u"+=")
                result = x + y;
            else if (mutator == u"-=")
                result = x - y;
            else if (mutator == u"*=")
                result = x * y;
            else if (mutator == u"/=")
                result = x / y;
            else if (mutator == u"%=")
                result = x % y;
        } else {
            const double x = a.toDouble();
            const double y = b.toDouble();
            if (mutator == u"+=")
                result = x + y;
            else if (mutator == u"-=")
                result = x - y;
            else if (mutator == u"*=")
                result = x * y;
            else if (mutator == u"/=" && y != 0)
                result = x / y;
        }
        if (!result.isValid()) {
            *error = syntaxError(QStringLiteral("mutator %1 does not apply to this column").arg(mutator));
            return false;
        }
        datum = makeDatum({result}, {}, type);
        return true;
    }
    if (mutator != u"insert" && mutator != u"delete") {
        *error = syntaxError(QStringLiteral("mutator %1 does not apply to a set or a map").arg(mutator));
        return false;
    }
    QList<QVariant> keys = datum.keys();
    QList<QVariant> values = datum.values();
    if (mutator == u"insert") {
        const std::optional<OvsdbDatum> add = decode(argument, type, names, error, OvsdbDatum::CheckBounds::No);
        if (!add)
            return false;
        for (qsizetype i = 0; i < add->size(); ++i) {
            // A map keeps the value of a key it has already.
            if (keys.contains(add->keys().at(i)))
                continue;
            keys.append(add->keys().at(i));
            if (type.isMap())
                values.append(add->values().value(i));
        }
    } else if (type.isMap()) {
        // A map loses the pairs given as a map, or the keys given as a set.
        OvsdbColumnType keySet{type.key, std::nullopt, 0, OvsdbColumnType::Unlimited};
        OpError ignored;
        if (const std::optional<OvsdbDatum> pairs = decode(argument, type, names, &ignored, OvsdbDatum::CheckBounds::No)) {
            for (qsizetype i = 0; i < pairs->size(); ++i) {
                const qsizetype at = keys.indexOf(pairs->keys().at(i));
                if (at >= 0 && values.at(at) == pairs->values().value(i)) {
                    keys.removeAt(at);
                    values.removeAt(at);
                }
            }
        } else {
            const std::optional<OvsdbDatum> gone = decode(argument, keySet, names, error, OvsdbDatum::CheckBounds::No);
            if (!gone)
                return false;
            for (const QVariant &key : gone->keys()) {
                const qsizetype at = keys.indexOf(key);
                if (at >= 0) {
                    keys.removeAt(at);
                    values.removeAt(at);
                }
            }
        }
    } else {
        const std::optional<OvsdbDatum> gone = decode(argument, type, names, error, OvsdbDatum::CheckBounds::No);
        if (!gone)
            return false;
        for (const QVariant &key : gone->keys())
            keys.removeAll(key);
    }
    datum = makeDatum(keys, values, type);
    if (!withinBounds(datum, type)) {
        *error = {QStringLiteral("constraint violation"),
                  QStringLiteral("%1 elements where the column takes %2 to %3")
                      .arg(datum.size())
                      .arg(type.min)
                      .arg(type.max == OvsdbColumnType::Unlimited ? QStringLiteral("unlimited") : QString::number(type.max))};
        return false;
    }
    return true;
}

} // namespace

bool DemoOvsdbDatabase::load(const QJsonObject &schemaJson, const QJsonObject &content, QString *error)
{
    QString why;
    const OvsdbSchema schema = OvsdbSchema::fromJson(schemaJson, &why);
    if (!schema.isValid()) {
        *error = why;
        return false;
    }
    QHash<QString, QHash<QString, QList<Reference>>> references;
    const QJsonObject tablesJson = schemaJson.value(QLatin1String("tables")).toObject();
    for (auto t = tablesJson.begin(); t != tablesJson.end(); ++t) {
        const QJsonObject columns = t.value().toObject().value(QLatin1String("columns")).toObject();
        for (auto c = columns.begin(); c != columns.end(); ++c) {
            const QJsonObject type = c.value().toObject().value(QLatin1String("type")).toObject();
            for (const char *part : {"key", "value"}) {
                const QJsonObject base = type.value(QLatin1String(part)).toObject();
                const QString refTable = base.value(QLatin1String("refTable")).toString();
                if (refTable.isEmpty())
                    continue;
                if (!schema.hasTable(refTable)) {
                    *error = QStringLiteral("%1.%2 refers to the unknown table %3").arg(t.key(), c.key(), refTable);
                    return false;
                }
                references[t.key()][c.key()].append(
                    {refTable, base.value(QLatin1String("refType")).toString() == u"weak", qstrcmp(part, "key") == 0});
            }
        }
    }

    m_schema = schema;
    m_schemaJson = schemaJson;
    m_references = references;
    Tables tables;
    for (const QString &name : schema.tableNames())
        tables.insert(name, {});
    for (auto t = content.begin(); t != content.end(); ++t) {
        if (!schema.hasTable(t.key())) {
            *error = QStringLiteral("content has the unknown table %1").arg(t.key());
            return false;
        }
        const QJsonObject rows = t.value().toObject();
        for (auto r = rows.begin(); r != rows.end(); ++r) {
            if (!OvsdbDatum::isUuid(r.key())) {
                *error = QStringLiteral("row \"%1\" of %2 is not named by a uuid").arg(r.key(), t.key());
                return false;
            }
            OvsdbRow row = defaultRow(t.key());
            const QJsonObject columns = r.value().toObject();
            for (auto c = columns.begin(); c != columns.end(); ++c) {
                const OvsdbColumnType *type = schema.column(t.key(), c.key());
                OpError opError;
                const std::optional<OvsdbDatum> datum = type ? decode(c.value(), *type, {}, &opError) : std::nullopt;
                if (!datum) {
                    *error = QStringLiteral("%1 %2, column %3: %4").arg(t.key(), r.key(), c.key(),
                                                                        type ? opError.details : QStringLiteral("unknown column"));
                    return false;
                }
                row.insert(schema.sharedColumnName(t.key(), c.key()), *datum);
            }
            tables[t.key()].insert(r.key().toLower(), row);
        }
    }
    QJsonObject refusal;
    if (!finishTransaction(tables, &refusal)) {
        *error = QStringLiteral("content: %1 (%2)").arg(refusal.value(QLatin1String("error")).toString(),
                                                        refusal.value(QLatin1String("details")).toString());
        return false;
    }
    m_tables = tables;
    m_lastTransactionId = newUuid();
    return true;
}

OvsdbRow DemoOvsdbDatabase::defaultRow(const QString &table) const
{
    OvsdbRow row;
    const OvsdbSchema::Table *t = m_schema.table(table);
    if (!t)
        return row;
    for (auto it = t->columns.cbegin(); it != t->columns.cend(); ++it) {
        // RFC 7047 5.2.1: a column not given has its type's default, one default atom when the
        // column takes at least one.
        row.insert(it.key(), it->min >= 1 ? makeDatum({defaultAtom(it->key)}, {it->value ? defaultAtom(*it->value) : QVariant()}, *it)
                                          : makeDatum({}, {}, *it));
    }
    return row;
}

QJsonObject DemoOvsdbDatabase::rowToJson(const QString &table, const OvsdbRow &row, const QStringList &columns) const
{
    QJsonObject json;
    for (const OvsdbRow::Column &column : row.columns()) {
        if (!columns.isEmpty() && !columns.contains(column.first))
            continue;
        if (const OvsdbColumnType *type = m_schema.column(table, column.first))
            json.insert(column.first, column.second.toJson(*type));
    }
    return json;
}

QJsonObject DemoOvsdbDatabase::rowDiff(const QString &table, const OvsdbRow &before, const OvsdbRow &after,
                                       const QStringList &columns) const
{
    QJsonObject diff;
    for (const OvsdbRow::Column &column : after.columns()) {
        if (!columns.isEmpty() && !columns.contains(column.first))
            continue;
        const OvsdbColumnType *type = m_schema.column(table, column.first);
        const OvsdbDatum old = before.value(column.first);
        if (!type || canonical(old) == canonical(column.second))
            continue;
        if (type->max == 1) {
            // Like ovsdb-server: a column of at most one element is sent whole.
            diff.insert(column.first, column.second.toJson(*type));
            continue;
        }
        // Sets: the elements that come or go. Maps: the pairs that go (with their old value), come,
        // or change (with their new value).
        QList<QVariant> keys, values;
        const OvsdbDatum &now = column.second;
        for (qsizetype i = 0; i < old.size(); ++i) {
            const qsizetype at = now.keys().indexOf(old.keys().at(i));
            if (at < 0) {
                keys.append(old.keys().at(i));
                values.append(old.values().value(i));
            } else if (type->isMap() && now.values().value(at) != old.values().value(i)) {
                keys.append(now.keys().at(at));
                values.append(now.values().value(at));
            }
        }
        for (qsizetype i = 0; i < now.size(); ++i) {
            if (!old.keys().contains(now.keys().at(i))) {
                keys.append(now.keys().at(i));
                values.append(now.values().value(i));
            }
        }
        // Always the ["set", ...] / ["map", ...] form: a diff may hold more than the column takes.
        QJsonArray elements;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (type->isMap())
                elements.append(QJsonArray{OvsdbDatum::atomToJson(keys.at(i), type->key), OvsdbDatum::atomToJson(values.at(i), *type->value)});
            else
                elements.append(OvsdbDatum::atomToJson(keys.at(i), type->key));
        }
        diff.insert(column.first, QJsonArray{type->isMap() ? QStringLiteral("map") : QStringLiteral("set"), elements});
    }
    return diff;
}

QJsonArray DemoOvsdbDatabase::transact(const QJsonArray &operations, Commit *commit)
{
    Tables work = m_tables;
    QJsonArray results;
    NamedUuids names;
    const auto fail = [&](const OpError &error) {
        results.append(error.toJson());
        while (results.size() < operations.size())
            results.append(QJsonValue::Null);
        return results;
    };
    // Named uuids may be used before the insert that names them (ovsdb-server allows it).
    for (const QJsonValue &value : operations) {
        const QJsonObject op = value.toObject();
        if (op.value(QLatin1String("op")).toString() != u"insert" || !op.contains(QLatin1String("uuid-name")))
            continue;
        const QString name = op.value(QLatin1String("uuid-name")).toString();
        if (names.contains(name) || name.isEmpty())
            return fail({QStringLiteral("duplicate uuid-name"), name});
        names.insert(name, newUuid());
    }

    for (const QJsonValue &value : operations) {
        if (!value.isObject())
            return fail(syntaxError(QStringLiteral("an operation is an object")));
        const QJsonObject op = value.toObject();
        const QString kind = op.value(QLatin1String("op")).toString();
        if (kind == u"comment" || kind == u"commit") {
            results.append(QJsonObject{});
            continue;
        }
        if (kind == u"abort")
            return fail({QStringLiteral("aborted"), QStringLiteral("aborted by request")});
        const QString tableName = op.value(QLatin1String("table")).toString();
        const OvsdbSchema::Table *tableSchema = m_schema.table(tableName);
        if (!tableSchema)
            return fail(syntaxError(QStringLiteral("unknown table \"%1\"").arg(tableName)));
        Table &table = work[tableName];
        OpError error;

        const auto parseRow = [&](const QJsonValue &rowValue, OvsdbRow &row) -> bool {
            if (!rowValue.isObject() && !rowValue.isUndefined()) {
                error = syntaxError(QStringLiteral("\"row\" is not an object"));
                return false;
            }
            const QJsonObject columns = rowValue.toObject();
            for (auto c = columns.begin(); c != columns.end(); ++c) {
                const OvsdbColumnType *type = m_schema.column(tableName, c.key());
                if (!type || c.key().startsWith(u'_')) {
                    error = syntaxError(QStringLiteral("unknown or read-only column %1 in table %2").arg(c.key(), tableName));
                    return false;
                }
                const std::optional<OvsdbDatum> datum = decode(c.value(), *type, names, &error);
                if (!datum)
                    return false;
                row.insert(m_schema.sharedColumnName(tableName, c.key()), *datum);
            }
            return true;
        };

        if (kind == u"insert") {
            OvsdbRow row = defaultRow(tableName);
            if (!parseRow(op.value(QLatin1String("row")), row))
                return fail(error);
            QString uuid = names.value(op.value(QLatin1String("uuid-name")).toString(), newUuid());
            if (op.contains(QLatin1String("uuid"))) {
                uuid = op.value(QLatin1String("uuid")).toArray().at(1).toString().toLower();
                if (!OvsdbDatum::isUuid(uuid) || table.contains(uuid))
                    return fail({QStringLiteral("duplicate uuid"), uuid});
            }
            table.insert(uuid, row);
            results.append(QJsonObject{{QStringLiteral("uuid"), QJsonArray{QStringLiteral("uuid"), uuid}}});
            continue;
        }

        const std::optional<QList<Condition>> where = parseWhere(op.value(QLatin1String("where")), m_schema, tableName, names, &error);
        if (!where)
            return fail(error);
        const QList<QString> selected = selectRows(table, *where);

        if (kind == u"select") {
            const QJsonArray columnsJson = op.value(QLatin1String("columns")).toArray();
            QStringList columns;
            for (const QJsonValue &c : columnsJson)
                columns.append(c.toString());
            QJsonArray rows;
            for (const QString &uuid : selected) {
                QJsonObject row = rowToJson(tableName, table.value(uuid), columns);
                if (columns.isEmpty() || columns.contains(QLatin1String("_uuid")))
                    row.insert(QStringLiteral("_uuid"), QJsonArray{QStringLiteral("uuid"), uuid});
                rows.append(row);
            }
            results.append(QJsonObject{{QStringLiteral("rows"), rows}});
        } else if (kind == u"update") {
            OvsdbRow changes;
            if (!parseRow(op.value(QLatin1String("row")), changes))
                return fail(error);
            for (const QString &uuid : selected) {
                OvsdbRow &row = table[uuid];
                for (const OvsdbRow::Column &column : changes.columns())
                    row.insert(column.first, column.second);
            }
            results.append(QJsonObject{{QStringLiteral("count"), selected.size()}});
        } else if (kind == u"mutate") {
            const QJsonValue mutationsValue = op.value(QLatin1String("mutations"));
            if (!mutationsValue.isArray())
                return fail(syntaxError(QStringLiteral("\"mutations\" is not an array")));
            for (const QString &uuid : selected) {
                OvsdbRow row = table.value(uuid);
                for (const QJsonValue &m : mutationsValue.toArray()) {
                    const QJsonArray mutation = m.toArray();
                    const QString column = mutation.at(0).toString();
                    const OvsdbColumnType *type = m_schema.column(tableName, column);
                    if (mutation.size() != 3 || !type || column.startsWith(u'_'))
                        return fail(syntaxError(QStringLiteral("a mutation is [column, mutator, value] on a known column")));
                    OvsdbDatum datum = row.value(column);
                    if (!mutate(datum, *type, mutation.at(1).toString(), mutation.at(2), names, &error))
                        return fail(error);
                    row.insert(m_schema.sharedColumnName(tableName, column), datum);
                }
                table.insert(uuid, row);
            }
            results.append(QJsonObject{{QStringLiteral("count"), selected.size()}});
        } else if (kind == u"delete") {
            for (const QString &uuid : selected)
                table.remove(uuid);
            results.append(QJsonObject{{QStringLiteral("count"), selected.size()}});
        } else if (kind == u"wait") {
            const QString until = op.value(QLatin1String("until")).toString();
            if (until != u"==" && until != u"!=")
                return fail(syntaxError(QStringLiteral("\"until\" is == or !=")));
            QStringList columns;
            for (const QJsonValue &c : op.value(QLatin1String("columns")).toArray())
                columns.append(c.toString());
            for (const QString &column : std::as_const(columns)) {
                if (!m_schema.column(tableName, column))
                    return fail(syntaxError(QStringLiteral("unknown column %1 in table %2").arg(column, tableName)));
            }
            // The selected rows reduced to COLUMNS, against the expected ones, as multisets.
            QStringList actual, expected;
            for (const QString &uuid : selected) {
                QStringList projection;
                for (const QString &column : std::as_const(columns))
                    projection.append(canonical(columnValue(uuid, table.value(uuid), column)).join(u'\x1e'));
                actual.append(projection.join(u'\x1d'));
            }
            for (const QJsonValue &rowValue : op.value(QLatin1String("rows")).toArray()) {
                const QJsonObject rowJson = rowValue.toObject();
                QStringList projection;
                for (const QString &column : std::as_const(columns)) {
                    const std::optional<OvsdbDatum> datum = decode(rowJson.value(column), *m_schema.column(tableName, column), names, &error);
                    if (!datum)
                        return fail(error);
                    projection.append(canonical(*datum).join(u'\x1e'));
                }
                expected.append(projection.join(u'\x1d'));
            }
            actual.sort();
            expected.sort();
            // Nothing here ever waits: the demo never blocks its clients. A condition not met now
            // fails at once, as ovsdb-server does with timeout 0.
            if ((actual == expected) != (until == u"=="))
                return fail({QStringLiteral("timed out"), QStringLiteral("\"wait\" condition not met")});
            results.append(QJsonObject{});
        } else {
            return fail(syntaxError(QStringLiteral("unknown operation \"%1\"").arg(kind)));
        }
    }

    QJsonObject refusal;
    if (!finishTransaction(work, &refusal)) {
        results.append(refusal);
        return results;
    }

    Commit done;
    for (auto t = work.cbegin(); t != work.cend(); ++t) {
        const Table before = m_tables.value(t.key());
        QMap<QString, Change> changes;
        for (auto r = t->cbegin(); r != t->cend(); ++r) {
            const auto old = before.constFind(r.key());
            if (old == before.cend())
                changes.insert(r.key(), {std::nullopt, *r});
            else if (!sameRow(*old, *r))
                changes.insert(r.key(), {*old, *r});
        }
        for (auto r = before.cbegin(); r != before.cend(); ++r) {
            if (!t->contains(r.key()))
                changes.insert(r.key(), {*r, std::nullopt});
        }
        if (!changes.isEmpty())
            done.tables.insert(t.key(), changes);
    }
    if (!done.isEmpty()) {
        m_tables = work;
        m_lastTransactionId = newUuid();
    }
    done.transactionId = m_lastTransactionId;
    if (commit)
        *commit = done;
    return results;
}

bool DemoOvsdbDatabase::finishTransaction(Tables &work, QJsonObject *error) const
{
    // Garbage collection: a row of a non-root table that no strong reference keeps is deleted,
    // until nothing changes (a deleted row no longer keeps the rows it referred to).
    for (bool removed = true; removed;) {
        removed = false;
        QSet<QString> kept;
        for (auto t = m_references.cbegin(); t != m_references.cend(); ++t) {
            for (const OvsdbRow &row : std::as_const(work[t.key()])) {
                for (auto c = t->cbegin(); c != t->cend(); ++c) {
                    const OvsdbDatum datum = row.value(c.key());
                    for (const Reference &ref : *c) {
                        if (ref.weak)
                            continue;
                        for (const QVariant &target : ref.inKey ? datum.keys() : datum.values())
                            kept.insert(ref.refTable + u'|' + target.toString());
                    }
                }
            }
        }
        for (const QString &name : m_schema.tableNames()) {
            if (m_schema.table(name)->isRoot)
                continue;
            Table &table = work[name];
            for (auto it = table.begin(); it != table.end();) {
                if (kept.contains(name + u'|' + it.key())) {
                    ++it;
                } else {
                    it = table.erase(it);
                    removed = true;
                }
            }
        }
    }
    // Weak references to rows gone are dropped; strong ones are a referential integrity violation.
    for (auto t = m_references.cbegin(); t != m_references.cend(); ++t) {
        Table &table = work[t.key()];
        for (auto r = table.begin(); r != table.end(); ++r) {
            for (auto c = t->cbegin(); c != t->cend(); ++c) {
                const OvsdbColumnType *type = m_schema.column(t.key(), c.key());
                OvsdbDatum datum = r->value(c.key());
                QList<QVariant> keys = datum.keys();
                QList<QVariant> values = datum.values();
                bool dropped = false;
                for (qsizetype i = keys.size() - 1; i >= 0; --i) {
                    for (const Reference &ref : *c) {
                        const QString target = (ref.inKey ? keys.at(i) : values.value(i)).toString();
                        if (work.value(ref.refTable).contains(target))
                            continue;
                        if (!ref.weak) {
                            *error = QJsonObject{{QStringLiteral("error"), QStringLiteral("referential integrity violation")},
                                                 {QStringLiteral("details"),
                                                  QStringLiteral("%1 %2 column %3 refers to the missing %4 row %5")
                                                      .arg(t.key(), r.key(), c.key(), ref.refTable, target)}};
                            return false;
                        }
                        keys.removeAt(i);
                        if (type->isMap())
                            values.removeAt(i);
                        dropped = true;
                        break;
                    }
                }
                if (dropped) {
                    datum = makeDatum(keys, values, *type);
                    if (!withinBounds(datum, *type)) {
                        *error = QJsonObject{{QStringLiteral("error"), QStringLiteral("constraint violation")},
                                             {QStringLiteral("details"),
                                              QStringLiteral("%1 %2 column %3 lost a weak reference it needs").arg(t.key(), r.key(), c.key())}};
                        return false;
                    }
                    r->insert(c.key(), datum);
                }
            }
        }
    }
    // Indexes: no two rows share the values of an index's columns.
    for (const QString &name : m_schema.tableNames()) {
        for (const QStringList &index : m_schema.table(name)->indexes) {
            QHash<QString, QString> seen;
            const Table &table = work[name];
            for (auto r = table.cbegin(); r != table.cend(); ++r) {
                QStringList key;
                for (const QString &column : index)
                    key.append(canonical(r->value(column)).join(u'\x1e'));
                const QString joined = key.join(u'\x1d');
                if (seen.contains(joined)) {
                    *error = QJsonObject{{QStringLiteral("error"), QStringLiteral("constraint violation")},
                                         {QStringLiteral("details"),
                                          QStringLiteral("rows %1 and %2 of %3 have the same %4")
                                              .arg(seen.value(joined), r.key(), name, index.join(QStringLiteral(", ")))}};
                    return false;
                }
                seen.insert(joined, r.key());
            }
        }
    }
    return true;
}

} // namespace Vigie
