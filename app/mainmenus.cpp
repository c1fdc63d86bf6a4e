#include "mainmenus.h"

#include "historyui.h"
#include "lifecycleactions.h"
#include "mainwindow.h"
#include "metricssourceui.h"
#include "savedsearches.h"
#include "shortcutsdialog.h"
#include "tenantview.h"
#include "topologytab.h"
#include "windowactions.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QDockWidget>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

namespace Vigie {

MainMenus::MainMenus(const Sources &sources, QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
    QMenu *file = window->menuBar()->addMenu(MainWindow::tr("&File"));
    file->addActions(sources.windowActions->connectActions());
    file->addSeparator();
    file->addActions(sources.windowActions->hostActions());
    file->addSeparator();
    QAction *quit = file->addAction(MainWindow::tr("&Quit"), QKeySequence::Quit, window, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);
    file->setToolTipsVisible(true);

    QMenu *vm = window->menuBar()->addMenu(MainWindow::tr("&VM"));
    vm->addActions(sources.lifecycle->actions());
    if (sources.resumeMigration)
        vm->addAction(sources.resumeMigration);
    vm->addSeparator();
    vm->addAction(sources.windowActions->consoleAction());
    vm->addAction(sources.windowActions->editXmlAction());
    vm->addSeparator();
    for (QMenu *menu : sources.vmMenus)
        vm->addMenu(menu);
    vm->addSeparator();
    vm->addAction(sources.tags);
    vm->setToolTipsVisible(true); // a disabled action says why (a read-only connection)

    createViewMenu(sources);

    QMenu *help = window->menuBar()->addMenu(MainWindow::tr("&Help"));
    QAction *keys = help->addAction(MainWindow::tr("&Keyboard shortcuts"), this, [this] { showShortcuts(); });
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    keys->setStatusTip(MainWindow::tr("Every shortcut and gesture of the window"));
    help->addAction(MainWindow::tr("&About Vigie"), this, [this] {
        QMessageBox::about(m_window, MainWindow::tr("About Vigie"),
                           MainWindow::tr("<h3>Vigie %1</h3><p>Operator console for private clouds: libvirt hypervisors and "
                                          "OVN networks, live.</p><p>Qt %2</p>")
                               .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });

    auto *toolbar = window->addToolBar(MainWindow::tr("Actions"));
    toolbar->setObjectName(QStringLiteral("actionsToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(sources.windowActions->connectAction());
    toolbar->addSeparator();
    toolbar->addActions(sources.lifecycle->actions());
}

void MainMenus::createViewMenu(const Sources &sources)
{
    QMenu *view = m_window->menuBar()->addMenu(MainWindow::tr("&View"));
    QLineEdit *filter = sources.filter;
    QAction *find = view->addAction(MainWindow::tr("&Find VM"), QKeySequence::Find, this, [filter] {
        filter->setFocus();
        filter->selectAll();
    });
    find->setStatusTip(MainWindow::tr("Filter the VM table by name, host, tenant, state or VLAN"));
    view->addMenu((new SavedSearches(filter, m_window))->menu());
    view->addSeparator();
    QAction *table = view->addAction(MainWindow::tr("&Virtual machines"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
                                     &MainMenus::vmTableRequested);
    table->setStatusTip(MainWindow::tr("Show the VM table"));
    QAction *topology = view->addAction(MainWindow::tr("&Topology"), QKeySequence(Qt::CTRL | Qt::Key_2), sources.topology,
                                        &TopologyTab::show);
    topology->setStatusTip(MainWindow::tr("Show hosts, VMs and VLANs as a picture; drag a VM to migrate it"));
    view->addMenu(sources.tenants->menu());
    sources.topology->addToViewMenu(view);
    view->addSeparator();
    view->addAction(sources.history->eventHistoryAction());
    view->addAction(sources.history->usageAction());
    view->addSeparator();
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    QAction *reset = view->addAction(MainWindow::tr("&Reset layout"), this, &MainMenus::layoutResetRequested);
    reset->setObjectName(QStringLiteral("resetLayoutAction"));
    reset->setStatusTip(MainWindow::tr("Put every panel back where a first start has it"));
    view->addSeparator();
    m_intervalMenu = view->addMenu(MainWindow::tr("&Metrics interval"));
    m_intervalMenu->setToolTipsVisible(true);
    auto *intervals = new QActionGroup(m_intervalMenu);
    for (int seconds : {1, 2, 5, 10, 30, 60, 0}) {
        QAction *action = m_intervalMenu->addAction(seconds == 0 ? MainWindow::tr("Off")
                                                                 : MainWindow::tr("Every %n second(s)", nullptr, seconds));
        action->setCheckable(true);
        action->setData(seconds);
        action->setActionGroup(intervals);
        connect(action, &QAction::triggered, this, [this, seconds] { Q_EMIT metricsIntervalChosen(seconds); });
    }
    view->addAction(sources.metricsSource->action());
}

void MainMenus::showMetricsInterval(int seconds)
{
    for (QAction *action : m_intervalMenu->actions())
        action->setChecked(action->data().toInt() == seconds);
}

QDialog *MainMenus::showShortcuts()
{
    if (!m_shortcuts) {
        const QList<QAction *> actions = m_window->findChildren<QAction *>();
        const QList<ShortcutsDialog::Gesture> gestures{
            {MainWindow::tr("Drag a VM onto a host"), MainWindow::tr("Migrate it (the dialog asks how)")},
            {MainWindow::tr("Shift + drag a VM onto a host"), MainWindow::tr("Migrate it with the last options, without the dialog")},
            {MainWindow::tr("Drag a VM onto a VLAN lane"), MainWindow::tr("Move one of its NICs into that VLAN")},
            {MainWindow::tr("Drag a template onto a host"), MainWindow::tr("Place a new VM there, then choose its VLAN")},
            {MainWindow::tr("Esc"), MainWindow::tr("Cancel a drag or a placement under way in the topology")},
            {MainWindow::tr("Double-click an alarm"), MainWindow::tr("Select its VM")},
        };
        auto *dialog = new ShortcutsDialog(actions, gestures, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_shortcuts = dialog;
    }
    m_shortcuts->show();
    m_shortcuts->raise();
    return m_shortcuts;
}

} // namespace Vigie
