#pragma once

#include <QPlainTextEdit>

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace Vigie {

class LineNumberGutter;

// Domain XML (or another syntax KSyntaxHighlighting knows, such as "Diff"), highlighted with a
// theme that follows the palette (dark or light). Read-only unless made editable.
//
// With line numbers shown (an editor's view, not a diff's), a gutter numbers the lines, the
// cursor's line is highlighted, and a line can be marked as where the text is wrong: its number
// in the theme's error colour, the line tinted, the message in the number's tooltip, until the
// text changes.
class XmlView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit XmlView(QWidget *parent = nullptr, const QString &syntax = QStringLiteral("XML"));
    ~XmlView() override;

    void setXml(const QString &xml);

    void setLineNumbersShown(bool shown);
    [[nodiscard]] bool lineNumbersShown() const { return m_lineNumbers; }
    [[nodiscard]] QWidget *gutter() const;
    // The gutter's width for the current line count: it grows with the number of digits.
    [[nodiscard]] int gutterWidth() const;

    // LINE is 1-based; 0 (or a line past the end) marks none.
    void markErrorLine(int line, const QString &message);
    void clearErrorLine();
    [[nodiscard]] int errorLine() const { return m_errorLine; }

Q_SIGNALS:
    void errorLineChanged(int line);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    friend class LineNumberGutter;

    struct GutterColors
    {
        QColor background;
        QColor number;
        QColor currentNumber;
        QColor separator;
        QColor currentLine;
        QColor error;
    };

    void applyTheme();
    void updateGutterWidth();
    void updateGutterArea(const QRect &rect, int dy);
    void updateExtraSelections();
    void textMayHaveChanged();
    void paintGutter(QPaintEvent *event);
    [[nodiscard]] QString gutterToolTip(const QPoint &pos) const;

    std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    LineNumberGutter *m_gutter;
    GutterColors m_colors;
    bool m_lineNumbers = false;
    int m_errorLine = 0;
    QString m_errorMessage;
    QString m_markedText; // the text the error was found in: the mark lasts while it stays
};

} // namespace Vigie
