#pragma once

#include "inventory/vminfo.h"

#include <QSet>
#include <QWidget>

class QLabel;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QFormLayout;
class QTableView;

namespace Vigie {

class ConsoleView;
class VncView;
class DomainXmlEditor;
class ElidedLabel;
class Inventory;
class MetricsPanel;
class NicTableModel;
class SessionManager;

// The details of the selected VM (overview, NICs, live charts, domain XML with safe editing) or
// host (capacity, versions, connection state, charts). Follows the inventory live; fetches
// domain XML through the session, never on the GUI thread. Charts appear when the session
// manager has a metrics store.
class VmDetailsPane : public QWidget
{
    Q_OBJECT

public:
    VmDetailsPane(Inventory *inventory, SessionManager *sessions, QWidget *parent = nullptr);

    void showVm(const VmKey &key);
    // How many VMs are selected: with several, a line above the details says whose they are.
    void setSelectedCount(int count);
    void showHost(const QString &uri);
    void showNothing();

    [[nodiscard]] VmKey currentVm() const { return m_vm; }
    [[nodiscard]] QString currentHost() const { return m_host; }
    [[nodiscard]] DomainXmlEditor *xmlEditor() const { return m_xmlEditor; }
    [[nodiscard]] MetricsPanel *vmMetrics() const { return m_vmMetrics; }
    [[nodiscard]] MetricsPanel *hostMetrics() const { return m_hostMetrics; }
    [[nodiscard]] ConsoleView *console() const { return m_console; }
    [[nodiscard]] VncView *display() const { return m_display; }
    // Brings a tab of the VM page forward: "overview", "metrics", "console", "display" or "xml".
    void showTab(const QString &name);
    // The console of VM is open in a window of its own (or no longer): the Console tab says so
    // instead of competing with it for the console.
    void setConsoleShownElsewhere(const VmKey &vm, bool elsewhere);
    // The same for the VM's graphical display (the Display tab).
    void setDisplayShownElsewhere(const VmKey &vm, bool elsewhere);

Q_SIGNALS:
    void consoleDetachRequested(const Vigie::VmKey &vm);
    void displayDetachRequested(const Vigie::VmKey &vm);

private:
    void refreshVm();
    void refreshHost();
    void requestXmlIfVisible();
    // Asks for the shown VM's saved definition when it can differ from the running one.
    void requestNextBoot();
    // Shows what the saved definition SAVED_XML changes at the VM's next boot (hidden if nothing).
    void showNextBoot(const QString &savedXml);
    QWidget *createVmPage();
    QWidget *createHostPage();

    Inventory *m_inventory;
    SessionManager *m_sessions;
    VmKey m_vm;
    QString m_host;

    QStackedWidget *m_stack;
    // VM page
    ElidedLabel *m_vmTitle;
    ElidedLabel *m_vmSubtitle;
    QTabWidget *m_vmTabs;
    ElidedLabel *m_vmHost;
    QLabel *m_vmState;
    ElidedLabel *m_vmCpu;
    ElidedLabel *m_vmMemory;
    ElidedLabel *m_vmTenant;
    ElidedLabel *m_vmOs;
    ElidedLabel *m_vmNextBoot;
    VmKey m_nextBootOf;             // the VM whose saved definition was last asked for
    bool m_nextBootReadable = false; // it was running, persistent, its host connected
    QLabel *m_selectionNote = nullptr;
    ElidedLabel *m_vmManager; // who else manages the VM (OpenStack Nova): a row shown only then
    QFormLayout *m_vmForm;
    ElidedLabel *m_vmUuid;
    ElidedLabel *m_vmDisks;
    QTableView *m_nicView;
    NicTableModel *m_nicModel;
    DomainXmlEditor *m_xmlEditor;
    ConsoleView *m_console;
    QSet<VmKey> m_consolesElsewhere;
    VncView *m_display;
    QSet<VmKey> m_displaysElsewhere;
    MetricsPanel *m_vmMetrics = nullptr;
    MetricsPanel *m_hostMetrics = nullptr;
    // Host page
    ElidedLabel *m_hostTitle;
    ElidedLabel *m_hostSubtitle;
    ElidedLabel *m_hostUri;
    ElidedLabel *m_hostCpu;
    ElidedLabel *m_hostMemory;
    ElidedLabel *m_hostSoftware;
    QLabel *m_hostState;
    ElidedLabel *m_hostVms;
    QProgressBar *m_hostCpuBar;
    QProgressBar *m_hostMemoryBar;
};

} // namespace Vigie
