#include "ovsdbclient.h"

#include "backgroundpool.h"
#include "logging.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

namespace Vigie {

namespace {

constexpr qint64 ReadChunk = 256 * 1024;
// Messages from this size on are read on the thread pool: a few milliseconds of parsing.
constexpr qsizetype ReadAsideFrom = 256 * 1024;

QString errorText(const QJsonValue &error)
{
    if (error.isString())
        return error.toString();
    if (error.isObject()) {
        const QJsonObject o = error.toObject();
        const QString details = o.value(QLatin1String("details")).toString();
        const QString name = o.value(QLatin1String("error")).toString();
        return details.isEmpty() ? name : QStringLiteral("%1: %2").arg(name, details);
    }
    return QString::fromUtf8(QJsonDocument(QJsonArray{error}).toJson(QJsonDocument::Compact));
}

bool isUnknownMethod(const QJsonValue &error)
{
    return errorText(error).contains(QLatin1String("unknown method"));
}

QString fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')).toUpper();
}

QString normalisedFingerprint(QString text)
{
    return text.remove(u':').toUpper();
}

} // namespace

OvsdbClient::OvsdbClient(QObject *parent)
    : QObject(parent)
{
    m_reconnectTimer.setSingleShot(true);
    m_probeTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &OvsdbClient::connectToNext);
    connect(&m_probeTimer, &QTimer::timeout, this, &OvsdbClient::onProbeTimeout);
    connect(&m_aside, &QFutureWatcher<ReadAside>::finished, this, &OvsdbClient::frameReadAside);
}

OvsdbClient::~OvsdbClient()
{
    // Callbacks may point into objects that are being destroyed too: drop them unrun.
    m_pending.clear();
    closeTransport();
    // A message being read aside owns its copies and nothing of this object: it ends on the pool
    // by itself, unread (no wait on the GUI thread).
    m_aside.disconnect(this);
}

void OvsdbClient::setRemotes(const QStringList &remotes)
{
    m_remotes = remotes;
}

void OvsdbClient::setLimits(qsizetype maxMessageSize, int maxDepth)
{
    m_maxMessageSize = maxMessageSize;
    m_maxDepth = maxDepth;
}

void OvsdbClient::setBackoff(int initialMs, int maximumMs)
{
    m_initialBackoffMs = initialMs;
    m_maxBackoffMs = std::max(initialMs, maximumMs);
    m_backoffMs = initialMs;
}

void OvsdbClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void OvsdbClient::start()
{
    if (m_state != State::Idle)
        return;
    m_backoffMs = m_initialBackoffMs;
    m_failuresInRound = 0;
    m_remoteIndex = -1;
    connectToNext();
}

void OvsdbClient::stop()
{
    m_reconnectTimer.stop();
    m_probeTimer.stop();
    ++m_session;
    closeTransport();
    const auto pending = std::exchange(m_pending, {});
    for (const ReplyCallback &callback : pending) {
        if (callback)
            callback({}, QStringLiteral("connection closed"));
    }
    setState(State::Idle);
}

void OvsdbClient::closeTransport()
{
    m_inbox.clear();
    if (!m_device)
        return;
    QIODevice *device = m_device;
    m_device = nullptr;
    device->disconnect(this);
    if (auto *socket = qobject_cast<QAbstractSocket *>(device))
        socket->abort();
    else if (auto *local = qobject_cast<QLocalSocket *>(device))
        local->abort();
    device->deleteLater();
}

