#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QTimer;
class QVBoxLayout;

namespace Vigie {

// Non-blocking notifications stacked above a view: a title, the detail (libvirt's message) and
// a close button. Errors stay until closed or replaced; information fades after a few seconds.
// At most a handful are shown; older ones make room. A notification identical to one shown is
// not stacked again: the one shown counts it ("×3") and moves to the bottom. A notification may
// name its source (a host's URI), so that it goes when the source does.
//
// Placed with floatOver(), it floats in the bottom right corner of a widget rather than taking
// room in its layout: a notification arriving never moves the view under the operator's pointer
// (in the middle of a drag, say).
class NotificationBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Error };
    // A button on the notification ("Migrate back"); clicking it runs RUN and dismisses it. An
    // information notification with one stays longer, to leave time to click.
    struct Action
    {
        QString text;
        std::function<void()> run;
    };

    explicit NotificationBar(QWidget *parent = nullptr);

    void notify(Kind kind, const QString &title, const QString &detail, const QString &source = {},
                const Action &action = {});
    [[nodiscard]] int count() const;
    // The text shown by the notification at INDEX (oldest first), for tests.
    [[nodiscard]] QString text(int index) const;
    void clear();
    // Dismisses the notifications of SOURCE (a host that was removed).
    void dismissSource(const QString &source);
    // Floats over HOST (made the parent), kept in its bottom right corner as it resizes.
    void floatOver(QWidget *host);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Shows or hides the bar for its notifications, and places it when floating.
    void relayout();

    QVBoxLayout *m_layout;
    QWidget *m_host = nullptr;
};

} // namespace Vigie
