#include "topologyscene.h"

#include "arrivalghostitem.h"
#include "displaytext.h"
#include "dragghostitem.h"
#include "hostitem.h"
#include "hypervisor/migrationcontroller.h"
#include "inventory/inventory.h"
#include "niclinkitem.h"
#include "inventory/tenantscope.h"
#include "placement/preflight.h"
#include "slicebudget.h"
#include "topologydragcontroller.h"
#include "topologylayout.h"
#include "topologystyle.h"
#include "vlanlaneitem.h"
#include "vmchipitem.h"

#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneHelpEvent>
#include <QGraphicsView>
#include <QGraphicsSceneMouseEvent>
#include <QScopedValueRollback>
#include <QKeyEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace Vigie {

using namespace TopologyStyle;

namespace {

// Stable per VLAN id (not per position), so a new VLAN does not recolour the others.
QColor colorOfVlan(int id)
{
    // Overlay networks (negative lane ids) share one slate blue: they are told apart by name.
    return id < 0 ? QColor(0x4a, 0x5d, 0x7e) : vlanColor(id * 7 + id / 100);
}

// Links of a larger selection would be a wall of lines again: then only the hovered chip's.
constexpr qsizetype MaxLinkedSelection = 64;

} // namespace

TopologyScene::TopologyScene(Inventory *inventory, QObject *parent)
    : QGraphicsScene(parent)
    , m_inventory(inventory)
    , m_matcher(inventory)
    , m_drag(new TopologyDragController(this))
{
    setObjectName(QStringLiteral("topologyScene"));
    setBackgroundBrush(QColor(0xfd, 0xfd, 0xfe));
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { flushFor(m_sliceMs); });
    connect(this, &QGraphicsScene::selectionChanged, this, &TopologyScene::updateShownLinks);
    m_animation.setInterval(90);
    connect(&m_animation, &QTimer::timeout, this, [this] {
        ++m_animationPhase;
        for (auto it = m_migrating.cbegin(); it != m_migrating.cend(); ++it) {
            if (VmChipItem *chip = m_chips.value(it.key()))
                chip->setAnimationPhase(m_animationPhase);
        }
        for (auto it = m_arriving.cbegin(); it != m_arriving.cend(); ++it) {
            if (VmChipItem *chip = m_chips.value(it.key()))
                chip->setAnimationPhase(m_animationPhase);
        }
        for (ArrivalGhostItem *ghost : std::as_const(m_ghosts))
            ghost->setAnimationPhase(m_animationPhase);
    });

    connect(inventory, &Inventory::hostAdded, this, &TopologyScene::addHost);
    connect(inventory, &Inventory::hostChanged, this, [this](const QString &uri) {
        m_dirtyHosts.insert(uri);
        // A host's name appears in its chips' tooltips; its state dims them.
        for (const VmKey &key : m_inventory->vmKeysOfHost(uri))
            m_dirtyChips.insert(key);
        schedule();
    });
    connect(inventory, &Inventory::hostAboutToBeRemoved, this, &TopologyScene::removeHost);
    connect(inventory, &Inventory::vmAdded, this, &TopologyScene::addVm);
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        // A VM whose tenant changed enters or leaves the scope.
        if (m_scope && m_scope->isScoped() && m_chips.contains(key) != m_scope->containsVm(key)) {
            if (m_chips.contains(key))
                removeVm(key);
            else
                addVm(key);
            m_vlansDirty = true;
        }
        m_dirtyChips.insert(key);
        m_dirtyHosts.insert(key.hostUri);
        m_laneCountsDirty = true; // its NICs may have moved to another VLAN
        schedule();
    });
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &TopologyScene::removeVm);
    connect(inventory, &Inventory::vlansChanged, this, [this] {
        m_vlansDirty = true;
        schedule();
    });
    // A network's portgroups decide which VLAN a NIC is in: the host's chips may have changed.
    connect(inventory, &Inventory::networksChanged, this, [this](const QString &uri) {
        for (const VmKey &key : m_inventory->vmKeysOfHost(uri))
            m_dirtyChips.insert(key);
        m_dirtyHosts.insert(uri);
        m_laneCountsDirty = true;
        schedule();
    });

    for (const QString &uri : inventory->hostUris()) {
        addHost(uri);
        for (const VmKey &key : inventory->vmKeysOfHost(uri))
            addVm(key);
    }
    m_vlansDirty = true;
    flush();
}

TopologyScene::~TopologyScene()
{
    // Items are deleted by QGraphicsScene; nothing may reach them through our tables meanwhile,
    // and nobody hears of the selection they take with them (listeners would read this scene
    // half destroyed: the window crashed on exit with a chip selected).
    blockSignals(true);
    m_drag->forgetItems();
    // Links are top-level items their chips delete: gone before QGraphicsScene deletes items in
    // its own order (a link deleted first would be deleted again by its chip).
    for (VmChipItem *chip : std::as_const(m_chips))
        chip->setLinks({});
}

void TopologyScene::setPreflight(const Preflight *preflight)
{
    m_preflight = preflight;
}

