#pragma once

#include "network/ovsdbsslsettings.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class QSettings;

namespace Vigie {

// What Vigie is told of the network controller: the remotes of its northbound database (one or
// the members of a cluster), of its southbound database (optional: chassis and port bindings),
// and the files for ssl: remotes. Remembered in the settings (paths only, never a key's content),
// given in File › Connect to network controller… or on the command line.
struct ControllerSettings
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::ControllerSettings)

public:
    QStringList northbound;
    QStringList southbound;
    OvsdbSslSettings ssl;

    // Remotes as ovn-nbctl's --db takes them, separated by commas or blanks.
    [[nodiscard]] static QStringList parseRemotes(const QString &text);
    [[nodiscard]] bool usesSsl() const;
    // What stops these settings from working, for the operator, or empty: a remote that is not
    // tcp:, ssl: or unix:, a southbound without a northbound, ssl: remotes without the CA
    // certificate, a certificate without its key, a file that cannot be read.
    [[nodiscard]] QString problem() const;

    [[nodiscard]] static ControllerSettings load(const QSettings &settings);
    void save(QSettings &settings) const;

    friend bool operator==(const ControllerSettings &, const ControllerSettings &) = default;
};

} // namespace Vigie
