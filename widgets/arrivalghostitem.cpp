#include "arrivalghostitem.h"

#include "displaytext.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace Vigie {

using namespace TopologyStyle;

namespace {

const QColor Accent(0xf0, 0x8c, 0x00); // a migrating chip's marching ants
const QColor AccentText(0xb3, 0x5c, 0x00);
constexpr qreal TextLeft = 11;
constexpr qreal TextRight = ChipWidth - 6;
constexpr qreal BarTop = ChipHeight - 11;
constexpr qreal BarHeight = 5;

} // namespace

ArrivalGhostItem::ArrivalGhostItem(const VmKey &sourceVm, QGraphicsItem *host)
    : QGraphicsItem(host)
    , m_sourceVm(sourceVm)
{
    // Not a VM of this host yet: nothing to select, drag or open a menu on.
    setAcceptedMouseButtons(Qt::NoButton);
}

void ArrivalGhostItem::setProgress(const QString &vmName, const QString &sourceName, double percent)
{
    const int rounded = std::clamp(int(std::lround(percent)), 0, 100);
    if (vmName == m_vmName && sourceName == m_sourceName && rounded == m_percent)
        return;
    m_vmName = vmName;
    m_sourceName = sourceName;
    m_percent = rounded;
    //: Tooltip of a VM drawn on the destination host of its live migration. %1: the source host, %2: the job's percentage.
    setToolTip(DisplayText::toolTip(DisplayText::singleLine(vmName) + u'\n'
                                    + tr("arriving from %1: %2 %").arg(DisplayText::singleLine(sourceName)).arg(rounded)));
    update();
}

void ArrivalGhostItem::setAnimationPhase(int phase)
{
    m_animationPhase = phase;
    update();
}

QRectF ArrivalGhostItem::boundingRect() const
{
    return QRectF(-2, -2, ChipWidth + 4, ChipHeight + 4);
}

void ArrivalGhostItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const QRectF frame(0, 0, ChipWidth, ChipHeight);
    painter->setRenderHint(QPainter::Antialiasing);
    // Dashed and see-through: a place taken, not a VM yet. The ants march towards the host.
    // Zoomed out, the outline keeps a couple of pixels on screen.
    const bool near = detailLevel(lod) == DetailLevel::Near;
    QPen border(Accent, near ? 1.5 : 2 / std::max(lod, 0.05), Qt::DashLine);
    border.setDashOffset(m_animationPhase);
    painter->setPen(border);
    painter->setBrush(QColor(0xfd, 0xf6, 0xec, 200));
    painter->drawRoundedRect(frame, 4, 4);
    const QRectF bar(TextLeft, BarTop, TextRight - TextLeft, BarHeight);
    if (!near) {
        // A block with its progress: no text at this scale.
        painter->setPen(Qt::NoPen);
        painter->setBrush(Accent);
        painter->drawRect(QRectF(0, ChipHeight - 20, ChipWidth * m_percent / 100.0, 20));
        return;
    }

    QFont name = QGuiApplication::font();
    name.setPointSizeF(8.5);
    name.setBold(true);
    QFont small = name;
    small.setPointSizeF(7.5);
    small.setBold(false);
    // Outside names, drawn as plain text and bounded before they are measured.
    painter->setFont(name);
    painter->setPen(QColor(0x6b, 0x74, 0x7e));
    painter->drawText(QRectF(TextLeft, 2, TextRight - TextLeft, 16), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(name).elidedText(DisplayText::singleLine(m_vmName), Qt::ElideRight, TextRight - TextLeft));
    //: Percentage of a migration drawn on its destination host.
    const QString percent = tr("%1 %").arg(m_percent);
    const QFontMetricsF smallMetrics(small);
    const qreal percentWidth = smallMetrics.horizontalAdvance(percent);
    painter->setFont(small);
    painter->setPen(AccentText);
    //: Second line of a VM drawn on the destination host of its live migration. %1: the source host.
    const QString from = tr("← from %1").arg(DisplayText::singleLine(m_sourceName));
    const QRectF line(TextLeft, 18, TextRight - TextLeft - percentWidth - 6, 14);
    painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, smallMetrics.elidedText(from, Qt::ElideRight, line.width()));
    painter->drawText(QRectF(TextRight - percentWidth, 18, percentWidth, 14), Qt::AlignRight | Qt::AlignVCenter, percent);

    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xf0, 0x8c, 0x00, 60));
    painter->drawRoundedRect(bar, 2, 2);
    painter->setBrush(Accent);
    painter->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(bar.width() * m_percent / 100.0, bar.height())), 2, 2);
}

} // namespace Vigie
