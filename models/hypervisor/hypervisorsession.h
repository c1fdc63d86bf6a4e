#pragma once

#include "credentials.h"
#include "hypervisorworker.h"
#include "inventory/hostinfo.h"
#include "reply.h"
#include "vmaction.h"
#include "workerthread.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace Vigie {

class LibvirtEventLoop;

// One connection URI: a HypervisorWorker on its own thread. Every method returns at once; the
// answers come back as signals on the owner's thread. A slow or dead host blocks only its own
// thread.
class HypervisorSession : public QObject
{
    Q_OBJECT

public:
    explicit HypervisorSession(const QString &uri, bool demo = false,
                               const HypervisorWorker::Options &options = {}, QObject *parent = nullptr);
    ~HypervisorSession() override;

    // Asks the worker's thread to close the connection and end, without waiting: the destructor
    // joins it. Lets every session of a closing window wind down at once.
    void stop();

    [[nodiscard]] QString uri() const { return m_uri; }
    [[nodiscard]] bool isDemo() const { return m_demo; }
    // As last reported by the worker, whose connection owns the state (LibvirtConnection); the
    // inventory's HostInfo is what the rest of the console reads.
    [[nodiscard]] ConnectionState state() const { return m_state; }

    void open();
    void resync();
    void runAction(const QString &uuid, VmAction action);
    // The domain operations (see HypervisorWorker), each answered through its REPLY.
    // persistent: the saved definition as virsh edit shows it (for editing), else the live one.
    void requestDomainXml(const QString &uuid, bool persistent, XmlReply reply);
    void defineDomain(const QString &xml, bool start, OperationReply reply);
    void removeDomain(const QString &uuid, OperationReply reply);
    void createVm(const Vigie::NewVm &vm, OperationReply reply);
    void editTags(const QString &uuid, const QStringList &add, const QStringList &remove, OperationReply reply);
    void moveNicToVlan(const QString &uuid, const QString &mac, int vlanId, const QString &portgroup,
                       OperationReply reply);
    // Answers credentialsRequested; the values are passed to libvirt once and then wiped.
    void provideCredentials(CredentialReply &&reply);
    // Seconds between metrics ticks, 1..60; 0 stops collecting.
    void setMetricsInterval(int seconds);
    // Hands a reference to the host's connection, for work that has a thread of its own (a
    // console), to REPLY; REPLY runs on the session's thread (see HypervisorWorker::leaseConnection).
    void leaseConnection(const std::function<void(Vigie::ConnectionLease, QString)> &reply);
    // Compares other hosts' CPUs with what this host can run, in one call to the worker; ends
    // with cpusCompared.
    void compareCpus(const QList<Vigie::CpuSource> &sources);

Q_SIGNALS:
    void stateChanged(Vigie::ConnectionState state, const QString &message);
    void snapshotReady(const Vigie::HostSnapshot &snapshot);
    void vmChanged(const Vigie::VmInfo &vm);
    void vmRemoved(const QString &uuid);
    void networksChanged(const QList<Vigie::NetworkInfo> &networks);
    void actionFinished(const Vigie::VmActionResult &result);
    void credentialsRequested(const QList<Vigie::CredentialRequest> &requests);
    // One tick of the host's figures (every VM of the host and the host itself).
    void metricsReady(const Vigie::MetricsTick &tick);
    // The worker applied a collection interval (setMetricsInterval): whether ticks now come.
    // Ticks it sent before arrive before this.
    void metricsIntervalApplied(int seconds, bool collecting);
    // A verdict per source of compareCpus, in their order.
    void cpusCompared(const QList<Vigie::CpuVerdict> &verdicts);

private:
    // Queues CALL(worker, request number) on the worker's thread; its answer goes to REPLY.
    template<typename F>
    void operate(OperationReply reply, F call);

    const QString m_uri;
    const bool m_demo;
    std::shared_ptr<LibvirtEventLoop> m_eventLoop;
    std::shared_ptr<CredentialChannel> m_credentials;
    HypervisorWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    WorkerThread m_thread;
    ConnectionState m_state = ConnectionState::Disconnected;
    quint64 m_nextRequest = 1;
    QHash<quint64, OperationReply> m_operations; // waiting for the worker, by request number
    QHash<quint64, XmlReply> m_xmlRequests;
};

} // namespace Vigie
