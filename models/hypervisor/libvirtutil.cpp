#include "libvirtutil.h"

#include "displaytext.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie::Libvirt {

QString lastError()
{
    const char *message = virGetLastErrorMessage();
    return message ? DisplayText::bounded(QString::fromUtf8(message), DisplayText::MaxToolTipLength) : QString();
}

bool isUnsupported(int code)
{
    return code == VIR_ERR_OPERATION_UNSUPPORTED || code == VIR_ERR_NO_SUPPORT || code == VIR_ERR_CONFIG_UNSUPPORTED
           || code == VIR_ERR_OPERATION_INVALID;
}

QString uuidOf(virDomainPtr domain)
{
    char buffer[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(domain, buffer) < 0)
        return {};
    return QString::fromLatin1(buffer);
}

QString notConnected()
{
    return QCoreApplication::translate("Vigie::HypervisorWorker", "host is not connected");
}

void DomainFree::operator()(virDomainPtr domain) const
{
    virDomainFree(domain);
}

Domain lookup(virConnectPtr conn, const QString &uuid)
{
    return Domain(conn ? virDomainLookupByUUIDString(conn, uuid.toLatin1().constData()) : nullptr);
}

} // namespace Vigie::Libvirt
