#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Vigie {

class NetworkController;

// Asks for a new VLAN: name, VLAN id, tenant and physical network, checked against the
// controller as the operator types (name and id free, id in range).
class VlanDialog : public QDialog
{
    Q_OBJECT

public:
    explicit VlanDialog(NetworkController *controller, QWidget *parent = nullptr);

    [[nodiscard]] QString name() const;
    [[nodiscard]] int vlanId() const;
    [[nodiscard]] QString tenant() const;
    [[nodiscard]] QString networkName() const;

private:
    void validate();

    NetworkController *m_controller;
    QLineEdit *m_name;
    QSpinBox *m_vlanId;
    QLineEdit *m_tenant;
    QLineEdit *m_network;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
