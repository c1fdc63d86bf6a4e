#pragma once

#include <QCoreApplication>
#include <QGraphicsItem>

namespace Vigie {

// A host's placement score while VMs are dragged (HostRating): a small pill on the host's top
// edge, green to red with the score, the best host's marked and outlined. A child of the host,
// so a drop on it is a drop on the host.
class RatingBadgeItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(RatingBadgeItem)

public:
    explicit RatingBadgeItem(QGraphicsItem *parent = nullptr);

    void setRating(int score, bool best);
    [[nodiscard]] int score() const { return m_score; }
    [[nodiscard]] bool isBest() const { return m_best; }
    [[nodiscard]] QString text() const;

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    int m_score = 0;
    bool m_best = false;
    QSizeF m_size;
};

} // namespace Vigie