void TopologyScene::setMigrationController(MigrationController *controller)
{
    if (m_migrations)
        m_migrations->disconnect(this);
    m_migrations = controller;
    if (!controller)
        return;
    m_preflight = &controller->preflight();
    connect(controller, &MigrationController::jobStarted, this, &TopologyScene::migrationUpdated);
    connect(controller, &MigrationController::jobProgressed, this, &TopologyScene::migrationUpdated);
    connect(controller, &MigrationController::jobFinished, this, &TopologyScene::migrationFinished);
    for (const MigrationProgress &job : controller->jobs()) {
        if (!migrationPhaseIsFinal(job.phase))
            migrationUpdated(job);
    }
}

void TopologyScene::migrationUpdated(const MigrationProgress &progress)
{
    if (migrationPhaseIsFinal(progress.phase)) {
        migrationFinished(progress);
        return;
    }
    const QString dest = m_inventory->host(progress.destUri).displayName;
    m_migrating.insert(progress.vm, {dest, progress.percent});
    if (VmChipItem *chip = m_chips.value(progress.vm))
        chip->setMigration(dest, progress.percent);
    const VmKey arriving{progress.destUri, progress.vm.uuid};
    m_arriving.insert(arriving, progress);
    if (VmChipItem *chip = m_chips.value(arriving))
        chip->setArrival(m_inventory->host(progress.vm.hostUri).displayName);
    updateArrival(arriving);
    if (!m_animation.isActive())
        m_animation.start();
}

void TopologyScene::migrationFinished(const MigrationProgress &progress)
{
    m_migrating.remove(progress.vm);
    if (VmChipItem *chip = m_chips.value(progress.vm))
        chip->setMigration({}, 0);
    const VmKey arriving{progress.destUri, progress.vm.uuid};
    m_arriving.remove(arriving);
    if (VmChipItem *chip = m_chips.value(arriving))
        chip->setArrival({});
    updateArrival(arriving);
    if (m_migrating.isEmpty())
        m_animation.stop();
}

void TopologyScene::updateArrival(const VmKey &arriving)
{
    const auto job = m_arriving.constFind(arriving);
    HostItem *host = m_hosts.value(arriving.hostUri);
    // A destination that lists the VM (the demo defines it before its job ends) shows its chip,
    // marked as arriving, instead.
    const bool drawn = job != m_arriving.cend() && host && !m_chips.contains(arriving)
                       && (!m_scope || m_scope->containsVm(job->vm));
    ArrivalGhostItem *ghost = m_ghosts.value(arriving);
    if (!drawn) {
        if (ghost) {
            m_ghosts.remove(arriving);
            delete ghost;
            m_layoutDirty = true;
            schedule();
        }
        return;
    }
    if (!ghost) {
        ghost = new ArrivalGhostItem(job->vm, host);
        ghost->setFlag(QGraphicsItem::ItemHasNoContents, m_detailLevel == DetailLevel::Far);
        ghost->setAnimationPhase(m_animationPhase);
        m_ghosts.insert(arriving, ghost);
        m_layoutDirty = true;
        schedule();
    }
    ghost->setProgress(job->vmName, m_inventory->host(job->vm.hostUri).displayName, job->percent);
}

void TopologyScene::schedule()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TopologyScene::addHost(const QString &uri)
{
    if (m_hosts.contains(uri))
        return;
    auto *host = new HostItem(uri);
    addItem(host);
    m_hosts.insert(uri, host);
    for (auto it = m_arriving.cbegin(); it != m_arriving.cend(); ++it) {
        if (it.key().hostUri == uri)
            updateArrival(it.key());
    }
    m_dirtyHosts.insert(uri);
    m_reflowDirty = true;
    schedule();
}

void TopologyScene::removeHost(const QString &uri)
{
    HostItem *host = m_hosts.take(uri);
    if (!host)
        return;
    m_drag->hostRemoved(uri);
    for (auto it = m_chips.begin(); it != m_chips.end();) {
        if (it.key().hostUri == uri) {
            m_dirtyChips.remove(it.key());
            m_linked.remove(it.value());
            if (m_hovered == it.value())
                m_hovered = nullptr;
            it = m_chips.erase(it);
        } else {
            ++it;
        }
    }
    m_ghosts.removeIf([uri](const auto &it) { return it.key().hostUri == uri; });
    m_slots.remove(host);
    m_rows.remove(host);
    m_dirtyHosts.remove(uri);
    delete host; // and its chips and ghosts
    m_reflowDirty = true;
    schedule();
}

void TopologyScene::setTenantScope(const TenantScope *scope)
{
    if (m_scope)
        disconnect(m_scope, nullptr, this, nullptr);
    m_scope = scope;
    if (scope)
        connect(scope, &TenantScope::tenantChanged, this, [this] { rescope(); });
    rescope();
}

void TopologyScene::rescope()
{
    m_drag->cancelDrag();
    const QList<VmKey> shown = m_chips.keys();
    for (const VmKey &key : shown) {
        if (m_scope && !m_scope->containsVm(key))
            removeVm(key);
    }
    for (const VmKey &key : m_inventory->vmKeys())
        addVm(key);
    for (auto it = m_arriving.cbegin(); it != m_arriving.cend(); ++it)
        updateArrival(it.key());
    for (auto it = m_hosts.cbegin(); it != m_hosts.cend(); ++it)
        m_dirtyHosts.insert(it.key());
    m_vlansDirty = true;
    m_reflowDirty = true;
    flush();
}

