#include "consoleview.h"

#include "displaytext.h"
#include "hypervisor/consolesession.h"
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "plaintext.h"

#include <QAction>
#include <QApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSocketNotifier>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

// QTermWidget's headers use Qt's bare keywords, which Vigie builds without (QT_NO_KEYWORDS).
#define signals Q_SIGNALS
#define slots Q_SLOTS
#include <qtermwidget6/qtermwidget.h>
#undef slots
#undef signals

#include <cerrno>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace Vigie {

namespace {

// Bytes of the guest's output kept waiting for the terminal at most: a guest that floods its
// console faster than the terminal draws loses its oldest output, not the window's memory.
constexpr qsizetype MaxWaitingForTerminal = 4 * 1024 * 1024;
constexpr int ScrollbackLines = 20000;

} // namespace

ConsoleView::ConsoleView(SessionManager *sessions, Inventory *inventory, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_inventory(inventory)
    , m_session(new ConsoleSession(sessions, inventory, this))
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
    m_retryButton->setToolTip(tr("Open the console again, without ending another client's session"));
    m_takeOverButton = new QPushButton(tr("Take over"), this);
    m_takeOverButton->setToolTip(tr("End the other client's console session and open it here"));
    m_detachButton = new QPushButton(tr("Open in window"), this);
    m_detachButton->setToolTip(tr("Show this console in a window of its own"));
    // The buttons keep their size and stay on the right when the line's text is hidden.
    for (QPushButton *button : {m_retryButton, m_takeOverButton, m_detachButton})
        button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    bar->addWidget(m_status, 1);
    bar->addStretch(0);
    bar->addWidget(m_retryButton);
    bar->addWidget(m_takeOverButton);
    bar->addWidget(m_detachButton);
    layout->addLayout(bar);

    m_stack = new QStackedWidget(this);
    m_terminal = new QTermWidget(0, m_stack);
    m_terminal->setScrollBarPosition(QTermWidget::ScrollBarRight);
    m_terminal->setHistorySize(ScrollbackLines);
    m_terminal->setColorScheme(QStringLiteral("Linux"));
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(std::max(font.pointSizeF(), 10.0));
    m_terminal->setTerminalFont(font);
    m_terminal->setContextMenuPolicy(Qt::CustomContextMenu);
    m_terminal->setConfirmMultilinePaste(false);
    m_terminal->startTerminalTeletype();
    m_ptySlave = m_terminal->getPtySlaveFd();
    if (m_ptySlave >= 0) {
        // The guest's bytes arrive as they are: no newline translation, no echo on this side.
        termios mode{};
        if (tcgetattr(m_ptySlave, &mode) == 0) {
            cfmakeraw(&mode);
            tcsetattr(m_ptySlave, TCSANOW, &mode);
        }
        fcntl(m_ptySlave, F_SETFL, fcntl(m_ptySlave, F_GETFL) | O_NONBLOCK);
        m_writable = new QSocketNotifier(m_ptySlave, QSocketNotifier::Write, this);
        m_writable->setEnabled(false);
        connect(m_writable, &QSocketNotifier::activated, this, &ConsoleView::flushToTerminal);
    }
    m_stack->addWidget(m_terminal);
    m_message = new QLabel(m_stack);
    makePlainWrappingLabel(m_message);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    // The terminal's keys go to the guest; Ctrl and Alt combinations too (Ctrl+C, Ctrl+D, Ctrl+R),
    // before the window's shortcuts see them. Ctrl+Shift ones stay the window's (and copy/paste).
    for (QWidget *child : m_terminal->findChildren<QWidget *>())
        child->installEventFilter(this);

    auto *copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, m_terminal, &QTermWidget::copyClipboard);
    auto *paste = new QAction(tr("Paste"), this);
    paste->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    paste->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(paste, &QAction::triggered, m_terminal, &QTermWidget::pasteClipboard);
    auto *find = new QAction(tr("Find…"), this);
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, m_terminal, &QTermWidget::toggleShowSearchBar);
    auto *clear = new QAction(tr("Clear scrollback"), this);
    connect(clear, &QAction::triggered, m_terminal, &QTermWidget::clear);
    m_terminal->addActions({copy, paste, find, clear});
    connect(m_terminal, &QWidget::customContextMenuRequested, this, &ConsoleView::showContextMenu);

    connect(m_terminal, &QTermWidget::sendData, this,
            [this](const char *data, int size) { m_session->send(QByteArray(data, size)); });
    connect(m_session, &ConsoleSession::dataReceived, this, &ConsoleView::feedTerminal);
    connect(m_session, &ConsoleSession::stateChanged, this, &ConsoleView::updateStatus);
    connect(m_retryButton, &QPushButton::clicked, m_session, &ConsoleSession::retry);
    connect(m_takeOverButton, &QPushButton::clicked, m_session, &ConsoleSession::takeOver);
    connect(m_detachButton, &QPushButton::clicked, this, [this] { Q_EMIT detachRequested(m_session->vm()); });
    connect(inventory, &Inventory::vmChanged, this, [this](const VmKey &key) {
        if (key == m_session->vm())
            updateStatus();
    });
    updateStatus();
}

