#include "vncview.h"

#include "displaytext.h"
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vnckeys.h"
#include "hypervisor/vncsession.h"
#include "inventory/inventory.h"
#include "plaintext.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {

// RFB pointer button bits.
constexpr int LeftButton = 1, MiddleButton = 2, RightButton = 4, WheelUp = 8, WheelDown = 16;

int buttonMask(Qt::MouseButtons buttons)
{
    return ((buttons & Qt::LeftButton) ? LeftButton : 0) | ((buttons & Qt::MiddleButton) ? MiddleButton : 0)
           | ((buttons & Qt::RightButton) ? RightButton : 0);
}

} // namespace

// The frame itself: painted from the session's pixels, scaled to fit (keeping its proportions)
// or at 1:1 inside the scroll area; while grabbed it sends the pointer and keys on.
class VncCanvas : public QWidget
{
public:
    explicit VncCanvas(VncView *view)
        : QWidget(view)
        , m_view(view)
    {
        setFocusPolicy(Qt::StrongFocus);
        setAttribute(Qt::WA_OpaquePaintEvent);
        setCursor(Qt::PointingHandCursor);
    }

    [[nodiscard]] QImage image() const
    {
        const VncSession *session = m_view->m_session;
        const QSize size = session->frameSize();
        if (size.isEmpty() || session->framePixels().size() < qsizetype(size.width()) * size.height() * 4)
            return {};
        return QImage(reinterpret_cast<const uchar *>(session->framePixels().constData()), size.width(),
                      size.height(), size.width() * 4, QImage::Format_RGB32);
    }

    // Where the frame is drawn in this widget.
    [[nodiscard]] QRect target() const
    {
        const QSize frame = m_view->m_session->frameSize();
        if (frame.isEmpty())
            return {};
        if (!m_view->m_fit)
            return QRect(QPoint(0, 0), frame);
        const QSize scaled = frame.scaled(size(), Qt::KeepAspectRatio);
        return QRect(QPoint((width() - scaled.width()) / 2, (height() - scaled.height()) / 2), scaled);
    }

    [[nodiscard]] QPoint toFrame(QPointF position) const
    {
        const QRect rect = target();
        const QSize frame = m_view->m_session->frameSize();
        if (rect.isEmpty())
            return {};
        return {int((position.x() - rect.left()) * frame.width() / rect.width()),
                int((position.y() - rect.top()) * frame.height() / rect.height())};
    }

    [[nodiscard]] QSize sizeHint() const override
    {
        const QSize frame = m_view->m_session->frameSize();
        return frame.isEmpty() ? QSize(640, 400) : frame;
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.fillRect(rect(), QColor(32, 32, 32));
        const QImage frame = image();
        if (frame.isNull())
            return;
        painter.setRenderHint(QPainter::SmoothPixmapTransform, m_view->m_fit);
        painter.drawImage(target(), frame);
    }

    bool event(QEvent *event) override
    {
        // While grabbed every key is the guest's, the window's shortcuts and Tab included.
        if (m_view->m_grabbed && event->type() == QEvent::ShortcutOverride) {
            event->accept();
            return true;
        }
        return QWidget::event(event);
    }

    bool focusNextPrevChild(bool next) override
    {
        return m_view->m_grabbed ? false : QWidget::focusNextPrevChild(next);
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (!m_view->m_grabbed) {
            m_view->setGrabbed(true);
            return; // the click that grabs is not the guest's
        }
        sendPointer(event->position(), buttonMask(event->buttons()));
    }

    void mouseReleaseEvent(QMouseEvent *event) override
    {
        if (m_view->m_grabbed)
            sendPointer(event->position(), buttonMask(event->buttons()));
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (m_view->m_grabbed)
            sendPointer(event->position(), buttonMask(event->buttons()));
    }

    void wheelEvent(QWheelEvent *event) override
    {
        if (!m_view->m_grabbed || event->angleDelta().y() == 0)
            return;
        const int wheel = event->angleDelta().y() > 0 ? WheelUp : WheelDown;
        const int held = buttonMask(event->buttons());
        sendPointer(event->position(), held | wheel);
        sendPointer(event->position(), held);
    }

