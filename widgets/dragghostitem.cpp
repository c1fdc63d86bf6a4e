#include "dragghostitem.h"

#include "displaytext.h"

#include <QCursor>
#include <QPainter>

namespace Vigie {

using namespace TopologyStyle;

namespace {
constexpr qreal GhostWidth = 260;
constexpr qreal GhostHeight = 40;
constexpr qreal GhostOffset = 11; // from the pointer, clear of the cursor's arrow
} // namespace

DragGhostItem::DragGhostItem(const QString &title, bool followsZoom)
    : m_title(DisplayText::singleLine(title)) // names a VM: bounded before it is measured
{
    setZValue(1000);
    setAcceptedMouseButtons(Qt::NoButton);
    // Readable at any zoom: the ghost keeps its size on screen.
    setFlag(ItemIgnoresTransformations, !followsZoom);
    if (followsZoom)
        setCursor(Qt::OpenHandCursor);
}

void DragGhostItem::setHint(const QString &hint, bool allowed)
{
    if (hint == m_hint && allowed == m_allowed)
        return;
    m_hint = DisplayText::singleLine(hint); // can quote a refusal naming a VM or a host
    m_allowed = allowed;
    update();
}

void DragGhostItem::setSide(bool left, bool above)
{
    if (left == m_left && above == m_above)
        return;
    prepareGeometryChange();
    m_left = left;
    m_above = above;
}

QSizeF DragGhostItem::besidePointer()
{
    return {GhostOffset + GhostWidth + 1, GhostOffset + GhostHeight + 1};
}

// Following the mouse: beside the cursor, a fixed size on screen. Waiting in a host: a chip's
// place and size.
QRectF DragGhostItem::frame() const
{
    if (!flags().testFlag(ItemIgnoresTransformations))
        return QRectF(0, 0, ChipWidth, ChipHeight);
    return QRectF(m_left ? -GhostOffset - GhostWidth : GhostOffset, m_above ? -GhostOffset - GhostHeight : GhostOffset, GhostWidth,
                  GhostHeight);
}

QRectF DragGhostItem::boundingRect() const
{
    return frame().adjusted(-1, -1, 1, 1);
}

void DragGhostItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF frame = this->frame();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor accent = m_hint.isEmpty() ? QColor(0x1e, 0x6f, 0xd9) : (m_allowed ? QColor(0x1f, 0x8a, 0x45) : QColor(0xc6, 0x28, 0x28));
    // Dashed while it waits in a host: not a VM yet.
    painter->setPen(QPen(accent, 1.5, flags().testFlag(ItemIgnoresTransformations) ? Qt::SolidLine : Qt::DashLine));
    painter->setBrush(QColor(255, 255, 255, 225));
    painter->drawRoundedRect(frame, 5, 5);
    QFont font = painter->font();
    font.setPointSizeF(8.5);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(QColor(0x1d, 0x26, 0x30));
    const QRectF title = frame.adjusted(8, 3, -8, -frame.height() / 2);
    painter->drawText(title, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(font).elidedText(m_title, Qt::ElideRight, title.width()));
    font.setBold(false);
    font.setPointSizeF(7.5);
    painter->setFont(font);
    painter->setPen(accent.darker(115));
    const QRectF hint = frame.adjusted(8, frame.height() / 2, -8, -3);
    painter->drawText(hint, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(font).elidedText(m_hint, Qt::ElideRight, hint.width()));
}

} // namespace Vigie
