#pragma once

#include <QWidget>

class QAction;

namespace Vigie {

// What the VM table's place shows while no host is connected (a first start, or every host
// closed): what to do next, as buttons for the window's own actions (connect to a host, open
// the demo datacenter), rather than an empty table and a line in the status bar.
class EmptyFleetPage : public QWidget
{
    Q_OBJECT

public:
    EmptyFleetPage(QAction *connectHost, QAction *openDemo, QWidget *parent = nullptr);
};

} // namespace Vigie
