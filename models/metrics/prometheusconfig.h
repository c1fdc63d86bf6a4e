#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Vigie {

// Where PrometheusSource reads the metrics, and how (kept apart so that the session manager and
// the settings dialog need not see the source itself).
struct PrometheusConfig
{
    QUrl url; // the server, e.g. https://prometheus:9090 (a path prefix is kept)
    QString user;        // basic authentication, with password
    QString password;
    QString bearerToken; // instead of basic authentication
    QHash<QString, QString> targets; // instance -> libvirt URI
    int intervalMs = 5000;
    int timeoutMs = 10'000;
    qint64 maxBodyBytes = 32 * 1024 * 1024;

    // Parses "instance=uri" lines (the settings' and --prometheus-target's form).
    [[nodiscard]] static QHash<QString, QString> parseTargets(const QStringList &lines);
};

} // namespace Vigie
