#include "subnetdialog.h"

#include "displaytext.h"
#include "network/subnetplan.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <limits>

namespace Vigie {

SubnetDialog::SubnetDialog(const QString &switchName, const SubnetSettings &current,
                           std::function<QString(const SubnetSettings &)> check, QWidget *parent)
    : QDialog(parent)
    , m_check(std::move(check))
    , m_subnet(new QLineEdit(current.cidr, this))
    , m_excluded(new QLineEdit(current.excludedIps, this))
    , m_dhcp(new QCheckBox(tr("OVN's &DHCP answers the VMs of this VLAN"), this))
    , m_gateway(new QLineEdit(current.gateway, this))
    , m_dns(new QLineEdit(current.dnsServers.join(QStringLiteral(", ")), this))
    , m_lease(new QSpinBox(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Addressing of %1").arg(DisplayText::singleLine(switchName)));
    setObjectName(QStringLiteral("subnetDialog"));
    m_subnet->setObjectName(QStringLiteral("subnetEdit"));
    m_subnet->setPlaceholderText(QStringLiteral("10.50.0.0/24"));
    m_subnet->setToolTip(tr("The VLAN's IPv4 subnet (other_config:subnet): placement and address changes pick free "
                            "addresses in it. The VMs' addresses must stay inside it."));
    m_excluded->setObjectName(QStringLiteral("excludedEdit"));
    m_excluded->setPlaceholderText(tr("optional, e.g. 10.50.0.2..10.50.0.9 10.50.0.20"));
    m_excluded->setToolTip(tr("Addresses never given to a VM (other_config:exclude_ips): single addresses and ranges "
                              "written first..last, separated by spaces."));
    m_dhcp->setObjectName(QStringLiteral("dhcpBox"));
    m_dhcp->setChecked(current.dhcp);
    m_dhcp->setToolTip(tr("A DHCP_Options row: OVN itself answers each VM's DHCP request with the address its port "
                          "has, the gateway and DNS servers below."));
    m_gateway->setObjectName(QStringLiteral("gatewayEdit"));
    m_gateway->setPlaceholderText(QStringLiteral("10.50.0.1"));
    m_gateway->setToolTip(tr("The default route the VMs get (options:router); OVN's DHCP answers from this address."));
    m_dns->setObjectName(QStringLiteral("dnsEdit"));
    m_dns->setPlaceholderText(tr("optional, e.g. 10.10.0.53, 10.10.0.54"));
    m_dns->setToolTip(tr("DNS servers the VMs get (options:dns_server), separated by commas."));
    m_lease->setObjectName(QStringLiteral("leaseBox"));
    m_lease->setRange(1, std::numeric_limits<int>::max());
    m_lease->setSuffix(tr(" s"));
    m_lease->setValue(current.leaseSeconds > 0 ? int(std::min<qint64>(current.leaseSeconds, std::numeric_limits<int>::max()))
                                               : int(SubnetSettings::DefaultLease));
    m_lease->setToolTip(tr("How long a VM keeps its lease (options:lease_time); it renews at half of it, and takes "
                           "changed options then. 86400 s (a day) is Neutron's default."));
    m_problem->setObjectName(QStringLiteral("subnetProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b03000"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Subnet:"), m_subnet);
    form->addRow(tr("&Excluded:"), m_excluded);
    form->addRow(m_dhcp);
    form->addRow(tr("&Gateway:"), m_gateway);
    form->addRow(tr("D&NS servers:"), m_dns);
    form->addRow(tr("&Lease:"), m_lease);
    form->addRow(m_problem);
    auto *explanation = new QLabel(tr("Written to the network controller in one transaction, shown first. The VMs keep "
                                      "their addresses; they take the new options at their next DHCP renewal."),
                                   this);
    explanation->setWordWrap(true);
    form->addRow(explanation);
    QPushButton *apply = m_buttons->addButton(tr("&Review…"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(QStringLiteral("reviewButton"));
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_subnet, m_excluded, m_gateway, m_dns})
        connect(edit, &QLineEdit::textChanged, this, &SubnetDialog::validate);
    connect(m_lease, &QSpinBox::valueChanged, this, &SubnetDialog::validate);
    connect(m_dhcp, &QCheckBox::toggled, this, [this](bool on) {
        // Turned on: the conventional gateway (.1) of the subnet, when none is given yet.
        if (on && m_gateway->text().trimmed().isEmpty()) {
            const SubnetPlan plan(m_subnet->text().trimmed());
            if (plan.isValid() && !plan.isIpv6()) {
                const QString network = plan.cidr().section(u'/', 0, 0);
                m_gateway->setText(network.section(u'.', 0, 2) + QStringLiteral(".")
                                   + QString::number(network.section(u'.', 3, 3).toInt() + 1));
            }
        }
        validate();
    });
    validate();
    resize(std::max(sizeHint().width(), 460), sizeHint().height());
}

SubnetSettings SubnetDialog::settings() const
{
    SubnetSettings settings;
    settings.cidr = m_subnet->text().trimmed();
    settings.excludedIps = m_excluded->text().simplified();
    settings.dhcp = m_dhcp->isChecked();
    if (settings.dhcp) {
        settings.gateway = m_gateway->text().trimmed();
        settings.dnsServers = SubnetSettings::parseDnsServers(m_dns->text());
        settings.leaseSeconds = m_lease->value();
    }
    return settings;
}

void SubnetDialog::validate()
{
    for (QWidget *dhcpField : std::initializer_list<QWidget *>{m_gateway, m_dns, m_lease})
        dhcpField->setEnabled(m_dhcp->isChecked());
    const QString problem = m_check(settings());
    m_problem->setText(DisplayText::wrappable(problem)); // can name ports and VMs of the controller
    m_problem->setVisible(!problem.isEmpty());
    for (QAbstractButton *button : m_buttons->buttons()) {
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(problem.isEmpty());
    }
}

} // namespace Vigie
