#include "niclinkitem.h"

#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

NicLinkItem::NicLinkItem(QGraphicsItem *chip)
    : m_chip(chip)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(2); // above the hosts (1 and a little), below a pending placement (10)
    setPos(chip->scenePos());
    if (chip->scene())
        chip->scene()->addItem(this);
}

void NicLinkItem::setRoute(const QString &mac, int vlanId, const QColor &color, const QPolygonF &points)
{
    m_mac = mac;
    m_vlanId = vlanId;
    m_color = color;
    if (points != m_points) {
        prepareGeometryChange();
        m_points = points;
    }
    update();
}

QRectF NicLinkItem::boundingRect() const
{
    if (m_points.size() < 2)
        return {};
    return m_points.boundingRect().adjusted(-6, -6, 6, 6);
}

void NicLinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_points.size() < 2)
        return;
    const bool selected = m_chip->isSelected();
    // The view does not save the painter's state between items (DontSavePainterState): the clip
    // must not reach the items painted after this one.
    painter->save();
    // Behind its chip, as when it was a child stacked behind it: the stub from the badge to the
    // chip's edge is not drawn over the chip.
    QPainterPath outside;
    outside.addRect(boundingRect());
    QPainterPath chipBody;
    chipBody.addRect(QRectF(0, 0, ChipWidth, ChipHeight));
    painter->setClipPath(outside.subtracted(chipBody), Qt::IntersectClip);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    // A white casing keeps the link readable over lanes and host frames.
    painter->setPen(QPen(Qt::white, selected ? 5.0 : 4.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPolyline(m_points);
    painter->setPen(QPen(m_color, selected ? 2.5 : 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPolyline(m_points);
    painter->setPen(QPen(Qt::white, 1.5));
    painter->setBrush(m_color);
    painter->drawEllipse(endPoint(), 4.5, 4.5);
    painter->restore();
}

} // namespace Vigie
