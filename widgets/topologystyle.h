#pragma once

#include <QColor>
#include <QGraphicsItem>

// Shared geometry, colours and item types of the topology scene (no class: constants and helpers).
namespace Vigie::TopologyStyle {

// QGraphicsItem::type() of the topology items, for qgraphicsitem_cast.
enum ItemType {
    HostType = QGraphicsItem::UserType + 1,
    VmChipType,
    VlanLaneType,
    NicLinkType,
    DragGhostType,
};

// Below this level of detail items draw simplified (no text, no links): the zoomed-out view
// costs what is visible, not what the scene holds.
inline constexpr qreal SimplifiedBelow = 0.45;

inline constexpr qreal ChipWidth = 156;
inline constexpr qreal ChipHeight = 38;
inline constexpr qreal ChipGap = 6;
inline constexpr qreal HostPadding = 8;
inline constexpr qreal HostHeaderHeight = 66;
inline constexpr qreal HostGap = 28;
inline constexpr qreal LaneSpacing = 30;
inline constexpr qreal LaneLabelWidth = 240;

// Where a host stands while a VM is dragged.
enum class DropState { None, Allowed, Refused, TargetAllowed, TargetRefused };

[[nodiscard]] QColor vlanColor(int index);
// Green below 70 %, amber below 90 %, red above, dark red when over-committed.
[[nodiscard]] QColor capacityColor(double ratio);

} // namespace Vigie::TopologyStyle
