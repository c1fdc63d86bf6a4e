#pragma once

#include <QWidget>

namespace Vigie {

class XmlView;

// The strip left of an XmlView's text with its line numbers (the view paints it: it knows where
// its blocks are). A widget of its own so that it scrolls and repaints apart from the text.
class LineNumberGutter : public QWidget
{
    Q_OBJECT

public:
    explicit LineNumberGutter(XmlView *view);

    [[nodiscard]] QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    XmlView *m_view;
};

} // namespace Vigie
