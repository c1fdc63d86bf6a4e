#include "hypervisorworker.h"

#include "libvirtutil.h"
#include "logging.h"
#include "vmprovisioner.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie {

namespace {

LibvirtConnection::Options connectionOptions(const HypervisorWorker::Options &options)
{
    return {options.keepAliveIntervalS, options.keepAliveCount, options.maxBackoffS, options.readOnly};
}

} // namespace

HypervisorWorker::HypervisorWorker(const QString &uri, bool demo, const Options &options,
                                   std::shared_ptr<CredentialChannel> credentials)
    : m_uri(uri)
    , m_demo(demo)
    , m_options(options)
    , m_connection(uri, connectionOptions(options), std::move(credentials), this)
    , m_metrics(&m_connection, demo, options.metricsIntervalS, this)
{
    connect(&m_connection, &LibvirtConnection::stateChanged, this, &HypervisorWorker::stateChanged);
    connect(&m_connection, &LibvirtConnection::credentialsRequested, this, &HypervisorWorker::credentialsRequested);
    connect(&m_connection, &LibvirtConnection::opened, this, &HypervisorWorker::connectionOpened);
    connect(&m_connection, &LibvirtConnection::closing, this, &HypervisorWorker::connectionClosing);
    connect(&m_connection, &LibvirtConnection::domainEventReceived, this, &HypervisorWorker::domainEvent);
    connect(&m_connection, &LibvirtConnection::networkEventReceived, this, &HypervisorWorker::networkEvent);
    connect(&m_metrics, &MetricsSampler::metricsReady, this, &HypervisorWorker::metricsReady);
    connect(&m_metrics, &MetricsSampler::intervalApplied, this, &HypervisorWorker::metricsIntervalApplied);
    m_resyncTimer.setInterval(m_options.resyncIntervalS * 1000);
    connect(&m_resyncTimer, &QTimer::timeout, this, &HypervisorWorker::resync);
    m_eventTimer.setSingleShot(true);
    m_eventTimer.setInterval(20);
    connect(&m_eventTimer, &QTimer::timeout, this, &HypervisorWorker::flushDomainEvents);
}

HypervisorWorker::~HypervisorWorker()
{
    // Said while every member is there to hear it; the metrics calls still running are waited
    // for (briefly) when the sampler goes.
    m_connection.close();
}

void HypervisorWorker::open()
{
    m_connection.open();
}

void HypervisorWorker::connectionOpened()
{
    m_metrics.start();
    m_cpus = reader().cpus();
    m_cpuAnswers.clear(); // another daemon, maybe another QEMU: compared again
    resync();
    if (m_connection)
        m_resyncTimer.start();
}

void HypervisorWorker::connectionClosing()
{
    m_resyncTimer.stop();
    m_eventTimer.stop();
    m_metrics.stop();
    m_pendingDomains.clear();
}

void HypervisorWorker::leaseConnection(const std::function<void(ConnectionLease, QString)> &reply)
{
    ConnectionLease lease = Vigie::leaseConnection(m_connection.get());
    const QString reason = lease ? QString()
                                 : (m_connection.state() == ConnectionState::Connecting
                                        ? QCoreApplication::translate("Vigie::HypervisorWorker", "the host is connecting")
                                        : QCoreApplication::translate("Vigie::HypervisorWorker", "the host is not connected"));
    reply(lease, reason);
}

InventoryReader HypervisorWorker::reader() const
{
    return InventoryReader(m_connection.get(), m_uri);
}

void HypervisorWorker::resync()
{
    if (!m_connection)
        return;
    HostSnapshot snapshot;
    snapshot.host = readHostInfo();

    virDomainPtr *list = nullptr;
    const int count = virConnectListAllDomains(m_connection.get(), &list, 0);
    if (count < 0) {
        const QString message = Libvirt::lastError();
        if (!m_connection.isAlive())
            m_connection.drop(message);
        else
            qCWarning(lcHypervisor) << m_uri << "cannot list domains:" << message;
        return;
    }
    m_metrics.forgetAllDevices();
    for (const Libvirt::Domain &domain : Libvirt::takeAll<Libvirt::Domain>(list, count)) {
        QString error;
        if (auto vm = reader().domain(domain.get(), &error)) {
            m_metrics.rememberDevices(*vm);
            snapshot.vms.append(*vm);
        } else if (!error.isEmpty()) {
            qCWarning(lcHypervisor) << m_uri << "skips a domain:" << error;
        }
    }
    snapshot.networks = reader().networks();
    if (!m_connection.isAlive()) {
        m_connection.drop(Libvirt::lastError());
        return;
    }
    // The events that arrived while listing are included in this snapshot.
    m_pendingDomains.clear();
    // The snapshot first, so that whoever reports "connected" already knows the host's name.
    snapshot.host.state = ConnectionState::Connected;
    Q_EMIT snapshotReady(snapshot);
    m_connection.markConnected();
}

