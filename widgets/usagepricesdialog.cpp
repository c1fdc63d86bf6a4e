#include "usagepricesdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>

#include <cmath>

namespace Vigie {

namespace {

QDoubleSpinBox *priceBox(Micros micros, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setDecimals(6);
    box->setRange(0, 1'000'000);
    box->setValue(double(micros) / 1e6);
    return box;
}

Micros micros(const QDoubleSpinBox *box)
{
    // The box holds six decimals: converting once to integer micro-units is exact.
    return std::llround(box->value() * 1e6);
}

} // namespace

UsagePricesDialog::UsagePricesDialog(const UsagePrices &prices, QWidget *parent)
    : QDialog(parent)
    , m_currency(new QLineEdit(prices.currency, this))
    , m_issuer(new QLineEdit(prices.issuer, this))
    , m_vcpu(priceBox(prices.vcpuHour, this))
    , m_memory(priceBox(prices.memoryGiBHour, this))
    , m_disk(priceBox(prices.diskGiBHour, this))
    , m_network(priceBox(prices.networkGB, this))
{
    setWindowTitle(tr("Usage prices"));
    m_currency->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Z]{3}")), m_currency));
    m_currency->setToolTip(tr("ISO 4217 code: EUR, USD, CHF…"));
    m_issuer->setPlaceholderText(tr("Your organisation, as printed on reports"));
    for (QDoubleSpinBox *box : {m_vcpu, m_memory, m_disk, m_network})
        box->setSuffix(u' ' + prices.currency);
    connect(m_currency, &QLineEdit::textChanged, this, [this](const QString &code) {
        for (QDoubleSpinBox *box : {m_vcpu, m_memory, m_disk, m_network})
            box->setSuffix(u' ' + code);
    });
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Currency:"), m_currency);
    form->addRow(tr("&Issuer:"), m_issuer);
    form->addRow(tr("Per &vCPU-hour:"), m_vcpu);
    form->addRow(tr("Per GiB-hour of &memory:"), m_memory);
    form->addRow(tr("Per GiB-hour of &disk:"), m_disk);
    form->addRow(tr("Per GB of &network (in and out):"), m_network);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

UsagePrices UsagePricesDialog::prices() const
{
    UsagePrices p;
    p.currency = m_currency->hasAcceptableInput() ? m_currency->text() : QStringLiteral("EUR");
    p.issuer = m_issuer->text().trimmed();
    p.vcpuHour = micros(m_vcpu);
    p.memoryGiBHour = micros(m_memory);
    p.diskGiBHour = micros(m_disk);
    p.networkGB = micros(m_network);
    return p;
}

} // namespace Vigie
