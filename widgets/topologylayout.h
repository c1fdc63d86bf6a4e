#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>

namespace Vigie {

// Where the topology's hosts and lanes go, from plain figures (no item): the hosts in the given
// order on a grid of columns (as many as make the whole picture largest in the view), each as
// tall as its chips' slots need, the VLAN lanes under them. The scene keeps what must last
// between arrangements (chip and grid columns, rows that only grow) and gives it back.
class TopologyLayout
{
public:
    struct Input
    {
        // Per host, in the picture's order: the chip slots it needs (holes included), and the
        // rows it had (0: none), kept between arrangements: a host only grows.
        QList<qsizetype> slots;
        QList<int> rows;
        int laneCount = 0;
        qreal viewAspect = 0; // width / height of the view; 0: unknown
        // Arranged again: the columns are chosen again, and every host gets the rows its slots
        // need and one free slot more (a VM coming takes it and moves nobody).
        bool reflow = true;
        int chipColumns = 0; // 0: chosen now (previous rows are then forgotten)
        int gridColumns = 0; // 0: chosen now
    };
    struct Result
    {
        int chipColumns = 0;
        int gridColumns = 0;
        QList<QRectF> hosts; // per host, in scene coordinates
        QList<int> rows;     // per host
        QList<qreal> laneY;  // per lane, top to bottom
        qreal laneLength = 0;
        QRectF contentRect; // the whole picture, margins included
    };

    [[nodiscard]] static Result arrange(const Input &input);
    // The top-left corner of chip slot SLOT in its host.
    [[nodiscard]] static QPointF slotPos(qsizetype slot, int chipColumns);
};

} // namespace Vigie
