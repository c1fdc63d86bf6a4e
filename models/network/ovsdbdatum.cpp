#include "ovsdbdatum.h"

#include <QJsonArray>

namespace Vigie {

namespace {

QString typeName(OvsdbAtomicType type)
{
    switch (type) {
    case OvsdbAtomicType::Integer: return QStringLiteral("integer");
    case OvsdbAtomicType::Real: return QStringLiteral("real");
    case OvsdbAtomicType::Boolean: return QStringLiteral("boolean");
    case OvsdbAtomicType::String: return QStringLiteral("string");
    case OvsdbAtomicType::Uuid: return QStringLiteral("uuid");
    }
    return {};
}

} // namespace

QJsonValue OvsdbDatum::atomToJson(const QVariant &atom, const OvsdbBaseType &base)
{
    switch (base.type) {
    case OvsdbAtomicType::Uuid: return QJsonArray{QStringLiteral("uuid"), atom.toString()};
    case OvsdbAtomicType::Integer: return QJsonValue(atom.toLongLong());
    case OvsdbAtomicType::Real: return QJsonValue(atom.toDouble());
    case OvsdbAtomicType::Boolean: return QJsonValue(atom.toBool());
    case OvsdbAtomicType::String: return QJsonValue(atom.toString());
    }
    return {};
}

bool OvsdbDatum::isUuid(const QString &s)
{
    if (s.size() != 36)
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if (!c.isDigit() && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F')) {
            return false;
        }
    }
    return true;
}

namespace {

std::optional<QVariant> parseAtom(const QJsonValue &json, const OvsdbBaseType &base, QString *error)
{
    switch (base.type) {
    case OvsdbAtomicType::Integer:
        if (json.isDouble() && double(json.toInteger()) == json.toDouble())
            return QVariant(qint64(json.toInteger()));
        break;
    case OvsdbAtomicType::Real:
        if (json.isDouble())
            return QVariant(json.toDouble());
        break;
    case OvsdbAtomicType::Boolean:
        if (json.isBool())
            return QVariant(json.toBool());
        break;
    case OvsdbAtomicType::String:
        if (json.isString())
            return QVariant(json.toString());
        break;
    case OvsdbAtomicType::Uuid: {
        const QJsonArray a = json.toArray();
        if (a.size() == 2 && a.at(0).toString() == u"uuid" && OvsdbDatum::isUuid(a.at(1).toString()))
            return QVariant(a.at(1).toString().toLower());
        break;
    }
    }
    *error = QStringLiteral("expected %1 atom").arg(typeName(base.type));
    return std::nullopt;
}

bool checkSize(qsizetype size, const OvsdbColumnType &type, QString *error)
{
    if (size < type.min || (type.max != OvsdbColumnType::Unlimited && size > type.max)) {
        *error = QStringLiteral("%1 elements where the column takes %2 to %3")
                     .arg(size)
                     .arg(type.min)
                     .arg(type.max == OvsdbColumnType::Unlimited ? QStringLiteral("unlimited") : QString::number(type.max));
        return false;
    }
    return true;
}

} // namespace

std::optional<OvsdbDatum> OvsdbDatum::fromJson(const QJsonValue &json, const OvsdbColumnType &type, QString *error,
                                                CheckBounds bounds)
{
    std::optional<OvsdbDatum> datum = decode(json, type, error);
    if (datum && bounds == CheckBounds::Yes && !checkSize(datum->m_keys.size(), type, error))
        return std::nullopt;
    return datum;
}

