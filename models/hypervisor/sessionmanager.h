#pragma once

#include "hypervisorsession.h"
#include "inventory/eventrecord.h"
#include "metrics/prometheusconfig.h"
#include "onceperturn.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>
#include <optional>

class QTimer;

namespace Vigie {

class AccessPolicy;
class DemoChassisAgent;
class DemoDatacenter;
class Inventory;
class MetricsStore;
class PrometheusSource;

// Owns the hypervisor sessions, feeds their answers into the inventory and turns what happens
// into event-log records. Lives on the GUI thread; never blocks.
class SessionManager : public QObject
{
    Q_OBJECT

public:
    explicit SessionManager(Inventory *inventory, QObject *parent = nullptr);
    ~SessionManager() override;

    void setWorkerOptions(const HypervisorWorker::Options &options) { m_options = options; }
    // Where the sessions' metrics go (not owned; may stay unset: metrics are then dropped).
    void setMetricsStore(MetricsStore *store) { m_metrics = store; }
    [[nodiscard]] MetricsStore *metricsStore() const { return m_metrics; }
    // Seconds between metrics ticks on every host, 1..60 (with Prometheus: between its queries).
    void setMetricsInterval(int seconds);
    // Where the measured hosts' metrics come from: each host's own polling (nullopt, the default)
    // or a Prometheus server. With Prometheus the hosts keep their libvirt sessions for actions and
    // inventory, but stop polling stats; demo hosts keep their synthetic figures.
    void setPrometheus(const std::optional<PrometheusConfig> &config);
    [[nodiscard]] PrometheusSource *prometheus() const { return m_prometheus; }
    // Adds and opens a connection; false if the URI is already connected, or is no libvirt URI
    // (refused with errorOccurred and a line in the log). READ_ONLY (or the access policy's
    // allReadOnly()) opens it read-only.
    bool addConnection(const QString &uri, bool demo = false, bool readOnly = false);
    // Which connections are read-only; the window asks it before offering an action.
    [[nodiscard]] AccessPolicy *accessPolicy() const { return m_access; }
    void removeConnection(const QString &uri);
    // Opens the embedded demo datacenter; false (and an error record) if it cannot be prepared.
    bool openDemo();
    void reconnect(const QString &uri);

    [[nodiscard]] QStringList uris() const { return m_order; }
    // Null while the host waits for its turn to connect (see StartBatch).
    [[nodiscard]] HypervisorSession *session(const QString &uri) const;
    // True once every connection has either delivered its first inventory or failed.
    [[nodiscard]] bool isSettled() const { return m_pending.isEmpty(); }

    void runAction(const QList<VmKey> &vms, VmAction action);
    // The domain operations: each answers its caller through REPLY (reply.h), once, and those
    // others may follow (a creation, a NIC move, tags) are also told to all by a signal below.
    // persistent: the saved definition, for editing; else the live XML.
    void requestDomainXml(const VmKey &vm, bool persistent, XmlReply reply);
    void defineDomain(const QString &uri, const QString &xml, bool start, OperationReply reply);
    void removeDomain(const VmKey &vm, OperationReply reply);
    // Places VM on the host URI: its NIC joins the network of that host carrying VM.vlanId (the
    // carrier is found here when VM leaves it empty). Returns the new VM's key (its uuid is
    // chosen here when VM has none); then vmCreationFinished, and a line in the event log.
    VmKey createVm(const QString &uri, NewVm vm, OperationReply reply = {});
    // Moves the NIC with MAC of VM into VLAN_ID (through libvirt: the NIC's tag, and the
    // portgroup of its network that carries that VLAN); then nicMoveFinished.
    void moveNicToVlan(const VmKey &vm, const QString &mac, int vlanId, OperationReply reply = {});
    // Adds ADD and removes REMOVE from the tags of each of VMS (VmTags). A VM that OpenStack Nova
    // manages is refused here, without a call. One tagsEdited per VM, and a line in the event log.
    void editTags(const QList<VmKey> &vms, const QStringList &add, const QStringList &remove);
    // Adds a line to the event log (host by URI, shown by its name).
    void record(const QString &uri, const QString &vm, const QString &action, const QString &result,
                EventRecord::Severity severity);
    void provideCredentials(const QString &uri, CredentialReply &&reply);

Q_SIGNALS:
    void settled();
    void eventRecorded(const Vigie::EventRecord &record);
    // Something failed that the operator must see (libvirt's message), besides the log; HOST_URI
    // when it is about a host's connection (it goes with the host).
    void errorOccurred(const QString &title, const QString &message, const QString &hostUri);
    void credentialsRequested(const QString &uri, const QList<Vigie::CredentialRequest> &requests);
    // What happened, for the views that follow it (whoever asked also has its reply).
    void nicMoveFinished(const Vigie::VmKey &vm, const QString &mac, int vlanId, bool ok, const QString &message);
    void vmCreationFinished(const Vigie::VmKey &vm, const QString &name, bool ok, const QString &message);
    void tagsEdited(const Vigie::VmKey &vm, bool ok, const QString &message);
    // The demo datacenter's simulated network controller answers at these remotes.
    void demoControllerStarted(const QStringList &northbound, const QStringList &southbound);

public:
    // Hosts start connecting this many at a time, a batch every StartIntervalMs; the others
    // wait their turn, shown as connecting. Each host that starts makes a thread and a libvirt
    // connection: two hundred at once starved the GUI thread of a two-core machine for seconds.
    // A batch does not wait for the previous one to connect: a slow host (a resolver that times
    // out, a daemon that answers late) holds up nobody.
    static constexpr int StartBatch = 8;
    static constexpr int StartIntervalMs = 100;

private:
    void start(const QString &uri, bool demo);
    void startWaiting();
    // Takes URI out of the waiting hosts: whether it is a demo host; nothing if it was not there.
    std::optional<bool> takeWaiting(const QString &uri);
    void wire(HypervisorSession *session);
    // The CPU of URI (just connected, or changed) is compared with every other connected host's,
    // both ways, at the next turn, with the other hosts that came meanwhile (see compareCpus()).
    void compareCpusSoon(const QString &uri);
    void compareCpus();
    void markSettled(const QString &uri);
    void creationFinished(const QString &uri, const NewVm &vm, bool ok, const QString &message);
    [[nodiscard]] int pollingIntervalOf(const HypervisorSession *session) const;
    void updatePrometheusHosts();

    Inventory *m_inventory;
    AccessPolicy *m_access; // child
    MetricsStore *m_metrics = nullptr;
    PrometheusSource *m_prometheus = nullptr; // child, while selected
    bool m_prometheusFailing = false; // told in the log once, until it answers again
    HypervisorWorker::Options m_options;
    QStringList m_order;
    QHash<QString, HypervisorSession *> m_sessions; // owned (children)
    QSet<QString> m_pending;                         // URIs not yet settled
    QList<std::pair<QString, bool>> m_waiting;       // URI and demo, waiting for their turn to start
    QTimer *m_startTimer;                            // child: the next batch
    QSet<QString> m_cpusToCompare;                   // URIs, at the next turn (compareCpusSoon)
    OncePerTurn m_cpuTurn{this, [this] { compareCpus(); }}; // that turn
    int m_startedInBatch = 0;                        // hosts started since the timer last fired
    std::unique_ptr<DemoDatacenter> m_demo;
    std::unique_ptr<DemoChassisAgent> m_demoAgent; // after m_demo: goes first
};

} // namespace Vigie
