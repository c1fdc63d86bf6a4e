#include "hypervisorworker.h"

#include "accesspolicy.h"
#include "cpuxml.h"
#include "displaytext.h"
#include "domainxml.h"
#include "interfacexml.h"
#include "inventory/vmtags.h"
#include "logging.h"
#include "metrics/demosignal.h"
#include "networkxml.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMetaObject>
#include <QUrl>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace Vigie {

struct EventSink
{
    QMutex mutex;
    HypervisorWorker *worker = nullptr;

    // Queues call(worker) on the worker's thread; dropped if the worker is gone by then.
    template<typename F>
    void post(F call)
    {
        QMutexLocker locker(&mutex);
        if (HypervisorWorker *target = worker)
            QMetaObject::invokeMethod(target, [target, call] { call(target); }, Qt::QueuedConnection);
    }
};

struct StatsFlights
{
    std::mutex mutex;
    std::condition_variable done;
    int running = 0;

    [[nodiscard]] bool tryStart(int limit)
    {
        std::lock_guard lock(mutex);
        if (running >= limit)
            return false;
        ++running;
        return true;
    }
    void finish()
    {
        std::lock_guard lock(mutex);
        --running;
        done.notify_all();
    }
    // True if every call finished within the timeout.
    bool waitAll(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(mutex);
        return done.wait_for(lock, timeout, [this] { return running == 0; });
    }
};

namespace {

using SinkRef = std::shared_ptr<EventSink>;

void *newSinkRef(const SinkRef &sink)
{
    return new SinkRef(sink);
}

void freeSinkRef(void *opaque)
{
    delete static_cast<SinkRef *>(opaque);
}

EventSink &sinkOf(void *opaque)
{
    return **static_cast<SinkRef *>(opaque);
}

bool isUnsupported(int code)
{
    return code == VIR_ERR_OPERATION_UNSUPPORTED || code == VIR_ERR_NO_SUPPORT || code == VIR_ERR_CONFIG_UNSUPPORTED
           || code == VIR_ERR_OPERATION_INVALID;
}

QString lastError()
{
    // libvirt relays what the remote daemon, QEMU or a hook wrote: bounded like the domain XML's text.
    const char *message = virGetLastErrorMessage();
    return message ? DisplayText::bounded(QString::fromUtf8(message), DisplayText::MaxToolTipLength) : QString();
}

QString domainUuid(virDomainPtr domain)
{
    char buffer[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(domain, buffer) < 0)
        return {};
    return QString::fromLatin1(buffer);
}

void postDomainEvent(void *opaque, virDomainPtr domain)
{
    const QString uuid = domainUuid(domain);
    sinkOf(opaque).post([uuid](HypervisorWorker *worker) { worker->domainEvent(uuid); });
}

int onLifecycle(virConnectPtr, virDomainPtr domain, int, int, void *opaque)
{
    postDomainEvent(opaque, domain);
    return 0;
}

void onDevice(virConnectPtr, virDomainPtr domain, const char *, void *opaque)
{
    postDomainEvent(opaque, domain);
}

void onMetadata(virConnectPtr, virDomainPtr domain, int, const char *, void *opaque)
{
    postDomainEvent(opaque, domain);
}

int onNetworkLifecycle(virConnectPtr, virNetworkPtr, int, int, void *opaque)
{
    sinkOf(opaque).post([](HypervisorWorker *worker) { worker->networkEvent(); });
    return 0;
}

QString closeReasonText(int reason)
{
    switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "connection error");
    case VIR_CONNECT_CLOSE_REASON_EOF:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "the daemon closed the connection");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "keepalive timeout: the host stopped answering");
    default:
        return QCoreApplication::translate("Vigie::HypervisorWorker", "connection closed");
    }
}

void onClose(virConnectPtr, int reason, void *opaque)
{
    const QString text = closeReasonText(reason);
    sinkOf(opaque).post([text](HypervisorWorker *worker) { worker->connectionLost(text); });
}

// Errors that waiting will not cure: the operator has to change the URI or the credentials.
bool isPermanent(int code)
{
    switch (code) {
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_INVALID_ARG:
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_CONFIG_UNSUPPORTED:
        return true;
    default:
        return false;
    }
}

CredentialRequest::Kind kindOf(int type)
{
    switch (type) {
    case VIR_CRED_USERNAME:
    case VIR_CRED_AUTHNAME:
        return CredentialRequest::Kind::Username;
    case VIR_CRED_PASSPHRASE:
    case VIR_CRED_NOECHOPROMPT:
        return CredentialRequest::Kind::Password;
    default:
        return CredentialRequest::Kind::Other;
    }
}

QString versionText(unsigned long version)
{
    return QStringLiteral("%1.%2.%3").arg(version / 1000000).arg(version / 1000 % 1000).arg(version % 1000);
}

} // namespace

CredentialReply CredentialChannel::wait()
{
    QMutexLocker locker(&m_mutex);
    while (!m_reply && !m_aborted)
        m_answered.wait(&m_mutex);
    CredentialReply reply = m_aborted ? CredentialReply{} : *m_reply;
    m_reply.reset();
    return reply;
}

