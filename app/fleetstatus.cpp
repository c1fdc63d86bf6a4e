#include "fleetstatus.h"

#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "stateicons.h"

#include <QLabel>

namespace Vigie {

FleetStatus::FleetStatus(const Inventory *inventory, const TenantScope *tenantScope, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_tenantScope(tenantScope)
    , m_hosts(new QLabel(window))
    , m_vms(new QLabel(window))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        update();
        Q_EMIT updated();
    });
    for (auto signal : {&Inventory::hostAdded, &Inventory::hostChanged, &Inventory::hostAboutToBeRemoved})
        connect(inventory, signal, this, &FleetStatus::schedule);
    connect(inventory, &Inventory::vmAdded, this, &FleetStatus::schedule);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, &FleetStatus::schedule);
    connect(inventory, &Inventory::vmChanged, this, &FleetStatus::schedule);
    connect(tenantScope, &TenantScope::tenantChanged, this, &FleetStatus::schedule);
    update();
}

void FleetStatus::update()
{
    QHash<int, int> byState;
    const QStringList uris = m_inventory->hostUris();
    for (const QString &uri : uris)
        ++byState[int(m_inventory->host(uri).state)];
    QStringList parts;
    const auto part = [&](ConnectionState state, const QString &text) {
        if (byState.value(int(state)))
            parts.append(QStringLiteral("<span style='color:%1'>●</span> %2").arg(connectionStateColor(state).name(), text));
    };
    part(ConnectionState::Connected, tr("%n connected", nullptr, byState.value(int(ConnectionState::Connected))));
    part(ConnectionState::Connecting, tr("%n connecting", nullptr, byState.value(int(ConnectionState::Connecting))));
    part(ConnectionState::Unreachable, tr("%n unreachable", nullptr, byState.value(int(ConnectionState::Unreachable))));
    part(ConnectionState::Failed, tr("%n failed", nullptr, byState.value(int(ConnectionState::Failed))));
    const bool demo = std::any_of(uris.cbegin(), uris.cend(), [this](const QString &uri) { return m_inventory->host(uri).demo; });
    m_hosts->setText(uris.isEmpty() ? tr("No connection — File › Connect to host… or Open demo datacenter")
                                    : (demo ? tr("<b>Demo datacenter</b> · ") : QString())
                                          + tr("%n host(s): ", nullptr, int(uris.size())) + parts.join(QStringLiteral("  ")));
    int running = 0;
    int count = 0;
    const QList<VmKey> keys = m_inventory->vmKeys();
    for (const VmKey &key : keys) {
        const VmInfo *vm = m_inventory->findVm(key);
        if (!vm || !m_tenantScope->contains(*vm))
            continue; // another tenant's
        ++count;
        if (vm->isActive())
            ++running;
    }
    m_vmCount = count;
    m_vms->setText(tr("%n VM(s), %1 running", nullptr, count).arg(running));
}

} // namespace Vigie
