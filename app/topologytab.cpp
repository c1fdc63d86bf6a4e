#include "topologytab.h"

#include "mainwindow.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/portisolation.h"
#include "notificationbar.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "windowsettings.h"

#include <QActionGroup>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>

namespace Vigie {

TopologyTab::TopologyTab(Inventory *inventory, NetworkController *network, MigrationController *migrations,
                         const HostRater *rater, NotificationBar *notifications, QTabWidget *tabs, QMainWindow *window)
    : QObject(window)
    , m_notifications(notifications)
    , m_window(window)
    , m_tabs(tabs)
    , m_scene(new TopologyScene(inventory, window))
{
    // The outline of a VM isolated by Vigie: the isolation group of its NIC's port.
    m_scene->setIsolationLookup([network](const VmKey &vm, const QString &mac) -> std::pair<QString, QString> {
        const std::optional<NicPortMatch> match = network->correlation()->matchOf(vm, mac);
        if (!match)
            return {};
        const OvnPortGroup group = network->isolation()->isolationOfPort(match->portUuid);
        return {group.isolationLabel(), group.name};
    });
    m_scene->setMigrationController(migrations);
    m_scene->setHostRater(rater);
    m_view = new TopologyView(m_scene, window);
    tabs->addTab(m_view, MainWindow::tr("Topology"));
}

void TopologyTab::addToViewMenu(QMenu *view)
{
    QMenu *zoom = view->addMenu(MainWindow::tr("Topology &zoom"));
    const auto zoomAction = [this, zoom](const QString &text, const QKeySequence &shortcut, void (TopologyView::*act)()) {
        return zoom->addAction(text, shortcut, this, [this, act] {
            show();
            (m_view->*act)();
        });
    };
    zoomAction(MainWindow::tr("Zoom &in"), QKeySequence::ZoomIn, &TopologyView::zoomIn);
    zoomAction(MainWindow::tr("Zoom &out"), QKeySequence::ZoomOut, &TopologyView::zoomOut);
    zoomAction(MainWindow::tr("&Actual size"), QKeySequence(Qt::CTRL | Qt::Key_0), &TopologyView::resetZoom);
    zoomAction(MainWindow::tr("&Fit to window"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), &TopologyView::fitToView);
    // VMs that come and go keep the others in place (holes, new VMs in them): this tidies up.
    zoom->addAction(MainWindow::tr("&Rearrange"), this, [this] {
        show();
        m_scene->arrange();
    })->setStatusTip(MainWindow::tr("Sort each host's VMs by name again and close the gaps left by VMs that went"));
    QMenu *colour = view->addMenu(MainWindow::tr("Topology &colour"));
    colour->setObjectName(QStringLiteral("topologyColourMenu"));
    auto *colours = new QActionGroup(colour);
    m_colourByState = colour->addAction(MainWindow::tr("By &state"), this, [this] { setColouring(false); });
    m_colourByState->setStatusTip(MainWindow::tr("VMs coloured by their state: running, paused, shut off"));
    m_colourByTenant = colour->addAction(MainWindow::tr("By &tenant"), this, [this] { setColouring(true); });
    m_colourByTenant->setStatusTip(
        MainWindow::tr("VMs coloured by their tenant, with a legend; VMs isolated by Vigie outlined in their group's colour"));
    for (QAction *action : {m_colourByState, m_colourByTenant}) {
        action->setCheckable(true);
        colours->addAction(action);
    }
    setColouring(WindowSettings::topologyByTenant(), false);
    view->addAction(MainWindow::tr("Export topology as &PNG…"), this, [this] { exportPicture(false); });
    view->addAction(MainWindow::tr("Export topology as &SVG…"), this, [this] { exportPicture(true); });
}

void TopologyTab::show()
{
    m_tabs->setCurrentWidget(m_view);
    m_view->setFocus();
}

void TopologyTab::setColouring(bool byTenant, bool remember)
{
    m_scene->setColouring(byTenant ? TopologyStyle::ChipColouring::Tenant : TopologyStyle::ChipColouring::State);
    if (m_colourByTenant) {
        m_colourByTenant->setChecked(byTenant);
        m_colourByState->setChecked(!byTenant);
    }
    if (remember)
        WindowSettings::setTopologyByTenant(byTenant);
}

void TopologyTab::exportPicture(bool svg)
{
    const QString filter = svg ? MainWindow::tr("SVG pictures (*.svg)") : MainWindow::tr("PNG pictures (*.png)");
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    QString path = QFileDialog::getSaveFileName(m_window, svg ? MainWindow::tr("Export topology as SVG") : MainWindow::tr("Export topology as PNG"),
                                                QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                                                    + QLatin1Char('/') + MainWindow::tr("topology") + suffix,
                                                filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    QString error;
    if (!(svg ? m_view->exportSvg(path, &error) : m_view->exportPng(path, &error)))
        m_notifications->notify(NotificationBar::Kind::Error, MainWindow::tr("Export failed"), error);
    else
        m_window->statusBar()->showMessage(MainWindow::tr("Topology exported to %1").arg(path), 5000);
}

} // namespace Vigie