void CredentialChannel::answer(const CredentialReply &reply)
{
    QMutexLocker locker(&m_mutex);
    m_reply = reply;
    m_answered.wakeAll();
}

void CredentialChannel::abort()
{
    QMutexLocker locker(&m_mutex);
    m_aborted = true;
    m_answered.wakeAll();
}

void CredentialChannel::reset()
{
    QMutexLocker locker(&m_mutex);
    m_reply.reset();
}

HypervisorWorker::HypervisorWorker(const QString &uri, bool demo, const Options &options,
                                   std::shared_ptr<CredentialChannel> credentials)
    : m_uri(uri)
    , m_demo(demo)
    , m_options(options)
    , m_credentials(std::move(credentials))
    , m_sink(std::make_shared<EventSink>())
    , m_flights(std::make_shared<StatsFlights>())
{
    qRegisterMetaType<MetricsTick>();
    m_sink->worker = this;
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &HypervisorWorker::open);
    m_resyncTimer.setInterval(m_options.resyncIntervalS * 1000);
    connect(&m_resyncTimer, &QTimer::timeout, this, &HypervisorWorker::resync);
    m_eventTimer.setSingleShot(true);
    m_eventTimer.setInterval(20);
    connect(&m_eventTimer, &QTimer::timeout, this, &HypervisorWorker::flushDomainEvents);
    m_metricsIntervalS = m_options.metricsIntervalS <= 0 ? 0 : std::clamp(m_options.metricsIntervalS, 1, 60);
    m_metricsTimer.setInterval(std::max(m_metricsIntervalS, 1) * 1000);
    m_metricsTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_metricsTimer, &QTimer::timeout, this, &HypervisorWorker::collectMetrics);
}

HypervisorWorker::~HypervisorWorker()
{
    {
        QMutexLocker locker(&m_sink->mutex);
        m_sink->worker = nullptr;
    }
    closeConnection();
    // A call stuck on a frozen guest's monitor returns only when the guest resumes: past a short
    // wait it is left behind, holding its own connection reference; its answer goes nowhere.
    if (!m_flights->waitAll(std::chrono::seconds(2)))
        qCWarning(lcHypervisor) << m_uri << "leaves a metrics call running on a helper thread";
}

int HypervisorWorker::authCallback(virConnectCredential *creds, unsigned int count, void *data)
{
    auto *worker = static_cast<HypervisorWorker *>(data);
    QList<CredentialRequest> requests;
    for (unsigned int i = 0; i < count; ++i) {
        CredentialRequest request;
        request.kind = kindOf(creds[i].type);
        request.prompt = QString::fromUtf8(creds[i].prompt ? creds[i].prompt : "");
        request.defaultValue = QString::fromUtf8(creds[i].defresult ? creds[i].defresult : "");
        request.secret = request.kind == CredentialRequest::Kind::Password;
        requests.append(request);
    }
    worker->m_credentials->reset();
    Q_EMIT worker->credentialsRequested(requests);
    CredentialReply reply = worker->m_credentials->wait();
    if (reply.cancelled || reply.values.size() != qsizetype(count))
        return -1;
    for (unsigned int i = 0; i < count; ++i) {
        QByteArray value = reply.values.at(i).toUtf8();
        creds[i].result = static_cast<char *>(std::malloc(size_t(value.size()) + 1)); // libvirt frees it
        if (!creds[i].result)
            return -1;
        std::memcpy(creds[i].result, value.constData(), size_t(value.size()) + 1);
        creds[i].resultlen = static_cast<unsigned int>(value.size());
        value.fill('\0');
    }
    for (QString &value : reply.values)
        value.fill(QChar(u'\0'));
    return 0;
}