HostInfo HypervisorWorker::readHostInfo() const
{
    HostInfo host = reader().host();
    host.demo = m_demo;
    host.state = m_connection.state();
    host.hypervisorCpuXml = m_cpus.hypervisor;
    host.hostCpuXml = m_cpus.host;
    return host;
}

void HypervisorWorker::compareCpus(const QList<CpuSource> &sources)
{
    if (!m_connection.get())
        return;
    QList<CpuVerdict> verdicts;
    verdicts.reserve(sources.size());
    for (const CpuSource &source : sources)
        verdicts.append({source.uri, compareCpu(source)});
    Q_EMIT cpusCompared(verdicts);
}

std::optional<CpuCheck> HypervisorWorker::compareCpu(const CpuSource &source)
{
    const QString key = source.hypervisorCpuXml + u'\n' + source.hostCpuXml;
    if (const auto answer = m_cpuAnswers.constFind(key); answer != m_cpuAnswers.cend())
        return *answer;
    virConnectPtr conn = m_connection.get();
    // FAIL_INCOMPATIBLE: libvirt then says which features are missing.
    const unsigned int flags = VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE;
    int rc = VIR_CPU_COMPARE_ERROR;
    int code = VIR_ERR_NO_SUPPORT;
    // Against what this hypervisor can give a guest; the older comparison with the bare host CPU
    // only where the driver lacks it (and only with the source's bare host CPU: a host-model CPU
    // has features the hypervisor emulates, which a bare CPU lacks).
    if (!source.hypervisorCpuXml.isEmpty()) {
        rc = virConnectCompareHypervisorCPU(conn, nullptr, nullptr, nullptr, nullptr,
                                            source.hypervisorCpuXml.toUtf8().constData(), flags);
        code = rc == VIR_CPU_COMPARE_ERROR ? virGetLastErrorCode() : VIR_ERR_OK;
    }
    if (code == VIR_ERR_NO_SUPPORT && !source.hostCpuXml.isEmpty()) {
        rc = virConnectCompareCPU(conn, source.hostCpuXml.toUtf8().constData(), flags);
        code = rc == VIR_CPU_COMPARE_ERROR ? virGetLastErrorCode() : VIR_ERR_OK;
    }
    std::optional<CpuCheck> answer;
    if (rc == VIR_CPU_COMPARE_IDENTICAL || rc == VIR_CPU_COMPARE_SUPERSET) {
        answer = CpuCheck{};
    } else if (rc == VIR_CPU_COMPARE_INCOMPATIBLE || code == VIR_ERR_CPU_INCOMPATIBLE) {
        answer = CpuCheck{false, rc == VIR_CPU_COMPARE_INCOMPATIBLE ? QString() : Libvirt::lastError()};
    } else if (code != VIR_ERR_NO_SUPPORT) {
        // A failure (the daemon went away, say) is not remembered: asked again, it is tried again.
        qCWarning(lcHypervisor) << m_uri << "cannot compare the CPU of" << source.uri << ":" << Libvirt::lastError();
        return std::nullopt;
    }
    m_cpuAnswers.insert(key, answer);
    return answer;
}

void HypervisorWorker::domainEvent(const QString &uuid)
{
    if (!m_connection || uuid.isEmpty())
        return;
    m_pendingDomains.insert(uuid);
    if (!m_eventTimer.isActive())
        m_eventTimer.start();
}

void HypervisorWorker::flushDomainEvents()
{
    const QSet<QString> pending = std::exchange(m_pendingDomains, {});
    for (const QString &uuid : pending) {
        if (!m_connection)
            return;
        const Libvirt::Domain domain = Libvirt::lookup(m_connection.get(), uuid);
        if (!domain) {
            if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
                m_metrics.forgetDevices(uuid);
                Q_EMIT vmRemoved(uuid);
            }
            else if (!m_connection.isAlive())
                m_connection.drop(Libvirt::lastError());
            continue;
        }
        QString error;
        const std::optional<VmInfo> vm = reader().domain(domain.get(), &error);
        if (vm) {
            m_metrics.rememberDevices(*vm);
            Q_EMIT vmChanged(*vm);
        } else if (error.isEmpty()) {
            m_metrics.forgetDevices(uuid);
            Q_EMIT vmRemoved(uuid);
        }
        else
            qCWarning(lcHypervisor) << m_uri << "cannot refresh" << uuid << ":" << error;
    }
}

