#pragma once

#include "metrics/usagereport.h"

#include <QDialog>

class QDoubleSpinBox;
class QLineEdit;

namespace Vigie {

// Usage › Prices: the currency, the issuer printed on reports, and the price per vCPU-hour,
// GiB-hour of memory, GiB-hour of disk and GB of network traffic (up to the micro-unit).
class UsagePricesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit UsagePricesDialog(const UsagePrices &prices, QWidget *parent = nullptr);
    [[nodiscard]] UsagePrices prices() const;

private:
    QLineEdit *m_currency;
    QLineEdit *m_issuer;
    QDoubleSpinBox *m_vcpu;
    QDoubleSpinBox *m_memory;
    QDoubleSpinBox *m_disk;
    QDoubleSpinBox *m_network;
};

} // namespace Vigie
