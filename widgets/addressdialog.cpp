#include "addressdialog.h"

#include "displaytext.h"
#include "plaintext.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <climits>

namespace Vigie {

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(DisplayText::wrappable(text), parent);
    makePlainWrappingLabel(label);
    return label;
}

} // namespace

AddressDialog::AddressDialog(const Nic &nic, const SubnetPlan &plan, std::function<QString(const QString &)> check, QWidget *parent)
    : QDialog(parent)
    , m_plan(plan)
    , m_check(std::move(check))
    , m_address(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("addressDialog"));
    setWindowTitle(tr("IP address of %1").arg(DisplayText::singleLine(nic.vmName)));

    auto *form = new QFormLayout;
    form->addRow(tr("NIC:"), plainLabel(tr("%1, port %2").arg(nic.mac, nic.portName), this));
    QString subnet = plan.cidr();
    if (!plan.gateway().isEmpty())
        subnet += tr(", gateway %1").arg(plan.gateway());
    subnet += tr(", %n address(es) free", nullptr, int(std::min<quint64>(plan.freeCount(), quint64(INT_MAX))));
    form->addRow(tr("Switch:"), plainLabel(nic.switchName, this));
    auto *subnetLabel = plainLabel(subnet, this);
    subnetLabel->setObjectName(QStringLiteral("subnet"));
    form->addRow(tr("Subnet:"), subnetLabel);
    form->addRow(tr("Now:"), plainLabel(nic.addresses.isEmpty() ? tr("no address") : nic.addresses.join(QStringLiteral(", ")), this));

    auto *row = new QWidget(this);
    auto *rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    m_address->setObjectName(QStringLiteral("address"));
    m_address->setMaxLength(64);
    m_address->setText(plan.suggestion());
    m_address->setPlaceholderText(plan.isIpv6() ? QStringLiteral("fd00::10") : QStringLiteral("10.0.0.10"));
    m_address->setToolTip(tr("An address of the subnet that is free: not the gateway, not excluded, not another port's"));
    auto *suggest = new QPushButton(tr("&Free one"), row);
    suggest->setObjectName(QStringLiteral("suggestButton"));
    suggest->setToolTip(tr("The first free address of the subnet"));
    suggest->setEnabled(!plan.suggestion().isEmpty());
    connect(suggest, &QPushButton::clicked, this, [this] { m_address->setText(m_plan.suggestion()); });
    rowLayout->addWidget(m_address, 1);
    rowLayout->addWidget(suggest);
    form->addRow(tr("&New address:"), row);

    auto *how = plainLabel(tr("The port's addresses and port security change together in the network controller, in one "
                              "transaction that fails if someone else changed the port meanwhile. The guest takes the new "
                              "address from the controller's DHCP at its next renewal."),
                           this);
    how->setStyleSheet(QStringLiteral("color: palette(mid)"));

    m_problem->setObjectName(QStringLiteral("addressProblem"));
    makePlainWrappingLabel(m_problem);
    m_problem->setStyleSheet(QStringLiteral("color: #b03030"));

    m_buttons->addButton(tr("&Assign"), QDialogButtonBox::AcceptRole)->setObjectName(QStringLiteral("assignButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(how);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_address, &QLineEdit::textChanged, this, &AddressDialog::validate);
    validate();
    resize(460, sizeHint().height());
}

QString AddressDialog::address() const
{
    return m_address->text().trimmed();
}

void AddressDialog::validate()
{
    QString problem = m_check ? m_check(address()) : m_plan.refusal(address());
    if (problem.isEmpty() && m_plan.suggestion().isEmpty() && address().isEmpty())
        problem = tr("The subnet has no free address left.");
    m_problem->setText(DisplayText::wrappable(problem));
    m_problem->setVisible(!problem.isEmpty());
    for (QAbstractButton *button : m_buttons->buttons()) {
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(problem.isEmpty());
    }
}

} // namespace Vigie