void TopologyScene::addVm(const VmKey &key)
{
    HostItem *host = m_hosts.value(key.hostUri);
    if (!host || m_chips.contains(key) || (m_scope && !m_scope->containsVm(key)))
        return;
    // A host's first VMs (it connected and listed them): the picture is arranged again, as when
    // the host came; later VMs take holes and move nobody.
    if (m_slots.value(host).isEmpty())
        m_reflowDirty = true;
    auto *chip = new VmChipItem(key, host);
    chip->setFlag(QGraphicsItem::ItemHasNoContents, m_detailLevel == DetailLevel::Far);
    m_chips.insert(key, chip);
    takeSlot(host, chip);
    if (const auto arriving = m_arriving.constFind(key); arriving != m_arriving.cend()) {
        chip->setArrival(m_inventory->host(arriving->vm.hostUri).displayName);
        updateArrival(key); // the chip replaces its ghost
    }
    m_dirtyChips.insert(key);
    m_dirtyHosts.insert(key.hostUri);
    m_layoutDirty = true;
    m_laneCountsDirty = true;
    m_legendDirty = true;
    schedule();
}

void TopologyScene::removeVm(const VmKey &key)
{
    VmChipItem *chip = m_chips.take(key);
    if (!chip)
        return;
    m_drag->vmRemoved(key);
    m_dirtyChips.remove(key);
    forgetChip(chip);
    delete chip;
    updateArrival(key); // still on its way: its ghost again
    m_legendDirty = true;
    // Committed figures are read after the removal, on the next pass.
    m_dirtyHosts.insert(key.hostUri);
    m_layoutDirty = true;
    m_laneCountsDirty = true;
    schedule();
}

void TopologyScene::flush()
{
    flushFor(-1);
}

void TopologyScene::flushFor(qint64 budgetMs)
{
    m_flushTimer.stop();
    if (m_vlansDirty) {
        m_vlansDirty = false;
        // What a chip shows of the VLANs: their names, and which lane an overlay network is (a
        // NIC's own VLAN comes with its VM or its host's networks, see networksChanged). A
        // VLAN's hosts or counts, which change with every host that connects, leave the 10,000
        // chips alone.
        const auto laneNames = [this] {
            QList<std::pair<int, QString>> names;
            for (auto it = m_lanes.cbegin(); it != m_lanes.cend(); ++it)
                names.append({it.key(), it.value()->vlan().name});
            return names;
        };
        const QList<std::pair<int, QString>> namesBefore = laneNames();
        const QHash<QString, int> overlaysBefore = m_overlayLanes;
        refreshLanes();
        if (laneNames() != namesBefore || m_overlayLanes != overlaysBefore) {
            for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it)
                m_dirtyChips.insert(it.key());
            // And every host's VLAN ticks.
            for (auto it = m_hosts.cbegin(); it != m_hosts.cend(); ++it)
                m_dirtyHosts.insert(it.key());
            m_layoutDirty = true;
        }
    } else if (m_laneCountsDirty) {
        // Only the counts (and a VLAN a first NIC joins): the chips keep their lanes.
        const qsizetype lanes = m_lanes.size();
        refreshLanes();
        if (m_lanes.size() != lanes)
            m_layoutDirty = true;
    }
    m_laneCountsDirty = false;
    // The chips, a few milliseconds' worth per event-loop turn (a controller read again changes
    // the 10,000 of a fleet); the hosts and the layout once they are all done.
    SliceBudget slice(budgetMs, m_sliceItems);
    QList<VmChipItem *> refreshed;
    for (auto it = m_dirtyChips.begin(); it != m_dirtyChips.end();) {
        if (VmChipItem *chip = m_chips.value(*it)) {
            refreshChip(chip);
            refreshed.append(chip);
        }
        it = m_dirtyChips.erase(it);
        if (slice.spent())
            break;
    }
    if (!m_layoutDirty && !m_reflowDirty) {
        // In place: only the shown links whose NIC moved need routing to another lane.
        for (VmChipItem *chip : std::as_const(refreshed)) {
            if (m_linked.contains(chip))
                routeLinks(chip);
        }
    }
    if (!m_dirtyChips.isEmpty()) {
        m_flushTimer.start();
        return;
    }
    for (const QString &uri : std::as_const(m_dirtyHosts)) {
        if (HostItem *host = m_hosts.value(uri))
            refreshHost(host);
    }
    m_dirtyHosts.clear();
    if (m_legendDirty) {
        m_legendDirty = false;
        Q_EMIT legendChanged();
    }
    if (m_layoutDirty || m_reflowDirty) {
        const bool reflowed = m_reflowDirty;
        layout();
        Q_EMIT layoutChanged(reflowed);
    }
}

