#pragma once

#include "network/subnetplan.h"

#include <QDialog>

#include <functional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Vigie {

// VM › IP address › Assign…: a NIC's new address in its switch's subnet. Shows the subnet, its
// gateway and how many addresses are free, the NIC's address now; offers the first free one;
// checks what the operator types with CHECK (empty: acceptable) as it is typed.
class AddressDialog : public QDialog
{
    Q_OBJECT

public:
    struct Nic
    {
        QString vmName;
        QString mac;
        QString portName;
        QString switchName;
        QStringList addresses; // now
    };
    AddressDialog(const Nic &nic, const SubnetPlan &plan, std::function<QString(const QString &)> check, QWidget *parent = nullptr);

    [[nodiscard]] QString address() const;

private:
    void validate();

    SubnetPlan m_plan;
    std::function<QString(const QString &)> m_check;
    QLineEdit *m_address;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Vigie
