#include "windowactions.h"

#include "accessguard.h"
#include "connectdialog.h"
#include "controllerui.h"
#include "displaytext.h"
#include "hypervisor/accesspolicy.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "mainwindow.h"
#include "migrationworkflow.h"
#include "notificationbar.h"

#include <QAction>
#include <QMainWindow>
#include <QStyle>

namespace Vigie {

WindowActions::WindowActions(Inventory *inventory, SessionManager *sessions, MigrationWorkflow *migrationWorkflow,
                             ControllerUi *controllerUi, NotificationBar *notifications, AccessGuard *access,
                             Selection selection, QMainWindow *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_notifications(notifications)
    , m_selection(std::move(selection))
    , m_window(window)
{
    m_console = new QAction(MainWindow::tr("Open &console"), window);
    m_console->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_console->setStatusTip(MainWindow::tr("Show the selected VM's serial console in a window of its own"));
    connect(m_console, &QAction::triggered, this, [this] {
        if (const QList<VmKey> vms = m_selection.vms(); !vms.isEmpty())
            Q_EMIT consoleRequested(vms.first());
    });

    // From anywhere in the window, not only once the XML tab has the focus.
    m_editXml = new QAction(MainWindow::tr("Edit &XML"), window);
    m_editXml->setObjectName(QStringLiteral("editXmlAction"));
    m_editXml->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_editXml->setStatusTip(MainWindow::tr("Edit the selected VM's saved definition in the details pane"));
    connect(m_editXml, &QAction::triggered, this, [this] {
        if (!m_selection.vms().isEmpty())
            Q_EMIT xmlEditRequested();
    });

    m_connect = new QAction(window->style()->standardIcon(QStyle::SP_DriveNetIcon), MainWindow::tr("&Connect to host…"), window);
    m_connect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_connect->setStatusTip(MainWindow::tr("Connect to a libvirt host by URI"));
    connect(m_connect, &QAction::triggered, this, &WindowActions::connectDialog);
    m_controller = new QAction(MainWindow::tr("Connect to network &controller…"), window);
    m_controller->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_controller->setStatusTip(MainWindow::tr("Connect to an OVN network controller (its northbound and southbound databases)"));
    connect(m_controller, &QAction::triggered, controllerUi, &ControllerUi::openDialog);
    m_demo = new QAction(MainWindow::tr("Open de&mo datacenter"), window);
    m_demo->setStatusTip(MainWindow::tr("Open the embedded demo datacenter (no infrastructure needed)"));
    connect(m_demo, &QAction::triggered, this, [this] { m_sessions->openDemo(); });
    // The selected host's actions.
    const auto hostAction = [this](QAction *action, const std::function<void(const QString &)> &run) {
        connect(action, &QAction::triggered, this, [this, run] {
            if (const QString uri = m_selection.hostUri(); !uri.isEmpty())
                run(uri);
        });
        return action;
    };
    m_reconnect = hostAction(new QAction(MainWindow::tr("&Reconnect host"), window),
                             [this](const QString &uri) { m_sessions->reconnect(uri); });
    m_reconnect->setStatusTip(MainWindow::tr("Reconnect the selected host now"));
    m_disconnect = hostAction(new QAction(MainWindow::tr("&Disconnect host"), window),
                              [this](const QString &uri) { m_sessions->removeConnection(uri); });
    m_disconnect->setStatusTip(MainWindow::tr("Close the selected host's connection and forget it"));
    m_evacuate = hostAction(new QAction(MainWindow::tr("&Evacuate host…"), window),
                            [migrationWorkflow](const QString &uri) { migrationWorkflow->evacuate(uri); });
    m_evacuate->setObjectName(QStringLiteral("evacuateAction"));
    m_evacuate->setStatusTip(MainWindow::tr("Migrate every VM off the selected host and put it in maintenance"));
    m_endMaintenance = hostAction(new QAction(MainWindow::tr("End &maintenance"), window),
                                  [migrationWorkflow](const QString &uri) { migrationWorkflow->endMaintenance(uri); });
    m_endMaintenance->setObjectName(QStringLiteral("endMaintenanceAction"));
    m_endMaintenance->setStatusTip(MainWindow::tr("Let VMs be placed on the selected host again"));
    m_refresh = new QAction(window->style()->standardIcon(QStyle::SP_BrowserReload), MainWindow::tr("Re&fresh all"), window);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setStatusTip(MainWindow::tr("Read every host's inventory again"));
    connect(m_refresh, &QAction::triggered, this, [this] {
        for (const QString &uri : m_sessions->uris()) {
            if (HypervisorSession *session = m_sessions->session(uri))
                session->resync();
        }
    });

    // libvirt opens a console for reading and writing only.
    access->guard(m_console, m_selection.vmHosts);
    access->guard(m_editXml, m_selection.vmHosts);
    const auto selectedHost = [this] { return QStringList{m_selection.hostUri()}; };
    access->guard(m_evacuate, selectedHost);
    access->guard(m_endMaintenance, selectedHost);
}

QList<QAction *> WindowActions::connectActions() const
{
    return {m_connect, m_controller, m_demo};
}

QList<QAction *> WindowActions::hostActions() const
{
    return {m_reconnect, m_disconnect, m_evacuate, m_endMaintenance, m_refresh};
}

QList<QAction *> WindowActions::maintenanceActions() const
{
    return {m_evacuate, m_endMaintenance};
}

void WindowActions::update()
{
    const QString host = m_selection.hostUri();
    m_reconnect->setEnabled(!host.isEmpty());
    m_disconnect->setEnabled(!host.isEmpty());
    m_evacuate->setEnabled(!host.isEmpty());
    m_endMaintenance->setEnabled(!host.isEmpty() && m_inventory->isInMaintenance(host));
    // Named: the host is the selected VM's when a VM is selected, which the menu must not hide.
    const QString hostName = host.isEmpty() ? QString() : DisplayText::singleLine(m_inventory->host(host).displayName).replace(u'&', QStringLiteral("&&"));
    m_evacuate->setText(hostName.isEmpty() ? MainWindow::tr("&Evacuate host…") : MainWindow::tr("&Evacuate %1…").arg(hostName));
    m_endMaintenance->setText(hostName.isEmpty() ? MainWindow::tr("End &maintenance")
                                                 : MainWindow::tr("End &maintenance of %1").arg(hostName));
    const QList<VmKey> vms = m_selection.vms();
    m_console->setEnabled(!vms.isEmpty());
    m_editXml->setEnabled(vms.size() == 1);
}

void WindowActions::connectDialog()
{
    auto *dialog = new ConnectDialog(m_window);
    dialog->setReadOnlyForced(m_sessions->accessPolicy()->allReadOnly());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString uri = dialog->uri();
        if (!m_sessions->addConnection(uri, false, dialog->readOnly()))
            m_notifications->notify(NotificationBar::Kind::Information, MainWindow::tr("Already connected"), uri);
    });
    dialog->open();
}

} // namespace Vigie
