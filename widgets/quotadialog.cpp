#include "quotadialog.h"

#include "displaytext.h"
#include "placement/vmtemplate.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Vigie {

namespace {

QSpinBox *limitBox(int maximum, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, maximum);
    box->setSuffix(suffix);
    box->setSpecialValueText(QuotaDialog::tr("no limit"));
    return box;
}

} // namespace

QuotaDialog::QuotaDialog(const QStringList &tenants, const TenantQuotas &quotas, const QString &current, QWidget *parent)
    : QDialog(parent)
    , m_quotas(quotas)
    , m_tenants(new QComboBox(this))
    , m_vcpus(limitBox(VmTemplate::MaxVcpus * 64, QString(), this))
    , m_memoryGiB(limitBox(int(VmTemplate::MaxMemoryMiB / 1024) * 64, tr(" GiB"), this))
    , m_diskGiB(limitBox(int(VmTemplate::MaxDiskGiB) * 64, tr(" GiB"), this))
{
    setWindowTitle(tr("Tenant quotas"));
    setObjectName(QStringLiteral("quotaDialog"));
    QStringList names = tenants;
    for (const QString &name : quotas.tenants()) {
        if (!names.contains(name))
            names.append(name);
    }
    for (const QString &name : std::as_const(names))
        m_tenants->addItem(DisplayText::singleLine(name), name);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("What each tenant may hold, over all its VMs, running or not. New VMs beyond it are "
                                "refused by the placement pre-flight. Disk is checked for the new VM's disk only: "
                                "libvirt's definitions do not give the existing volumes' sizes."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    form->addRow(tr("&Tenant:"), m_tenants);
    form->addRow(tr("&vCPUs:"), m_vcpus);
    form->addRow(tr("&Memory:"), m_memoryGiB);
    form->addRow(tr("&Disk:"), m_diskGiB);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        store();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_tenants, &QComboBox::currentIndexChanged, this, [this] {
        store();
        showTenant(m_tenants->currentData().toString());
    });
    const int index = m_tenants->findData(current);
    m_tenants->setCurrentIndex(std::max(index, 0));
    showTenant(m_tenants->currentData().toString());
    m_tenants->setEnabled(m_tenants->count() > 1);
}

void QuotaDialog::showTenant(const QString &tenant)
{
    m_tenant = tenant;
    const TenantQuota quota = m_quotas.quota(tenant);
    m_vcpus->setValue(quota.vcpus);
    m_memoryGiB->setValue(int(quota.memoryMiB / 1024));
    m_diskGiB->setValue(int(quota.diskGiB));
    for (QSpinBox *box : {m_vcpus, m_memoryGiB, m_diskGiB})
        box->setEnabled(!tenant.isEmpty());
}

void QuotaDialog::store()
{
    if (m_tenant.isEmpty())
        return;
    m_quotas.setQuota(m_tenant, {m_vcpus->value(), quint64(m_memoryGiB->value()) * 1024, quint64(m_diskGiB->value())});
}

} // namespace Vigie
