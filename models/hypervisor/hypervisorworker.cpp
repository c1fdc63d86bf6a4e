#include "hypervisorworker.h"

#include "accesspolicy.h"
#include "domainoperations.h"
#include "helpercalls.h"
#include "inventoryreader.h"
#include "libvirttls.h"
#include "libvirtutil.h"
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

void postDomainEvent(void *opaque, virDomainPtr domain)
{
    const QString uuid = Libvirt::uuidOf(domain);
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

} // namespace

CredentialReply CredentialChannel::wait()
{
    QMutexLocker locker(&m_mutex);
    while (!m_reply && !m_aborted)
        m_answered.wait(&m_mutex);
    CredentialReply reply = m_aborted ? CredentialReply{} : std::move(*m_reply);
    m_reply.reset();
    return reply;
}

void CredentialChannel::answer(CredentialReply &&reply)
{
    QMutexLocker locker(&m_mutex);
    m_reply = std::move(reply);
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
    // Copied once, into what libvirt frees; the reply wipes its own when it goes.
    for (unsigned int i = 0; i < count; ++i) {
        const QByteArray &value = reply.values.at(i);
        creds[i].result = static_cast<char *>(std::malloc(size_t(value.size()) + 1)); // libvirt frees it
        if (!creds[i].result)
            return -1;
        std::memcpy(creds[i].result, value.constData(), size_t(value.size()) + 1);
        creds[i].resultlen = static_cast<unsigned int>(value.size());
    }
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
        QString message = Libvirt::lastError();
        const int code = virGetLastErrorCode();
        qCWarning(lcHypervisor) << "cannot connect to" << m_uri << ":" << message;
        bool permanent = isPermanent(code);
        // libvirt's TLS errors are terse ("authentication failed: Failed to verify peer's
        // certificate", "Unable to read TLS confirmation"): a handshake of our own to the same
        // place says which check failed and on which certificate (and finds nothing when TLS
        // passed and, say, SASL failed). A certificate is not cured by waiting.
        if (const auto target = LibvirtTlsTarget::fromUri(m_uri); target && code != VIR_ERR_AUTH_CANCELLED) {
            const LibvirtTlsDiagnosis diagnosis = probeLibvirtTls(*target);
            if (diagnosis.found()) {
                message = diagnosis.message(message);
                permanent = true;
                qCWarning(lcHypervisor) << m_uri << "TLS check failed:" << message << "TLS errors:" << diagnosis.errors;
            }
        }
        if (permanent || (!m_everConnected && m_uri.startsWith(QLatin1String("test:"))))
            setState(ConnectionState::Failed, message);
        else
            scheduleReconnect(message);
        return;
    }

    // Keepalive detects a dead or frozen daemon; local drivers do not support it, which is fine.
    if (virConnectSetKeepAlive(m_conn, m_options.keepAliveIntervalS, unsigned(m_options.keepAliveCount)) < 0)
        qCDebug(lcHypervisor) << m_uri << "has no keepalive:" << Libvirt::lastError();
    // libvirt frees each callback's reference when it drops the callback, but not when it
    // refuses to register it.
    void *closeRef = newSinkRef(m_sink);
    if (virConnectRegisterCloseCallback(m_conn, onClose, closeRef, freeSinkRef) < 0) {
        freeSinkRef(closeRef);
        qCDebug(lcHypervisor) << m_uri << "has no close callback:" << Libvirt::lastError();
    }
    const auto registerDomain = [this](int id, virConnectDomainEventGenericCallback callback) {
        void *ref = newSinkRef(m_sink);
        const int callbackId = virConnectDomainEventRegisterAny(m_conn, nullptr, id, callback, ref, freeSinkRef);
        if (callbackId >= 0) {
            m_domainCallbacks.append(callbackId);
        } else {
            freeSinkRef(ref);
            qCDebug(lcHypervisor) << m_uri << "does not report domain event" << id << ":" << Libvirt::lastError();
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
    m_cpus = InventoryReader(m_conn, m_uri).cpus();
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
        const QString message = Libvirt::lastError();
        if (virConnectIsAlive(m_conn) != 1)
            scheduleReconnect(message);
        else
            qCWarning(lcHypervisor) << m_uri << "cannot list domains:" << message;
        return;
    }
    m_devices.clear();
    for (int i = 0; i < count; ++i) {
        QString error;
        if (auto vm = InventoryReader(m_conn, m_uri).domain(domains[i], &error)) {
            rememberDevices(*vm);
            snapshot.vms.append(*vm);
        }
        else if (!error.isEmpty())
            qCWarning(lcHypervisor) << m_uri << "skips a domain:" << error;
        virDomainFree(domains[i]);
    }
    std::free(domains);
    snapshot.networks = InventoryReader(m_conn, m_uri).networks();
    if (virConnectIsAlive(m_conn) != 1) {
        scheduleReconnect(Libvirt::lastError());
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
    HostInfo host = InventoryReader(m_conn, m_uri).host();
    host.demo = m_demo;
    host.state = m_state;
    host.hypervisorCpuXml = m_cpus.hypervisor;
    host.hostCpuXml = m_cpus.host;
    return host;
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
        check.detail = rc == VIR_CPU_COMPARE_INCOMPATIBLE ? QString() : Libvirt::lastError();
        Q_EMIT cpuCompared(sourceUri, true, check);
    } else {
        if (code != VIR_ERR_NO_SUPPORT)
            qCWarning(lcHypervisor) << m_uri << "cannot compare the CPU of" << sourceUri << ":" << Libvirt::lastError();
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
                scheduleReconnect(Libvirt::lastError());
            continue;
        }
        QString error;
        const std::optional<VmInfo> vm = InventoryReader(m_conn, m_uri).domain(domain, &error);
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
    } else {
        m_metricsTimer.setInterval(m_metricsIntervalS * 1000);
        if (m_conn)
            m_metricsTimer.start();
    }
    Q_EMIT metricsIntervalApplied(m_metricsIntervalS, m_metricsTimer.isActive());
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
        const HelperCalls::Guard running; // counted until it returns, whatever waits for it
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
        Q_EMIT networksChanged(InventoryReader(m_conn, m_uri).networks());
}

