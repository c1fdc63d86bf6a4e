#pragma once

#include "topologystyle.h"

#include <QGraphicsItem>

namespace Vigie {

// What follows the mouse while VMs are dragged: their name(s) and what a drop here would do.
class DragGhostItem : public QGraphicsItem
{
public:
    // FOLLOWS_ZOOM: drawn in scene units (a new VM waiting inside a host), else at a constant
    // size on screen (what follows the mouse).
    explicit DragGhostItem(const QString &title, bool followsZoom = false);

    enum { Type = TopologyStyle::DragGhostType };
    [[nodiscard]] int type() const override { return Type; }

    void setHint(const QString &hint, bool allowed);
    // Following the mouse: drawn to the left of the pointer and/or above it rather than to its
    // right and below, where the view's edge would cut it.
    void setSide(bool left, bool above);
    // How far right of and below the pointer a ghost following it reaches, on screen.
    [[nodiscard]] static QSizeF besidePointer();
    [[nodiscard]] QString hint() const { return m_hint; }
    [[nodiscard]] QString title() const { return m_title; }

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    [[nodiscard]] QRectF frame() const;

    QString m_title;
    QString m_hint;
    bool m_allowed = false;
    bool m_left = false;
    bool m_above = false;
};

} // namespace Vigie
