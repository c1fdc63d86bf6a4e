#include "topologydragcontroller.h"

#include "displaytext.h"
#include "dragghostitem.h"
#include "hostitem.h"
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "placement/hostrating.h"
#include "placement/preflight.h"
#include "topologyscene.h"
#include "topologystyle.h"
#include "vlanlaneitem.h"
#include "vmchipitem.h"

#include <QApplication>
#include <QDateTime>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QMimeData>

#include <optional>

namespace Vigie {

using namespace TopologyStyle;

TopologyDragController::TopologyDragController(TopologyScene *scene)
    : QObject(scene)
    , m_scene(scene)
{
}

bool TopologyDragController::press(QGraphicsSceneMouseEvent *event)
{
    m_pressed = {};
    m_pressedMac.clear();
    m_pendingPressed = false;
    if (event->button() != Qt::LeftButton)
        return false;
    const QList<QGraphicsItem *> under = m_scene->items(event->scenePos());
    if (m_pending && under.contains(m_pending)) {
        m_pendingPressed = true;
        m_pressScreenPos = event->screenPos();
        return true; // ours to drag, not the view's to pan
    }
    for (QGraphicsItem *item : under) {
        if (auto *chip = qgraphicsitem_cast<VmChipItem *>(item)) {
            m_pressed = chip->key();
            m_pressedMac = chip->portMacAt(chip->mapFromScene(event->scenePos()));
            m_pressScreenPos = event->screenPos();
            break;
        }
        if (item->type() == HostType || item->type() == VlanLaneType)
            break;
    }
    return false;
}

bool TopologyDragController::move(QGraphicsSceneMouseEvent *event)
{
    const bool farEnough = (event->screenPos() - m_pressScreenPos).manhattanLength() >= QApplication::startDragDistance();
    if (!isDragging() && m_pressed.isValid() && farEnough)
        begin();
    else if (!isDragging() && m_pendingPressed && farEnough)
        beginTemplate(Kind::Placement, event->scenePos());
    if (!isDragging())
        return false;
    update(event->scenePos(), event->modifiers());
    return true;
}

QString TopologyDragController::allowedHost() const
{
    const auto *host = qgraphicsitem_cast<HostItem *>(m_dropTarget);
    return host && host->dropState() == DropState::TargetAllowed ? host->uri() : QString();
}

int TopologyDragController::allowedLane() const
{
    const auto *lane = qgraphicsitem_cast<VlanLaneItem *>(m_dropTarget);
    return lane && lane->dropState() == DropState::TargetAllowed ? lane->vlanId() : 0;
}

TopologyDragController::Drop TopologyDragController::release(QGraphicsSceneMouseEvent *event)
{
    Drop drop;
    if (isDragging() && event->button() == Qt::LeftButton && m_kind == Kind::Placement) {
        update(event->scenePos(), event->modifiers());
        drop.tmpl = m_template;
        drop.hostUri = allowedHost();
        drop.vlanId = allowedLane();
        if (!drop.hostUri.isEmpty()) {
            drop.kind = Drop::Kind::Place;
        } else if (drop.vlanId > 0) {
            drop.kind = Drop::Kind::Create;
            drop.hostUri = m_pendingHost;
        }
        end();
        m_pendingPressed = false;
        return drop;
    }
    if (isDragging() && event->button() == Qt::LeftButton) {
        update(event->scenePos(), event->modifiers());
        drop.vms = m_dragged;
        drop.mac = m_pressedMac;
        drop.hostUri = allowedHost();
        drop.vlanId = allowedLane();
        // Beside every host and lane: the best rated host is offered.
        if (!m_dropTarget && !m_bestHost.isEmpty()) {
            drop.kind = Drop::Kind::BestHost;
            drop.hostUri = m_bestHost;
            drop.reason = m_scene->m_hosts.value(m_bestHost)->dropReason();
        } else if (!drop.hostUri.isEmpty()) {
            drop.kind = Drop::Kind::Migrate;
            drop.skipDialog = event->modifiers().testFlag(Qt::ShiftModifier);
        } else if (drop.vlanId > 0 && drop.vms.size() == 1) {
            drop.kind = Drop::Kind::MoveNic;
        }
        end();
        m_pressed = {};
        return drop;
    }
    m_pressed = {};
    m_pendingPressed = false;
    return drop;
}

void TopologyDragController::deliver(const Drop &drop)
{
    switch (drop.kind) {
    case Drop::Kind::None: break;
    case Drop::Kind::Place: placeTemplate(drop.tmpl, drop.hostUri); break;
    case Drop::Kind::Create:
        cancelPlacement();
        Q_EMIT m_scene->placementRequested(drop.tmpl, drop.hostUri, drop.vlanId);
        break;
    case Drop::Kind::BestHost: Q_EMIT m_scene->bestHostMigrationRequested(drop.vms, drop.hostUri, drop.reason); break;
    case Drop::Kind::Migrate: Q_EMIT m_scene->migrationRequested(drop.vms, drop.hostUri, drop.skipDialog); break;
    case Drop::Kind::MoveNic: Q_EMIT m_scene->vlanMoveRequested(drop.vms.first(), drop.vlanId, drop.mac); break;
    }
}

void TopologyDragController::cancelDrag()
{
    if (isDragging())
        end();
    m_pressed = {};
    m_pendingPressed = false;
}

bool TopologyDragController::key(QKeyEvent *event)
{
    if (event->key() != Qt::Key_Escape || (!isDragging() && !m_pending))
        return false;
    // The first Escape ends a drag; with no drag, it drops the new VM waiting in a host.
    if (isDragging())
        cancelDrag();
    else
        cancelPlacement();
    return true;
}

// ---- Placement: a template from the palette (a real drag and drop, from another widget) ----

void TopologyDragController::dragEnter(QGraphicsSceneDragDropEvent *event)
{
    const std::optional<VmTemplate> tmpl = VmTemplate::fromMimeData(event->mimeData());
    if (!tmpl || isDragging()) {
        event->ignore();
        return;
    }
    m_template = *tmpl;
    beginTemplate(Kind::Template, event->scenePos());
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void TopologyDragController::dragMove(QGraphicsSceneDragDropEvent *event)
{
    if (m_kind != Kind::Template) {
        event->ignore();
        return;
    }
    update(event->scenePos(), event->modifiers());
    event->setDropAction(Qt::CopyAction);
    event->setAccepted(!allowedHost().isEmpty());
}

void TopologyDragController::dragLeave(QGraphicsSceneDragDropEvent *event)
{
    if (m_kind == Kind::Template)
        end();
    event->accept();
}

void TopologyDragController::dropped(QGraphicsSceneDragDropEvent *event)
{
    if (m_kind != Kind::Template) {
        event->ignore();
        return;
    }
    update(event->scenePos(), event->modifiers());
    const QString hostUri = allowedHost();
    const VmTemplate tmpl = m_template;
    end();
    if (hostUri.isEmpty()) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
    placeTemplate(tmpl, hostUri);
    // The keyboard follows the new VM: Esc cancels it without a click in the topology first.
    if (const QList<QGraphicsView *> views = m_scene->views(); !views.isEmpty()) {
        views.first()->activateWindow();
        views.first()->setFocus(Qt::OtherFocusReason);
    }
}

void TopologyDragController::placeTemplate(const VmTemplate &tmpl, const QString &hostUri)
{
    if (!m_scene->m_hosts.contains(hostUri))
        return;
    cancelPlacement();
    m_template = tmpl;
    m_pendingHost = hostUri;
    m_pending = new DragGhostItem(tr("New VM: %1").arg(tmpl.name), true);
    m_pending->setHint(tr("Drag onto a VLAN"), true);
    m_pending->setToolTip(tr("<b>%1</b> on %2<br>%3<br>Drag onto a VLAN lane: the new VM's NIC joins it.")
                              .arg(DisplayText::html(tmpl.name, DisplayText::MaxLength),
                                   DisplayText::html(m_scene->m_inventory->host(hostUri).displayName, DisplayText::MaxLength),
                                   tmpl.summary().toHtmlEscaped()));
    m_pending->setZValue(10); // above its host, below a ghost
    m_scene->addItem(m_pending);
    // Its host grows a slot for it: laid out now, so it shows where it waits at once.
    m_scene->relayout(true);
}

void TopologyDragController::cancelPlacement()
{
    if (m_kind == Kind::Placement)
        end();
    if (!m_pending)
        return;
    delete m_pending;
    m_pending = nullptr;
    m_pendingHost.clear();
    m_pendingPressed = false;
    m_scene->relayout(false); // its slot goes
}

void TopologyDragController::anchorPending(const QPointF &pos)
{
    if (m_pending)
        m_pending->setPos(pos);
}

void TopologyDragController::hostRemoved(const QString &uri)
{
    if (isDragging())
        end();
    if (m_pendingHost == uri)
        cancelPlacement();
}

void TopologyDragController::vmRemoved(const VmKey &key)
{
    if (isDragging() && m_dragged.contains(key))
        end();
    if (m_pressed == key)
        m_pressed = {};
}

void TopologyDragController::laneRemoved(const QGraphicsItem *lane)
{
    if (m_dropTarget == lane)
        m_dropTarget = nullptr;
}

void TopologyDragController::forgetItems()
{
    m_ghost = nullptr;
    m_pending = nullptr;
    m_dropTarget = nullptr;
}

QString TopologyDragController::overlayRefusal(const VlanLaneItem *lane)
{
    // Vigie moves NICs between VLANs (their switches); attaching one to an overlay network is
    // the controller's (Neutron: openstack port create --network NAME).
    return tr("%1 is an overlay network: Vigie moves NICs between VLANs only. Attach the VM to it in the network controller.")
        .arg(lane->vlan().name);
}

void TopologyDragController::beginTemplate(Kind kind, const QPointF &scenePos)
{
    m_kind = kind;
    const quint64 memoryKiB = m_template.memoryMiB * 1024;
    // In a tenant's scope the new VM is the tenant's: its quota counts.
    const PlacementCheck quota = m_scene->m_preflight && m_scene->m_scope && m_scene->m_scope->isScoped()
                                     ? m_scene->m_preflight->checkQuota(m_scene->m_scope->tenant(), m_template.vcpus, m_template.memoryMiB,
                                                               m_template.diskGiB)
                                     : PlacementCheck::ok();
    for (HostItem *host : std::as_const(m_scene->m_hosts)) {
        PlacementCheck check = m_scene->m_preflight ? m_scene->m_preflight->checkPlacement(host->uri(), memoryKiB, {})
                               : host->isReachable()
                                   ? PlacementCheck::ok()
                                   : PlacementCheck::refused(tr("%1 is not connected.").arg(host->host().displayName));
        if (check.allowed && !quota.allowed)
            check = quota;
        if (check.allowed && kind == Kind::Placement && host->uri() == m_pendingHost)
            check = PlacementCheck::refused(tr("The new VM already waits here: drag it onto a VLAN."));
        host->setDropState(check.allowed ? DropState::Allowed : DropState::Refused, check.reason);
    }
    for (VlanLaneItem *lane : std::as_const(m_scene->m_lanes)) {
        QString refusal;
        if (lane->isOverlay())
            refusal = overlayRefusal(lane);
        else if (kind == Kind::Template)
            refusal = tr("Drop the template on a host first, then drag the new VM onto a VLAN.");
        else if (!lane->vlan().hosts.contains(m_pendingHost))
            refusal = tr("VLAN %1 is not available on %2.").arg(lane->vlanId()).arg(m_scene->m_inventory->host(m_pendingHost).displayName);
        lane->setDropState(refusal.isEmpty() ? DropState::Allowed : DropState::Refused, refusal);
    }
    m_ghost = new DragGhostItem(tr("New VM: %1").arg(m_template.name));
    m_scene->addItem(m_ghost);
    if (m_pending)
        m_pending->setVisible(false);
    update(scenePos, Qt::NoModifier);
}

void TopologyDragController::begin()
{
    VmChipItem *pressed = m_scene->m_chips.value(m_pressed);
    if (!pressed)
        return;
    m_dragged = pressed->isSelected() && m_pressedMac.isEmpty() ? m_scene->selectedVms() : QList<VmKey>{m_pressed};
    if (m_dragged.isEmpty())
        m_dragged = {m_pressed};
    m_kind = Kind::Vms;

    // A NIC dragged by its port: the lane it is on now.
    std::optional<int> nicVlan;
    for (const VmChipItem::Port &port : pressed->ports()) {
        if (!m_pressedMac.isEmpty() && port.mac == m_pressedMac)
            nicVlan = port.vlanId;
    }

    // Every host is judged once, for every dragged VM. Several VMs: a host that takes some of
    // them is a target (the dialog lists which go and why the others cannot).
    m_bestHost.clear();
    int bestScore = 0;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<HostItem *, HostRating> ratings;
    for (HostItem *host : std::as_const(m_scene->m_hosts)) {
        if (!m_pressedMac.isEmpty()) {
            host->setDropState(DropState::Refused, tr("A NIC goes to a VLAN: drag the VM itself to migrate it."));
            continue;
        }
        if (m_scene->m_rater && m_scene->m_preflight) {
            const HostRating rating = m_scene->m_rater->rate(m_dragged, host->uri(), now);
            host->setDropState(rating.canTake() ? DropState::Allowed : DropState::Refused,
                               rating.canTake() || m_dragged.size() == 1
                                   ? rating.reason
                                   : tr("None of the %n VM(s) can go: %1", nullptr, int(m_dragged.size())).arg(rating.reason));
            if (rating.canTake()) {
                ratings.insert(host, rating);
                // Ties go to the first by name, as HostRater::rateAll() orders them.
                if (rating.score > bestScore
                    || (rating.score == bestScore && host->host().displayName < m_scene->m_hosts.value(m_bestHost)->host().displayName)) {
                    bestScore = rating.score;
                    m_bestHost = host->uri();
                }
            }
            continue;
        }
        int accepted = 0;
        QString refusal;
        for (const VmKey &key : std::as_const(m_dragged)) {
            PlacementCheck check;
            if (m_scene->m_preflight)
                check = m_scene->m_preflight->checkMigration(key, host->uri());
            else
                check = key.hostUri == host->uri() ? PlacementCheck::refused(tr("Already on this host.")) : PlacementCheck::ok();
            if (check.allowed)
                ++accepted;
            else if (refusal.isEmpty())
                refusal = m_dragged.size() > 1 ? tr("%1: %2").arg(m_scene->m_inventory->vm(key).name, check.reason) : check.reason;
        }
        if (accepted > 0 && !refusal.isEmpty())
            refusal = tr("%1 of %2 VMs can go; %3").arg(accepted).arg(m_dragged.size()).arg(refusal);
        host->setDropState(accepted > 0 ? DropState::Allowed : DropState::Refused, refusal);
    }
    for (auto it = ratings.cbegin(); it != ratings.cend(); ++it)
        it.key()->setRating(it->score, it.key()->uri() == m_bestHost);
    const VmInfo *vm = m_scene->m_inventory->findVm(m_dragged.first());
    // A read-only connection: nothing else matters.
    const QString readOnly = vm && m_scene->m_preflight ? m_scene->m_preflight->writeRefusal(vm->hostUri) : QString();
    for (VlanLaneItem *lane : std::as_const(m_scene->m_lanes)) {
        QString refusal;
        if (!readOnly.isEmpty())
            refusal = readOnly;
        else if (lane->isOverlay())
            refusal = overlayRefusal(lane);
        else if (m_dragged.size() > 1)
            refusal = tr("Drag one VM at a time to move its NIC to another VLAN.");
        else if (!vm || vm->nics.isEmpty())
            refusal = tr("This VM has no NIC.");
        else if (!lane->vlan().hosts.isEmpty() && !lane->vlan().hosts.contains(vm->hostUri))
            refusal = tr("VLAN %1 is not available on %2.").arg(lane->vlanId()).arg(m_scene->m_inventory->host(vm->hostUri).displayName);
        else if (nicVlan ? *nicVlan == lane->vlanId() : m_scene->m_inventory->vmVlans(vm->key()) == QList<int>{lane->vlanId()})
            refusal = nicVlan ? tr("NIC %1 is already in VLAN %2.").arg(m_pressedMac).arg(lane->vlanId())
                                   : tr("%1 is already in VLAN %2.").arg(vm->name).arg(lane->vlanId());
        lane->setDropState(refusal.isEmpty() ? DropState::Allowed : DropState::Refused, refusal);
    }
    QString title = vm ? vm->name : QString();
    if (m_dragged.size() > 1)
        title = tr("%n VM(s)", nullptr, int(m_dragged.size()));
    else if (!m_pressedMac.isEmpty())
        title = tr("%1, NIC %2").arg(title, m_pressedMac);
    m_ghost = new DragGhostItem(title);
    m_scene->addItem(m_ghost);
}

QGraphicsItem *TopologyDragController::dropTargetAt(const QPointF &scenePos) const
{
    const QList<QGraphicsItem *> under = m_scene->items(scenePos);
    for (QGraphicsItem *item : under) {
        // The ghost, and links passing behind other items, are not targets.
        if (item->type() == DragGhostType || item->type() == NicLinkType)
            continue;
        for (QGraphicsItem *walk = item; walk; walk = walk->parentItem()) {
            if (walk->type() == HostType || walk->type() == VlanLaneType)
                return walk;
        }
    }
    return nullptr;
}

void TopologyDragController::update(const QPointF &scenePos, Qt::KeyboardModifiers modifiers)
{
    m_ghost->setPos(scenePos);
    if (const QList<QGraphicsView *> views = m_scene->views(); !views.isEmpty()) {
        // Beside the pointer, on the side where the view has room for it.
        const QGraphicsView *view = views.first();
        const QPoint at = view->mapFromScene(scenePos);
        const QSizeF reach = DragGhostItem::besidePointer();
        m_ghost->setSide(at.x() + reach.width() > view->viewport()->width() && at.x() > reach.width(),
                         at.y() + reach.height() > view->viewport()->height() && at.y() > reach.height());
    }
    QGraphicsItem *target = dropTargetAt(scenePos);
    const auto setTarget = [](QGraphicsItem *item, bool isTarget) {
        if (auto *host = qgraphicsitem_cast<HostItem *>(item)) {
            const bool allowed = host->dropState() == DropState::Allowed || host->dropState() == DropState::TargetAllowed;
            host->setDropState(isTarget ? (allowed ? DropState::TargetAllowed : DropState::TargetRefused)
                                        : (allowed ? DropState::Allowed : DropState::Refused),
                               host->dropReason());
        } else if (auto *lane = qgraphicsitem_cast<VlanLaneItem *>(item)) {
            const bool allowed = lane->dropState() == DropState::Allowed || lane->dropState() == DropState::TargetAllowed;
            lane->setDropState(isTarget ? (allowed ? DropState::TargetAllowed : DropState::TargetRefused)
                                        : (allowed ? DropState::Allowed : DropState::Refused),
                               lane->dropReason());
        }
    };
    if (target != m_dropTarget) {
        if (m_dropTarget)
            setTarget(m_dropTarget, false);
        m_dropTarget = target;
        if (target)
            setTarget(target, true);
    }
    if (m_kind == Kind::Template || m_kind == Kind::Placement) {
        const auto *host = qgraphicsitem_cast<HostItem *>(target);
        const auto *lane = qgraphicsitem_cast<VlanLaneItem *>(target);
        if (host && host->dropState() == DropState::TargetAllowed)
            m_ghost->setHint(m_kind == Kind::Template ? tr("Place on %1, then drag onto a VLAN").arg(host->host().displayName)
                                                              : tr("Place on %1 instead").arg(host->host().displayName),
                             true);
        else if (lane && lane->dropState() == DropState::TargetAllowed)
            m_ghost->setHint(tr("Create in VLAN %1 (%2)…").arg(lane->vlanId()).arg(lane->vlan().name), true);
        else if (host || lane)
            m_ghost->setHint(host ? host->dropReason() : lane->dropReason(), false);
        else
            m_ghost->setHint(m_kind == Kind::Template ? tr("Drop on a host with room for it")
                                                              : tr("Drop on a VLAN to create the VM"),
                             false);
        return;
    }
    if (auto *host = qgraphicsitem_cast<HostItem *>(target)) {
        if (host->dropState() == DropState::TargetAllowed) {
            QString hint = modifiers.testFlag(Qt::ShiftModifier)
                               ? tr("Migrate to %1 now, with the last options").arg(host->host().displayName)
                               : tr("Migrate to %1…").arg(host->host().displayName);
            if (host->rating() >= 0)
                hint += QLatin1Char(' ') + tr("(score %1)").arg(host->rating());
            m_ghost->setHint(hint, true);
        } else {
            m_ghost->setHint(host->dropReason(), false);
        }
    } else if (auto *lane = qgraphicsitem_cast<VlanLaneItem *>(target)) {
        if (lane->dropState() == DropState::TargetAllowed)
            m_ghost->setHint(m_pressedMac.isEmpty() ? tr("Move the NIC to VLAN %1 (%2)…").arg(lane->vlanId()).arg(lane->vlan().name)
                                                    : tr("Move NIC %1 to VLAN %2 (%3)…").arg(m_pressedMac).arg(lane->vlanId()).arg(lane->vlan().name),
                             true);
        else
            m_ghost->setHint(lane->dropReason(), false);
    } else if (!m_bestHost.isEmpty()) {
        m_ghost->setHint(tr("Drop here to migrate to the best host, %1 (score %2)")
                             .arg(m_scene->m_hosts.value(m_bestHost)->host().displayName)
                             .arg(m_scene->m_hosts.value(m_bestHost)->rating()),
                         true);
    } else {
        m_ghost->setHint(tr("Drop on a host to migrate, on a VLAN to move the NIC"), false);
    }
}

void TopologyDragController::end()
{
    for (HostItem *host : std::as_const(m_scene->m_hosts)) {
        host->setDropState(DropState::None);
        host->setRating(-1);
    }
    m_bestHost.clear();
    for (VlanLaneItem *lane : std::as_const(m_scene->m_lanes))
        lane->setDropState(DropState::None);
    delete m_ghost;
    m_ghost = nullptr;
    m_dropTarget = nullptr;
    m_dragged.clear();
    m_kind = Kind::None;
    if (m_pending)
        m_pending->setVisible(true);
}

} // namespace Vigie
