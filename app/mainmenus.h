#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QDialog;
class QLineEdit;
class QMainWindow;
class QMenu;

namespace Vigie {

class HistoryUi;
class LifecycleActions;
class MetricsSourceUi;
class TenantView;
class TopologyTab;
class WindowActions;

// The menu bar (File, VM, View, Help) and the Actions toolbar, laid out from the actions and
// menus of the pieces that own them. Its own: Quit, View's find, saved searches, tabs, layout
// reset and metrics interval, Help's shortcuts sheet and About box; what the window does with
// them it is told by signal. Its strings are the window's, in its translation context.
class MainMenus : public QObject
{
    Q_OBJECT

public:
    // What the menus offer, from the pieces that own it.
    struct Sources
    {
        WindowActions *windowActions;
        LifecycleActions *lifecycle;
        QList<QMenu *> vmMenus; // VM's submenus, in menu order
        QAction *tags;
        QLineEdit *filter; // View › Find VM types here
        TenantView *tenants;
        TopologyTab *topology;
        HistoryUi *history;
        MetricsSourceUi *metricsSource;
        QAction *resumeMigration = nullptr; // VM › Resume migration, after the lifecycle actions
    };

    // Builds the menus in WINDOW's menu bar, its docks already there (View toggles them).
    MainMenus(const Sources &sources, QMainWindow *window);

    // View › Metrics interval checks SECONDS (0: off).
    void showMetricsInterval(int seconds);
    // Help › Keyboard shortcuts: every action's shortcut and the gestures (non-modal; the same
    // sheet raised if open).
    QDialog *showShortcuts();

Q_SIGNALS:
    void vmTableRequested();
    void layoutResetRequested();
    void metricsIntervalChosen(int seconds);

private:
    void createViewMenu(const Sources &sources);

    QMainWindow *m_window;
    QMenu *m_intervalMenu = nullptr;
    QPointer<QDialog> m_shortcuts;
};

} // namespace Vigie
