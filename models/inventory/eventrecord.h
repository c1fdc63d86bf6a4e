#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Vigie {

// One line of the event log: what happened, where, and how it ended.
struct EventRecord
{
    enum class Severity { Info, Warning, Error };

    QDateTime time;
    QString host; // display name
    QString vm;
    QString action;
    QString result;
    Severity severity = Severity::Info;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::EventRecord)
