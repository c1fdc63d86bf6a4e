#pragma once

#include "connectionlease.h"
#include "credentials.h"
#include "domainoperations.h"
#include "inventoryreader.h"
#include "inventory/hostinfo.h"
#include "metrics/metricsample.h"
#include "metrics/ratederiver.h"
#include "placement/newvm.h"
#include "statscollector.h"
#include "vmaction.h"

#include <QMutex>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QWaitCondition>

#include <functional>
#include <memory>
#include <optional>

struct _virConnect;
struct _virConnectCredential;

namespace Vigie {

// Hands credentials from the GUI thread to a worker blocked in virConnectOpenAuth.
class CredentialChannel
{
public:
    // Worker side: blocks until answered or aborted.
    [[nodiscard]] CredentialReply wait();
    // GUI side.
    void answer(CredentialReply &&reply);
    void abort();
    void reset();

private:
    QMutex m_mutex;
    QWaitCondition m_answered;
    std::optional<CredentialReply> m_reply;
    bool m_aborted = false;
};

// Shared with libvirt's callbacks, which run on the event-loop thread and may outlive the
// connection by one dispatch: they post to the worker only while it is attached.
struct EventSink;
// The metrics calls still running on helper threads (see collectMetrics()).
struct StatsFlights;

// Owns one libvirt connection. Lives on its session's thread; every libvirt call of the session
// happens here. Replies with value types through queued signals.
class HypervisorWorker : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int keepAliveIntervalS = 2; // with the count: a dead host is noticed within ~8 s
        int keepAliveCount = 3;
        int resyncIntervalS = 60;
        int maxBackoffS = 30;
        // 1..60; 0 collects no metrics (the session turns them on).
        int metricsIntervalS = 0;
        // Opened with VIR_CONNECT_RO (over the daemon's read-only socket, see
        // AccessPolicy::readOnlyUri): libvirt refuses every write on the connection.
        bool readOnly = false;
    };

    // Metrics calls of one host running at once: one may hang on a frozen guest's monitor while
    // the next ones (NOWAIT) still bring the host's other guests.
    static constexpr int MaxMetricsCallsInFlight = 3;

    HypervisorWorker(const QString &uri, bool demo, const Options &options,
                     std::shared_ptr<CredentialChannel> credentials);
    ~HypervisorWorker() override;

    // Slots, always invoked through queued calls from the session.
    void open();
    void resync();
    void runAction(const QString &uuid, Vigie::VmAction action);
    void fetchDomainXml(const QString &uuid, bool persistent);
    // Defines a domain from XML (and starts it), or destroys and undefines one: the steps of a
    // simulated migration between demo hosts, whose driver cannot migrate.
    void defineDomain(const QString &requestId, const QString &xml, bool start);
    void removeDomain(const QString &requestId, const QString &uuid);
    // Places a new VM: its system disk as a volume of the host's storage pool ("default" first),
    // its definition, then a start if asked. All or nothing: what a failed step leaves is undone.
    void createVm(const QString &requestId, const Vigie::NewVm &vm);
    // Moves one NIC into a VLAN: live and in the saved definition where the driver can; only in
    // the definition otherwise, and the reply says it applies at next boot.
    void moveNicToVlan(const QString &requestId, const QString &uuid, const QString &mac, int vlanId,
                       const QString &portgroup);
    // Adds ADD and removes REMOVE from the domain's tags (VmTags, in Vigie's metadata), live and
    // in the saved definition; refused for a domain another manager (Nova) owns.
    void editTags(const QString &requestId, const QString &uuid, const QStringList &add, const QStringList &remove);
    // Compares the CPU of the host SOURCE_URI (its HostInfo's CPU definitions) with what this
    // host can run; ends with cpuCompared.
    void compareCpu(const QString &sourceUri, const QString &hypervisorCpuXml, const QString &hostCpuXml);
    void setMetricsInterval(int seconds);
    // Calls REPLY, here on the worker's thread, with a reference to the connection (empty while
    // it is down, with the reason). REPLY only hands the lease on to its own thread.
    void leaseConnection(const std::function<void(Vigie::ConnectionLease, QString)> &reply);
    // One metrics tick: starts the libvirt calls on a helper thread.
    void collectMetrics();

    // Called by libvirt callbacks through queued calls.
    void domainEvent(const QString &uuid);
    void networkEvent();
    void connectionLost(const QString &reason);
    // Called from the metrics helper thread through a queued call.
    void metricsCollected(quint64 serial, const Vigie::RawStatsBatch &batch);
    void emitDemoHistory(const Vigie::MetricsTick &first);