std::optional<OvsdbDatum> OvsdbDatum::decode(const QJsonValue &json, const OvsdbColumnType &type, QString *error)
{
    OvsdbDatum datum;
    const QJsonArray array = json.toArray();
    const QString tag = array.size() == 2 ? array.at(0).toString() : QString();
    if (type.isMap()) {
        datum.m_map = true;
        if (tag != u"map" || !array.at(1).isArray()) {
            *error = QStringLiteral("expected [\"map\", [...]]");
            return std::nullopt;
        }
        const QJsonArray pairs = array.at(1).toArray();
        datum.m_keys.reserve(pairs.size());
        datum.m_values.reserve(pairs.size());
        for (const QJsonValue &pairJson : pairs) {
            const QJsonArray pair = pairJson.toArray();
            if (pair.size() != 2) {
                *error = QStringLiteral("map element is not a [key, value] pair");
                return std::nullopt;
            }
            const std::optional<QVariant> key = parseAtom(pair.at(0), type.key, error);
            if (!key)
                return std::nullopt;
            const std::optional<QVariant> value = parseAtom(pair.at(1), *type.value, error);
            if (!value)
                return std::nullopt;
            datum.m_keys.append(*key);
            datum.m_values.append(*value);
        }
        return datum;
    }
    if (tag == u"set") {
        if (!array.at(1).isArray()) {
            *error = QStringLiteral("expected [\"set\", [...]]");
            return std::nullopt;
        }
        const QJsonArray elements = array.at(1).toArray();
        datum.m_keys.reserve(elements.size());
        for (const QJsonValue &element : elements) {
            const std::optional<QVariant> atom = parseAtom(element, type.key, error);
            if (!atom)
                return std::nullopt;
            datum.m_keys.append(*atom);
        }
        return datum;
    }
    const std::optional<QVariant> atom = parseAtom(json, type.key, error);
    if (!atom)
        return std::nullopt;
    datum.m_keys.append(*atom);
    return datum;
}

QJsonValue OvsdbDatum::toJson(const OvsdbColumnType &type) const
{
    if (type.isMap()) {
        QJsonArray pairs;
        for (qsizetype i = 0; i < m_keys.size(); ++i)
            pairs.append(QJsonArray{atomToJson(m_keys.at(i), type.key), atomToJson(m_values.value(i), *type.value)});
        return QJsonArray{QStringLiteral("map"), pairs};
    }
    if (m_keys.size() == 1)
        return atomToJson(m_keys.first(), type.key);
    QJsonArray elements;
    for (const QVariant &key : m_keys)
        elements.append(atomToJson(key, type.key));
    return QJsonArray{QStringLiteral("set"), elements};
}

bool OvsdbDatum::applyDiff(const OvsdbDatum &diff, const OvsdbColumnType &type, QString *error)
{
    // Like ovsdb-server (ovsdb_type_is_composite): a column of at most one element, scalar or
    // optional, is not diffed but sent whole; only real sets and maps carry a difference.
    if (type.max == 1) {
        *this = diff;
        m_map = type.isMap();
        return checkSize(m_keys.size(), type, error);
    }
    if (type.isMap()) {
        m_map = true;
        for (qsizetype i = 0; i < diff.m_keys.size(); ++i) {
            const qsizetype at = m_keys.indexOf(diff.m_keys.at(i));
            if (at < 0) {
                m_keys.append(diff.m_keys.at(i));
                m_values.append(diff.m_values.value(i));
            } else if (m_values.at(at) == diff.m_values.value(i)) {
                m_keys.removeAt(at);
                m_values.removeAt(at);
            } else {
                m_values[at] = diff.m_values.value(i);
            }
        }
    } else {
        for (const QVariant &key : diff.m_keys) {
            const qsizetype at = m_keys.indexOf(key);
            if (at < 0)
                m_keys.append(key);
            else
                m_keys.removeAt(at);
        }
    }
    return checkSize(m_keys.size(), type, error);
}

QString OvsdbDatum::toString() const
{
    return m_keys.isEmpty() ? QString() : m_keys.first().toString();
}

qint64 OvsdbDatum::toInteger(qint64 defaultValue) const
{
    bool ok = false;
    const qint64 value = m_keys.isEmpty() ? 0 : m_keys.first().toLongLong(&ok);
    return ok ? value : defaultValue;
}

bool OvsdbDatum::toBool(bool defaultValue) const
{
    return m_keys.isEmpty() || m_keys.first().typeId() != QMetaType::Bool ? defaultValue : m_keys.first().toBool();
}

QStringList OvsdbDatum::toStringList() const
{
    QStringList list;
    list.reserve(m_keys.size());
    for (const QVariant &key : m_keys)
        list.append(key.toString());
    return list;
}

QMap<QString, QString> OvsdbDatum::toStringMap() const
{
    QMap<QString, QString> map;
    for (qsizetype i = 0; i < m_keys.size(); ++i)
        map.insert(m_keys.at(i).toString(), m_values.value(i).toString());
    return map;
}

QString OvsdbDatum::value(const QString &key) const
{
    for (qsizetype i = 0; i < m_keys.size(); ++i) {
        if (m_keys.at(i).toString() == key)
            return m_values.value(i).toString();
    }
    return {};
}

} // namespace Vigie
