#include "hypervisorsession.h"

#include "libvirteventloop.h"

namespace Vigie {

HypervisorSession::HypervisorSession(const QString &uri, bool demo, const HypervisorWorker::Options &options,
                                     QObject *parent)
    : QObject(parent)
    , m_uri(uri)
    , m_demo(demo)
    , m_eventLoop(LibvirtEventLoop::acquire())
    , m_credentials(std::make_shared<CredentialChannel>())
    , m_worker(new HypervisorWorker(uri, demo, options, m_credentials))
    , m_thread(QStringLiteral("hv:%1").arg(uri.left(10)), m_worker, m_eventLoop)
{
    qRegisterMetaType<HostSnapshot>();
    qRegisterMetaType<VmInfo>();
    qRegisterMetaType<QList<NetworkInfo>>();
    qRegisterMetaType<VmActionResult>();
    qRegisterMetaType<QList<CredentialRequest>>();
    qRegisterMetaType<MetricsTick>();
    qRegisterMetaType<CpuCheck>();

    connect(m_worker, &HypervisorWorker::stateChanged, this,
            [this](ConnectionState state, const QString &message) {
                m_state = state;
                Q_EMIT stateChanged(state, message);
            });
    connect(m_worker, &HypervisorWorker::snapshotReady, this, &HypervisorSession::snapshotReady);
    connect(m_worker, &HypervisorWorker::vmChanged, this, &HypervisorSession::vmChanged);
    connect(m_worker, &HypervisorWorker::vmRemoved, this, &HypervisorSession::vmRemoved);
    connect(m_worker, &HypervisorWorker::networksChanged, this, &HypervisorSession::networksChanged);
    connect(m_worker, &HypervisorWorker::actionFinished, this, &HypervisorSession::actionFinished);
    connect(m_worker, &HypervisorWorker::domainXmlReady, this, &HypervisorSession::domainXmlReady);
    connect(m_worker, &HypervisorWorker::domainOperationFinished, this, &HypervisorSession::domainOperationFinished);
    connect(m_worker, &HypervisorWorker::credentialsRequested, this, &HypervisorSession::credentialsRequested);
    connect(m_worker, &HypervisorWorker::metricsReady, this, &HypervisorSession::metricsReady);
    connect(m_worker, &HypervisorWorker::metricsIntervalApplied, this, &HypervisorSession::metricsIntervalApplied);
    connect(m_worker, &HypervisorWorker::cpuCompared, this, &HypervisorSession::cpuCompared);
    m_thread.start();
}

HypervisorSession::~HypervisorSession()
{
    // Never joined: a worker stuck on a frozen host finishes on its own (see WorkerThread).
    stop();
}

void HypervisorSession::stop()
{
    // A worker waiting for credentials must not wait for a dialog that will never answer.
    m_credentials->abort();
    m_thread.stop();
}

void HypervisorSession::open()
{
    QMetaObject::invokeMethod(m_worker, &HypervisorWorker::open, Qt::QueuedConnection);
}

void HypervisorSession::resync()
{
    QMetaObject::invokeMethod(m_worker, &HypervisorWorker::resync, Qt::QueuedConnection);
}

void HypervisorSession::runAction(const QString &uuid, VmAction action)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, uuid, action] { worker->runAction(uuid, action); },
                              Qt::QueuedConnection);
}

void HypervisorSession::requestDomainXml(const QString &uuid, bool persistent)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, uuid, persistent] { worker->fetchDomainXml(uuid, persistent); },
                              Qt::QueuedConnection);
}

void HypervisorSession::setMetricsInterval(int seconds)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, seconds] { worker->setMetricsInterval(seconds); },
                              Qt::QueuedConnection);
}

void HypervisorSession::leaseConnection(const std::function<void(ConnectionLease, QString)> &reply)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, reply] { worker->leaseConnection(reply); },
                              Qt::QueuedConnection);
}

void HypervisorSession::provideCredentials(CredentialReply &&reply)
{
    m_credentials->answer(std::move(reply));
}

void HypervisorSession::defineDomain(const QString &requestId, const QString &xml, bool start)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, xml, start] { worker->defineDomain(requestId, xml, start); },
        Qt::QueuedConnection);
}

void HypervisorSession::removeDomain(const QString &requestId, const QString &uuid)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, uuid] { worker->removeDomain(requestId, uuid); }, Qt::QueuedConnection);
}

void HypervisorSession::createVm(const QString &requestId, const NewVm &vm)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, vm] { worker->createVm(requestId, vm); }, Qt::QueuedConnection);
}

void HypervisorSession::editTags(const QString &requestId, const QString &uuid, const QStringList &add,
                                 const QStringList &remove)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, uuid, add, remove] { worker->editTags(requestId, uuid, add, remove); },
        Qt::QueuedConnection);
}

void HypervisorSession::moveNicToVlan(const QString &requestId, const QString &uuid, const QString &mac, int vlanId,
                                      const QString &portgroup)
{
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, requestId, uuid, mac, vlanId, portgroup] {
            worker->moveNicToVlan(requestId, uuid, mac, vlanId, portgroup);
        },
        Qt::QueuedConnection);
}

void HypervisorSession::compareCpu(const QString &sourceUri, const QString &hypervisorCpuXml, const QString &hostCpuXml)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, sourceUri, hypervisorCpuXml, hostCpuXml] { worker->compareCpu(sourceUri, hypervisorCpuXml, hostCpuXml); },
        Qt::QueuedConnection);
}

} // namespace Vigie
