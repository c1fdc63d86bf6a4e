#pragma once

#include "hypervisor/migration.h"
#include "inventory/vminfo.h"
#include "inventory/vmmatcher.h"
#include "placement/vmtemplate.h"
#include "topologystyle.h"

#include <QGraphicsScene>
#include <QHash>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Vigie {

class ArrivalGhostItem;
class DragGhostItem;
class HostItem;
class HostRater;
class TopologyDragController;
class Inventory;
class MigrationController;
class Preflight;
class TenantScope;
class VlanLaneItem;
class VmChipItem;

// The fleet as a picture: hosts as containers of VM chips, VLANs as lanes under them. A chip
// names its VLANs with coloured badges; the links from its NICs to the lanes are drawn only for
// the selected chips and the hovered one, routed beside their host (no link crosses a chip).
// Fed by the Inventory's signals only (never by libvirt), updated item by item and laid out once
// per event-loop pass. Chips keep their slots: a VM that leaves leaves a hole, one that comes
// takes the first hole, and the whole picture is arranged again only when hosts come or go, the
// view's shape changes or arrange() is asked. A chip dragged onto a host asks for a migration,
// onto a lane for a VLAN move: the scene only emits the request, the window acts.
class TopologyScene : public QGraphicsScene
{
    Q_OBJECT

public:
    explicit TopologyScene(Inventory *inventory, QObject *parent = nullptr);
    ~TopologyScene() override;

    // The checks hosts are greyed by while a VM is dragged (not owned).
    void setPreflight(const Preflight *preflight);
    // Migrating VMs are marked while the controller has a job for them; its pre-flight is used.
    void setMigrationController(MigrationController *controller);
    // Rates the hosts that can take dragged VMs (score badge, the best outlined); not owned.
    void setHostRater(const HostRater *rater) { m_rater = rater; }
    // While VMs are dragged: the best rated host, or empty.
    [[nodiscard]] QString bestHost() const;

    [[nodiscard]] Inventory *inventory() const { return m_inventory; }
    [[nodiscard]] HostItem *hostItem(const QString &uri) const { return m_hosts.value(uri); }
    [[nodiscard]] VmChipItem *vmItem(const VmKey &key) const { return m_chips.value(key); }
    [[nodiscard]] VlanLaneItem *laneItem(int vlanId) const { return m_lanes.value(vlanId); }
    // The VM of UUID drawn arriving on DEST_URI (a migration to that host runs, and the host
    // lists no copy of it), or nullptr.
    [[nodiscard]] ArrivalGhostItem *arrivalItem(const QString &destUri, const QString &uuid) const
    {
        return m_ghosts.value(VmKey{destUri, uuid});
    }
    [[nodiscard]] int arrivalItemCount() const { return int(m_ghosts.size()); }
    [[nodiscard]] int hostItemCount() const { return int(m_hosts.size()); }
    [[nodiscard]] int vmItemCount() const { return int(m_chips.size()); }
    [[nodiscard]] int laneItemCount() const { return int(m_lanes.size()); }

    [[nodiscard]] QList<VmKey> selectedVms() const;
    // Selects exactly these VMs (the ones the scene shows).
    void selectVms(const QList<VmKey> &keys);
    // The host selected by a click on its header (empty: none).
    [[nodiscard]] QString selectedHost() const;
    // Selects that host alone (empty: deselects hosts).
    void selectHost(const QString &uri);
    // Highlights the VMs matching every word (name, title, host, tenant, state, VLAN), dims the others.
    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const { return m_matcher.text(); }
    // Only the scope's tenant's VMs, the hosts holding them (their bars the tenant's share) and
    // the VLANs they use; nullptr: everything.
    void setTenantScope(const TenantScope *scope);

    // Width / height of the view: hosts are laid out in as many columns as fill it best.
    void setViewAspect(qreal aspect);

    // Applies pending inventory changes and lays out now (otherwise done once per event-loop
    // pass, a slice of SliceMs at a time).
    void flush();
    static constexpr int SliceMs = 8;
    // How long a slice lasts (default SliceMs), checked every ITEMS chips (default 64).
    void setSlice(int milliseconds, int items = 64)
    {
        m_sliceMs = milliseconds;
        m_sliceItems = std::max(1, items);
    }
    // Arranges the picture again: chips by name, holes filled, hosts in the columns that fit the view.
    void arrange();

