// The JSON-RPC framer reads whatever an OVSDB server sends: split the input at a point the input
// chooses, feed both halves, take the messages. Every other input is framed the way the client
// frames it, large messages left for parse() (here from 64 bytes on), which then reads them.
#include "network/jsonrpcframer.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Vigie::JsonRpcFramer framer(1 << 20, 32);
    const bool later = size > 1 && data[1] % 2 == 1;
    if (later)
        framer.setParseLaterFrom(64);
    const auto *bytes = reinterpret_cast<const char *>(data);
    const size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    if (framer.feed(QByteArrayView(bytes, qsizetype(cut))))
        static_cast<void>(framer.feed(QByteArrayView(bytes + cut, qsizetype(size - cut))));
    if (!later) {
        static_cast<void>(framer.takeMessages());
        return 0;
    }
    for (Vigie::JsonRpcFramer::Frame &frame : framer.takeFrames()) {
        QString error;
        if (!frame.json.isEmpty())
            static_cast<void>(Vigie::JsonRpcFramer::parse(&frame, &error));
    }
    return 0;
}
