// What a libvirt daemon (or whatever answers on its port) sends Vigie before it authenticates:
// a reply's framing and header, then the input's payload read as AUTH_LIST's list of
// authentication types and as AUTH_SASL_INIT's list of SASL mechanisms.
#include "hypervisor/libvirtrpc.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)Vigie::LibvirtRpc::announcedLength(input);
    QString error;
    if (const auto reply = Vigie::LibvirtRpc::parseReply(input, &error)) {
        (void)Vigie::LibvirtRpc::authTypes(reply->payload);
        (void)Vigie::LibvirtRpc::saslMechanisms(reply->payload);
    }
    (void)Vigie::LibvirtRpc::authTypes(input);
    (void)Vigie::LibvirtRpc::saslMechanisms(input);
    return 0;
}
