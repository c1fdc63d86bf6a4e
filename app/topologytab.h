#pragma once

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QTabWidget;

namespace Vigie {

class HostRater;
class Inventory;
class MigrationController;
class NetworkController;
class NotificationBar;
class TopologyScene;
class TopologyView;

// The Topology tab: the scene of hosts, VMs and VLANs (isolation outlines from the network
// controller, migrations under way, hosts rated while a VM is dragged) and its view, coloured
// by state or by tenant (remembered), zoomed, rearranged and exported from the View menu. What
// is dropped on it the window wires to the workflows. Its strings are the window's, in its
// translation context.
class TopologyTab : public QObject
{
    Q_OBJECT

public:
    // Adds the view to TABS, after the tabs there.
    // Failed exports are told in NOTIFICATIONS.
    TopologyTab(Inventory *inventory, NetworkController *network, MigrationController *migrations, const HostRater *rater,
                NotificationBar *notifications, QTabWidget *tabs, QMainWindow *window);

    [[nodiscard]] TopologyScene *scene() const { return m_scene; }
    [[nodiscard]] TopologyView *view() const { return m_view; }
    // View: Topology zoom, Topology colour, Export topology as PNG and as SVG.
    void addToViewMenu(QMenu *view);
    // The tab in front, the view with the focus.
    void show();
    // By tenant or by state; REMEMBER: saved for the next start.
    void setColouring(bool byTenant, bool remember = true);

private:
    void exportPicture(bool svg);

    NotificationBar *m_notifications;
    QMainWindow *m_window;
    QTabWidget *m_tabs;
    TopologyScene *m_scene;
    TopologyView *m_view;
    QAction *m_colourByState = nullptr;
    QAction *m_colourByTenant = nullptr;
};

} // namespace Vigie