void OvsdbClient::connectToNext()
{
    if (m_remotes.isEmpty()) {
        m_lastError = QStringLiteral("no remote configured");
        qCWarning(lcNetwork) << "OVSDB:" << m_lastError;
        setState(State::Idle);
        return;
    }
    m_remoteIndex = (m_remoteIndex + 1) % int(m_remotes.size());
    m_currentRemote = m_remotes.at(m_remoteIndex);
    const OvsdbRemote remote = OvsdbRemote::parse(m_currentRemote);
    const quint64 session = ++m_session;
    m_framer = JsonRpcFramer(m_maxMessageSize, m_maxDepth);
    m_framer.setParseLaterFrom(ReadAsideFrom);
    m_inbox.clear();
    m_echoOutstanding = false;
    m_heardFromServer = false;
    m_monitorId.clear();
    m_serverMonitorId.clear();
    m_serverRowUuid.clear();
    m_supportsCondSince = m_supportsCond = true;
    setState(State::Connecting);
    if (!remote.isValid()) {
        failSession(QStringLiteral("invalid remote \"%1\" (expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH)").arg(m_currentRemote),
                    false);
        return;
    }
    qCInfo(lcNetwork) << "OVSDB: connecting to" << m_currentRemote;
    const auto onError = [this, session](const QString &message) {
        if (session == m_session)
            failSession(message, false);
    };
    if (remote.transport == OvsdbRemote::Transport::Unix) {
        auto *socket = new QLocalSocket(this);
        m_device = socket;
        connect(socket, &QLocalSocket::connected, this, &OvsdbClient::onTransportConnected);
        connect(socket, &QLocalSocket::readyRead, this, &OvsdbClient::onReadyRead);
        connect(socket, &QLocalSocket::errorOccurred, this, [socket, onError] { onError(socket->errorString()); });
        connect(socket, &QLocalSocket::disconnected, this, [onError] { onError(QStringLiteral("server closed the connection")); });
        socket->connectToServer(remote.path);
    } else if (remote.transport == OvsdbRemote::Transport::Tcp) {
        auto *socket = new QTcpSocket(this);
        m_device = socket;
        connect(socket, &QTcpSocket::connected, this, &OvsdbClient::onTransportConnected);
        connect(socket, &QTcpSocket::readyRead, this, &OvsdbClient::onReadyRead);
        connect(socket, &QTcpSocket::errorOccurred, this, [socket, onError] { onError(socket->errorString()); });
        connect(socket, &QTcpSocket::disconnected, this, [onError] { onError(QStringLiteral("server closed the connection")); });
        socket->connectToHost(remote.host, remote.port);
    } else {
        auto *socket = new QSslSocket(this);
        m_device = socket;
        QSslConfiguration config = socket->sslConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!m_ssl.caCertificateFile.isEmpty()) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_ssl.caCertificateFile, QSsl::Pem);
            if (cas.isEmpty()) {
                failSession(QStringLiteral("no CA certificate in %1").arg(m_ssl.caCertificateFile), false);
                return;
            }
            config.setCaCertificates(cas);
        }
        if (!m_ssl.certificateFile.isEmpty() || !m_ssl.privateKeyFile.isEmpty()) {
            const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_ssl.certificateFile, QSsl::Pem);
            QFile keyFile(m_ssl.privateKeyFile);
            QSslKey key;
            if (keyFile.open(QIODevice::ReadOnly)) {
                const QByteArray pem = keyFile.readAll();
                key = QSslKey(pem, QSsl::Rsa);
                if (key.isNull())
                    key = QSslKey(pem, QSsl::Ec);
            }
            if (certs.isEmpty() || key.isNull()) {
                failSession(QStringLiteral("cannot load client certificate %1 or key %2").arg(m_ssl.certificateFile, m_ssl.privateKeyFile),
                            false);
                return;
            }
            config.setLocalCertificate(certs.first());
            config.setPrivateKey(key);
        }
        socket->setSslConfiguration(config);
        connect(socket, &QSslSocket::encrypted, this, &OvsdbClient::onTransportConnected);
        connect(socket, &QSslSocket::readyRead, this, &OvsdbClient::onReadyRead);
        connect(socket, &QSslSocket::sslErrors, this, [this, socket, session](const QList<QSslError> &errors) {
            if (session != m_session)
                return;
            OvsdbCertificateProblem problem;
            problem.remote = m_currentRemote;
            QSslCertificate certificate = socket->peerCertificate();
            for (const QSslError &e : errors) {
                problem.errors.append(e.errorString());
                if (certificate.isNull())
                    certificate = e.certificate();
            }
            problem.subject = certificate.subjectDisplayName();
            problem.sha256Fingerprint = fingerprint(certificate);
            const bool trusted = !certificate.isNull()
                && std::any_of(m_ssl.trustedFingerprints.cbegin(), m_ssl.trustedFingerprints.cend(), [&](const QString &f) {
                       return normalisedFingerprint(f) == normalisedFingerprint(problem.sha256Fingerprint);
                   });
            if (trusted) {
                qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << "certificate" << problem.subject << problem.sha256Fingerprint
                                  << "accepted by its pinned fingerprint despite:" << problem.errors;
                socket->ignoreSslErrors(errors);
                return;
            }
            qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << "certificate rejected: subject" << problem.subject << "SHA-256"
                                 << problem.sha256Fingerprint << "errors" << problem.errors;
            Q_EMIT certificateRejected(problem);
        });
        connect(socket, &QSslSocket::errorOccurred, this, [this, socket, onError] { onError(tlsFailure(socket, socket->errorString())); });
        connect(socket, &QSslSocket::disconnected, this, [this, socket, onError] {
            onError(tlsFailure(socket, QStringLiteral("server closed the connection")));
        });
        socket->connectToHostEncrypted(remote.host, remote.port);
    }
    restartProbe();
}