    // What the view shows at its scale: zoomed out (Far) the chips are not painted (the
    // selection's links still are) and hosts draw as aggregates. Set by the view.
    void setDetailLevel(TopologyStyle::DetailLevel level);
    [[nodiscard]] TopologyStyle::DetailLevel detailLevel() const { return m_detailLevel; }
    // For VmChipItem: the pointer entered or left a chip (its links are shown while hovered).
    void chipHoverChanged(VmChipItem *chip);
    [[nodiscard]] bool isDragging() const;
    // Escape: the drag ends with no request.
    void cancelDrag();

    // Placement of a new VM: a template dropped on a host (from the palette) waits there, drawn
    // as a dashed chip, until it is dragged onto a VLAN (placementRequested), onto another host
    // (it moves there) or cancelled (Escape).
    [[nodiscard]] bool hasPendingPlacement() const { return pendingPlacementItem() != nullptr; }
    [[nodiscard]] QString pendingPlacementHost() const;
    [[nodiscard]] QGraphicsItem *pendingPlacementItem() const;
    void placeTemplate(const VmTemplate &tmpl, const QString &hostUri);
    void cancelPlacement();
    // What the chips' colour says: state (the default) or tenant.
    void setColouring(TopologyStyle::ChipColouring colouring);
    [[nodiscard]] TopologyStyle::ChipColouring colouring() const { return m_colouring; }
    // The Vigie isolation group a NIC's port is in: its label and its group's name, or empty.
    // Set by the window (from the network controller); none: no outline.
    using IsolationLookup = std::function<std::pair<QString, QString>(const VmKey &vm, const QString &mac)>;
    void setIsolationLookup(IsolationLookup lookup);
    // The controller's policy changed: every chip's isolation is read again.
    void refreshIsolation();
    // A tenant's colour (or an isolation label's): its name's place on the palette, else the next
    // colour no other tenant of the scene has, kept for the session.
    [[nodiscard]] QColor tenantColour(const QString &tenant) const;
    // The tenants of the chips shown, by name, with their colours: the legend.
    [[nodiscard]] QList<std::pair<QString, QColor>> tenantLegend() const;

