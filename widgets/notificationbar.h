#pragma once

#include <QFrame>

class QLabel;
class QTimer;
class QVBoxLayout;

namespace Vigie {

// Non-blocking notifications stacked above a view: a title, the detail (libvirt's message) and
// a close button. Errors stay until closed or replaced; information fades after a few seconds.
// At most a handful are shown; older ones make room.
class NotificationBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Error };

    explicit NotificationBar(QWidget *parent = nullptr);

    void notify(Kind kind, const QString &title, const QString &detail);
    [[nodiscard]] int count() const;
    void clear();

private:
    QVBoxLayout *m_layout;
};

} // namespace Vigie
