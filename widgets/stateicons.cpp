#include "stateicons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace Vigie {

namespace {

enum class Shape { Disc, Ring, Bars, Cross, Server, Lock };

QIcon drawIcon(Shape shape, const QColor &color)
{
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal s = size;
        const QRectF box(s * 0.15, s * 0.15, s * 0.7, s * 0.7);
        switch (shape) {
        case Shape::Disc:
            painter.setPen(QPen(color.darker(130), s / 16));
            painter.setBrush(color);
            painter.drawEllipse(box);
            break;
        case Shape::Ring:
            painter.setPen(QPen(color, s / 8));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(box.adjusted(s / 16, s / 16, -s / 16, -s / 16));
            break;
        case Shape::Bars:
            painter.setPen(Qt::NoPen);
            painter.setBrush(color);
            painter.drawRoundedRect(QRectF(s * 0.22, s * 0.18, s * 0.2, s * 0.64), s / 16, s / 16);
            painter.drawRoundedRect(QRectF(s * 0.58, s * 0.18, s * 0.2, s * 0.64), s / 16, s / 16);
            break;
        case Shape::Cross:
            painter.setPen(QPen(color, s / 6, Qt::SolidLine, Qt::RoundCap));
            painter.drawLine(box.topLeft(), box.bottomRight());
            painter.drawLine(box.topRight(), box.bottomLeft());
            break;
        case Shape::Server: {
            painter.setPen(QPen(color.darker(140), s / 16));
            painter.setBrush(color);
            const QRectF top(s * 0.12, s * 0.14, s * 0.76, s * 0.32);
            const QRectF bottom(s * 0.12, s * 0.54, s * 0.76, s * 0.32);
            painter.drawRoundedRect(top, s / 16, s / 16);
            painter.drawRoundedRect(bottom, s / 16, s / 16);
            painter.setBrush(Qt::white);
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QPointF(s * 0.74, top.center().y()), s / 16, s / 16);
            painter.drawEllipse(QPointF(s * 0.74, bottom.center().y()), s / 16, s / 16);
            break;
        }
        case Shape::Lock: {
            painter.setPen(QPen(color, s / 10));
            painter.setBrush(Qt::NoBrush);
            painter.drawArc(QRectF(s * 0.3, s * 0.1, s * 0.4, s * 0.5), 0, 180 * 16);
            painter.drawLine(QPointF(s * 0.3, s * 0.35), QPointF(s * 0.3, s * 0.45));
            painter.drawLine(QPointF(s * 0.7, s * 0.35), QPointF(s * 0.7, s * 0.45));
            painter.setPen(Qt::NoPen);
            painter.setBrush(color);
            painter.drawRoundedRect(QRectF(s * 0.18, s * 0.45, s * 0.64, s * 0.45), s / 16, s / 16);
            break;
        }
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

QColor vmStateColor(VmState state)
{
    switch (state) {
    case VmState::Running:
    case VmState::Blocked: return QColor(0x2e, 0x9d, 0x57);
    case VmState::Paused:
    case VmState::Suspended: return QColor(0xe0, 0x9b, 0x1a);
    case VmState::ShuttingDown: return QColor(0x3d, 0x8b, 0xd9);
    case VmState::Crashed: return QColor(0xd2, 0x3c, 0x3c);
    case VmState::Shutoff:
    case VmState::NoState: break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QIcon vmStateIcon(VmState state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(state));
    if (it != cache.end())
        return *it;
    Shape shape = Shape::Disc;
    switch (state) {
    case VmState::Paused:
    case VmState::Suspended: shape = Shape::Bars; break;
    case VmState::Shutoff:
    case VmState::NoState: shape = Shape::Ring; break;
    case VmState::Crashed: shape = Shape::Cross; break;
    default: break;
    }
    return *cache.insert(int(state), drawIcon(shape, vmStateColor(state)));
}

QColor connectionStateColor(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connected: return QColor(0x2e, 0x9d, 0x57);
    case ConnectionState::Connecting: return QColor(0x3d, 0x8b, 0xd9);
    case ConnectionState::Unreachable: return QColor(0xe0, 0x6c, 0x1a);
    case ConnectionState::Failed: return QColor(0xd2, 0x3c, 0x3c);
    case ConnectionState::Disconnected: break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QIcon ownedRowIcon()
{
    static const QIcon icon = drawIcon(Shape::Lock, QColor(0x8a, 0x8f, 0x98));
    return icon;
}

QIcon connectionStateIcon(ConnectionState state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(state));
    if (it != cache.end())
        return *it;
    const Shape shape = state == ConnectionState::Failed ? Shape::Cross : Shape::Server;
    return *cache.insert(int(state), drawIcon(shape, connectionStateColor(state)));
}

} // namespace Vigie
