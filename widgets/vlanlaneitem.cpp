#include "vlanlaneitem.h"

#include "displaytext.h"

#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

namespace {
constexpr qreal LabelHeight = LaneHeight;
}

VlanLaneItem::VlanLaneItem(const VlanInfo &vlan, const QColor &color, int hostCount)
    : m_vlan(vlan)
    , m_color(color)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(-1); // under the hosts: the links stand on it
    updateToolTip(hostCount);
}

void VlanLaneItem::setVlan(const VlanInfo &vlan, int hostCount)
{
    m_vlan = vlan;
    updateToolTip(hostCount);
    update();
}

void VlanLaneItem::setLength(qreal length)
{
    if (length == m_length)
        return;
    prepareGeometryChange();
    m_length = length;
}

void VlanLaneItem::setDropState(DropState state, const QString &reason)
{
    if (state == m_dropState && reason == m_dropReason)
        return;
    m_dropState = state;
    m_dropReason = reason;
    setOpacity(state == DropState::Refused || state == DropState::TargetRefused ? 0.4 : 1.0);
    setToolTip(DisplayText::toolTip(reason));
    if (reason.isEmpty())
        updateToolTip(int(m_vlan.hosts.size()));
    update();
}

void VlanLaneItem::updateToolTip(int hostCount)
{
    if (isOverlay()) {
        QString tip = QStringLiteral("<b>%1</b>").arg(tr("Overlay network %1").arg(DisplayText::html(m_vlan.name, DisplayText::MaxLength)));
        tip += QStringLiteral("<br>") + tr("A logical switch of the network controller without a VLAN: its traffic is tunnelled (Geneve) between the hosts.");
        tip += QStringLiteral("<br>") + tr("Switch: %1").arg(DisplayText::html(m_vlan.networks.join(QStringLiteral(", ")), DisplayText::MaxLength));
        tip += QStringLiteral("<br>") + tr("%n VM(s) with a NIC here", nullptr, m_vlan.vmCount);
        setToolTip(DisplayText::richToolTip(tip));
        return;
    }
    QString tip = QStringLiteral("<b>%1</b>").arg(tr("VLAN %1 — %2").arg(m_vlan.id).arg(DisplayText::html(m_vlan.name, DisplayText::MaxLength)));
    tip += QStringLiteral("<br>") + tr("%n VM(s) with a NIC here", nullptr, m_vlan.vmCount);
    if (!m_vlan.hosts.isEmpty())
        tip += QStringLiteral("<br>") + tr("Carried by %1 of %2 hosts").arg(m_vlan.hosts.size()).arg(hostCount);
    if (!m_vlan.subnet.isEmpty())
        tip += QStringLiteral("<br>") + tr("Subnet: %1").arg(DisplayText::html(m_vlan.subnet, DisplayText::MaxLength));
    if (!m_vlan.networks.isEmpty())
        tip += QStringLiteral("<br>") + tr("Networks: %1").arg(DisplayText::html(m_vlan.networks.join(QStringLiteral(", ")), DisplayText::MaxLength));
    tip += QStringLiteral("<br><i>%1</i>").arg(tr("Drop a VM here to move its NIC into this VLAN."));
    setToolTip(DisplayText::richToolTip(tip));
}

QRectF VlanLaneItem::boundingRect() const
{
    return QRectF(-4, -LabelHeight / 2 - 4, m_length + 8, LabelHeight + 8);
}

QPainterPath VlanLaneItem::shape() const
{
    QPainterPath path;
    path.addRect(QRectF(0, -LabelHeight / 2, m_length, LabelHeight));
    return path;
}

void VlanLaneItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const DetailLevel level = detailLevel(lod);
    const bool target = m_dropState == DropState::TargetAllowed;
    painter->setRenderHint(QPainter::Antialiasing, level == DetailLevel::Near);
    if (target) {
        QColor glow = m_color;
        glow.setAlpha(60);
        painter->setPen(Qt::NoPen);
        painter->setBrush(glow);
        painter->drawRoundedRect(QRectF(0, -LabelHeight / 2, m_length, LabelHeight), 6, 6);
    }
    // The label heads the lane, under the first column of hosts: the links end further right,
    // beside their hosts.
    const QRectF label(0, -LabelHeight / 2, LaneLabelWidth, LabelHeight);
    const qreal minWidth = 1.5 / std::max(lod, 0.01);
    painter->setPen(QPen(m_color, std::max(target ? 6.0 : 3.0, minWidth), isOverlay() ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap));
    painter->drawLine(QPointF(label.right(), 0), QPointF(m_length, 0));

    painter->setPen(Qt::NoPen);
    painter->setBrush(m_color);
    painter->drawRoundedRect(label, 5, 5);
    QFont font = painter->font();
    font.setBold(true);
    if (level != DetailLevel::Near) {
        font.setPixelSize(int(std::clamp(11.0 / std::max(lod, 0.01), 11.0, LabelHeight * 0.8)));
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(label.adjusted(6, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          isOverlay() ? DisplayText::singleLine(m_vlan.name) : QString::number(m_vlan.id));
        return;
    }
    font.setPointSizeF(8.5);
    painter->setFont(font);
    painter->setPen(Qt::white);
    const QString title = isOverlay() ? tr("Overlay · %1").arg(DisplayText::singleLine(m_vlan.name))
                                      : tr("VLAN %1 · %2").arg(m_vlan.id).arg(DisplayText::singleLine(m_vlan.name));
    const QString count = tr("%n VM(s)", nullptr, m_vlan.vmCount);
    QFont small = font;
    small.setBold(false);
    small.setPointSizeF(7.5);
    const qreal countWidth = QFontMetricsF(small).horizontalAdvance(count);
    const QRectF titleRect = label.adjusted(7, 0, -countWidth - 12, 0);
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(font).elidedText(title, Qt::ElideRight, titleRect.width()));
    painter->setFont(small);
    painter->drawText(label.adjusted(0, 0, -7, 0), Qt::AlignRight | Qt::AlignVCenter, count);
}

} // namespace Vigie
