#pragma once

#include <QWidget>

class QAbstractItemModel;
class QAction;
class QTableView;

namespace Vigie {

class Inventory;
class MetricsStore;

// The Virtual machines tab: the VM table (sorted by name, columns sized for their contents, the
// CPU sparkline next to the state), or, while no host is there at all, what to do next:
// CONNECT_HOST or OPEN_DEMO.
class VmTablePanel : public QWidget
{
    Q_OBJECT

public:
    VmTablePanel(const Inventory *inventory, QAbstractItemModel *model, MetricsStore *metrics, QAction *connectHost,
                 QAction *openDemo, QWidget *parent = nullptr);

    [[nodiscard]] QTableView *table() const { return m_table; }

private:
    QTableView *m_table;
};

} // namespace Vigie
