#pragma once

#include "hypervisor/consolestatemachine.h"
#include "inventory/vminfo.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QToolButton;

namespace Vigie {

class Inventory;
class SessionManager;
class VncCanvas;
class VncSession;

// A VM's graphical console (its VNC display, from a VncSession): scaled to fit or at 1:1, the
// keyboard and mouse grabbed by a click and released with Ctrl+Alt (the bar says so), a Send key
// menu (Ctrl+Alt+Del and the other combinations a local keyboard cannot send to a guest), and
// Type clipboard, which types the clipboard's text into the guest as key events. A line above
// says where the display stands in plain words ("no graphics", "not running", a password to give).
// Holds the display only while shown.
class VncView : public QWidget
{
    Q_OBJECT

public:
    VncView(SessionManager *sessions, Inventory *inventory, QWidget *parent = nullptr);
    ~VncView() override;

    void setVm(const VmKey &vm);
    [[nodiscard]] VmKey vm() const;
    void setDetachable(bool detachable);
    void setShownElsewhere(bool elsewhere);

    [[nodiscard]] VncSession *session() const { return m_session; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] bool isGrabbed() const { return m_grabbed; }
    [[nodiscard]] bool scaledToFit() const { return m_fit; }
    void setScaledToFit(bool fit);
    // Grabs the keyboard and mouse for the guest (a click on the display does it), or lets go.
    void setGrabbed(bool grabbed);
    // The Type clipboard action, with TEXT instead of the clipboard's (tests).
    void typeText(const QString &text);

Q_SIGNALS:
    void detachRequested(const Vigie::VmKey &vm);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    friend class VncCanvas;
    void updateStatus();
    void updateGrabBar();
    void frameUpdated(const QRect &rect);
    void keyEvent(QKeyEvent *event, bool down);
    void releaseKeys();
    void typingProgress(int done, int total);
    [[nodiscard]] QString vmName() const;

    SessionManager *m_sessions;
    Inventory *m_inventory;
    VncSession *m_session;
    QLabel *m_status;
    QPushButton *m_retryButton;
    QPushButton *m_fitButton;
    QToolButton *m_sendKeyButton;
    QPushButton *m_typeButton;
    QPushButton *m_detachButton;
    QWidget *m_passwordRow;
    QLineEdit *m_password;
    QWidget *m_typingRow;
    QProgressBar *m_typingProgress;
    QLabel *m_grabBar;
    QStackedWidget *m_stack;
    QScrollArea *m_scroll;
    VncCanvas *m_canvas;
    QLabel *m_message;
    QString m_note; // the last Send key or Type clipboard outcome, under the status
    QHash<quint32, quint32> m_pressed; // native scan code (or Qt key) -> keysym sent down
    bool m_detachable = false;
    bool m_elsewhere = false;
    bool m_fit = true;
    bool m_grabbed = false;
};

} // namespace Vigie