void TopologyScene::refreshLanes()
{
    QList<VlanInfo> vlans = m_inventory->vlans();
    const int hostCount = int(m_hosts.size());
    // In a tenant's scope, only the VLANs its VMs use.
    if (m_scope && m_scope->isScoped()) {
        const QList<int> used = m_scope->vlans();
        vlans.removeIf([&used](const VlanInfo &vlan) { return !used.contains(vlan.id); });
        // Its own VMs counted, not the fleet's.
        QHash<int, int> counts;
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (m_scope->containsVm(key)) {
                for (int id : m_inventory->vmVlans(key))
                    ++counts[id];
            }
        }
        for (VlanInfo &vlan : vlans)
            vlan.vmCount = counts.value(vlan.id);
    }
    // Overlay networks as lanes after the VLANs, with the VMs wired to them counted.
    const QList<ControllerOverlay> overlays = m_inventory->overlays();
    m_overlayLanes.clear();
    for (const ControllerOverlay &overlay : overlays) {
        VlanInfo lane;
        lane.id = -int(m_overlayLanes.size()) - 1;
        lane.name = overlay.displayName.isEmpty() ? overlay.switchName : overlay.displayName;
        lane.networks = {overlay.switchName};
        m_overlayLanes.insert(overlay.switchName, lane.id);
        vlans.append(lane);
    }
    if (!overlays.isEmpty()) {
        QHash<int, QSet<VmKey>> overlayVms;
        for (const VmKey &key : m_inventory->vmKeys()) {
            if (m_scope && !m_scope->containsVm(key))
                continue;
            for (const NicInfo &nic : m_inventory->findVm(key)->nics) {
                if (const ControllerNic *port = m_inventory->controllerNic(nic); port && port->vlanId == 0)
                    overlayVms[m_overlayLanes.value(port->switchName)].insert(key);
            }
        }
        for (VlanInfo &lane : vlans) {
            if (lane.id < 0)
                lane.vmCount = int(overlayVms.value(lane.id).size());
        }
        if (m_scope && m_scope->isScoped())
            vlans.removeIf([](const VlanInfo &lane) { return lane.id < 0 && lane.vmCount == 0; });
    }
    QSet<int> seen;
    for (const VlanInfo &vlan : std::as_const(vlans)) {
        seen.insert(vlan.id);
        if (VlanLaneItem *lane = m_lanes.value(vlan.id)) {
            lane->setVlan(vlan, hostCount);
        } else {
            lane = new VlanLaneItem(vlan, colorOfVlan(vlan.id), hostCount);
            addItem(lane);
            m_lanes.insert(vlan.id, lane);
        }
    }
    for (auto it = m_lanes.begin(); it != m_lanes.end();) {
        if (!seen.contains(it.key())) {
            m_drag->laneRemoved(it.value());
            delete it.value();
            it = m_lanes.erase(it);
        } else {
            ++it;
        }
    }
}

QList<VlanLaneItem *> TopologyScene::orderedLanes() const
{
    QList<VlanLaneItem *> lanes;
    lanes.reserve(m_lanes.size());
    for (auto it = m_lanes.lowerBound(1); it != m_lanes.cend(); ++it)
        lanes.append(it.value());
    for (int id = -1; m_lanes.contains(id); --id)
        lanes.append(m_lanes.value(id));
    return lanes;
}

QString TopologyScene::vlanName(int id) const
{
    // From the lanes: Inventory::vlanName() derives every VLAN again, too slow once per chip.
    if (const VlanLaneItem *lane = m_lanes.value(id))
        return lane->vlan().name;
    return tr("VLAN %1").arg(id);
}

QString TopologyScene::wiringOf(const VmInfo &vm, const NicInfo &nic) const
{
    const ControllerNic *port = m_inventory->controllerNic(nic);
    if (!port)
        return {};
    QString binding;
    if (!port->bindingKnown)
        binding = tr("binding unknown");
    else if (port->chassis.isEmpty())
        binding = tr("unbound: no network");
    else if (!port->chassisHostUri.isEmpty() && port->chassisHostUri != vm.hostUri)
        binding = tr("bound to chassis %1, not its host").arg(port->chassis);
    else
        binding = tr("bound to chassis %1").arg(port->chassis);
    QString line = tr("%1: port of %2, %3").arg(nic.mac, port->network, binding);
    if (!port->addresses.isEmpty())
        line += QStringLiteral(", ") + port->addresses.join(QStringLiteral(", "));
    if (!port->policy.isEmpty())
        line += QStringLiteral("; ") + tr("policy: %1").arg(port->policy.join(QStringLiteral(", ")));
    return line;
}

