#pragma once

#include "inventory/vminfo.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace Vigie {

class AddressModel;
class LogicalSwitchModel;
class PolicyModel;
class NetworkController;
class NetworkMismatchModel;

// The network controller's side of the fleet: its VLANs (logical switches) with their ports, and
// where it disagrees with libvirt as a list of warnings, each with its fix in a context menu.
// Creates and deletes VLANs (with confirmation) through the controller.
class NetworkPanel : public QWidget
{
    Q_OBJECT

public:
    explicit NetworkPanel(NetworkController *controller, QWidget *parent = nullptr);

    [[nodiscard]] QTreeView *switchView() const { return m_switches; }
    [[nodiscard]] QTableView *mismatchView() const { return m_mismatches; }
    [[nodiscard]] LogicalSwitchModel *switchModel() const { return m_switchModel; }
    [[nodiscard]] NetworkMismatchModel *mismatchModel() const { return m_mismatchModel; }
    [[nodiscard]] QTreeView *policyView() const { return m_policy; }
    [[nodiscard]] PolicyModel *policyModel() const { return m_policyModel; }
    [[nodiscard]] QTableView *addressView() const { return m_addresses; }
    [[nodiscard]] AddressModel *addressModel() const { return m_addressModel; }
    [[nodiscard]] QComboBox *addressSwitchBox() const { return m_addressSwitch; }
    [[nodiscard]] QPushButton *editSubnetButton() const { return m_editSubnet; }
    // The Addresses view of a switch (its uuid).
    void showAddressesOf(const QString &switchUuid);

    void createVlan();
    void deleteSelectedVlan();

Q_SIGNALS:
    // The operator asked to connect to a controller (the placeholder's button).
    void connectRequested();
    // A fix of an address mismatch: the NIC's address dialog, port security on.
    void addressRequested(const Vigie::VmKey &vm, const QString &mac);
    void portSecurityRequested(const Vigie::VmKey &vm, const QString &mac);
    // The Policy view's fix: an isolation Vigie made, removed (after a preview).
    void removeIsolationRequested(const QString &groupUuid);
    // The Policy view's other fix: one rule of an isolation removed (after a preview).
    void removeRuleRequested(const QString &groupUuid, const QString &aclUuid);
    // The Addresses view's VLAN: its subnet, gateway, DNS and lease edited.
    void subnetEditRequested(const QString &switchUuid);

private:
    void updateState();
    void mismatchMenu(const QPoint &position);
    void policyMenu(const QPoint &position);
    void addressMenu(const QPoint &position);
    void updateAddressSwitches();
    void updateSubnetButton();
    [[nodiscard]] QString selectedSwitch() const;

    NetworkController *m_controller;
    LogicalSwitchModel *m_switchModel;
    NetworkMismatchModel *m_mismatchModel;
    PolicyModel *m_policyModel;
    AddressModel *m_addressModel;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_state;
    QLabel *m_mismatchTitle;
    QTreeView *m_switches;
    QTableView *m_mismatches;
    QTreeView *m_policy;
    QComboBox *m_addressSwitch;
    QLabel *m_addressSummary;
    QTableView *m_addresses;
    QPushButton *m_editSubnet;
    QPushButton *m_create;
    QPushButton *m_delete;
};

} // namespace Vigie
