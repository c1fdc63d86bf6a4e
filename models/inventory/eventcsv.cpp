#include "eventcsv.h"

#include <QTimeZone>

namespace Vigie {

QString EventCsv::severityName(EventRecord::Severity severity)
{
    switch (severity) {
    case EventRecord::Severity::Info: return QStringLiteral("info");
    case EventRecord::Severity::Warning: return QStringLiteral("warning");
    case EventRecord::Severity::Error: return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

QString EventCsv::field(const QString &text)
{
    QString value = text;
    if (!value.isEmpty() && QStringLiteral("=+-@\t\r").contains(value.front()))
        value.prepend(u'\'');
    if (value.contains(u',') || value.contains(u'"') || value.contains(u'\n') || value.contains(u'\r')
        || value.startsWith(u' ') || value.endsWith(u' ')) {
        value.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        value = u'"' + value + u'"';
    }
    return value;
}

QByteArray EventCsv::toCsv(const QList<EventRecord> &events)
{
    QString out = QStringLiteral("time,severity,host,host_uri,vm,action,result,user\r\n");
    for (const EventRecord &event : events) {
        const QStringList fields{event.time.toTimeZone(QTimeZone::UTC).toString(Qt::ISODateWithMs),
                                 severityName(event.severity),
                                 field(event.host),
                                 field(event.hostUri),
                                 field(event.vm),
                                 field(event.action),
                                 field(event.result),
                                 field(event.user)};
        out += fields.join(u',') + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace Vigie
