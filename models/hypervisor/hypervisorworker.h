#pragma once

#include "connectionlease.h"
#include "credentialchannel.h"
#include "credentials.h"
#include "domainoperations.h"
#include "inventory/hostinfo.h"
#include "inventoryreader.h"
#include "libvirtconnection.h"
#include "metrics/metricsample.h"
#include "metricssampler.h"
#include "placement/newvm.h"
#include "vmaction.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

namespace Vigie {

// One host's libvirt work, on its session's thread: every libvirt call of the session happens
// here. Queued calls come in; the work is the pieces': LibvirtConnection (open, keepalive,
// events, backoff), InventoryReader (what the host holds), DomainOperations and VmProvisioner
// (what Vigie changes), MetricsSampler (figures). Replies with value types through queued
// signals.
class HypervisorWorker : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int keepAliveIntervalS = Libvirt::KeepAliveIntervalS; // with the count: a dead host is noticed within ~8 s
        int keepAliveCount = Libvirt::KeepAliveCount;
        int resyncIntervalS = 60;
        int maxBackoffS = 30;
        // 1..60; 0 collects no metrics (the session turns them on).
        int metricsIntervalS = 0;
        // Opened with VIR_CONNECT_RO (over the daemon's read-only socket, see
        // AccessPolicy::readOnlyUri): libvirt refuses every write on the connection.
        bool readOnly = false;
    };

    static constexpr int MaxMetricsCallsInFlight = MetricsSampler::MaxCallsInFlight;

    HypervisorWorker(const QString &uri, bool demo, const Options &options,
                     std::shared_ptr<CredentialChannel> credentials);
    ~HypervisorWorker() override;

    // Slots, always invoked through queued calls from the session.
    void open();
    void resync();
    void runAction(const QString &uuid, Vigie::VmAction action);
    void fetchDomainXml(quint64 request, const QString &uuid, bool persistent);
    // Defines a domain from XML (and starts it), or destroys and undefines one: the steps of a
    // simulated migration between demo hosts, whose driver cannot migrate.
    void defineDomain(quint64 request, const QString &xml, bool start);
    void removeDomain(quint64 request, const QString &uuid);
    // Places a new VM (see VmProvisioner): all or nothing.
    void createVm(quint64 request, const Vigie::NewVm &vm);
    // Moves one NIC into a VLAN: live and in the saved definition where the driver can; only in
    // the definition otherwise, and the reply says it applies at next boot.
    void moveNicToVlan(quint64 request, const QString &uuid, const QString &mac, int vlanId,
                       const QString &portgroup);
    // Adds ADD and removes REMOVE from the domain's tags (VmTags, in Vigie's metadata), live and
    // in the saved definition; refused for a domain another manager (Nova) owns.
    void editTags(quint64 request, const QString &uuid, const QStringList &add, const QStringList &remove);
    // Compares the CPU of each host of SOURCES with what this host can run; ends with one
    // cpusCompared, a verdict per source in their order. Nothing while the connection is down.
    void compareCpus(const QList<Vigie::CpuSource> &sources);
    void setMetricsInterval(int seconds);
    // Calls REPLY, here on the worker's thread, with a reference to the connection (empty while
    // it is down, with the reason). REPLY only hands the lease on to its own thread.
    void leaseConnection(const std::function<void(Vigie::ConnectionLease, QString)> &reply);

Q_SIGNALS:
    void stateChanged(Vigie::ConnectionState state, const QString &message);
    void snapshotReady(const Vigie::HostSnapshot &snapshot);
    void vmChanged(const Vigie::VmInfo &vm);
    void vmRemoved(const QString &uuid);
    void networksChanged(const QList<Vigie::NetworkInfo> &networks);
    void actionFinished(const Vigie::VmActionResult &result);
    // The answers to the calls above, by the session's REQUEST number.
    void domainXmlReady(quint64 request, const QString &xml, const QString &error);
    void domainOperationFinished(quint64 request, bool ok, const QString &message);
    void credentialsRequested(const QList<Vigie::CredentialRequest> &requests);
    void metricsReady(const Vigie::MetricsTick &tick);
    // The collection interval was applied: COLLECTING tells whether ticks now come (a host not
    // connected yet starts them when it is).
    void metricsIntervalApplied(int seconds, bool collecting);
    void cpusCompared(const QList<Vigie::CpuVerdict> &verdicts);

private:
    void connectionOpened();
    void connectionClosing();
    // Domain events, coalesced: each domain changed is read again once per burst.
    void domainEvent(const QString &uuid);
    void flushDomainEvents();
    void networkEvent();
    // Carries out RESULT's action now and reports it.
    void finishAction(VmActionResult result);
    [[nodiscard]] HostInfo readHostInfo() const;
    [[nodiscard]] std::optional<CpuCheck> compareCpu(const CpuSource &source);
    [[nodiscard]] InventoryReader reader() const;
    [[nodiscard]] DomainOperations operations() const;
    // Runs OPERATION on the connection (or says it is down); the domain it touched is read
    // again, and the session hears how it went.
    void operate(quint64 request, const std::function<DomainOperations::Outcome()> &operation);

    const QString m_uri;
    const bool m_demo;
    static constexpr int DemoShutdownMs = 2500; // how long a demo guest takes to shut down
    const Options m_options;
    // Children, so that they move to the session's thread with the worker.
    LibvirtConnection m_connection;
    MetricsSampler m_metrics;
    InventoryReader::Cpus m_cpus; // read once per connection (see HostInfo)
    // What libvirt said here of each CPU description compared, for this connection: a fleet's
    // hosts mostly share a few CPUs, and a fleet of N hosts makes N x (N - 1) comparisons, one
    // libvirt call per distinct CPU here.
    QHash<QString, std::optional<CpuCheck>> m_cpuAnswers; // hypervisor CPU XML + '\n' + host CPU XML -> answer
    QTimer m_resyncTimer{this};
    QTimer m_eventTimer{this}; // coalesces bursts of domain events
    QSet<QString> m_pendingDomains;
};

} // namespace Vigie
