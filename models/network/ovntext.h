#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace Vigie::OvnText {

// Strings from the network controller are bounded where they enter Vigie's value types, as the
// domain XML parser bounds libvirt's: a 50 MB switch name costs what a short one does in every
// view and correlation. Control characters are dropped (they would corrupt a table row or a log
// line); a cut string ends with an ellipsis so nobody mistakes it for the real name.
inline constexpr qsizetype MaxName = 256;   // names, ids, chassis, addresses
inline constexpr qsizetype MaxValue = 1024; // external_ids and options values
inline constexpr qsizetype MaxEntries = 128; // elements of a set or map

[[nodiscard]] QString bounded(const QString &text, qsizetype maxLength = MaxName);
[[nodiscard]] QStringList boundedList(const QStringList &list, qsizetype maxLength = MaxName);
[[nodiscard]] QMap<QString, QString> boundedMap(const QMap<QString, QString> &map);

} // namespace Vigie::OvnText
