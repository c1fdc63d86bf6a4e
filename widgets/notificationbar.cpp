#include "notificationbar.h"

#include "displaytext.h"
#include "plaintext.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Vigie {

namespace {

constexpr int MaxShown = 4;
constexpr int InformationTimeoutMs = 6000;
constexpr int ActionTimeoutMs = 15000;
constexpr qsizetype MaxDetailLength = 600; // a few lines of the bar; the rest in the tooltip
// Floating: the widest the bar gets, and its distance to the host's edges (clear of a view's
// scroll bar).
constexpr int FloatingMaxWidth = 520;
constexpr int FloatingMargin = 8;
constexpr int FloatingBottomMargin = 24;

} // namespace

NotificationBar::NotificationBar(QWidget *parent)
    : QFrame(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    hide();
}

int NotificationBar::count() const
{
    return m_layout->count();
}

void NotificationBar::clear()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    relayout();
}

QString NotificationBar::text(int index) const
{
    QLayoutItem *item = m_layout->itemAt(index);
    const QLabel *label = item && item->widget() ? item->widget()->findChild<QLabel *>(QStringLiteral("notificationText")) : nullptr;
    return label ? label->text() : QString();
}

void NotificationBar::dismissSource(const QString &source)
{
    if (source.isEmpty())
        return;
    for (int i = m_layout->count() - 1; i >= 0; --i) {
        QWidget *frame = m_layout->itemAt(i)->widget();
        if (frame && frame->property("source").toString() == source) {
            delete m_layout->takeAt(i);
            frame->deleteLater();
        }
    }
    relayout();
}

void NotificationBar::notify(Kind kind, const QString &title, const QString &detail, const QString &source,
                             const Action &action)
{
    const QString key = QStringLiteral("%1\x1f%2\x1f%3").arg(int(kind)).arg(title, detail);
    for (int i = 0; i < m_layout->count(); ++i) {
        QWidget *shown = m_layout->itemAt(i)->widget();
        if (!shown || shown->property("key").toString() != key)
            continue;
        const int repeats = shown->property("repeats").toInt() + 1;
        shown->setProperty("repeats", repeats);
        if (auto *label = shown->findChild<QLabel *>(QStringLiteral("notificationText"))) {
            //: A notification that came again: how many times in all ("×3")
            label->setText(shown->property("baseText").toString() + tr(" (×%1)").arg(repeats));
        }
        // The newest at the bottom, as a new one would be.
        m_layout->removeWidget(shown);
        m_layout->addWidget(shown);
        relayout();
        return;
    }
    while (m_layout->count() >= MaxShown) {
        QLayoutItem *item = m_layout->takeAt(0);
        delete item->widget();
        delete item;
    }
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("notification"));
    frame->setProperty("key", key);
    frame->setProperty("source", source);
    frame->setProperty("repeats", 1);
    const bool error = kind == Kind::Error;
    frame->setStyleSheet(error ? QStringLiteral("#notification { background: #fbe9e9; border: 1px solid #d9a0a0; border-radius: 3px; }"
                                                "QLabel { color: #5a1414; }")
                               : QStringLiteral("#notification { background: #e8f1fb; border: 1px solid #a6c4e6; border-radius: 3px; }"
                                                "QLabel { color: #15314f; }"));
    auto *row = new QHBoxLayout(frame);
    row->setContentsMargins(6, 3, 3, 3);
    auto *icon = new QLabel(frame);
    icon->setPixmap(style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxInformation)
                        .pixmap(16, 16));
    row->addWidget(icon, 0, Qt::AlignTop);
    auto *text = new QLabel(frame);
    text->setObjectName(QStringLiteral("notificationText"));
    makePlainWrappingLabel(text);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Titles name VMs and hosts, details quote libvirt or the controller: bounded and breakable,
    // the whole (bounded) detail in the tooltip.
    const QString shownDetail = DisplayText::wrappable(detail, MaxDetailLength);
    text->setText(detail.isEmpty() ? DisplayText::wrappable(title) : DisplayText::wrappable(title) + QLatin1String(": ") + shownDetail);
    frame->setProperty("baseText", text->text());
    if (detail.size() > MaxDetailLength)
        text->setToolTip(DisplayText::toolTip(detail));
    row->addWidget(text, 1);
    if (action.run) {
        auto *button = new QToolButton(frame);
        button->setObjectName(QStringLiteral("notificationAction"));
        button->setText(action.text);
        row->addWidget(button, 0, Qt::AlignTop);
        connect(button, &QToolButton::clicked, frame, [this, frame, run = action.run] {
            m_layout->removeWidget(frame);
            frame->deleteLater();
            relayout();
            run();
        });
    }
    auto *close = new QToolButton(frame);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));
    row->addWidget(close, 0, Qt::AlignTop);
    const auto dismiss = [this, frame] {
        m_layout->removeWidget(frame);
        frame->deleteLater();
        relayout();
    };
    connect(close, &QToolButton::clicked, frame, dismiss);
    if (!error)
        QTimer::singleShot(action.run ? ActionTimeoutMs : InformationTimeoutMs, frame, dismiss);
    m_layout->addWidget(frame);
    // Now, not at the next turn of the event loop: relayout() measures it.
    frame->show();
    relayout();
}

void NotificationBar::floatOver(QWidget *host)
{
    if (m_host)
        m_host->removeEventFilter(this);
    m_host = host;
    setParent(host);
    host->installEventFilter(this);
    relayout();
}

bool NotificationBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_host && event->type() == QEvent::Resize)
        relayout();
    return QFrame::eventFilter(watched, event);
}

void NotificationBar::relayout()
{
    if (m_layout->count() == 0) {
        hide();
        return;
    }
    if (m_host) {
        const int width = std::min(FloatingMaxWidth, m_host->width() - 2 * FloatingMargin);
        const int height = std::min(hasHeightForWidth() ? heightForWidth(width) : sizeHint().height(),
                                    m_host->height() - FloatingMargin - FloatingBottomMargin);
        setGeometry(m_host->width() - width - FloatingMargin, m_host->height() - height - FloatingBottomMargin, width, height);
        raise();
    }
    show();
}

} // namespace Vigie
