#include "topologylayout.h"

#include "topologystyle.h"

#include <algorithm>
#include <cmath>

namespace Vigie {

using namespace TopologyStyle;

QPointF TopologyLayout::slotPos(qsizetype slot, int chipColumns)
{
    return QPointF(HostPadding + qreal(slot % chipColumns) * (ChipWidth + ChipGap), HostHeaderHeight + qreal(slot / chipColumns) * ChipPitch);
}

TopologyLayout::Result TopologyLayout::arrange(const Input &input)
{
    Result result;
    const int hostCount = int(input.slots.size());
    const bool chooseChipColumns = input.reflow || input.chipColumns == 0;
    result.chipColumns = input.chipColumns;
    if (chooseChipColumns) {
        // Chip columns for the fullest host, the same for all so hosts line up.
        qsizetype mostVms = 0;
        for (const qsizetype slots : input.slots)
            mostVms = std::max(mostVms, slots);
        result.chipColumns = std::clamp(int(std::ceil(std::sqrt(double(mostVms) / 3.0))), 2, 8);
    }
    const int chipColumns = result.chipColumns;
    const qreal hostWidth = 2 * HostPadding + chipColumns * ChipWidth + (chipColumns - 1) * ChipGap;
    // Arranged, a host has rows for its chips and one free slot more; between arrangements it
    // only grows, when a VM finds neither hole nor room.
    QList<qreal> heights;
    heights.reserve(hostCount);
    result.rows.reserve(hostCount);
    for (int i = 0; i < hostCount; ++i) {
        const qsizetype slots = input.slots.at(i);
        const int before = chooseChipColumns ? 0 : input.rows.value(i);
        const int rows = input.reflow ? std::max(1, int((slots + chipColumns) / chipColumns))
                                      : std::max({1, int((slots + chipColumns - 1) / chipColumns), before});
        result.rows.append(rows);
        heights.append(HostHeaderHeight + rows * ChipPitch - ChipRowGap + HostPadding);
    }

    result.gridColumns = input.gridColumns;
    if (input.reflow || input.gridColumns == 0) {
        result.gridColumns = hostCount <= 6 ? std::max(hostCount, 1) : int(std::ceil(std::sqrt(double(hostCount))));
        if (input.viewAspect > 0 && hostCount > 1) {
            // As many columns as make the whole picture largest once fitted in the view.
            const qreal lanesHeight = 36 + input.laneCount * LaneSpacing + 32;
            double bestScale = 0;
            for (int columns = 1; columns <= hostCount; ++columns) {
                qreal height = lanesHeight;
                for (int row = 0; row * columns < hostCount; ++row) {
                    qreal tallest = 0;
                    for (int i = row * columns; i < std::min(hostCount, (row + 1) * columns); ++i)
                        tallest = std::max(tallest, heights.at(i));
                    height += tallest + HostGap;
                }
                const qreal width = columns * (hostWidth + HostGap) + 32;
                const double scale = std::min(input.viewAspect / width, 1.0 / height);
                if (scale > bestScale) {
                    bestScale = scale;
                    result.gridColumns = columns;
                }
            }
        }
    }
    const int gridColumns = std::max(1, result.gridColumns);

    qreal rowTop = 0;
    qreal rowHeight = 0;
    qreal gridWidth = 0;
    result.hosts.reserve(hostCount);
    for (int i = 0; i < hostCount; ++i) {
        const int column = i % gridColumns;
        if (column == 0 && i > 0) {
            rowTop += rowHeight + HostGap;
            rowHeight = 0;
        }
        const qreal x = column * (hostWidth + HostGap);
        result.hosts.append(QRectF(x, rowTop, hostWidth, heights.at(i)));
        rowHeight = std::max(rowHeight, heights.at(i));
        gridWidth = std::max(gridWidth, x + hostWidth);
    }
    const qreal gridBottom = hostCount > 0 ? rowTop + rowHeight : 0;
    // The lanes run under the last column's gutter too: its links end there.
    result.laneLength = std::max<qreal>(gridWidth + HostGap, LaneLabelWidth + 200);
    qreal y = gridBottom + 36;
    for (int lane = 0; lane < input.laneCount; ++lane) {
        result.laneY.append(y);
        y += LaneSpacing;
    }
    const qreal bottom = input.laneCount == 0 ? gridBottom : y - LaneSpacing + LaneHeight / 2;
    result.contentRect = QRectF(-16, -16, result.laneLength + 32, bottom + 32);
    return result;
}

} // namespace Vigie