void TopologyScene::refreshChip(VmChipItem *chip)
{
    const VmInfo *vm = m_inventory->findVm(chip->key());
    if (!vm)
        return;
    QList<VmChipItem::Port> ports;
    QStringList vlanNames;
    for (const NicInfo &nic : vm->nics) {
        const QList<int> tags = m_inventory->nicVlans(vm->hostUri, nic);
        // A trunk NIC (several tags) is linked to its first VLAN; the tooltip lists them all.
        int id = tags.isEmpty() ? 0 : tags.first();
        if (const ControllerNic *port = m_inventory->controllerNic(nic); port && port->vlanId == 0) {
            id = m_overlayLanes.value(port->switchName, 0);
            if (id != 0)
                vlanNames.append(tr("overlay %1").arg(vlanName(id)));
        }
        // The badge names the VLAN; an overlay network by its name's start; a trunk by its first tag and "+".
        QString label = id > 0 ? QString::number(id) : id < 0 ? vlanName(id).left(6) : QStringLiteral("—");
        if (tags.size() > 1)
            label += QStringLiteral("+");
        ports.append({nic.mac, id, id != 0 ? colorOfVlan(id) : QColor(), wiringOf(*vm, nic), label});
        for (int tag : tags) {
            const QString name = QStringLiteral("%1 (%2)").arg(tag).arg(vlanName(tag));
            if (!vlanNames.contains(name))
                vlanNames.append(name);
        }
    }
    const HostInfo host = m_inventory->host(vm->hostUri);
    if (chip->vm().tenant != vm->tenant)
        m_legendDirty = true;
    std::pair<QString, QString> isolation;
    if (m_isolationLookup) {
        for (qsizetype i = 0; i < vm->nics.size() && isolation.first.isEmpty(); ++i)
            isolation = m_isolationLookup(vm->key(), vm->nics.at(i).mac);
    }
    const bool byTenant = m_colouring == ChipColouring::Tenant;
    chip->setColours(!byTenant ? QColor() : vm->tenant.isEmpty() ? QColor(0xc4, 0xc9, 0xcf) : tenantColour(vm->tenant), isolation.first,
                     isolation.second, isolation.first.isEmpty() ? QColor() : tenantColour(isolation.first));
    chip->setVm(*vm, host.displayName, ports, vlanNames);
    // What an unreachable host shows is its last known state: faded, like a filtered-out VM.
    if (host.state != ConnectionState::Connected)
        chip->setFilterState(true, false);
    else
        applyFilter(chip);
    const auto migrating = m_migrating.constFind(chip->key());
    if (migrating != m_migrating.cend())
        chip->setMigration(migrating->first, migrating->second);
}

void TopologyScene::setColouring(ChipColouring colouring)
{
    if (colouring == m_colouring)
        return;
    m_colouring = colouring;
    // The tenants shown take their colours in the order of their names, not of the chips: the
    // same fleet gets the same colours every run, collisions included.
    QStringList tenants;
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) {
        m_dirtyChips.insert(it.key());
        if (const VmInfo *vm = m_inventory->findVm(it.key()); vm && !vm->tenant.isEmpty())
            tenants.append(vm->tenant);
    }
    tenants.sort();
    tenants.removeDuplicates();
    if (colouring == ChipColouring::Tenant) {
        for (const QString &tenant : std::as_const(tenants))
            static_cast<void>(tenantColour(tenant)); // taken now, in this order
    }
    m_legendDirty = true;
    flush();
}

void TopologyScene::setIsolationLookup(IsolationLookup lookup)
{
    m_isolationLookup = std::move(lookup);
    refreshIsolation();
}

void TopologyScene::refreshIsolation()
{
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it)
        m_dirtyChips.insert(it.key());
    schedule();
}

QColor TopologyScene::tenantColour(const QString &tenant) const
{
    if (const auto known = m_tenantSlots.constFind(tenant); known != m_tenantSlots.cend())
        return tenantColor(*known);
    if (m_slotUse.isEmpty())
        m_slotUse.fill(0, TenantColorCount);
    // Its own slot if free, else the next free one: a dozen tenants get a dozen colours.
    const int home = tenantSlot(tenant);
    int slot = home;
    for (int step = 0; step < TenantColorCount; ++step) {
        const int candidate = (home + step) % TenantColorCount;
        if (m_slotUse.at(candidate) == 0) {
            slot = candidate;
            break;
        }
    }
    m_tenantSlots.insert(tenant, slot);
    ++m_slotUse[slot];
    return tenantColor(slot);
}

QList<std::pair<QString, QColor>> TopologyScene::tenantLegend() const
{
    QMap<QString, QColor> tenants; // by name
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) {
        const QString &tenant = it.value()->vm().tenant;
        if (!tenant.isEmpty() && !tenants.contains(tenant))
            tenants.insert(tenant, tenantColour(tenant));
    }
    QList<std::pair<QString, QColor>> legend;
    for (auto it = tenants.cbegin(); it != tenants.cend(); ++it)
        legend.append({it.key(), it.value()});
    return legend;
}

void TopologyScene::takeSlot(HostItem *host, VmChipItem *chip)
{
    QList<VmChipItem *> &slots = m_slots[host];
    const qsizetype hole = slots.indexOf(nullptr);
    if (hole >= 0)
        slots[hole] = chip;
    else
        slots.append(chip);
}

void TopologyScene::releaseSlot(VmChipItem *chip)
{
    const auto slots = m_slots.find(static_cast<HostItem *>(chip->parentItem()));
    if (slots == m_slots.end())
        return;
    const qsizetype slot = slots->indexOf(chip);
    if (slot >= 0)
        (*slots)[slot] = nullptr; // a hole, filled by the next VM to come or the next arrangement
}

void TopologyScene::forgetChip(VmChipItem *chip)
{
    releaseSlot(chip);
    m_linked.remove(chip);
    if (m_hovered == chip)
        m_hovered = nullptr;
}