void HypervisorWorker::open()
{
    if (m_conn)
        return;
    setState(ConnectionState::Connecting);
    int credTypes[] = {VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_PASSPHRASE,
                       VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT};
    virConnectAuth auth{credTypes, std::size(credTypes), &authCallback, this};
    const QByteArray uri = (m_options.readOnly ? AccessPolicy::readOnlyUri(m_uri) : m_uri).toUtf8();
    m_conn = virConnectOpenAuth(uri.constData(), &auth, m_options.readOnly ? VIR_CONNECT_RO : 0);
    if (!m_conn) {
        const QString message = lastError();
        const int code = virGetLastErrorCode();
        qCWarning(lcHypervisor) << "cannot connect to" << m_uri << ":" << message;
        if (isPermanent(code) || (!m_everConnected && m_uri.startsWith(QLatin1String("test:"))))
            setState(ConnectionState::Failed, message);
        else
            scheduleReconnect(message);
        return;
    }

    // Keepalive detects a dead or frozen daemon; local drivers do not support it, which is fine.
    if (virConnectSetKeepAlive(m_conn, m_options.keepAliveIntervalS, unsigned(m_options.keepAliveCount)) < 0)
        qCDebug(lcHypervisor) << m_uri << "has no keepalive:" << lastError();
    // libvirt frees each callback's reference when it drops the callback, but not when it
    // refuses to register it.
    void *closeRef = newSinkRef(m_sink);
    if (virConnectRegisterCloseCallback(m_conn, onClose, closeRef, freeSinkRef) < 0) {
        freeSinkRef(closeRef);
        qCDebug(lcHypervisor) << m_uri << "has no close callback:" << lastError();
    }
    const auto registerDomain = [this](int id, virConnectDomainEventGenericCallback callback) {
        void *ref = newSinkRef(m_sink);
        const int callbackId = virConnectDomainEventRegisterAny(m_conn, nullptr, id, callback, ref, freeSinkRef);
        if (callbackId >= 0) {
            m_domainCallbacks.append(callbackId);
        } else {
            freeSinkRef(ref);
            qCDebug(lcHypervisor) << m_uri << "does not report domain event" << id << ":" << lastError();
        }
    };
    registerDomain(VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(onLifecycle));
    registerDomain(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK(onDevice));
    registerDomain(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK(onDevice));
    registerDomain(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK(onMetadata));
    void *networkRef = newSinkRef(m_sink);
    m_networkCallback = virConnectNetworkEventRegisterAny(m_conn, nullptr, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                          VIR_NETWORK_EVENT_CALLBACK(onNetworkLifecycle),
                                                          networkRef, freeSinkRef);
    if (m_networkCallback < 0)
        freeSinkRef(networkRef);

    m_everConnected = true;
    m_backoffS = 1;
    // Calls still stuck on a previous connection to this host (a frozen daemon) keep their own
    // count: they must not hold this connection's metrics back.
    m_flights = std::make_shared<StatsFlights>();
    qCDebug(lcHypervisor) << "connected to" << m_uri;
    m_deriver.clear();
    m_perDomainStats = false;
    readCpus();
    resync();
    if (m_conn) {
        m_resyncTimer.start();
        if (m_metricsIntervalS > 0)
            m_metricsTimer.start();
    }
}

void HypervisorWorker::leaseConnection(const std::function<void(ConnectionLease, QString)> &reply)
{
    ConnectionLease lease = Vigie::leaseConnection(m_conn);
    const QString reason = lease ? QString()
                                 : (m_state == ConnectionState::Connecting
                                        ? QCoreApplication::translate("Vigie::HypervisorWorker", "the host is connecting")
                                        : QCoreApplication::translate("Vigie::HypervisorWorker", "the host is not connected"));
    reply(lease, reason);
}

void HypervisorWorker::closeConnection()
{
    m_resyncTimer.stop();
    m_eventTimer.stop();
    m_metricsTimer.stop();
    m_pendingDomains.clear();
    if (!m_conn)
        return;
    for (int id : std::as_const(m_domainCallbacks))
        virConnectDomainEventDeregisterAny(m_conn, id);
    m_domainCallbacks.clear();
    if (m_networkCallback >= 0)
        virConnectNetworkEventDeregisterAny(m_conn, m_networkCallback);
    m_networkCallback = -1;
    virConnectUnregisterCloseCallback(m_conn, onClose);
    virConnectClose(m_conn);
    m_conn = nullptr;
}

void HypervisorWorker::scheduleReconnect(const QString &reason)
{
    closeConnection();
    setState(ConnectionState::Unreachable, reason);
    qCInfo(lcHypervisor) << m_uri << "unreachable:" << reason << "- retrying in" << m_backoffS << "s";
    m_reconnectTimer.start(m_backoffS * 1000);
    m_backoffS = std::min(m_backoffS * 2, m_options.maxBackoffS);
}

void HypervisorWorker::connectionLost(const QString &reason)
{
    if (m_conn)
        scheduleReconnect(reason);
}

void HypervisorWorker::setState(ConnectionState state, const QString &message)
{
    m_state = state;
    Q_EMIT stateChanged(state, message);
}

void HypervisorWorker::resync()
{
    if (!m_conn)
        return;
    HostSnapshot snapshot;
    snapshot.host = readHostInfo();

    virDomainPtr *domains = nullptr;
    const int count = virConnectListAllDomains(m_conn, &domains, 0);
    if (count < 0) {
        const QString message = lastError();
        if (virConnectIsAlive(m_conn) != 1)
            scheduleReconnect(message);
        else
            qCWarning(lcHypervisor) << m_uri << "cannot list domains:" << message;
        return;
    }
    m_devices.clear();
    for (int i = 0; i < count; ++i) {
        QString error;
        if (auto vm = readDomain(domains[i], &error)) {
            rememberDevices(*vm);
            snapshot.vms.append(*vm);
        }
        else if (!error.isEmpty())
            qCWarning(lcHypervisor) << m_uri << "skips a domain:" << error;
        virDomainFree(domains[i]);
    }
    std::free(domains);
    snapshot.networks = readNetworks();
    if (virConnectIsAlive(m_conn) != 1) {
        scheduleReconnect(lastError());
        return;
    }
    // The events that arrived while listing are included in this snapshot.
    m_pendingDomains.clear();
    // The snapshot first, so that whoever reports "connected" already knows the host's name.
    snapshot.host.state = ConnectionState::Connected;
    Q_EMIT snapshotReady(snapshot);
    if (m_state != ConnectionState::Connected)
        setState(ConnectionState::Connected);
}

