#include "elidedlabel.h"

#include "displaytext.h"

#include <QEvent>
#include <QFontMetrics>

namespace Vigie {

namespace {

// The width a label asks for, in average characters: beyond it, it elides rather than widen.
constexpr int PreferredWidthInCharacters = 48;

} // namespace

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setOpenExternalLinks(false);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidedLabel::setMaximumLines(int maxLines)
{
    m_maxLines = std::max(1, maxLines);
    setFullText(m_fullText);
}

void ElidedLabel::setFullText(const QString &text)
{
    const QString full = DisplayText::bounded(text, DisplayText::MaxToolTipLength);
    const QStringList lines = full.split(QLatin1Char('\n'));
    m_fullText = full;
    m_truncated = text.size() > full.size() || lines.size() > m_maxLines;
    m_lines.clear();
    for (qsizetype i = 0; i < lines.size() && i < m_maxLines; ++i) {
        m_truncated = m_truncated || lines.at(i).size() > DisplayText::MaxLength;
        m_lines.append(DisplayText::singleLine(lines.at(i)));
    }
    if (lines.size() > m_maxLines && !m_lines.isEmpty())
        m_lines.last() += QChar(0x2026);
    updateGeometry();
    updateShownText();
}

QSize ElidedLabel::sizeHint() const
{
    const QFontMetrics metrics(font());
    int widest = 0;
    for (const QString &line : m_lines)
        widest = std::max(widest, metrics.horizontalAdvance(line));
    const int width = std::min(widest, metrics.averageCharWidth() * PreferredWidthInCharacters);
    const int lines = std::max(1, int(m_lines.size()));
    const QMargins margins = contentsMargins();
    return {width + margins.left() + margins.right() + 2 * margin(),
            lines * metrics.lineSpacing() + margins.top() + margins.bottom() + 2 * margin()};
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    const QSize hint = sizeHint();
    return {std::min(hint.width(), metrics.horizontalAdvance(QStringLiteral("xxxx…"))), hint.height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    updateShownText();
}

void ElidedLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateShownText();
}

void ElidedLabel::updateShownText()
{
    const QFontMetrics metrics(font());
    const int width = std::max(0, contentsRect().width() - 2 * margin());
    QStringList shown;
    bool elided = m_truncated;
    for (const QString &line : std::as_const(m_lines)) {
        const QString fitted = metrics.elidedText(line, Qt::ElideRight, width);
        elided = elided || fitted != line;
        shown.append(fitted);
    }
    // QLabel::setText would ask for a new layout on every resize; only a real change is set.
    const QString text = shown.join(QLatin1Char('\n'));
    if (text != QLabel::text())
        QLabel::setText(text);
    m_elided = elided;
    setToolTip(elided ? DisplayText::toolTip(m_fullText) : QString());
}

} // namespace Vigie
