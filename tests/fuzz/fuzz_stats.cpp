// A domain's stats record, node CPU and node memory stats as a daemon returns them: fixed-size
// C arrays whose field names (not necessarily NUL-terminated), types and values the input
// chooses, field names drawn from what libvirt sends so the parser's branches are reached.
#include "metrics/statsparser.h"

#include <libvirt/libvirt.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr std::array Known{
    "state.state", "cpu.time", "vcpu.current", "vcpu.maximum", "balloon.current", "balloon.maximum", "balloon.available",
    "balloon.usable", "balloon.unused", "balloon.rss", "net.count", "net.0.rx.bytes", "net.0.tx.bytes", "net.1.rx.bytes",
    "net.99999999999.tx.bytes", "block.count", "block.0.rd.bytes", "block.0.wr.bytes", "block.0.capacity",
    "block.0.allocation", "block.1.physical", "net.-1.rx.bytes", "block..rd.bytes"};

class Input
{
public:
    Input(const uint8_t *data, size_t size) : m_data(data), m_size(size) {}
    [[nodiscard]] bool atEnd() const { return m_pos >= m_size; }
    uint8_t byte() { return atEnd() ? 0 : m_data[m_pos++]; }
    uint64_t u64()
    {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | byte();
        return v;
    }
    // A known name, or raw bytes filling the field (no terminator).
    void name(char *field, size_t capacity)
    {
        const uint8_t choice = byte();
        std::memset(field, 0, capacity);
        if (choice < 200) {
            std::strncpy(field, Known[choice % Known.size()], capacity - 1);
            return;
        }
        for (size_t i = 0; i < capacity; ++i)
            field[i] = char(byte());
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    std::vector<virTypedParameter> params;
    std::vector<virNodeCPUStats> cpu;
    std::vector<virNodeMemoryStats> memory;
    while (!in.atEnd() && params.size() < 256) {
        const uint8_t kind = in.byte();
        if (kind % 3 == 0) {
            virTypedParameter p{};
            in.name(p.field, sizeof p.field);
            p.type = 1 + in.byte() % 6; // INT .. BOOLEAN (STRING is left out: it owns a pointer)
            p.value.ul = in.u64();
            params.push_back(p);
        } else if (kind % 3 == 1) {
            virNodeCPUStats c{};
            in.name(c.field, sizeof c.field);
            c.value = in.u64();
            cpu.push_back(c);
        } else {
            virNodeMemoryStats m{};
            in.name(m.field, sizeof m.field);
            m.value = in.u64();
            memory.push_back(m);
        }
    }
    Vigie::RawVmStats vm;
    Vigie::StatsParser::parseDomain(params.data(), int(params.size()), &vm);
    Vigie::RawHostStats host;
    Vigie::StatsParser::parseNodeCpu(cpu.data(), int(cpu.size()), &host);
    Vigie::StatsParser::parseNodeMemory(memory.data(), int(memory.size()), &host);
    return 0;
}
