#pragma once

#include "network/jsonrpcframer.h"
#include "network/ovsdbcache.h"
#include "network/ovsdbcertificateproblem.h"
#include "network/ovsdbchangeset.h"
#include "network/ovsdbremote.h"
#include "network/ovsdbsslsettings.h"
#include "network/ovsdbtransactresult.h"

#include <QFutureWatcher>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

class QIODevice;

class QSslSocket;

namespace Vigie {

// An OVSDB JSON-RPC client (RFC 7047 and ovsdb-server(7)) that keeps a monitored replica of one
// database. Asynchronous on its owner's event loop: it never waits on a socket.
//
// A session: connect to a remote (tcp:, ssl:, unix:), list_dbs, check through _Server that a
// clustered member is the connected leader (and monitor its _Server row to leave it when it stops
// being one), get_schema, then monitor_cond_since (resuming from
// the last transaction id when one is known), else monitor_cond, else monitor, whichever the
// server knows. Any protocol
// error drops the session with a logged error; the client then tries the next remote, with a
// backoff doubling from 1 s to 30 s once all remotes failed. The cache is replaced on every
// resync (rows gone meanwhile are reported deleted) unless the server resumes from the last
// transaction id.
//
// A large message (a resync of a big database runs to megabytes) is parsed on the thread pool,
// and a monitor reply among them read into a new cache there too; the messages after it wait
// their turn, so all are handled in the order they came.
class OvsdbClient : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle,          // not started, or stopped
        Connecting,    // transport and handshake
        Synchronising, // monitor request sent
        Synced,        // cache matches the server, updates flowing
        Waiting,       // session lost; reconnecting after the backoff
    };
    Q_ENUM(State)

    using ReplyCallback = std::function<void(const QJsonValue &result, const QJsonValue &error)>;
    using TransactCallback = std::function<void(const OvsdbTransactResult &result)>;

    explicit OvsdbClient(QObject *parent = nullptr);
    ~OvsdbClient() override;

    void setRemotes(const QStringList &remotes);
    [[nodiscard]] QStringList remotes() const { return m_remotes; }
    void setDatabase(const QString &database) { m_database = database; }
    [[nodiscard]] QString database() const { return m_database; }
    // table -> columns to monitor (an empty list: all columns).
    void setMonitoredTables(const QHash<QString, QStringList> &tables) { m_monitored = tables; }
    void setSslSettings(const OvsdbSslSettings &settings) { m_ssl = settings; }
    void setLimits(qsizetype maxMessageSize, int maxDepth);
    // Idle time after which an echo is sent; no reply within the same time drops the session.
    // Also bounds connection set-up. 0 disables.
    void setInactivityProbe(int milliseconds) { m_probeMs = milliseconds; }
    void setBackoff(int initialMs, int maximumMs);
    // Refuse clustered members that are not the connected leader (default on).
    void setLeaderOnly(bool leaderOnly) { m_leaderOnly = leaderOnly; }

    void start();
    void stop();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString currentRemote() const { return m_currentRemote; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    [[nodiscard]] const OvsdbCache &cache() const { return m_cache; }
    [[nodiscard]] QString lastTransactionId() const { return m_lastTransactionId; }
    [[nodiscard]] QString monitorMethod() const { return m_monitorMethod; }

    // Sends a request in the current session. Returns its id, or 0 (and calls back with an error
    // right away) when there is no session. The callback runs at most once; when the session
    // ends first, with the error "connection closed".
    quint64 call(const QString &method, const QJsonArray &params, ReplyCallback callback = {});
    // transact [database, operations...] with per-operation errors sorted out.
    quint64 transact(const QJsonArray &operations, TransactCallback callback = {});
    quint64 listDatabases(ReplyCallback callback) { return call(QStringLiteral("list_dbs"), {}, std::move(callback)); }
    // monitor_cancel of the current monitor; the cache stops following the server.
    void cancelMonitor();
    // RFC 7047 "cancel" of an outstanding request (a transact blocked in a "wait"); its callback
    // still runs, with the server's answer (an error such as "canceled").
    void cancelRequest(quint64 id);

Q_SIGNALS:
    void stateChanged(Vigie::OvsdbClient::State state);
    // Rows changed in the cache (an update, or a resync with its deletions).
    void cacheChanged(const Vigie::OvsdbChangeSet &changes);
    // The monitor reply was applied: the cache is a full, current replica.
    void synchronised(bool resumed);
    // A session ended on a protocol error (logged too).
    void protocolError(const QString &remote, const QString &error);
    void connectionFailed(const QString &remote, const QString &error);
    void certificateRejected(const Vigie::OvsdbCertificateProblem &problem);

private:
    void setState(State state);
    void connectToNext();
    void onTransportConnected();
    void onReadyRead();
    void handleMessage(const QJsonObject &message);
    void handleNotification(const QString &method, const QJsonValue &params);
    void sendMessage(const QJsonObject &message);
    void checkLeader();
    void monitorLeadership();
    void onServerUpdate(const QJsonValue &updates);
    void fetchSchema();
    void sendMonitor();
    void onMonitorReply(const QString &method, const QJsonValue &result);
    void applyUpdate(const QJsonValue &updates, OvsdbCache::Format format, bool replace);
    void failSession(const QString &reason, bool protocol);
    void closeTransport();
    void scheduleReconnect();
    void onProbeTimeout();
    void restartProbe();
    // ERROR of an ssl: session, saying so when it is the server refusing our client certificate.
    [[nodiscard]] QString tlsFailure(const QSslSocket *socket, const QString &error) const;
    [[nodiscard]] QJsonObject monitorRequests(bool conditional) const;

    QStringList m_remotes;
    QString m_database = QStringLiteral("OVN_Northbound");
    QHash<QString, QStringList> m_monitored;
    OvsdbSslSettings m_ssl;
    qsizetype m_maxMessageSize = JsonRpcFramer::DefaultMaxMessageSize;
    int m_maxDepth = JsonRpcFramer::DefaultMaxDepth;
    int m_probeMs = 5000;
    int m_initialBackoffMs = 1000;
    int m_maxBackoffMs = 30000;
    int m_backoffMs = 1000;
    bool m_leaderOnly = true;

    State m_state = State::Idle;
    QPointer<QIODevice> m_device;
    JsonRpcFramer m_framer;
    OvsdbCache m_cache;
    QHash<quint64, ReplyCallback> m_pending;
    quint64 m_nextId = 1;
    quint64 m_session = 0; // bumped on every session end, to ignore late events
    int m_remoteIndex = -1;
    int m_failuresInRound = 0;
    QString m_currentRemote;
    QString m_lastError;
    QString m_lastTransactionId;
    QString m_monitorId;
    QString m_monitorMethod;
    QString m_serverMonitorId; // _Server monitor of a clustered member
    QString m_serverRowUuid;
    bool m_supportsCondSince = true;
    bool m_supportsCond = true;
    bool m_echoOutstanding = false;
    bool m_heardFromServer = false; // this session received bytes from the server
    QTimer m_reconnectTimer;
    QTimer m_probeTimer;

    // Messages framed and waiting for the large one being read before them (readAside()).
    struct ReadAside
    {
        JsonRpcFramer::Frame frame;
        QString error; // the frame is no JSON object
        std::optional<OvsdbCache> snapshot; // the monitor reply's full snapshot, read into a cache
        QString snapshotError;
    };
    [[nodiscard]] static ReadAside readAside(JsonRpcFramer::Frame frame, quint64 monitorCall, const QString &method,
                                             const OvsdbSchema &schema);
    void handleFrames();
    void frameReadAside();
    QList<JsonRpcFramer::Frame> m_inbox;
    QFutureWatcher<ReadAside> m_aside;
    bool m_asideBusy = false; // from the start of a read aside to its result taken
    quint64 m_asideSession = 0;
    quint64 m_monitorCall = 0; // the monitor request waiting for its reply
    QString m_monitorCallMethod;
    ReadAside *m_handlingAside = nullptr; // while its message is handled
};

} // namespace Vigie
