#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QAction;
class QLabel;
class QMainWindow;
class QMenu;

namespace Vigie {

class AccessPolicy;
class Inventory;
class Preflight;
class QuotaBars;
class TenantScope;

// View › Tenant and --tenant: scopes the window to one tenant (the views it is given follow
// the TenantScope), hides the fleet-wide actions meanwhile and says in the title and status bar
// which tenant is shown and whether the connections are read-only.
class TenantView : public QObject
{
    Q_OBJECT

public:
    // The quotas are PREFLIGHT's (loaded from the settings here, saved when edited).
    TenantView(Inventory *inventory, const AccessPolicy *access, Preflight *preflight, QMainWindow *window);

    [[nodiscard]] TenantScope *scope() const { return m_scope; }
    // View › Tenant: "All tenants", then every tenant the VMs name (filled when opened).
    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // The status bar's label: the tenant shown, read-only.
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    // The shown tenant's usage against its quota (hidden when every tenant is shown).
    [[nodiscard]] QuotaBars *quotaBars() const { return m_bars; }
    // View › Tenant › Quotas…
    void editQuotas();
    // Fleet-wide actions (evacuation, maintenance): hidden while a tenant is shown.
    void addFleetAction(QAction *action);
    void setTenant(const QString &tenant);

private:
    void fillMenu();
    void update();
    void updateBars();

    Inventory *m_inventory;
    const AccessPolicy *m_access;
    Preflight *m_preflight;
    QMainWindow *m_window;
    TenantScope *m_scope;
    QMenu *m_menu;
    QLabel *m_status;
    QuotaBars *m_bars;
    QTimer m_barsTimer; // the inventory's changes, once per event-loop pass
    QList<QPointer<QAction>> m_fleetActions;
};

} // namespace Vigie
