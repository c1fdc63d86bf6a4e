#pragma once

#include <QFrame>

class QLabel;
class QTimer;
class QVBoxLayout;

namespace Vigie {

// Non-blocking notifications stacked above a view: a title, the detail (libvirt's message) and
// a close button. Errors stay until closed or replaced; information fades after a few seconds.
// At most a handful are shown; older ones make room. A notification identical to one shown is
// not stacked again: the one shown counts it ("×3") and moves to the bottom. A notification may
// name its source (a host's URI), so that it goes when the source does.
class NotificationBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Error };

    explicit NotificationBar(QWidget *parent = nullptr);

    void notify(Kind kind, const QString &title, const QString &detail, const QString &source = {});
    [[nodiscard]] int count() const;
    // The text shown by the notification at INDEX (oldest first), for tests.
    [[nodiscard]] QString text(int index) const;
    void clear();
    // Dismisses the notifications of SOURCE (a host that was removed).
    void dismissSource(const QString &source);

private:
    QVBoxLayout *m_layout;
};

} // namespace Vigie
