#include "linenumbergutter.h"

#include "xmlview.h"

#include <QHelpEvent>
#include <QToolTip>

namespace Vigie {

LineNumberGutter::LineNumberGutter(XmlView *view)
    : QWidget(view)
    , m_view(view)
{
    setObjectName(QStringLiteral("lineNumbers"));
}

QSize LineNumberGutter::sizeHint() const
{
    return {m_view->gutterWidth(), 0};
}

void LineNumberGutter::paintEvent(QPaintEvent *event)
{
    m_view->paintGutter(event);
}

bool LineNumberGutter::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = m_view->gutterToolTip(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace Vigie
