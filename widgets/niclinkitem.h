#pragma once

#include "topologystyle.h"

#include <QColor>
#include <QGraphicsItem>
#include <QPolygonF>

namespace Vigie {

// The link from one VM NIC (its badge on the chip) to its VLAN lane, drawn only for a selected or
// hovered chip. Routed by the scene so that it crosses no other chip: down into the gap under the
// chip's row, along it to the host's side, down the gutter beside the host to the lane. Not a
// child of the chip: a host's children draw inside the host (ItemContainsChildrenInShape, so the
// scene's index holds the hosts, not their thousands of chips), and a link leaves its host. It
// lies in the chip's scene above the hosts, placed on the chip by the chip; the chip deletes it.
class NicLinkItem : public QGraphicsItem
{
public:
    explicit NicLinkItem(QGraphicsItem *chip);

    [[nodiscard]] QGraphicsItem *chip() const { return m_chip; }

    enum { Type = TopologyStyle::NicLinkType };
    [[nodiscard]] int type() const override { return Type; }

    [[nodiscard]] QString mac() const { return m_mac; }
    [[nodiscard]] int vlanId() const { return m_vlanId; }
    // POINTS in the chip's coordinates, from the badge to the lane.
    void setRoute(const QString &mac, int vlanId, const QColor &color, const QPolygonF &points);
    [[nodiscard]] const QPolygonF &route() const { return m_points; }
    [[nodiscard]] QPointF endPoint() const { return m_points.isEmpty() ? QPointF() : m_points.last(); }

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QGraphicsItem *m_chip;
    QString m_mac;
    int m_vlanId = 0;
    QColor m_color;
    QPolygonF m_points;
};

} // namespace Vigie