HostInfo HypervisorWorker::readHostInfo() const
{
    HostInfo host;
    host.uri = m_uri;
    host.demo = m_demo;
    host.state = m_state;
    virNodeInfo node{};
    if (virNodeGetInfo(m_conn, &node) == 0) {
        host.cpuModel = QString::fromLatin1(node.model);
        host.cpus = int(node.cpus);
        host.cpuMHz = int(node.mhz);
        host.memoryKiB = node.memory;
    }
    host.hypervisorCpuXml = m_hypervisorCpuXml;
    host.hostCpuXml = m_hostCpuXml;
    if (char *name = virConnectGetHostname(m_conn)) {
        host.hostname = DisplayText::bounded(QString::fromUtf8(name), DomainXml::MaxTextLength);
        std::free(name);
    }
    if (const char *type = virConnectGetType(m_conn))
        host.hypervisorType = DisplayText::bounded(QString::fromUtf8(type), DomainXml::MaxTextLength);
    unsigned long version = 0;
    if (virConnectGetVersion(m_conn, &version) == 0)
        host.hypervisorVersion = versionText(version);
    if (virConnectGetLibVersion(m_conn, &version) == 0)
        host.libvirtVersion = versionText(version);
    // Every test:/// host reports this machine's name: the node file names the host instead.
    const QUrl url(m_uri);
    if (url.scheme() == QLatin1String("test"))
        host.displayName = QFileInfo(url.path()).completeBaseName();
    else
        host.displayName = host.hostname.isEmpty() ? url.host() : host.hostname;
    return host;
}

std::optional<VmInfo> HypervisorWorker::readDomain(virDomainPtr domain, QString *error) const
{
    char *xml = virDomainGetXMLDesc(domain, 0);
    if (!xml) {
        // Gone between listing and reading: not an error.
        if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
            *error = lastError();
        return std::nullopt;
    }
    const DomainXml::Result parsed = DomainXml::parse(QByteArray(xml));
    std::free(xml);
    if (!parsed.vm) {
        *error = parsed.error;
        return std::nullopt;
    }
    VmInfo vm = *parsed.vm;
    vm.hostUri = m_uri;
    int state = 0;
    int reason = 0;
    if (virDomainGetState(domain, &state, &reason, 0) == 0)
        vm.state = vmStateFromInt(state);
    vm.persistent = virDomainIsPersistent(domain) == 1;
    // Disk sizes, for quotas and usage: not the test driver's, which gives every disk 1 TiB.
    if (!m_uri.startsWith(QLatin1String("test:"))) {
        for (DiskInfo &disk : vm.disks) {
            virDomainBlockInfo info{};
            if (disk.device == u"disk" && !disk.target.isEmpty()
                && virDomainGetBlockInfo(domain, disk.target.toUtf8().constData(), &info, 0) == 0)
                disk.capacityBytes = info.capacity;
        }
    }
    for (const QString &warning : std::as_const(vm.warnings))
        qCWarning(lcHypervisor) << m_uri << vm.name << warning;
    return vm;
}

QList<NetworkInfo> HypervisorWorker::readNetworks() const
{
    QList<NetworkInfo> result;
    virNetworkPtr *networks = nullptr;
    const int count = virConnectListAllNetworks(m_conn, &networks, 0);
    if (count < 0) {
        qCDebug(lcHypervisor) << m_uri << "lists no networks:" << lastError();
        return result;
    }
    for (int i = 0; i < count; ++i) {
        if (char *xml = virNetworkGetXMLDesc(networks[i], 0)) {
            const NetworkXml::Result parsed = NetworkXml::parse(QByteArray(xml));
            std::free(xml);
            if (parsed.network) {
                NetworkInfo network = *parsed.network;
                network.hostUri = m_uri;
                network.active = virNetworkIsActive(networks[i]) == 1;
                result.append(network);
            } else {
                qCWarning(lcHypervisor) << m_uri << "skips a network:" << parsed.error;
            }
        }
        virNetworkFree(networks[i]);
    }
    std::free(networks);
    return result;
}

void HypervisorWorker::readCpus()
{
    // The hypervisor's defaults (emulator, architecture, machine, KVM or TCG): the ones the
    // destination's comparison uses too.
    m_hypervisorCpuXml.clear();
    m_hostCpuXml.clear();
    if (char *caps = virConnectGetDomainCapabilities(m_conn, nullptr, nullptr, nullptr, nullptr, 0)) {
        m_hypervisorCpuXml = CpuXml::fromDomainCapabilities(QByteArray(caps));
        std::free(caps);
    } else {
        qCDebug(lcHypervisor) << m_uri << "has no domain capabilities:" << lastError();
    }
    if (char *caps = virConnectGetCapabilities(m_conn)) {
        m_hostCpuXml = CpuXml::fromCapabilities(QByteArray(caps));
        std::free(caps);
    }
}

