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
    qRegisterMetaType<QList<CpuVerdict>>();

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
    connect(m_worker, &HypervisorWorker::domainXmlReady, this,
            [this](quint64 request, const QString &xml, const QString &error) { m_xmlRequests.take(request)(xml, error); });
    connect(m_worker, &HypervisorWorker::domainOperationFinished, this,
            [this](quint64 request, bool ok, const QString &message) { m_operations.take(request)(ok, message); });
    connect(m_worker, &HypervisorWorker::credentialsRequested, this, &HypervisorSession::credentialsRequested);
    connect(m_worker, &HypervisorWorker::metricsReady, this, &HypervisorSession::metricsReady);
    connect(m_worker, &HypervisorWorker::metricsIntervalApplied, this, &HypervisorSession::metricsIntervalApplied);
    connect(m_worker, &HypervisorWorker::cpusCompared, this, &HypervisorSession::cpusCompared);
    m_thread.start();
}

HypervisorSession::~HypervisorSession()
{
    // Never joined: a worker stuck on a frozen host finishes on its own (see WorkerThread).
    stop();
    // Whoever still waits hears that no answer will come.
    const QString closed = tr("The connection to %1 was closed before libvirt answered.").arg(m_uri);
    for (const OperationReply &reply : std::as_const(m_operations))
        reply.post(false, closed);
    for (const XmlReply &reply : std::as_const(m_xmlRequests))
        reply.post(QString(), closed);
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

void HypervisorSession::requestDomainXml(const QString &uuid, bool persistent, XmlReply reply)
{
    const quint64 request = m_nextRequest++;
    m_xmlRequests.insert(request, std::move(reply));
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, request, uuid, persistent] { worker->fetchDomainXml(request, uuid, persistent); },
        Qt::QueuedConnection);
}

template<typename F>
void HypervisorSession::operate(OperationReply reply, F call)
{
    const quint64 request = m_nextRequest++;
    m_operations.insert(request, std::move(reply));
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, request, call] { call(worker, request); },
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

void HypervisorSession::defineDomain(const QString &xml, bool start, OperationReply reply)
{
    operate(std::move(reply), [xml, start](HypervisorWorker *worker, quint64 request) {
        worker->defineDomain(request, xml, start);
    });
}

void HypervisorSession::removeDomain(const QString &uuid, OperationReply reply)
{
    operate(std::move(reply), [uuid](HypervisorWorker *worker, quint64 request) { worker->removeDomain(request, uuid); });
}

void HypervisorSession::createVm(const NewVm &vm, OperationReply reply)
{
    operate(std::move(reply), [vm](HypervisorWorker *worker, quint64 request) { worker->createVm(request, vm); });
}

void HypervisorSession::editTags(const QString &uuid, const QStringList &add, const QStringList &remove,
                                 OperationReply reply)
{
    operate(std::move(reply), [uuid, add, remove](HypervisorWorker *worker, quint64 request) {
        worker->editTags(request, uuid, add, remove);
    });
}

void HypervisorSession::moveNicToVlan(const QString &uuid, const QString &mac, int vlanId, const QString &portgroup,
                                      OperationReply reply)
{
    operate(std::move(reply), [uuid, mac, vlanId, portgroup](HypervisorWorker *worker, quint64 request) {
        worker->moveNicToVlan(request, uuid, mac, vlanId, portgroup);
    });
}

void HypervisorSession::compareCpus(const QList<CpuSource> &sources)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, sources] { worker->compareCpus(sources); }, Qt::QueuedConnection);
}

} // namespace Vigie