QString OvsdbClient::tlsFailure(const QSslSocket *socket, const QString &error) const
{
    // With TLS 1.3 the server checks the client's certificate after the client has finished its
    // side of the handshake: a refusal arrives as an alert (or a close) before the server's
    // first answer, not as a handshake error.
    const QSslCertificate ours = socket->localCertificate();
    const bool refusedOurs = !ours.isNull() && !m_heardFromServer && socket->isEncrypted()
        && (error.contains(QLatin1String("alert"), Qt::CaseInsensitive) || error == QLatin1String("server closed the connection"));
    if (!refusedOurs)
        return error;
    return QStringLiteral("the server refused Vigie's client certificate (subject %1, SHA-256 %2): %3")
        .arg(ours.subjectDisplayName(), fingerprint(ours), error);
}

void OvsdbClient::restartProbe()
{
    m_echoOutstanding = false;
    if (m_probeMs > 0)
        m_probeTimer.start(m_probeMs);
}

void OvsdbClient::onProbeTimeout()
{
    if (!m_device)
        return;
    if (m_state == State::Connecting && m_monitorId.isEmpty() && m_pending.isEmpty()) {
        failSession(QStringLiteral("connection timed out after %1 ms").arg(m_probeMs), false);
        return;
    }
    if (m_echoOutstanding) {
        // A reply may have come while the event loop was too busy to read it: a busy console is
        // not a silent server. The socket's pending data is read in the loop's next pass (any
        // data restarts the probe); only then is the server judged silent.
        const quint64 session = m_session;
        QTimer::singleShot(0, this, [this, session] {
            if (session == m_session && m_device && m_echoOutstanding)
                failSession(QStringLiteral("inactivity probe: no reply within %1 ms").arg(m_probeMs), false);
        });
        return;
    }
    call(QStringLiteral("echo"), QJsonArray{QStringLiteral("vigie-probe")});
    m_echoOutstanding = true;
    m_probeTimer.start(m_probeMs);
}

void OvsdbClient::onTransportConnected()
{
    qCInfo(lcNetwork) << "OVSDB: connected to" << m_currentRemote;
    restartProbe();
    const quint64 session = m_session;
    listDatabases([this, session](const QJsonValue &result, const QJsonValue &error) {
        if (session != m_session)
            return;
        if (!error.isNull() && !error.isUndefined()) {
            failSession(QStringLiteral("list_dbs failed: %1").arg(errorText(error)), true);
            return;
        }
        if (!result.isArray()) {
            failSession(QStringLiteral("list_dbs answered with a non-array"), true);
            return;
        }
        if (!result.toArray().contains(m_database)) {
            failSession(QStringLiteral("the server does not serve database %1").arg(m_database), false);
            return;
        }
        if (m_leaderOnly)
            checkLeader();
        else
            fetchSchema();
    });
}

