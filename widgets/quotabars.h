#pragma once

#include "placement/tenantquota.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace Vigie {

// A tenant's usage against its quota, as three bars (vCPUs, memory, disk) with the figures.
class QuotaBars : public QWidget
{
    Q_OBJECT

public:
    explicit QuotaBars(QWidget *parent = nullptr);

    void setUsage(const QString &tenant, const TenantQuota &quota, const TenantUsage &usage);
    // The bars' texts, for tests and screenshots' checks.
    [[nodiscard]] QStringList texts() const;

private:
    QLabel *m_title;
    QProgressBar *m_vcpus;
    QProgressBar *m_memory;
    QProgressBar *m_disk;
};

} // namespace Vigie