    void keyPressEvent(QKeyEvent *event) override { m_view->keyEvent(event, true); }
    void keyReleaseEvent(QKeyEvent *event) override { m_view->keyEvent(event, false); }

private:
    void sendPointer(QPointF position, int buttons)
    {
        const QPoint point = toFrame(position);
        m_view->m_session->sendPointer(point.x(), point.y(), buttons);
    }

    VncView *m_view;
};

VncView::VncView(SessionManager *sessions, Inventory *inventory, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_session(new VncSession(sessions, inventory, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    m_status = new QLabel(this);
    makePlainWrappingLabel(m_status);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_retryButton = new QPushButton(tr("Reconnect"), this);
    m_retryButton->setToolTip(tr("Open the display again"));
    m_fitButton = new QPushButton(tr("Scale to fit"), this);
    m_fitButton->setCheckable(true);
    m_fitButton->setChecked(true);
    m_fitButton->setToolTip(tr("Scale the display to the view; unchecked, show it at its own size (1:1)"));
    m_sendKeyButton = new QToolButton(this);
    m_sendKeyButton->setText(tr("Send key"));
    m_sendKeyButton->setToolTip(tr("Send a key combination this computer would keep for itself"));
    m_sendKeyButton->setPopupMode(QToolButton::InstantPopup);
    auto *keys = new QMenu(m_sendKeyButton);
    for (const VncKeyCombination &combination : VncKeys::combinations()) {
        QAction *action = keys->addAction(combination.label);
        action->setData(combination.id);
        connect(action, &QAction::triggered, this, [this, id = combination.id] { m_session->sendCombination(id); });
    }
    m_sendKeyButton->setMenu(keys);
    m_typeButton = new QPushButton(tr("Type clipboard"), this);
    m_typeButton->setToolTip(tr("Type the clipboard's text into the VM, as if on its keyboard (at most %n characters)",
                                nullptr, VncSession::MaxTypedCharacters));
    m_detachButton = new QPushButton(tr("Open in window"), this);
    m_detachButton->setToolTip(tr("Show this display in a window of its own"));
    for (QWidget *button : std::initializer_list<QWidget *>{m_retryButton, m_fitButton, m_sendKeyButton, m_typeButton,
                                                           m_detachButton})
        button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_retryButton);
    bar->addWidget(m_fitButton);
    bar->addWidget(m_sendKeyButton);
    bar->addWidget(m_typeButton);
    bar->addWidget(m_detachButton);
    layout->addLayout(bar);

    m_passwordRow = new QWidget(this);
    auto *passwordLayout = new QHBoxLayout(m_passwordRow);
    passwordLayout->setContentsMargins(4, 0, 4, 0);
    auto *passwordLabel = new QLabel(tr("Display password:"), m_passwordRow);
    m_password = new QLineEdit(m_passwordRow);
    m_password->setEchoMode(QLineEdit::Password);
    passwordLabel->setBuddy(m_password);
    auto *connectButton = new QPushButton(tr("Connect"), m_passwordRow);
    passwordLayout->addWidget(passwordLabel);
    passwordLayout->addWidget(m_password, 1);
    passwordLayout->addWidget(connectButton);
    const auto givePassword = [this] {
        m_session->setPassword(m_password->text());
        m_password->clear();
        m_session->retry();
    };
    connect(connectButton, &QPushButton::clicked, this, givePassword);
    connect(m_password, &QLineEdit::returnPressed, this, givePassword);
    layout->addWidget(m_passwordRow);

    m_typingRow = new QWidget(this);
    auto *typingLayout = new QHBoxLayout(m_typingRow);
    typingLayout->setContentsMargins(4, 0, 4, 0);
    m_typingProgress = new QProgressBar(m_typingRow);
    m_typingProgress->setFormat(tr("Typing the clipboard: %p %"));
    auto *cancelTyping = new QPushButton(tr("Stop typing"), m_typingRow);
    typingLayout->addWidget(m_typingProgress, 1);
    typingLayout->addWidget(cancelTyping);
    connect(cancelTyping, &QPushButton::clicked, m_session, &VncSession::cancelTyping);
    layout->addWidget(m_typingRow);
    m_typingRow->hide();

    m_grabBar = new QLabel(this);
    makePlainWrappingLabel(m_grabBar);
    m_grabBar->setMargin(3);
    m_grabBar->setAutoFillBackground(true);
    layout->addWidget(m_grabBar);

    m_stack = new QStackedWidget(this);
    m_scroll = new QScrollArea(m_stack);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidgetResizable(true);
    m_canvas = new VncCanvas(this);
    m_scroll->setWidget(m_canvas);
    m_stack->addWidget(m_scroll);
    m_message = new QLabel(m_stack);
    makePlainWrappingLabel(m_message);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    connect(m_retryButton, &QPushButton::clicked, m_session, &VncSession::retry);
    connect(m_fitButton, &QPushButton::toggled, this, &VncView::setScaledToFit);
    connect(m_typeButton, &QPushButton::clicked, this, [this] { typeText(QApplication::clipboard()->text()); });
    connect(m_detachButton, &QPushButton::clicked, this, [this] { Q_EMIT detachRequested(m_session->vm()); });
    connect(m_session, &VncSession::stateChanged, this, [this] {
        if (m_session->state() != ConsoleState::Connected) {
            setGrabbed(false);
            m_typingRow->hide();
        }
        updateStatus();
    });
    connect(m_session, &VncSession::passwordRequired, this, [this] {
        updateStatus();
        m_password->setFocus();
    });
    connect(m_session, &VncSession::frameUpdated, this, &VncView::frameUpdated);
    connect(m_session, &VncSession::typingProgress, this, &VncView::typingProgress);
    connect(m_session, &VncSession::keysSent, this, [this](const QString &label, bool ok, const QString &message) {
        m_note = ok ? tr("%1 sent.").arg(label)
                    : tr("%1 could not be sent: %2").arg(label, DisplayText::singleLine(message));
        updateStatus();
    });
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        if (key == m_session->vm())
            updateStatus();
    });
    updateStatus();
}