void TopologyScene::refreshHost(HostItem *host)
{
    // Its running VMs and its VLANs (from its chips' ports, overlays included), for the aggregate.
    int running = 0;
    QMap<int, int> vmsPerVlan;
    for (const VmChipItem *chip : m_slots.value(host)) {
        if (!chip)
            continue;
        if (chip->vm().isActive())
            ++running;
        QSet<int> seen;
        for (const VmChipItem::Port &port : chip->ports()) {
            if (port.vlanId != 0 && !seen.contains(port.vlanId)) {
                seen.insert(port.vlanId);
                ++vmsPerVlan[port.vlanId];
            }
        }
    }
    QList<HostItem::VlanTick> ticks;
    for (auto it = vmsPerVlan.cbegin(); it != vmsPerVlan.cend(); ++it)
        ticks.append({it.key(), colorOfVlan(it.key()), it.value()});
    // VLANs by id, overlays after them, as the lanes are.
    std::stable_partition(ticks.begin(), ticks.end(), [](const HostItem::VlanTick &tick) { return tick.id > 0; });
    host->setContents(running, ticks);

    const QString uri = host->uri();
    host->setMaintenance(m_inventory->isInMaintenance(uri));
    if (m_scope && m_scope->isScoped()) {
        host->setHost(m_inventory->host(uri), m_scope->committedVcpus(uri), m_scope->committedMemoryKiB(uri),
                      m_scope->vmCount(uri));
        return;
    }
    host->setHost(m_inventory->host(uri), m_inventory->committedVcpus(uri), m_inventory->committedMemoryKiB(uri),
                  int(m_inventory->vmKeysOfHost(uri).size()));
}

void TopologyScene::applyFilter(VmChipItem *chip) const
{
    if (m_matcher.isEmpty()) {
        chip->setFilterState(false, true);
        return;
    }
    const VmInfo *vm = m_inventory->findVm(chip->key());
    chip->setFilterState(true, vm && m_matcher.matches(*vm));
}

void TopologyScene::setFilterText(const QString &text)
{
    if (!m_matcher.setText(text))
        return;
    for (VmChipItem *chip : std::as_const(m_chips)) {
        if (m_inventory->host(chip->key().hostUri).state == ConnectionState::Connected)
            applyFilter(chip);
    }
}

void TopologyScene::setViewAspect(qreal aspect)
{
    if (m_viewAspect > 0 && std::abs(aspect / m_viewAspect - 1.0) < 0.1)
        return;
    m_viewAspect = aspect;
    m_reflowDirty = true;
    schedule();
}

QList<VmKey> TopologyScene::selectedVms() const
{
    QList<VmKey> keys;
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        if (auto *chip = qgraphicsitem_cast<VmChipItem *>(item))
            keys.append(chip->key());
    }
    return keys;
}

void TopologyScene::selectVms(const QList<VmKey> &keys)
{
    // Every chip selected says so: the links are updated once, after them all.
    const QScopedValueRollback selecting(m_selecting, true);
    const QSet<VmKey> wanted(keys.cbegin(), keys.cend());
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        auto *chip = qgraphicsitem_cast<VmChipItem *>(item);
        if (!chip || !wanted.contains(chip->key()))
            item->setSelected(false);
    }
    for (const VmKey &key : keys) {
        if (VmChipItem *chip = m_chips.value(key))
            chip->setSelected(true);
    }
    m_selecting = false;
    updateShownLinks();
}

void TopologyScene::arrange()
{
    m_reflowDirty = true;
    flush();
}

