// The JSON-RPC framer reads whatever an OVSDB server sends: split the input at a point the input
// chooses, feed both halves, take the messages.
#include "network/jsonrpcframer.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Vigie::JsonRpcFramer framer(1 << 20, 32);
    const auto *bytes = reinterpret_cast<const char *>(data);
    const size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    if (framer.feed(QByteArrayView(bytes, qsizetype(cut))))
        static_cast<void>(framer.feed(QByteArrayView(bytes + cut, qsizetype(size - cut))));
    static_cast<void>(framer.takeMessages());
    return 0;
}
