#include "tenantview.h"

#include "displaytext.h"
#include "hypervisor/accesspolicy.h"
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "placement/preflight.h"
#include "quotabars.h"
#include "quotadialog.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QSettings>

namespace Vigie {

TenantView::TenantView(Inventory *inventory, const AccessPolicy *access, Preflight *preflight, QMainWindow *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_access(access)
    , m_preflight(preflight)
    , m_window(window)
    , m_scope(new TenantScope(inventory, this))
    , m_menu(new QMenu(tr("&Tenant"), window))
    , m_status(new QLabel(window))
    , m_bars(new QuotaBars(window))
{
    {
        QSettings settings;
        m_preflight->quotas().load(settings);
    }
    m_barsTimer.setSingleShot(true);
    m_barsTimer.setInterval(0);
    connect(&m_barsTimer, &QTimer::timeout, this, &TenantView::updateBars);
    const auto scheduleBars = [this] {
        if (m_scope->isScoped())
            m_barsTimer.start();
    };
    connect(inventory, &Inventory::vmAdded, this, scheduleBars);
    connect(inventory, &Inventory::vmChanged, this, scheduleBars);
    connect(inventory, &Inventory::vmAboutToBeRemoved, this, [this] { m_barsTimer.start(); });
    m_menu->setObjectName(QStringLiteral("tenantMenu"));
    m_menu->menuAction()->setStatusTip(tr("Show one tenant's VMs, VLANs and share of the hosts, or every tenant"));
    m_status->setObjectName(QStringLiteral("tenantStatus"));
    m_status->setTextFormat(Qt::PlainText); // a tenant's name comes from the VMs' definitions
    connect(m_menu, &QMenu::aboutToShow, this, &TenantView::fillMenu);
    connect(m_scope, &TenantScope::tenantChanged, this, &TenantView::update);
    connect(access, &AccessPolicy::changed, this, &TenantView::update);
    update();
}

void TenantView::addFleetAction(QAction *action)
{
    m_fleetActions.append(action);
    action->setVisible(!m_scope->isScoped());
}

void TenantView::setTenant(const QString &tenant)
{
    m_scope->setTenant(tenant);
}

void TenantView::fillMenu()
{
    m_menu->clear();
    auto *group = new QActionGroup(m_menu);
    const auto add = [&](const QString &text, const QString &tenant) {
        QAction *action = m_menu->addAction(text, this, [this, tenant] { setTenant(tenant); });
        action->setCheckable(true);
        action->setChecked(tenant == m_scope->tenant());
        group->addAction(action);
    };
    add(tr("&All tenants"), {});
    m_menu->addSeparator();
    QStringList tenants = TenantScope::tenants(*m_inventory);
    // The tenant shown stays listed even once its last VM is gone.
    if (m_scope->isScoped() && !tenants.contains(m_scope->tenant()))
        tenants.append(m_scope->tenant());
    for (const QString &tenant : std::as_const(tenants)) {
        QString text = DisplayText::singleLine(tenant);
        text.replace(QLatin1Char('&'), QStringLiteral("&&")); // no mnemonic from a tenant's name
        add(text, tenant);
    }
    if (tenants.isEmpty())
        m_menu->addAction(tr("No VM names a tenant"))->setEnabled(false);
    m_menu->addSeparator();
    QAction *quotas = m_menu->addAction(tr("&Quotas…"), this, &TenantView::editQuotas);
    quotas->setStatusTip(tr("Set what each tenant may hold: vCPUs, memory, disk"));
}

void TenantView::editQuotas()
{
    auto *dialog = new QuotaDialog(TenantScope::tenants(*m_inventory), m_preflight->quotas(), m_scope->tenant(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_preflight->quotas() = dialog->quotas();
        QSettings settings;
        m_preflight->quotas().save(settings);
        updateBars();
    });
    dialog->open();
}

void TenantView::updateBars()
{
    m_bars->setVisible(m_scope->isScoped());
    if (!m_scope->isScoped())
        return;
    const QString tenant = m_scope->tenant();
    m_bars->setUsage(tenant, m_preflight->quotas().quota(tenant), TenantQuotas::usage(*m_inventory, tenant));
}

void TenantView::update()
{
    const bool scoped = m_scope->isScoped();
    for (const QPointer<QAction> &action : std::as_const(m_fleetActions)) {
        if (action)
            action->setVisible(!scoped);
    }
    const QString tenant = DisplayText::singleLine(m_scope->tenant());
    QStringList parts;
    if (scoped)
        parts.append(tr("Tenant %1").arg(tenant));
    if (m_access->allReadOnly())
        parts.append(tr("read-only"));
    m_window->setWindowTitle(scoped ? tr("%1 — Vigie").arg(parts.join(QStringLiteral(" · ")))
                                    : m_access->allReadOnly() ? tr("Vigie — private cloud console (read-only)")
                                                              : tr("Vigie — private cloud console"));
    m_status->setText(parts.join(QStringLiteral(" · ")));
    m_status->setToolTip(m_access->allReadOnly()
                             ? tr("Every libvirt connection is read-only: the hypervisors refuse every change made "
                                  "through them.")
                             : QString());
    m_status->setVisible(!parts.isEmpty());
    updateBars();
}

} // namespace Vigie