    // Where the topology is drawn, margins included: what fit-to-view and export show.
    [[nodiscard]] QRectF contentRect() const { return m_contentRect; }

Q_SIGNALS:
    void migrationRequested(const QList<Vigie::VmKey> &vms, const QString &destUri, bool skipDialog);
    // VMs dropped on no host nor lane while a host rated best: the window offers that host.
    void bestHostMigrationRequested(const QList<Vigie::VmKey> &vms, const QString &destUri, const QString &reason);
    // MAC: the NIC dragged by its port; empty when the whole VM was dragged.
    void vlanMoveRequested(const Vigie::VmKey &vm, int vlanId, const QString &mac);
    void placementRequested(const Vigie::VmTemplate &tmpl, const QString &hostUri, int vlanId);
    // REFLOWED: the picture was arranged again (hosts and chips may have moved); otherwise items
    // came, went or changed in place.
    void layoutChanged(bool reflowed);
    // The tenants shown or the colouring changed: the legend is drawn again.
    void legendChanged();

protected:
    // A chip's tooltip is written when it is asked for (VmChipItem::toolTipText); other items'
    // as QGraphicsScene shows them.
    void helpEvent(QGraphicsSceneHelpEvent *event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragLeaveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dropEvent(QGraphicsSceneDragDropEvent *event) override;

private:
    void addHost(const QString &uri);
    void removeHost(const QString &uri);
    void addVm(const VmKey &key);
    void rescope(); // the tenant scope changed: chips, hosts and lanes again
    void removeVm(const VmKey &key);
    void schedule();
    // Applies pending changes for BUDGET_MS (< 0: all of them); what is left is scheduled.
    void flushFor(qint64 budgetMs);
    void refreshLanes();
    // A controller-wired NIC's port, switch, binding and addresses, for the chip's tooltip.
    [[nodiscard]] QString wiringOf(const VmInfo &vm, const NicInfo &nic) const;
    void refreshChip(VmChipItem *chip);
    void refreshHost(HostItem *host);
    void applyFilter(VmChipItem *chip) const;
    [[nodiscard]] QString vlanName(int id) const;
    // The lanes top to bottom: VLANs by id, then overlay networks.
    [[nodiscard]] QList<VlanLaneItem *> orderedLanes() const;
    void layout();
    void placeLinks();
    // Puts a new chip in its host's first free slot.
    void takeSlot(HostItem *host, VmChipItem *chip);
    void releaseSlot(VmChipItem *chip);
    // Links for the selected chips and the hovered one, none for the others.
    void updateShownLinks();
    void routeLinks(VmChipItem *chip);
    void forgetChip(VmChipItem *chip);
    void migrationUpdated(const MigrationProgress &progress);
    void migrationFinished(const MigrationProgress &progress);
    // The ghost of the VM arriving as ARRIVING (its destination and UUID): drawn while its job
    // runs, the destination lists no copy of it and the scope shows it; removed otherwise.
    void updateArrival(const VmKey &arriving);

    // The layout again: now, or in the next event-loop pass.
    void relayout(bool now);

    friend class TopologyDragController; // the scene's items and checks, while dragging
    Inventory *m_inventory;
    const Preflight *m_preflight = nullptr;
    QPointer<const TenantScope> m_scope;
    QPointer<MigrationController> m_migrations;
    QHash<QString, HostItem *> m_hosts;
    QHash<VmKey, VmChipItem *> m_chips;
    // Lane ids: a VLAN's id; -1, -2... for the controller's overlay networks, in their order.
    QMap<int, VlanLaneItem *> m_lanes;
    QHash<QString, int> m_overlayLanes; // overlay switch name -> lane id
    QHash<int, qreal> m_laneY;
    QHash<int, int> m_laneIndex; // lane id -> its place top to bottom: its track in the gutters

    // Stable slots: each host's chips by slot, nullptr for a hole; rows only grow between arrangements.
    QHash<HostItem *, QList<VmChipItem *>> m_slots;
    QHash<HostItem *, int> m_rows;
    int m_chipColumns = 0; // kept between arrangements
    int m_gridColumns = 0;
    bool m_reflowDirty = true;

    TopologyStyle::DetailLevel m_detailLevel = TopologyStyle::DetailLevel::Near;
    VmChipItem *m_hovered = nullptr;
    QSet<VmChipItem *> m_linked; // chips whose links are drawn
    bool m_selecting = false;    // selectVms() at work: links updated once at its end

    QSet<QString> m_dirtyHosts;
    QSet<VmKey> m_dirtyChips;
    bool m_vlansDirty = false;
    bool m_laneCountsDirty = false; // VMs came, went or changed: the lanes' VM counts may be stale
    bool m_layoutDirty = false;
    QTimer m_flushTimer;
    int m_sliceMs = SliceMs;
    int m_sliceItems = 64;
    QRectF m_contentRect;
    qreal m_viewAspect = 0;

    VmMatcher m_matcher; // the same matcher as the VM table's filter (VmFilterProxyModel)
    QHash<VmKey, QPair<QString, double>> m_migrating; // destination name, percent
    QHash<VmKey, MigrationProgress> m_arriving;       // {destination, UUID} -> its running job
    QHash<VmKey, ArrivalGhostItem *> m_ghosts;        // the same keys: those the destination does not list
    QTimer m_animation;
    int m_animationPhase = 0;

    const HostRater *m_rater = nullptr;
    TopologyDragController *m_drag;
    // Colouring.
    TopologyStyle::ChipColouring m_colouring = TopologyStyle::ChipColouring::State;
    IsolationLookup m_isolationLookup;
    mutable QHash<QString, int> m_tenantSlots; // tenant -> its palette slot, once seen
    mutable QList<int> m_slotUse;              // per palette slot, the tenants on it
    bool m_legendDirty = true;
};

} // namespace Vigie
