// OVSDB table updates (monitor replies, update/update2/update3 notifications) against OVN's
// northbound schema: applied twice, so that modifies and deletes meet rows that exist.
#include "network/ovsdbcache.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

namespace {

const Vigie::OvsdbSchema &schema()
{
    static const Vigie::OvsdbSchema s = [] {
        QFile file(QStringLiteral(VIGIE_FUZZ_SCHEMA));
        QString error;
        return file.open(QIODevice::ReadOnly)
                   ? Vigie::OvsdbSchema::fromJson(QJsonDocument::fromJson(file.readAll()).object(), &error)
                   : Vigie::OvsdbSchema();
    }();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto format = data[0] & 1 ? Vigie::OvsdbCache::Format::Update2 : Vigie::OvsdbCache::Format::Update;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (document.isNull())
        return 0;
    const QJsonValue updates = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    Vigie::OvsdbCache cache;
    cache.setSchema(schema());
    Vigie::OvsdbChangeSet changes;
    QString error;
    cache.apply(updates, format, &changes, &error);
    cache.apply(updates, format, &changes, &error);
    cache.replace(updates, format, &changes, &error);
    static_cast<void>(cache.rowCount());
    return 0;
}
