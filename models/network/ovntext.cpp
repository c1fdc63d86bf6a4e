#include "ovntext.h"

namespace Vigie::OvnText {

QString bounded(const QString &text, qsizetype maxLength)
{
    bool clean = text.size() <= maxLength;
    for (qsizetype i = 0; clean && i < text.size(); ++i)
        clean = text.at(i).category() != QChar::Other_Control;
    if (clean)
        return text; // the common case: shared, not copied
    QString out;
    out.reserve(qMin(text.size(), maxLength));
    for (QChar c : text) {
        if (c.category() == QChar::Other_Control)
            continue;
        if (out.size() == maxLength) {
            // Never leave half a surrogate pair before the ellipsis.
            out.truncate(out.at(maxLength - 2).isHighSurrogate() ? maxLength - 2 : maxLength - 1);
            out.append(QChar(0x2026));
            break;
        }
        out.append(c);
    }
    return out;
}

QStringList boundedList(const QStringList &list, qsizetype maxLength)
{
    QStringList out;
    out.reserve(qMin(list.size(), MaxEntries));
    for (const QString &item : list) {
        if (out.size() == MaxEntries)
            break;
        out.append(bounded(item, maxLength));
    }
    return out;
}

QMap<QString, QString> boundedMap(const QMap<QString, QString> &map)
{
    QMap<QString, QString> out;
    for (auto it = map.cbegin(); it != map.cend() && out.size() < MaxEntries; ++it)
        out.insert(bounded(it.key(), MaxName), bounded(it.value(), MaxValue));
    return out;
}

} // namespace Vigie::OvnText
