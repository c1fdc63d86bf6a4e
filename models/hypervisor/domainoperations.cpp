#include "domainoperations.h"

#include "domainxml.h"
#include "interfacexml.h"
#include "inventory/vmtags.h"
#include "inventoryreader.h"
#include "libvirtutil.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie {

namespace {

DomainOperations::Outcome failed(const QString &message, const QString &uuid = {})
{
    return {false, message, uuid};
}

} // namespace

DomainOperations::DomainOperations(virConnectPtr conn, const QString &uri, bool readOnly)
    : m_conn(conn)
    , m_uri(uri)
    , m_readOnly(readOnly)
{
}

DomainOperations::Outcome DomainOperations::run(const QString &uuid, VmAction action, QString *vmName) const
{
    const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
    if (!domain)
        return failed(Libvirt::lastError());
    if (const char *name = virDomainGetName(domain.get()))
        *vmName = QString::fromUtf8(name);
    int rc = -1;
    switch (action) {
    case VmAction::Start: rc = virDomainCreate(domain.get()); break;
    case VmAction::Shutdown: rc = virDomainShutdown(domain.get()); break;
    case VmAction::Reboot: rc = virDomainReboot(domain.get(), 0); break;
    case VmAction::ForceOff: rc = virDomainDestroy(domain.get()); break;
    case VmAction::Pause: rc = virDomainSuspend(domain.get()); break;
    case VmAction::Resume: rc = virDomainResume(domain.get()); break;
    }
    // Events follow on daemons that send them; the domain is read again for the others too.
    return {rc == 0, rc == 0 ? QString() : Libvirt::lastError(), uuid};
}

DomainOperations::Outcome DomainOperations::readXml(const QString &uuid, bool persistent, QString *xml) const
{
    const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
    if (!domain)
        return failed(Libvirt::lastError());
    // The saved definition with its secrets, what virsh edit shows: editing the live XML would
    // save runtime values (balloon size, device aliases) into the definition.
    // A read-only connection may not read secrets (and edits nothing).
    const unsigned int secure = m_readOnly ? 0 : VIR_DOMAIN_XML_SECURE;
    const unsigned int flags = persistent ? VIR_DOMAIN_XML_INACTIVE | secure : 0;
    const Libvirt::String text(virDomainGetXMLDesc(domain.get(), flags));
    if (!text)
        return failed(Libvirt::lastError());
    *xml = QString::fromUtf8(text.get());
    return {true, {}, {}};
}

DomainOperations::Outcome DomainOperations::define(const QString &xml, bool start) const
{
    const Libvirt::Domain domain(virDomainDefineXML(m_conn, xml.toUtf8().constData()));
    if (!domain)
        return failed(Libvirt::lastError());
    Outcome outcome{true, {}, Libvirt::uuidOf(domain.get())};
    if (start && virDomainCreate(domain.get()) < 0) {
        outcome.ok = false;
        outcome.message = Libvirt::lastError();
        virDomainUndefine(domain.get()); // all or nothing
    }
    return outcome;
}

DomainOperations::Outcome DomainOperations::remove(const QString &uuid) const
{
    const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
    if (!domain)
        return failed(Libvirt::lastError());
    bool ok = !(virDomainIsActive(domain.get()) == 1 && virDomainDestroy(domain.get()) < 0);
    ok = ok && (virDomainIsPersistent(domain.get()) != 1 || virDomainUndefine(domain.get()) == 0);
    return {ok, ok ? QString() : Libvirt::lastError(), uuid};
}

