#include "niclinkitem.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

NicLinkItem::NicLinkItem(const QString &mac, int vlanId, const QColor &color, QGraphicsItem *chip)
    : QGraphicsItem(chip)
    , m_mac(mac)
    , m_vlanId(vlanId)
    , m_color(color)
{
    setFlag(ItemStacksBehindParent);
    setAcceptedMouseButtons(Qt::NoButton);
}

void NicLinkItem::setGeometry(qreal x, qreal length)
{
    if (x == m_x && length == m_length)
        return;
    prepareGeometryChange();
    m_x = x;
    m_length = length;
}

QPointF NicLinkItem::endPoint() const
{
    return QPointF(m_x, ChipHeight + m_length);
}

QRectF NicLinkItem::boundingRect() const
{
    if (m_length <= 0)
        return {};
    return QRectF(m_x - 5, ChipHeight - 5, 10, m_length + 10);
}

void NicLinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    if (m_length <= 0)
        return;
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const bool highlighted = parentItem() && parentItem()->isSelected();
    // Zoomed out, thousands of links are a grey wash: only the selected VMs' are drawn.
    if (lod < SimplifiedBelow && !highlighted)
        return;
    // Zoomed in, the links of every chip above the view in its column cross it: a link whose chip
    // is off screen keeps only its dot on the lane, so a frame costs what is visible.
    bool chipShown = true;
    if (!highlighted && painter->device()) {
        const QRectF screen(0, 0, painter->device()->width(), painter->device()->height());
        chipShown = painter->worldTransform().mapRect(QRectF(m_x - 8, 0, 16, ChipHeight)).intersects(screen);
        if (!chipShown && !screen.contains(painter->worldTransform().map(endPoint())))
            return;
    }
    QColor color = m_color;
    if (!highlighted)
        color.setAlpha(150);
    painter->setRenderHint(QPainter::Antialiasing);
    if (chipShown) {
        painter->setPen(QPen(color, highlighted ? 2.5 : 1.2));
        painter->drawLine(QPointF(m_x, ChipHeight), endPoint());
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_color);
    painter->drawEllipse(endPoint(), highlighted ? 4.5 : 3.0, highlighted ? 4.5 : 3.0);
}

} // namespace Vigie