void HypervisorWorker::compareCpu(const QString &sourceUri, const QString &hypervisorCpuXml, const QString &hostCpuXml)
{
    if (!m_conn)
        return;
    // FAIL_INCOMPATIBLE: libvirt then says which features are missing.
    const unsigned int flags = VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE;
    int rc = VIR_CPU_COMPARE_ERROR;
    int code = VIR_ERR_NO_SUPPORT;
    // Against what this hypervisor can give a guest; the older comparison with the bare host CPU
    // only where the driver lacks it (and only with the source's bare host CPU: a host-model CPU
    // has features the hypervisor emulates, which a bare CPU lacks).
    if (!hypervisorCpuXml.isEmpty()) {
        rc = virConnectCompareHypervisorCPU(m_conn, nullptr, nullptr, nullptr, nullptr, hypervisorCpuXml.toUtf8().constData(), flags);
        code = rc == VIR_CPU_COMPARE_ERROR ? virGetLastErrorCode() : VIR_ERR_OK;
    }
    if (code == VIR_ERR_NO_SUPPORT && !hostCpuXml.isEmpty()) {
        rc = virConnectCompareCPU(m_conn, hostCpuXml.toUtf8().constData(), flags);
        code = rc == VIR_CPU_COMPARE_ERROR ? virGetLastErrorCode() : VIR_ERR_OK;
    }
    CpuCheck check;
    if (rc == VIR_CPU_COMPARE_IDENTICAL || rc == VIR_CPU_COMPARE_SUPERSET) {
        Q_EMIT cpuCompared(sourceUri, true, check);
    } else if (rc == VIR_CPU_COMPARE_INCOMPATIBLE || code == VIR_ERR_CPU_INCOMPATIBLE) {
        check.compatible = false;
        check.detail = rc == VIR_CPU_COMPARE_INCOMPATIBLE ? QString() : lastError();
        Q_EMIT cpuCompared(sourceUri, true, check);
    } else {
        if (code != VIR_ERR_NO_SUPPORT)
            qCWarning(lcHypervisor) << m_uri << "cannot compare the CPU of" << sourceUri << ":" << lastError();
        Q_EMIT cpuCompared(sourceUri, false, check);
    }
}

void HypervisorWorker::domainEvent(const QString &uuid)
{
    if (!m_conn || uuid.isEmpty())
        return;
    m_pendingDomains.insert(uuid);
    if (!m_eventTimer.isActive())
        m_eventTimer.start();
}

void HypervisorWorker::flushDomainEvents()
{
    const QSet<QString> pending = std::exchange(m_pendingDomains, {});
    for (const QString &uuid : pending) {
        if (!m_conn)
            return;
        virDomainPtr domain = virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData());
        if (!domain) {
            if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
                m_devices.remove(uuid);
                Q_EMIT vmRemoved(uuid);
            }
            else if (virConnectIsAlive(m_conn) != 1)
                scheduleReconnect(lastError());
            continue;
        }
        QString error;
        const std::optional<VmInfo> vm = readDomain(domain, &error);
        virDomainFree(domain);
        if (vm) {
            rememberDevices(*vm);
            Q_EMIT vmChanged(*vm);
        } else if (error.isEmpty()) {
            m_devices.remove(uuid);
            Q_EMIT vmRemoved(uuid);
        }
        else
            qCWarning(lcHypervisor) << m_uri << "cannot refresh" << uuid << ":" << error;
    }
}

void HypervisorWorker::rememberDevices(const VmInfo &vm)
{
    DomainDevices devices;
    for (const NicInfo &nic : vm.nics) {
        const QString name = nic.target.isEmpty() ? nic.mac : nic.target;
        if (!name.isEmpty())
            devices.interfaces.append(name);
    }
    for (const DiskInfo &disk : vm.disks) {
        if (!disk.target.isEmpty() && disk.device != QLatin1String("cdrom") && disk.device != QLatin1String("floppy"))
            devices.disks.append(disk.target);
    }
    m_devices.insert(vm.uuid, devices);
}

void HypervisorWorker::setMetricsInterval(int seconds)
{
    m_metricsIntervalS = seconds <= 0 ? 0 : std::clamp(seconds, 1, 60);
    if (m_metricsIntervalS == 0) {
        m_metricsTimer.stop();
        return;
    }
    m_metricsTimer.setInterval(m_metricsIntervalS * 1000);
    if (m_conn)
        m_metricsTimer.start();
}

bool HypervisorWorker::checkAlive()
{
    // libvirt's keepalive marks a frozen daemon's connection for closing within
    // interval x (count + 1) seconds, but the close callback runs only once the thread holding
    // the connection's I/O leaves its poll: with a metrics call in flight to the frozen daemon
    // that poll has no timeout (libvirt's GLib event loop computes one and never arms it), so
    // the callback came 36-56 s late. virConnectIsAlive reads the mark without a remote call.
    if (!m_conn || virConnectIsAlive(m_conn) != 0)
        return true;
    connectionLost(closeReasonText(VIR_CONNECT_CLOSE_REASON_KEEPALIVE));
    return false;
}

