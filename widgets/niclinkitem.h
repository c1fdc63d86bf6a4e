#pragma once

#include "topologystyle.h"

#include <QColor>
#include <QGraphicsItem>

namespace Vigie {

// The link from one VM NIC (a port on the chip's lower edge) straight down to its VLAN lane.
// A child of the chip, stacked behind it, so chips below hide it and it follows the chip.
class NicLinkItem : public QGraphicsItem
{
public:
    NicLinkItem(const QString &mac, int vlanId, const QColor &color, QGraphicsItem *chip);

    enum { Type = TopologyStyle::NicLinkType };
    [[nodiscard]] int type() const override { return Type; }

    [[nodiscard]] QString mac() const { return m_mac; }
    [[nodiscard]] int vlanId() const { return m_vlanId; }
    // From the port at (X, chip bottom) down LENGTH (to the lane); 0 when the VLAN has no lane.
    void setGeometry(qreal x, qreal length);
    [[nodiscard]] qreal length() const { return m_length; }
    [[nodiscard]] QPointF endPoint() const;

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_mac;
    int m_vlanId;
    QColor m_color;
    qreal m_x = 0;
    qreal m_length = 0;
};

} // namespace Vigie