void OvsdbClient::checkLeader()
{
    const quint64 session = m_session;
    const QJsonObject select{{QStringLiteral("op"), QStringLiteral("select")},
                             {QStringLiteral("table"), QStringLiteral("Database")},
                             {QStringLiteral("where"), QJsonArray{QJsonArray{QStringLiteral("name"), QStringLiteral("=="), m_database}}},
                             {QStringLiteral("columns"), QJsonArray{QStringLiteral("model"), QStringLiteral("leader"), QStringLiteral("connected")}}};
    call(QStringLiteral("transact"), QJsonArray{QStringLiteral("_Server"), select}, [this, session](const QJsonValue &result, const QJsonValue &error) {
        if (session != m_session)
            return;
        const QJsonObject row = result.toArray().at(0).toObject().value(QLatin1String("rows")).toArray().at(0).toObject();
        if (!error.isNull() && !error.isUndefined()) {
            // Servers older than _Server (OVS < 2.9) are standalone.
            qCDebug(lcNetwork) << "OVSDB:" << m_currentRemote << "has no _Server database:" << errorText(error);
        } else if (row.value(QLatin1String("model")).toString() == u"clustered"
                   && (!row.value(QLatin1String("leader")).toBool() || !row.value(QLatin1String("connected")).toBool())) {
            qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << "is not the connected leader of" << m_database << "; trying the next remote";
            failSession(QStringLiteral("not the cluster leader"), false);
            return;
        } else if (row.value(QLatin1String("model")).toString() == u"clustered") {
            monitorLeadership();
        }
        fetchSchema();
    });
}

void OvsdbClient::monitorLeadership()
{
    // A clustered member can lose leadership or its quorum while we are connected; its _Server
    // row says so, and the session then moves on to the next remote (the new leader).
    m_serverMonitorId = QStringLiteral("vigie-server-%1").arg(m_session);
    const QJsonObject request{{QStringLiteral("Database"),
                               QJsonObject{{QStringLiteral("columns"),
                                            QJsonArray{QStringLiteral("name"), QStringLiteral("model"), QStringLiteral("leader"),
                                                       QStringLiteral("connected")}}}}};
    const quint64 session = m_session;
    call(QStringLiteral("monitor"), QJsonArray{QStringLiteral("_Server"), m_serverMonitorId, request},
         [this, session](const QJsonValue &result, const QJsonValue &error) {
             if (session != m_session)
                 return;
             if (!error.isNull() && !error.isUndefined()) {
                 qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << "cannot monitor _Server:" << errorText(error);
                 m_serverMonitorId.clear();
                 return;
             }
             onServerUpdate(result);
         });
}

void OvsdbClient::onServerUpdate(const QJsonValue &updates)
{
    const QJsonObject rows = updates.toObject().value(QLatin1String("Database")).toObject();
    for (auto it = rows.begin(); it != rows.end(); ++it) {
        const QJsonObject update = it.value().toObject();
        const QJsonObject row = update.value(QLatin1String("new")).toObject();
        if (row.value(QLatin1String("name")).toString() == m_database)
            m_serverRowUuid = it.key();
        if (it.key() != m_serverRowUuid || m_serverRowUuid.isEmpty())
            continue;
        if (!update.contains(QLatin1String("new"))) {
            failSession(QStringLiteral("the server no longer serves %1").arg(m_database), false);
            return;
        }
        const bool leader = row.value(QLatin1String("leader")).toBool(true);
        const bool connected = row.value(QLatin1String("connected")).toBool(true);
        if (!leader || !connected) {
            qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << (leader ? "lost its cluster connection" : "is no longer the leader")
                              << "; moving to the next remote";
            failSession(QStringLiteral("cluster leadership moved"), false);
            return;
        }
    }
}

void OvsdbClient::fetchSchema()
{
    const quint64 session = m_session;
    call(QStringLiteral("get_schema"), QJsonArray{m_database}, [this, session](const QJsonValue &result, const QJsonValue &error) {
        if (session != m_session)
            return;
        if (!error.isNull() && !error.isUndefined()) {
            failSession(QStringLiteral("get_schema failed: %1").arg(errorText(error)), true);
            return;
        }
        QString why;
        const OvsdbSchema schema = OvsdbSchema::fromJson(result.toObject(), &why);
        if (!schema.isValid()) {
            failSession(QStringLiteral("invalid schema: %1").arg(why), true);
            return;
        }
        // Tables an older server lacks are left out of the monitor (an OVN without port groups
        // has no policy to show); a schema with none of them is not the database asked for.
        const QStringList wanted = m_monitored.keys();
        if (!wanted.isEmpty() && std::none_of(wanted.cbegin(), wanted.cend(), [&](const QString &t) { return schema.hasTable(t); })) {
            failSession(QStringLiteral("schema %1 %2 has none of the tables %3").arg(schema.name(), schema.version(), wanted.join(u", ")), true);
            return;
        }
        if (m_cache.schema().version() != schema.version() || m_cache.schema().name() != schema.name())
            m_lastTransactionId.clear(); // history from another schema cannot be resumed
        m_cache.setSchema(schema);
        sendMonitor();
    });
}

