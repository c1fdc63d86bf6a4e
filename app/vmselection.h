#pragma once

#include "inventory/vminfo.h"

#include <QObject>

class QTableView;
class QTreeView;

namespace Vigie {

class HostTreeModel;
class Inventory;
class NotificationBar;
class TopologyScene;
class VmDetailsPane;
class VmTableModel;

// What the operator chose, the same in every view: VMs selected in the host tree, the VM table
// or the topology are selected in the others, and the details pane shows the first of them (or
// the host chosen alone). The table is the reference: selectedVms() reads it. A selected VM
// that migrates stays selected on the host it appears on.
class VmSelection : public QObject
{
    Q_OBJECT

public:
    // The views show HOST_MODEL and VM_MODEL through proxies (filters, decorations): indexes
    // are mapped down each view's chain of proxies.
    VmSelection(Inventory *inventory, QTreeView *hostTree, HostTreeModel *hostModel, QTableView *vmTable,
                VmTableModel *vmModel, TopologyScene *topology, VmDetailsPane *details, NotificationBar *notifications,
                QObject *parent = nullptr);

    [[nodiscard]] QList<VmKey> selectedVms() const;
    // The host chosen in the tree, else the host of the first selected VM.
    [[nodiscard]] QString selectedHostUri() const;
    // The hosts of the selected VMs (one per VM), for the access guard.
    [[nodiscard]] QStringList selectedVmHosts() const;
    // Selects the VM in the table (and so everywhere), unless the filter hides it: then says so.
    // A VM that moved to another host since KEY was taken is selected where it is now.
    void selectVm(const VmKey &key);
    // Selects a running VM with the most NICs, so a screenshot shows full details.
    void selectShowcaseVm();

Q_SIGNALS:
    // The selection changed in the tree or the table (the actions follow).
    void changed();

private:
    void treeSelectionChanged();
    void tableSelectionChanged();
    void topologySelectionChanged();
    void syncTopologySelection();
    // A selected VM that left the table (migrated: removed from its source) is selected again
    // on the host it appears on.
    void followSelection();
    // The table's index of VM (invalid when not shown).
    [[nodiscard]] QModelIndex tableIndex(const VmKey &vm) const;

    Inventory *m_inventory;
    QTreeView *m_hostTree;
    HostTreeModel *m_hostModel;
    QTableView *m_vmTable;
    VmTableModel *m_vmModel;
    TopologyScene *m_topology;
    VmDetailsPane *m_details;
    NotificationBar *m_notifications;
    QList<VmKey> m_selection;   // the table's last non-empty selection
    QStringList m_followUuids;  // selected VMs gone from the table, selected again when they reappear
    bool m_syncing = false;
    bool m_topologyDriving = false; // the topology's selection is being copied to the table
};

} // namespace Vigie
