#pragma once

#include <QString>
#include <QStringView>

namespace Vigie::DisplayText {

// Text from outside (libvirt, the network controller, a domain's XML) is shown bounded: a view
// costs the same for a 50 MB title as for a short one, and measuring or drawing never sees more.
inline constexpr qsizetype MaxLength = 256; // a label, a cell, a window title
inline constexpr qsizetype MaxToolTipLength = 2048; // the whole of a tooltip's outside text

// At most maxLength characters: longer text is cut (never inside a surrogate pair) and ends in '…'.
[[nodiscard]] QString bounded(QStringView text, qsizetype maxLength = MaxLength);

// bounded(), on one line: line breaks and tabs become spaces.
[[nodiscard]] QString singleLine(QStringView text, qsizetype maxLength = MaxLength);

// bounded(), for a word-wrapped label: runs of more than 60 characters without a space get
// zero-width break opportunities, so the label wraps them instead of growing as wide as the run.
[[nodiscard]] QString wrappable(QStringView text, qsizetype maxLength = MaxLength);

// An outside name (VM, host, switch, tenant) to put in a sentence: singleLine(), then wrappable().
[[nodiscard]] QString name(QStringView text);

// wrappable() and HTML-escaped, for rich text made of our markup and outside text.
[[nodiscard]] QString html(QStringView text, qsizetype maxLength = MaxToolTipLength);

// A tooltip (or any rich-text target) that shows `text` literally. Qt guesses whether a tooltip is
// rich text (Qt::mightBeRichText), so a plain string starting with "<b>" would render bold: the
// result is always rich, with the text escaped, line breaks kept and long lines wrapped.
// Empty text gives an empty string (no tooltip).
[[nodiscard]] QString toolTip(QStringView text, qsizetype maxLength = MaxToolTipLength);

// Wraps already-escaped rich text so that its line breaks are kept and long lines wrap.
[[nodiscard]] QString richToolTip(const QString &html);

} // namespace Vigie::DisplayText