VncView::~VncView() = default;

void VncView::setVm(const VmKey &vm)
{
    if (vm == m_session->vm())
        return;
    setGrabbed(false);
    m_session->setVm(vm);
    m_note.clear();
    m_typingRow->hide();
    if (isVisible() && !m_elsewhere)
        m_session->start();
    m_canvas->update();
    updateStatus();
}

VmKey VncView::vm() const
{
    return m_session->vm();
}

void VncView::setDetachable(bool detachable)
{
    m_detachable = detachable;
    updateStatus();
}

void VncView::setShownElsewhere(bool elsewhere)
{
    if (elsewhere == m_elsewhere)
        return;
    m_elsewhere = elsewhere;
    if (elsewhere) {
        setGrabbed(false);
        m_session->stop();
    } else if (isVisible()) {
        m_session->start();
    }
    updateStatus();
}

void VncView::setScaledToFit(bool fit)
{
    m_fit = fit;
    m_fitButton->setChecked(fit);
    m_scroll->setWidgetResizable(fit);
    if (!fit)
        m_canvas->resize(m_session->frameSize().isEmpty() ? m_canvas->sizeHint() : m_session->frameSize());
    m_canvas->update();
}

void VncView::setGrabbed(bool grabbed)
{
    grabbed = grabbed && m_session->state() == ConsoleState::Connected;
    if (grabbed == m_grabbed)
        return;
    m_grabbed = grabbed;
    if (grabbed) {
        m_canvas->setFocus();
        m_canvas->grabKeyboard();
        m_canvas->grabMouse();
        m_canvas->setMouseTracking(true);
        m_canvas->setCursor(Qt::CrossCursor);
    } else {
        releaseKeys();
        m_canvas->releaseKeyboard();
        m_canvas->releaseMouse();
        m_canvas->setMouseTracking(false);
        m_canvas->setCursor(Qt::PointingHandCursor);
    }
    updateGrabBar();
}

