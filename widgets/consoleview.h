#pragma once

#include "hypervisor/consolestatemachine.h"
#include "inventory/vminfo.h"

#include <QByteArray>
#include <QWidget>

class QLabel;
class QPushButton;
class QSocketNotifier;
class QStackedWidget;
class QTermWidget;

namespace Vigie {

class ConsoleSession;
class Inventory;
class SessionManager;

// A VM's serial console in a real terminal (QTermWidget, scrollback, copy and paste with
// Ctrl+Shift+C/V or the context menu): the guest's bytes from its ConsoleSession, the operator's
// keys to it. Ctrl and Alt keys go to the guest, not to the window's shortcuts. A line above says
// where the console stands in plain words and offers what the operator can do (reconnect, take
// over from another client, open in its own window). Holds the console only while shown.
class ConsoleView : public QWidget
{
    Q_OBJECT

public:
    ConsoleView(SessionManager *sessions, Inventory *inventory, QWidget *parent = nullptr);
    ~ConsoleView() override;

    // The VM shown (an empty key shows nothing); the previous one's console is let go.
    void setVm(const VmKey &vm);
    [[nodiscard]] VmKey vm() const;
    // Offers "Open in window" (the details pane's console; a detached window does not).
    void setDetachable(bool detachable);
    // The console is open elsewhere (its own window): this view lets it go and says so.
    void setShownElsewhere(bool elsewhere);

    [[nodiscard]] ConsoleSession *session() const { return m_session; }
    [[nodiscard]] QString statusText() const;
    // The view's size for a terminal of COLUMNS x LINES in its font (a detached window's size).
    [[nodiscard]] QSize sizeForTerminal(int columns, int lines) const;
    void focusTerminal();

Q_SIGNALS:
    void detachRequested(const Vigie::VmKey &vm);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateStatus();
    void feedTerminal(const QByteArray &bytes);
    void flushToTerminal();
    void showContextMenu(const QPoint &position);
    [[nodiscard]] QString vmName() const;

    SessionManager *m_sessions;
    Inventory *m_inventory;
    ConsoleSession *m_session;
    QLabel *m_status;
    QPushButton *m_retryButton;
    QPushButton *m_takeOverButton;
    QPushButton *m_detachButton;
    QStackedWidget *m_stack;
    QTermWidget *m_terminal;
    QLabel *m_message;
    // The terminal reads its pty's master; the guest's bytes are written to the slave, without
    // blocking: what the pty cannot take yet waits here.
    int m_ptySlave = -1;
    QSocketNotifier *m_writable = nullptr;
    QByteArray m_toTerminal;
    bool m_detachable = false;
    bool m_elsewhere = false;
};

} // namespace Vigie
