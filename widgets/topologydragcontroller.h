#pragma once

#include "inventory/vminfo.h"
#include "placement/vmtemplate.h"

#include <QList>
#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QString>

class QGraphicsItem;
class QGraphicsSceneDragDropEvent;
class QGraphicsSceneMouseEvent;
class QKeyEvent;

namespace Vigie {

class DragGhostItem;
class TopologyScene;
class VlanLaneItem;

// Dragging in the topology. VMs (or one NIC, by its port) go onto a host to migrate, onto a
// VLAN lane to move a NIC; a template from the palette goes onto a host, where the new VM waits
// (a dashed chip) until it is dragged onto a VLAN. When a drag starts every host and lane is
// judged once (pre-flight, host rating, read-only connections); as the pointer moves the ghost
// says what a drop there would do, or why not; a drop asks the scene to emit the request (the
// window acts). The scene forwards its mouse, key and drag-and-drop events here, and tells it
// of hosts, VMs and lanes that go.
class TopologyDragController : public QObject
{
    Q_OBJECT

public:
    explicit TopologyDragController(TopologyScene *scene);

    [[nodiscard]] bool isDragging() const { return m_ghost != nullptr; }
    // Escape: the drag ends with no request.
    void cancelDrag();
    // While VMs are dragged: the best rated host, or empty.
    [[nodiscard]] QString bestHost() const { return m_bestHost; }

    // The new VM waiting in a host for its VLAN.
    [[nodiscard]] DragGhostItem *pendingItem() const { return m_pending; }
    [[nodiscard]] QString pendingHost() const { return m_pendingHost; }
    void placeTemplate(const VmTemplate &tmpl, const QString &hostUri);
    void cancelPlacement();
    // Where the waiting VM sits (the slot the layout gave it).
    void anchorPending(const QPointF &pos);

    // The scene's events. press: after the scene's own handling; true when the event is the
    // controller's (a press on the waiting VM, not the view's to pan). move: true when a drag
    // took it. key: true when Escape ended something.
    bool press(QGraphicsSceneMouseEvent *event);
    bool move(QGraphicsSceneMouseEvent *event);
    // A release ends any drag at once; what it asks for is delivered after the scene's own
    // handling of the release.
    struct Drop
    {
        enum class Kind { None, Place, Create, Migrate, BestHost, MoveNic } kind = Kind::None;
        QList<VmKey> vms;
        QString hostUri;
        int vlanId = 0;
        QString mac;
        QString reason;
        bool skipDialog = false;
        VmTemplate tmpl;
    };
    [[nodiscard]] Drop release(QGraphicsSceneMouseEvent *event);
    void deliver(const Drop &drop);
    bool key(QKeyEvent *event);
    void dragEnter(QGraphicsSceneDragDropEvent *event);
    void dragMove(QGraphicsSceneDragDropEvent *event);
    void dragLeave(QGraphicsSceneDragDropEvent *event);
    void dropped(QGraphicsSceneDragDropEvent *event);

    // Items going away.
    void hostRemoved(const QString &uri);
    void vmRemoved(const VmKey &key);
    void laneRemoved(const QGraphicsItem *lane);
    // The scene is being destroyed: its items go with it, none is touched from here.
    void forgetItems();

private:
    // What is dragged: VMs (to a host or a VLAN), a template from the palette (to a host), the
    // new VM waiting in a host (to a VLAN or another host).
    enum class Kind { None, Vms, Template, Placement };
    void begin();
    void beginTemplate(Kind kind, const QPointF &scenePos);
    [[nodiscard]] static QString overlayRefusal(const VlanLaneItem *lane);
    void update(const QPointF &scenePos, Qt::KeyboardModifiers modifiers);
    void end();
    [[nodiscard]] QGraphicsItem *dropTargetAt(const QPointF &scenePos) const;
    // The host or the lane under the pointer when it would take the drop, else empty / 0.
    [[nodiscard]] QString allowedHost() const;
    [[nodiscard]] int allowedLane() const;

    TopologyScene *m_scene;
    // The chip pressed, then the VMs dragged and the ghost following the mouse.
    VmKey m_pressed;
    QString m_pressedMac; // a NIC port pressed: that NIC alone is dragged
    QPoint m_pressScreenPos;
    bool m_pendingPressed = false;
    QList<VmKey> m_dragged;
    DragGhostItem *m_ghost = nullptr;
    QGraphicsItem *m_dropTarget = nullptr;
    Kind m_kind = Kind::None;
    QString m_bestHost; // while VMs are dragged
    // Placement: the template dragged or waiting, and where it waits.
    VmTemplate m_template;
    QString m_pendingHost;
    DragGhostItem *m_pending = nullptr;
};

} // namespace Vigie
