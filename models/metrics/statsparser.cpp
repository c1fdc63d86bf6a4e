#include "statsparser.h"

#include <libvirt/libvirt.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

namespace Vigie {

namespace {

using namespace std::string_view_literals;

std::string_view fieldOf(const char *field, size_t size)
{
    return std::string_view(field, ::strnlen(field, size));
}

// Every numeric type libvirt may use for a counter; anything else (strings, booleans) is no value.
std::optional<quint64> unsignedValue(const virTypedParameter &p)
{
    switch (p.type) {
    case VIR_TYPED_PARAM_ULLONG: return quint64(p.value.ul);
    case VIR_TYPED_PARAM_UINT: return quint64(p.value.ui);
    case VIR_TYPED_PARAM_LLONG: return p.value.l >= 0 ? std::optional<quint64>(quint64(p.value.l)) : std::nullopt;
    case VIR_TYPED_PARAM_INT: return p.value.i >= 0 ? std::optional<quint64>(quint64(p.value.i)) : std::nullopt;
    default: return std::nullopt;
    }
}

bool consumePrefix(std::string_view *s, std::string_view prefix)
{
    if (s->substr(0, prefix.size()) != prefix)
        return false;
    s->remove_prefix(prefix.size());
    return true;
}

// "N.rest" -> N, rest. Device indices are small; anything else is not a device field.
bool consumeIndex(std::string_view *s, int *index)
{
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), *index);
    if (ec != std::errc() || end == s->data() || end == s->data() + s->size() || *end != '.' || *index < 0
        || *index >= 4096)
        return false;
    s->remove_prefix(size_t(end - s->data()) + 1);
    return true;
}

// Per-device counters summed over devices; a field counts only if some device reported it.
// libvirt numbers devices 0..count-1, so the highest index seen gives the device count.
struct DeviceSums
{
    quint64 sum[4] = {};
    int seen[4] = {};
    int devices = 0;

    void add(int field, int index, quint64 value)
    {
        sum[field] += value;
        ++seen[field];
        devices = std::max(devices, index + 1);
    }
    [[nodiscard]] std::optional<quint64> value(int field) const
    {
        return seen[field] ? std::optional<quint64>(sum[field]) : std::nullopt;
    }
};

int counterField(std::string_view rest, std::string_view a, std::string_view b, std::string_view c,
                 std::string_view d)
{
    if (rest == a)
        return 0;
    if (rest == b)
        return 1;
    if (rest == c)
        return 2;
    if (rest == d)
        return 3;
    return -1;
}

} // namespace

void StatsParser::parseDomain(const virTypedParameter *params, int count, RawVmStats *out)
{
    DeviceSums net;
    DeviceSums block;
    for (int i = 0; i < count; ++i) {
        const virTypedParameter &p = params[i];
        std::string_view name = fieldOf(p.field, sizeof p.field);
        if (name.empty())
            continue;
        switch (name.front()) {
        case 's':
            if (name == "state.state"sv) {
                if (const auto v = unsignedValue(p); v && *v <= 16)
                    out->state = int(*v);
            }
            break;
        case 'c':
            if (name == "cpu.time"sv)
                out->cpuTimeNs = unsignedValue(p);
            break;
        case 'v':
            if (name == "vcpu.current"sv) {
                if (const auto v = unsignedValue(p); v && *v > 0 && *v < 65536)
                    out->vcpus = quint32(*v);
            }
            break;
        case 'b':
            if (consumePrefix(&name, "balloon."sv)) {
                if (name == "current"sv)
                    out->balloonCurrentKiB = unsignedValue(p);
                else if (name == "available"sv)
                    out->balloonAvailableKiB = unsignedValue(p);
                else if (name == "unused"sv)
                    out->balloonUnusedKiB = unsignedValue(p);
                else if (name == "rss"sv)
                    out->balloonRssKiB = unsignedValue(p);
            } else if (consumePrefix(&name, "block."sv)) {
                int index = 0;
                if (!consumeIndex(&name, &index))
                    break;
                const int field = counterField(name, "rd.bytes"sv, "rd.reqs"sv, "wr.bytes"sv, "wr.reqs"sv);
                if (field < 0)
                    break;
                if (const auto v = unsignedValue(p))
                    block.add(field, index, *v);
            }
            break;
        case 'n':
            if (consumePrefix(&name, "net."sv)) {
                int index = 0;
                if (!consumeIndex(&name, &index))
                    break;
                const int field = counterField(name, "rx.bytes"sv, "rx.pkts"sv, "tx.bytes"sv, "tx.pkts"sv);
                if (field < 0)
                    break;
                if (const auto v = unsignedValue(p))
                    net.add(field, index, *v);
            }
            break;
        default:
            break;
        }
    }
    out->netDevices = net.devices;
    out->rxBytes = net.value(0);
    out->rxPackets = net.value(1);
    out->txBytes = net.value(2);
    out->txPackets = net.value(3);
    out->blockDevices = block.devices;
    out->readBytes = block.value(0);
    out->readRequests = block.value(1);
    out->writeBytes = block.value(2);
    out->writeRequests = block.value(3);
}

void StatsParser::parseNodeCpu(const virNodeCPUStats *params, int count, RawHostStats *out)
{
    quint64 total = 0;
    quint64 idle = 0;
    bool any = false;
    bool hasIdle = false;
    for (int i = 0; i < count; ++i) {
        const std::string_view name = fieldOf(params[i].field, sizeof params[i].field);
        const quint64 value = params[i].value;
        if (name == VIR_NODE_CPU_STATS_KERNEL ""sv || name == VIR_NODE_CPU_STATS_USER ""sv) {
            total += value;
            any = true;
        } else if (name == VIR_NODE_CPU_STATS_IDLE ""sv || name == VIR_NODE_CPU_STATS_IOWAIT ""sv) {
            total += value;
            idle += value;
            hasIdle = true;
        }
    }
    if (any && hasIdle) {
        out->cpuTotalNs = total;
        out->cpuBusyNs = total - idle;
    }
}

void StatsParser::parseNodeMemory(const virNodeMemoryStats *params, int count, RawHostStats *out)
{
    std::optional<quint64> free;
    quint64 reclaimable = 0;
    for (int i = 0; i < count; ++i) {
        const std::string_view name = fieldOf(params[i].field, sizeof params[i].field);
        const quint64 value = params[i].value;
        if (name == VIR_NODE_MEMORY_STATS_TOTAL ""sv)
            out->memoryTotalKiB = value;
        else if (name == VIR_NODE_MEMORY_STATS_FREE ""sv)
            free = value;
        else if (name == VIR_NODE_MEMORY_STATS_BUFFERS ""sv || name == VIR_NODE_MEMORY_STATS_CACHED ""sv)
            reclaimable += value;
    }
    if (free)
        out->memoryFreeKiB = *free + reclaimable;
}

} // namespace Vigie