void TopologyScene::layout()
{
    const bool reflow = m_reflowDirty;
    m_reflowDirty = false;
    m_layoutDirty = false;
    // Hosts by name: the picture does not depend on arrival order.
    QList<HostItem *> hosts;
    const bool scoped = m_scope && m_scope->isScoped();
    for (HostItem *host : std::as_const(m_hosts)) {
        // In a tenant's scope, only the hosts holding its VMs (or the new VM it places).
        const bool shown = !scoped || m_scope->containsHost(host->uri()) || (m_drag->pendingItem() && host->uri() == m_drag->pendingHost());
        host->setVisible(shown);
        if (shown)
            hosts.append(host);
    }
    std::sort(hosts.begin(), hosts.end(), [](const HostItem *a, const HostItem *b) {
        const int byName = QString::compare(a->host().displayName, b->host().displayName, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a->uri() < b->uri();
    });
    HostItem *waiting = m_drag->pendingItem() ? m_hosts.value(m_drag->pendingHost()) : nullptr;
    QPointF pendingPos;
    // The VMs on their way to each host, by name.
    QHash<HostItem *, QList<ArrivalGhostItem *>> arrivals;
    for (ArrivalGhostItem *ghost : std::as_const(m_ghosts))
        arrivals[static_cast<HostItem *>(ghost->parentItem())].append(ghost);
    for (QList<ArrivalGhostItem *> &ghosts : arrivals) {
        std::sort(ghosts.begin(), ghosts.end(), [](const ArrivalGhostItem *a, const ArrivalGhostItem *b) {
            const int byName = QString::compare(a->vmName(), b->vmName(), Qt::CaseInsensitive);
            return byName != 0 ? byName < 0 : a->sourceVm().uuid < b->sourceVm().uuid;
        });
    }
    // The slots a host needs: its chips', holes included, then the new VM waiting there and the
    // VMs arriving, in its holes first.
    const auto slotsOf = [&](HostItem *host) {
        const QList<VmChipItem *> slots = m_slots.value(host);
        const qsizetype extra = (host == waiting ? 1 : 0) + arrivals.value(host).size();
        return slots.size() + std::max<qsizetype>(0, extra - slots.count(nullptr));
    };
    const bool rearranged = reflow || m_chipColumns == 0;
    if (rearranged) {
        // Arranged again: chips by name, holes filled. A host whose chips are in order already
        // (most of them, when one host of 200 changed) is only checked.
        const auto byName = [](const VmChipItem *a, const VmChipItem *b) {
            const int order = QString::compare(a->vm().name, b->vm().name, Qt::CaseInsensitive);
            return order != 0 ? order < 0 : a->key().uuid < b->key().uuid;
        };
        for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
            it->removeAll(nullptr);
            if (!std::is_sorted(it->cbegin(), it->cend(), byName))
                std::sort(it->begin(), it->end(), byName);
        }
        m_rows.clear();
    }
    const QList<VlanLaneItem *> lanes = orderedLanes();
    TopologyLayout::Input input;
    input.reflow = reflow;
    input.chipColumns = rearranged ? 0 : m_chipColumns;
    input.gridColumns = reflow ? 0 : m_gridColumns;
    input.viewAspect = m_viewAspect;
    input.laneCount = int(lanes.size());
    input.slots.reserve(hosts.size());
    input.rows.reserve(hosts.size());
    for (HostItem *host : std::as_const(hosts)) {
        input.slots.append(slotsOf(host));
        input.rows.append(m_rows.value(host));
    }
    const TopologyLayout::Result laid = TopologyLayout::arrange(input);
    m_chipColumns = laid.chipColumns;
    m_gridColumns = laid.gridColumns;

    for (qsizetype i = 0; i < hosts.size(); ++i) {
        HostItem *host = hosts.at(i);
        m_rows.insert(host, laid.rows.at(i));
        host->setSize(laid.hosts.at(i).size());
        host->setPos(laid.hosts.at(i).topLeft());
        // Hosts lower in the picture are drawn later.
        host->setZValue(1.0 + qreal(i) * 1e-5);
        const QList<VmChipItem *> &slots = m_slots.value(host);
        QList<qsizetype> holes;
        for (qsizetype slot = 0; slot < slots.size(); ++slot) {
            if (VmChipItem *chip = slots.at(slot))
                chip->setPos(TopologyLayout::slotPos(slot, m_chipColumns));
            else
                holes.append(slot);
        }
        // The new VM waiting here, then the VMs arriving: in the holes, then after the chips. An
        // arriving VM listed at last takes the first hole: where its ghost was, if it was first.
        qsizetype next = slots.size();
        const auto freeSlot = [&holes, &next] { return holes.isEmpty() ? next++ : holes.takeFirst(); };
        if (host == waiting)
            pendingPos = host->pos() + TopologyLayout::slotPos(freeSlot(), m_chipColumns);
        for (ArrivalGhostItem *ghost : arrivals.value(host))
            ghost->setPos(TopologyLayout::slotPos(freeSlot(), m_chipColumns));
    }

    m_laneY.clear();
    m_laneIndex.clear();
    for (qsizetype i = 0; i < lanes.size(); ++i) {
        VlanLaneItem *lane = lanes.at(i);
        lane->setPos(0, laid.laneY.at(i));
        lane->setLength(laid.laneLength);
        m_laneIndex.insert(lane->vlanId(), int(i));
        m_laneY.insert(lane->vlanId(), laid.laneY.at(i));
    }
    placeLinks();
    m_drag->anchorPending(pendingPos);
    m_contentRect = laid.contentRect;
    setSceneRect(m_contentRect.adjusted(-400, -300, 400, 300));
}

void TopologyScene::placeLinks()
{
    for (VmChipItem *chip : std::as_const(m_linked))
        routeLinks(chip);
}

void TopologyScene::routeLinks(VmChipItem *chip)
{
    const auto *host = static_cast<const HostItem *>(chip->parentItem());
    const QList<VmChipItem::Port> &ports = chip->ports();
    QList<VmChipItem::Route> routes;
    const qreal chipTop = chip->scenePos().y();
    // Into the gutter on the host's right, each lane on its own track: the links of one VLAN run
    // together, those of different VLANs side by side.
    const qreal gutter = host->size().width() - chip->pos().x();
    int nic = 0;
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const auto lane = m_laneY.constFind(ports.at(i).vlanId);
        if (ports.at(i).vlanId == 0 || lane == m_laneY.cend())
            continue;
        QRectF badge = chip->portRect(int(i));
        if (badge.isEmpty()) // a NIC whose badge found no room: from the chip's lower right corner
            badge = QRectF(ChipWidth - 12, ChipHeight - 4, 4, 4);
        // Down into the gap under the chip's row, along it to the host's side, down to the lane.
        const qreal gapY = ChipHeight + 3 + (nic % 4) * 2;
        const qreal trackX = gutter + 7 + (m_laneIndex.value(ports.at(i).vlanId) % 6) * 4;
        routes.append({int(i), QPolygonF{QPointF(badge.center().x(), badge.bottom()), QPointF(badge.center().x(), gapY),
                                         QPointF(trackX, gapY), QPointF(trackX, *lane - chipTop)}});
        ++nic;
    }
    chip->setLinks(routes);
}

