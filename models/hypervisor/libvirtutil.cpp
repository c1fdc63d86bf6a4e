#include "libvirtutil.h"

#include "displaytext.h"

#include <QCoreApplication>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <cstdlib>

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

void Release::operator()(virConnectPtr conn) const
{
    virConnectClose(conn);
}

void Release::operator()(virDomainPtr domain) const
{
    virDomainFree(domain);
}

void Release::operator()(virNetworkPtr network) const
{
    virNetworkFree(network);
}

void Release::operator()(virStoragePoolPtr pool) const
{
    virStoragePoolFree(pool);
}

void Release::operator()(virStorageVolPtr volume) const
{
    virStorageVolFree(volume);
}

void Release::operator()(char *text) const
{
    std::free(text);
}

QByteArray take(char *text)
{
    const String owned(text);
    return owned ? QByteArray(owned.get()) : QByteArray();
}

void freeArray(void *array)
{
    std::free(array);
}

Domain lookup(virConnectPtr conn, const QString &uuid)
{
    return Domain(conn ? virDomainLookupByUUIDString(conn, uuid.toLatin1().constData()) : nullptr);
}

} // namespace Vigie::Libvirt
