#include "metricssampler.h"

#include "demo/demometricshistory.h"
#include "helpercalls.h"
#include "libvirtconnection.h"
#include "logging.h"
#include "metrics/demosignal.h"

#include <libvirt/libvirt.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace Vigie {

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

MetricsSampler::MetricsSampler(LibvirtConnection *connection, bool demo, int intervalS, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_demo(demo)
    , m_sink(std::make_shared<PostSink<MetricsSampler>>(this))
    , m_intervalS(intervalS <= 0 ? 0 : std::clamp(intervalS, 1, 60))
    , m_flights(std::make_shared<StatsFlights>())
{
    qRegisterMetaType<MetricsTick>();
    m_timer.setInterval(std::max(m_intervalS, 1) * 1000);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &MetricsSampler::collect);
}

MetricsSampler::~MetricsSampler()
{
    m_sink->detach();
    // A call stuck on a frozen guest's monitor returns only when the guest resumes: past a short
    // wait it is left behind, holding its own connection reference; its answer goes nowhere.
    if (!m_flights->waitAll(std::chrono::seconds(2)))
        qCWarning(lcHypervisor) << m_connection->uri() << "leaves a metrics call running on a helper thread";
}

void MetricsSampler::start()
{
    // Calls still stuck on a previous connection to this host (a frozen daemon) keep their own
    // count: they must not hold this connection's metrics back.
    m_flights = std::make_shared<StatsFlights>();
    m_deriver.clear();
    m_perDomainStats = false;
    if (m_intervalS > 0)
        m_timer.start();
}

void MetricsSampler::stop()
{
    m_timer.stop();
}

void MetricsSampler::setInterval(int seconds)
{
    m_intervalS = seconds <= 0 ? 0 : std::clamp(seconds, 1, 60);
    if (m_intervalS == 0) {
        m_timer.stop();
    } else {
        m_timer.setInterval(m_intervalS * 1000);
        if (*m_connection)
            m_timer.start();
    }
    Q_EMIT intervalApplied(m_intervalS, m_timer.isActive());
}

void MetricsSampler::collect()
{
    if (!*m_connection || !m_connection->checkAlive())
        return;
    // Every slot taken: the host (or several guests) stopped answering. No figures this tick;
    // the store marks the host's VMs stale as time passes.
    if (!m_flights->tryStart(MaxCallsInFlight)) {
        qCDebug(lcHypervisor) << m_connection->uri() << "skips a metrics tick:" << MaxCallsInFlight
                              << "calls still running";
        return;
    }
    const quint64 serial = ++m_serial;
    virConnectPtr conn = m_connection->get();
    virConnectRef(conn);
    std::thread([conn, perDomain = m_perDomainStats, devices = m_devices, shape = m_nodeShape, sink = m_sink,
                 flights = m_flights, serial] {
        const HelperCalls::Guard running; // counted until it returns, whatever waits for it
        RawStatsBatch batch = StatsCollector::collect(conn, perDomain, devices, shape);
        virConnectClose(conn);
        sink->post([serial, batch = std::move(batch)](MetricsSampler *sampler) { sampler->collected(serial, batch); });
        flights->finish();
    }).detach();
}

void MetricsSampler::collected(quint64 serial, const RawStatsBatch &batch)
{
    // A call that hung returns after later ones: its figures are older than what was plotted.
    if (serial <= m_deliveredSerial || !*m_connection)
        return;
    if (!batch.ok) {
        qCDebug(lcHypervisor) << m_connection->uri() << "metrics failed:" << batch.error;
        m_connection->checkAlive();
        return;
    }
    m_deliveredSerial = serial;
    m_nodeShape = batch.nodeShape;
    if (batch.bulkUnusable && !m_perDomainStats) {
        qCDebug(lcHypervisor) << m_connection->uri() << "has no usable bulk stats: per-domain calls from now on";
        m_perDomainStats = true;
    }
    MetricsTick tick;
    tick.hostUri = m_connection->uri();
    tick.demo = m_demo;
    tick.timeMs = batch.host.wallMs;
    tick.intervalMs = std::max(m_intervalS, 1) * 1000;
    tick.host = m_deriver.updateHost(batch.host);
    tick.vms = m_deriver.updateAll(batch.vms);
    if (m_demo) {
        if (!m_demoHistorySent) {
            m_demoHistorySent = true;
            for (qint64 k = DemoMetricsHistory::steps(tick); k >= 1; --k)
                Q_EMIT metricsReady(DemoMetricsHistory::before(tick, k));
        }
        DemoSignal::apply(&tick, tick.timeMs / tick.intervalMs);
    }
    Q_EMIT metricsReady(tick);
}

void MetricsSampler::rememberDevices(const VmInfo &vm)
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

void MetricsSampler::forgetDevices(const QString &uuid)
{
    m_devices.remove(uuid);
}

void MetricsSampler::forgetAllDevices()
{
    m_devices.clear();
}

} // namespace Vigie
