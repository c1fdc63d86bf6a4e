#pragma once

#include "inventory/vlaninfo.h"
#include "topologystyle.h"

#include <QCoreApplication>
#include <QGraphicsItem>

namespace Vigie {

// A VLAN as a horizontal lane under the hosts: a label on the left, a line across the fleet that
// the NIC links end on. A drop target: a VM dropped here has its NIC moved into the VLAN. An
// overlay network of the controller is a lane too, drawn dashed, that takes no drop.
class VlanLaneItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(VlanLaneItem)

public:
    VlanLaneItem(const VlanInfo &vlan, const QColor &color, int hostCount);

    enum { Type = TopologyStyle::VlanLaneType };
    [[nodiscard]] int type() const override { return Type; }

    // A VLAN's id; negative for an overlay network (a lane of the scene's own numbering).
    [[nodiscard]] int vlanId() const { return m_vlan.id; }
    [[nodiscard]] bool isOverlay() const { return m_vlan.id < 0; }
    [[nodiscard]] const VlanInfo &vlan() const { return m_vlan; }
    [[nodiscard]] QColor color() const { return m_color; }
    void setVlan(const VlanInfo &vlan, int hostCount);
    void setLength(qreal length);

    void setDropState(TopologyStyle::DropState state, const QString &reason = {});
    [[nodiscard]] TopologyStyle::DropState dropState() const { return m_dropState; }
    [[nodiscard]] QString dropReason() const { return m_dropReason; }

    [[nodiscard]] QRectF boundingRect() const override;
    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    void updateToolTip(int hostCount);

    VlanInfo m_vlan;
    QColor m_color;
    qreal m_length = 400;
    TopologyStyle::DropState m_dropState = TopologyStyle::DropState::None;
    QString m_dropReason;
};

} // namespace Vigie
