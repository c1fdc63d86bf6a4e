#pragma once

#include <QLabel>

namespace Vigie {

// A label for text from outside (names, titles, descriptions, tenants, error messages): always
// plain text, so markup shows as typed and nothing is linked or loaded; each line elided to the
// label's width, so a long line never widens the window; the whole text (bounded, escaped) in the
// tooltip when it does not fit. Set the text with setFullText(), not setText().
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // At most maxLines lines are shown (the rest goes to the tooltip).
    void setMaximumLines(int maxLines);
    void setFullText(const QString &text);
    [[nodiscard]] QString fullText() const { return m_fullText; }
    [[nodiscard]] bool isElided() const { return m_elided; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateShownText();

    QString m_fullText; // bounded
    QStringList m_lines;
    int m_maxLines = 1;
    bool m_truncated = false; // more text than the lines hold, before any eliding
    bool m_elided = false;
};

} // namespace Vigie