void HypervisorWorker::setMetricsInterval(int seconds)
{
    m_metrics.setInterval(seconds);
}

void HypervisorWorker::networkEvent()
{
    if (m_connection)
        Q_EMIT networksChanged(reader().networks());
}

DomainOperations HypervisorWorker::operations() const
{
    return DomainOperations(m_connection.get(), m_uri, m_options.readOnly);
}

void HypervisorWorker::operate(quint64 request, const std::function<DomainOperations::Outcome()> &operation)
{
    const DomainOperations::Outcome outcome
        = m_connection ? operation() : DomainOperations::Outcome{false, Libvirt::notConnected(), {}};
    domainEvent(outcome.uuid);
    Q_EMIT domainOperationFinished(request, outcome.ok, outcome.message);
}

void HypervisorWorker::runAction(const QString &uuid, VmAction action)
{
    VmActionResult result;
    result.hostUri = m_uri;
    result.uuid = uuid;
    result.action = action;
    if (!m_connection) {
        result.message = Libvirt::notConnected();
        Q_EMIT actionFinished(result);
        return;
    }
    // A demo guest takes a few seconds to shut down, as a real one does: the test driver turns
    // it off at once, which nobody watching believes. Shown "shutting down" meanwhile.
    if (m_demo && action == VmAction::Shutdown) {
        QString error;
        const Libvirt::Domain domain = Libvirt::lookup(m_connection.get(), uuid);
        std::optional<VmInfo> vm = domain ? reader().domain(domain.get(), &error) : std::nullopt;
        if (vm && vm->state == VmState::Running) {
            vm->state = VmState::ShuttingDown;
            Q_EMIT vmChanged(*vm);
            QTimer::singleShot(DemoShutdownMs, this, [this, result]() mutable {
                // Forced off meanwhile: the shutdown has nothing left to do.
                const Libvirt::Domain now = Libvirt::lookup(m_connection.get(), result.uuid);
                if (now && virDomainIsActive(now.get()) == 0) {
                    result.ok = true;
                    Q_EMIT actionFinished(result);
                    return;
                }
                finishAction(std::move(result));
            });
            return;
        }
    }
    finishAction(std::move(result));
}

void HypervisorWorker::finishAction(VmActionResult result)
{
    if (!m_connection) {
        result.message = Libvirt::notConnected();
        Q_EMIT actionFinished(result);
        return;
    }
    const DomainOperations::Outcome outcome = operations().run(result.uuid, result.action, &result.vmName);
    result.ok = outcome.ok;
    result.message = outcome.message;
    domainEvent(outcome.uuid);
    Q_EMIT actionFinished(result);
}

void HypervisorWorker::fetchDomainXml(quint64 request, const QString &uuid, bool persistent)
{
    QString xml;
    const QString error = m_connection ? operations().readXml(uuid, persistent, &xml).message : Libvirt::notConnected();
    Q_EMIT domainXmlReady(request, xml, error);
}

void HypervisorWorker::defineDomain(quint64 request, const QString &xml, bool start)
{
    operate(request, [&] { return operations().define(xml, start); });
}

void HypervisorWorker::createVm(quint64 request, const NewVm &vm)
{
    operate(request, [&] { return VmProvisioner(m_connection.get()).create(vm); });
}

void HypervisorWorker::removeDomain(quint64 request, const QString &uuid)
{
    operate(request, [&] { return operations().remove(uuid); });
}

void HypervisorWorker::editTags(quint64 request, const QString &uuid, const QStringList &add,
                                const QStringList &remove)
{
    operate(request, [&] { return operations().editTags(uuid, add, remove); });
}

void HypervisorWorker::moveNicToVlan(quint64 request, const QString &uuid, const QString &mac, int vlanId,
                                     const QString &portgroup)
{
    operate(request, [&] { return operations().moveNic(uuid, mac, vlanId, portgroup); });
}

} // namespace Vigie
