#include "xmlview.h"

#include "displaytext.h"
#include "linenumbergutter.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QEvent>
#include <QFontDatabase>
#include <QPainter>
#include <QTextBlock>

namespace Vigie {

namespace {

// Room on either side of the numbers, in pixels.
constexpr int GutterPadding = 6;

QColor themeColor(const KSyntaxHighlighting::Theme &theme, KSyntaxHighlighting::Theme::EditorColorRole role,
                  const QColor &fallback)
{
    return theme.isValid() ? QColor::fromRgba(theme.editorColor(role)) : fallback;
}

} // namespace

XmlView::XmlView(QWidget *parent, const QString &syntax)
    : QPlainTextEdit(parent)
    , m_repository(std::make_unique<KSyntaxHighlighting::Repository>())
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(document()))
    , m_gutter(new LineNumberGutter(this))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter->setDefinition(m_repository->definitionForName(syntax));
    m_gutter->hide();
    connect(this, &QPlainTextEdit::blockCountChanged, this, &XmlView::updateGutterWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &XmlView::updateGutterArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (m_lineNumbers) {
            updateExtraSelections();
            m_gutter->update();
        }
    });
    // The highlighter's formats change the document too, not its text: only a real edit (or a
    // new text) ends the mark.
    connect(document(), &QTextDocument::contentsChanged, this, &XmlView::textMayHaveChanged);
    applyTheme();
}

XmlView::~XmlView() = default;

void XmlView::setXml(const QString &xml)
{
    if (xml != toPlainText())
        setPlainText(xml);
}

void XmlView::setLineNumbersShown(bool shown)
{
    if (shown == m_lineNumbers)
        return;
    m_lineNumbers = shown;
    m_gutter->setVisible(shown);
    updateGutterWidth();
    updateExtraSelections();
}

QWidget *XmlView::gutter() const
{
    return m_gutter;
}

int XmlView::gutterWidth() const
{
    if (!m_lineNumbers)
        return 0;
    // Two digits at least, so that the text does not move at the tenth line.
    const int digits = std::max(2, int(QString::number(std::max(1, blockCount())).size()));
    return GutterPadding * 2 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + 1;
}

void XmlView::markErrorLine(int line, const QString &message)
{
    if (line < 1 || line > blockCount()) {
        clearErrorLine();
        return;
    }
    m_errorLine = line;
    m_errorMessage = message;
    m_markedText = toPlainText();
    updateExtraSelections();
    m_gutter->update();
    Q_EMIT errorLineChanged(line);
}

void XmlView::clearErrorLine()
{
    if (m_errorLine == 0)
        return;
    m_errorLine = 0;
    m_errorMessage.clear();
    m_markedText.clear();
    updateExtraSelections();
    m_gutter->update();
    Q_EMIT errorLineChanged(0);
}

void XmlView::textMayHaveChanged()
{
    if (m_errorLine != 0 && toPlainText() != m_markedText)
        clearErrorLine();
}

void XmlView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    else if (event->type() == QEvent::FontChange)
        updateGutterWidth();
}

void XmlView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), gutterWidth(), area.height()));
}

void XmlView::updateGutterWidth()
{
    const int width = gutterWidth();
    setViewportMargins(width, 0, 0, 0);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), width, area.height()));
}

void XmlView::updateGutterArea(const QRect &rect, int dy)
{
    if (!m_lineNumbers)
        return;
    if (dy != 0)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
}

void XmlView::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (m_lineNumbers) {
        QTextEdit::ExtraSelection current;
        current.format.setBackground(m_colors.currentLine);
        current.format.setProperty(QTextFormat::FullWidthSelection, true);
        current.cursor = textCursor();
        current.cursor.clearSelection();
        selections.append(current);
    }
    if (m_errorLine > 0) {
        const QTextBlock block = document()->findBlockByNumber(m_errorLine - 1);
        if (block.isValid()) {
            QTextEdit::ExtraSelection error;
            QColor tint = m_colors.error;
            tint.setAlpha(45);
            error.format.setBackground(tint);
            error.format.setProperty(QTextFormat::FullWidthSelection, true);
            error.cursor = QTextCursor(block);
            selections.append(error);
        }
    }
    setExtraSelections(selections);
}

void XmlView::paintGutter(QPaintEvent *event)
{
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), m_colors.background);
    painter.setPen(m_colors.separator);
    painter.drawLine(m_gutter->width() - 1, event->rect().top(), m_gutter->width() - 1, event->rect().bottom());

    const int current = textCursor().blockNumber();
    const int numberWidth = m_gutter->width() - 1 - GutterPadding;
    const int lineHeight = fontMetrics().height();
    QFont normal = font();
    QFont bold = font();
    bold.setBold(true);
    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int number = block.blockNumber();
            const QRect row(0, int(top), numberWidth, lineHeight);
            if (number + 1 == m_errorLine) {
                // A red pill the whole width of the gutter: seen at a glance while scrolling.
                const QRect pill(2, int(top) + 1, m_gutter->width() - 5, lineHeight - 2);
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setPen(Qt::NoPen);
                painter.setBrush(m_colors.error);
                painter.drawRoundedRect(pill, 3, 3);
                painter.setRenderHint(QPainter::Antialiasing, false);
                painter.setPen(m_colors.error.lightnessF() > 0.6 ? Qt::black : Qt::white);
                painter.setFont(bold);
            } else {
                painter.setPen(number == current ? m_colors.currentNumber : m_colors.number);
                painter.setFont(number == current ? bold : normal);
            }
            painter.drawText(row, Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
        }
        block = block.next();
        top += height;
    }
}

QString XmlView::gutterToolTip(const QPoint &pos) const
{
    if (m_errorLine == 0)
        return {};
    const QTextBlock block = document()->findBlockByNumber(m_errorLine - 1);
    if (!block.isValid() || !block.isVisible())
        return {};
    const QRectF rect = blockBoundingGeometry(block).translated(contentOffset());
    if (pos.y() < rect.top() || pos.y() >= rect.bottom())
        return {};
    return DisplayText::toolTip(m_errorMessage);
}

void XmlView::applyTheme()
{
    using Role = KSyntaxHighlighting::Theme::EditorColorRole;
    const KSyntaxHighlighting::Theme theme = m_repository->themeForPalette(palette());
    m_highlighter->setTheme(theme);
    QPalette colors = palette();
    if (theme.isValid()) {
        colors.setColor(QPalette::Base, QColor::fromRgba(theme.editorColor(Role::BackgroundColor)));
        colors.setColor(QPalette::Text, QColor::fromRgba(theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    }
    const QPalette &pal = palette();
    m_colors.background = themeColor(theme, Role::IconBorder, pal.color(QPalette::Window));
    m_colors.number = themeColor(theme, Role::LineNumbers, pal.color(QPalette::PlaceholderText));
    m_colors.currentNumber = themeColor(theme, Role::CurrentLineNumber, pal.color(QPalette::Text));
    m_colors.separator = themeColor(theme, Role::Separator, pal.color(QPalette::Mid));
    m_colors.currentLine = themeColor(theme, Role::CurrentLine, pal.color(QPalette::AlternateBase));
    m_colors.error = themeColor(theme, Role::MarkError, QColor(0xc0, 0x39, 0x2b));
    // On the viewport, so this widget's own PaletteChange keeps meaning "the desktop changed".
    viewport()->setPalette(colors);
    m_highlighter->rehighlight();
    updateExtraSelections();
    m_gutter->update();
}

} // namespace Vigie
