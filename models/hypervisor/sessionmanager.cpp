#include "sessionmanager.h"

#include "accesspolicy.h"
#include "libvirturi.h"
#include "workerthread.h"

#include "demo/demochassisagent.h"
#include "demo/demodatacenter.h"
#include "inventory/inventory.h"
#include "logging.h"
#include "migration.h"
#include "metrics/metricsstore.h"
#include "metrics/prometheussource.h"

#include <QMetaMethod>
#include <QTimer>
#include <QUuid>
#include <utility>

namespace Vigie {

namespace {
// How long the teardown waits, all hosts together, for their threads to end.
constexpr int TeardownWaitMs = 500;
} // namespace

SessionManager::SessionManager(Inventory *inventory, QObject *parent)
    : QObject(parent)
    , m_inventory(inventory)
    , m_access(new AccessPolicy(this))
    , m_startTimer(new QTimer(this))
{
    m_startTimer->setInterval(StartIntervalMs);
    connect(m_startTimer, &QTimer::timeout, this, &SessionManager::startWaiting);
    qRegisterMetaType<EventRecord>();
}

SessionManager::~SessionManager()
{
    // Every session's thread winds down at once; they are given one short wait all together,
    // not one per host (a frozen host's thread is left to finish on its own: see WorkerThread).
    // The demo files must outlive the sessions that read them.
    for (HypervisorSession *session : std::as_const(m_sessions))
        session->stop();
    qDeleteAll(m_sessions);
    m_sessions.clear();
    if (!WorkerThread::waitForAll(QDeadlineTimer(TeardownWaitMs)))
        qCWarning(lcHypervisor) << WorkerThread::runningCount() << "host thread(s) still busy with a host that does not answer";
}

HypervisorSession *SessionManager::session(const QString &uri) const
{
    return m_sessions.value(uri);
}

bool SessionManager::addConnection(const QString &uri, bool demo, bool readOnly)
{
    if (uri.isEmpty() || m_order.contains(uri)) // connected, or waiting for its turn
        return false;
    // A typo is refused here, once: libvirt would fail to parse it at every retry.
    if (const QString problem = libvirtUriProblem(uri); !problem.isEmpty()) {
        record(uri, {}, tr("Connection"), tr("Refused: %1").arg(problem), EventRecord::Severity::Error);
        Q_EMIT errorOccurred(tr("Cannot connect to %1").arg(uri), problem, QString());
        return false;
    }
    if (readOnly)
        m_access->setReadOnly(uri, true);
    m_order.append(uri);
    m_pending.insert(uri);
    m_inventory->addHost(uri, demo);
    // The first batch at once; the next ones when the timer says.
    if (!m_startTimer->isActive()) {
        m_startTimer->start();
        m_startedInBatch = 0;
    }
    if (m_startedInBatch < StartBatch) {
        ++m_startedInBatch;
        start(uri, demo);
    } else {
        m_waiting.append({uri, demo});
        m_inventory->setHostState(uri, ConnectionState::Connecting,
                                  tr("Waiting: %n host(s) start connecting every %1 ms", nullptr, StartBatch).arg(StartIntervalMs));
    }
    updatePrometheusHosts();
    return true;
}

void SessionManager::start(const QString &uri, bool demo)
{
    HypervisorWorker::Options options = m_options;
    options.readOnly = m_access->isReadOnly(uri);
    if (m_prometheus && !demo)
        options.metricsIntervalS = 0;
    auto *session = new HypervisorSession(uri, demo, options, this);
    m_sessions.insert(uri, session);
    wire(session);
    session->open();
}

void SessionManager::startWaiting()
{
    m_startedInBatch = 0;
    while (m_startedInBatch < StartBatch && !m_waiting.isEmpty()) {
        const auto [uri, demo] = m_waiting.takeFirst();
        ++m_startedInBatch;
        start(uri, demo);
    }
    // Idle once a whole interval passed with nobody to start.
    if (m_startedInBatch == 0)
        m_startTimer->stop();
}

std::optional<bool> SessionManager::takeWaiting(const QString &uri)
{
    const auto waiting = std::find_if(m_waiting.cbegin(), m_waiting.cend(), [&](const auto &w) { return w.first == uri; });
    if (waiting == m_waiting.cend())
        return std::nullopt;
    const bool demo = waiting->second;
    m_waiting.erase(waiting);
    return demo;
}

void SessionManager::removeConnection(const QString &uri)
{
    const bool waited = takeWaiting(uri).has_value();
    HypervisorSession *session = m_sessions.take(uri);
    if (!session && !waited)
        return;
    m_order.removeOne(uri);
    m_access->setReadOnly(uri, false);
    updatePrometheusHosts();
    delete session;
    m_inventory->removeHost(uri);
    if (m_metrics)
        m_metrics->removeHost(uri);
    markSettled(uri);
}

bool SessionManager::openDemo()
{
    if (!m_demo)
        m_demo = std::make_unique<DemoDatacenter>();
    if (!m_demo->isValid()) {
        record({}, {}, tr("Open demo datacenter"), m_demo->errorString(), EventRecord::Severity::Error);
        Q_EMIT errorOccurred(tr("Cannot open the demo datacenter"), m_demo->errorString(), QString());
        return false;
    }
    for (const QString &uri : m_demo->uris())
        addConnection(uri, true);
    if (!m_demo->networkError().isEmpty())
        record({}, {}, tr("Open demo datacenter"), tr("No demo network controller: %1").arg(m_demo->networkError()),
               EventRecord::Severity::Warning);
    else {
        if (!m_demoAgent)
            m_demoAgent = std::make_unique<DemoChassisAgent>(m_inventory, m_demo->southboundServer());
        Q_EMIT demoControllerStarted(m_demo->controllerRemotes(), m_demo->southboundRemotes());
    }
    return true;
}

void SessionManager::reconnect(const QString &uri)
{
    // Asked for by the operator: a waiting host goes now, without its turn.
    if (HypervisorSession *session = m_sessions.value(uri))
        session->open();
    else if (const std::optional<bool> demo = takeWaiting(uri))
        start(uri, *demo);
}

void SessionManager::wire(HypervisorSession *session)
{
    const QString uri = session->uri();
    connect(session, &HypervisorSession::stateChanged, this,
            [this, uri](ConnectionState state, const QString &message) {
                const ConnectionState previous = m_inventory->host(uri).state;
                m_inventory->setHostState(uri, state, message);
                switch (state) {
                case ConnectionState::Unreachable:
                    // Once per outage: the retries that follow are not news.
                    if (previous != ConnectionState::Unreachable) {
                        record(uri, {}, tr("Connection"), tr("Unreachable: %1").arg(message),
                               EventRecord::Severity::Error);
                        Q_EMIT errorOccurred(tr("%1 is unreachable; Vigie keeps retrying").arg(m_inventory->host(uri).displayName),
                                             message, uri);
                    }
                    markSettled(uri);
                    break;
                case ConnectionState::Failed:
                    record(uri, {}, tr("Connection"), tr("Failed: %1").arg(message), EventRecord::Severity::Error);
                    Q_EMIT errorOccurred(tr("Cannot connect to %1").arg(uri), message, uri);
                    markSettled(uri);
                    break;
                case ConnectionState::Connected:
                    record(uri, {}, tr("Connection"), tr("Connected"), EventRecord::Severity::Info);
                    break;
                case ConnectionState::Connecting:
                case ConnectionState::Disconnected:
                    break;
                }
            });
    connect(session, &HypervisorSession::snapshotReady, this, [this, uri](const HostSnapshot &snapshot) {
        const HostInfo before = m_inventory->host(uri);
        m_inventory->applySnapshot(snapshot);
        if (before.state != ConnectionState::Connected || before.hypervisorCpuXml != snapshot.host.hypervisorCpuXml
            || before.hostCpuXml != snapshot.host.hostCpuXml)
            compareCpusSoon(uri);
        if (m_metrics) {
            QSet<QString> uuids;
            for (const VmInfo &vm : snapshot.vms)
                uuids.insert(vm.uuid);
            m_metrics->retainVms(uri, uuids);
        }
        markSettled(uri);
    });
    connect(session, &HypervisorSession::cpusCompared, this,
            [this, uri](const QList<CpuVerdict> &verdicts) { m_inventory->setCpuChecks(uri, verdicts); });
    connect(session, &HypervisorSession::vmChanged, this, [this, uri](const VmInfo &vm) {
        const VmKey key = vm.key();
        const bool known = m_inventory->hasVm(key);
        const VmState before = m_inventory->vm(key).state;
        m_inventory->updateVm(vm);
        if (!known)
            record(uri, vm.name, tr("Defined"), vmStateDisplayName(vm.state), EventRecord::Severity::Info);
        else if (before != vm.state)
            record(uri, vm.name, tr("State changed"),
                   tr("%1 → %2").arg(vmStateDisplayName(before), vmStateDisplayName(vm.state)),
                   EventRecord::Severity::Info);
    });
    connect(session, &HypervisorSession::vmRemoved, this, [this, uri](const QString &uuid) {
        const VmKey key{uri, uuid};
        if (!m_inventory->hasVm(key))
            return;
        const QString name = m_inventory->vm(key).name;
        m_inventory->removeVm(key);
        if (m_metrics)
            m_metrics->removeVm(key);
        record(uri, name, tr("Removed"), tr("Undefined on the host"), EventRecord::Severity::Info);
    });
    connect(session, &HypervisorSession::networksChanged, this,
            [this, uri](const QList<NetworkInfo> &networks) { m_inventory->setNetworks(uri, networks); });
    connect(session, &HypervisorSession::actionFinished, this, [this, uri](const VmActionResult &result) {
        const QString vm = result.vmName.isEmpty() ? m_inventory->vm({uri, result.uuid}).name : result.vmName;
        if (result.ok) {
            record(uri, vm, vmActionDisplayName(result.action), tr("Done"), EventRecord::Severity::Info);
        } else {
            record(uri, vm, vmActionDisplayName(result.action), result.message, EventRecord::Severity::Error);
            Q_EMIT errorOccurred(tr("%1 failed on %2").arg(vmActionDisplayName(result.action), vm), result.message, QString());
        }
    });
    connect(session, &HypervisorSession::metricsReady, this, [this](const MetricsTick &tick) {
        if (m_metrics)
            m_metrics->appendTick(tick);
    });
    connect(session, &HypervisorSession::credentialsRequested, this,
            [this, session, uri](const QList<CredentialRequest> &requests) {
                // Nobody to ask (no window): the connection fails with libvirt's auth error.
                if (!isSignalConnected(QMetaMethod::fromSignal(&SessionManager::credentialsRequested)))
                    session->provideCredentials({});
                else
                    Q_EMIT credentialsRequested(uri, requests);
            });
}

void SessionManager::setMetricsInterval(int seconds)
{
    m_options.metricsIntervalS = seconds;
    for (HypervisorSession *session : std::as_const(m_sessions))
        session->setMetricsInterval(pollingIntervalOf(session));
    if (m_prometheus) {
        m_prometheus->stop();
        PrometheusSource::Config config = m_prometheus->config();
        config.intervalMs = std::max(seconds, 1) * 1000;
        m_prometheus->setConfig(config);
        if (seconds > 0)
            m_prometheus->start();
    }
}

int SessionManager::pollingIntervalOf(const HypervisorSession *session) const
{
    return m_prometheus && !session->isDemo() ? 0 : m_options.metricsIntervalS;
}

void SessionManager::setPrometheus(const std::optional<PrometheusConfig> &config)
{
    delete m_prometheus;
    m_prometheus = nullptr;
    m_prometheusFailing = false;
    if (config) {
        m_prometheus = new PrometheusSource(this);
        PrometheusSource::Config c = *config;
        c.intervalMs = std::max(m_options.metricsIntervalS, 1) * 1000;
        m_prometheus->setConfig(c);
        m_prometheus->setVmLocator([this] {
            // Where each VM runs, else where it is defined.
            QHash<QString, QString> hosts;
            for (const QString &uri : std::as_const(m_order)) {
                for (const VmKey &key : m_inventory->vmKeysOfHost(uri)) {
                    const VmInfo *vm = m_inventory->findVm(key);
                    if (!hosts.contains(key.uuid) || (vm && vm->state == VmState::Running))
                        hosts.insert(key.uuid, uri);
                }
            }
            return hosts;
        });
        connect(m_prometheus, &PrometheusSource::metricsReady, this, [this](const MetricsTick &tick) {
            if (m_metrics)
                m_metrics->appendTick(tick);
        });
        const QString server = PrometheusSource::displayUrl(c.url);
        connect(m_prometheus, &PrometheusSource::stateChanged, this,
                [this, server](PrometheusSource::State state, const QString &message) {
                    // The log says when it fails and when it is back, not every answer.
                    const bool failing = state == PrometheusSource::State::Failing;
                    const bool before = std::exchange(m_prometheusFailing, failing);
                    if (failing && !before) {
                        record({}, {}, tr("Metrics from Prometheus"), message, EventRecord::Severity::Error);
                        Q_EMIT errorOccurred(tr("No metrics from Prometheus"), message, QString());
                    } else if (state == PrometheusSource::State::Ok && before) {
                        record({}, {}, tr("Metrics from Prometheus"), tr("Answering again: %1").arg(message),
                               EventRecord::Severity::Info);
                    }
                });
        record({}, {}, tr("Metrics source"), tr("Prometheus at %1").arg(server), EventRecord::Severity::Info);
    }
    for (HypervisorSession *session : std::as_const(m_sessions))
        session->setMetricsInterval(pollingIntervalOf(session));
    if (m_prometheus) {
        updatePrometheusHosts();
        if (m_options.metricsIntervalS > 0)
            m_prometheus->start();
    }
}

void SessionManager::updatePrometheusHosts()
{
    if (!m_prometheus)
        return;
    QStringList measured;
    for (const QString &uri : std::as_const(m_order)) {
        if (!m_inventory->host(uri).demo)
            measured.append(uri);
    }
    m_prometheus->setHosts(measured);
}

void SessionManager::provideCredentials(const QString &uri, CredentialReply &&reply)
{
    if (HypervisorSession *session = m_sessions.value(uri))
        session->provideCredentials(std::move(reply));
}

void SessionManager::runAction(const QList<VmKey> &vms, VmAction action)
{
    for (const VmKey &key : vms) {
        // Switched over in a post-copy migration, or failed after it: part of its memory is on
        // each host. A destroy, start or resume of either half loses the guest.
        if (const VmInfo *vm = m_inventory->findVm(key); vm && vmInPostCopy(*vm)) {
            record(key.hostUri, vm->name, vmActionDisplayName(action),
                   vmPostCopyFailed(*vm)
                       ? tr("Refused: its post-copy migration failed; only resuming the migration brings it back")
                       : tr("Refused: it is in the post-copy phase of a migration"),
                   EventRecord::Severity::Warning);
            continue;
        }
        if (HypervisorSession *session = m_sessions.value(key.hostUri)) {
            record(key.hostUri, m_inventory->vm(key).name, vmActionDisplayName(action), tr("Requested"),
                   EventRecord::Severity::Info);
            session->runAction(key.uuid, action);
        }
    }
}

void SessionManager::requestDomainXml(const VmKey &vm, bool persistent, XmlReply reply)
{
    if (HypervisorSession *session = m_sessions.value(vm.hostUri))
        session->requestDomainXml(vm.uuid, persistent, std::move(reply));
    else
        reply.post(QString(), tr("No session for %1.").arg(vm.hostUri));
}

void SessionManager::defineDomain(const QString &uri, const QString &xml, bool start, OperationReply reply)
{
    if (HypervisorSession *session = m_sessions.value(uri))
        session->defineDomain(xml, start, std::move(reply));
    else
        reply.post(false, tr("No session for %1.").arg(uri));
}

void SessionManager::removeDomain(const VmKey &vm, OperationReply reply)
{
    if (HypervisorSession *session = m_sessions.value(vm.hostUri))
        session->removeDomain(vm.uuid, std::move(reply));
    else
        reply.post(false, tr("No session for %1.").arg(vm.hostUri));
}

VmKey SessionManager::createVm(const QString &uri, NewVm vm, OperationReply reply)
{
    if (vm.uuid.isEmpty())
        vm.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record(uri, vm.name, tr("Create VM"),
           tr("Requested: %1 in VLAN %2 (%3)").arg(vm.tmpl.summary()).arg(vm.vlanId).arg(m_inventory->vlanName(vm.vlanId)),
           EventRecord::Severity::Info);
    HypervisorSession *session = m_sessions.value(uri);
    QString refusal;
    if (!session) {
        refusal = tr("No session for %1.").arg(uri);
    } else if (vm.carrier.network.isEmpty()) {
        if (const std::optional<VlanCarrier> carrier = vlanCarrier(m_inventory->networks(uri), vm.vlanId))
            vm.carrier = *carrier;
        else
            refusal = tr("No network of %1 carries VLAN %2.").arg(m_inventory->host(uri).displayName).arg(vm.vlanId);
    }
    const auto finished = [this, uri, vm, reply](bool ok, const QString &message) {
        creationFinished(uri, vm, ok, message);
        reply(ok, message);
    };
    if (!refusal.isEmpty())
        OperationReply(this, finished).post(false, refusal);
    else
        session->createVm(vm, {this, finished});
    return {uri, vm.uuid};
}

void SessionManager::creationFinished(const QString &uri, const NewVm &vm, bool ok, const QString &message)
{
    const QString vlan = tr("VLAN %1 (%2)").arg(vm.vlanId).arg(m_inventory->vlanName(vm.vlanId));
    record(uri, vm.name, tr("Create VM"),
           ok ? (vm.start ? tr("Created and started in %1").arg(vlan) : tr("Created in %1").arg(vlan))
              : tr("Not created: %1").arg(message),
           ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
    Q_EMIT vmCreationFinished(VmKey{uri, vm.uuid}, vm.name, ok, message);
}

void SessionManager::moveNicToVlan(const VmKey &vm, const QString &mac, int vlanId, OperationReply reply)
{
    const VmInfo info = m_inventory->vm(vm);
    // The portgroup of the NIC's own network that carries the VLAN (none: the tag alone).
    QString portgroup;
    for (const NicInfo &nic : info.nics) {
        if (nic.mac.compare(mac, Qt::CaseInsensitive) != 0 || nic.sourceType != QLatin1String("network"))
            continue;
        QList<NetworkInfo> own = m_inventory->networks(vm.hostUri);
        own.removeIf([&nic](const NetworkInfo &network) { return network.name != nic.source; });
        if (const std::optional<VlanCarrier> carrier = vlanCarrier(own, vlanId))
            portgroup = carrier->portgroup;
    }
    HypervisorSession *session = m_sessions.value(vm.hostUri);
    if (!session) {
        OperationReply(this, [this, vm, mac, vlanId, reply](bool ok, const QString &message) {
            Q_EMIT nicMoveFinished(vm, mac, vlanId, ok, message);
            reply(ok, message);
        }).post(false, tr("No session for %1.").arg(vm.hostUri));
        return;
    }
    session->moveNicToVlan(vm.uuid, mac, vlanId, portgroup,
                           {this, [this, vm, name = info.name, mac, vlanId, reply](bool ok, const QString &message) {
                                const QString vlan = tr("VLAN %1 (%2)").arg(vlanId).arg(m_inventory->vlanName(vlanId));
                                record(vm.hostUri, name, tr("Move NIC %1").arg(mac),
                                       ok ? (message.isEmpty() ? tr("Now in %1").arg(vlan) : tr("%1: %2").arg(vlan, message))
                                          : tr("Not moved to %1: %2").arg(vlan, message),
                                       ok ? (message.isEmpty() ? EventRecord::Severity::Info : EventRecord::Severity::Warning)
                                          : EventRecord::Severity::Error);
                                Q_EMIT nicMoveFinished(vm, mac, vlanId, ok, message);
                                reply(ok, message);
                            }});
}

void SessionManager::editTags(const QList<VmKey> &vms, const QStringList &add, const QStringList &remove)
{
    for (const VmKey &key : vms) {
        const VmInfo vm = m_inventory->vm(key);
        const QString name = vm.displayName.isEmpty() ? vm.name : vm.displayName;
        const QString change = [&] {
            QStringList parts;
            if (!add.isEmpty())
                parts.append(tr("add %1").arg(add.join(QStringLiteral(", "))));
            if (!remove.isEmpty())
                parts.append(tr("remove %1").arg(remove.join(QStringLiteral(", "))));
            return parts.join(QStringLiteral("; "));
        }();
        HypervisorSession *session = m_sessions.value(key.hostUri);
        QString refusal;
        if (!session)
            refusal = tr("No session for %1.").arg(key.hostUri);
        else if (vm.manager == QLatin1String("nova"))
            refusal = tr("%1 is managed by OpenStack Nova, which owns its definition: Vigie does not write tags into "
                         "it. Use Nova's server tags (openstack server set --tag).")
                          .arg(name);
        if (!refusal.isEmpty()) {
            record(key.hostUri, name, tr("Edit tags"), refusal, EventRecord::Severity::Warning);
            // Answered on the next pass, like a session's reply: callers connect after the call.
            QMetaObject::invokeMethod(this, [this, key, refusal] { Q_EMIT tagsEdited(key, false, refusal); },
                                      Qt::QueuedConnection);
            continue;
        }
        record(key.hostUri, name, tr("Edit tags"), tr("Requested: %1").arg(change), EventRecord::Severity::Info);
        session->editTags(key.uuid, add, remove, {this, [this, key, name](bool ok, const QString &message) {
                              record(key.hostUri, name, tr("Edit tags"), ok ? tr("Done") : message,
                                     ok ? EventRecord::Severity::Info : EventRecord::Severity::Error);
                              Q_EMIT tagsEdited(key, ok, message);
                          }});
    }
}

void SessionManager::record(const QString &uri, const QString &vm, const QString &action, const QString &result,
                            EventRecord::Severity severity)
{
    EventRecord entry;
    entry.time = QDateTime::currentDateTime();
    entry.host = uri.isEmpty() ? QString() : m_inventory->host(uri).displayName;
    entry.hostUri = uri;
    entry.vm = vm;
    entry.action = action;
    entry.result = result;
    entry.severity = severity;
    Q_EMIT eventRecorded(entry);
}

void SessionManager::compareCpusSoon(const QString &uri)
{
    m_cpusToCompare.insert(uri);
    m_cpuTurn.request();
}

// Each comparison is made on the destination's worker (libvirt compares with what that hypervisor
// can run), each destination asked once for all its sources: hosts arrive by the dozen in one turn
// when a fleet connects, and asking per pair posted N x (N - 1) calls and as many answers.
void SessionManager::compareCpus()
{
    const QSet<QString> changed = std::exchange(m_cpusToCompare, {});
    struct Peer
    {
        const HostInfo *host;
        HypervisorSession *session;
    };
    QList<Peer> connected;
    QList<Peer> arrived; // those of CHANGED
    for (const QString &uri : std::as_const(m_order)) {
        const HostInfo *host = m_inventory->findHost(uri);
        HypervisorSession *session = m_sessions.value(uri);
        if (!host || !session || host->state != ConnectionState::Connected)
            continue;
        connected.append({host, session});
        if (changed.contains(uri))
            arrived.append({host, session});
    }
    for (const Peer &dest : std::as_const(connected)) {
        QList<CpuSource> sources;
        for (const Peer &source : changed.contains(dest.host->uri) ? connected : arrived) {
            if (source.host != dest.host && source.host->demo == dest.host->demo)
                sources.append({source.host->uri, source.host->hypervisorCpuXml, source.host->hostCpuXml});
        }
        if (!sources.isEmpty())
            dest.session->compareCpus(sources);
    }
}

void SessionManager::markSettled(const QString &uri)
{
    if (m_pending.remove(uri) && m_pending.isEmpty())
        Q_EMIT settled();
}

} // namespace Vigie
