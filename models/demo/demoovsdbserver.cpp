#include "demoovsdbserver.h"

#include "logging.h"

#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>

namespace Vigie {

namespace {

QString idKey(const QJsonValue &id)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{id}).toJson(QJsonDocument::Compact));
}

QJsonObject errorObject(const QString &error, const QString &details = {})
{
    QJsonObject o{{QStringLiteral("error"), error}};
    if (!details.isEmpty())
        o.insert(QStringLiteral("details"), details);
    return o;
}

} // namespace

DemoOvsdbServer::DemoOvsdbServer(QObject *parent)
    : QObject(parent)
{
}

DemoOvsdbServer::~DemoOvsdbServer()
{
    close();
}

bool DemoOvsdbServer::load(const QJsonObject &schema, const QJsonObject &content, QString *error)
{
    return m_database.load(schema, content, error);
}

bool DemoOvsdbServer::listen(const QString &path, QString *error)
{
    close();
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(path);
    if (!m_server->listen(path)) {
        *error = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &DemoOvsdbServer::onNewConnection);
    return true;
}

void DemoOvsdbServer::close()
{
    const auto connections = std::exchange(m_connections, {});
    for (const auto &connection : connections) {
        connection->socket->disconnect(this);
        connection->socket->abort();
        connection->socket->deleteLater();
    }
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
}

QString DemoOvsdbServer::remote() const
{
    return m_server ? QStringLiteral("unix:") + m_server->fullServerName() : QString();
}

QJsonArray DemoOvsdbServer::transact(const QJsonArray &operations)
{
    DemoOvsdbDatabase::Commit commit;
    const QJsonArray result = m_database.transact(operations, &commit);
    if (!commit.isEmpty())
        publish(commit);
    return result;
}

void DemoOvsdbServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= MaxConnections) {
            qCWarning(lcNetwork) << "demo OVSDB server: too many connections; refusing one";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto connection = std::make_shared<Connection>();
        connection->socket = socket;
        m_connections.insert(socket, connection);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
            m_connections.remove(socket);
            socket->deleteLater();
        });
    }
}