DomainOperations HypervisorWorker::operations() const
{
    return DomainOperations(m_conn, m_uri, m_options.readOnly);
}

void HypervisorWorker::operate(const QString &requestId,
                               const std::function<DomainOperations::Outcome(const DomainOperations &)> &operation)
{
    const DomainOperations::Outcome outcome
        = m_conn ? operation(operations()) : DomainOperations::Outcome{false, Libvirt::notConnected(), {}};
    domainEvent(outcome.uuid);
    Q_EMIT domainOperationFinished(requestId, outcome.ok, outcome.message);
}

void HypervisorWorker::runAction(const QString &uuid, VmAction action)
{
    VmActionResult result;
    result.hostUri = m_uri;
    result.uuid = uuid;
    result.action = action;
    if (!m_conn) {
        result.message = Libvirt::notConnected();
        Q_EMIT actionFinished(result);
        return;
    }
    // A demo guest takes a few seconds to shut down, as a real one does: the test driver turns
    // it off at once, which nobody watching believes. Shown "shutting down" meanwhile.
    if (m_demo && action == VmAction::Shutdown) {
        QString error;
        const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
        std::optional<VmInfo> vm = domain ? InventoryReader(m_conn, m_uri).domain(domain.get(), &error) : std::nullopt;
        if (vm && vm->state == VmState::Running) {
            vm->state = VmState::ShuttingDown;
            Q_EMIT vmChanged(*vm);
            QTimer::singleShot(DemoShutdownMs, this, [this, result]() mutable {
                // Forced off meanwhile: the shutdown has nothing left to do.
                const Libvirt::Domain now = m_conn ? Libvirt::lookup(m_conn, result.uuid) : Libvirt::Domain();
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
    if (!m_conn) {
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

void HypervisorWorker::fetchDomainXml(const QString &uuid, bool persistent)
{
    QString xml;
    const QString error = m_conn ? operations().readXml(uuid, persistent, &xml).message : Libvirt::notConnected();
    Q_EMIT domainXmlReady(uuid, xml, error, persistent);
}

void HypervisorWorker::defineDomain(const QString &requestId, const QString &xml, bool start)
{
    operate(requestId, [&](const DomainOperations &domains) { return domains.define(xml, start); });
}

void HypervisorWorker::createVm(const QString &requestId, const NewVm &vm)
{
    operate(requestId, [&](const DomainOperations &domains) { return domains.create(vm); });
}

void HypervisorWorker::removeDomain(const QString &requestId, const QString &uuid)
{
    operate(requestId, [&](const DomainOperations &domains) { return domains.remove(uuid); });
}

void HypervisorWorker::editTags(const QString &requestId, const QString &uuid, const QStringList &add,
                                const QStringList &remove)
{
    operate(requestId, [&](const DomainOperations &domains) { return domains.editTags(uuid, add, remove); });
}

void HypervisorWorker::moveNicToVlan(const QString &requestId, const QString &uuid, const QString &mac, int vlanId,
                                     const QString &portgroup)
{
    operate(requestId, [&](const DomainOperations &domains) { return domains.moveNic(uuid, mac, vlanId, portgroup); });
}

} // namespace Vigie
