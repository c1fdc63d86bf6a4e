#include "vlandialog.h"

#include "displaytext.h"
#include "network/networkcontroller.h"
#include "network/ovnnorthbound.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>

namespace Vigie {

VlanDialog::VlanDialog(NetworkController *controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_name(new QLineEdit(this))
    , m_vlanId(new QSpinBox(this))
    , m_tenant(new QLineEdit(this))
    , m_network(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New VLAN"));
    setObjectName(QStringLiteral("vlanDialog"));
    m_name->setObjectName(QStringLiteral("vlanName"));
    m_vlanId->setObjectName(QStringLiteral("vlanId"));
    m_vlanId->setRange(1, 4094);
    // The next free id after the highest one, so the usual case needs no typing.
    int highest = 0;
    QString network;
    for (const OvnLogicalSwitch &s : controller->northbound()->switches()) {
        if (s.isVlan() && s.vlanId >= highest) {
            highest = s.vlanId;
            network = s.networkName;
        }
    }
    m_vlanId->setValue(std::min(4094, (highest / 100 + 1) * 100));
    m_tenant->setPlaceholderText(tr("optional"));
    m_network->setText(network.isEmpty() ? QStringLiteral("physnet") : network);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b03000"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("VLAN &id:"), m_vlanId);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("&Physical network:"), m_network);
    form->addRow(m_problem);
    auto *explanation = new QLabel(tr("Creates a logical switch with a localnet port tagged with the VLAN id in the "
                                      "network controller."),
                                   this);
    explanation->setWordWrap(true);
    form->addRow(explanation);
    QPushButton *create = m_buttons->addButton(tr("&Create"), QDialogButtonBox::AcceptRole);
    create->setObjectName(QStringLiteral("createButton"));
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &VlanDialog::validate);
    connect(m_vlanId, &QSpinBox::valueChanged, this, &VlanDialog::validate);
    connect(m_network, &QLineEdit::textChanged, this, &VlanDialog::validate);
    validate();
}

QString VlanDialog::name() const
{
    return m_name->text().trimmed();
}

int VlanDialog::vlanId() const
{
    return m_vlanId->value();
}

QString VlanDialog::tenant() const
{
    return m_tenant->text().trimmed();
}

QString VlanDialog::networkName() const
{
    return m_network->text().trimmed();
}

void VlanDialog::validate()
{
    QString problem = m_controller->createVlanRefusal(name(), vlanId());
    if (problem.isEmpty() && networkName().isEmpty())
        problem = tr("The localnet port needs the physical network's name.");
    m_problem->setText(DisplayText::wrappable(problem)); // can name a switch of the controller
    m_problem->setVisible(!problem.isEmpty());
    for (QAbstractButton *button : m_buttons->buttons()) {
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(problem.isEmpty());
    }
}

} // namespace Vigie