void HypervisorWorker::collectMetrics()
{
    if (!m_conn || !checkAlive())
        return;
    // Every slot taken: the host (or several guests) stopped answering. No figures this tick;
    // the store marks the host's VMs stale as time passes.
    if (!m_flights->tryStart(MaxMetricsCallsInFlight)) {
        qCDebug(lcHypervisor) << m_uri << "skips a metrics tick:" << MaxMetricsCallsInFlight << "calls still running";
        return;
    }
    const quint64 serial = ++m_metricsSerial;
    virConnectRef(m_conn);
    std::thread([conn = m_conn, perDomain = m_perDomainStats, devices = m_devices, sink = m_sink,
                 flights = m_flights, serial] {
        RawStatsBatch batch = StatsCollector::collect(conn, perDomain, devices);
        virConnectClose(conn);
        sink->post([serial, batch = std::move(batch)](HypervisorWorker *worker) {
            worker->metricsCollected(serial, batch);
        });
        flights->finish();
    }).detach();
}

void HypervisorWorker::metricsCollected(quint64 serial, const RawStatsBatch &batch)
{
    // A call that hung returns after later ones: its figures are older than what was plotted.
    if (serial <= m_deliveredSerial || !m_conn)
        return;
    if (!batch.ok) {
        qCDebug(lcHypervisor) << m_uri << "metrics failed:" << batch.error;
        checkAlive();
        return;
    }
    m_deliveredSerial = serial;
    if (batch.bulkUnusable && !m_perDomainStats) {
        qCDebug(lcHypervisor) << m_uri << "has no usable bulk stats: per-domain calls from now on";
        m_perDomainStats = true;
    }
    MetricsTick tick;
    tick.hostUri = m_uri;
    tick.demo = m_demo;
    tick.timeMs = batch.host.wallMs;
    tick.intervalMs = std::max(m_metricsIntervalS, 1) * 1000;
    tick.host = m_deriver.updateHost(batch.host);
    tick.vms = m_deriver.updateAll(batch.vms);
    if (m_demo) {
        if (!m_demoHistorySent) {
            m_demoHistorySent = true;
            emitDemoHistory(tick);
        }
        DemoSignal::apply(&tick, tick.timeMs / tick.intervalMs);
    }
    Q_EMIT metricsReady(tick);
}

void HypervisorWorker::emitDemoHistory(const MetricsTick &first)
{
    // The demo signal is a pure function of the time step, so a demo host can show the hour
    // before it was opened: charts, sparklines and the dashboard are full from the first second.
    // Oldest first, before the first live tick, so every series stays in time order.
    const qint64 steps = 3600'000 / first.intervalMs;
    for (qint64 k = steps; k >= 1; --k) {
        MetricsTick past = first;
        past.timeMs = first.timeMs - k * first.intervalMs;
        past.host.timeMs = past.timeMs;
        for (VmSampleUpdate &vm : past.vms)
            vm.sample.timeMs = past.timeMs;
        DemoSignal::apply(&past, past.timeMs / past.intervalMs);
        Q_EMIT metricsReady(past);
    }
}

void HypervisorWorker::networkEvent()
{
    if (m_conn)
        Q_EMIT networksChanged(readNetworks());
}

void HypervisorWorker::runAction(const QString &uuid, VmAction action)
{
    VmActionResult result;
    result.hostUri = m_uri;
    result.uuid = uuid;
    result.action = action;
    if (!m_conn) {
        result.message = QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected");
        Q_EMIT actionFinished(result);
        return;
    }
    virDomainPtr domain = virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData());
    if (!domain) {
        result.message = lastError();
        Q_EMIT actionFinished(result);
        return;
    }
    if (const char *name = virDomainGetName(domain))
        result.vmName = QString::fromUtf8(name);
    int rc = -1;
    switch (action) {
    case VmAction::Start: rc = virDomainCreate(domain); break;
    case VmAction::Shutdown: rc = virDomainShutdown(domain); break;
    case VmAction::Reboot: rc = virDomainReboot(domain, 0); break;
    case VmAction::ForceOff: rc = virDomainDestroy(domain); break;
    case VmAction::Pause: rc = virDomainSuspend(domain); break;
    case VmAction::Resume: rc = virDomainResume(domain); break;
    }
    result.ok = rc == 0;
    if (!result.ok)
        result.message = lastError();
    // Events follow on daemons that send them; refreshing here keeps the others current too.
    domainEvent(uuid);
    virDomainFree(domain);
    Q_EMIT actionFinished(result);
}

void HypervisorWorker::fetchDomainXml(const QString &uuid, bool persistent)
{
    QString xml;
    QString error;
    virDomainPtr domain = m_conn ? virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData()) : nullptr;
    if (domain) {
        // The saved definition with its secrets, what virsh edit shows: editing the live XML would
        // save runtime values (balloon size, device aliases) into the definition.
        // A read-only connection may not read secrets (and edits nothing).
        const unsigned int secure = m_options.readOnly ? 0 : VIR_DOMAIN_XML_SECURE;
        const unsigned int flags = persistent ? VIR_DOMAIN_XML_INACTIVE | secure : 0;
        if (char *text = virDomainGetXMLDesc(domain, flags)) {
            xml = QString::fromUtf8(text);
            std::free(text);
        } else {
            error = lastError();
        }
        virDomainFree(domain);
    } else {
        error = m_conn ? lastError()
                       : QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected");
    }
    Q_EMIT domainXmlReady(uuid, xml, error, persistent);
}

