#include "topologystyle.h"

#include <array>

namespace Vigie::TopologyStyle {

QColor vlanColor(int index)
{
    // Distinct on white and for the common colour-blindnesses (Okabe-Ito, then a few more).
    static const std::array<QColor, 10> colors{
        QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
        QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00), QColor(0x6A, 0x3D, 0x9A), QColor(0x88, 0x88, 0x00),
        QColor(0x33, 0x55, 0x66), QColor(0xB1, 0x59, 0x28),
    };
    return colors.at(size_t(index < 0 ? 0 : index) % colors.size());
}

QColor tenantColor(int slot)
{
    static const std::array<QColor, TenantColorCount> colors{
        QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9), QColor(0x00, 0x9E, 0x73), QColor(0xF0, 0xE4, 0x42),
        QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0xCC, 0x79, 0xA7), QColor(0x88, 0x22, 0x55),
        QColor(0x44, 0xAA, 0x99), QColor(0x99, 0x99, 0x33), QColor(0xAA, 0x44, 0x99), QColor(0x33, 0x22, 0x88),
    };
    return colors.at(size_t(slot < 0 ? 0 : slot) % colors.size());
}

int tenantSlot(const QString &tenant)
{
    quint32 hash = 2166136261u;
    for (const char byte : tenant.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % TenantColorCount);
}

QColor capacityColor(double ratio)
{
    if (ratio > 1.0)
        return QColor(0x9b, 0x1c, 0x1c);
    if (ratio >= 0.9)
        return QColor(0xd9, 0x3f, 0x3f);
    if (ratio >= 0.7)
        return QColor(0xe0, 0x9a, 0x1e);
    return QColor(0x3c, 0xa0, 0x5a);
}

} // namespace Vigie::TopologyStyle
