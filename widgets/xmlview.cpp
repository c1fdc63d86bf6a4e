#include "xmlview.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QEvent>
#include <QFontDatabase>

namespace Vigie {

XmlView::XmlView(QWidget *parent, const QString &syntax)
    : QPlainTextEdit(parent)
    , m_repository(std::make_unique<KSyntaxHighlighting::Repository>())
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(document()))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter->setDefinition(m_repository->definitionForName(syntax));
    applyTheme();
}

XmlView::~XmlView() = default;

void XmlView::setXml(const QString &xml)
{
    if (xml != toPlainText())
        setPlainText(xml);
}

void XmlView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void XmlView::applyTheme()
{
    const KSyntaxHighlighting::Theme theme = m_repository->themeForPalette(palette());
    m_highlighter->setTheme(theme);
    QPalette colors = palette();
    if (theme.isValid()) {
        colors.setColor(QPalette::Base, QColor::fromRgba(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
        colors.setColor(QPalette::Text, QColor::fromRgba(theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    }
    // On the viewport, so this widget's own PaletteChange keeps meaning "the desktop changed".
    viewport()->setPalette(colors);
    m_highlighter->rehighlight();
}

} // namespace Vigie
