#include "ratingbadgeitem.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>

namespace Vigie {

namespace {
QFont badgeFont()
{
    QFont font = QApplication::font();
    font.setBold(true);
    return font;
}
} // namespace

RatingBadgeItem::RatingBadgeItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(5); // above the host's chips
}

QString RatingBadgeItem::text() const
{
    //: Placement score of a host while dragging VMs (out of 100); the best host's says so
    return m_best ? tr("★ %1 · best").arg(m_score) : tr("%1 / 100").arg(m_score);
}

void RatingBadgeItem::setRating(int score, bool best)
{
    prepareGeometryChange();
    m_score = score;
    m_best = best;
    const QFontMetricsF metrics(badgeFont());
    m_size = QSizeF(metrics.horizontalAdvance(text()) + 14, metrics.height() + 6);
    update();
}

QRectF RatingBadgeItem::boundingRect() const
{
    return QRectF(QPointF(-2, -2), m_size + QSizeF(4, 4));
}

void RatingBadgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    // Green (good) to amber to red (poor), readable with white text.
    const QColor fill = m_score >= 70 ? QColor(0x2e, 0x7d, 0x32) : m_score >= 40 ? QColor(0xef, 0x6c, 0x00) : QColor(0xc6, 0x28, 0x28);
    const QRectF rect(QPointF(0, 0), m_size);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(m_best ? QPen(QColor(0x0d, 0x47, 0xa1), 2.5) : QPen(fill.darker(130), 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(rect, m_size.height() / 2, m_size.height() / 2);
    painter->setPen(Qt::white);
    painter->setFont(badgeFont());
    painter->drawText(rect, Qt::AlignCenter, text());
}

} // namespace Vigie