void VncView::keyEvent(QKeyEvent *event, bool down)
{
    if (!m_grabbed) {
        event->ignore();
        return;
    }
    // The release keys: Ctrl and Alt together give the keyboard and mouse back.
    const Qt::KeyboardModifiers mods = event->modifiers();
    if (down && ((event->key() == Qt::Key_Control && (mods & Qt::AltModifier))
                 || (event->key() == Qt::Key_Alt && (mods & Qt::ControlModifier)))) {
        setGrabbed(false);
        return;
    }
    const quint32 id = event->nativeScanCode() ? event->nativeScanCode() : quint32(event->key());
    if (down) {
        const quint32 keysym = VncKeys::keysymFor(event->key(), event->text(), mods);
        if (!keysym)
            return;
        m_pressed.insert(id, keysym);
        m_session->sendKey(keysym, true);
    } else if (!event->isAutoRepeat()) {
        // Released as the keysym it was pressed as, whatever the modifiers make of it now.
        const quint32 keysym = m_pressed.take(id);
        if (keysym)
            m_session->sendKey(keysym, false);
    }
}

void VncView::releaseKeys()
{
    for (const quint32 keysym : std::as_const(m_pressed))
        m_session->sendKey(keysym, false);
    m_pressed.clear();
}

void VncView::typeText(const QString &text)
{
    if (text.isEmpty()) {
        m_note = tr("The clipboard holds no text to type.");
        updateStatus();
        return;
    }
    const int typed = m_session->typeText(text);
    if (typed == 0) {
        m_note = tr("Nothing to type: the display is not connected, or the text has no character a keyboard types.");
    } else if (text.size() > VncSession::MaxTypedCharacters) {
        m_note = tr("The clipboard holds %1 characters: only the first %n are typed.", nullptr,
                    VncSession::MaxTypedCharacters)
                     .arg(text.size());
    } else {
        m_note.clear();
    }
    if (typed > 0) {
        m_typingProgress->setRange(0, 100);
        m_typingProgress->setValue(0);
        m_typingRow->show();
    }
    updateStatus();
}

void VncView::typingProgress(int done, int total)
{
    if (total <= 0 || done >= total) {
        m_typingRow->hide();
        return;
    }
    m_typingProgress->setValue(int(qint64(done) * 100 / total));
    m_typingRow->show();
}

void VncView::frameUpdated(const QRect &rect)
{
    if (!m_fit && m_canvas->size() != m_session->frameSize())
        m_canvas->resize(m_session->frameSize());
    if (m_stack->currentWidget() != m_scroll)
        updateStatus();
    const QRect target = m_canvas->target();
    const QSize frame = m_session->frameSize();
    if (m_fit && !frame.isEmpty() && rect.size() != frame) {
        // The damaged part, scaled as it is drawn (a pixel wider for the smoothing).
        const double sx = double(target.width()) / frame.width(), sy = double(target.height()) / frame.height();
        m_canvas->update(QRectF(target.left() + rect.left() * sx, target.top() + rect.top() * sy, rect.width() * sx,
                                rect.height() * sy)
                             .toAlignedRect()
                             .adjusted(-1, -1, 1, 1));
    } else if (rect.size() == frame) {
        m_canvas->update();
    } else {
        m_canvas->update(rect);
    }
}

void VncView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_elsewhere)
        m_session->start();
    updateStatus();
}

void VncView::hideEvent(QHideEvent *event)
{
    if (!event->spontaneous()) {
        setGrabbed(false);
        m_session->stop();
    }
    QWidget::hideEvent(event);
}

QString VncView::vmName() const
{
    const QString name = m_inventory->vm(m_session->vm()).name;
    return DisplayText::name(name.isEmpty() ? m_session->vm().uuid : name);
}