void DemoOvsdbServer::onReadyRead(QLocalSocket *socket)
{
    const std::shared_ptr<Connection> connection = m_connections.value(socket);
    if (!connection)
        return;
    const QByteArray data = socket->readAll();
    if (!connection->framer.feed(data)) {
        // The stream cannot be split into messages any more: say why, then hang up (as
        // ovsdb-server does); other clients are not affected.
        qCInfo(lcNetwork) << "demo OVSDB server: closing a connection:" << connection->framer.error();
        replyError(*connection, QJsonValue::Null, errorObject(QStringLiteral("syntax error"), connection->framer.error()));
        m_connections.remove(socket);
        socket->disconnect(this);
        socket->disconnectFromServer(); // after the error is written
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    for (const QJsonObject &message : connection->framer.takeMessages()) {
        handleRequest(*connection, message);
        if (!m_connections.contains(socket))
            return;
    }
}

void DemoOvsdbServer::send(Connection &connection, const QJsonObject &message)
{
    if (connection.socket->bytesToWrite() > MaxPendingOutput) {
        // A client that stops reading would make us buffer without end.
        qCWarning(lcNetwork) << "demo OVSDB server: a client is not reading; dropping it";
        connection.socket->abort();
        return;
    }
    connection.socket->write(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void DemoOvsdbServer::reply(Connection &connection, const QJsonValue &id, const QJsonValue &result)
{
    send(connection, {{QStringLiteral("id"), id}, {QStringLiteral("result"), result}, {QStringLiteral("error"), QJsonValue::Null}});
}

void DemoOvsdbServer::replyError(Connection &connection, const QJsonValue &id, const QJsonValue &error)
{
    send(connection, {{QStringLiteral("id"), id}, {QStringLiteral("result"), QJsonValue::Null}, {QStringLiteral("error"), error}});
}

void DemoOvsdbServer::handleRequest(Connection &connection, const QJsonObject &message)
{
    const QJsonValue id = message.value(QLatin1String("id"));
    if (!message.contains(QLatin1String("method")))
        return; // a reply: this server sends no requests
    const QJsonValue methodValue = message.value(QLatin1String("method"));
    const QJsonValue paramsValue = message.value(QLatin1String("params"));
    const bool notification = id.isNull() || id.isUndefined();
    if (!methodValue.isString() || !paramsValue.isArray()) {
        if (!notification)
            replyError(connection, id, errorObject(QStringLiteral("syntax error"), QStringLiteral("a request has a string method and an array of params")));
        return;
    }
    const QString method = methodValue.toString();
    const QJsonArray params = paramsValue.toArray();
    if (notification)
        return; // "cancel" included: nothing here ever waits
    const QString database = m_database.name();
    const auto checkDatabase = [&](const QJsonValue &name) {
        if (name.toString() == database)
            return true;
        replyError(connection, id, errorObject(QStringLiteral("unknown database"), QStringLiteral("%1 is not served here").arg(name.toString())));
        return false;
    };

    if (method == u"echo") {
        reply(connection, id, params);
    } else if (method == u"list_dbs") {
        reply(connection, id, QJsonArray{database});
    } else if (method == u"get_schema") {
        if (checkDatabase(params.at(0)))
            reply(connection, id, m_database.schemaJson());
    } else if (method == u"transact") {
        if (!checkDatabase(params.at(0)))
            return;
        DemoOvsdbDatabase::Commit commit;
        QJsonArray operations = params;
        operations.removeFirst();
        const QJsonArray result = m_database.transact(operations, &commit);
        reply(connection, id, result);
        if (!commit.isEmpty())
            publish(commit);
    } else if (method == u"monitor" || method == u"monitor_cond" || method == u"monitor_cond_since") {
        if (!checkDatabase(params.at(0)))
            return;
        const bool since = method == u"monitor_cond_since";
        if (params.size() != (since ? 4 : 3)) {
            replyError(connection, id, errorObject(QStringLiteral("syntax error"), QStringLiteral("%1 takes %2 params").arg(method).arg(since ? 4 : 3)));
            return;
        }
        const QString monitorId = idKey(params.at(1));
        if (connection.monitors.contains(monitorId)) {
            replyError(connection, id, errorObject(QStringLiteral("duplicate monitor ID")));
            return;
        }
        Monitor monitor;
        monitor.kind = since ? Monitor::Kind::Update3 : method == u"monitor_cond" ? Monitor::Kind::Update2 : Monitor::Kind::Update;
        QString why;
        if (!parseMonitorRequests(params.at(2), monitor.kind != Monitor::Kind::Update, &monitor, &why)) {
            replyError(connection, id, errorObject(QStringLiteral("syntax error"), why));
            return;
        }
        connection.monitors.insert(monitorId, monitor);
        if (since) {
            // No history is kept: a client already current resumes, any other gets everything.
            const bool found = params.at(3).toString() == m_database.lastTransactionId();
            reply(connection, id, QJsonArray{found, m_database.lastTransactionId(), found ? QJsonObject{} : snapshot(monitor)});
        } else {
            reply(connection, id, snapshot(monitor));
        }
    } else if (method == u"monitor_cancel") {
        if (connection.monitors.remove(idKey(params.at(0))))
            reply(connection, id, QJsonObject{});
        else
            replyError(connection, id, errorObject(QStringLiteral("unknown monitor")));
    } else {
        replyError(connection, id, QStringLiteral("unknown method"));
    }
}

bool DemoOvsdbServer::parseMonitorRequests(const QJsonValue &requests, bool conditional, Monitor *monitor, QString *error) const
{
    if (!requests.isObject()) {
        *error = QStringLiteral("monitor requests are an object");
        return false;
    }
    const QJsonObject tables = requests.toObject();
    for (auto t = tables.begin(); t != tables.end(); ++t) {
        if (!m_database.schema().hasTable(t.key())) {
            *error = QStringLiteral("no table %1").arg(t.key());
            return false;
        }
        const QJsonArray list = t.value().isArray() ? t.value().toArray() : QJsonArray{t.value()};
        QStringList columns;
        for (const QJsonValue &value : list) {
            if (!value.isObject()) {
                *error = QStringLiteral("a monitor request is an object");
                return false;
            }
            const QJsonObject request = value.toObject();
            // Conditions are not simulated: only "everything" is served.
            const QJsonArray where = request.value(QLatin1String("where")).toArray();
            if (conditional && !where.isEmpty() && !(where.size() == 1 && where.at(0) == QJsonValue(true))) {
                *error = QStringLiteral("monitor conditions are not supported by the demo server");
                return false;
            }
            for (const QJsonValue &column : request.value(QLatin1String("columns")).toArray()) {
                if (!m_database.schema().column(t.key(), column.toString()) || column.toString().startsWith(u'_')) {
                    *error = QStringLiteral("no column %1 in table %2").arg(column.toString(), t.key());
                    return false;
                }
                columns.append(column.toString());
            }
            if (!request.contains(QLatin1String("columns")))
                columns.clear(); // one request without columns asks for all of them
        }
        monitor->columns.insert(t.key(), columns);
    }
    return true;
}

QJsonObject DemoOvsdbServer::snapshot(const Monitor &monitor) const
{
    const QString member = monitor.kind == Monitor::Kind::Update ? QStringLiteral("new") : QStringLiteral("initial");
    QJsonObject updates;
    for (auto t = monitor.columns.cbegin(); t != monitor.columns.cend(); ++t) {
        QJsonObject rows;
        const DemoOvsdbDatabase::Table table = m_database.tables().value(t.key());
        for (auto r = table.cbegin(); r != table.cend(); ++r)
            rows.insert(r.key(), QJsonObject{{member, m_database.rowToJson(t.key(), *r, *t)}});
        if (!rows.isEmpty())
            updates.insert(t.key(), rows);
    }
    return updates;
}

void DemoOvsdbServer::publish(const DemoOvsdbDatabase::Commit &commit)
{
    // A copy: a client dropped while we write to it leaves m_connections.
    const auto connections = m_connections;
    for (const auto &connection : connections) {
        if (!m_connections.contains(connection->socket))
            continue;
        for (auto m = connection->monitors.cbegin(); m != connection->monitors.cend(); ++m) {
            const Monitor &monitor = *m;
            QJsonObject updates;
            for (auto t = commit.tables.cbegin(); t != commit.tables.cend(); ++t) {
                const auto columns = monitor.columns.constFind(t.key());
                if (columns == monitor.columns.cend())
                    continue;
                QJsonObject rows;
                for (auto r = t->cbegin(); r != t->cend(); ++r) {
                    const DemoOvsdbDatabase::Change &change = *r;
                    QJsonObject update;
                    if (monitor.kind == Monitor::Kind::Update) {
                        // RFC 7047 <row-update>: "old" holds the columns that changed.
                        if (change.after)
                            update.insert(QStringLiteral("new"), m_database.rowToJson(t.key(), *change.after, *columns));
                        if (change.before && !change.after) {
                            update.insert(QStringLiteral("old"), m_database.rowToJson(t.key(), *change.before, *columns));
                        } else if (change.before) {
                            const QJsonObject diff = m_database.rowDiff(t.key(), *change.before, *change.after, *columns);
                            if (diff.isEmpty())
                                continue;
                            QStringList changed = diff.keys();
                            update.insert(QStringLiteral("old"), m_database.rowToJson(t.key(), *change.before, changed));
                        }
                    } else if (!change.before) {
                        update.insert(QStringLiteral("insert"), m_database.rowToJson(t.key(), *change.after, *columns));
                    } else if (!change.after) {
                        update.insert(QStringLiteral("delete"), QJsonValue::Null);
                    } else {
                        const QJsonObject diff = m_database.rowDiff(t.key(), *change.before, *change.after, *columns);
                        if (diff.isEmpty())
                            continue;
                        update.insert(QStringLiteral("modify"), diff);
                    }
                    rows.insert(r.key(), update);
                }
                if (!rows.isEmpty())
                    updates.insert(t.key(), rows);
            }
            if (updates.isEmpty())
                continue;
            const QJsonValue monitorId = QJsonDocument::fromJson(m.key().toUtf8()).array().at(0);
            QJsonArray params{monitorId};
            QString method = QStringLiteral("update");
            if (monitor.kind == Monitor::Kind::Update3) {
                method = QStringLiteral("update3");
                params.append(commit.transactionId);
            } else if (monitor.kind == Monitor::Kind::Update2) {
                method = QStringLiteral("update2");
            }
            params.append(updates);
            send(*connection, {{QStringLiteral("id"), QJsonValue::Null}, {QStringLiteral("method"), method}, {QStringLiteral("params"), params}});
        }
    }
    Q_EMIT committed(commit.transactionId);
}

} // namespace Vigie
