// A libvirt network's XML.
#include "hypervisor/networkxml.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static_cast<void>(Vigie::NetworkXml::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size))));
    return 0;
}