QString VncView::statusText() const
{
    const QString vm = vmName();
    const QString detail = DisplayText::singleLine(m_session->detail());
    const HypervisorSession *host = m_sessions->session(m_session->vm().hostUri);
    if (m_elsewhere)
        return tr("The display of %1 is open in its own window.").arg(vm);
    switch (m_session->state()) {
    case ConsoleState::Closed:
        return m_session->vm().isValid() ? tr("The display of %1 opens when this tab is shown.").arg(vm)
                                         : tr("Select a VM to see its display.");
    case ConsoleState::Connecting:
        return tr("Connecting to the display of %1…").arg(vm);
    case ConsoleState::Connected:
        return m_session->encrypted()
                   ? tr("Display of %1 (%2, encrypted).").arg(vm, DisplayText::singleLine(m_session->connection()))
                   : tr("Display of %1 (%2).").arg(vm, DisplayText::singleLine(m_session->connection()));
    case ConsoleState::Reconnecting:
        return tr("The display of %1 closed (%2); reconnecting…").arg(vm, detail);
    case ConsoleState::VmNotRunning:
        return tr("%1 is not running: its display reconnects when it starts.").arg(vm);
    case ConsoleState::Busy:
    case ConsoleState::Failed:
        if (m_session->passwordNeeded())
            return tr("The display of %1 is protected by a password (%2). Vigie asks for it each time and keeps it "
                      "nowhere.")
                .arg(vm, detail);
        return tr("The display of %1 could not be opened: %2").arg(vm, detail);
    case ConsoleState::HostDown:
        return tr("The host of %1 is not connected: its display reconnects when the host is back.").arg(vm);
    case ConsoleState::Unsupported:
        if (host && host->isDemo())
            return tr("The demo datacenter has no real VMs, so there is no display to open. Connect to a real host, "
                      "or to the lab (scripts/vigie --lab), to use it.");
        return tr("The display of %1 cannot be reached: %2").arg(vm, detail);
    case ConsoleState::NoDevice:
        return tr("No display for %1: %2.").arg(vm, detail);
    }
    return {};
}

void VncView::updateStatus()
{
    const ConsoleState state = m_session->state();
    const bool connected = state == ConsoleState::Connected;
    QString text = statusText();
    if (!m_note.isEmpty())
        text += QLatin1Char(' ') + m_note;
    m_status->setText(text);
    m_retryButton->setVisible(!m_elsewhere
                              && (state == ConsoleState::Failed || state == ConsoleState::NoDevice
                                  || state == ConsoleState::Reconnecting));
    m_sendKeyButton->setEnabled(connected);
    m_typeButton->setEnabled(connected);
    m_fitButton->setVisible(!m_elsewhere && connected);
    m_sendKeyButton->setVisible(!m_elsewhere && connected);
    m_typeButton->setVisible(!m_elsewhere && connected);
    m_detachButton->setVisible(m_detachable && m_session->vm().isValid() && !m_elsewhere
                               && state != ConsoleState::Unsupported && state != ConsoleState::NoDevice);
    m_passwordRow->setVisible(!m_elsewhere && m_session->passwordNeeded() && state == ConsoleState::Failed);
    // The frame stays while connecting again (the last picture before a reboot); otherwise the
    // reason takes its place.
    const bool frame = !m_elsewhere && !m_session->frameSize().isEmpty()
                       && (connected || state == ConsoleState::Connecting || state == ConsoleState::Reconnecting);
    if (frame) {
        m_stack->setCurrentWidget(m_scroll);
    } else {
        m_message->setText(text);
        m_stack->setCurrentWidget(m_message);
    }
    m_status->setVisible(frame || m_passwordRow->isVisibleTo(this));
    updateGrabBar();
}

void VncView::updateGrabBar()
{
    const bool connected = m_session->state() == ConsoleState::Connected && !m_elsewhere;
    m_grabBar->setVisible(connected);
    QPalette palette = m_grabBar->palette();
    if (m_grabbed) {
        m_grabBar->setText(tr("Keyboard and mouse go to %1. Press Ctrl+Alt to release them.").arg(vmName()));
        palette.setColor(QPalette::Window, palette.color(QPalette::Highlight));
        palette.setColor(QPalette::WindowText, palette.color(QPalette::HighlightedText));
    } else {
        m_grabBar->setText(tr("Click the display to send keyboard and mouse to %1 (Ctrl+Alt releases them).")
                               .arg(vmName()));
        palette = QPalette();
        palette.setColor(QPalette::Window, m_grabBar->palette().color(QPalette::AlternateBase));
    }
    m_grabBar->setPalette(palette);
}

} // namespace Vigie