void TopologyScene::updateShownLinks()
{
    if (m_selecting)
        return;
    QSet<VmChipItem *> wanted;
    const QList<QGraphicsItem *> selected = selectedItems();
    if (selected.size() <= MaxLinkedSelection) {
        for (QGraphicsItem *item : selected) {
            if (auto *chip = qgraphicsitem_cast<VmChipItem *>(item))
                wanted.insert(chip);
        }
    }
    if (m_hovered && !isDragging())
        wanted.insert(m_hovered);
    for (VmChipItem *chip : std::as_const(m_linked)) {
        if (!wanted.contains(chip))
            chip->setLinks({});
    }
    for (VmChipItem *chip : std::as_const(wanted)) {
        if (!m_linked.contains(chip))
            routeLinks(chip);
    }
    m_linked = wanted;
}

void TopologyScene::chipHoverChanged(VmChipItem *chip)
{
    if (chip->isHovered())
        m_hovered = chip;
    else if (m_hovered == chip)
        m_hovered = nullptr;
    updateShownLinks();
}

void TopologyScene::setDetailLevel(DetailLevel level)
{
    if (level == m_detailLevel)
        return;
    const bool chipsShown = level != DetailLevel::Far;
    const bool wereShown = m_detailLevel != DetailLevel::Far;
    m_detailLevel = level;
    if (chipsShown == wereShown)
        return;
    // Zoomed out, thousands of chips would each be a few pixels: not painted, and their hosts
    // draw as aggregates. Not hidden: a hidden item loses its selection.
    for (VmChipItem *chip : std::as_const(m_chips))
        chip->setFlag(QGraphicsItem::ItemHasNoContents, !chipsShown);
    for (ArrivalGhostItem *ghost : std::as_const(m_ghosts))
        ghost->setFlag(QGraphicsItem::ItemHasNoContents, !chipsShown);
}

QString TopologyScene::selectedHost() const
{
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        if (auto *host = qgraphicsitem_cast<HostItem *>(item))
            return host->uri();
    }
    return {};
}

void TopologyScene::selectHost(const QString &uri)
{
    const QScopedValueRollback selecting(m_selecting, true);
    HostItem *wanted = m_hosts.value(uri);
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        if (item != wanted)
            item->setSelected(false);
    }
    if (wanted)
        wanted->setSelected(true);
    m_selecting = false;
    updateShownLinks();
}

// ---- Dragging: mouse press, move and release inside the scene (no QDrag, so tests drive it) ----

void TopologyScene::relayout(bool now)
{
    m_layoutDirty = true;
    if (now)
        flush();
    else
        schedule();
}

bool TopologyScene::isDragging() const
{
    return m_drag->isDragging();
}

void TopologyScene::cancelDrag()
{
    m_drag->cancelDrag();
}

QString TopologyScene::bestHost() const
{
    return m_drag->bestHost();
}

QString TopologyScene::pendingPlacementHost() const
{
    return m_drag->pendingHost();
}

QGraphicsItem *TopologyScene::pendingPlacementItem() const
{
    return m_drag->pendingItem();
}

void TopologyScene::placeTemplate(const VmTemplate &tmpl, const QString &hostUri)
{
    m_drag->placeTemplate(tmpl, hostUri);
}

void TopologyScene::cancelPlacement()
{
    m_drag->cancelPlacement();
}

void TopologyScene::helpEvent(QGraphicsSceneHelpEvent *event)
{
    // The topmost item that has something to say: a chip writes its text now; any other item is
    // left to QGraphicsScene, which finds the same one.
    const auto *view = event->widget() ? qobject_cast<const QGraphicsView *>(event->widget()->parentWidget()) : nullptr;
    const QList<QGraphicsItem *> under =
        items(event->scenePos(), Qt::IntersectsItemShape, Qt::DescendingOrder, view ? view->viewportTransform() : QTransform());
    for (QGraphicsItem *item : under) {
        if (const auto *chip = qgraphicsitem_cast<VmChipItem *>(item)) {
            QToolTip::showText(event->screenPos(), chip->toolTipText(), event->widget());
            event->setAccepted(true);
            return;
        }
        if (!item->toolTip().isEmpty())
            break;
    }
    QGraphicsScene::helpEvent(event);
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsScene::mousePressEvent(event);
    if (m_drag->press(event))
        event->accept();
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_drag->move(event)) {
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    const TopologyDragController::Drop drop = m_drag->release(event);
    QGraphicsScene::mouseReleaseEvent(event);
    m_drag->deliver(drop);
}

void TopologyScene::keyPressEvent(QKeyEvent *event)
{
    if (m_drag->key(event)) {
        event->accept();
        return;
    }
    QGraphicsScene::keyPressEvent(event);
}

void TopologyScene::dragEnterEvent(QGraphicsSceneDragDropEvent *event)
{
    m_drag->dragEnter(event);
}

void TopologyScene::dragMoveEvent(QGraphicsSceneDragDropEvent *event)
{
    m_drag->dragMove(event);
}

void TopologyScene::dragLeaveEvent(QGraphicsSceneDragDropEvent *event)
{
    m_drag->dragLeave(event);
}

void TopologyScene::dropEvent(QGraphicsSceneDragDropEvent *event)
{
    m_drag->dropped(event);
}

} // namespace Vigie
