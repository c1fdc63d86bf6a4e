#include "inventoryreader.h"

#include "cpuxml.h"
#include "displaytext.h"
#include "domainxml.h"
#include "libvirtutil.h"
#include "logging.h"
#include "networkxml.h"

#include <QFileInfo>
#include <QUrl>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie {

namespace {

QString versionText(unsigned long version)
{
    return QStringLiteral("%1.%2.%3").arg(version / 1000000).arg(version / 1000 % 1000).arg(version % 1000);
}

} // namespace

InventoryReader::InventoryReader(virConnectPtr conn, const QString &uri)
    : m_conn(conn)
    , m_uri(uri)
{
}

HostInfo InventoryReader::host() const
{
    HostInfo host;
    host.uri = m_uri;
    virNodeInfo node{};
    if (virNodeGetInfo(m_conn, &node) == 0) {
        host.cpuModel = QString::fromLatin1(node.model);
        host.cpus = int(node.cpus);
        host.cpuMHz = int(node.mhz);
        host.memoryKiB = node.memory;
    }
    if (const Libvirt::String name{virConnectGetHostname(m_conn)})
        host.hostname = DisplayText::bounded(QString::fromUtf8(name.get()), DomainXml::MaxTextLength);
    if (const char *type = virConnectGetType(m_conn))
        host.hypervisorType = DisplayText::bounded(QString::fromUtf8(type), DomainXml::MaxTextLength);
    unsigned long version = 0;
    if (virConnectGetVersion(m_conn, &version) == 0)
        host.hypervisorVersion = versionText(version);
    if (virConnectGetLibVersion(m_conn, &version) == 0)
        host.libvirtVersion = versionText(version);
    // Every test:/// host reports this machine's name: the node file names the host instead.
    const QUrl url(m_uri);
    if (url.scheme() == QLatin1String("test")) {
        host.displayName = QFileInfo(url.path()).completeBaseName();
        host.hostname = host.displayName;
    } else {
        host.displayName = host.hostname.isEmpty() ? url.host() : host.hostname;
    }
    return host;
}

std::optional<VmInfo> InventoryReader::domain(virDomainPtr domain, QString *error) const
{
    const Libvirt::String xml(virDomainGetXMLDesc(domain, 0));
    if (!xml) {
        // Gone between listing and reading: not an error.
        if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
            *error = Libvirt::lastError();
        return std::nullopt;
    }
    const DomainXml::Result parsed = DomainXml::parse(QByteArray(xml.get()));
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
    // The test driver (demo hosts) cannot migrate.
    if (vm.isActive() && !m_uri.startsWith(QLatin1String("test:")))
        readMigration(domain, reason, &vm);
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

void InventoryReader::readMigration(virDomainPtr domain, int reason, VmInfo *vm)
{
    // A migration's job is seen on its source only: the destination's daemon refuses the call
    // ("migration statistics are available only on the source host") while its paused copy
    // receives the memory, whoever started the migration and whether or not it still runs.
    int type = VIR_DOMAIN_JOB_NONE;
    virTypedParameterPtr params = nullptr;
    int count = 0;
    bool refusedAsDestination = false;
    int operation = VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
    if (virDomainGetJobStats(domain, &type, &params, &count, 0) == 0) {
        virTypedParamsGetInt(params, count, VIR_DOMAIN_JOB_OPERATION, &operation);
        virTypedParamsFree(params, count);
    } else {
        refusedAsDestination = virGetLastErrorCode() == VIR_ERR_OPERATION_UNSUPPORTED;
    }
    classifyMigration(vm, reason, type, operation, refusedAsDestination);
}

void InventoryReader::classifyMigration(VmInfo *vm, int reason, int jobType, int operation, bool refusedAsDestination)
{
    const bool paused = vm->state == VmState::Paused;
    const bool running = vm->state == VmState::Running;
    const bool pausedForMigration = paused && reason == VIR_DOMAIN_PAUSED_MIGRATION;
    // After the switchover the destination's copy runs (stalled, once post-copy failed), but it
    // is still the arriving half of one VM: kept aside like the paused copy before it.
    const bool arrivingAfterSwitchover = running
                                         && (reason == VIR_DOMAIN_RUNNING_POSTCOPY || reason == VIR_DOMAIN_RUNNING_POSTCOPY_FAILED)
                                         && (refusedAsDestination || operation == VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN);
    if (jobType != VIR_DOMAIN_JOB_NONE && operation == VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT)
        vm->migration = VmMigration::Outgoing;
    else if ((pausedForMigration || arrivingAfterSwitchover)
             && (refusedAsDestination || operation == VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN))
        vm->migration = VmMigration::Incoming;
    // A failed post-copy keeps its job on the source (for a resume): paused by it all the same.
    if (paused && vm->migration != VmMigration::Incoming
        && (reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED || (jobType == VIR_DOMAIN_JOB_NONE && reason == VIR_DOMAIN_PAUSED_MIGRATION)))
        vm->pausedByMigration = true;
}

QList<NetworkInfo> InventoryReader::networks() const
{
    QList<NetworkInfo> result;
    virNetworkPtr *networks = nullptr;
    const int count = virConnectListAllNetworks(m_conn, &networks, 0);
    if (count < 0) {
        qCDebug(lcHypervisor) << m_uri << "lists no networks:" << Libvirt::lastError();
        return result;
    }
    for (const Libvirt::Network &handle : Libvirt::takeAll<Libvirt::Network>(networks, count)) {
        if (const Libvirt::String xml{virNetworkGetXMLDesc(handle.get(), 0)}) {
            const NetworkXml::Result parsed = NetworkXml::parse(QByteArray(xml.get()));
            if (parsed.network) {
                NetworkInfo network = *parsed.network;
                network.hostUri = m_uri;
                network.active = virNetworkIsActive(handle.get()) == 1;
                result.append(network);
            } else {
                qCWarning(lcHypervisor) << m_uri << "skips a network:" << parsed.error;
            }
        }
    }
    return result;
}

InventoryReader::Cpus InventoryReader::cpus() const
{
    // The hypervisor's defaults (emulator, architecture, machine, KVM or TCG): the ones the
    // destination's comparison uses too.
    Cpus cpus;
    if (const Libvirt::String caps{virConnectGetDomainCapabilities(m_conn, nullptr, nullptr, nullptr, nullptr, 0)}) {
        cpus.hypervisor = CpuXml::fromDomainCapabilities(QByteArray(caps.get()));
    } else {
        qCDebug(lcHypervisor) << m_uri << "has no domain capabilities:" << Libvirt::lastError();
    }
    if (const Libvirt::String caps{virConnectGetCapabilities(m_conn)})
        cpus.host = CpuXml::fromCapabilities(QByteArray(caps.get()));
    return cpus;
}

} // namespace Vigie
