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
    ArrivalGhostType,
};

// What the topology draws at a scale (QStyleOptionGraphicsItem::levelOfDetailFromTransform):
// - Near: chips with their text and VLAN badges, hosts with labelled bars;
// - Mid: chips as coloured blocks (state, VLAN ticks) without text, hosts with name and bars;
// - Far: chips are not painted at all (ItemHasNoContents, set by the scene); each host is an
//   aggregate: name, VM count, load bars, its VLANs as colour ticks.
// A frame so costs what is visible, not what the scene holds.
enum class DetailLevel { Far, Mid, Near };
inline constexpr qreal MidFrom = 0.16;
inline constexpr qreal NearFrom = 0.5;
[[nodiscard]] constexpr DetailLevel detailLevel(qreal lod)
{
    return lod >= NearFrom ? DetailLevel::Near : lod >= MidFrom ? DetailLevel::Mid : DetailLevel::Far;
}

inline constexpr qreal ChipWidth = 168;
inline constexpr qreal ChipHeight = 50;
inline constexpr qreal ChipGap = 6;
// Under each chip row: room for the NIC links of a selected chip to run to the host's side.
inline constexpr qreal ChipRowGap = 12;
inline constexpr qreal ChipPitch = ChipHeight + ChipRowGap;
inline constexpr qreal HostPadding = 8;
inline constexpr qreal HostHeaderHeight = 62;
// Between hosts: the gutter where a host's links run down to the lanes, beside the host.
inline constexpr qreal HostGap = 36;
inline constexpr qreal LaneSpacing = 26;
inline constexpr qreal LaneLabelWidth = 220;
inline constexpr qreal LaneHeight = 22;

// Where a host stands while a VM is dragged.
enum class DropState { None, Allowed, Refused, TargetAllowed, TargetRefused };

[[nodiscard]] QColor vlanColor(int index);

// What a VM chip's colour says: its state (running, paused, off...), or its tenant.
enum class ChipColouring { State, Tenant };
// The tenants' palette: Okabe-Ito's colour-blind safe colours first, then Paul Tol's muted ones.
inline constexpr int TenantColorCount = 12;
[[nodiscard]] QColor tenantColor(int slot);
// Where a tenant's colour starts on the palette: a hash of its name (FNV-1a of its UTF-8), the
// same every run and on every machine.
[[nodiscard]] int tenantSlot(const QString &tenant);
// Green below 70 %, amber below 90 %, red above, dark red when over-committed.
[[nodiscard]] QColor capacityColor(double ratio);

} // namespace Vigie::TopologyStyle
