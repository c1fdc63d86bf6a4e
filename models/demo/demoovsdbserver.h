#pragma once

#include "demo/demoovsdbdatabase.h"
#include "network/jsonrpcframer.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <memory>

class QLocalServer;
class QLocalSocket;

namespace Vigie {

// A small in-process OVSDB server (RFC 7047 and the ovsdb-server(7) extensions Vigie's client
// uses) serving one in-memory database on a local socket: list_dbs, get_schema, echo, transact,
// monitor, monitor_cond, monitor_cond_since (always a full snapshot unless the client is already
// current), monitor_cancel, and update/update2/update3 notifications of every commit. The demo
// datacenter's network controller talks to Vigie's real OVSDB client through it, so the demo goes
// through the same code as a real controller. Asynchronous on its thread's event loop; bounded
// input; malformed messages get JSON-RPC errors (a stream that cannot be parsed is closed).
class DemoOvsdbServer : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype MaxMessageSize = qsizetype(4) * 1024 * 1024;
    static constexpr qint64 MaxPendingOutput = qint64(64) * 1024 * 1024;
    static constexpr int MaxConnections = 64;

    explicit DemoOvsdbServer(QObject *parent = nullptr);
    ~DemoOvsdbServer() override;

    // See DemoOvsdbDatabase::load.
    bool load(const QJsonObject &schema, const QJsonObject &content, QString *error);
    // Listens on the socket PATH (an existing file there is replaced); false with *error.
    bool listen(const QString &path, QString *error);
    void close();

    // "unix:<path>", for OvsdbClient::setRemotes.
    [[nodiscard]] QString remote() const;
    [[nodiscard]] const DemoOvsdbDatabase &database() const { return m_database; }
    [[nodiscard]] int connectionCount() const { return int(m_connections.size()); }
    // A transaction from inside the process (the demo's own agents), published like a client's.
    QJsonArray transact(const QJsonArray &operations);

Q_SIGNALS:
    // A transaction changed the database.
    void committed(const QString &transactionId);

private:
    struct Monitor
    {
        enum class Kind { Update, Update2, Update3 };
        Kind kind = Kind::Update;
        QHash<QString, QStringList> columns; // table -> columns (empty: all)
    };
    struct Connection
    {
        QLocalSocket *socket = nullptr;
        JsonRpcFramer framer{MaxMessageSize, JsonRpcFramer::DefaultMaxDepth};
        QHash<QString, Monitor> monitors; // by the id the client gave, as JSON text
    };

    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void handleRequest(Connection &connection, const QJsonObject &message);
    void send(Connection &connection, const QJsonObject &message);
    void reply(Connection &connection, const QJsonValue &id, const QJsonValue &result);
    void replyError(Connection &connection, const QJsonValue &id, const QJsonValue &error);
    void publish(const DemoOvsdbDatabase::Commit &commit);
    // The whole monitored content of the database in MONITOR's format.
    [[nodiscard]] QJsonObject snapshot(const Monitor &monitor) const;
    // Parses a monitor request's tables; false with *error.
    bool parseMonitorRequests(const QJsonValue &requests, bool conditional, Monitor *monitor, QString *error) const;

    DemoOvsdbDatabase m_database;
    QLocalServer *m_server = nullptr;
    QHash<QLocalSocket *, std::shared_ptr<Connection>> m_connections;
};

} // namespace Vigie