QJsonObject OvsdbClient::monitorRequests(bool conditional) const
{
    QJsonObject requests;
    const QStringList tables = m_monitored.isEmpty() ? m_cache.schema().tableNames() : m_monitored.keys();
    const OvsdbSchema &schema = m_cache.schema();
    for (const QString &table : tables) {
        // Columns (and tables) the server's schema lacks are left out: an older OVN has no
        // Port_Binding.additional_chassis, and asking for it would fail the whole monitor.
        if (!schema.hasTable(table))
            continue;
        QJsonObject request;
        QStringList columns;
        for (const QString &column : m_monitored.value(table)) {
            if (schema.column(table, column))
                columns.append(column);
        }
        if (!m_monitored.value(table).isEmpty() && columns.isEmpty())
            continue;
        if (!columns.isEmpty())
            request.insert(QStringLiteral("columns"), QJsonArray::fromStringList(columns));
        if (conditional)
            requests.insert(table, QJsonArray{request});
        else
            requests.insert(table, request);
    }
    return requests;
}

void OvsdbClient::sendMonitor()
{
    const quint64 session = m_session;
    setState(State::Synchronising);
    m_monitorId = QStringLiteral("vigie-%1").arg(m_session);
    QString method;
    QJsonArray params{m_database, m_monitorId};
    if (m_supportsCondSince) {
        // Without a known transaction id, the zero uuid asks for a full snapshot; the reply and
        // every update3 then carry the ids a later reconnect resumes from.
        method = QStringLiteral("monitor_cond_since");
        params.append(monitorRequests(true));
        params.append(m_lastTransactionId.isEmpty() ? QStringLiteral("00000000-0000-0000-0000-000000000000") : m_lastTransactionId);
    } else if (m_supportsCond) {
        method = QStringLiteral("monitor_cond");
        params.append(monitorRequests(true));
    } else {
        method = QStringLiteral("monitor");
        params.append(monitorRequests(false));
    }
    m_monitorCallMethod = method;
    m_monitorCall = call(method, params, [this, session, method](const QJsonValue &result, const QJsonValue &error) {
        if (session != m_session)
            return;
        m_monitorCall = 0;
        if (!error.isNull() && !error.isUndefined()) {
            if (isUnknownMethod(error) && method != u"monitor") {
                qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << "does not know" << method << "; falling back";
                if (method == u"monitor_cond_since")
                    m_supportsCondSince = false;
                else
                    m_supportsCond = false;
                sendMonitor();
                return;
            }
            failSession(QStringLiteral("%1 failed: %2").arg(method, errorText(error)), true);
            return;
        }
        onMonitorReply(method, result);
    });
}

void OvsdbClient::onMonitorReply(const QString &method, const QJsonValue &result)
{
    m_monitorMethod = method;
    bool resumed = false;
    if (method == u"monitor_cond_since") {
        const QJsonArray reply = result.toArray();
        if (reply.size() != 3 || !reply.at(0).isBool() || !reply.at(1).isString()) {
            failSession(QStringLiteral("monitor_cond_since reply is not [found, last-txn-id, updates]"), true);
            return;
        }
        resumed = reply.at(0).toBool();
        const QString lastId = reply.at(1).toString();
        applyUpdate(reply.at(2), OvsdbCache::Format::Update2, !resumed);
        if (m_state == State::Waiting || m_state == State::Connecting)
            return; // the update was refused and the session dropped
        m_lastTransactionId = lastId;
    } else {
        applyUpdate(result, method == u"monitor" ? OvsdbCache::Format::Update : OvsdbCache::Format::Update2, true);
        if (m_state == State::Waiting || m_state == State::Connecting)
            return;
    }
    qCInfo(lcNetwork) << "OVSDB:" << m_currentRemote << "synchronised with" << method << (resumed ? "(resumed from history)" : "(full)")
                      << m_cache.rowCount() << "rows";
    m_backoffMs = m_initialBackoffMs;
    m_failuresInRound = 0;
    setState(State::Synced);
    Q_EMIT synchronised(resumed);
}