void HypervisorWorker::defineDomain(const QString &requestId, const QString &xml, bool start)
{
    if (!m_conn) {
        Q_EMIT domainOperationFinished(requestId, false,
                                       QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected"));
        return;
    }
    virDomainPtr domain = virDomainDefineXML(m_conn, xml.toUtf8().constData());
    if (!domain) {
        Q_EMIT domainOperationFinished(requestId, false, lastError());
        return;
    }
    bool ok = true;
    QString message;
    if (start && virDomainCreate(domain) < 0) {
        ok = false;
        message = lastError();
        virDomainUndefine(domain); // all or nothing
    }
    domainEvent(domainUuid(domain));
    virDomainFree(domain);
    Q_EMIT domainOperationFinished(requestId, ok, message);
}

void HypervisorWorker::createVm(const QString &requestId, const NewVm &vm)
{
    const auto fail = [&](const QString &message) { Q_EMIT domainOperationFinished(requestId, false, message); };
    if (!m_conn) {
        fail(QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected"));
        return;
    }
    char *capabilities = virConnectGetCapabilities(m_conn);
    if (!capabilities) {
        fail(lastError());
        return;
    }
    const std::optional<GuestCapabilities> guest = guestCapabilities(QByteArray(capabilities));
    std::free(capabilities);
    if (!guest) {
        fail(QCoreApplication::translate("Vigie::HypervisorWorker", "the host offers no hardware-virtualized guest type"));
        return;
    }

    virStorageVolPtr volume = nullptr;
    QString diskPath;
    if (vm.tmpl.diskGiB > 0) {
        virStoragePoolPtr pool = virStoragePoolLookupByName(m_conn, "default");
        if (pool && virStoragePoolIsActive(pool) != 1) {
            virStoragePoolFree(pool);
            pool = nullptr;
        }
        if (!pool) {
            virStoragePoolPtr *pools = nullptr;
            const int count = virConnectListAllStoragePools(m_conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
            for (int i = 0; i < count; ++i) {
                if (!pool)
                    pool = pools[i];
                else
                    virStoragePoolFree(pools[i]);
            }
            std::free(pools);
        }
        if (!pool) {
            fail(QCoreApplication::translate("Vigie::HypervisorWorker",
                                             "the host has no active storage pool for the %1 GiB disk: start or define "
                                             "one (virsh pool-define-as default dir --target /var/lib/libvirt/images), "
                                             "or use a template without a disk")
                     .arg(vm.tmpl.diskGiB));
            return;
        }
        volume = virStorageVolCreateXML(pool, vm.volumeXml().toUtf8().constData(), 0);
        const QString poolError = volume ? QString() : lastError();
        virStoragePoolFree(pool);
        if (!volume) {
            fail(poolError);
            return;
        }
        if (char *path = virStorageVolGetPath(volume)) {
            diskPath = QString::fromUtf8(path);
            std::free(path);
        }
    }
    const auto undoVolume = [&] {
        if (volume) {
            virStorageVolDelete(volume, 0);
            virStorageVolFree(volume);
            volume = nullptr;
        }
    };
    if (volume && diskPath.isEmpty()) {
        const QString message = lastError();
        undoVolume();
        fail(message);
        return;
    }

    virDomainPtr domain = virDomainDefineXML(m_conn, vm.domainXml(*guest, diskPath).toUtf8().constData());
    if (!domain) {
        const QString message = lastError();
        undoVolume();
        fail(message);
        return;
    }
    bool ok = true;
    QString message;
    if (vm.start && virDomainCreate(domain) < 0) {
        ok = false;
        message = lastError();
        virDomainUndefine(domain);
        undoVolume();
    }
    if (volume)
        virStorageVolFree(volume);
    domainEvent(domainUuid(domain));
    virDomainFree(domain);
    Q_EMIT domainOperationFinished(requestId, ok, message);
}

void HypervisorWorker::removeDomain(const QString &requestId, const QString &uuid)
{
    virDomainPtr domain = m_conn ? virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData()) : nullptr;
    if (!domain) {
        Q_EMIT domainOperationFinished(requestId, false,
                                       m_conn ? lastError()
                                              : QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected"));
        return;
    }
    bool ok = !(virDomainIsActive(domain) == 1 && virDomainDestroy(domain) < 0);
    ok = ok && (virDomainIsPersistent(domain) != 1 || virDomainUndefine(domain) == 0);
    const QString message = ok ? QString() : lastError();
    domainEvent(uuid);
    virDomainFree(domain);
    Q_EMIT domainOperationFinished(requestId, ok, message);
}

void HypervisorWorker::editTags(const QString &requestId, const QString &uuid, const QStringList &add,
                                const QStringList &remove)
{
    const auto reply = [&](bool ok, const QString &message) { Q_EMIT domainOperationFinished(requestId, ok, message); };
    virDomainPtr domain = m_conn ? virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData()) : nullptr;
    if (!domain)
        return reply(false, m_conn ? lastError() : QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected"));
    // Read here, not taken from the GUI's snapshot: another console may have tagged it since.
    QString error;
    const std::optional<VmInfo> vm = readDomain(domain, &error);
    if (!vm) {
        virDomainFree(domain);
        return reply(false, error);
    }
    if (vm->manager == QLatin1String("nova")) {
        virDomainFree(domain);
        return reply(false, QCoreApplication::translate("Vigie::HypervisorWorker",
                                                        "%1 is managed by OpenStack Nova, which owns its definition: "
                                                        "Vigie does not write tags into it. Use Nova's server tags "
                                                        "(openstack server set --tag).")
                                .arg(vm->displayName.isEmpty() ? vm->name : vm->displayName));
    }
    // The same rules as the dialog's, again here: this is what reaches the definition.
    QStringList valid;
    for (const QString &tag : add) {
        const std::optional<QString> normalized = VmTags::normalize(tag, &error);
        if (!normalized) {
            virDomainFree(domain);
            return reply(false, error);
        }
        valid.append(*normalized);
    }
    const QStringList tags = VmTags::edited(vm->tags, valid, remove);
    if (tags == vm->tags) {
        virDomainFree(domain);
        return reply(true, {});
    }
    if (tags.size() > VmTags::MaxCount) {
        virDomainFree(domain);
        return reply(false, QCoreApplication::translate("Vigie::HypervisorWorker", "a VM carries at most %1 tags")
                                .arg(VmTags::MaxCount));
    }
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (virDomainIsActive(domain) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (virDomainIsPersistent(domain) == 1)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    // No tags left: the element goes (libvirt removes it when given no metadata).
    const QByteArray xml = tags.isEmpty() ? QByteArray() : VmTags::metadataXml(tags).toUtf8();
    const bool ok = virDomainSetMetadata(domain, VIR_DOMAIN_METADATA_ELEMENT, tags.isEmpty() ? nullptr : xml.constData(),
                                         VmTags::Prefix.toLatin1().constData(), VmTags::Namespace.toLatin1().constData(),
                                         flags)
        == 0;
    const QString message = ok ? QString() : lastError();
    domainEvent(uuid);
    virDomainFree(domain);
    reply(ok, message);
}

void HypervisorWorker::moveNicToVlan(const QString &requestId, const QString &uuid, const QString &mac, int vlanId,
                                     const QString &portgroup)
{
    const auto reply = [&](bool ok, const QString &message) { Q_EMIT domainOperationFinished(requestId, ok, message); };
    virDomainPtr domain = m_conn ? virDomainLookupByUUIDString(m_conn, uuid.toLatin1().constData()) : nullptr;
    if (!domain)
        return reply(false, m_conn ? lastError() : QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected"));
    const auto xmlOf = [&](unsigned int flags) {
        char *text = virDomainGetXMLDesc(domain, flags);
        const QByteArray xml(text ? text : "");
        std::free(text);
        return xml;
    };
    const bool active = virDomainIsActive(domain) == 1;
    const bool persistent = virDomainIsPersistent(domain) == 1;
    QString error;
    bool ok = true;
    QString message;
    bool liveDone = false;
    if (active) {
        const std::optional<QString> live = interfaceXmlInVlan(xmlOf(0), mac, vlanId, portgroup, &error);
        if (!live) {
            ok = false;
            message = error;
        } else if (virDomainUpdateDeviceFlags(domain, live->toUtf8().constData(), VIR_DOMAIN_AFFECT_LIVE) == 0) {
            liveDone = true;
        } else if (!isUnsupported(virGetLastErrorCode())) {
            ok = false;
            message = lastError();
        } else if (!persistent) {
            ok = false;
            message = lastError();
        }
    }
    if (ok && persistent) {
        const QByteArray inactive = xmlOf(VIR_DOMAIN_XML_INACTIVE);
        const std::optional<QString> saved = interfaceXmlInVlan(inactive, mac, vlanId, portgroup, &error);
        bool savedOk = saved && virDomainUpdateDeviceFlags(domain, saved->toUtf8().constData(), VIR_DOMAIN_AFFECT_CONFIG) == 0;
        if (saved && !savedOk && isUnsupported(virGetLastErrorCode())) {
            // Drivers that update no NIC (libvirt's test driver: the demo) can still take the
            // whole definition back with the NIC changed.
            if (const std::optional<QString> whole = domainXmlWithNicInVlan(inactive, mac, vlanId, portgroup, &error)) {
                virDomainPtr redefined = virDomainDefineXML(m_conn, whole->toUtf8().constData());
                savedOk = redefined != nullptr;
                if (redefined)
                    virDomainFree(redefined);
            }
        }
        if (!savedOk) {
            ok = false;
            const QString why = saved ? lastError() : error;
            message = liveDone ? QCoreApplication::translate("Vigie::HypervisorWorker",
                                                             "The running NIC moved, but the saved definition was not "
                                                             "updated (it will come back in its old VLAN at next boot): %1")
                                     .arg(why)
                               : why;
        } else if (active && !liveDone) {
            message = QCoreApplication::translate("Vigie::HypervisorWorker",
                                                  "This host cannot change a running NIC: the VLAN applies at next boot.");
        }
    }
    domainEvent(uuid);
    virDomainFree(domain);
    reply(ok, message);
}

} // namespace Vigie