ConsoleView::~ConsoleView() = default;

void ConsoleView::setVm(const VmKey &vm)
{
    if (vm == m_session->vm())
        return;
    m_session->setVm(vm);
    m_toTerminal.clear();
    if (m_writable)
        m_writable->setEnabled(false);
    m_terminal->clear();
    if (isVisible() && !m_elsewhere)
        m_session->start();
    updateStatus();
}

VmKey ConsoleView::vm() const
{
    return m_session->vm();
}

void ConsoleView::setDetachable(bool detachable)
{
    m_detachable = detachable;
    updateStatus();
}

void ConsoleView::setShownElsewhere(bool elsewhere)
{
    if (elsewhere == m_elsewhere)
        return;
    m_elsewhere = elsewhere;
    if (elsewhere)
        m_session->stop();
    else if (isVisible())
        m_session->start();
    updateStatus();
}

void ConsoleView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_elsewhere)
        m_session->start();
    updateStatus();
}

void ConsoleView::hideEvent(QHideEvent *event)
{
    // Not held while nobody looks (another tab, another VM, the window closed): another client
    // may want it. A minimised window (a spontaneous hide) keeps it.
    if (!event->spontaneous())
        m_session->stop();
    QWidget::hideEvent(event);
}

bool ConsoleView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
        const bool ctrlOrAlt = mods & (Qt::ControlModifier | Qt::AltModifier);
        if (ctrlOrAlt && !(mods & Qt::ShiftModifier)) {
            event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString ConsoleView::vmName() const
{
    const QString name = m_inventory->vm(m_session->vm()).name;
    return DisplayText::name(name.isEmpty() ? m_session->vm().uuid : name);
}

QString ConsoleView::statusText() const
{
    const QString vm = vmName();
    const QString detail = DisplayText::singleLine(m_session->detail());
    const HypervisorSession *host = m_sessions->session(m_session->vm().hostUri);
    if (m_elsewhere)
        return tr("The console of %1 is open in its own window.").arg(vm);
    switch (m_session->state()) {
    case ConsoleState::Closed:
        return m_session->vm().isValid() ? tr("The console of %1 opens when this tab is shown.").arg(vm)
                                         : tr("Select a VM to see its serial console.");
    case ConsoleState::Connecting:
        return tr("Connecting to the serial console of %1…").arg(vm);
    case ConsoleState::Connected:
        return tr("Serial console of %1. Copy: Ctrl+Shift+C, paste: Ctrl+Shift+V.").arg(vm);
    case ConsoleState::Reconnecting:
        return tr("The console of %1 closed (%2); reconnecting…").arg(vm, detail);
    case ConsoleState::VmNotRunning:
        return tr("%1 is not running: its console reconnects when it starts.").arg(vm);
    case ConsoleState::Busy:
        return tr("Another client holds the console of %1 (virsh console, virt-manager, another Vigie). "
                  "Take over ends that client's session.")
            .arg(vm);
    case ConsoleState::HostDown:
        return tr("The host of %1 is not connected: its console reconnects when the host is back.").arg(vm);
    case ConsoleState::Unsupported:
        if (host && host->isDemo())
            return tr("The demo datacenter has no real VMs, so there is no serial console to open. "
                      "Connect to a real host, or to the lab (scripts/vigie --lab), to use it.");
        return tr("This host's libvirt driver cannot open consoles: %1").arg(detail);
    case ConsoleState::NoDevice:
        return tr("%1 has no serial console that Vigie can open (it needs a serial port of type pty): %2")
            .arg(vm, detail);
    case ConsoleState::Failed:
        return tr("The console of %1 could not be opened: %2").arg(vm, detail);
    }
    return {};
}

void ConsoleView::updateStatus()
{
    const ConsoleState state = m_session->state();
    const QString text = statusText();
    m_status->setText(text);
    m_retryButton->setVisible(!m_elsewhere
                              && (state == ConsoleState::Busy || state == ConsoleState::Failed
                                  || state == ConsoleState::NoDevice || state == ConsoleState::Reconnecting));
    m_takeOverButton->setVisible(!m_elsewhere && state == ConsoleState::Busy);
    m_detachButton->setVisible(m_detachable && m_session->vm().isValid() && !m_elsewhere
                               && state != ConsoleState::Unsupported && state != ConsoleState::NoDevice);
    // The terminal stays while it has something worth reading (the output before a shutdown);
    // otherwise the reason takes its place, in plain words rather than a dead terminal.
    const bool terminal = !m_elsewhere
                          && (state == ConsoleState::Connected || state == ConsoleState::Connecting
                              || m_session->everConnected());
    if (terminal) {
        m_stack->setCurrentWidget(m_terminal);
    } else {
        m_message->setText(text);
        m_stack->setCurrentWidget(m_message);
    }
    m_status->setVisible(terminal);
    if (state == ConsoleState::Connected && isVisible() && m_stack->currentWidget() == m_terminal
        && window()->isActiveWindow() && !QApplication::focusWidget())
        m_terminal->setFocus();
}

QSize ConsoleView::sizeForTerminal(int columns, int lines) const
{
    const QFontMetrics metrics(m_terminal->getTerminalFont());
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    return {metrics.horizontalAdvance(QLatin1Char('M')) * columns + scrollBar + 24,
            metrics.lineSpacing() * lines + m_status->sizeHint().height() + 24};
}

void ConsoleView::focusTerminal()
{
    m_terminal->setFocus();
}

void ConsoleView::feedTerminal(const QByteArray &bytes)
{
    if (m_ptySlave < 0)
        return;
    m_toTerminal.append(bytes);
    if (m_toTerminal.size() > MaxWaitingForTerminal)
        m_toTerminal.remove(0, m_toTerminal.size() - MaxWaitingForTerminal);
    flushToTerminal();
}

void ConsoleView::flushToTerminal()
{
    while (!m_toTerminal.isEmpty()) {
        const ssize_t written = ::write(m_ptySlave, m_toTerminal.constData(), size_t(m_toTerminal.size()));
        if (written > 0) {
            m_toTerminal.remove(0, written);
        } else if (written < 0 && errno == EINTR) {
            continue;
        } else {
            // Full (EAGAIN): the terminal reads its side on this same thread; write on when it has.
            m_writable->setEnabled(true);
            return;
        }
    }
    if (m_writable)
        m_writable->setEnabled(false);
}

void ConsoleView::showContextMenu(const QPoint &position)
{
    QMenu menu(this);
    for (QAction *action : m_terminal->actions())
        menu.addAction(action);
    const QList<QAction *> filters = m_terminal->filterActions(position);
    if (!filters.isEmpty()) {
        menu.addSeparator();
        menu.addActions(filters);
    }
    menu.exec(m_terminal->mapToGlobal(position));
}

} // namespace Vigie