void OvsdbClient::applyUpdate(const QJsonValue &updates, OvsdbCache::Format format, bool replace)
{
    OvsdbChangeSet changes;
    QString why;
    bool ok = false;
    if (replace && m_handlingAside && (m_handlingAside->snapshot || !m_handlingAside->snapshotError.isEmpty())) {
        // This reply's snapshot, read on the pool.
        ok = m_handlingAside->snapshot.has_value();
        if (ok)
            m_cache.replace(*std::exchange(m_handlingAside->snapshot, std::nullopt), &changes);
        else
            why = m_handlingAside->snapshotError;
    } else {
        ok = replace ? m_cache.replace(updates, format, &changes, &why) : m_cache.apply(updates, format, &changes, &why);
    }
    if (!ok) {
        // The cache refused the whole update and is unchanged; resume is no longer trustworthy.
        m_lastTransactionId.clear();
        failSession(QStringLiteral("bad update: %1").arg(why), true);
        return;
    }
    if (!changes.isEmpty())
        Q_EMIT cacheChanged(changes);
}

void OvsdbClient::cancelMonitor()
{
    if (m_monitorId.isEmpty())
        return;
    call(QStringLiteral("monitor_cancel"), QJsonArray{m_monitorId});
    m_monitorId.clear();
    m_lastTransactionId.clear();
}

void OvsdbClient::cancelRequest(quint64 id)
{
    if (!m_pending.contains(id))
        return;
    sendMessage({{QStringLiteral("method"), QStringLiteral("cancel")},
                 {QStringLiteral("params"), QJsonArray{qint64(id)}},
                 {QStringLiteral("id"), QJsonValue::Null}});
}

quint64 OvsdbClient::call(const QString &method, const QJsonArray &params, ReplyCallback callback)
{
    if (!m_device || m_state == State::Idle || m_state == State::Waiting) {
        if (callback)
            callback({}, QStringLiteral("not connected"));
        return 0;
    }
    const quint64 id = m_nextId++;
    if (callback)
        m_pending.insert(id, std::move(callback));
    else
        m_pending.insert(id, ReplyCallback([](const QJsonValue &, const QJsonValue &) {}));
    sendMessage({{QStringLiteral("method"), method}, {QStringLiteral("params"), params}, {QStringLiteral("id"), qint64(id)}});
    return id;
}

quint64 OvsdbClient::transact(const QJsonArray &operations, TransactCallback callback)
{
    QJsonArray params{m_database};
    for (const QJsonValue &op : operations)
        params.append(op);
    const qsizetype count = operations.size();
    return call(QStringLiteral("transact"), params, [callback, count](const QJsonValue &result, const QJsonValue &error) {
        OvsdbTransactResult outcome;
        if (!error.isNull() && !error.isUndefined()) {
            outcome.errors.append({-1, errorText(error), {}});
        } else if (!result.isArray()) {
            outcome.errors.append({-1, QStringLiteral("malformed reply"), {}});
        } else {
            outcome.results = result.toArray();
            for (qsizetype i = 0; i < outcome.results.size(); ++i) {
                const QJsonObject r = outcome.results.at(i).toObject();
                if (r.contains(QLatin1String("error")))
                    outcome.errors.append({int(i), r.value(QLatin1String("error")).toString(), r.value(QLatin1String("details")).toString()});
            }
            if (outcome.results.size() < count && outcome.errors.isEmpty())
                outcome.errors.append({-1, QStringLiteral("reply has fewer results than operations"), {}});
            outcome.ok = outcome.errors.isEmpty();
        }
        if (!outcome.ok)
            qCInfo(lcNetwork) << "OVSDB: transaction failed:" << outcome.firstError() << outcome.errors.value(0).details;
        if (callback)
            callback(outcome);
    });
}

