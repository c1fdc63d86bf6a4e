// A domain's XML as a daemon (or whoever defined the domain) wrote it.
#include "hypervisor/domainxml.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static_cast<void>(Vigie::DomainXml::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size))));
    return 0;
}
