#pragma once

#include <QString>

namespace Vigie::DemoNoise {

// FNV-1a: stable across runs and platforms, unlike qHash's per-process seed.
[[nodiscard]] inline quint64 stableHash(const QString &text)
{
    quint64 h = 14695981039346656037ull;
    for (const QChar c : text) {
        h ^= c.unicode();
        h *= 1099511628211ull;
    }
    return h;
}

// splitmix64 of (seed, step, channel) mapped to [0, 1): the demo's deterministic randomness.
[[nodiscard]] inline double noise(quint64 seed, qint64 step, quint64 channel)
{
    quint64 z = seed ^ (quint64(step) * 0x9e3779b97f4a7c15ull) ^ (channel * 0xbf58476d1ce4e5b9ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return double(z >> 11) / double(quint64(1) << 53);
}

} // namespace Vigie::DemoNoise
