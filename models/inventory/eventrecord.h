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
    QString hostUri; // the connection's URI, when a host's connection recorded it
    QString vm;
    QString action;
    QString result;
    Severity severity = Severity::Info;
    QString user; // the local user who ran the console (filled when stored)
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::EventRecord)
