#pragma once

#include "placement/tenantquota.h"

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace Vigie {

// The operator's quotas by tenant: vCPUs, memory and disk (0: no limit). Edits of several
// tenants are kept until OK.
class QuotaDialog : public QDialog
{
    Q_OBJECT

public:
    // TENANTS: those the fleet's VMs name (the quotas' own are added); CURRENT shown first.
    QuotaDialog(const QStringList &tenants, const TenantQuotas &quotas, const QString &current, QWidget *parent = nullptr);

    [[nodiscard]] TenantQuotas quotas() const { return m_quotas; }

private:
    void showTenant(const QString &tenant);
    void store();

    TenantQuotas m_quotas;
    QString m_tenant; // the one the spin boxes show
    QComboBox *m_tenants;
    QSpinBox *m_vcpus;
    QSpinBox *m_memoryGiB;
    QSpinBox *m_diskGiB;
};

} // namespace Vigie