void OvsdbClient::sendMessage(const QJsonObject &message)
{
    if (m_device)
        m_device->write(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void OvsdbClient::onReadyRead()
{
    const quint64 session = m_session;
    QByteArray chunk;
    while (m_device && session == m_session && m_device->bytesAvailable() > 0) {
        chunk.resize(std::min<qint64>(ReadChunk, m_device->bytesAvailable()));
        const qint64 n = m_device->read(chunk.data(), chunk.size());
        if (n <= 0)
            break;
        m_heardFromServer = true;
        restartProbe();
        if (!m_framer.feed(QByteArrayView(chunk.constData(), n))) {
            failSession(QStringLiteral("framing: %1").arg(m_framer.error()), true);
            return;
        }
        m_inbox += m_framer.takeFrames();
        handleFrames();
    }
}

void OvsdbClient::handleFrames()
{
    const quint64 session = m_session;
    while (!m_inbox.isEmpty() && !m_asideBusy && session == m_session) {
        JsonRpcFramer::Frame frame = m_inbox.takeFirst();
        if (frame.json.isEmpty()) {
            handleMessage(frame.message);
            continue;
        }
        m_asideBusy = true;
        m_asideSession = session;
        // Below the GUI thread: a fleet's window stalled while both databases' snapshots were
        // parsed on the two cores.
        m_aside.setFuture(runInBackground([frame = std::move(frame), call = m_monitorCall, method = m_monitorCallMethod,
                                           schema = m_cache.schema()]() mutable {
            return readAside(std::move(frame), call, method, schema);
        }));
    }
}

OvsdbClient::ReadAside OvsdbClient::readAside(JsonRpcFramer::Frame frame, quint64 monitorCall, const QString &method,
                                              const OvsdbSchema &schema)
{
    ReadAside read;
    if (!JsonRpcFramer::parse(&frame, &read.error))
        return read;
    read.frame = std::move(frame);
    // The monitor's full snapshot (not a monitor_cond_since resumed from history, which is
    // applied to the cache as it stands).
    const QJsonObject &message = read.frame.message;
    const QJsonValue error = message.value(QLatin1String("error"));
    if (monitorCall == 0 || message.value(QLatin1String("id")).toInteger(-1) != qint64(monitorCall)
        || (!error.isNull() && !error.isUndefined()))
        return read;
    QJsonValue updates = message.value(QLatin1String("result"));
    QJsonValue stub = QJsonObject();
    if (method == u"monitor_cond_since") {
        QJsonArray reply = updates.toArray();
        if (reply.size() != 3 || reply.at(0).toBool())
            return read;
        updates = reply.at(2);
        reply.replace(2, QJsonObject());
        stub = reply;
    }
    OvsdbCache snapshot;
    if (OvsdbCache::build(schema, updates, method == u"monitor" ? OvsdbCache::Format::Update : OvsdbCache::Format::Update2,
                          &snapshot, &read.snapshotError))
        read.snapshot = std::move(snapshot);
    // The reply handed on carries no rows (the snapshot does): freeing megabytes of JSON here
    // spares the GUI thread a fifth of its handling.
    updates = QJsonValue();
    read.frame.message.insert(QStringLiteral("result"), stub);
    return read;
}

void OvsdbClient::frameReadAside()
{
    // Taken, not copied: a copy left in the future would share the snapshot's rows, and the
    // cache's first change would then copy them all.
    ReadAside read = m_aside.future().takeResult();
    m_asideBusy = false;
    if (m_asideSession == m_session) {
        if (!read.error.isEmpty()) {
            failSession(QStringLiteral("framing: %1").arg(read.error), true);
            return;
        }
        m_handlingAside = &read;
        handleMessage(read.frame.message);
        m_handlingAside = nullptr;
    }
    handleFrames(); // the messages that came meanwhile, of this session or of a new one
}

void OvsdbClient::handleMessage(const QJsonObject &message)
{
    const QJsonValue id = message.value(QLatin1String("id"));
    if (message.contains(QLatin1String("method"))) {
        const QJsonValue methodValue = message.value(QLatin1String("method"));
        const QJsonValue params = message.value(QLatin1String("params"));
        if (!methodValue.isString() || !params.isArray()) {
            failSession(QStringLiteral("request without a string method and an array of params"), true);
            return;
        }
        const QString method = methodValue.toString();
        if (!id.isNull() && !id.isUndefined()) {
            if (method == u"echo") {
                sendMessage({{QStringLiteral("result"), params}, {QStringLiteral("error"), QJsonValue::Null}, {QStringLiteral("id"), id}});
            } else {
                qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << "sent an unknown request" << method;
                sendMessage({{QStringLiteral("result"), QJsonValue::Null},
                             {QStringLiteral("error"), QStringLiteral("unknown method")},
                             {QStringLiteral("id"), id}});
            }
            return;
        }
        handleNotification(method, params);
        return;
    }
    if (message.contains(QLatin1String("result")) || message.contains(QLatin1String("error"))) {
        if (!id.isDouble()) {
            failSession(QStringLiteral("reply with a non-numeric id"), true);
            return;
        }
        const auto it = m_pending.find(quint64(id.toInteger()));
        if (it == m_pending.end()) {
            qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << "replied to unknown request id" << id.toInteger();
            return;
        }
        const ReplyCallback callback = std::move(it.value());
        m_pending.erase(it);
        if (m_echoOutstanding)
            m_echoOutstanding = false;
        callback(message.value(QLatin1String("result")), message.value(QLatin1String("error")));
        return;
    }
    failSession(QStringLiteral("message is neither a request nor a reply"), true);
}

void OvsdbClient::handleNotification(const QString &method, const QJsonValue &paramsValue)
{
    const QJsonArray params = paramsValue.toArray();
    if (method == u"update" || method == u"update2" || method == u"update3") {
        const qsizetype expected = method == u"update3" ? 3 : 2;
        if (params.size() != expected) {
            failSession(QStringLiteral("%1 with %2 params").arg(method).arg(params.size()), true);
            return;
        }
        if (method == u"update" && !m_serverMonitorId.isEmpty() && params.at(0).toString() == m_serverMonitorId) {
            onServerUpdate(params.at(1));
            return;
        }
        if (params.at(0).toString() != m_monitorId) {
            qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << method << "for an unknown monitor" << params.at(0);
            return;
        }
        if (m_state != State::Synced) {
            failSession(QStringLiteral("%1 before the monitor reply").arg(method), true);
            return;
        }
        applyUpdate(params.at(expected - 1), method == u"update" ? OvsdbCache::Format::Update : OvsdbCache::Format::Update2, false);
        if (method == u"update3" && m_state == State::Synced)
            m_lastTransactionId = params.at(1).toString();
    } else if (method == u"monitor_canceled") {
        if (!m_serverMonitorId.isEmpty() && params.at(0).toString() == m_serverMonitorId) {
            m_serverMonitorId.clear();
            return;
        }
        if (params.at(0).toString() != m_monitorId || m_monitorId.isEmpty())
            return;
        qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << "canceled the monitor; resynchronising";
        m_lastTransactionId.clear();
        sendMonitor();
    } else {
        qCWarning(lcNetwork) << "OVSDB:" << m_currentRemote << "sent an unknown notification" << method << "(ignored)";
    }
}

void OvsdbClient::failSession(const QString &reason, bool protocol)
{
    m_lastError = reason;
    const QString remote = m_currentRemote;
    if (protocol)
        qCWarning(lcNetwork) << "OVSDB: protocol error from" << remote << ":" << reason << "; dropping the session";
    else
        qCInfo(lcNetwork) << "OVSDB:" << remote << ":" << reason;
    ++m_session;
    m_probeTimer.stop();
    closeTransport();
    m_monitorId.clear();
    const auto pending = std::exchange(m_pending, {});
    for (const ReplyCallback &callback : pending) {
        if (callback)
            callback({}, QStringLiteral("connection closed"));
    }
    scheduleReconnect();
    if (protocol)
        Q_EMIT protocolError(remote, reason);
    else
        Q_EMIT connectionFailed(remote, reason);
}

void OvsdbClient::scheduleReconnect()
{
    setState(State::Waiting);
    // Every remote gets a prompt try; a full round of failures waits, doubling up to the maximum.
    int delay = 0;
    if (++m_failuresInRound >= m_remotes.size()) {
        delay = m_backoffMs;
        m_backoffMs = std::min(m_backoffMs * 2, m_maxBackoffMs);
        m_failuresInRound = 0;
    }
    qCDebug(lcNetwork) << "OVSDB: next connection attempt in" << delay << "ms";
    m_reconnectTimer.start(delay);
}

} // namespace Vigie
