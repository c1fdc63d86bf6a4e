#pragma once

#include "credentialchannel.h"
#include "inventory/hostinfo.h"
#include "libvirtutil.h"
#include "postsink.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

struct _virConnect;
struct _virConnectCredential;

namespace Vigie {

// One libvirt connection of a host, and its life: opened with the credentials the operator
// gives (through a CredentialChannel), watched by keepalive and by libvirt's close callback,
// reopened with a growing backoff when lost. libvirt's domain and network events come out as
// signals. Lives on its worker's thread (a child of it); the state is this object's alone.
class LibvirtConnection : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int keepAliveIntervalS = Libvirt::KeepAliveIntervalS;
        int keepAliveCount = Libvirt::KeepAliveCount;
        int maxBackoffS = 30;
        // Opened with VIR_CONNECT_RO over the daemon's read-only socket (AccessPolicy::readOnlyUri).
        bool readOnly = false;
    };

    LibvirtConnection(const QString &uri, const Options &options, std::shared_ptr<CredentialChannel> credentials,
                      QObject *parent = nullptr);
    // Closes without a word: whoever must hear of it calls close() first.
    ~LibvirtConnection() override;

    [[nodiscard]] _virConnect *get() const { return m_conn; }
    explicit operator bool() const { return m_conn != nullptr; }
    [[nodiscard]] QString uri() const { return m_uri; }
    [[nodiscard]] ConnectionState state() const { return m_state; }
    // Seconds the next reconnection waits.
    [[nodiscard]] int backoffS() const { return m_backoffS; }

    // Opens the connection unless it is open: opened() once it is. Otherwise the state says
    // why: Failed when waiting will not cure it (credentials, URI, a test:/// host never
    // reached), else Unreachable with a reconnection scheduled.
    void open();
    // The owner has read the host: the state becomes Connected (if it was not).
    void markConnected();
    // Drops the connection (closing() first) and schedules a reconnection: Unreachable, REASON.
    void drop(const QString &reason);
    // The same, if the connection is open (libvirt's close callback, keepalive).
    void lost(const QString &reason);
    // False, with the connection dropped, once libvirt has given it up (keepalive); no remote call.
    bool checkAlive();
    // The daemon still answers (a remote call may be made).
    [[nodiscard]] bool isAlive() const;
    // Closes the connection (closing() first), with no change of state.
    void close();

Q_SIGNALS:
    void opened();
    // About to close: whoever works on the connection stops.
    void closing();
    void stateChanged(Vigie::ConnectionState state, const QString &message);
    // libvirt asks for credentials (while open() waits for the channel's answer).
    void credentialsRequested(const QList<Vigie::CredentialRequest> &requests);
    void domainEventReceived(const QString &uuid);
    void networkEventReceived();

private:
    void setState(ConnectionState state, const QString &message = {});
    void registerCallbacks();
    void release();
    static int authCallback(_virConnectCredential *credentials, unsigned int count, void *connection);

    const QString m_uri;
    const Options m_options;
    std::shared_ptr<CredentialChannel> m_credentials;
    std::shared_ptr<PostSink<LibvirtConnection>> m_sink;
    _virConnect *m_conn = nullptr;
    QList<int> m_domainCallbacks;
    int m_networkCallback = -1;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_everConnected = false;
    int m_backoffS = 1;
    QTimer m_reconnectTimer{this};
};

} // namespace Vigie
