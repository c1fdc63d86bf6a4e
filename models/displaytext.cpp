#include "displaytext.h"

namespace Vigie::DisplayText {

namespace {

constexpr qsizetype LongestUnbrokenRun = 60;
constexpr QChar ZeroWidthSpace(0x200B);
constexpr QChar Ellipsis(0x2026);

} // namespace

QString bounded(QStringView text, qsizetype maxLength)
{
    if (text.size() <= maxLength)
        return text.toString();
    qsizetype cut = std::max<qsizetype>(maxLength - 1, 0);
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut; // never leave half a surrogate pair behind
    return text.first(cut).toString() + Ellipsis;
}

QString singleLine(QStringView text, qsizetype maxLength)
{
    QString line = bounded(text, maxLength);
    for (QChar &c : line) {
        if (c == u'\n' || c == u'\r' || c == u'\t' || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return line;
}

QString wrappable(QStringView text, qsizetype maxLength)
{
    const QString shown = bounded(text, maxLength);
    QString withBreaks;
    withBreaks.reserve(shown.size() + shown.size() / LongestUnbrokenRun + 1);
    qsizetype run = 0;
    for (QChar c : shown) {
        if (c.isSpace()) {
            run = 0;
        } else if (++run > LongestUnbrokenRun && !c.isLowSurrogate()) {
            withBreaks.append(ZeroWidthSpace);
            run = 1;
        }
        withBreaks.append(c);
    }
    return withBreaks;
}

QString name(QStringView text)
{
    return wrappable(singleLine(text));
}

QString html(QStringView text, qsizetype maxLength)
{
    return wrappable(text, maxLength).toHtmlEscaped();
}

QString toolTip(QStringView text, qsizetype maxLength)
{
    if (text.isEmpty())
        return {};
    return richToolTip(html(text, maxLength));
}

QString richToolTip(const QString &html)
{
    if (html.isEmpty())
        return {};
    // pre-wrap: the text's own line breaks stay, and a long line still wraps at the tooltip's width.
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(html);
}

} // namespace Vigie::DisplayText