Q_SIGNALS:
    void stateChanged(Vigie::ConnectionState state, const QString &message);
    void snapshotReady(const Vigie::HostSnapshot &snapshot);
    void vmChanged(const Vigie::VmInfo &vm);
    void vmRemoved(const QString &uuid);
    void networksChanged(const QList<Vigie::NetworkInfo> &networks);
    void actionFinished(const Vigie::VmActionResult &result);
    void domainXmlReady(const QString &uuid, const QString &xml, const QString &error, bool persistent);
    void domainOperationFinished(const QString &requestId, bool ok, const QString &message);
    void credentialsRequested(const QList<Vigie::CredentialRequest> &requests);
    void metricsReady(const Vigie::MetricsTick &tick);
    // The collection interval was applied: COLLECTING tells whether ticks now come (a host not
    // connected yet starts them when it is).
    void metricsIntervalApplied(int seconds, bool collecting);
    // known false: the driver cannot compare CPUs (libvirt's test driver), or failed to.
    void cpuCompared(const QString &sourceUri, bool known, const Vigie::CpuCheck &check);

private:
    void closeConnection();
    // False, with the connection dropped and a reconnection scheduled, once libvirt has given
    // the connection up (keepalive); no remote call.
    bool checkAlive();
    void scheduleReconnect(const QString &reason);
    void setState(ConnectionState state, const QString &message = {});
    void flushDomainEvents();
    // Carries out RESULT's action now and reports it.
    void finishAction(VmActionResult result);
    [[nodiscard]] HostInfo readHostInfo() const;
    [[nodiscard]] DomainOperations operations() const;
    // Runs OPERATION on the connection (or says it is down); the domain it touched is read
    // again, and the session hears how it went.
    void operate(const QString &requestId,
                 const std::function<DomainOperations::Outcome(const DomainOperations &)> &operation);
    void rememberDevices(const VmInfo &vm);
    static int authCallback(_virConnectCredential *credentials, unsigned int count, void *worker);

    const QString m_uri;
    const bool m_demo;
    static constexpr int DemoShutdownMs = 2500; // how long a demo guest takes to shut down
    const Options m_options;
    std::shared_ptr<CredentialChannel> m_credentials;
    std::shared_ptr<EventSink> m_sink;
    _virConnect *m_conn = nullptr;
    QList<int> m_domainCallbacks;
    int m_networkCallback = -1;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_everConnected = false;
    InventoryReader::Cpus m_cpus; // read once per connection (see HostInfo)
    int m_backoffS = 1;
    // Children, so that they move to the session's thread with the worker.
    QTimer m_reconnectTimer{this};
    QTimer m_resyncTimer{this};
    QTimer m_eventTimer{this}; // coalesces bursts of domain events
    QSet<QString> m_pendingDomains;

    QTimer m_metricsTimer{this};
    int m_metricsIntervalS = 1;
    std::shared_ptr<StatsFlights> m_flights;
    quint64 m_metricsSerial = 0;    // of the last call started
    quint64 m_deliveredSerial = 0;  // of the last call whose figures were used
    bool m_demoHistorySent = false; // once per worker: the store keeps it across reconnections
    bool m_perDomainStats = false;  // the driver has no usable bulk stats (test driver)
    RateDeriver m_deriver;
    QHash<QString, DomainDevices> m_devices; // by UUID, for the per-domain fallback
};

} // namespace Vigie
