#pragma once

// What the benchmarks that serve a synthetic OVN share: stable, random-looking uuids and MACs,
// OVSDB wire values, and Vigie's in-process OVSDB server on a thread of its own.
#include "demo/demoovsdbserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMetaObject>
#include <QString>
#include <QThread>
#include <QUuid>

#include <utility>

namespace Vigie::Bench {

using namespace Qt::StringLiterals;

// Random-looking and stable, as real ones are: Nova's tap names ("tap" + the port id's first 11
// characters) must not all look alike.
inline QString uuid(int kind, int n)
{
    static const QUuid Namespace(u"6ba7b811-9dad-11d1-80b4-00c04fd430c8"_s);
    return QUuid::createUuidV5(Namespace, u"%1-%2"_s.arg(kind).arg(n)).toString(QUuid::WithoutBraces);
}

inline QString mac(int n)
{
    return u"fa:16:3e:%1:%2:%3"_s.arg((n >> 16) & 0xff, 2, 16, QLatin1Char('0'))
        .arg((n >> 8) & 0xff, 2, 16, QLatin1Char('0'))
        .arg(n & 0xff, 2, 16, QLatin1Char('0'));
}

inline QJsonArray map(const QList<std::pair<QString, QString>> &pairs)
{
    QJsonArray items;
    for (const auto &[k, v] : pairs)
        items.append(QJsonArray{k, v});
    return QJsonArray{u"map"_s, items};
}

inline QJsonArray uuidSet(const QStringList &uuids)
{
    QJsonArray items;
    for (const QString &u : uuids)
        items.append(QJsonArray{u"uuid"_s, u});
    return QJsonArray{u"set"_s, items};
}

// Neutron's VLAN network SW as ML2/OVN writes it: a switch holding PORTS and its localnet port
// (uuid(2, LOCALNET)) tagged 100 + SW on physnet1.
inline void insertVlanSwitch(QJsonObject *switches, QJsonObject *ports, int sw, int localnet, const QStringList &vmPorts)
{
    const QString port = uuid(2, localnet);
    ports->insert(port, QJsonObject{{u"name"_s, u"provnet-"_s + uuid(8, sw)},
                                    {u"type"_s, u"localnet"_s},
                                    {u"tag"_s, 100 + sw},
                                    {u"addresses"_s, QJsonArray{u"set"_s, QJsonArray{u"unknown"_s}}},
                                    {u"options"_s, map({{u"network_name"_s, u"physnet1"_s}})}});
    switches->insert(uuid(1, sw), QJsonObject{{u"name"_s, u"neutron-"_s + uuid(1, sw)},
                                              {u"external_ids"_s, map({{u"neutron:network_name"_s, u"vlan-%1"_s.arg(100 + sw)}})},
                                              {u"ports"_s, uuidSet(vmPorts + QStringList{port})}});
}

// The chassis H of the host HOSTNAME, its geneve encapsulation at IP.
inline void insertChassis(QJsonObject *chassis, QJsonObject *encaps, int h, const QString &hostname, const QString &ip)
{
    encaps->insert(uuid(5, h), QJsonObject{{u"chassis_name"_s, uuid(9, h)}, {u"ip"_s, ip}, {u"type"_s, u"geneve"_s}});
    chassis->insert(uuid(6, h), QJsonObject{{u"name"_s, uuid(9, h)},
                                            {u"hostname"_s, hostname},
                                            {u"encaps"_s, QJsonArray{u"uuid"_s, uuid(5, h)}},
                                            {u"other_config"_s, map({{u"ovn-bridge-mappings"_s, u"physnet1:br-ex"_s}})}});
}

inline QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// A server on a thread of its own; its calls are made there, the caller waiting.
class ServerThread
{
public:
    ServerThread()
    {
        m_thread.start();
        m_server.moveToThread(&m_thread);
    }
    ~ServerThread()
    {
        QMetaObject::invokeMethod(&m_server, [this] { m_server.close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool start(const QJsonObject &schema, const QJsonObject &content, const QString &path, QString *error)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_server, [&] { ok = m_server.load(schema, content, error) && m_server.listen(path, error); },
            Qt::BlockingQueuedConnection);
        return ok;
    }
    QString remote() const { return m_server.remote(); }
    QJsonArray transact(const QJsonArray &operations)
    {
        QJsonArray result;
        QMetaObject::invokeMethod(&m_server, [&] { result = m_server.transact(operations); }, Qt::BlockingQueuedConnection);
        return result;
    }

private:
    QThread m_thread;
    DemoOvsdbServer m_server;
};

} // namespace Vigie::Bench