DomainOperations::Outcome DomainOperations::editTags(const QString &uuid, const QStringList &add,
                                                     const QStringList &remove) const
{
    const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
    if (!domain)
        return failed(Libvirt::lastError());
    // Read here, not taken from the GUI's snapshot: another console may have tagged it since.
    QString error;
    const std::optional<VmInfo> vm = InventoryReader(m_conn, m_uri).domain(domain.get(), &error);
    if (!vm)
        return failed(error);
    if (vm->manager == QLatin1String("nova")) {
        return failed(QCoreApplication::translate("Vigie::HypervisorWorker", "%1 is managed by OpenStack Nova, which owns its definition: "
                         "Vigie does not write tags into it. Use Nova's server tags "
                         "(openstack server set --tag).")
                          .arg(vm->displayName.isEmpty() ? vm->name : vm->displayName));
    }
    // The same rules as the dialog's, again here: this is what reaches the definition.
    QStringList valid;
    for (const QString &tag : add) {
        const std::optional<QString> normalized = VmTags::normalize(tag, &error);
        if (!normalized)
            return failed(error);
        valid.append(*normalized);
    }
    const QStringList tags = VmTags::edited(vm->tags, valid, remove);
    if (tags == vm->tags)
        return {true, {}, {}};
    if (tags.size() > VmTags::MaxCount)
        return failed(QCoreApplication::translate("Vigie::HypervisorWorker", "a VM carries at most %1 tags").arg(VmTags::MaxCount));
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (virDomainIsActive(domain.get()) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (virDomainIsPersistent(domain.get()) == 1)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    // No tags left: the element goes (libvirt removes it when given no metadata).
    const QByteArray xml = tags.isEmpty() ? QByteArray() : VmTags::metadataXml(tags).toUtf8();
    const bool ok = virDomainSetMetadata(domain.get(), VIR_DOMAIN_METADATA_ELEMENT, tags.isEmpty() ? nullptr : xml.constData(),
                                         VmTags::Prefix.toLatin1().constData(), VmTags::Namespace.toLatin1().constData(),
                                         flags)
        == 0;
    return {ok, ok ? QString() : Libvirt::lastError(), uuid};
}

DomainOperations::Outcome DomainOperations::moveNic(const QString &uuid, const QString &mac, int vlanId,
                                                    const QString &portgroup) const
{
    const Libvirt::Domain domain = Libvirt::lookup(m_conn, uuid);
    if (!domain)
        return failed(Libvirt::lastError());
    const auto xmlOf = [&](unsigned int flags) { return Libvirt::take(virDomainGetXMLDesc(domain.get(), flags)); };
    const bool active = virDomainIsActive(domain.get()) == 1;
    const bool persistent = virDomainIsPersistent(domain.get()) == 1;
    QString error;
    Outcome outcome{true, {}, uuid};
    bool liveDone = false;
    if (active) {
        const std::optional<QString> live = interfaceXmlInVlan(xmlOf(0), mac, vlanId, portgroup, &error);
        if (!live) {
            outcome = failed(error, uuid);
        } else if (virDomainUpdateDeviceFlags(domain.get(), live->toUtf8().constData(), VIR_DOMAIN_AFFECT_LIVE) == 0) {
            liveDone = true;
        } else if (!Libvirt::isUnsupported(virGetLastErrorCode()) || !persistent) {
            outcome = failed(Libvirt::lastError(), uuid);
        }
    }
    if (outcome.ok && persistent) {
        const QByteArray inactive = xmlOf(VIR_DOMAIN_XML_INACTIVE);
        const std::optional<QString> saved = interfaceXmlInVlan(inactive, mac, vlanId, portgroup, &error);
        bool savedOk = saved && virDomainUpdateDeviceFlags(domain.get(), saved->toUtf8().constData(), VIR_DOMAIN_AFFECT_CONFIG) == 0;
        if (saved && !savedOk && Libvirt::isUnsupported(virGetLastErrorCode())) {
            // Drivers that update no NIC (libvirt's test driver: the demo) can still take the
            // whole definition back with the NIC changed.
            if (const std::optional<QString> whole = domainXmlWithNicInVlan(inactive, mac, vlanId, portgroup, &error))
                savedOk = Libvirt::Domain(virDomainDefineXML(m_conn, whole->toUtf8().constData())) != nullptr;
        }
        if (!savedOk) {
            const QString why = saved ? Libvirt::lastError() : error;
            outcome = failed(liveDone ? QCoreApplication::translate("Vigie::HypervisorWorker", "The running NIC moved, but the saved definition was not "
                                           "updated (it will come back in its old VLAN at next boot): %1")
                                            .arg(why)
                                      : why,
                             uuid);
        } else if (active && !liveDone) {
            outcome.message = QCoreApplication::translate("Vigie::HypervisorWorker", "This host cannot change a running NIC: the VLAN applies at next boot.");
        }
    }
    return outcome;
}

} // namespace Vigie
