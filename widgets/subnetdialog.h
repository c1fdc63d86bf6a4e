#pragma once

#include "network/subneteditor.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Vigie {

// A VLAN's addressing, edited: subnet, excluded addresses, and whether OVN's DHCP serves it, with
// the gateway, DNS servers and lease it gives. Checked as the operator types (CHECK says why the
// values cannot be written, or nothing); the OK button stays disabled while they cannot.
class SubnetDialog : public QDialog
{
    Q_OBJECT

public:
    SubnetDialog(const QString &switchName, const SubnetSettings &current, std::function<QString(const SubnetSettings &)> check,
                 QWidget *parent = nullptr);

    [[nodiscard]] SubnetSettings settings() const;

    [[nodiscard]] QLineEdit *subnetEdit() const { return m_subnet; }
    [[nodiscard]] QLineEdit *gatewayEdit() const { return m_gateway; }
    [[nodiscard]] QLineEdit *dnsEdit() const { return m_dns; }
    [[nodiscard]] QLineEdit *excludedEdit() const { return m_excluded; }
    [[nodiscard]] QCheckBox *dhcpBox() const { return m_dhcp; }
    [[nodiscard]] QSpinBox *leaseBox() const { return m_lease; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }

private:
    void validate();

    std::function<QString(const SubnetSettings &)> m_check;
    QLineEdit *m_subnet;
    QLineEdit *m_excluded;
    QCheckBox *m_dhcp;
    QLineEdit *m_gateway;
    QLineEdit *m_dns;
    QSpinBox *m_lease;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
