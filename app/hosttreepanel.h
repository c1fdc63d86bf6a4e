#pragma once

#include <QWidget>

class QLineEdit;
class QTreeView;

namespace Vigie {

class Inventory;
class VmFilterProxyModel;

// The Hosts dock's panel: a query filter over the host tree, hosts and their VMs sorted by
// name, the state column as wide as the longest state's name; a host opened as its first VMs
// arrive. Its strings are the window's, in its translation context.
class HostTreePanel : public QWidget
{
    Q_OBJECT

public:
    // MODEL is the host tree behind its filter, which the panel's query line drives.
    HostTreePanel(const Inventory *inventory, VmFilterProxyModel *model, QWidget *parent = nullptr);

    [[nodiscard]] QTreeView *tree() const { return m_tree; }

private:
    void sizeStateColumn();

    QLineEdit *m_filter;
    QTreeView *m_tree;
};

} // namespace Vigie
